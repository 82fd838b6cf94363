using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>TW4005 fix: <c>Parallel.ForEach(items, async x => ...)</c> becomes
/// <c>await Parallel.ForEachAsync(items, async (x, cancellationToken) => ...)</c>, which waits for
/// every body to finish and surfaces their exceptions.</summary>
// Not exported on its own: offered through the rule\'s BestFixProvider, which picks the best fix per finding.
public sealed class AsyncLambdaParallelForEachAsyncFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW4005AsyncLambdaAsVoidDelegate.Id);

    protected internal override string Title => "Use 'await Parallel.ForEachAsync'";

    protected internal override string EquivalenceKey => "TW4005.ParallelForEachAsync";

    // In a non-async method the joined work replaces its `return Task.CompletedTask;`.
    protected internal override string TitleFor(FixState state, Diagnostic diagnostic)
        => AsyncLambdaCall.Find(state, diagnostic) is { CompletedReturn: not null } ? "Return 'Parallel.ForEachAsync(...)'" : Title;

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        var parallel = state.Symbols.Parallel;
        if (AsyncLambdaCall.Find(state, diagnostic) is not { } call
            || !call.Calls(parallel, "ForEach")
            || call.Invocation.ArgumentList.Arguments.Count != 2
            || parallel!.GetMembers("ForEachAsync").IsEmpty
            || call.Invocation.Expression is not MemberAccessExpressionSyntax access)
        {
            return null;
        }

        var tokenName = StatementPlacement.UniqueName("cancellationToken", state.SemanticModel, call.Lambda.Body.SpanStart);
        return editor =>
        {
            var lambda = SyntaxFactory.ParenthesizedLambdaExpression(
                    SyntaxFactory.ParameterList(SyntaxFactory.SeparatedList(new[]
                    {
                        call.Parameter.WithoutTrivia(),
                        SyntaxFactory.Parameter(SyntaxFactory.Identifier(tokenName)),
                    })),
                    call.Lambda.Body)
                .WithAsyncKeyword(call.Lambda.AsyncKeyword)
                .WithArrowToken(call.Lambda.ArrowToken);
            var invocation = call.Invocation
                .ReplaceNode(call.Lambda, lambda)
                .WithExpression(access.WithName(SyntaxFactory.IdentifierName("ForEachAsync")));
            call.ReplaceWithJoin(editor, invocation);
        };
    }
}
