using System;
using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>TW2003 fix: wrap the unguarded write's statement in <c>lock (sameLock) { ... }</c>, when
/// the guarding lock is a field (or <c>this</c>) visible from here and the statement has no await.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InconsistentlySynchronizedFieldFixProvider))]
[Shared]
public sealed class InconsistentlySynchronizedFieldFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW2003InconsistentlySynchronizedField.Id);

    protected internal override string Title => "Take the same lock";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(InconsistentlySynchronizedFieldAnalyzer.LockProperty, out var lockName)
            || lockName is null
            || state.FindNode<ExpressionSyntax>(diagnostic) is not { } write
            || write.FirstAncestorOrSelf<StatementSyntax>() is not ExpressionStatementSyntax { Parent: BlockSyntax } statement
            || ContainsAwait(statement)
            || !LockVisible(lockName, statement, state))
        {
            return null;
        }

        return editor =>
        {
            var locked = SyntaxFactory.LockStatement(
                    lockName == "this" ? SyntaxFactory.ThisExpression() : SyntaxFactory.IdentifierName(lockName),
                    SyntaxFactory.Block(statement.WithoutLeadingTrivia()))
                .WithLeadingTrivia(statement.GetLeadingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation);
            editor.ReplaceNode(statement, locked);
        };
    }

    private static bool ContainsAwait(SyntaxNode statement)
    {
        foreach (var node in statement.DescendantNodes())
        {
            if (node is AwaitExpressionSyntax)
            {
                return true;
            }
        }

        return false;
    }

    // `this` needs an instance member; a field needs to bind here to the same static-ness.
    private static bool LockVisible(string lockName, SyntaxNode position, FixState state)
    {
        var member = state.SemanticModel.GetEnclosingSymbol(position.SpanStart, state.CancellationToken);
        var isStatic = member is { IsStatic: true } || member?.ContainingSymbol is IMethodSymbol { IsStatic: true };
        if (lockName == "this")
        {
            return !isStatic;
        }

        foreach (var symbol in state.SemanticModel.LookupSymbols(position.SpanStart, name: lockName))
        {
            if (symbol is IFieldSymbol field && (!isStatic || field.IsStatic))
            {
                return true;
            }
        }

        return false;
    }
}
