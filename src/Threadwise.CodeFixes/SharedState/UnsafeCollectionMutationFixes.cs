using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>TW2002 fixes, best first: the concurrent collection where every use allows, else a lock.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnsafeCollectionMutationFixes))]
public sealed class UnsafeCollectionMutationFixes : BestFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW2002UnsafeCollectionMutation.Id);

    protected override ImmutableArray<ThreadwiseCodeFixProvider> Choices { get; } =
        ImmutableArray.Create<ThreadwiseCodeFixProvider>(new UnsafeCollectionMutationFixProvider(), new GuardWithLockFixProvider());
}
