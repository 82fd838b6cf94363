using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.Blocking;

/// <summary>TW1001: <c>Thread.Sleep</c> inside async code blocks the thread the async code runs on.</summary>
public sealed class ThreadSleepInAsyncCodeAnalyzer : ThreadwiseAnalyzer
{
    public ThreadSleepInAsyncCodeAnalyzer()
        : base(Descriptors.TW1001ThreadSleepInAsyncCode)
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
            if (!IsThreadSleep(invocation.TargetMethod) || IsZeroSleep(invocation))
            {
                return;
            }

            var function = AsyncContext.GetAsyncFunction(invocation, context.ContainingSymbol);
            if (function is null || SyncAsyncBranches.IsInSynchronousBranch(invocation) || invocation.IsSpinBackoff() || DebugOnlyCode.IsWaitForDebugger(invocation))
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.TW1001ThreadSleepInAsyncCode,
                invocation.Syntax.GetLocation(),
                AsyncContext.Describe(function)));
        }

        private bool IsThreadSleep(IMethodSymbol method)
            => method.IsStatic
               && method.Name == nameof(System.Threading.Thread.Sleep)
               && SymbolEqualityComparer.Default.Equals(method.ContainingType, _thread);

        // Thread.Sleep(0) gives up the rest of the time slice; it does not wait, and Task.Delay(0)
        // would not yield at all, so there is nothing to fix.
        private static bool IsZeroSleep(IInvocationOperation invocation)
            => invocation.Arguments.Length == 1
               && invocation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: 0 };
    }
}
