using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>TW2001 fixes, best first: <c>Interlocked</c> where it applies, else a lock.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NonAtomicUpdateFixes))]
public sealed class NonAtomicUpdateFixes : BestFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW2001NonAtomicUpdate.Id);

    protected override ImmutableArray<ThreadwiseCodeFixProvider> Choices { get; } =
        ImmutableArray.Create<ThreadwiseCodeFixProvider>(new NonAtomicUpdateFixProvider(), new GuardWithLockFixProvider());
}
