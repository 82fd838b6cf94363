using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// The dual sync/async path libraries write to serve both kinds of callers from one method:
/// <c>if (sync) x.Wait(); else await x.WaitAsync();</c>, <c>sync ? m.Lock() : await m.LockAsync()</c>,
/// <c>if (!useAsync) { Thread.Sleep(d); return; } await Task.Delay(d);</c>. The blocking branch is
/// the synchronous API's path and already has its async twin beside it: nothing to report there.
/// </summary>
internal static class SyncAsyncBranches
{
    /// <summary>True when <paramref name="operation"/> is in the branch of a flag test (a bool
    /// parameter, local, field or property, possibly negated) whose other branch, or the code after
    /// a branch that leaves, awaits.</summary>
    public static bool IsInSynchronousBranch(IOperation operation)
    {
        var child = operation;
        for (var current = operation.Parent; current is not null; child = current, current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }

            if (current is not IConditionalOperation conditional || !IsFlag(conditional.Condition))
            {
                continue;
            }

            if (child == conditional.WhenTrue && conditional.WhenFalse is { } whenFalse && Awaits(whenFalse))
            {
                return true;
            }

            if (child == conditional.WhenFalse && Awaits(conditional.WhenTrue))
            {
                return true;
            }

            if (child == conditional.WhenTrue && conditional.WhenFalse is null && conditional.WhenTrue.AlwaysLeaves() && AwaitsAfter(conditional))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsFlag(IOperation condition)
    {
        while (condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } negation)
        {
            condition = negation.Operand;
        }

        condition = condition.WithoutConversions();
        return condition.Type?.SpecialType == SpecialType.System_Boolean
               && condition is IParameterReferenceOperation or ILocalReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation;
    }

    private static bool Awaits(IOperation branch)
    {
        foreach (var descendant in branch.DescendantsAndSelf())
        {
            if (descendant is IAwaitOperation && !AsyncContext.IsInNestedFunction(descendant, branch))
            {
                return true;
            }
        }

        return false;
    }

    // `if (sync) { ...; return; }` followed, in the same block, by the awaiting path.
    private static bool AwaitsAfter(IOperation statement)
    {
        if (statement.Parent is not IBlockOperation block)
        {
            return false;
        }

        var after = false;
        foreach (var sibling in block.Operations)
        {
            if (after && Awaits(sibling))
            {
                return true;
            }

            after |= sibling == statement;
        }

        return false;
    }
}
