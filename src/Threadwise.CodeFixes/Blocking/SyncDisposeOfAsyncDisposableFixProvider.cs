using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Threadwise.Core;

namespace Threadwise.Blocking;

/// <summary>
/// TW1008 fix: <c>using</c> becomes <c>await using</c>; <c>x.Dispose();</c> becomes
/// <c>await x.DisposeAsync();</c>. In a method that uses <c>ConfigureAwait(false)</c>, the call form
/// keeps it (<c>await x.DisposeAsync().ConfigureAwait(false);</c>); the <c>using</c> forms get no fix
/// there, because <c>await using (x.ConfigureAwait(false))</c> changes the variable's type and needs
/// a restructured declaration.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SyncDisposeOfAsyncDisposableFixProvider))]
public sealed class SyncDisposeOfAsyncDisposableFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW1008SyncDisposeOfAsyncDisposable.Id);

    protected internal override string Title => "Dispose asynchronously";

    protected internal override string TitleFor(FixState state, Diagnostic diagnostic)
        => state.Root.FindToken(diagnostic.Location.SourceSpan.Start).IsKind(SyntaxKind.UsingKeyword)
            ? "Use 'await using'"
            : "Use 'await DisposeAsync()'";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        var token = state.Root.FindToken(diagnostic.Location.SourceSpan.Start);
        var usesConfigureAwait = AwaitPlacement.InFunctionUsingConfigureAwaitFalse(token.Parent);
        if (token.IsKind(SyntaxKind.UsingKeyword))
        {
            if (usesConfigureAwait)
            {
                return null;
            }

            switch (token.Parent)
            {
                case UsingStatementSyntax statement when statement.AwaitKeyword.IsKind(SyntaxKind.None):
                    return editor => editor.ReplaceNode(statement, (current, _) =>
                    {
                        var node = (UsingStatementSyntax)current;
                        return node.WithAwaitKeyword(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithLeadingTrivia(node.UsingKeyword.LeadingTrivia).WithTrailingTrivia(SyntaxFactory.Space))
                            .WithUsingKeyword(node.UsingKeyword.WithLeadingTrivia());
                    });
                case LocalDeclarationStatementSyntax declaration when declaration.AwaitKeyword.IsKind(SyntaxKind.None):
                    return editor => editor.ReplaceNode(declaration, (current, _) =>
                    {
                        var node = (LocalDeclarationStatementSyntax)current;
                        return node.WithAwaitKeyword(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithLeadingTrivia(node.UsingKeyword.LeadingTrivia).WithTrailingTrivia(SyntaxFactory.Space))
                            .WithUsingKeyword(node.UsingKeyword.WithLeadingTrivia());
                    });
                default:
                    return null;
            }
        }

        if (state.FindNode<InvocationExpressionSyntax>(diagnostic) is not { Expression: MemberAccessExpressionSyntax access, Parent: ExpressionStatementSyntax } call
            || !HasPublicDisposeAsync(access.Expression, state))
        {
            return null;
        }

        return editor => editor.ReplaceNode(call, (current, _) =>
        {
            var node = (InvocationExpressionSyntax)current;
            var memberAccess = (MemberAccessExpressionSyntax)node.Expression;
            ExpressionSyntax disposeAsync = SyntaxFactory.InvocationExpression(memberAccess.WithName(SyntaxFactory.IdentifierName("DisposeAsync")));
            if (usesConfigureAwait)
            {
                disposeAsync = AwaitPlacement.ConfigureAwaitFalse(disposeAsync);
            }

            return SyntaxFactory.AwaitExpression(disposeAsync.WithoutTrivia())
                .WithTriviaFrom(node)
                .WithAdditionalAnnotations(Formatter.Annotation);
        });
    }

    // An explicit IAsyncDisposable implementation has no `x.DisposeAsync()` to call.
    private static bool HasPublicDisposeAsync(ExpressionSyntax receiver, FixState state)
    {
        if (state.SemanticModel.GetTypeInfo(receiver, state.CancellationToken).Type is not { } type)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers("DisposeAsync"))
            {
                if (member is IMethodSymbol { Parameters.Length: 0, DeclaredAccessibility: Accessibility.Public, IsStatic: false })
                {
                    return true;
                }
            }
        }

        return type.TypeKind == TypeKind.Interface;
    }
}
