using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>TW4002 fix, anywhere: <c>_ = Call();</c>, stating that the task runs unobserved on purpose.</summary>
// Not exported on its own: offered through the rule\'s BestFixProvider, which picks the best fix per finding.
public sealed class TaskDroppedDiscardFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW4002TaskDropped.Id);

    protected internal override string Title => "Discard the task explicitly ('_ = ...')";

    protected internal override string EquivalenceKey => "TW4002.Discard";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        if (state.FindNode<ExpressionSyntax>(diagnostic) is not { Parent: ExpressionStatementSyntax } call
            || IsDelay(call, state))
        {
            return null;
        }

        return editor =>
        {
            var discard = SyntaxFactory.AssignmentExpression(
                SyntaxKind.SimpleAssignmentExpression,
                // The token must carry the contextual kind '_' or the binder sees a name, not a discard.
                SyntaxFactory.IdentifierName(SyntaxFactory.Identifier(SyntaxFactory.TriviaList(), SyntaxKind.UnderscoreToken, "_", "_", SyntaxFactory.TriviaList(SyntaxFactory.Space))),
                SyntaxFactory.Token(SyntaxKind.EqualsToken).WithTrailingTrivia(SyntaxFactory.Space),
                WithoutConfigureAwait(call).WithoutTrivia());
            editor.ReplaceNode(call, discard.WithTriviaFrom(call));
        };
    }

    // `Task.Delay(50);` dropped waits for nothing: the code meant to wait (found applying fixes to
    // FluentFTP, a polling loop that spun). `_ =` would declare the bug intended; await it, or sleep.
    private static bool IsDelay(ExpressionSyntax call, FixState state)
        => state.SemanticModel.GetSymbolInfo(WithoutConfigureAwait(call), state.CancellationToken).Symbol is IMethodSymbol { Name: "Delay", IsStatic: true } method
           && SymbolEqualityComparer.Default.Equals(method.ContainingType, state.Symbols.Task);

    // `Raise(e).ConfigureAwait(false);` dropped: ConfigureAwait only matters to an await, so the task
    // itself is what is discarded (`_ = Raise(e);`).
    private static ExpressionSyntax WithoutConfigureAwait(ExpressionSyntax call)
        => call is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait", Expression: var task } }
            ? task
            : call;
}
