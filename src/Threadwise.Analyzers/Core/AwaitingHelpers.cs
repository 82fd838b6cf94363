using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// <c>await Task.WhenAll(queries).WaitToCompleteAsync(timeout)</c> (the Cassandra driver): an async
/// extension method of your source on a task that awaits that task on every path by which it returns —
/// it throws (a <c>TimeoutException</c>) otherwise — so awaiting the helper completes the task as awaiting
/// the task itself would. Read from the helper's control-flow graph: no path from its entry, or from
/// the entry of any of its catch clauses, reaches the end without passing an <c>await</c> of the task
/// parameter (or of the winner of <c>Task.WhenAny(task, Task.Delay(Timeout.Infinite, token)).Unwrap()</c>), or
/// passing a guard that proves it complete (<c>if (winner == timeout &amp;&amp; !task.IsCompleted) throw …;</c>).
/// Asked only on the way to a finding (a known-complete question), cached per method.
/// </summary>
internal static class AwaitingHelpers
{
    private static readonly ConditionalWeakTable<IMethodSymbol, StrongBox<bool>> Answers = new();

    /// <summary>The task handed to such a helper by <paramref name="operation"/>, or null.</summary>
    public static IOperation? AwaitedArgument(IOperation operation, KnownSymbols symbols)
    {
        if (operation is not IInvocationOperation { TargetMethod: { IsExtensionMethod: true, IsAsync: true } method, Arguments: { Length: > 0 } arguments } call
            || arguments[0].Value is not { Type: { } taskType } task
            || !symbols.IsTaskType(taskType)
            || call.SemanticModel?.Compilation is not { } compilation)
        {
            return null;
        }

        var definition = method.OriginalDefinition;
        if (!SymbolEqualityComparer.Default.Equals(definition.ContainingAssembly, compilation.Assembly))
        {
            return null;
        }

        var answer = Answers.TryGetValue(definition, out var cached)
            ? cached
            : Answers.GetValue(definition, m => new StrongBox<bool>(AwaitsItsTaskOnEveryPath(m, compilation)));
        return answer.Value ? task : null;
    }

    private static bool AwaitsItsTaskOnEveryPath(IMethodSymbol method, Compilation compilation)
    {
        if (method.Parameters.Length == 0
            || MethodBodies.Syntax(method, CancellationToken.None) is not { Parent: MethodDeclarationSyntax declaration }
            || declaration.ContainsDiagnostics
            || !compilation.ContainsSyntaxTree(declaration.SyntaxTree))
        {
            return false;
        }

#pragma warning disable RS1030 // The helper usually lives in another tree; asked only for would-be findings, cached.
        if (compilation.GetSemanticModel(declaration.SyntaxTree).GetOperation(declaration) is not IMethodBodyOperation body)
#pragma warning restore RS1030
        {
            return false;
        }

        var graph = ControlFlowGraph.Create(body);
        var task = method.Parameters[0];
        var pending = new Stack<BasicBlock>();
        pending.Push(graph.Blocks[0]);
        PushHandlers(graph.Root, graph, pending);
        var seen = new HashSet<int>();
        while (pending.Count > 0)
        {
            var block = pending.Pop();
            if (!seen.Add(block.Ordinal) || AwaitsParameter(block, task, body))
            {
                continue;
            }

            if (block.Kind == BasicBlockKind.Exit)
            {
                return false;
            }

            // An edge taken only when the task is complete ends that path as an await would.
            var whenTrue = block.ConditionKind == ControlFlowConditionKind.WhenTrue;
            if (block.ConditionalSuccessor?.Destination is { } conditional
                && !(block.BranchValue is { } taken && ProvesComplete(taken, whenTrue, task, body)))
            {
                pending.Push(conditional);
            }

            if (block.FallThroughSuccessor?.Destination is { } next
                && !(block.ConditionKind != ControlFlowConditionKind.None && block.BranchValue is { } skipped && ProvesComplete(skipped, !whenTrue, task, body)))
            {
                pending.Push(next);
            }
        }

        return true;
    }

    // `var completed = await Task.WhenAny(task, timeout); if (completed == timeout && !task.IsCompleted) throw …;`
    // (the Azure SignalR SDK's `OrTimeout`, and the many `TimeoutAfter` helpers written that way): past the
    // guard the winner was the task, or the task is complete. True when the condition having the value
    // <paramref name="value"/> proves the task parameter complete: `task.IsCompleted` (or
    // `IsCompletedSuccessfully`) true, or the winner of a two-task `WhenAny(task, other)` — a local set once —
    // compared with `other` (not equal) or with the task (equal).
    private static bool ProvesComplete(IOperation condition, bool value, IParameterSymbol task, IOperation body)
    {
        condition = KnownCompleteTasks.Unwrap(condition);
        switch (condition)
        {
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: var operand }:
                return ProvesComplete(operand, !value, task, body);
            case IPropertyReferenceOperation { Property.Name: "IsCompleted" or "IsCompletedSuccessfully", Instance: { } instance }:
                return value && IsTheParameter(instance, task);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison:
                var equal = comparison.OperatorKind == BinaryOperatorKind.Equals ? value : !value;
                return WinnerAgainst(comparison.LeftOperand, comparison.RightOperand, equal, task, body)
                       || WinnerAgainst(comparison.RightOperand, comparison.LeftOperand, equal, task, body);
            default:
                return false;
        }
    }

    private static bool WinnerAgainst(IOperation winner, IOperation compared, bool equal, IParameterSymbol task, IOperation body)
    {
        if (KnownCompleteTasks.Unwrap(winner) is not ILocalReferenceOperation { Local: var local }
            || LocalInitializer(body, local) is not IAwaitOperation { Operation: var awaited }
            || KnownCompleteTasks.Unwrap(awaited) is not IInvocationOperation { TargetMethod: { Name: "WhenAny", IsStatic: true, ContainingType.Name: "Task" } } whenAny)
        {
            return false;
        }

        var candidates = new List<IOperation>(WhenAnyTasks(whenAny));
        if (candidates.Count != 2)
        {
            return false;
        }

        var taskIndex = IsTheParameter(candidates[0], task) ? 0 : IsTheParameter(candidates[1], task) ? 1 : -1;
        if (taskIndex < 0)
        {
            return false;
        }

        if (IsTheParameter(compared, task))
        {
            return equal; // `winner == task`
        }

        // `winner != other`, where `other` is a local set once (set again, the comparison names another task)
        return !equal && SameLocal(compared, candidates[1 - taskIndex])
               && KnownCompleteTasks.Unwrap(compared) is ILocalReferenceOperation { Local: var other }
               && LocalInitializer(body, other) is not null;
    }

    private static bool IsTheParameter(IOperation operation, IParameterSymbol task)
        => KnownCompleteTasks.Unwrap(operation) is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter, task);

    private static bool SameLocal(IOperation left, IOperation right)
        => KnownCompleteTasks.Unwrap(left) is ILocalReferenceOperation { Local: var a }
           && KnownCompleteTasks.Unwrap(right) is ILocalReferenceOperation { Local: var b }
           && SymbolEqualityComparer.Default.Equals(a, b);

    // A catch clause is entered by an exception, which the graph does not draw as an edge: each one is
    // a place a path may start from.
    private static void PushHandlers(ControlFlowRegion region, ControlFlowGraph graph, Stack<BasicBlock> pending)
    {
        foreach (var nested in region.NestedRegions)
        {
            if (nested.Kind is ControlFlowRegionKind.Catch or ControlFlowRegionKind.Filter or ControlFlowRegionKind.FilterAndHandler)
            {
                pending.Push(graph.Blocks[nested.FirstBlockOrdinal]);
            }

            PushHandlers(nested, graph, pending);
        }
    }

    // `await Task.WhenAny(task, Task.Delay(Timeout.Infinite, token)).Unwrap()` (dotnet-monitor's and many
    // libraries' `WithCancellation`): `Unwrap` hands back the task that won, and awaiting it finishes the task
    // or throws — a delay without end wins only by being cancelled, and awaiting it then throws. The delay
    // may be held in a local the method never sets again.
    private static bool IsWhenAnyWithANeverEndingDelay(IOperation awaited, IParameterSymbol task, IOperation body)
    {
        if (awaited is not IInvocationOperation { TargetMethod.Name: "Unwrap" } unwrap
            || (unwrap.Instance ?? (unwrap.Arguments.Length == 1 ? unwrap.Arguments[0].Value : null)) is not { } inner
            || KnownCompleteTasks.Unwrap(inner) is not IInvocationOperation { TargetMethod: { Name: "WhenAny", IsStatic: true } } whenAny)
        {
            return false;
        }

        var awaitsTask = false;
        foreach (var candidate in WhenAnyTasks(whenAny))
        {
            var value = KnownCompleteTasks.Unwrap(candidate);
            if (value is IParameterReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Parameter, task))
            {
                awaitsTask = true;
            }
            else if (!IsNeverEndingDelay(value, body))
            {
                return false;
            }
        }

        return awaitsTask;
    }

    private static IEnumerable<IOperation> WhenAnyTasks(IInvocationOperation whenAny)
    {
        foreach (var argument in whenAny.Arguments)
        {
            var value = KnownCompleteTasks.Unwrap(argument.Value);
            if (value is IArrayCreationOperation { Initializer: { } array })
            {
                foreach (var element in array.ElementValues)
                {
                    yield return element;
                }
            }
            else if (value.Type is INamedTypeSymbol { IsValueType: true, Name: "ReadOnlySpan" or "Span" }
                     || value.Syntax is CollectionExpressionSyntax)
            {
                // params ReadOnlySpan<Task> on C# 13+, or `[a, b]`: a collection expression, read through its children
                foreach (var element in value.ChildOperations)
                {
                    yield return element;
                }
            }
            else
            {
                yield return value;
            }
        }
    }

    private static bool IsNeverEndingDelay(IOperation value, IOperation body)
    {
        if (value is ILocalReferenceOperation { Local: var local } && LocalInitializer(body, local) is { } initial)
        {
            value = KnownCompleteTasks.Unwrap(initial);
        }

        return value is IInvocationOperation { TargetMethod: { Name: "Delay", IsStatic: true, ContainingType.Name: "Task" }, Arguments: { Length: > 0 } arguments }
               && Timeouts.IsInfinite(arguments[0].Value);
    }

    // The initializer of a local the method never assigns again (only then is its value known at every use),
    // read from the method's own operation tree: the control-flow graph has turned declarations into assignments.
    private static IOperation? LocalInitializer(IOperation body, ILocalSymbol local)
        => LocalDeclarations.GetInitializer(local, body) is { } declaration && !LocalReferences.IsReassigned(body, local)
            ? declaration.Value
            : null;

    private static bool AwaitsParameter(BasicBlock block, IParameterSymbol task, IOperation body)
    {
        foreach (var operation in block.Operations)
        {
            foreach (var descendant in operation.DescendantsAndSelf())
            {
                if (descendant is IAwaitOperation awaited
                    && (KnownCompleteTasks.Unwrap(awaited.Operation) is IParameterReferenceOperation reference
                        && SymbolEqualityComparer.Default.Equals(reference.Parameter, task)
                        || IsWhenAnyWithANeverEndingDelay(KnownCompleteTasks.Unwrap(awaited.Operation), task, body)))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
