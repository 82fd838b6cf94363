using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>TW4001 fixes, best first: join the thread where its work ends; make a worker loop a background thread.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ThreadNeverJoinedFixProvider))]
public sealed class ThreadNeverJoinedFixProvider : BestFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW4001ThreadNeverJoined.Id);

    protected override ImmutableArray<ThreadwiseCodeFixProvider> Choices { get; } =
        ImmutableArray.Create<ThreadwiseCodeFixProvider>(new ThreadNeverJoinedJoinFixProvider(), new ThreadNeverJoinedBackgroundFixProvider());
}
