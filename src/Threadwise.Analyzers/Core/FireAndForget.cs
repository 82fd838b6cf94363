using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// A call whose arguments say "fire and forget": an enum value named <c>FireAndForget</c>, alone or
/// or-ed with other flags (StackExchange.Redis's <c>CommandFlags.FireAndForget</c> and the APIs that
/// copy the convention). Such a call returns without waiting for its work, so it does not block,
/// and the task it returns is not meant to be awaited.
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

    private static bool NamesFireAndForget(IOperation value)
        => value switch
        {
            IFieldReferenceOperation { Field: { Name: Name, ContainingType.TypeKind: TypeKind.Enum } } => true,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Or } or
                => NamesFireAndForget(or.LeftOperand.WithoutConversions()) || NamesFireAndForget(or.RightOperand.WithoutConversions()),
            _ => false,
        };
}
