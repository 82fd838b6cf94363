using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Threadwise.Core;

/// <summary>
/// Turns a blocking wait on one task into the <c>await</c> that replaces it:
/// <c>t.Wait()</c>, <c>t.Result</c> and <c>t.GetAwaiter().GetResult()</c> become <c>await t</c>;
/// <c>t.Wait(token)</c> becomes <c>await t.WaitAsync(token)</c> where that exists. Waits with a
/// timeout return whether the task finished, which <c>await</c> cannot say: no rewrite.
/// </summary>
internal static class TaskWaitRewriter
{
    /// <summary>The expression to await in place of <paramref name="wait"/>, or null.</summary>
    public static ExpressionSyntax? GetAwaitedExpression(ExpressionSyntax wait, SemanticModel model, CancellationToken cancellationToken)
    {
        switch (wait)
        {
            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" } result:
                return result.Expression;

            case InvocationExpressionSyntax
            {
                Expression: MemberAccessExpressionSyntax
                {
                    Name.Identifier.ValueText: "GetResult",
                    Expression: InvocationExpressionSyntax
                    {
                        Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetAwaiter" } getAwaiter,
                        ArgumentList.Arguments.Count: 0,
                    },
                },
            }:
                return getAwaiter.Expression;

            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Wait" } waitAccess } invocation:
                return RewriteWait(invocation, waitAccess, model, cancellationToken);

            default:
                return null;
        }
    }

    private static ExpressionSyntax? RewriteWait(InvocationExpressionSyntax invocation, MemberAccessExpressionSyntax access, SemanticModel model, CancellationToken cancellationToken)
    {
        var arguments = invocation.ArgumentList.Arguments;
        if (arguments.Count == 0)
        {
            return access.Expression;
        }

        if (arguments.Count != 1
            || model.GetSymbolInfo(invocation, cancellationToken).Symbol is not IMethodSymbol { Parameters.Length: 1 } wait
            || wait.Parameters[0].Name != "cancellationToken"
            || wait.ContainingType.GetMembers("WaitAsync").IsEmpty)
        {
            return null;
        }

        // t.Wait(token) -> t.WaitAsync(token): cancels the wait as before, without blocking.
        return SyntaxFactory.InvocationExpression(
            access.WithName(SyntaxFactory.IdentifierName("WaitAsync")),
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(arguments[0].Expression))));
    }
}
