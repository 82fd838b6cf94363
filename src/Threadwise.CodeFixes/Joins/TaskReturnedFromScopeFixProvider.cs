using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>
/// TW4007 fix: the method becomes <c>async</c> and every <c>return task;</c> in it awaits the task
/// (<c>return await task;</c>, or <c>await task; return;</c> for a non-generic task), so the scope
/// ends when the work does. Withheld when the method throws anywhere (an exception thrown before the
/// task starts would move from the call into the task: a change callers could notice).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TaskReturnedFromScopeFixProvider))]
public sealed class TaskReturnedFromScopeFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW4007TaskReturnedFromScope.Id);

    protected internal override string Title => "Make the method async and await the task";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        if (state.FindNode<ExpressionSyntax>(diagnostic) is not { Parent: ReturnStatementSyntax } returned
            || returned.FirstAncestorOrSelf<SyntaxNode>(n => n is MethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax) is not { } function
            || function is AnonymousFunctionExpressionSyntax
            || Body(function) is not { } body
            || state.SemanticModel.GetDeclaredSymbol(function, state.CancellationToken) is not IMethodSymbol { IsAsync: false, ReturnType: INamedTypeSymbol returnType }
            || !state.Symbols.IsTaskType(returnType)
            || Throws(body))
        {
            return null;
        }

        if (!state.FirstTime(function))
        {
            return static _ => { };
        }

        var returnsValue = returnType.IsGenericType;
        var configureAwait = AwaitPlacement.UsesConfigureAwaitFalse(state.Root);
        var returns = body.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .OfType<ReturnStatementSyntax>()
            .Where(r => r.Expression is not null)
            .ToList();

        return editor =>
        {
            foreach (var @return in returns)
            {
                var awaited = Await(@return.Expression!, configureAwait);
                if (returnsValue)
                {
                    editor.ReplaceNode(@return.Expression!, awaited.WithTriviaFrom(@return.Expression!));
                    continue;
                }

                var awaitStatement = SyntaxFactory.ExpressionStatement(awaited);
                var isLast = @return.Parent == body && body.Statements.Last() == @return;
                if (isLast)
                {
                    editor.ReplaceNode(@return, awaitStatement.WithTriviaFrom(@return));
                }
                else if (@return.Parent is BlockSyntax)
                {
                    editor.InsertBefore(@return, awaitStatement.WithLeadingTrivia(@return.GetLeadingTrivia()));
                    editor.ReplaceNode(@return, SyntaxFactory.ReturnStatement().WithTrailingTrivia(@return.GetTrailingTrivia()).WithAdditionalAnnotations(Formatter.Annotation));
                }
                else
                {
                    editor.ReplaceNode(@return, SyntaxFactory.Block(awaitStatement, SyntaxFactory.ReturnStatement()).WithTriviaFrom(@return).WithAdditionalAnnotations(Formatter.Annotation));
                }
            }

            editor.ReplaceNode(function, (current, _) => current switch
            {
                MethodDeclarationSyntax method => method.AddModifiers(SyntaxFactory.Token(SyntaxKind.AsyncKeyword)),
                LocalFunctionStatementSyntax local => local.AddModifiers(SyntaxFactory.Token(SyntaxKind.AsyncKeyword)),
                _ => current,
            });
        };
    }

    private static BlockSyntax? Body(SyntaxNode function) => function switch
    {
        MethodDeclarationSyntax method => method.Body,
        LocalFunctionStatementSyntax local => local.Body,
        _ => null,
    };

    private static bool Throws(BlockSyntax body)
        => body.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .Any(n => n is ThrowStatementSyntax or ThrowExpressionSyntax);

    private static AwaitExpressionSyntax Await(ExpressionSyntax task, bool configureAwait)
    {
        var awaited = configureAwait ? AwaitPlacement.ConfigureAwaitFalse(task.WithoutTrivia()) : task.WithoutTrivia();
        return SyntaxFactory.AwaitExpression(awaited).WithAdditionalAnnotations(Formatter.Annotation);
    }
}
