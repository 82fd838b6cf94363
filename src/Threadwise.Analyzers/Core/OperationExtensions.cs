using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>Small operation-tree helpers every rule needs.</summary>
internal static class OperationExtensions
{
    /// <summary>The operation under any conversions and parentheses: what the code names.</summary>
    public static IOperation WithoutConversions(this IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    continue;
                default:
                    return operation;
            }
        }
    }

    /// <summary>The first ancestor that is not a conversion or parentheses: what uses the value.</summary>
    public static IOperation? ParentSkippingConversions(this IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        return parent;
    }

    /// <summary>True when the branch ends in <c>return</c>, <c>throw</c>, <c>break</c>, <c>continue</c>
    /// or <c>goto</c>: the code after it runs only when the branch was not taken.</summary>
    public static bool AlwaysLeaves(this IOperation branch)
    {
        while (branch is IBlockOperation { Operations.Length: > 0 } block)
        {
            branch = block.Operations[block.Operations.Length - 1];
        }

        return branch is IReturnOperation or IThrowOperation or IBranchOperation
               || branch is IExpressionStatementOperation { Operation: IThrowOperation };
    }
}
