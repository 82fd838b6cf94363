using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// Code that says "fire and forget". A call whose arguments say it — an enum value named
/// <c>FireAndForget</c>, alone or or-ed with other flags (StackExchange.Redis's
/// <c>CommandFlags.FireAndForget</c> and the APIs that copy the convention) — returns without waiting
/// for its work, so it does not block, and the task it returns is not meant to be awaited. A helper
/// named for it drops tasks on purpose.
/// </summary>
internal static class FireAndForget
{
    private const string Name = "FireAndForget";

    public static bool IsRequested(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind != ArgumentKind.DefaultValue && NamesFireAndForget(argument.Value.WithoutConversions()))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// A synchronous method or local function named for forgetting — <c>void FireAndForget(IHandler h,
    /// Invocation i) { h.Run(i); }</c>, <c>SafeFireAndForget</c>, <c>Forget</c> (found dogfooding the PubNub
    /// SDK's effect dispatcher): dropping the task is what its name promises its callers, as plainly as
    /// <c>_ =</c> would. A lambda, and an async method (which could await), are not.
    /// </summary>
    public static bool IsForgettingHelper(IMethodSymbol? function)
        => function is { IsAsync: false, MethodKind: MethodKind.Ordinary or MethodKind.LocalFunction }
           && CallNames.HasWholeWord(function.Name, "Forget");

    private static bool NamesFireAndForget(IOperation value)
        => value switch
        {
            IFieldReferenceOperation { Field: { Name: Name, ContainingType.TypeKind: TypeKind.Enum } } => true,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Or } or
                => NamesFireAndForget(or.LeftOperand.WithoutConversions()) || NamesFireAndForget(or.RightOperand.WithoutConversions()),
            _ => false,
        };
}
