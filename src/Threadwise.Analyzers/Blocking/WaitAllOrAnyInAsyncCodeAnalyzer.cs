using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Threadwise.Core;

namespace Threadwise.Blocking;

/// <summary>TW1003: <c>Task.WaitAll</c> / <c>Task.WaitAny</c> in async code.</summary>
public sealed class WaitAllOrAnyInAsyncCodeAnalyzer : ThreadwiseAnalyzer
{
    public WaitAllOrAnyInAsyncCodeAnalyzer()
        : base(Descriptors.TW1003WaitAllOrAnyInAsyncCode)
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
        context.RegisterOperationAction(analyzer.AnalyzeInvocation, OperationKind.Invocation);
    }

    private sealed class Context
    {
        private readonly TaskWaits _waits;

        public Context(TaskWaits waits) => _waits = waits;

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            if (!_waits.TryGetWait(context.Operation, out var wait)
                || wait.IsOnSingleTask
                || AsyncContext.GetAsyncFunction(wait.Operation, context.ContainingSymbol) is not { } function
                || SyncAsyncBranches.IsInSynchronousBranch(wait.Operation))
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.TW1003WaitAllOrAnyInAsyncCode,
                wait.Operation.Syntax.GetLocation(),
                wait.Display,
                AsyncContext.Describe(function),
                wait.Kind == TaskWaitKind.WaitAll ? "Task.WhenAll" : "Task.WhenAny"));
        }
    }
}
