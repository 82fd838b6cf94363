using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>
/// TW2001 fix for <c>int</c> and <c>long</c>: <c>x++</c>/<c>++x</c> → <c>Interlocked.Increment(ref x)</c>,
/// <c>x--</c>/<c>--x</c> → <c>Interlocked.Decrement(ref x)</c>, <c>x += e</c> and <c>x = x + e</c> →
/// <c>Interlocked.Add(ref x, e)</c>, <c>x -= e</c> → <c>Interlocked.Add(ref x, -(e))</c>. Where the
/// expression's value is used, the result keeps it: Interlocked returns the new value, so a postfix
/// form subtracts (or adds) the step back. Other types and operators get no fix.
/// </summary>
// Not exported on its own: offered through the rule\'s BestFixProvider, which picks the best fix per finding.
public sealed class NonAtomicUpdateFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW2001NonAtomicUpdate.Id);

    protected internal override string Title => "Use Interlocked";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        // A race with another member's write: guarding this side alone would leave it.
        if (diagnostic.Properties.ContainsKey(ConcurrentContext.RacesWithProperty))
        {
            return null;
        }

        if (state.FindNode<ExpressionSyntax>(diagnostic) is not { } update
            || state.Symbols.Interlocked is not { } interlocked
            || Rewrite(update, state) is not { } rewrite)
        {
            return null;
        }

        var (method, target, amount, postfixAdjust) = rewrite;
        var valueUsed = IsValueUsed(update, state);
        return editor =>
        {
            var arguments = SyntaxFactory.SeparatedList(new[]
            {
                SyntaxFactory.Argument(null, SyntaxFactory.Token(SyntaxKind.RefKeyword).WithTrailingTrivia(SyntaxFactory.Space), target.WithoutTrivia()),
            });
            if (amount is not null)
            {
                arguments = arguments.Add(SyntaxFactory.Argument(amount));
            }

            ExpressionSyntax call = SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, AwaitPlacement.TypeExpression(editor.Generator, interlocked), SyntaxFactory.IdentifierName(method)),
                SyntaxFactory.ArgumentList(arguments));
            if (valueUsed && postfixAdjust is { } adjust)
            {
                // x++ evaluates to the old value: Increment returns the new one.
                call = SyntaxFactory.ParenthesizedExpression(SyntaxFactory.BinaryExpression(adjust, call, SyntaxFactory.LiteralExpression(SyntaxKind.NumericLiteralExpression, SyntaxFactory.Literal(1))));
            }

            editor.ReplaceNode(update, call.WithTriviaFrom(update));
        };
    }

    // As a statement, a for-loop incrementor or the expression body of a void lambda or method, nobody reads the value.
    private static bool IsValueUsed(ExpressionSyntax update, FixState state) => update.Parent switch
    {
        ExpressionStatementSyntax => false,
        ForStatementSyntax loop => !loop.Incrementors.Contains(update),
        AnonymousFunctionExpressionSyntax lambda => state.SemanticModel.GetSymbolInfo(lambda, state.CancellationToken).Symbol is not IMethodSymbol { ReturnsVoid: true },
        ArrowExpressionClauseSyntax { Parent: MethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax } arrow
            => state.SemanticModel.GetDeclaredSymbol(arrow.Parent!, state.CancellationToken) is not IMethodSymbol { ReturnsVoid: true },
        _ => true,
    };

    /// <summary>True when the update has an Interlocked form (an int or long target, a supported operator).</summary>
    internal static bool CanUseInterlocked(ExpressionSyntax update, FixState state) => Rewrite(update, state) is not null;

    private static (string Method, ExpressionSyntax Target, ExpressionSyntax? Amount, SyntaxKind? PostfixAdjust)? Rewrite(ExpressionSyntax update, FixState state)
    {
        var target = update switch
        {
            PostfixUnaryExpressionSyntax postfix => postfix.Operand,
            PrefixUnaryExpressionSyntax prefix => prefix.Operand,
            AssignmentExpressionSyntax assignment => assignment.Left,
            _ => null,
        };
        // `ref` needs a variable: a field, local or array element, not a property or indexer.
        if (target is null
            || state.SemanticModel.GetTypeInfo(target, state.CancellationToken).Type?.SpecialType is not (SpecialType.System_Int32 or SpecialType.System_Int64)
            || state.SemanticModel.GetSymbolInfo(target, state.CancellationToken).Symbol is IPropertySymbol)
        {
            return null;
        }

        return update switch
        {
            PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression } => ("Increment", target, null, SyntaxKind.SubtractExpression),
            PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostDecrementExpression } => ("Decrement", target, null, SyntaxKind.AddExpression),
            PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression } => ("Increment", target, null, null),
            PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreDecrementExpression } => ("Decrement", target, null, null),
            AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.AddAssignmentExpression } add => ("Add", target, add.Right.WithoutTrivia(), null),
            AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SubtractAssignmentExpression } subtract => ("Add", target, Negate(subtract.Right), null),
            AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Right: BinaryExpressionSyntax binary } when SameVariable(binary.Left, target) && binary.IsKind(SyntaxKind.AddExpression)
                => ("Add", target, binary.Right.WithoutTrivia(), null),
            AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Right: BinaryExpressionSyntax binary } when SameVariable(binary.Right, target) && binary.IsKind(SyntaxKind.AddExpression)
                => ("Add", target, binary.Left.WithoutTrivia(), null),
            AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Right: BinaryExpressionSyntax binary } when SameVariable(binary.Left, target) && binary.IsKind(SyntaxKind.SubtractExpression)
                => ("Add", target, Negate(binary.Right), null),
            _ => null,
        };
    }

    private static bool SameVariable(ExpressionSyntax a, ExpressionSyntax b) => SyntaxFactory.AreEquivalent(a, b);

    private static PrefixUnaryExpressionSyntax Negate(ExpressionSyntax value)
        => SyntaxFactory.PrefixUnaryExpression(SyntaxKind.UnaryMinusExpression, SyntaxFactory.ParenthesizedExpression(value.WithoutTrivia()));
}
