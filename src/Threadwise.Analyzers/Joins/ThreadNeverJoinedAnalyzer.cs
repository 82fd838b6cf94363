using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>TW4001: a local foreground thread is started and never joined, and does not escape.</summary>
public sealed class ThreadNeverJoinedAnalyzer : ThreadwiseAnalyzer
{
    public ThreadNeverJoinedAnalyzer()
        : base(Descriptors.TW4001ThreadNeverJoined)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var thread = KnownSymbols.For(context.Compilation).Thread;
        if (thread is null)
        {
            return;
        }

        var analyzer = new Context(thread);
        context.RegisterOperationAction(analyzer.AnalyzeInvocation, OperationKind.Invocation);
    }

    private sealed class Context
    {
        private readonly INamedTypeSymbol _thread;

        public Context(INamedTypeSymbol thread) => _thread = thread;

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (invocation.TargetMethod.Name != nameof(System.Threading.Thread.Start)
                || !SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, _thread))
            {
                return;
            }

            // `new Thread(Work).Start()`: nobody holds the thread, so nobody can join it.
            if (invocation.Instance is IObjectCreationOperation started)
            {
                if (SymbolEqualityComparer.Default.Equals(started.Type, _thread) && !SetsIsBackground(started.Initializer)
                    && IsAMistake(started, resultsReadAfter: null, context.CancellationToken))
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.TW4001ThreadNeverJoined, invocation.Syntax.GetLocation(), "new Thread(" + WorkName(started) + ")"));
                }

                return;
            }

            if (invocation.Instance is not ILocalReferenceOperation { Local: { } local }
                || LocalDeclarations.GetInitializer(local, invocation) is not { } declaration
                || declaration.Value is not IObjectCreationOperation creation
                || !SymbolEqualityComparer.Default.Equals(creation.Type, _thread)
                || SetsIsBackground(creation.Initializer))
            {
                return;
            }

            var firstStart = default(IOperation);
            var collected = false;
            foreach (var reference in LocalReferences.Collect(declaration.Body, local))
            {
                switch (reference.Use)
                {
                    case LocalUse.Escapes when IsAddedToLocalList(reference.Reference, declaration.Body):
                        collected = true;
                        break;
                    case LocalUse.MethodCall when reference.Member!.Name == nameof(System.Threading.Thread.Join):
                        return;
                    case LocalUse.MethodCall when reference.Member!.Name == nameof(System.Threading.Thread.Start):
                        firstStart ??= reference.Reference.Parent;
                        break;
                    case LocalUse.MethodCall or LocalUse.MemberRead:
                        break;
                    case LocalUse.MemberWrite when reference.Member is IPropertySymbol { Name: "IsBackground" }:
                        if (reference.AssignedValue?.ConstantValue is not { HasValue: true, Value: false })
                        {
                            return;
                        }

                        break;
                    case LocalUse.MemberWrite:
                        break;
                    default:
                        // Stored, returned, passed on, captured, reassigned: someone else may join it.
                        return;
                }
            }

            // Collected into a local list: joined if the method joins any thread (`foreach (var t in threads) t.Join()`).
            if (collected && JoinsAnyThread(Root(declaration.Body)))
            {
                return;
            }

            // Report once per thread, at its first Start().
            if (firstStart == invocation && (collected || IsAMistake(creation, invocation, context.CancellationToken)))
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.TW4001ThreadNeverJoined, invocation.Syntax.GetLocation(), local.Name));
            }
        }

        // A worker loop (or work that cannot be read) keeps the process alive until someone stops it.
        // Finite work started once is fire-and-forget by design (a request handed to a thread of its
        // own, a one-off background flush): the process still waits for it at exit, and joining it
        // would make the starter wait. It is a mistake when the threads fan out over a collection or
        // a count (the join was forgotten), or when the starter reads what the thread computes.
        private static bool IsAMistake(IObjectCreationOperation creation, IOperation? resultsReadAfter, System.Threading.CancellationToken cancellationToken)
        {
            if (creation.Syntax is not BaseObjectCreationExpressionSyntax syntax
                || creation.SemanticModel is not { } model
                || ThreadWork.Of(syntax, model, cancellationToken) is ThreadWorkKind.Loops or ThreadWorkKind.Unknown)
            {
                return true;
            }

            return IsFannedOut(creation) || (resultsReadAfter is not null && ThreadWork.FirstResultRead(creation, resultsReadAfter) is not null);
        }

        // The innermost loop around the creation, within its function: a counted for or a foreach over a collection.
        private static bool IsFannedOut(IOperation creation)
        {
            for (var operation = creation.Parent; operation is not null; operation = operation.Parent)
            {
                switch (operation)
                {
                    case IAnonymousFunctionOperation or ILocalFunctionOperation:
                        return false;
                    case IForLoopOperation { Condition: not null }:
                        return true;
                    case IForEachLoopOperation loop:
                        return loop.Syntax is not StatementSyntax statement || !ThreadWork.IsConsumingForEach(statement);
                    case ILoopOperation:
                        return false; // a while/do dispatch loop hands each request its own thread
                }
            }

            return false;
        }

        // `threads.Add(t)` on a List<Thread> local declared in this function that itself stays here:
        // only added to, counted, indexed or looped over, never stored, passed on, returned or captured.
        private bool IsAddedToLocalList(ILocalReferenceOperation reference, IOperation body)
        {
            if (reference.Parent is not IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "Add", Instance: ILocalReferenceOperation { Local: { } list } } add }
                || list.Type is not INamedTypeSymbol { TypeArguments: { Length: 1 } arguments }
                || !SymbolEqualityComparer.Default.Equals(arguments[0], _thread)
                || LocalDeclarations.GetInitializer(list, add) is not { Value: IObjectCreationOperation } listDeclaration)
            {
                return false;
            }

            foreach (var use in LocalReferences.Collect(listDeclaration.Body, list))
            {
                var staysHere = use.Use is LocalUse.MethodCall or LocalUse.MemberRead
                                || (use.Use == LocalUse.Escapes && use.Reference.Parent is IForEachLoopOperation);
                if (!staysHere)
                {
                    return false;
                }
            }

            return true;
        }

        private static IOperation Root(IOperation operation)
        {
            while (operation.Parent is { } parent)
            {
                operation = parent;
            }

            return operation;
        }

        private bool JoinsAnyThread(IOperation root)
        {
            foreach (var operation in root.Descendants())
            {
                if (operation is IInvocationOperation { TargetMethod: { Name: nameof(System.Threading.Thread.Join) } join }
                    && SymbolEqualityComparer.Default.Equals(join.ContainingType, _thread))
                {
                    return true;
                }
            }

            return false;
        }

        // The work's name for the message: the method group, else "...".
        private static string WorkName(IObjectCreationOperation creation)
            => creation.Arguments.Length > 0 && creation.Arguments[0].Value.WithoutConversions() is IDelegateCreationOperation { Target: IMethodReferenceOperation reference }
                ? reference.Method.Name
                : "...";

        private static bool SetsIsBackground(IObjectOrCollectionInitializerOperation? initializer)
        {
            if (initializer is null)
            {
                return false;
            }

            foreach (var member in initializer.Initializers)
            {
                if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "IsBackground" }, Value: var value }
                    && value.ConstantValue is not { HasValue: true, Value: false })
                {
                    return true;
                }
            }

            return false;
        }
    }
}
