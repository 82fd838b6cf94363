using System;
using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>
/// TW2001 (where Interlocked does not apply: <c>double</c>, <c>decimal</c>, <c>*=</c> ...) and TW2002:
/// wrap the statement (or an expression lambda's body) in <c>lock</c>. A local collection is its
/// own lock (<c>lock (results)</c>: private to the method, never reassigned); other state gets a
/// private gate named after it (<see cref="LockGate"/>), shared by every fix for the same field or
/// captured variable, so the guarded statements exclude each other.
/// </summary>
// Not exported on its own: offered through the rule\'s BestFixProvider, which picks the best fix per finding.
public sealed class GuardWithLockFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW2001NonAtomicUpdate.Id, Descriptors.TW2002UnsafeCollectionMutation.Id);

    protected internal override string Title => "Guard with a lock on a new private object";

    protected internal override string EquivalenceKey => "TW200x.Lock";

    // "Lock on a private '_countLock'" (or the existing one of that name); "Lock on 'results'".
    protected internal override string TitleFor(FixState state, Diagnostic diagnostic)
        => Plan(state, diagnostic) is { } plan
            ? plan.Gate is { } gate ? $"Lock on a private '{gate.Name}'" : $"Lock on '{plan.LockObject}'"
            : Title;

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        // A race with another member's write: guarding this side alone would leave it.
        if (diagnostic.Properties.ContainsKey(ConcurrentContext.RacesWithProperty))
        {
            return null;
        }

        if (Plan(state, diagnostic) is not { } plan)
        {
            return null;
        }

        return editor =>
        {
            plan.Code.Wrap(editor, plan.LockObject);
            plan.Gate?.AddFieldIfNeeded(editor);
        };
    }

    private static (GuardedCode Code, ExpressionSyntax LockObject, LockGate? Gate)? Plan(FixState state, Diagnostic diagnostic)
    {
        if (state.FindNode<ExpressionSyntax>(diagnostic) is not { } write
            || (diagnostic.Id == Descriptors.TW2001NonAtomicUpdate.Id && NonAtomicUpdateFixProvider.CanUseInterlocked(write, state))
            || CheckOf(write, diagnostic) is not { } access
            || GuardedCode.Find(access, state.SemanticModel, state.CancellationToken) is not { } code)
        {
            return null;
        }

        // A check-then-act is reported at its check; the gate is named after what the if writes.
        var named = code.Node is IfStatementSyntax check && FirstWrite(check.Statement) is { } assignment ? assignment.Left : access;
        var guarded = LockGate.GuardedSymbol(named, state.SemanticModel, state.CancellationToken);
        if (diagnostic.Id == Descriptors.TW2002UnsafeCollectionMutation.Id
            && guarded is ILocalSymbol { Type.IsReferenceType: true } local
            && NeverReassigned(local, state.CancellationToken))
        {
            return (code, SyntaxFactory.IdentifierName(local.Name), null);
        }

        return LockGate.For(code.Node, state, guarded?.Name ?? "state") is { } gate
            ? (code, gate.Expression, gate)
            : null;
    }

    // A check-then-act is reported at its write; the lock goes around the whole `if`, so the code
    // to guard is found from the check.
    private static ExpressionSyntax? CheckOf(ExpressionSyntax write, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.ContainsKey(NonAtomicUpdateAnalyzer.CheckThenActProperty))
        {
            return write;
        }

        var statement = write.Parent as ExpressionStatementSyntax;
        SyntaxNode? parent = statement?.Parent is BlockSyntax { Statements.Count: 1 } block ? block.Parent : statement?.Parent;
        return parent is IfStatementSyntax check ? check.Condition : null;
    }

    private static AssignmentExpressionSyntax? FirstWrite(StatementSyntax statement)
    {
        foreach (var node in statement.DescendantNodesAndSelf())
        {
            if (node is AssignmentExpressionSyntax assignment)
            {
                return assignment;
            }
        }

        return null;
    }

    // A local whose only assignment is its declaration: every lock on it takes the same object.
    private static bool NeverReassigned(ILocalSymbol local, CancellationToken cancellationToken)
    {
        if (local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer: not null } declarator
            || declarator.FirstAncestorOrSelf<BlockSyntax>() is not { } scope)
        {
            return false;
        }

        foreach (var node in scope.DescendantNodes())
        {
            if (node is IdentifierNameSyntax name
                && name.Identifier.ValueText == local.Name
                && (name.Parent is AssignmentExpressionSyntax assignment && assignment.Left == name
                    || name.Parent is ArgumentSyntax { RefKindKeyword.RawKind: (int)SyntaxKind.RefKeyword or (int)SyntaxKind.OutKeyword }))
            {
                return false;
            }
        }

        return true;
    }
}
