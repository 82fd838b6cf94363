using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Threadwise.Core;

/// <summary>
/// An async lambda passed to a void-returning loop API, as a statement: <c>list.ForEach(async x => ...)</c>
/// or <c>Parallel.ForEach(items, async x => ...)</c>. The TW4005 fixes rewrite these.
/// </summary>
internal sealed class AsyncLambdaCall
{
    private AsyncLambdaCall(ExpressionStatementSyntax statement, InvocationExpressionSyntax invocation, LambdaExpressionSyntax lambda, ParameterSyntax parameter, IMethodSymbol method)
    {
        Statement = statement;
        Invocation = invocation;
        Lambda = lambda;
        Parameter = parameter;
        Method = method;
    }

    public ExpressionStatementSyntax Statement { get; }

    public InvocationExpressionSyntax Invocation { get; }

    public LambdaExpressionSyntax Lambda { get; }

    /// <summary>The lambda's single parameter.</summary>
    public ParameterSyntax Parameter { get; }

    /// <summary>The loop API called (<c>List&lt;T&gt;.ForEach</c>, <c>Parallel.ForEach</c>).</summary>
    public IMethodSymbol Method { get; }

    /// <summary>The async lambda the diagnostic points at, if it is the last argument of a call
    /// used as a statement in code that can await.</summary>
    public static AsyncLambdaCall? Find(FixState state, Diagnostic diagnostic)
    {
        if (state.FindNode<SyntaxNode>(diagnostic) is not { } node
            || node.FirstAncestorOrSelf<LambdaExpressionSyntax>() is not { AsyncKeyword.RawKind: (int)SyntaxKind.AsyncKeyword } lambda
            || lambda.Parent is not ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation } arguments } argument
            || arguments.Arguments[arguments.Arguments.Count - 1] != argument
            || invocation.Parent is not ExpressionStatementSyntax statement
            || SingleParameter(lambda) is not { } parameter
            || state.SemanticModel.GetSymbolInfo(invocation, state.CancellationToken).Symbol is not IMethodSymbol method
            || !AwaitPlacement.CanAwaitAt(statement, state.SemanticModel, state.CancellationToken))
        {
            return null;
        }

        return new AsyncLambdaCall(statement, invocation, lambda, parameter, method);
    }

    /// <summary>True when the lambda's body returns early: as a loop body, that would return from the method.</summary>
    public bool BodyReturns()
    {
        foreach (var node in Lambda.Body.DescendantNodesAndSelf(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax) || n == Lambda.Body))
        {
            if (node is ReturnStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }

    private static ParameterSyntax? SingleParameter(LambdaExpressionSyntax lambda) => lambda switch
    {
        SimpleLambdaExpressionSyntax simple => simple.Parameter,
        ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 1 } parenthesized => parenthesized.ParameterList.Parameters[0],
        _ => null,
    };

    /// <summary>True when the loop API called is <paramref name="type"/>.<paramref name="name"/>.</summary>
    public bool Calls(INamedTypeSymbol? type, string name)
        => Method.Name == name && SymbolEqualityComparer.Default.Equals(Method.ContainingType?.OriginalDefinition, type);

    /// <summary><c>list.ForEach(async x => ...)</c> on a <c>List&lt;T&gt;</c>, with the list expression.</summary>
    public static (AsyncLambdaCall Call, ExpressionSyntax List)? FindListForEach(FixState state, Diagnostic diagnostic)
        => Find(state, diagnostic) is { } call
           && call.Calls(state.Symbols.ListOfT, "ForEach")
           && call.Invocation.Expression is MemberAccessExpressionSyntax { Expression: var list }
            ? (call, list)
            : null;
}
