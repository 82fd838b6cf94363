using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>
/// TW2001 (where Interlocked does not apply: <c>double</c>, <c>decimal</c>, <c>*=</c> ...) and TW2002:
/// wrap the statement in <c>lock</c> on a private gate named after the state it guards
/// (<see cref="LockGate"/>): every fix for the same field or captured variable shares it, so the
/// guarded statements exclude each other.
/// </summary>
// Not exported on its own: offered through the rule\'s BestFixProvider, which picks the best fix per finding.
public sealed class GuardWithLockFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW2001NonAtomicUpdate.Id, Descriptors.TW2002UnsafeCollectionMutation.Id);

    protected internal override string Title => "Guard with a lock on a new private object";

    protected internal override string EquivalenceKey => "TW200x.Lock";

    // "Lock on a new private '_countLock'" (or the existing one of that name).
    protected internal override string TitleFor(FixState state, Diagnostic diagnostic)
        => state.FindNode<ExpressionSyntax>(diagnostic) is { } access
           && LockGate.WrappableStatement(access) is { } statement
           && LockGate.For(statement, state, LockGate.GuardedName(access, state.SemanticModel, state.CancellationToken)) is { } gate
            ? $"Lock on a private '{gate.Name}'"
            : Title;

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        if (state.FindNode<ExpressionSyntax>(diagnostic) is not { } access
            || (diagnostic.Id == Descriptors.TW2001NonAtomicUpdate.Id && NonAtomicUpdateFixProvider.CanUseInterlocked(access, state))
            || LockGate.WrappableStatement(access) is not { } statement
            || LockGate.For(statement, state, LockGate.GuardedName(access, state.SemanticModel, state.CancellationToken)) is not { } gate)
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
