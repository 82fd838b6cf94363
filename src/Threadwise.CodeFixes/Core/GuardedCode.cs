using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Formatting;

namespace Threadwise.Core;

/// <summary>
/// The code a lock fix wraps around a racy access: the expression statement holding it (directly
/// in a block), the whole <c>if</c> when the access is its check (check-then-act), or the whole body of a non-async expression-bodied lambda (<c>x => list.Add(x)</c>),
/// which becomes a block body (<c>x => { lock (g) { list.Add(x); } }</c>, or <c>return</c> for a
/// lambda with a value). Never code with an <c>await</c>: a lock body cannot hold one.
/// </summary>
internal sealed class GuardedCode
{
    private GuardedCode(SyntaxNode node, bool returnsValue)
    {
        Node = node;
        ReturnsValue = returnsValue;
    }

    /// <summary>The statement, or the lambda's expression body.</summary>
    public SyntaxNode Node { get; }

    private bool ReturnsValue { get; }

    public static GuardedCode? Find(SyntaxNode access, SemanticModel model, CancellationToken cancellationToken)
    {
        GuardedCode? found = null;
        for (var node = access; node is not null && found is null; node = node.Parent)
        {
            if (node is IfStatementSyntax { Parent: BlockSyntax, Else: null } check && check.Condition.Span.Contains(access.Span))
            {
                // A check-then-act (`if (v > max) max = v;`): the check and the write go under one lock.
                found = new GuardedCode(node, returnsValue: false);
            }
            else if (node is StatementSyntax)
            {
                if (node is not ExpressionStatementSyntax { Parent: BlockSyntax })
                {
                    return null;
                }

                found = new GuardedCode(node, returnsValue: false);
            }
            else if (node.Parent is AnonymousFunctionExpressionSyntax function && function.Body == node && node is ExpressionSyntax)
            {
                if (function.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword)
                    || model.GetSymbolInfo(function, cancellationToken).Symbol is not IMethodSymbol lambda)
                {
                    return null;
                }

                found = new GuardedCode(node, returnsValue: !lambda.ReturnsVoid);
            }
            else if (node is MemberDeclarationSyntax or AnonymousFunctionExpressionSyntax)
            {
                return null;
            }
        }

        if (found is null)
        {
            return null;
        }

        foreach (var descendant in found.Node.DescendantNodesAndSelf())
        {
            if (descendant is AwaitExpressionSyntax)
            {
                return null;
            }
        }

        return found;
    }

    /// <summary>Replaces the code with itself inside <c>lock (<paramref name="lockObject"/>)</c>.</summary>
    public void Wrap(Microsoft.CodeAnalysis.Editing.SyntaxEditor editor, ExpressionSyntax lockObject)
    {
        if (Node is StatementSyntax statement)
        {
            editor.ReplaceNode(statement, LockWrap.Around(lockObject, new[] { statement }));
            return;
        }

        // The lambda is replaced as a whole: a rewriter visits an expression body as an expression.
        editor.ReplaceNode(Node.Parent!, (current, _) =>
        {
            var function = (AnonymousFunctionExpressionSyntax)current;
            if (function.Body is not ExpressionSyntax body)
            {
                return function;
            }

            var inner = ReturnsValue
                ? (StatementSyntax)SyntaxFactory.ReturnStatement(body.WithoutTrivia())
                : SyntaxFactory.ExpressionStatement(body.WithoutTrivia());
            var block = SyntaxFactory.Block(SyntaxFactory.LockStatement(lockObject, SyntaxFactory.Block(inner)))
                .WithTriviaFrom(body)
                .WithAdditionalAnnotations(Formatter.Annotation);
            return function.WithBody(block);
        });
    }
}
