using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace Threadwise.Core;

/// <summary>
/// An async lambda passed to a void-returning loop API, as a statement: <c>list.ForEach(async x => ...)</c>
/// or <c>Parallel.ForEach(items, async x => ...)</c>. The TW4005 fixes rewrite these.
/// </summary>
internal sealed class AsyncLambdaCall
{
    private AsyncLambdaCall(ExpressionStatementSyntax statement, InvocationExpressionSyntax invocation, LambdaExpressionSyntax lambda, ParameterSyntax parameter, IMethodSymbol method, ReturnStatementSyntax? completedReturn)
    {
        CompletedReturn = completedReturn;
        Statement = statement;
        Invocation = invocation;
        Lambda = lambda;
        Parameter = parameter;
        Method = method;
    }

    public ExpressionStatementSyntax Statement { get; }

    /// <summary>In a non-async method that returns a task: the <c>return Task.CompletedTask;</c>
    /// right after the call. The joined work is returned there instead of awaited.</summary>
    public ReturnStatementSyntax? CompletedReturn { get; }

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
            || state.SemanticModel.GetSymbolInfo(invocation, state.CancellationToken).Symbol is not IMethodSymbol method)
        {
            return null;
        }

        if (AwaitPlacement.CanAwaitAt(statement, state.SemanticModel, state.CancellationToken))
        {
            return new AsyncLambdaCall(statement, invocation, lambda, parameter, method, completedReturn: null);
        }

        return CompletedTaskReturnAfter(statement, state) is { } completedReturn
            ? new AsyncLambdaCall(statement, invocation, lambda, parameter, method, completedReturn)
            : null;
    }

    /// <summary>Puts the task that joins the work where the call was: <c>await joined;</c> in async
    /// code; in a non-async method, <c>return joined;</c> in place of the <c>return Task.CompletedTask;</c>
    /// that followed (nothing ran in between, so only the join changes).</summary>
    public void ReplaceWithJoin(SyntaxEditor editor, ExpressionSyntax joined)
    {
        if (CompletedReturn is { } completedReturn)
        {
            // Comments before the call stay; its indentation and line break go with it.
            var keepsComments = Statement.GetLeadingTrivia().Any(t => t.IsKind(SyntaxKind.SingleLineCommentTrivia) || t.IsKind(SyntaxKind.MultiLineCommentTrivia));
            editor.RemoveNode(Statement, keepsComments ? SyntaxRemoveOptions.KeepLeadingTrivia : SyntaxRemoveOptions.KeepNoTrivia);
            editor.ReplaceNode(completedReturn.Expression!, joined.WithTriviaFrom(completedReturn.Expression!));
            return;
        }

        editor.ReplaceNode(Invocation, AwaitPlacement.Await(joined, Invocation));
    }

    // `list.ForEach(async ...); return Task.CompletedTask;` in a method that cannot await.
    private static ReturnStatementSyntax? CompletedTaskReturnAfter(ExpressionStatementSyntax statement, FixState state)
    {
        if (statement.Parent is not BlockSyntax block)
        {
            return null;
        }

        var index = block.Statements.IndexOf(statement);
        return index + 1 < block.Statements.Count
               && block.Statements[index + 1] is ReturnStatementSyntax { Expression: { } returned } next
               && state.SemanticModel.GetSymbolInfo(returned, state.CancellationToken).Symbol is IPropertySymbol { Name: "CompletedTask", IsStatic: true } property
               && SymbolEqualityComparer.Default.Equals(property.ContainingType, state.Symbols.Task)
            ? next
            : null;
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
