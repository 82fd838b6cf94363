using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>
/// TW4001 fix for a worker thread (its work loops until someone stops it): <c>IsBackground = true</c>
/// in the creation's initializer, so the worker no longer keeps the process alive when everything
/// else has ended. Joining such a thread where it starts would wait for the worker's end instead.
/// </summary>
// Not exported on its own: offered through the rule's BestFixProvider, which picks the best fix per finding.
public sealed class ThreadNeverJoinedBackgroundFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW4001ThreadNeverJoined.Id);

    protected internal override string Title => "Make the worker a background thread";

    protected internal override string? EquivalenceKey => "TW4001.Background";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        if (state.FindNode<InvocationExpressionSyntax>(diagnostic) is not { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Start", Expression: var receiver } }
            || CreationOf(receiver, state) is not { } creation
            || WorkerThreads.WorkOf(creation, state) != ThreadWorkKind.Loops
            || SetsIsBackground(creation))
        {
            return null;
        }

        return editor => editor.ReplaceNode(creation, (current, _) => WithBackground((BaseObjectCreationExpressionSyntax)current));
    }

    private static BaseObjectCreationExpressionSyntax? CreationOf(ExpressionSyntax receiver, FixState state)
    {
        if (receiver is BaseObjectCreationExpressionSyntax direct)
        {
            return direct;
        }

        return receiver is IdentifierNameSyntax name
               && state.SemanticModel.GetSymbolInfo(name, state.CancellationToken).Symbol is ILocalSymbol local
            ? WorkerThreads.Creation(local, state)
            : null;
    }

    private static bool SetsIsBackground(BaseObjectCreationExpressionSyntax creation)
    {
        foreach (var expression in creation.Initializer?.Expressions ?? default)
        {
            if (expression is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: "IsBackground" } })
            {
                return true;
            }
        }

        return false;
    }

    private static BaseObjectCreationExpressionSyntax WithBackground(BaseObjectCreationExpressionSyntax creation)
    {
        var background = SyntaxFactory.ParseExpression("IsBackground = true");
        if (creation.Initializer is { } initializer)
        {
            // `{ Name = "drain" }` becomes `{ Name = "drain", IsBackground = true }`.
            var expressions = initializer.Expressions;
            var last = expressions[expressions.Count - 1];
            var items = expressions.Replace(last, last.WithoutTrailingTrivia());
            var comma = SyntaxFactory.Token(SyntaxKind.CommaToken).WithTrailingTrivia(SyntaxFactory.Space);
            return creation.WithInitializer(initializer.WithExpressions(
                SyntaxFactory.SeparatedList<ExpressionSyntax>(items.GetWithSeparators().Add(comma).Add(background.WithTrailingTrivia(last.GetTrailingTrivia())))));
        }

        // `new Thread(Run).Start()` keeps its argument list; `{ IsBackground = true }` follows it on the same line.
        var trailing = creation.GetTrailingTrivia();
        var withInitializer = creation.WithoutTrailingTrivia().WithInitializer(
            SyntaxFactory.InitializerExpression(
                SyntaxKind.ObjectInitializerExpression,
                SyntaxFactory.SingletonSeparatedList(background))
            .WithOpenBraceToken(SyntaxFactory.Token(SyntaxKind.OpenBraceToken).WithLeadingTrivia(SyntaxFactory.Space).WithTrailingTrivia(SyntaxFactory.Space))
            .WithCloseBraceToken(SyntaxFactory.Token(SyntaxKind.CloseBraceToken).WithLeadingTrivia(SyntaxFactory.Space)));
        return withInitializer.WithTrailingTrivia(trailing);
    }
}
