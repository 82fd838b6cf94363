using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Threadwise.Core;

namespace Threadwise.Blocking;

/// <summary>TW1002: <c>Wait()</c>, <c>Result</c> or <c>GetAwaiter().GetResult()</c> on a task in async code.</summary>
public sealed class BlockingWaitInAsyncCodeAnalyzer : ThreadwiseAnalyzer
{
    public BlockingWaitInAsyncCodeAnalyzer()
        : base(Descriptors.TW1002BlockingWaitInAsyncCode)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var waits = TaskWaits.For(context.Compilation);
        if (waits.Symbols.Task is null)
        {
            return;
        }

        var analyzer = new Context(waits);
        context.RegisterOperationAction(analyzer.Analyze, OperationKind.Invocation, OperationKind.PropertyReference);
    }

    private sealed class Context
    {
        private readonly TaskWaits _waits;

        public Context(TaskWaits waits) => _waits = waits;

        public void Analyze(OperationAnalysisContext context)
        {
            if (!_waits.TryGetWait(context.Operation, out var wait)
                || !wait.IsOnSingleTask
                || AsyncContext.GetAsyncFunction(wait.Operation, context.ContainingSymbol) is not { } function
                || KnownCompleteTasks.IsKnownComplete(wait.Task!, _waits.Symbols)
                || SyncAsyncBranches.IsInSynchronousBranch(wait.Operation))
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.TW1002BlockingWaitInAsyncCode,
                wait.Operation.Syntax.GetLocation(),
                wait.Display,
                AsyncContext.Describe(function)));
        }
    }
}
