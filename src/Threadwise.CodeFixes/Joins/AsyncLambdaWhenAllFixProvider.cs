using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>TW4005 fix (concurrent): <c>list.ForEach(async x => body)</c> becomes
/// <c>await Task.WhenAll(list.Select(async x => body))</c>, all items at once, all awaited.</summary>
// Not exported on its own: offered through the rule\'s BestFixProvider, which picks the best fix per finding.
public sealed class AsyncLambdaWhenAllFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW4005AsyncLambdaAsVoidDelegate.Id);

    protected internal override string Title => "Use 'await Task.WhenAll(... Select ...)' (all at once)";

    protected internal override string EquivalenceKey => "TW4005.WhenAll";

    // In a non-async method the joined work replaces its `return Task.CompletedTask;`.
    protected internal override string TitleFor(FixState state, Diagnostic diagnostic)
        => AsyncLambdaCall.Find(state, diagnostic) is { CompletedReturn: not null } ? "Return 'Task.WhenAll(... Select ...)' (all at once)" : Title;

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        if (AsyncLambdaCall.FindListForEach(state, diagnostic) is not var (call, list)
            || state.Symbols.Task is not { } task
            || state.Symbols.Enumerable is not { } enumerable)
        {
            return null;
        }

        return editor =>
        {
            // Enumerable.Select(list, lambda) spelled as a type so the fix brings `using System.Linq`;
            // the simplifier cannot turn it into an extension call, so write that form directly
            // when System.Linq is already imported.
            var select = LinqInScope(state, call.Statement)
                ? (ExpressionSyntax)SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, list.WithoutTrivia(), SyntaxFactory.IdentifierName("Select")),
                    SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(call.Lambda))))
                : SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, AwaitPlacement.TypeExpression(editor.Generator, enumerable), SyntaxFactory.IdentifierName("Select")),
                    SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[] { SyntaxFactory.Argument(list.WithoutTrivia()), SyntaxFactory.Argument(call.Lambda) })));
            var whenAll = SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, AwaitPlacement.TypeExpression(editor.Generator, task), SyntaxFactory.IdentifierName("WhenAll")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(select))));
            call.ReplaceWithJoin(editor, whenAll);
        };
    }

    private static bool LinqInScope(FixState state, SyntaxNode position)
        => !state.SemanticModel.LookupNamespacesAndTypes(position.SpanStart, name: "Enumerable").IsEmpty;
}
