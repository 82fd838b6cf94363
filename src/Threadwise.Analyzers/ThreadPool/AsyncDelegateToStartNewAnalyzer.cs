using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.ThreadPool;

/// <summary>
/// TW3005: an async delegate (a delegate returning a task) given to <c>Task.Factory.StartNew</c> or
/// to a <c>Task&lt;TResult&gt;</c> constructor, whose <c>Task&lt;Task&gt;</c> result is then used as
/// if it were the work (awaited once, waited, returned, passed on). Not reported when the result is
/// dropped or discarded (nobody waits for it), unwrapped (<c>.Unwrap()</c>, <c>await await</c>) or
/// kept as a <c>Task&lt;Task&gt;</c> for later.
/// <c>new Task(async () =&gt; …)</c> makes an async void delegate: TW4005 reports that one.
/// </summary>
public sealed class AsyncDelegateToStartNewAnalyzer : ThreadwiseAnalyzer
{
    public AsyncDelegateToStartNewAnalyzer()
        : base(Descriptors.TW3005AsyncDelegateToStartNew)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var symbols = KnownSymbols.For(context.Compilation);
        if (symbols.Task is null || symbols.TaskOfT is null)
        {
            return;
        }

        var analyzer = new Context(symbols);
        context.RegisterOperationAction(analyzer.AnalyzeInvocation, OperationKind.Invocation);
        context.RegisterOperationAction(analyzer.AnalyzeCreation, OperationKind.ObjectCreation);
    }

    private sealed class Context
    {
        private readonly KnownSymbols _symbols;

        public Context(KnownSymbols symbols) => _symbols = symbols;

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (invocation.TargetMethod.Name != "StartNew"
                || !IsTaskFactory(invocation.TargetMethod.ContainingType)
                || invocation.Syntax.ContainsDiagnostics
                || !HasAsyncDelegate(invocation.Arguments)
                || IsUnwrappedOrKept(invocation))
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(Descriptors.TW3005AsyncDelegateToStartNew, invocation.Syntax.GetLocation(), "Task.Factory.StartNew"));
        }

        public void AnalyzeCreation(OperationAnalysisContext context)
        {
            var creation = (IObjectCreationOperation)context.Operation;
            if (creation.Type is not INamedTypeSymbol { IsGenericType: true } type
                || !SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, _symbols.TaskOfT)
                || creation.Syntax.ContainsDiagnostics
                || !HasAsyncDelegate(creation.Arguments)
                || IsUnwrappedOrKept(creation))
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(Descriptors.TW3005AsyncDelegateToStartNew, creation.Syntax.GetLocation(), "new Task<" + type.TypeArguments[0].Name + ">"));
        }

        private bool IsTaskFactory(INamedTypeSymbol? type)
            => type is not null
               && (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, _symbols.TaskFactory)
                   || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, _symbols.TaskFactoryOfT));

        // The work delegate returns a task: an async lambda or method, or any Func<Task...>.
        private bool HasAsyncDelegate(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments)
        {
            foreach (var argument in arguments)
            {
                if (argument.Parameter?.Type is INamedTypeSymbol { TypeKind: TypeKind.Delegate, DelegateInvokeMethod: { } invoke }
                    && _symbols.IsTaskType(invoke.ReturnType)
                    && !ReturnsOnlyFinishedTasks(argument.Value))
                {
                    return true;
                }
            }

            return false;
        }

        // `StartNew(() => { …; return Task.CompletedTask; })` (Streamiz's start-up): a synchronous lambda
        // whose every return is a finished task does all its work before the outer task completes, and
        // its exceptions fault the outer task; nothing is lost.
        // A method given by name counts the same (`StartNew(TransferQueueRead, …, LongRunning, …)` over
        // `Task TransferQueueRead() { while (…) { … } return Task.CompletedTask; }`; found dogfooding
        // LibUsbDotNet).
        private bool ReturnsOnlyFinishedTasks(IOperation value)
        {
            switch (value.WithoutConversions())
            {
                case IDelegateCreationOperation { Target: IAnonymousFunctionOperation { Symbol.IsAsync: false } lambda }:
                    return AllReturnsAreFinished(lambda.Body);
                case IDelegateCreationOperation { Target: IMethodReferenceOperation { Method: { IsAsync: false } method } reference }:
                    return BodyOf(method, reference) is { } body && AllReturnsAreFinished(body);
                default:
                    return false;
            }
        }

#pragma warning disable RS1030 // Asked only for would-be findings: the body of the one method given by name.
        private static IOperation? BodyOf(IMethodSymbol method, IOperation reference)
        {
            if (method.DeclaringSyntaxReferences.Length != 1 || reference.SemanticModel?.Compilation is not { } compilation)
            {
                return null;
            }

            var declaration = method.DeclaringSyntaxReferences[0].GetSyntax();
            return compilation.GetSemanticModel(declaration.SyntaxTree).GetOperation(declaration) switch
            {
                IMethodBodyOperation body => (IOperation?)body.BlockBody ?? body.ExpressionBody,
                ILocalFunctionOperation local => local.Body,
                _ => null,
            };
        }
#pragma warning restore RS1030

        private bool AllReturnsAreFinished(IOperation? body)
        {
            if (body is null)
            {
                return false;
            }

            var returns = 0;
            foreach (var operation in body.Descendants())
            {
                if (operation is IReturnOperation && AsyncContext.IsInNestedFunction(operation, body))
                {
                    continue; // a nested function's returns are not this delegate's
                }

                if (operation is IReturnOperation { ReturnedValue: { } returned })
                {
                    returns++;
                    if (!KnownCompleteTasks.IsFinishedTaskValue(returned, _symbols))
                    {
                        return false;
                    }
                }
            }

            return returns > 0;
        }

        // `.Unwrap()`, `await await`, or a Task<Task> kept in a variable or field for later.
        private bool IsUnwrappedOrKept(IOperation call)
        {
            var parent = call.Parent;
            var asPlainTask = false;
            while (parent is IParenthesizedOperation or IConversionOperation or IArgumentOperation { ArgumentKind: ArgumentKind.Explicit, Parent: IInvocationOperation { TargetMethod.IsExtensionMethod: true } })
            {
                asPlainTask |= parent is IConversionOperation conversion && SymbolEqualityComparer.Default.Equals(conversion.Type, _symbols.Task);
                parent = parent.Parent;
            }

            switch (parent)
            {
                case IInvocationOperation { TargetMethod.Name: "Unwrap" }:
                    return true;
                case IAwaitOperation await when IsAwaited(await):
                    return true;
                case IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure
                    when configure.Parent is IAwaitOperation inner && IsAwaited(inner) || IsDropped(configure.Parent):
                    return true;
                case var dropped when IsDropped(dropped):
                    // Nobody waits for it: a dropped Task<Task> loses nothing a dropped Task would not
                    // (TW4002 reports the statement; `_ =` says fire-and-forget on purpose).
                    return true;
                case IVariableInitializerOperation or ISimpleAssignmentOperation:
                    // Kept as a Task<Task> (var, or declared so): whoever uses it may unwrap it. Stored
                    // as a plain Task (`_pump = Task.Factory.StartNew(() => PumpAsync(), …)`, found
                    // dogfooding log4net), the inner task is out of reach: whoever waits for the field
                    // waits for the start only.
                    return !asPlainTask;
                case var waited when InnerTaskOf(waited) is { } inner && IsUsed(inner):
                    // `var task = factory.StartNew(() => { …; return _task; }).GetAwaiter().GetResult();`
                    // then `task.GetAwaiter().GetResult()` (Cassandra's timer): the outer task is waited
                    // for and the inner one it yields is kept, so it is unwrapped by hand.
                    return true;
                default:
                    return false;
            }
        }

        // `await await …` and `await (await ….ConfigureAwait(false)).ConfigureAwait(false)` (dotnet/diagnostics'
        // event pipe processor): the inner task the first await yields is awaited too.
        private static bool IsAwaited(IOperation value)
            => value.Parent is IAwaitOperation
               || value.Parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Parent: IAwaitOperation } configure && configure.Instance == value;

        // The inner task the outer one yields when it is awaited, read with `.Result`, or waited with
        // `GetAwaiter().GetResult()`.
        private static IOperation? InnerTaskOf(IOperation? waited) => waited switch
        {
            IAwaitOperation await => await,
            IPropertyReferenceOperation { Property.Name: "Result" } result => result,
            IInvocationOperation { TargetMethod.Name: "GetAwaiter", Parent: IInvocationOperation { TargetMethod.Name: "GetResult" } getResult } => getResult,
            _ => null,
        };

        private static bool IsUsed(IOperation value)
        {
            var parent = value.Parent;
            while (parent is IParenthesizedOperation or IConversionOperation)
            {
                parent = parent.Parent;
            }

            return parent is not null && !IsDropped(parent);
        }

        private static bool IsDropped(IOperation? parent)
            => parent is IExpressionStatementOperation or ISimpleAssignmentOperation { Target: IDiscardOperation };
    }
}
