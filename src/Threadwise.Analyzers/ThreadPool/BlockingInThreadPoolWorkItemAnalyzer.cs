using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.ThreadPool;

/// <summary>TW3002: a synchronous work item on the thread pool sleeps, waits on a task, or blocks on I/O.</summary>
public sealed class BlockingInThreadPoolWorkItemAnalyzer : ThreadwiseAnalyzer
{
    public BlockingInThreadPoolWorkItemAnalyzer()
        : base(Descriptors.TW3002BlockingInThreadPoolWorkItem)
    {
    }

    /// <summary>Diagnostic property: present when the work item is a Task.Run lambda that can become async.</summary>
    public const string CanBecomeAsyncProperty = "CanBecomeAsync";

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var concurrency = ConcurrentContext.For(context.Compilation);
        if (concurrency.Symbols.Task is null)
        {
            return;
        }

        var analyzer = new Context(concurrency, TaskWaits.For(context.Compilation), BlockingCalls.For(context.Compilation), context.Compilation, context.Options);
        context.RegisterOperationAction(analyzer.Analyze, OperationKind.Invocation, OperationKind.PropertyReference);
        context.RegisterOperationAction(analyzer.AnalyzeMethodGroup, OperationKind.MethodReference);
    }

    private sealed class Context
    {
        private static readonly ImmutableDictionary<string, string?> CanBecomeAsync =
            ImmutableDictionary<string, string?>.Empty.Add(CanBecomeAsyncProperty, "true");

        private readonly ConcurrentContext _concurrency;
        private readonly TaskWaits _waits;
        private readonly BlockingCalls _blockingCalls;

        private readonly Compilation _compilation;
        private readonly AnalyzerOptions _options;
        private readonly PoolLoops _loops;

        public Context(ConcurrentContext concurrency, TaskWaits waits, BlockingCalls blockingCalls, Compilation compilation, AnalyzerOptions options)
        {
            _compilation = compilation;
            _options = options;
            _loops = new PoolLoops(concurrency.Symbols, compilation, options);
            _concurrency = concurrency;
            _waits = waits;
            _blockingCalls = blockingCalls;
        }

        public void Analyze(OperationAnalysisContext context)
        {
            // Only code directly in a synchronous lambda: async lambdas are TW1001-TW1004's business,
            // and a nested lambda runs whenever it is invoked.
            if (InnermostFunction(context.Operation) is not { Symbol.IsAsync: false } function)
            {
                return;
            }

            var options = ThreadwiseOptions.For(context.Options, context.Operation.Syntax.SyntaxTree);
            var entry = _concurrency.GetEntryPoint(function, options);
            if (!entry.IsValid || !entry.RunsOnPool || Blocking(context.Operation, entry, options, context.ContainingSymbol, context.CancellationToken) is not { } blocking
                || (IsAWorkItemTw3001Judges(entry) && _loops.UnboundedLoop(function.Body, context.CancellationToken) is not null))
            {
                return;
            }

            var fixable = entry.Kind == EntryPointKind.TaskRun && blocking.Fixable;
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.TW3002BlockingInThreadPoolWorkItem,
                context.Operation.Syntax.GetLocation(),
                fixable ? CanBecomeAsync : ImmutableDictionary<string, string?>.Empty,
                blocking.Name,
                entry.CallName,
                fixable ? "; make the lambda async and await instead" : string.Empty));
        }

        private (string Name, bool Fixable)? Blocking(IOperation operation, ConcurrentEntry entry, ThreadwiseOptions options, ISymbol containingSymbol, System.Threading.CancellationToken cancellationToken)
        {
            if (_waits.TryGetWait(operation, out var wait))
            {
                return wait.Task is { } task && KnownCompleteTasks.IsKnownComplete(task, _waits.Symbols)
                    ? null
                    : (wait.Display, wait.IsOnSingleTask && wait.Kind != TaskWaitKind.WaitWithTimeout);
            }

            if (operation is not IInvocationOperation invocation)
            {
                return null;
            }

            var method = invocation.TargetMethod;
            if (method.Name == "Sleep"
                && SymbolEqualityComparer.Default.Equals(method.ContainingType, _waits.Symbols.Thread)
                && invocation.Arguments.Length == 1
                && invocation.Arguments[0].Value.ConstantValue is not { HasValue: true, Value: 0 })
            {
                // `#if DEBUG … Thread.Sleep(TestLagMs) …`: a debugging aid release builds do not run.
                return DebugOnlyCode.Contains(invocation.Syntax) || DebugOnlyCode.IsWaitForDebugger(invocation) ? null : ("Thread.Sleep", true);
            }

            // Parallel loop bodies and PLINQ operators are data-parallel work by design; only true
            // waits are flagged there, not synchronous I/O with an async twin.
            // A method of this compilation beside its twin whose own body blocks on nothing, as TW1004
            // judges it: `AcknowledgeAsync() => Task.Run(() => Acknowledge(m))` where Acknowledge removes
            // an entry from a dictionary (Brighter's in-memory consumer) does not block the pool thread.
            if (_blockingCalls.GetBlockingApi(invocation, options, containingSymbol) is { } api
                && (api.Twin is null || entry.Kind is not (EntryPointKind.Parallel or EntryPointKind.Plinq))
                && !(api.Twin is not null && MethodSummaries.For(_compilation, _options).IsVisiblyNonBlocking(invocation, cancellationToken))
                && !(api.Twin is { } twin && IsAWrapperWhoseBodyProvesNothing(twin, invocation, containingSymbol, cancellationToken)))
            {
                return (api.Display, false);
            }

            return null;
        }

        // `Task.Run(() => { _event.Wait(ct); while (!ct.IsCancellationRequested) { Process(); _event.Wait(ct); } })`
        // (FluentModbus's server): TW3001 reports the work item's unbounded loop; once it runs on a thread of
        // its own, its waits block no pool thread. One finding per mistake: the waits are left to TW3001.
        // Parallel bodies and PLINQ operators are not TW3001's; their waits stay here.
        private static bool IsAWorkItemTw3001Judges(ConcurrentEntry entry)
            => entry.Kind is EntryPointKind.TaskRun or EntryPointKind.TaskFactoryStartNew or EntryPointKind.QueueUserWorkItem or EntryPointKind.Timer;

        // `ReadCoilsAsync(…) => Task.Run(() => ReadCoils(…))` (NModbus's master): the twin that makes
        // `ReadCoils` look blocking is the very method this work item is the body of, so the twin proves
        // nothing. The call blocks only if its own body is seen to, as TW1006 sees helpers; a body that
        // cannot be looked into (virtual, or a transport behind an interface) proves nothing either, and
        // the wrapper is left alone.
        // The same holds for a work item awaited in the branch beside one that awaits the twin: `if (b is
        // AsyncBehaviour a) await a.ExecuteAsync(t); else await Task.Run(() => b.Execute(t));` (Stateless's
        // internal transitions) offloads the synchronous form exactly where the async one is not offered.
        private bool IsAWrapperWhoseBodyProvesNothing(IMethodSymbol twin, IInvocationOperation invocation, ISymbol containingSymbol, System.Threading.CancellationToken cancellationToken)
            => (IsTheTwinsOwnBody(twin, containingSymbol)
                || (InnermostFunction(invocation) is { } workItem && SyncAsyncBranches.IsBesideItsAwaitedTwin(workItem, twin)))
               && MethodSummaries.For(_compilation, _options) is var summaries
               && (!summaries.IsAnalyzableHelper(invocation.TargetMethod) || summaries.GetBlockingChain(invocation, cancellationToken) is null);

        private static bool IsTheTwinsOwnBody(IMethodSymbol twin, ISymbol containingSymbol)
            => containingSymbol is IMethodSymbol enclosing
               && SymbolEqualityComparer.Default.Equals(twin.OriginalDefinition, enclosing.OriginalDefinition);

        // `new Timer(Refresh, …)`, `Task.Run(Poll)`: the method given by name is the work item. Its
        // first blocking call is reported at the method group (no fix: the method's own signature
        // would have to change), with the call as a second location.
        public void AnalyzeMethodGroup(OperationAnalysisContext context)
        {
            var reference = (IMethodReferenceOperation)context.Operation;
            var method = reference.Method;
            if (method.IsAsync
                || method.IsAbstract
                || (method.IsVirtual || method.IsOverride) && !method.IsSealed
                || method.DeclaringSyntaxReferences.Length != 1
                || !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _compilation.Assembly))
            {
                return;
            }

            var options = ThreadwiseOptions.For(context.Options, reference.Syntax.SyntaxTree);
            var entry = _concurrency.GetEntryPoint(reference, options);
            if (!entry.IsValid || !entry.RunsOnPool || FirstBlockingCall(method, entry, options, context.CancellationToken) is not { } found
                || (IsAWorkItemTw3001Judges(entry) && _loops.CalleeLoop(method, context.CancellationToken) is not null)
                || IsReportedAtAnEarlierReference(reference, method, found.Location, context.CancellationToken))
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.TW3002BlockingInThreadPoolWorkItem,
                reference.Syntax.GetLocation(),
                new[] { found.Location },
                found.Name,
                entry.CallName,
                string.Empty));
        }

#pragma warning disable RS1030 // The method usually lives in another tree; bound only when it is a pool work item.
        // One finding per mistake: `_register = new Timer(DoRegistration, …)` in two places of the type (the
        // SIP registration agent starts its timer from two methods) is one blocking callback. The finding goes
        // to the first reference in the callback's type (by file, then position) that hands it to the pool and
        // reaches the same blocking call; references outside the type are not searched and report their own.
        private bool IsReportedAtAnEarlierReference(IMethodReferenceOperation reference, IMethodSymbol method, Location blockingCall, System.Threading.CancellationToken cancellationToken)
        {
            var current = reference.Syntax;
            foreach (var declaration in method.ContainingType.DeclaringSyntaxReferences)
            {
                var tree = declaration.SyntaxTree;
                var order = string.CompareOrdinal(tree.FilePath, current.SyntaxTree.FilePath);
                if (order > 0 || !_compilation.ContainsSyntaxTree(tree))
                {
                    continue;
                }

                SemanticModel? model = null;
                foreach (var node in declaration.GetSyntax(cancellationToken).DescendantNodes())
                {
                    if (node is not Microsoft.CodeAnalysis.CSharp.Syntax.IdentifierNameSyntax name
                        || name.Identifier.ValueText != method.Name
                        || (order == 0 && (tree != current.SyntaxTree || name.SpanStart >= current.SpanStart)))
                    {
                        continue;
                    }

                    model ??= _compilation.GetSemanticModel(tree);
                    if (ReferenceAt(model, name, cancellationToken) is { } earlier
                        && SymbolEqualityComparer.Default.Equals(earlier.Method.OriginalDefinition, method.OriginalDefinition)
                        && ThreadwiseOptions.For(_options, tree) is var earlierOptions
                        && _concurrency.GetEntryPoint(earlier, earlierOptions) is { IsValid: true, RunsOnPool: true } earlierEntry
                        && FirstBlockingCall(method, earlierEntry, earlierOptions, cancellationToken) is { } same
                        && same.Location.Equals(blockingCall))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static IMethodReferenceOperation? ReferenceAt(SemanticModel model, SyntaxNode name, System.Threading.CancellationToken cancellationToken)
        {
            var node = name.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access && access.Name == name ? access : name;
            return model.GetOperation(node, cancellationToken) switch
            {
                IMethodReferenceOperation direct => direct,
                IDelegateCreationOperation { Target: IMethodReferenceOperation target } => target,
                _ => null,
            };
        }

        private (string Name, Location Location)? FirstBlockingCall(IMethodSymbol method, ConcurrentEntry entry, ThreadwiseOptions options, System.Threading.CancellationToken cancellationToken)
        {
            if (MethodBodies.Syntax(method, cancellationToken) is not { Parent: Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax } body
                || MethodBodies.Bind(body, _compilation, cancellationToken) is not { } operation)
            {
                return null;
            }

            foreach (var descendant in operation.DescendantsAndSelf())
            {
                if (descendant is not (IInvocationOperation or IPropertyReferenceOperation)
                    || AsyncContext.IsInNestedFunction(descendant, operation)
                    || Blocking(descendant, entry, options, method, cancellationToken) is not { } blocking)
                {
                    continue;
                }

                return (blocking.Name, descendant.Syntax.GetLocation());
            }

            return null;
        }
#pragma warning restore RS1030

        private static IAnonymousFunctionOperation? InnermostFunction(IOperation operation)
        {
            for (var current = operation.Parent; current is not null; current = current.Parent)
            {
                switch (current)
                {
                    case IAnonymousFunctionOperation function:
                        return function;
                    case ILocalFunctionOperation:
                        return null;
                }
            }

            return null;
        }
    }
}
