using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>TW4002 fix, in async code: <c>await</c> the dropped task.</summary>
// Not exported on its own: offered through the rule\'s BestFixProvider, which picks the best fix per finding.
public sealed class TaskDroppedAwaitFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW4002TaskDropped.Id);

    protected internal override string Title => "Await the task";

    protected internal override string EquivalenceKey => "TW4002.Await";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        if (state.FindNode<ExpressionSyntax>(diagnostic) is not { Parent: ExpressionStatementSyntax } call
            || !AwaitPlacement.CanAwaitAt(call, state.SemanticModel, state.CancellationToken))
        {
            return null;
        }

        var awaitsATask = AwaitPlacement.IsTask(call, state);
        return editor => editor.ReplaceNode(call, AwaitPlacement.Await(call, call, awaitsATask));
    }
}
