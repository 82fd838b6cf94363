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
/// parameter. Asked only on the way to a finding (a known-complete question), cached per method.
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
            if (!seen.Add(block.Ordinal) || AwaitsParameter(block, task))
            {
                continue;
            }

            if (block.Kind == BasicBlockKind.Exit)
            {
                return false;
            }

            if (block.ConditionalSuccessor?.Destination is { } conditional)
            {
                pending.Push(conditional);
            }

            if (block.FallThroughSuccessor?.Destination is { } next)
            {
                pending.Push(next);
            }
        }

        return true;
    }

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

    private static bool AwaitsParameter(BasicBlock block, IParameterSymbol task)
    {
        foreach (var operation in block.Operations)
        {
            foreach (var descendant in operation.DescendantsAndSelf())
            {
                if (descendant is IAwaitOperation awaited
                    && KnownCompleteTasks.Unwrap(awaited.Operation) is IParameterReferenceOperation reference
                    && SymbolEqualityComparer.Default.Equals(reference.Parameter, task))
                {
                    return true;
                }
            }
        }

        return false;
    }
}
