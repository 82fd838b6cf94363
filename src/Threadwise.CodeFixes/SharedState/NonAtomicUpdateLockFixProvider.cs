using System;
using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>TW2001 fix where Interlocked does not apply (<c>double</c>, <c>decimal</c>, <c>*=</c> ...):
/// wrap the statement in <c>lock</c> on a private gate, shared by every fix in the class.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(NonAtomicUpdateLockFixProvider))]
[Shared]
public sealed class NonAtomicUpdateLockFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW2001NonAtomicUpdate.Id);

    protected override string Title => "Guard the update with a lock";

    protected override string EquivalenceKey => "TW2001.Lock";

    protected override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        if (state.FindNode<ExpressionSyntax>(diagnostic) is not { } update
            || NonAtomicUpdateFixProvider.CanUseInterlocked(update, state)
            || LockGate.WrappableStatement(update) is not { } statement
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
