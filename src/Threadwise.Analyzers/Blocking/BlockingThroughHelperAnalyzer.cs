using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.Blocking;

/// <summary>TW1006: async code calls a synchronous helper of this compilation that blocks.</summary>
public sealed class BlockingThroughHelperAnalyzer : ThreadwiseAnalyzer
{
    public BlockingThroughHelperAnalyzer()
        : base(Descriptors.TW1006BlockingThroughHelper)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        if (KnownSymbols.For(context.Compilation).Task is null)
        {
            return;
        }

        var analyzer = new Context(
            MethodSummaries.For(context.Compilation, context.Options),
            BlockingCalls.For(context.Compilation),
            KnownSymbols.For(context.Compilation));
        context.RegisterOperationAction(analyzer.AnalyzeInvocation, OperationKind.Invocation);
    }

    private sealed class Context
    {
        private readonly MethodSummaries _summaries;
        private readonly BlockingCalls _blockingCalls;
        private readonly KnownSymbols _symbols;

        public Context(MethodSummaries summaries, BlockingCalls blockingCalls, KnownSymbols symbols)
        {
            _summaries = summaries;
            _blockingCalls = blockingCalls;
            _symbols = symbols;
        }

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (!_summaries.IsAnalyzableHelper(invocation.TargetMethod)
                || ColumnReads.IsColumnRead(invocation.TargetMethod, _symbols) // the row is buffered once ReadAsync returns
                || AsyncContext.GetAsyncFunction(invocation, context.ContainingSymbol) is null
                || invocation.EnclosingCatchClause() is not null // error path: logging and clean-up helpers run rarely there
                || invocation.IsCleanupBeforeThrow()
                || invocation.IsSpinBackoff() // a spin lock's back-off helper
                || Timeouts.HasZeroTimeout(invocation)) // `TryWait(TimeSpan.Zero)`: a helper asked to poll
            {
                return;
            }

            // A helper with an awaitable twin of its own is TW1004's finding, with a fix.
            var options = ThreadwiseOptions.For(context.Options, invocation.Syntax.SyntaxTree);
            if (_blockingCalls.GetBlockingApi(invocation, options, context.ContainingSymbol) is not null
                || ThreadwiseOptions.Contains(options.ExcludedApis, invocation.TargetMethod))
            {
                return;
            }

            var chain = _summaries.GetBlockingChain(invocation, context.CancellationToken);
            if (chain is null || chain.Helpers.Length > options.InterproceduralDepth || SyncAsyncBranches.IsInSynchronousBranch(invocation)
                || InMemoryStreams.IsBuiltOverInMemoryStream(invocation.Instance, _symbols))
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.TW1006BlockingThroughHelper,
                invocation.Syntax.GetLocation(),
                chain.Locations(),
                invocation.TargetMethod.Name,
                chain.Describe() + TwinHint(invocation.TargetMethod)));
        }

        // `using (ThisAsyncLock.TakeLock())` in async code where the type also has `Task<IAsyncDisposable>
        // TakeLockAsync()` (WCF's AsyncLock): no drop-in twin for TW1004 (the result is used differently, so no
        // fix), but the way out is there; the message names it. Asked only for a finding.
        private string TwinHint(IMethodSymbol helper)
        {
            for (var type = helper.ContainingType; type is not null; type = type.BaseType)
            {
                foreach (var member in type.GetMembers(helper.Name + "Async"))
                {
                    if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } twin
                        && twin.IsStatic == helper.IsStatic
                        && SameParameterTypes(twin, helper)
                        && _symbols.IsTaskType(twin.ReturnType))
                    {
                        return $"; '{type.Name}.{twin.Name}' is its awaitable form";
                    }
                }
            }

            return string.Empty;
        }

        private bool SameParameterTypes(IMethodSymbol twin, IMethodSymbol helper)
        {
            var extra = twin.Parameters.Length - helper.Parameters.Length;
            if (extra is < 0 or > 1)
            {
                return false;
            }

            for (var i = 0; i < helper.Parameters.Length; i++)
            {
                if (!SymbolEqualityComparer.Default.Equals(twin.Parameters[i].Type, helper.Parameters[i].Type))
                {
                    return false;
                }
            }

            // one more parameter only if it is the token
            return extra == 0 || SymbolEqualityComparer.Default.Equals(twin.Parameters[twin.Parameters.Length - 1].Type, _symbols.CancellationToken);
        }
    }
}
