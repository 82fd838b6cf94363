using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.Blocking;

/// <summary>TW1004: a synchronous blocking API (with or without an async twin) in async code.</summary>
public sealed class BlockingApiInAsyncCodeAnalyzer : ThreadwiseAnalyzer
{
    public BlockingApiInAsyncCodeAnalyzer()
        : base(Descriptors.TW1004BlockingApiInAsyncCode)
    {
    }

    /// <summary>Diagnostic property: the name of the awaitable twin, when there is one.</summary>
    public const string TwinProperty = "Twin";

    /// <summary>Diagnostic property: present when the twin takes a trailing CancellationToken.</summary>
    public const string TwinTakesTokenProperty = "TwinTakesToken";

    /// <summary>Diagnostic property: present when the twin is the async function the call sits in,
    /// so calling it would make the method call itself.</summary>
    public const string TwinIsCallerProperty = "TwinIsCaller";

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        if (KnownSymbols.For(context.Compilation).Task is null)
        {
            return;
        }

        var analyzer = new Context(BlockingCalls.For(context.Compilation), MethodSummaries.For(context.Compilation, context.Options), TargetFrameworks.For(context.Compilation, context.Options));
        context.RegisterOperationAction(analyzer.AnalyzeInvocation, OperationKind.Invocation);
    }

    private sealed class Context
    {
        private readonly BlockingCalls _blockingCalls;
        private readonly MethodSummaries _summaries;
        private readonly TargetFrameworks _targets;

        public Context(BlockingCalls blockingCalls, MethodSummaries summaries, TargetFrameworks targets)
        {
            _blockingCalls = blockingCalls;
            _summaries = summaries;
            _targets = targets;
        }

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;

            // Async context first: it is a parent walk, cheaper than classifying every call.
            if (AsyncContext.GetAsyncFunction(invocation, context.ContainingSymbol) is not { } function)
            {
                return;
            }

            var options = ThreadwiseOptions.For(context.Options, invocation.Syntax.SyntaxTree);
            if (_blockingCalls.GetBlockingApi(invocation, options, context.ContainingSymbol) is not { } api
                || SyncAsyncBranches.IsInSynchronousBranch(invocation)
                || (api.Twin is { } awaitedBeside && SyncAsyncBranches.IsBesideItsAwaitedTwin(invocation, awaitedBeside))
                || (api.Twin is { } awaitedOnFailure && SyncAsyncBranches.IsFastPathBeforeItsAwaitedTwin(invocation, awaitedOnFailure))
                || invocation.IsCleanupBeforeThrow()
                || IsQueuedOnAPipeline(invocation)
                // A method of this compilation beside its twin whose body blocks on nothing:
                // `GetSession(id) => _sessions.GetValueOrDefault(id)` next to a GetSessionAsync that
                // waits for the session to appear is a lookup (found dogfooding PuppeteerSharp).
                || (api.Twin is not null && _summaries.IsVisiblyNonBlocking(invocation, context.CancellationToken))
                // `XDocument.Load(stream)` in a library built for netstandard2.0 and net8.0: LoadAsync is
                // missing on one of them, so the twin cannot be called without an #if.
                || (api.Twin is { } twinElsewhere && _targets.LacksOnAnotherTarget(twinElsewhere, invocation.Syntax)))
            {
                return;
            }

            var properties = ImmutableDictionary<string, string?>.Empty;
            string advice;
            if (api.Twin is { } twin && !IsEnclosing(twin, function, context.ContainingSymbol))
            {
                properties = properties.Add(TwinProperty, twin.Name);
                if (api.TwinTakesToken)
                {
                    properties = properties.Add(TwinTakesTokenProperty, "true");
                }

                advice = "; use 'await " + (twin.ReducedFrom ?? twin).ContainingType.Name + "." + twin.Name + "' instead";
            }
            else if (api.Twin is not null)
            {
                if (IsOverrideEitherBridge(invocation, api.Twin, function)
                    || HandsOverToANonBlockingTail(invocation, context.CancellationToken)
                    || SyncAsyncBranches.IsFallbackBesideAnAwaitingPath(invocation))
                {
                    return;
                }

                // The twin is the method this call sits in: suggesting it would make it call itself.
                properties = properties.Add(TwinIsCallerProperty, "true");
                advice = "; its awaitable form is the method this call is in, so do the asynchronous work here instead";
            }
            else
            {
                advice = "; it has no awaitable form, so move the wait off the async path or use an async primitive";
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.TW1004BlockingApiInAsyncCode,
                invocation.Syntax.GetLocation(),
                properties,
                api.Display,
                AsyncContext.Describe(function),
                advice));
        }

        // `pipe.HMSet(key, …)` on FreeRedis's PipelineHook (CSRedis: CSRedisClientPipe): a client in
        // pipeline mode only queues the command, and its async twin's task completes when the pipeline
        // is ended, so awaiting it before then would wait forever. Known by the receiver type's name.
        private static bool IsQueuedOnAPipeline(IInvocationOperation invocation)
        {
            var name = (invocation.Instance?.Type ?? (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value.Type : null))?.Name;
            return name is not null
                   && (name.IndexOf("Pipeline", System.StringComparison.Ordinal) >= 0 || name.EndsWith("Pipe", System.StringComparison.Ordinal));
        }

        // `protected virtual async Task EmitBatchAsync(e) { EmitBatch(e); }` beside `protected virtual void
        // EmitBatch(e) { }` (Serilog's periodic batching sink, "override either, not both"): the async
        // default hands over to the overridable synchronous twin on this object. Which one does the work is
        // the subclass's choice; the bridge itself blocks on nothing of its own.
        private static bool IsOverrideEitherBridge(IInvocationOperation invocation, IMethodSymbol twin, IMethodSymbol function)
            => SymbolEqualityComparer.Default.Equals(twin.OriginalDefinition, function.OriginalDefinition)
               && IsOverridable(function)
               && IsOverridable(invocation.TargetMethod)
               && invocation.Instance is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };

        // `async ValueTask ReturnAsync(pool, source) { foreach (…) await source[i].DisposeAsync(); Return(pool, source); }`
        // (dotNext's token multiplexer): the async twin does its own asynchronous part, then the
        // synchronous twin's shared tail. With no fix to offer, the finding needs evidence that the
        // tail blocks: a helper of this compilation whose summary finds no blocking call is not reported.
        private bool HandsOverToANonBlockingTail(IInvocationOperation invocation, System.Threading.CancellationToken cancellationToken)
            => _summaries.IsAnalyzableHelper(invocation.TargetMethod)
               && _summaries.GetBlockingChain(invocation, cancellationToken) is null;

        private static bool IsOverridable(IMethodSymbol method)
            => (method.IsVirtual || method.IsAbstract || method.IsOverride) && !method.IsSealed && method.ContainingType is { IsSealed: false };

        // The async function itself, or the method around the async lambda or local function.
        // An extension twin may come reduced (`reader.MergeAsync(…)`): its declaration is what the function is.
        private static bool IsEnclosing(IMethodSymbol twin, IMethodSymbol function, ISymbol containingSymbol)
        {
            var declared = (twin.ReducedFrom ?? twin).OriginalDefinition;
            return SymbolEqualityComparer.Default.Equals(declared, function.OriginalDefinition)
                   || SymbolEqualityComparer.Default.Equals(declared, containingSymbol.OriginalDefinition);
        }
    }
}
