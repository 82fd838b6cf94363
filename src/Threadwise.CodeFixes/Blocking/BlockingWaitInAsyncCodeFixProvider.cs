using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Threadwise.Core;

namespace Threadwise.Blocking;

/// <summary>TW1002 fix: <c>t.Result</c>, <c>t.Wait()</c>, <c>t.GetAwaiter().GetResult()</c> become <c>await t</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingWaitInAsyncCodeFixProvider))]
public sealed class BlockingWaitInAsyncCodeFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW1002BlockingWaitInAsyncCode.Id);

    protected internal override string Title => "Use 'await'";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        if (state.FindNode<ExpressionSyntax>(diagnostic) is not { } wait
            || TaskWaitRewriter.GetAwaitedExpression(wait, state.SemanticModel, state.CancellationToken) is not { } awaited
            || !AwaitPlacement.CanAwaitAt(wait, state.SemanticModel, state.CancellationToken))
        {
            return null;
        }

        var awaitsATask = AwaitPlacement.IsTask(awaited, state);
        return editor => editor.ReplaceNode(wait, AwaitPlacement.Await(awaited, wait, awaitsATask));
    }
}
