using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.Blocking;

/// <summary>TW1005: a synchronous method blocks on a task (sync-over-async).</summary>
public sealed class SyncOverAsyncAnalyzer : ThreadwiseAnalyzer
{
    public SyncOverAsyncAnalyzer()
        : base(Descriptors.TW1005SyncOverAsync)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var waits = TaskWaits.For(context.Compilation);
        if (waits.Symbols.Task is null)
        {
            return;
        }

        var analyzer = new Context(waits, BlockingCalls.For(context.Compilation), TargetFrameworks.For(context.Compilation, context.Options));
        context.RegisterOperationAction(analyzer.Analyze, OperationKind.Invocation, OperationKind.PropertyReference);
    }

    private sealed class Context
    {
        // Callers of callers: enough for contract -> helper -> helper -> wait.
        private const int MaxCallerDepth = 3;

        private readonly TaskWaits _waits;
        private readonly BlockingCalls _blockingCalls;
        private readonly TargetFrameworks _targets;
        private readonly ConcurrentDictionary<IMethodSymbol, bool> _servesOnlyContracts = new(SymbolEqualityComparer.Default);
        private readonly ConcurrentDictionary<IMethodSymbol, List<CallSite>?> _sites = new(SymbolEqualityComparer.Default);

        public Context(TaskWaits waits, BlockingCalls blockingCalls, TargetFrameworks targets)
        {
            _waits = waits;
            _blockingCalls = blockingCalls;
            _targets = targets;
        }

        public void Analyze(OperationAnalysisContext context)
        {
            // A ValueTask read before completion is undefined, not only blocking: TW4008 reports it —
            // unless it wraps a Task (an async ValueTask method of the default builder): that one blocks.
            if (!_waits.TryGetWait(context.Operation, out var wait)
                || AsyncContext.GetEnclosingFunction(wait.Operation, context.ContainingSymbol) is not { IsAsync: false } method
                || !IsReportedIn(method)
                || IsBounded(wait)
                || IsHandedIn(wait, method)
                || IsNamedToBlock(method)
                || IsSynchronousContract(method)
                || HasAsyncTwin(method)
                || SyncAsyncBranches.IsInSynchronousBranch(wait.Operation)
                || (wait.Task is { } task && (KnownCompleteTasks.IsKnownComplete(task, _waits.Symbols) || (_waits.Symbols.IsValueTaskType(task.Type) && !TaskBackedValueTasks.IsTaskBacked(task, _waits.Symbols, context.Compilation, context.CancellationToken))))
                || IsDelay(wait)
                || ServesOnlySynchronousContracts(method, context.Compilation, context.CancellationToken)
                // `LockTimer.Elapsed += OnLockTimer;` and nothing else: TW3002 reports the wait at that reference.
                || (method.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction
                    && PoolWorkItems.IsOnlyAPoolWorkItem(method, context.Compilation, context.Options, context.CancellationToken))
                || (wait.Task is { } parameterTask && KnownCompleteTasks.IsCompleteAtEveryCall(parameterTask, method, _waits.Symbols, context.Compilation, context.CancellationToken))
                || IsStopAndJoin(wait, context.Compilation))
            {
                return;
            }

            var (where, remedy) = Describe(method);
            if (method.MethodKind == MethodKind.Ordinary && OnlyConstructorCalling(method, context.Compilation, context.CancellationToken) is { } constructed)
            {
                remedy = "it runs only from constructor '" + constructed.Name
                         + "', which cannot be async: move the wait into an async factory method and await it there";
            }

            if (SynchronousForm(wait, context.Compilation, context.ContainingSymbol) is { } synchronous)
            {
                remedy = "'" + synchronous.ContainingType.Name + "." + synchronous.Name
                         + "' does the same work synchronously: call it instead of blocking on the task";
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.TW1005SyncOverAsync,
                wait.Operation.Syntax.GetLocation(),
                wait.Display,
                where,
                remedy));
        }

        // `Stop() { _messageBuffer.Complete(); _processorTask.Wait(); }` (Gelf's message processor; FluentModbus's
        // server cancels its token first): the method tells its worker to finish, then joins it. The worker
        // was started on the pool — every value the private field is given is a `Task.Run(…)` or
        // `Task.Factory.StartNew(…)` — where no synchronization context is captured that the join could
        // deadlock: it is a thread join, and making Stop async would change its contract. Asked only for
        // would-be findings.
        // `Stop() { _cts.Cancel(); Task.WaitAll(_workers); }` over `_workers = transports.Select(t => Task.Run(…)).ToArray()`
        // (ARSoft.Tools.Net's DNS server) is the same join, of several workers.
        private bool IsStopAndJoin(TaskWait wait, Compilation compilation)
        {
            var joinsAll = wait.Kind == TaskWaitKind.WaitAll;
            if ((joinsAll ? WaitedFieldOfAll(wait) : WaitedField(wait)) is not { DeclaredAccessibility: Accessibility.Private } field
                || !SignalsStopBefore(wait.Operation)
                || MemberAssignments.In(field, compilation) is not { Count: > 0 } values)
            {
                return false;
            }

            foreach (var (_, value) in values)
            {
                if (!(joinsAll ? IsPoolStartCollection(value) : IsPoolStart(value)))
                {
                    return false;
                }
            }

            return true;
        }

        // `Task.WaitAll(_workers)`, `Task.WaitAll(this._workers)`.
        private static IFieldSymbol? WaitedFieldOfAll(TaskWait wait)
            => wait.Operation is IInvocationOperation { Arguments: { Length: 1 } arguments }
               && arguments[0].Value.WithoutConversions() is IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation, Field: var field }
                ? field
                : null;

        // `new[] { Task.Run(a), Task.Run(b) }`, or `xs.Select(x => Task.Run(…)).ToArray()` / `.ToList()`.
        private bool IsPoolStartCollection(IOperation? value)
        {
            switch (value?.WithoutConversions())
            {
                case IArrayCreationOperation { Initializer.ElementValues: { Length: > 0 } elements }:
                    foreach (var element in elements)
                    {
                        if (!IsPoolStart(element))
                        {
                            return false;
                        }
                    }

                    return true;
                case IInvocationOperation { TargetMethod: { Name: "ToArray" or "ToList", IsExtensionMethod: true }, Arguments: { Length: 1 } materialized }:
                    return materialized[0].Value.WithoutConversions() is IInvocationOperation { TargetMethod: { Name: "Select", IsExtensionMethod: true }, Arguments: { Length: 2 } select }
                           && select[1].Value.WithoutConversions() is IDelegateCreationOperation { Target: IAnonymousFunctionOperation selector }
                           && selector.Body.Operations.Length == 1
                           && selector.Body.Operations[0] is IReturnOperation { ReturnedValue: { } started }
                           && IsPoolStart(started);
                default:
                    return false;
            }
        }

        // `_worker.Wait()`, `_worker?.Wait()`, `this._worker.Wait()`.
        private static IFieldSymbol? WaitedField(TaskWait wait)
        {
            var task = wait.Task is { } waited ? KnownCompleteTasks.Unwrap(waited) : null;
            if (task is IConditionalAccessInstanceOperation)
            {
                for (var current = task.Parent; current is not null; current = current.Parent)
                {
                    if (current is IConditionalAccessOperation access)
                    {
                        task = KnownCompleteTasks.Unwrap(access.Operation);
                        break;
                    }
                }
            }

            return task is IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation, Field: var field } ? field : null;
        }

        // Before the wait, in the same function: `source.Cancel()`, `buffer.Complete()`, `writer.TryComplete()`,
        // `queue.CompleteAdding()` — the worker is told to finish.
        private static bool SignalsStopBefore(IOperation wait)
        {
            var body = AsyncContext.GetFunctionBody(wait);
            foreach (var operation in body.Descendants())
            {
                if (operation.Syntax.SpanStart >= wait.Syntax.SpanStart)
                {
                    break;
                }

                if (operation is IInvocationOperation { TargetMethod.Name: "Cancel" or "CancelAfter" or "Complete" or "TryComplete" or "CompleteAdding" }
                    && !AsyncContext.IsInNestedFunction(operation, body))
                {
                    return true;
                }
            }

            return false;
        }

        // `Task.Run(…)`, `Task.Factory.StartNew(…)`, or a finished placeholder (`= Task.CompletedTask` until started).
        private bool IsPoolStart(IOperation? value)
            => value?.WithoutConversions() switch
            {
                IInvocationOperation { TargetMethod: { } started } => started.Name == "Run" && SymbolEqualityComparer.Default.Equals(started.ContainingType, _waits.Symbols.Task)
                                                                      || started.Name == "StartNew" && SymbolEqualityComparer.Default.Equals(started.ContainingType?.OriginalDefinition, _waits.Symbols.TaskFactory),
                { } other => KnownCompleteTasks.IsCompletedFactory(other, _waits.Symbols),
                null => false,
            };

        // `private string LoadFromDisk(…) => ReadAsync(…).GetAwaiter().GetResult();` called only from the
        // type's constructors (nacos' cache entries): "make it async" would leave its caller nothing to await
        // with; the constructor is where the remedy starts. Asked only of a would-be finding; the first
        // constructor found is named. A field or property initializer runs in its type's constructor too
        // (`private readonly Scheme _scheme = GetConfigScheme(options.Value, provider);` beside a primary
        // constructor, found dogfooding Duende's token management).
        private static INamedTypeSymbol? OnlyConstructorCalling(IMethodSymbol method, Compilation compilation, System.Threading.CancellationToken cancellationToken)
        {
            if (SymbolFacts.IsVisibleOutsideAssembly(method) || !CallSites.CanKnowCallers(method)
                || CallSites.InTheCompilation(method, compilation, cancellationToken) is not { Count: > 0 } calls)
            {
                return null;
            }

            INamedTypeSymbol? first = null;
            foreach (var call in calls)
            {
                if (call.Caller is not (IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } or IFieldSymbol or IPropertySymbol)
                    || call.Caller.ContainingType is not { } constructed)
                {
                    return null;
                }

                first ??= constructed;
            }

            return first;
        }

        // `socket.ConnectAsync(host, port).Wait()` in a constructor (QuestDB's TCP sender) where `socket.Connect(host,
        // port)` exists: the synchronous form blocks the same thread without a task to wait on, a pool thread to
        // complete it or a context to deadlock on. BlockingCalls' twin relation, read the other way round.
        private IMethodSymbol? SynchronousForm(TaskWait wait, Compilation compilation, ISymbol caller)
            => wait.Task is { } task
               && KnownCompleteTasks.Unwrap(task) is IInvocationOperation { TargetMethod: var async }
               && _blockingCalls.SynchronousFormOf(async) is { } candidate
               // A framework method in a multi-targeted project may be missing on another target
               // (`HttpClient.Send` is net5+): there only the project's own methods are named.
               && (!_targets.IsMultiTargeted || candidate.DeclaringSyntaxReferences.Length > 0)
               && compilation.IsSymbolAccessibleWithin(candidate, (ISymbol?)caller.ContainingType ?? compilation.Assembly)
                ? candidate
                : null;

        // Where the wait is, and what to do there: only an ordinary method can become async; a
        // constructor, accessor or operator needs the wait moved to something that can.
        private static (string Where, string Remedy) Describe(IMethodSymbol method) => method.MethodKind switch
        {
            MethodKind.Constructor or MethodKind.StaticConstructor => (
                "constructor '" + method.ContainingType.Name + "'",
                "a constructor cannot be async: move the wait into an async factory method and await it there"),
            MethodKind.PropertyGet or MethodKind.PropertySet => (
                "property '" + (method.AssociatedSymbol?.Name ?? method.Name) + "'",
                "a property cannot be async: turn it into an async method and await the task"),
            MethodKind.Ordinary => (
                "synchronous method '" + method.Name + "'",
                "make it async and await the task"),
            _ => (
                "'" + method.Name + "', which cannot be async",
                "move the wait into an async method and await it there"),
        };

        // Lambdas and local functions run whenever they are invoked (often on tasks already known
        // complete, as in `tasks.Select(t => t.Result)` after WhenAll), and Main is where blocking
        // belongs until it is made `async Task Main`; neither is reported.
        // `public static void WaitAndUnwrap(this Task task) => task.GetAwaiter().GetResult();`: a
        // public method that waits on the task its caller hands in is a wait API; blocking is its
        // contract and the choice to block is the caller's. (A private helper is still reported: its
        // fix makes it async and propagates to the callers.)
        // `TResult Run(Func<TState, ValueTask<TResult>> action, TState state)` that calls `action(state)`
        // and blocks on what it returns is a sync-over-async bridge: running the handed-in async work
        // synchronously is what it is for, and making it async would undo it. The choice to block is
        // its callers'.
        private static bool IsHandedIn(TaskWait wait, IMethodSymbol method)
        {
            if (wait.Task is not { } task)
            {
                return false;
            }

            var source = SourceOf(KnownCompleteTasks.Unwrap(task));
            return source switch
            {
                IParameterReferenceOperation { Parameter: var parameter } => IsParameterOf(parameter, method)
                                                                               && (SymbolFacts.IsVisibleOutsideAssembly(method) || IsAsyncResultEnd(method, parameter) || IsNamedToWait(method)),
                IInvocationOperation { TargetMethod.MethodKind: MethodKind.DelegateInvoke, Instance: IParameterReferenceOperation { Parameter: var callback } } => IsParameterOf(callback, method),
                _ => false,
            };
        }

        // `internal static void WaitAndUnwrapException(this Task task) => task.GetAwaiter().GetResult();` (the Event
        // Hubs client's copy of Nito's wait helpers): a method of any visibility, named for waiting, that waits on
        // the task its caller hands in. Making it async would undo what it is for; its callers chose to block, and
        // in async code TW1006 reports them. A private helper named otherwise, or one that waits on a task of its
        // own, is reported.
        private static bool IsNamedToWait(IMethodSymbol method)
            => method.MethodKind == MethodKind.Ordinary
               && (HasWord(method.Name, "Wait") || HasWord(method.Name, "Block") || HasWord(method.Name, "Blocking") || HasWord(method.Name, "Synchronously"));

        // `public static void StopAndBlock()` (FluentScheduler), `WaitForExit()`, `BlockUntilIdle()`,
        // `RunCommandsSynchronously(args)` (JasperFx's command runner, the synchronous door for hosts without an
        // async Main): a
        // method callers can reach whose name says it blocks has blocking as its contract; the choice to
        // block is its callers'. Words are split at capitals: `Awaiter`, `Waiter`, `Blocked` are not.
        // A public `Result` property (MedallionShell's `Command.Result => Task.GetAwaiter().GetResult()`)
        // is `Task<T>.Result` again: waiting is what the name promises.
        private static bool IsNamedToBlock(IMethodSymbol method)
            => SymbolFacts.IsVisibleOutsideAssembly(method)
               && method.MethodKind switch
               {
                   MethodKind.Ordinary => HasWord(method.Name, "Block") || HasWord(method.Name, "Blocking") || HasWord(method.Name, "Wait") || HasWord(method.Name, "Waiting")
                                          || HasWord(method.Name, "Synchronously"),
                   MethodKind.PropertyGet => method.AssociatedSymbol is { Name: "Result" } property && SymbolFacts.IsVisibleOutsideAssembly(property),
                   _ => false,
               };

        private static bool HasWord(string name, string word)
        {
            for (var at = name.IndexOf(word, System.StringComparison.Ordinal); at >= 0; at = name.IndexOf(word, at + 1, System.StringComparison.Ordinal))
            {
                var end = at + word.Length;
                // The word starts at its capital; it ends where the next word (or the name) does.
                if (end == name.Length || !char.IsLower(name[end]))
                {
                    return true;
                }
            }

            return false;
        }

        // The APM pattern's `EndX(IAsyncResult result) => ((Task<T>)result).Result` (Azure AMQP's
        // EndAsyncResult): End waits for the operation by contract, and callers call it from the
        // completion callback. Internal ones too: they are the bridge, not a choice to block.
        private static bool IsAsyncResultEnd(IMethodSymbol method, IParameterSymbol parameter)
            => method.Name.StartsWith("End", System.StringComparison.Ordinal)
               && parameter.Type is INamedTypeSymbol { Name: "IAsyncResult", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

        private static bool IsParameterOf(IParameterSymbol parameter, IMethodSymbol method)
            => SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, method);

        // Through `valueTask.AsTask()`, a local that is only initialized (`var task = action(state);`),
        // a pattern variable of a parameter (`switch (item) { case Task<T> task: return task.Result; }`,
        // `item is Task<T> t`), and the `Value` of a `Lazy<Task<T>>` (LazyCache's `AsyncLazy<T>`, handed
        // in the same way): the task is still the one the caller passed.
        // `factory.StartNew(() => { …; return func(); }).Unwrap()` and `Task.Run(() => func())` (the
        // AsyncHelper.RunSync of dotnet-etcd and ASP.NET Identity): the task is the one the lambda's only
        // return hands back, run on the pool so that no captured context deadlocks the wait.
        private static IOperation? WorkRunOnThePool(IOperation task)
        {
            if (task is IInvocationOperation { TargetMethod: { Name: "Unwrap", IsStatic: true, ContainingType.Name: "TaskExtensions" }, Arguments.Length: 1 } unwrap)
            {
                task = KnownCompleteTasks.Unwrap(unwrap.Arguments[0].Value);
            }

            if (task is not IInvocationOperation { TargetMethod: { Name: "StartNew" or "Run", ContainingType.Name: "TaskFactory" or "Task" } } start
                || start.Arguments.Length == 0
                || start.Arguments[0].Value.WithoutConversions() is not IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda })
            {
                return null;
            }

            IOperation? returned = null;
            foreach (var operation in lambda.Body.Descendants())
            {
                if (operation is IReturnOperation { ReturnedValue: { } value } && !AsyncContext.IsInNestedFunction(operation, lambda))
                {
                    if (returned is not null)
                    {
                        return null;
                    }

                    returned = KnownCompleteTasks.Unwrap(value);
                }
            }

            return returned;
        }

        private static IOperation SourceOf(IOperation task)
        {
            for (var step = 0; step < 4; step++)
            {
                if (task is IInvocationOperation { TargetMethod.Name: "AsTask", Instance: { } valueTask })
                {
                    task = KnownCompleteTasks.Unwrap(valueTask);
                }

                // `TaskToAsyncResult.Unwrap(asyncResult)` (SSH.NET's `EndExecute`): the task behind the
                // IAsyncResult handed in.
                if (task is IInvocationOperation { TargetMethod: { Name: "Unwrap", IsStatic: true, ContainingType: { Name: "TaskToAsyncResult", ContainingNamespace.Name: "Tasks" } }, Arguments.Length: 1 } unwrap)
                {
                    task = KnownCompleteTasks.Unwrap(unwrap.Arguments[0].Value);
                    continue;
                }

                if (WorkRunOnThePool(task) is { } work)
                {
                    task = work;
                    continue;
                }

                if (task is IPropertyReferenceOperation { Property: { Name: "Value", ContainingType: { } lazyType }, Instance: { } lazy } && IsSystemLazy(lazyType))
                {
                    task = KnownCompleteTasks.Unwrap(lazy);
                    continue;
                }

                if (task is not ILocalReferenceOperation { Local: var local })
                {
                    return task;
                }

                if (LocalDeclarations.GetInitializer(local, task) is { } declaration)
                {
                    if (LocalReferences.IsReassigned(declaration.Body, local))
                    {
                        return task;
                    }

                    task = KnownCompleteTasks.Unwrap(declaration.Value);
                    continue;
                }

                if (PatternInput(local, task) is not { } input)
                {
                    return task;
                }

                task = input;
            }

            return task;
        }

        private static bool IsSystemLazy(INamedTypeSymbol type)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                if (current.OriginalDefinition is { Name: "Lazy", Arity: 1, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } })
                {
                    return true;
                }
            }

            return false;
        }

        // The value a type pattern tested to declare this local: `case Task<T> task:`, `x is Task<T> t`,
        // `Task<T> t => …` in a switch expression. Not a local that is assigned again later.
        private static IOperation? PatternInput(ILocalSymbol local, IOperation use)
        {
            // The pattern must test the value itself: in `x is { Inner: Task<T> t }` the local is `x.Inner`.
            if (local.DeclaringSyntaxReferences.Length != 1
                || local.DeclaringSyntaxReferences[0].GetSyntax() is not SingleVariableDesignationSyntax { Parent: DeclarationPatternSyntax or RecursivePatternSyntax } designation
                || designation.Parent?.Parent is not (IsPatternExpressionSyntax or CasePatternSwitchLabelSyntax or SwitchExpressionArmSyntax)
                || use.SemanticModel is not { } model)
            {
                return null;
            }

            ExpressionSyntax? tested = null;
            foreach (var ancestor in designation.Ancestors())
            {
                tested = ancestor switch
                {
                    IsPatternExpressionSyntax isPattern => isPattern.Expression,
                    SwitchStatementSyntax @switch => @switch.Expression,
                    SwitchExpressionSyntax @switch => @switch.GoverningExpression,
                    _ => null,
                };
                if (tested is not null || ancestor is StatementSyntax and not SwitchStatementSyntax and not BlockSyntax)
                {
                    break;
                }
            }

            var root = use;
            while (root.Parent is { } parent)
            {
                root = parent;
            }

            return tested is not null && !LocalReferences.IsReassigned(root, local) && model.GetOperation(tested) is { } input
                ? KnownCompleteTasks.Unwrap(input)
                : null;
        }

        // `Task.Delay(ms).Wait()` in synchronous code is a sleep (the form netstandard1.x code uses):
        // it blocks like Thread.Sleep and has no continuation that could deadlock.
        private bool IsDelay(TaskWait wait)
            => wait.Task is { } task
               && KnownCompleteTasks.Unwrap(task) is IInvocationOperation { TargetMethod: { Name: "Delay", IsStatic: true } delay }
               && SymbolEqualityComparer.Default.Equals(delay.ContainingType, _waits.Symbols.Task);

        // A wait with a timeout is a deliberate, bounded wait: the caller chose how long to block.
        private static bool IsBounded(TaskWait wait)
            => wait.Kind == TaskWaitKind.WaitWithTimeout
               || (wait.Operation is IInvocationOperation invocation && wait.Kind is TaskWaitKind.WaitAll or TaskWaitKind.WaitAny && Timeouts.HasTimeout(invocation));

        // Overrides and interface implementations (Dispose, a synchronous interface method) keep
        // their signature: the contract is synchronous and the user cannot make it async.
        private static bool IsSynchronousContract(IMethodSymbol method)
        {
            var member = method.AssociatedSymbol ?? method;
            if (method.IsOverride || !method.ExplicitInterfaceImplementations.IsEmpty || member.IsOverride)
            {
                return true;
            }

            if (member is IPropertySymbol { ExplicitInterfaceImplementations.IsEmpty: false })
            {
                return true;
            }

            // `protected virtual void Dispose(bool disposing)`: the dispose pattern's synchronous half,
            // called by Dispose() and the finalizer.
            if (method is { Name: "Dispose", ReturnsVoid: true, Parameters.Length: 1 } && method.Parameters[0].Type.SpecialType == SpecialType.System_Boolean)
            {
                return true;
            }

            if (IsLastChanceExceptionHandler(method))
            {
                return true;
            }

            return member.DeclaredAccessibility == Accessibility.Public && SymbolFacts.ImplementsInterfaceMember(member);
        }

        // `void OnUnhandledException(object? sender, UnhandledExceptionEventArgs e)` and its
        // `UnobservedTaskExceptionEventArgs` sibling (Microsoft.Testing.Platform's server host): handlers of the
        // process-wide exception events, known by their arguments' type. The event is synchronous and the
        // process may end as soon as the handler returns, so waiting there for the report to be written is the
        // point; an async void handler would let it be cut off.
        private static bool IsLastChanceExceptionHandler(IMethodSymbol method)
            => method is { ReturnsVoid: true, Parameters.Length: 2 }
               && method.Parameters[1].Type is INamedTypeSymbol { Name: "UnhandledExceptionEventArgs" or "UnobservedTaskExceptionEventArgs" } arguments
               && arguments.ContainingNamespace is { Name: "System" or "Tasks" } space
               && (space.Name == "System" ? space.ContainingNamespace.IsGlobalNamespace : space.ContainingNamespace is { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } });

        // `object InvokeMethod(...)` called only from `Perform`, an interface implementation (or through
        // helpers that are): the helper can become async only if the contract does, so the user cannot
        // act on this line; blocking belongs to the contract. Every call must be in the compilation (a
        // method other assemblies cannot call) and in a synchronous contract, a sync/async pair's
        // synchronous half, or such a helper. Asked only for would-be findings. Only the answer for the
        // method asked about and each method's call sites are cached: answers for the helpers on the
        // way depend on how deep they were met, and caching them would make the result depend on the
        // order concurrent actions ask in.
        private bool ServesOnlySynchronousContracts(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
        {
            method = method.OriginalDefinition;
            if (!_servesOnlyContracts.TryGetValue(method, out var answer))
            {
                answer = DedicatedThreads.IsOnlyAThreadBody(method, compilation, cancellationToken)
                         || ServesOnlySynchronousContracts(method, compilation, depth: 0, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), cancellationToken);
                _servesOnlyContracts.TryAdd(method, answer);
            }

            return answer;
        }

        private bool ServesOnlySynchronousContracts(IMethodSymbol method, Compilation compilation, int depth, HashSet<IMethodSymbol> visiting, CancellationToken cancellationToken)
        {
            if (depth > MaxCallerDepth
                || method.IsVirtual || method.IsAbstract || method.IsOverride
                || SymbolFacts.IsVisibleOutsideAssembly(method)
                || !visiting.Add(method)) // a cycle proves nothing
            {
                return false;
            }

            var result = SitesOf(method, compilation, cancellationToken) is { Count: > 0 } calls
                         && AllInSynchronousContracts(calls, compilation, depth, visiting, cancellationToken);
            visiting.Remove(method);
            return result;
        }

        private bool AllInSynchronousContracts(List<CallSite> calls, Compilation compilation, int depth, HashSet<IMethodSymbol> visiting, CancellationToken cancellationToken)
        {
            foreach (var call in calls)
            {
                // `new Thread(ThreadStart)` where ThreadStart calls the helper: blocking on a thread of
                // its own stalls no pool thread and no synchronization context.
                if (call.Caller is IMethodSymbol { IsAsync: false } threadBody && DedicatedThreads.IsOnlyAThreadBody(threadBody, compilation, cancellationToken))
                {
                    continue;
                }

                if (call.Caller is not IMethodSymbol { IsAsync: false } caller
                    || caller.MethodKind is MethodKind.AnonymousFunction or MethodKind.LocalFunction
                    || !(IsSynchronousContract(caller) || HasAsyncTwin(caller) || ServesOnlySynchronousContracts(caller.OriginalDefinition, compilation, depth + 1, visiting, cancellationToken)))
                {
                    return false;
                }
            }

            return true;
        }

        private List<CallSite>? SitesOf(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
        {
            if (!_sites.TryGetValue(method, out var sites))
            {
                sites = CallSites.InTheCompilation(method, compilation, cancellationToken);
                _sites.TryAdd(method, sites);
            }

            return sites;
        }

        // Load next to LoadAsync: the synchronous half of a sync/async API pair exists for callers
        // that cannot await; blocking there is its purpose.
        private bool HasAsyncTwin(IMethodSymbol method)
        {
            if (method.MethodKind != MethodKind.Ordinary || method.ContainingType is not { } type)
            {
                return false;
            }

            foreach (var member in type.GetMembers(method.Name + "Async"))
            {
                if (member is IMethodSymbol { IsStatic: var isStatic } && isStatic == method.IsStatic)
                {
                    return true;
                }
            }

            return HasTaskReturningNamesake(method, type);
        }

        // The other naming of a pair: `WithSyncCircuitBreaker` beside `WithCircuitBreaker` (returns a
        // task), `RunSync` beside `Run` (Akka.NET's circuit breaker), `RunSyncActionWithTimeout` beside
        // `RunAsyncActionWithTimeoutAsync` (FusionCache). The word "Sync" marks the synchronous
        // contract; its namesake without it, or with "Async" in its place, is the async API.
        private bool HasTaskReturningNamesake(IMethodSymbol method, INamedTypeSymbol type)
        {
            // `ProcessSynchronously` beside `ProcessAsynchronously` (FFMpegCore's argument processor).
            var spelled = method.Name.IndexOf("Synchronous", System.StringComparison.Ordinal);
            if (spelled >= 0 && HasTaskReturning(type, method.Name.Remove(spelled, 1).Insert(spelled, "As"), method.IsStatic))
            {
                return true;
            }

            var at = method.Name.IndexOf("Sync", System.StringComparison.Ordinal);
            if (at < 0 || (at + 4 < method.Name.Length && !char.IsUpper(method.Name[at + 4])))
            {
                return false;
            }

            var without = method.Name.Remove(at, 4);
            var asAsync = without.Insert(at, "Async");
            return (without.Length > 0 && HasTaskReturning(type, without, method.IsStatic))
                   || HasTaskReturning(type, asAsync, method.IsStatic)
                   || HasTaskReturning(type, asAsync + "Async", method.IsStatic);
        }

        private bool HasTaskReturning(INamedTypeSymbol type, string name, bool isStatic)
        {
            foreach (var member in type.GetMembers(name))
            {
                if (member is IMethodSymbol { ReturnType: { } returned } candidate && candidate.IsStatic == isStatic
                    && _waits.Symbols.IsTaskType(returned))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsReportedIn(IMethodSymbol method)
            => method.MethodKind is not (MethodKind.AnonymousFunction or MethodKind.LocalFunction)
               && !(method.IsStatic && method.Name is "Main" or WellKnownMemberNames.TopLevelStatementsEntryPointMethodName);
    }
}
