using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Threadwise.Core;

namespace Threadwise.Blocking;

/// <summary>TW1005: a synchronous method blocks on a task (sync-over-async).</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
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
                || AsyncContext.GetEnclosingFunction(wait.Operation, context.ContainingSymbol) is not { IsAsync: false } method
                || !IsReportedIn(method)
                || (wait.Task is { } task && KnownCompleteTasks.IsKnownComplete(task, _waits.Symbols)))
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.TW1005SyncOverAsync,
                wait.Operation.Syntax.GetLocation(),
                wait.Display,
                method.Name));
        }

        // Lambdas and local functions run whenever they are invoked (often on tasks already known
        // complete, as in `tasks.Select(t => t.Result)` after WhenAll), and Main is where blocking
        // belongs until it is made `async Task Main`; neither is reported.
        private static bool IsReportedIn(IMethodSymbol method)
            => method.MethodKind is not (MethodKind.AnonymousFunction or MethodKind.LocalFunction)
               && !(method.IsStatic && method.Name is "Main" or WellKnownMemberNames.TopLevelStatementsEntryPointMethodName);
    }
}
