using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>TW4002 fixes, best first: <c>await</c> where the code can await, else <c>_ =</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TaskDroppedFixProvider))]
public sealed class TaskDroppedFixProvider : BestFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW4002TaskDropped.Id);

    protected override ImmutableArray<ThreadwiseCodeFixProvider> Choices { get; } =
        ImmutableArray.Create<ThreadwiseCodeFixProvider>(new TaskDroppedAwaitFixProvider(), new TaskDroppedDiscardFixProvider());
}
