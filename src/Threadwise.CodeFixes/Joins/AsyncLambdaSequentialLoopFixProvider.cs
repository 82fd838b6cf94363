using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>TW4005 fix (sequential): <c>list.ForEach(async x => body)</c> becomes
/// <c>foreach (var x in list) { body }</c>, each item awaited before the next starts.</summary>
// Not exported on its own: offered through the rule\'s BestFixProvider, which picks the best fix per finding.
public sealed class AsyncLambdaSequentialLoopFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW4005AsyncLambdaAsVoidDelegate.Id);

    protected internal override string Title => "Use a foreach loop with await (one at a time)";

    protected internal override string EquivalenceKey => "TW4005.Sequential";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        if (AsyncLambdaCall.FindListForEach(state, diagnostic) is not var (call, list)
            || call.CompletedReturn is not null
            || call.BodyReturns()
            || call.Parameter.Type is not null)
        {
            return null;
        }

        return editor =>
        {
            var body = call.Lambda.Body switch
            {
                BlockSyntax block => block,
                ExpressionSyntax expression => SyntaxFactory.Block(SyntaxFactory.ExpressionStatement(expression.WithoutTrivia())),
                _ => SyntaxFactory.Block(),
            };
            var loop = SyntaxFactory.ForEachStatement(
                    SyntaxFactory.IdentifierName("var"),
                    call.Parameter.Identifier.WithoutTrivia(),
                    list.WithoutTrivia(),
                    body)
                .WithTriviaFrom(call.Statement)
                .WithAdditionalAnnotations(Formatter.Annotation);
            editor.ReplaceNode(call.Statement, loop);
        };
    }
}
