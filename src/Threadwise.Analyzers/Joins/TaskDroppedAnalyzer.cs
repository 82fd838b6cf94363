using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>TW4002: a call that returns a task (or another awaitable) is used as a statement.</summary>
public sealed class TaskDroppedAnalyzer : ThreadwiseAnalyzer
{
    public TaskDroppedAnalyzer()
        : base(Descriptors.TW4002TaskDropped)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var symbols = KnownSymbols.For(context.Compilation);
        if (symbols.Task is null)
        {
            return;
        }

        var analyzer = new Context(symbols, context.Compilation.GetTypeByMetadataName("System.Exception"));
        context.RegisterOperationAction(analyzer.AnalyzeStatement, OperationKind.ExpressionStatement);
    }

    private sealed class Context
    {
        private readonly KnownSymbols _symbols;
        private readonly INamedTypeSymbol? _exception;
        private List<INamedTypeSymbol>? _sourceTypes;

        public Context(KnownSymbols symbols, INamedTypeSymbol? exception)
        {
            _symbols = symbols;
            _exception = exception;
        }

        public void AnalyzeStatement(OperationAnalysisContext context)
        {
            var statement = (IExpressionStatementOperation)context.Operation;
            var expression = statement.Operation;
            if (expression is IConditionalAccessOperation conditional)
            {
                expression = conditional.WhenNotNull;
            }

            // `Task.Run(StartPingAsync).ConfigureAwait(false);` drops what `Task.Run` returns: the call
            // inside is judged (an offload from synchronous code is not reported, found dogfooding
            // socket.io-client-csharp) and named.
            if (expression is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: IInvocationOperation configured } outer
                && outer.Instance.Type is { } configuredType && _symbols.IsTaskType(configuredType))
            {
                expression = configured;
            }

            if (expression is not IInvocationOperation invocation
                || invocation.Type is not { SpecialType: not SpecialType.System_Void } type
                || !IsAwaitable(type)
                || ReturnsStoredTask(invocation.TargetMethod)
                || FireAndForget.IsRequested(invocation)
                || CompletionSources.IsCompletionHandOff(invocation, _symbols)
                || IsOffloadFromSynchronousCode(invocation, context.ContainingSymbol)
                || IsTeardownFromSynchronousCode(invocation, context.ContainingSymbol)
                || FireAndForget.IsForgettingHelper(AsyncContext.GetEnclosingFunction(invocation, context.ContainingSymbol))
                || CompletionSources.ReportsThroughHandedSource(invocation, _symbols)
                || SyncAsyncBranches.AsksForTheSynchronousPath(invocation)
                || CompleteForArguments.ReturnsACompleteTask(invocation)
                || DeferredBatches.IsQueuedBeforeExecute(invocation)
                || ReturnsItsOwnArgument(invocation.TargetMethod)
                || PassesBackAHeldValue(invocation)
                || ReturnsATaskItKeeps(invocation.TargetMethod, MaxKeptTaskDepth)
                || ReturnsAContinuation(invocation.TargetMethod)
                || IsContinuationCombinator(invocation.TargetMethod)
                || HandsAnErrorCallback(invocation)
                || ReturnsACallWithAnErrorCallback(invocation.TargetMethod, context.Compilation, context.CancellationToken)
                || statement.Syntax.ContainsDiagnostics
                || CompletionSources.IsCompletionHandOffHelper(invocation, context.Compilation, _symbols, context.CancellationToken)
                || StartsAServiceLoopFromSynchronousCode(invocation, context)
                || NotifiesFromSynchronousCode(invocation, context)
                || DeferredBatches.IsQueuedOnABatchExecutedElsewhere(invocation, context.Compilation, context.CancellationToken)
                || statement.IsInExpressionTree(_symbols))
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.TW4002TaskDropped,
                statement.Operation.Syntax.GetLocation(),
                type.Name,
                invocation.Syntax is InvocationExpressionSyntax { Expression: var callee } && CallNames.Written(callee) is { } written
                    ? written
                    : invocation.TargetMethod.Name));
        }

        // `Task.Run(Execute);` in a constructor, `Task.Factory.StartNew(loop, LongRunning)` in Start():
        // synchronous code that hands work to the pool has nothing to await, and the call says "run
        // this in the background" as plainly as `_ =` would (on 35 libraries every such statement was
        // a deliberate worker start or offload). In async code it may be a forgotten await: reported.
        private bool IsOffloadFromSynchronousCode(IInvocationOperation invocation, ISymbol containingSymbol)
        {
            // `Task.Factory.StartNew(DispatchLoop, …).Unwrap();` in a constructor (Hangfire's dispatcher):
            // the unwrapped task stands for the same background work.
            if (invocation is { TargetMethod: { Name: "Unwrap", IsExtensionMethod: true }, Arguments.Length: 1 }
                && invocation.Arguments[0].Value.WithoutConversions() is IInvocationOperation started)
            {
                invocation = started;
            }

            var method = invocation.TargetMethod;
            var isOffload = method.Name switch
            {
                "Run" => SymbolEqualityComparer.Default.Equals(method.ContainingType, _symbols.Task),
                "StartNew" => SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, _symbols.TaskFactory)
                              || SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, _symbols.TaskFactoryOfT),
                _ => false,
            };
            return isOffload && AsyncContext.GetEnclosingFunction(invocation, containingSymbol) is { IsAsync: false };
        }

        // `ctx.CloseAsync();` in a synchronous channel handler, `FinalTerminate();` in `Abort()`: teardown
        // started from code that cannot await, where the object reports its own failures and the caller
        // could do nothing with a failed close. On DotNetty and Akka.NET maintainers left all such drops as
        // they are. Inside a `try` with a `catch` the code evidently wants the failure, which the task
        // carries past the catch: reported.
        private static bool IsTeardownFromSynchronousCode(IInvocationOperation invocation, ISymbol containingSymbol)
            => NamesTeardown(invocation.TargetMethod.Name)
               && AsyncContext.GetEnclosingFunction(invocation, containingSymbol) is { IsAsync: false }
               && !IsInATryThatCatches(invocation);

        // `OnAsyncAccept();` in a synchronous `Start()`, where `async Task OnAsyncAccept() { while (true) {
        // … await Socket.AcceptAsync() … } }` (BeetleX's listener): synchronous code starting a service loop
        // of its own type, as plainly as `Task.Run(loop)` would. Not inside a try that catches.
        private bool StartsAServiceLoopFromSynchronousCode(IInvocationOperation invocation, OperationAnalysisContext context)
            => AsyncContext.GetEnclosingFunction(invocation, context.ContainingSymbol) is { IsAsync: false }
               && !IsInATryThatCatches(invocation)
               && ServiceLoops.IsAServiceLoop(invocation.TargetMethod.OriginalDefinition, context.Compilation, _symbols.BlockingCollectionOfT, context.CancellationToken);

        private static readonly string[] TeardownVerbs = { "Close", "Shutdown", "Stop", "Disconnect", "Dispose", "Deregister", "Unregister", "Abort", "Terminate" };

        // The verb as a whole word of the name: `CloseAsync`, `ShutdownGracefullyAsync`, `FinalTerminate`,
        // `ForceDisconnect`; not `Closed…`, `Stopwatch…`, `Disposable…`.
        private static bool NamesTeardown(string name)
        {
            foreach (var verb in TeardownVerbs)
            {
                if (CallNames.HasWholeWord(name, verb))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsInATryThatCatches(IOperation operation)
        {
            for (IOperation? child = operation, parent = operation.Parent; parent is not null; child = parent, parent = parent.Parent)
            {
                switch (parent)
                {
                    case IAnonymousFunctionOperation or ILocalFunctionOperation:
                        return false;
                    case ITryOperation @try when @try.Body == child && !@try.Catches.IsEmpty:
                        return true;
                }
            }

            return false;
        }

        // Task, Task<T>, ValueTask, ValueTask<T>, or a type with an instance GetAwaiter() whose awaiter
        // implements INotifyCompletion (a builder or query type with a GetAwaiter of another shape is
        // not something to await).
        private bool IsAwaitable(ITypeSymbol type)
        {
            if (_symbols.IsTaskType(type))
            {
                return true;
            }

            // MemberNames first: a metadata type's names are read without creating every member
            // symbol (StringBuilder, List<T>: most statements' results are no awaitable).
            if (_symbols.INotifyCompletion is not { } notifyCompletion
                || type is not INamedTypeSymbol named
                || !SymbolFacts.Contains(named.MemberNames, "GetAwaiter"))
            {
                return false;
            }

            foreach (var member in type.GetMembers("GetAwaiter"))
            {
                if (member is IMethodSymbol { IsStatic: false, Parameters.Length: 0, ReturnsVoid: false } getAwaiter
                    && (SymbolEqualityComparer.Default.Equals(getAwaiter.ReturnType.OriginalDefinition, notifyCompletion)
                        || SymbolFacts.Implements(getAwaiter.ReturnType, notifyCompletion)))
                {
                    return true;
                }
            }

            return false;
        }

        // `task.ObserveErrors();` where ObserveErrors attaches a continuation and returns `task`: the
        // caller already holds the task it "drops", and handed it to a method that took charge of it.
        // Known only for methods declared in source whose every return hands back one parameter.
        private static bool ReturnsItsOwnArgument(IMethodSymbol method)
        {
            var declared = (method.ReducedFrom ?? method).OriginalDefinition;
            if (declared.Parameters.IsEmpty || declared.DeclaringSyntaxReferences.Length != 1
                || declared.DeclaringSyntaxReferences[0].GetSyntax() is not MethodDeclarationSyntax declaration)
            {
                return false;
            }

            if (declaration.ExpressionBody is { } arrow)
            {
                return ParameterNamed(declared, arrow.Expression) is not null;
            }

            IParameterSymbol? returned = null;
            foreach (var node in declaration.Body?.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)) ?? System.Linq.Enumerable.Empty<SyntaxNode>())
            {
                if (node is not ReturnStatementSyntax { Expression: var expression })
                {
                    continue;
                }

                if (ParameterNamed(declared, expression) is not { } parameter
                    || (returned is not null && !SymbolEqualityComparer.Default.Equals(returned, parameter)))
                {
                    return false;
                }

                returned = parameter;
            }

            return returned is not null && !IsAssignedIn(declaration.Body!, returned.Name);
        }

        private const int MaxKeptTaskDepth = 3;

        // `Task Halt() { …; return _haltTask; }`: a lifecycle method that hands out a task its object
        // keeps in a field (or the Task of a completion source field) loses nothing when the caller
        // drops it: the object still holds it and hands the same task to whoever asks. Known only
        // for non-virtual methods declared once in source; a call to another such method counts.
        private bool ReturnsATaskItKeeps(IMethodSymbol method, int depth)
        {
            var declared = method.OriginalDefinition;
            if (depth == 0 || declared.ContainingType is not { } type
                || ReturnedExpressions(declared) is not { } returned
                || returned.Declaration is not MethodDeclarationSyntax declaration)
            {
                return false;
            }

            foreach (var expression in returned.Expressions)
            {
                if (!IsKeptTask(declared, type, expression, declaration, depth))
                {
                    return false;
                }
            }

            return true;
        }

        // `static Task ContinueWithState(this Task task, …) => task.ContinueWith(…);` (Rx): a helper whose
        // every return is a ContinueWith call registers a continuation like ContinueWith itself.
        private static bool ReturnsAContinuation(IMethodSymbol method)
        {
            if (ReturnedExpressions((method.ReducedFrom ?? method).OriginalDefinition) is not { } returned)
            {
                return false;
            }

            foreach (var expression in returned.Expressions)
            {
                if (expression is not InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ContinueWith" } })
                {
                    return false;
                }
            }

            return true;
        }

        // `TaskAsyncHelper.Delay(d).Then(() => Reconnect())`, `next.Finally(OnAfterPoll, state)` (SignalR's
        // client): an extension of your source on a task that takes the code to run after it is a
        // continuation combinator, registered for its effect like ContinueWith.
        private bool IsContinuationCombinator(IMethodSymbol method)
        {
            var definition = (method.ReducedFrom ?? method).OriginalDefinition;
            if (!definition.IsExtensionMethod
                || definition.Parameters.Length < 2
                || !_symbols.IsTaskType(definition.Parameters[0].Type.OriginalDefinition)
                || definition.Locations.Length == 0 || !definition.Locations[0].IsInSource)
            {
                return false;
            }

            for (var i = 1; i < definition.Parameters.Length; i++)
            {
                if (definition.Parameters[i].Type.TypeKind == TypeKind.Delegate)
                {
                    return true;
                }
            }

            return false;
        }

        // `socket.Receive(buffer, r => …, e => OnError(e));` (Fleck): a callback-style API that also
        // returns its task. The failure goes to the callback the call hands over (a delegate parameter
        // that takes an exception), so dropping the task loses nothing; the caller chose callbacks.
        private bool HandsAnErrorCallback(IInvocationOperation invocation)
        {
            if (_exception is null)
            {
                return false;
            }

            foreach (var argument in invocation.Arguments)
            {
                if (argument.ArgumentKind != ArgumentKind.DefaultValue
                    && argument.Parameter?.Type is INamedTypeSymbol { TypeKind: TypeKind.Delegate, DelegateInvokeMethod: { } invoke }
                    && TakesAnException(invoke)
                    && argument.Value.WithoutConversions() is not { ConstantValue: { HasValue: true, Value: null } })
                {
                    return true;
                }
            }

            return false;
        }

        private bool TakesAnException(IMethodSymbol invoke)
        {
            foreach (var parameter in invoke.Parameters)
            {
                if (KnownSymbols.IsOrDerivesFrom(parameter.Type, _exception))
                {
                    return true;
                }
            }

            return false;
        }

        // `Task SendBytes(byte[] bytes, Action done = null) => Socket.Send(bytes, …, e => Close(e));`:
        // a helper declared in source whose every return is such a call reports its failures the same way.
        // Its return expressions are bound only when a dropped call of it would otherwise be reported.
#pragma warning disable RS1030 // The helper is usually in another tree; bound only on this rare path.
        private bool ReturnsACallWithAnErrorCallback(IMethodSymbol method, Compilation compilation, System.Threading.CancellationToken cancellationToken)
        {
            if (_exception is null || ReturnedExpressions((method.ReducedFrom ?? method).OriginalDefinition) is not { } returned)
            {
                return false;
            }

            foreach (var expression in returned.Expressions)
            {
                if (expression is not InvocationExpressionSyntax call
                    || compilation.GetSemanticModel(call.SyntaxTree).GetOperation(call, cancellationToken) is not IInvocationOperation invocation
                    || !HandsAnErrorCallback(invocation))
                {
                    return false;
                }
            }

            return true;
        }
#pragma warning restore RS1030

        // `_globalEvents.FireMessageProduceStartedAsync(ctx);` in a synchronous `Produce`, where the event's
        // FireAsync returns `Task.WhenAll(handlers.Select(h => ProcessHandler(h, arg)))` and ProcessHandler
        // returns the handler's task `.ContinueWith(t => log)` or `Task.CompletedTask` from its catch
        // (KafkaFlow): a task that cannot fault has no exception to lose (a surrounding catch wants none
        // from it), and synchronous code has nothing to wait with. In async code it may still be a
        // forgotten await: reported.
        private bool NotifiesFromSynchronousCode(IInvocationOperation invocation, OperationAnalysisContext context)
            => AsyncContext.GetEnclosingFunction(invocation, context.ContainingSymbol) is { IsAsync: false }
               && CannotFault(invocation.TargetMethod, context.Compilation, depth: 0, context.CancellationToken, exact: !invocation.IsVirtual);

        private const int MaxUnfaultingDepth = 4;

#pragma warning disable RS1030 // Callees live in other trees; asked only for would-be findings.
        // Every `return` of the method gives a task that cannot fault: a `ContinueWith(…)`, `Task.CompletedTask`,
        // `Task.FromResult(…)`, a call of another such method of the project, or `Task.WhenAll` over such calls
        // (`Task.WhenAll(xs.Select(x => Such(x)))` too).
        // `exact`: the call runs this very body (`base.InitializeAsync()`, DotnetSpider's storages), not
        // whatever override the object has.
        private bool CannotFault(IMethodSymbol method, Compilation compilation, int depth, System.Threading.CancellationToken cancellationToken, bool exact = false)
        {
            var called = (method.ReducedFrom ?? method).OriginalDefinition;
            if ((called.IsAbstract || called.IsVirtual) && !called.IsOverride && !(exact && !called.IsAbstract))
            {
                return depth <= MaxUnfaultingDepth && EveryImplementationCannotFault(called, compilation, depth, cancellationToken);
            }

            // `async Task Notify() { try { await … } catch (Exception e) { Log(e); } }`: every failure is
            // caught inside, so its task completes either way.
            if (method.IsAsync)
            {
                var declared = (method.ReducedFrom ?? method).OriginalDefinition;
                return (exact ? !declared.IsAbstract : !declared.IsVirtual && !declared.IsAbstract && !declared.IsOverride)
                       && SymbolEqualityComparer.Default.Equals(declared.ContainingAssembly, compilation.Assembly)
                       && AsyncVoidMethods.IsWhollyGuarded(declared, compilation);
            }

            if (depth > MaxUnfaultingDepth || ReturnedExpressions((method.ReducedFrom ?? method).OriginalDefinition, anyImplementation: exact) is not { } returned)
            {
                return false;
            }

            // A stub that only ever returns a finished task stands for work to come: not "cannot fault".
            // A method that works synchronously before it does is synchronous code behind a task-shaped
            // signature (`AddCustomHeaders(request, headers)`, Azure IoT's HTTP helper): its failures are
            // thrown at the call, and its task always completes.
            var doesWork = DoesSynchronousWork(returned.Declaration);
            foreach (var expression in returned.Expressions)
            {
                if (expression is null || !IsUnfaulting(expression, compilation, depth, cancellationToken))
                {
                    return false;
                }

                doesWork |= !IsFinishedTask(expression);
            }

            return doesWork;
        }

        // `protected abstract Task HandleMessageReceived(…)` of an internal class (Mono.Nat's searchers): other
        // assemblies cannot derive from it, so every implementation is in this compilation. The call cannot
        // fault when none can — an async one wholly guarded, another returning only tasks that cannot fault
        // (`Task.CompletedTask` included) — and at least one of them does work.
        private bool EveryImplementationCannotFault(IMethodSymbol called, Compilation compilation, int depth, System.Threading.CancellationToken cancellationToken)
        {
            if (called.ContainingType is not { } type
                || !SymbolEqualityComparer.Default.Equals(called.ContainingAssembly, compilation.Assembly)
                || SymbolFacts.IsVisibleOutsideAssembly(type))
            {
                return false;
            }

            var doesWork = false;
            foreach (var implementation in Implementations(called, compilation))
            {
                if (implementation.IsAsync)
                {
                    if (!AsyncVoidMethods.IsWhollyGuarded(implementation, compilation))
                    {
                        return false;
                    }

                    doesWork = true;
                    continue;
                }

                if (ReturnedExpressions(implementation, anyImplementation: true) is not { } returned)
                {
                    return false;
                }

                doesWork |= DoesSynchronousWork(returned.Declaration);
                foreach (var expression in returned.Expressions)
                {
                    if (expression is null || !IsUnfaulting(expression, compilation, depth, cancellationToken))
                    {
                        return false;
                    }

                    doesWork |= !IsFinishedTask(expression);
                }
            }

            return doesWork;
        }

        // The method itself unless abstract, and every override of it in the compilation's types — or, for a
        // member of an interface, every type's implementation of it (Mono.Nat calls its internal ISearcher).
        private List<IMethodSymbol> Implementations(IMethodSymbol called, Compilation compilation)
        {
            var implementations = new List<IMethodSymbol>();
            if (!called.IsAbstract)
            {
                implementations.Add(called);
            }

            foreach (var candidate in SourceTypes(compilation))
            {
                if (called.ContainingType.TypeKind == TypeKind.Interface)
                {
                    if (candidate.TypeKind != TypeKind.Interface
                        && candidate.FindImplementationForInterfaceMember(called) is IMethodSymbol implementation
                        && !System.Linq.Enumerable.Contains(implementations, implementation.OriginalDefinition, SymbolEqualityComparer.Default))
                    {
                        implementations.Add(implementation.OriginalDefinition);
                    }

                    continue;
                }

                foreach (var member in candidate.GetMembers(called.Name))
                {
                    for (var overridden = (member as IMethodSymbol)?.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
                    {
                        if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, called))
                        {
                            implementations.Add(((IMethodSymbol)member).OriginalDefinition);
                            break;
                        }
                    }
                }
            }

            return implementations;
        }

        // Every type declared in the compilation, listed once (only when a would-be finding asks).
        private List<INamedTypeSymbol> SourceTypes(Compilation compilation)
        {
            if (System.Threading.Volatile.Read(ref _sourceTypes) is { } known)
            {
                return known;
            }

            var types = new List<INamedTypeSymbol>();
            var pending = new Stack<INamespaceOrTypeSymbol>();
            pending.Push(compilation.Assembly.GlobalNamespace);
            while (pending.Count > 0)
            {
                foreach (var member in pending.Pop().GetMembers())
                {
                    if (member is INamedTypeSymbol nested)
                    {
                        types.Add(nested);
                        pending.Push(nested);
                    }
                    else if (member is INamespaceSymbol space)
                    {
                        pending.Push(space);
                    }
                }
            }

            return System.Threading.Interlocked.CompareExchange(ref _sourceTypes, types, null) ?? types;
        }

        private static bool IsFinishedTask(ExpressionSyntax expression)
            => expression is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CompletedTask" }
                   or InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "FromResult" } };

        private bool IsUnfaulting(ExpressionSyntax expression, Compilation compilation, int depth, System.Threading.CancellationToken cancellationToken)
        {
            switch (expression)
            {
                case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ContinueWith" } }:
                    return true;
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CompletedTask" }:
                case InvocationExpressionSyntax:
                    break;
                default:
                    return false;
            }

            var operation = compilation.GetSemanticModel(expression.SyntaxTree).GetOperation(expression, cancellationToken)?.WithoutConversions();
            switch (operation)
            {
                case IPropertyReferenceOperation { Property: { Name: "CompletedTask", IsStatic: true } completed }:
                    return SymbolEqualityComparer.Default.Equals(completed.ContainingType, _symbols.Task);
                case IFieldReferenceOperation { Field: { IsStatic: true, IsReadOnly: true } field }:
                    return HoldsAFinishedTask(field, compilation, cancellationToken);
                case IInvocationOperation { TargetMethod: { Name: "FromResult", IsStatic: true } fromResult }
                    when SymbolEqualityComparer.Default.Equals(fromResult.ContainingType, _symbols.Task):
                    return true;
                case IInvocationOperation { TargetMethod: { Name: "WhenAll", IsStatic: true } whenAll } all
                    when SymbolEqualityComparer.Default.Equals(whenAll.ContainingType, _symbols.Task):
                    return all.Arguments.Length == 1 && ProjectsUnfaultingCalls(all.Arguments[0].Value, compilation, depth, cancellationToken);
                case IInvocationOperation { TargetMethod: { Name: "Run", IsStatic: true } run, Arguments.Length: 1 } offload
                    when SymbolEqualityComparer.Default.Equals(run.ContainingType, _symbols.Task):
                    return OffloadsUnfaultingWork(offload.Arguments[0].Value, compilation, depth, cancellationToken);
                case IInvocationOperation { TargetMethod: var callee }
                    when SymbolEqualityComparer.Default.Equals(callee.ContainingAssembly, compilation.Assembly):
                    return CannotFault(callee, compilation, depth + 1, cancellationToken);
                default:
                    return false;
            }
        }

        // `static readonly Task CompletedTask = Task.FromResult(false);` (Azure IoT's TaskHelpers, a shim from
        // before Task.CompletedTask): a field of this compilation that holds a finished task.
        private bool HoldsAFinishedTask(IFieldSymbol field, Compilation compilation, System.Threading.CancellationToken cancellationToken)
        {
            if (field.DeclaringSyntaxReferences.Length != 1
                || field.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer.Value: { } value })
            {
                return false;
            }

            return compilation.GetSemanticModel(value.SyntaxTree).GetOperation(value, cancellationToken)?.WithoutConversions() switch
            {
                IPropertyReferenceOperation { Property: { Name: "CompletedTask", IsStatic: true } completed } => SymbolEqualityComparer.Default.Equals(completed.ContainingType, _symbols.Task),
                IInvocationOperation { TargetMethod: { Name: "FromResult", IsStatic: true } fromResult } => SymbolEqualityComparer.Default.Equals(fromResult.ContainingType, _symbols.Task),
                _ => false,
            };
        }

        // Statements besides its returns: the method does its work synchronously, then hands back a task.
        private static bool DoesSynchronousWork(SyntaxNode declaration)
        {
            if (declaration is not MethodDeclarationSyntax { Body: { } body })
            {
                return false;
            }

            foreach (var statement in body.Statements)
            {
                if (statement is not ReturnStatementSyntax)
                {
                    return true;
                }
            }

            return false;
        }

        // `Task.Run(() => ActionUtils.SafeExecute(action))` (Ably's push callbacks): the task `Task.Run` returns for
        // a delegate that returns a task is that task, so it cannot fault when the delegate's task cannot — a
        // lambda that only returns the call of such a method, such a method given by name, or an async lambda
        // wholly guarded by a catch-all. A synchronous delegate (`Task.Run(() => Save())`) can throw: not so.
        private bool OffloadsUnfaultingWork(IOperation work, Compilation compilation, int depth, System.Threading.CancellationToken cancellationToken)
        {
            if (work.WithoutConversions() is not IDelegateCreationOperation { Type: INamedTypeSymbol { DelegateInvokeMethod.ReturnType: var returned }, Target: var target }
                || !_symbols.IsTaskType(returned))
            {
                return false;
            }

            switch (target)
            {
                case IMethodReferenceOperation { Method: var method }
                    when SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly):
                    return CannotFault(method, compilation, depth + 1, cancellationToken);
                case IAnonymousFunctionOperation { Symbol.IsAsync: true, Syntax: AnonymousFunctionExpressionSyntax { Block: { } block } }:
                    return AsyncVoidMethods.IsWhollyGuarded(block, compilation);
                case IAnonymousFunctionOperation { Symbol.IsAsync: false, Body.Operations: { Length: 1 } body }
                    when body[0] is IReturnOperation { ReturnedValue: { } value }
                         && value.WithoutConversions() is IInvocationOperation { TargetMethod: var callee }
                         && SymbolEqualityComparer.Default.Equals(callee.ContainingAssembly, compilation.Assembly):
                    return CannotFault(callee, compilation, depth + 1, cancellationToken);
                default:
                    return false;
            }
        }

        // `handlers.Select(h => ProcessHandler(h, arg))`, also with `.ToList()`/`.ToArray()` after it.
        private bool ProjectsUnfaultingCalls(IOperation tasks, Compilation compilation, int depth, System.Threading.CancellationToken cancellationToken)
        {
            var value = tasks.WithoutConversions();
            if (value is IInvocationOperation { TargetMethod.Name: "ToList" or "ToArray", Arguments.Length: 1 } materialized)
            {
                value = materialized.Arguments[0].Value.WithoutConversions();
            }

            return value is IInvocationOperation { TargetMethod.Name: "Select", Arguments.Length: 2 } select
                   && select.Arguments[1].Value.WithoutConversions() is IDelegateCreationOperation { Target: IAnonymousFunctionOperation { Body.Operations: { Length: 1 } body } }
                   && body[0] is IReturnOperation { ReturnedValue: { } returned }
                   && returned.WithoutConversions() is IInvocationOperation { TargetMethod: var projected }
                   && SymbolEqualityComparer.Default.Equals(projected.ContainingAssembly, compilation.Assembly)
                   && CannotFault(projected, compilation, depth + 1, cancellationToken);
        }
#pragma warning restore RS1030

        // What a non-virtual method declared once in source returns: its expression body, or the value
        // of every `return` outside nested functions (null when it has none or cannot be read).
        private static (SyntaxNode Declaration, List<ExpressionSyntax?> Expressions)? ReturnedExpressions(IMethodSymbol declared)
            => ReturnedExpressions(declared, anyImplementation: false);

        // As above; with `anyImplementation`, also of a virtual method or an override (one implementation
        // of a family the caller has listed whole).
        private static (SyntaxNode Declaration, List<ExpressionSyntax?> Expressions)? ReturnedExpressions(IMethodSymbol declared, bool anyImplementation)
        {
            if ((!anyImplementation && (declared.IsVirtual || declared.IsOverride)) || declared.IsAbstract
                || declared.MethodKind != MethodKind.Ordinary
                || declared.DeclaringSyntaxReferences.Length != 1
                || declared.DeclaringSyntaxReferences[0].GetSyntax() is not MethodDeclarationSyntax declaration)
            {
                return null;
            }

            if (declaration.ExpressionBody is { } arrow)
            {
                return (declaration, new List<ExpressionSyntax?> { arrow.Expression });
            }

            if (declaration.Body is not { } body)
            {
                return null;
            }

            var returns = new List<ExpressionSyntax?>();
            foreach (var node in body.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
            {
                if (node is ReturnStatementSyntax { Expression: var expression })
                {
                    returns.Add(expression);
                }
            }

            return returns.Count > 0 ? (declaration, returns) : null;
        }

        private bool IsKeptTask(IMethodSymbol method, INamedTypeSymbol type, ExpressionSyntax? expression, MethodDeclarationSyntax declaration, int depth)
        {
            switch (expression)
            {
                case ParenthesizedExpressionSyntax parenthesized:
                    return IsKeptTask(method, type, parenthesized.Expression, declaration, depth);
                case ConditionalExpressionSyntax conditional:
                    return IsKeptTask(method, type, conditional.WhenTrue, declaration, depth)
                        && IsKeptTask(method, type, conditional.WhenFalse, declaration, depth);
                case MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: IdentifierNameSyntax name }:
                    return FieldNamed(type, name.Identifier.ValueText) is not null;
                case IdentifierNameSyntax name:
                    return (FieldNamed(type, name.Identifier.ValueText) is not null
                            && !DeclaresName(method, declaration, name.Identifier.ValueText))
                        || IsLocalKeptInAField(method, type, declaration, name.Identifier.ValueText);
                case MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax source, Name.Identifier.ValueText: "Task" }:
                    return (FieldNamed(type, source.Identifier.ValueText) is { } field
                            && CompletionSources.IsCompletionSource(field.Type, _symbols)
                            && !DeclaresName(method, declaration, source.Identifier.ValueText))
                        || IsLocalCopyOfAKeptSource(method, type, declaration, source.Identifier.ValueText);
                case InvocationExpressionSyntax { Expression: IdentifierNameSyntax callee, ArgumentList.Arguments.Count: 0 }:
                    return SingleMethodNamed(type, callee.Identifier.ValueText) is { } helper
                        && ReturnsATaskItKeeps(helper, depth - 1);
                default:
                    return false;
            }
        }

        // `var task = StartWork(); currentWorkCycle = task; task.ContinueWith(…); return task;` (Orleans' BatchWorker.Start):
        // a local set once, where it is declared, and stored in a field of the type by a statement of the method's
        // own body (not a branch of it) hands out the task the object keeps. A local assigned again, passed by
        // `ref`/`out`, or stored only on some paths is not known.
        private static bool IsLocalKeptInAField(IMethodSymbol method, INamedTypeSymbol type, MethodDeclarationSyntax declaration, string name)
        {
            if (declaration.Body is not { } body)
            {
                return false;
            }

            foreach (var parameter in method.Parameters)
            {
                if (parameter.Name == name)
                {
                    return false;
                }
            }

            var declarations = 0;
            foreach (var node in body.DescendantNodes())
            {
                switch (node)
                {
                    case VariableDeclaratorSyntax { Identifier.ValueText: var local } declarator when local == name:
                        if (declarator.Initializer is null || ++declarations > 1)
                        {
                            return false;
                        }

                        break;
                    case SingleVariableDesignationSyntax { Identifier.ValueText: var designated } when designated == name:
                        return false;
                    case AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: var assigned } } when assigned == name:
                        return false;
                    case ArgumentSyntax { RefKindKeyword.RawKind: not 0, Expression: IdentifierNameSyntax { Identifier.ValueText: var passed } } when passed == name:
                        return false;
                }
            }

            if (declarations != 1)
            {
                return false;
            }

            foreach (var statement in body.Statements)
            {
                if (statement is ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Right: IdentifierNameSyntax { Identifier.ValueText: var stored }, Left: var target } assignment }
                    && stored == name
                    && assignment.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.SimpleAssignmentExpression)
                    && target switch
                    {
                        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: IdentifierNameSyntax field } => FieldNamed(type, field.Identifier.ValueText) is not null,
                        IdentifierNameSyntax field => FieldNamed(type, field.Identifier.ValueText) is not null && !DeclaresName(method, declaration, field.Identifier.ValueText),
                        _ => false,
                    })
                {
                    return true;
                }
            }

            return false;
        }

        // `TaskCompletionSource<T>? tcs = null; lock (_sync) { tcs = this.taskCompletionSource; } tcs.TrySetResult(default);
        // return tcs.Task;` (vs-threading's AsyncManualResetEvent.SetAsync): a local that only ever copies a
        // completion-source field of the type hands out the task the object keeps.
        private bool IsLocalCopyOfAKeptSource(IMethodSymbol method, INamedTypeSymbol type, MethodDeclarationSyntax declaration, string name)
        {
            foreach (var parameter in method.Parameters)
            {
                if (parameter.Name == name)
                {
                    return false;
                }
            }

            var copies = 0;
            foreach (var node in declaration.DescendantNodes())
            {
                ExpressionSyntax? value;
                switch (node)
                {
                    case VariableDeclaratorSyntax { Identifier.ValueText: var local } declarator when local == name:
                        value = declarator.Initializer?.Value;
                        break;
                    case AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: var assigned } } assignment when assigned == name:
                        if (!assignment.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.SimpleAssignmentExpression))
                        {
                            return false;
                        }

                        value = assignment.Right;
                        break;
                    case SingleVariableDesignationSyntax { Identifier.ValueText: var designated } when designated == name:
                        return false;
                    default:
                        continue;
                }

                if (value is null or LiteralExpressionSyntax { Token.ValueText: "null" })
                {
                    continue;
                }

                var fieldName = value switch
                {
                    MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: IdentifierNameSyntax member } => member.Identifier.ValueText,
                    IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
                    _ => null,
                };
                if (fieldName is null || FieldNamed(type, fieldName) is not { } field || !CompletionSources.IsCompletionSource(field.Type, _symbols)
                    || (value is IdentifierNameSyntax && DeclaresName(method, declaration, fieldName)))
                {
                    return false;
                }

                copies++;
            }

            return copies > 0;
        }

        private static IFieldSymbol? FieldNamed(INamedTypeSymbol type, string name)
        {
            foreach (var member in type.GetMembers(name))
            {
                if (member is IFieldSymbol field)
                {
                    return field;
                }
            }

            return null;
        }

        private static IMethodSymbol? SingleMethodNamed(INamedTypeSymbol type, string name)
        {
            var members = type.GetMembers(name);
            return members.Length == 1 && members[0] is IMethodSymbol { Parameters.IsEmpty: true } helper ? helper : null;
        }

        // A parameter or local of the field's name hides the field.
        private static bool DeclaresName(IMethodSymbol method, MethodDeclarationSyntax declaration, string name)
        {
            foreach (var parameter in method.Parameters)
            {
                if (parameter.Name == name)
                {
                    return true;
                }
            }

            foreach (var node in declaration.DescendantNodes())
            {
                if ((node is VariableDeclaratorSyntax { Identifier.ValueText: var local } && local == name)
                    || (node is SingleVariableDesignationSyntax { Identifier.ValueText: var designated } && designated == name))
                {
                    return true;
                }
            }

            return false;
        }

        // `task = task.ContinueWith(…); return task;` returns new work, not the argument.
        private static bool IsAssignedIn(SyntaxNode body, string name)
        {
            foreach (var node in body.DescendantNodes())
            {
                if (node is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: var assigned } } && assigned == name)
                {
                    return true;
                }
            }

            return false;
        }

        // `Requires.NotNull(joinableTask, nameof(joinableTask));` (vs-threading's guards: `T NotNull<T>(T value,
        // …)`), `Guard.NotNull(task)`: a generic method whose result has the type of one of its parameters
        // hands back what it was given. When that argument is a variable, field or property the caller
        // already holds the task; a task created in the argument (`Requires.NotNull(StartAsync(), …)`) is
        // dropped and reported.
        private static bool PassesBackAHeldValue(IInvocationOperation invocation)
        {
            var declared = (invocation.TargetMethod.ReducedFrom ?? invocation.TargetMethod).OriginalDefinition;
            if (declared.ReturnType is not ITypeParameterSymbol { TypeParameterKind: TypeParameterKind.Method } returned)
            {
                return false;
            }

            foreach (var argument in invocation.Arguments)
            {
                if (argument.Parameter is { } parameter
                    && SymbolEqualityComparer.Default.Equals(parameter.OriginalDefinition.Type, returned)
                    && argument.Value.WithoutConversions() is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation or IInstanceReferenceOperation)
                {
                    return true;
                }
            }

            return false;
        }

        // A parameter and a local cannot share a name in C#, so the name decides.
        private static IParameterSymbol? ParameterNamed(IMethodSymbol method, ExpressionSyntax? expression)
        {
            // `return tcs.Task;` of a completion source the caller handed in (vs-threading's
            // FollowCancelableTaskToCompletionHelper): the caller holds that source and its task.
            if (expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax source, Name.Identifier.ValueText: "Task" }
                && ParameterNamed(method, source) is { } owner
                && IsCompletionSource(owner.Type))
            {
                return owner;
            }

            if (expression is not IdentifierNameSyntax { Identifier.ValueText: var name })
            {
                return null;
            }

            foreach (var parameter in method.Parameters)
            {
                if (parameter.Name == name && parameter.RefKind == RefKind.None)
                {
                    return parameter;
                }
            }

            return null;
        }

        private static bool IsCompletionSource(ITypeSymbol type)
        {
            for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
            {
                if (current.Name == "TaskCompletionSource")
                {
                    return true;
                }
            }

            return false;
        }

        // The task such a call returns is not new work: Interlocked.Exchange(ref _task, next) hands back
        // the old value, and a collection's GetOrAdd/Dequeue/Remove hands back a stored element (an
        // ...Async method of a collection type is still new work).
        private bool ReturnsStoredTask(IMethodSymbol method)
        {
            var type = method.ContainingType;
            if (type is null)
            {
                return false;
            }

            if (SymbolEqualityComparer.Default.Equals(type, _symbols.Interlocked)
                || SymbolEqualityComparer.Default.Equals(type, _symbols.Volatile))
            {
                return true;
            }

            // `task.ContinueWith(t => ...)` registers a continuation for its effect; the task it
            // returns is that continuation, and dropping it is how the API is used.
            if (method.Name == "ContinueWith" && _symbols.IsTaskType(type))
            {
                return true;
            }

            // Akka.NET's `task.PipeTo(Self)` is the same: a continuation that turns the outcome, failure
            // included, into a message; the task it returns is documented as detached.
            if (method.Name == "PipeTo" && SymbolEqualityComparer.Default.Equals(type, _symbols.AkkaPipeToSupport))
            {
                return true;
            }

            if (method.Name.EndsWith("Async", System.StringComparison.Ordinal))
            {
                return false;
            }

            return SymbolFacts.Implements(type, _symbols.IEnumerable);
        }
    }
}
