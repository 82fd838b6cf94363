using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>
/// TW2004 fix: lock on a new private readonly object instead (see <see cref="LockGate"/>), replacing
/// every use of the old object as a lock together — each <c>lock</c> and each <c>Monitor</c> call on
/// it in the type — so nothing that excluded each other before stops doing so. The gate is static
/// exactly when the old object was shared by all instances (a static field, a type, a string). No
/// fix when a use is out of reach (another type, a partial declaration, the object used as a value)
/// or the object is not one identity (a parameter, a method's result).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LockOnUnsafeObjectFixProvider))]
public sealed class LockOnUnsafeObjectFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW2004LockOnUnsafeObject.Id);

    protected internal override string Title => "Lock on a new private readonly object";

    // "Lock on a new private 's_logLock'": the title names the object the fix adds.
    protected internal override string TitleFor(FixState state, Diagnostic diagnostic)
        => state.FindNode<ExpressionSyntax>(diagnostic) is { Parent: LockStatementSyntax } lockedValue
           && LockObjectUses.Find(lockedValue, state) is { } uses
           && LockGate.For(lockedValue, state, uses.Stem, uses.IsStatic, allowLockType: !uses.HasMonitorCalls) is { } gate
            ? $"Lock on a new private '{gate.Name}'"
            : Title;

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        if (state.FindNode<ExpressionSyntax>(diagnostic) is not { Parent: LockStatementSyntax } lockedValue
            || LockObjectUses.Find(lockedValue, state) is not { } uses)
        {
            return null;
        }

        if (!state.FirstTime(uses.Key))
        {
            // Fix All: the first finding on this object already replaced every use of it.
            return static _ => { };
        }

        if (LockGate.For(lockedValue, state, uses.Stem, uses.IsStatic, allowLockType: !uses.HasMonitorCalls) is not { } gate)
        {
            return null;
        }

        return editor =>
        {
            foreach (var use in uses.Uses)
            {
                editor.ReplaceNode(use, SyntaxFactory.IdentifierName(gate.Name).WithTriviaFrom(use));
            }

            gate.AddFieldIfNeeded(editor);
        };
    }
}
