using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.ThreadPool;

/// <summary>TW3002: a synchronous work item on the thread pool sleeps, waits on a task, or blocks on I/O.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
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

        var analyzer = new Context(concurrency, TaskWaits.For(context.Compilation), BlockingCalls.For(context.Compilation));
        context.RegisterOperationAction(analyzer.Analyze, OperationKind.Invocation, OperationKind.PropertyReference);
    }

    private sealed class Context
    {
        private static readonly ImmutableDictionary<string, string?> CanBecomeAsync =
            ImmutableDictionary<string, string?>.Empty.Add(CanBecomeAsyncProperty, "true");

        private readonly ConcurrentContext _concurrency;
        private readonly TaskWaits _waits;
        private readonly BlockingCalls _blockingCalls;

        public Context(ConcurrentContext concurrency, TaskWaits waits, BlockingCalls blockingCalls)
        {
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
            if (!entry.IsValid || !entry.RunsOnPool || Blocking(context.Operation, entry, options, context.ContainingSymbol) is not { } blocking)
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

        private (string Name, bool Fixable)? Blocking(IOperation operation, ConcurrentEntry entry, ThreadwiseOptions options, ISymbol containingSymbol)
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
                return ("Thread.Sleep", true);
            }

            // Parallel loop bodies are CPU work by design; only true waits are flagged there, not
            // synchronous I/O with an async twin.
            if (_blockingCalls.GetBlockingApi(invocation, options, containingSymbol) is { } api
                && (api.Twin is null || entry.Kind != EntryPointKind.Parallel))
            {
                return (api.Display, false);
            }

            return null;
        }

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
