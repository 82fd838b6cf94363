using System;
using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>TW2002 fix, everywhere the statement allows it: wrap the mutation in <c>lock</c> on a
/// private gate shared by every fix in the class. Reads elsewhere must take the same gate; the
/// docs say so.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnsafeCollectionMutationLockFixProvider))]
[Shared]
public sealed class UnsafeCollectionMutationLockFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW2002UnsafeCollectionMutation.Id);

    protected override string Title => "Guard the mutation with a lock";

    protected override string EquivalenceKey => "TW2002.Lock";

    protected override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        if (state.FindNode<ExpressionSyntax>(diagnostic) is not { } mutation
            || LockGate.WrappableStatement(mutation) is not { } statement
            || LockGate.For(statement, state) is not { } gate)
        {
            return null;
        }

        return editor =>
        {
            editor.ReplaceNode(statement, gate.Wrap(statement));
            gate.AddFieldIfNeeded(editor);
        };
    }
}
