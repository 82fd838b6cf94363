using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>How a thread blocks on a task.</summary>
internal enum TaskWaitKind
{
    /// <summary><c>task.Wait()</c>.</summary>
    Wait,

    /// <summary><c>task.Wait(cancellationToken)</c>.</summary>
    WaitWithToken,

    /// <summary><c>task.Wait(timeout)</c>: returns whether it finished, so <c>await</c> is no drop-in.</summary>
    WaitWithTimeout,

    /// <summary><c>task.Result</c>.</summary>
    Result,

    /// <summary><c>task.GetAwaiter().GetResult()</c>, also through <c>ConfigureAwait</c>.</summary>
    GetResult,

    /// <summary><c>Task.WaitAll(...)</c>.</summary>
    WaitAll,

    /// <summary><c>Task.WaitAny(...)</c>.</summary>
    WaitAny,
}

/// <summary>A blocking wait on a task: what blocks, and on which task expression.</summary>
internal readonly struct TaskWait
{
    public TaskWait(TaskWaitKind kind, IOperation operation, IOperation? task)
    {
        Kind = kind;
        Operation = operation;
        Task = task;
    }

    public TaskWaitKind Kind { get; }

    /// <summary>The whole blocking expression (<c>t.Result</c>, <c>t.GetAwaiter().GetResult()</c>).</summary>
    public IOperation Operation { get; }

    /// <summary>The awaitable the wait blocks on (for GetResult, what GetAwaiter was called on);
    /// null for <c>WaitAll</c>/<c>WaitAny</c>.</summary>
    public IOperation? Task { get; }

    public bool IsOnSingleTask => Kind is not (TaskWaitKind.WaitAll or TaskWaitKind.WaitAny);

    /// <summary>The wait as a user would name it, for messages.</summary>
    public string Display => Kind switch
    {
        TaskWaitKind.Result => "Result",
        TaskWaitKind.GetResult => "GetAwaiter().GetResult()",
        TaskWaitKind.WaitAll => "Task.WaitAll",
        TaskWaitKind.WaitAny => "Task.WaitAny",
        _ => "Wait",
    };
}

/// <summary>
/// Recognizes blocking waits on tasks (<c>Wait</c>, <c>Result</c>, <c>GetAwaiter().GetResult()</c>,
/// <c>Task.WaitAll/WaitAny</c>) by symbol. Built once per compilation and shared by every rule.
/// </summary>
internal sealed class TaskWaits
{
    private static readonly ConditionalWeakTable<Compilation, TaskWaits> Cache = new();

    private readonly KnownSymbols _symbols;
    private readonly ImmutableHashSet<ISymbol> _awaiterTypes;

    private TaskWaits(Compilation compilation)
    {
        _symbols = KnownSymbols.For(compilation);
        var awaiters = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var awaiter in new[]
                 {
                     _symbols.TaskAwaiter, _symbols.TaskAwaiterOfT, _symbols.ValueTaskAwaiter, _symbols.ValueTaskAwaiterOfT,
                     _symbols.ConfiguredTaskAwaiter, _symbols.ConfiguredTaskAwaiterOfT,
                     _symbols.ConfiguredValueTaskAwaiter, _symbols.ConfiguredValueTaskAwaiterOfT,
                 })
        {
            if (awaiter is not null)
            {
                awaiters.Add(awaiter);
            }
        }

        _awaiterTypes = awaiters.ToImmutable();
    }

    public KnownSymbols Symbols => _symbols;

    public static TaskWaits For(Compilation compilation)
        => Cache.GetValue(compilation, static c => new TaskWaits(c));

    /// <summary>Recognizes an invocation or property reference that blocks on a task. Non-blocking
    /// polls (<c>Wait(0)</c>, <c>WaitAny(tasks, 0)</c>) are not waits.</summary>
    public bool TryGetWait(IOperation operation, out TaskWait wait)
    {
        wait = default;
        switch (operation)
        {
            case IPropertyReferenceOperation { Property.Name: "Result", Instance: { } instance } property
                when IsTaskOfT(property.Property.ContainingType):
                wait = new TaskWait(TaskWaitKind.Result, property, instance);
                return true;

            case IInvocationOperation invocation:
                return TryGetWait(invocation, out wait);

            default:
                return false;
        }
    }

    private bool TryGetWait(IInvocationOperation invocation, out TaskWait wait)
    {
        wait = default;
        var method = invocation.TargetMethod;

        // A call still being typed (`Task.WaitAll(`) binds with recovered arguments: not yet a finding.
        if (invocation.Syntax.ContainsDiagnostics)
        {
            return false;
        }

        switch (method.Name)
        {
            case "Wait" when !method.IsStatic && invocation.Instance is { } task
                             && SymbolEqualityComparer.Default.Equals(method.ContainingType, _symbols.Task):
                if (Timeouts.HasZeroTimeout(invocation))
                {
                    return false;
                }

                var kind = Timeouts.HasTimeout(invocation) ? TaskWaitKind.WaitWithTimeout
                    : invocation.Arguments.Length == 1 ? TaskWaitKind.WaitWithToken
                    : TaskWaitKind.Wait;
                wait = new TaskWait(kind, invocation, task);
                return true;

            case "GetResult" when invocation.Instance is IInvocationOperation { TargetMethod.Name: "GetAwaiter", Instance: { } awaitable }
                                  && _awaiterTypes.Contains(method.ContainingType.OriginalDefinition):
                wait = new TaskWait(TaskWaitKind.GetResult, invocation, awaitable);
                return true;

            case "WaitAll" or "WaitAny" when method.IsStatic
                                             && SymbolEqualityComparer.Default.Equals(method.ContainingType, _symbols.Task)
                                             && !Timeouts.HasZeroTimeout(invocation):
                wait = new TaskWait(method.Name == "WaitAll" ? TaskWaitKind.WaitAll : TaskWaitKind.WaitAny, invocation, null);
                return true;

            default:
                return false;
        }
    }

    private bool IsTaskOfT(INamedTypeSymbol type)
    {
        var definition = type.OriginalDefinition;
        return SymbolEqualityComparer.Default.Equals(definition, _symbols.TaskOfT)
               || SymbolEqualityComparer.Default.Equals(definition, _symbols.ValueTaskOfT);
    }
}
