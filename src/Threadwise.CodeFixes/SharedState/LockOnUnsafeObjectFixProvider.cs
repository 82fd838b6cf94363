using System;
using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>
/// TW2004 fix: lock on a private readonly gate instead (see <see cref="LockGate"/>). Fix All uses
/// one lock object per class (one static and one instance at most).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LockOnUnsafeObjectFixProvider))]
[Shared]
public sealed class LockOnUnsafeObjectFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW2004LockOnUnsafeObject.Id);

    protected override string Title => "Lock on a private readonly object";

    protected override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        if (state.FindNode<ExpressionSyntax>(diagnostic) is not { Parent: LockStatementSyntax } lockedValue
            || LockGate.For(lockedValue, state) is not { } gate)
        {
            return null;
        }

        return editor =>
        {
            editor.ReplaceNode(lockedValue, SyntaxFactory.IdentifierName(gate.Name).WithTriviaFrom(lockedValue));
            gate.AddFieldIfNeeded(editor);
        };
    }
}
