using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>
/// TW2003 fix: take the same lock around the unguarded write — and around the statements next to it
/// that touch the state that lock guards, so a read-modify-write or a group of fields updated together
/// stays one critical section. An expression-bodied member becomes a block body first. Offered when
/// the guarding lock is a field (or <c>this</c>) visible from here and nothing in the range awaits.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(InconsistentlySynchronizedFieldFixProvider))]
public sealed class InconsistentlySynchronizedFieldFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW2003InconsistentlySynchronizedField.Id);

    protected internal override string Title => "Take the same lock";

    protected internal override string TitleFor(FixState state, Diagnostic diagnostic)
        => diagnostic.Properties.TryGetValue(InconsistentlySynchronizedFieldAnalyzer.LockProperty, out var lockName) && lockName is not null
            ? $"Take the same lock ('{lockName}')"
            : Title;

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(InconsistentlySynchronizedFieldAnalyzer.LockProperty, out var lockName)
            || lockName is null
            || state.FindNode<ExpressionSyntax>(diagnostic) is not { } write
            || !LockVisible(lockName, write, state))
        {
            return null;
        }

        if (write.FirstAncestorOrSelf<ArrowExpressionClauseSyntax>() is { } arrow
            && arrow.Parent is MethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax
            && !IsInLambda(write, arrow)
            && !ContainsAwait(arrow))
        {
            return ExpressionBodyFix(arrow, lockName, state);
        }

        if (write.FirstAncestorOrSelf<StatementSyntax>() is not ExpressionStatementSyntax { Parent: BlockSyntax } written
            || ContainsAwait(written))
        {
            return null;
        }

        var guardedFields = FieldsGuardedBy(lockName, written, state);
        var statement = CheckThenAct(written, guardedFields, state);
        if (statement.Parent is not BlockSyntax block)
        {
            // `if (enabled) if (_feeder == null) { ... }`: the check-then-act is the body of another
            // statement; it becomes `lock (_mu) { if ... }` in place.
            return state.FirstTime(statement) ? editor => LockInPlace(editor, statement, lockName) : static _ => { };
        }

        var (first, last) = GuardedRange(block, statement, guardedFields, state);
        if (!state.FirstTime((block, first)))
        {
            return static _ => { };
        }

        var range = block.Statements.Skip(first).Take(last - first + 1).ToList();

        // The block is rewritten as a whole (removing the moved statements one by one made the editor
        // re-lay out the line after them); another fix in the same pass may have changed it already,
        // so the run is looked up again in the block as it is now.
        return editor => editor.ReplaceNode(block, (current, _) =>
        {
            var statements = ((BlockSyntax)current).Statements;
            var start = FindRun(statements, range, first);
            if (start < 0)
            {
                return current;
            }

            var locked = LockWrap.Around(LockExpression(lockName), statements.Skip(start).Take(range.Count).ToList());
            var rewritten = statements.Take(start).Append(locked).Concat(statements.Skip(start + range.Count));
            return ((BlockSyntax)current).WithStatements(SyntaxFactory.List(rewritten));
        });
    }

    // Where the run of statements now starts: the match nearest to where it started before.
    private static int FindRun(SyntaxList<StatementSyntax> statements, List<StatementSyntax> run, int originalStart)
    {
        var best = -1;
        for (var start = 0; start + run.Count <= statements.Count; start++)
        {
            var matches = true;
            for (var i = 0; i < run.Count && matches; i++)
            {
                matches = statements[start + i].IsEquivalentTo(run[i], topLevel: false);
            }

            if (matches && (best < 0 || System.Math.Abs(start - originalStart) < System.Math.Abs(best - originalStart)))
            {
                best = start;
            }
        }

        return best;
    }

    private static void LockInPlace(SyntaxEditor editor, StatementSyntax statement, string lockName)
    {
        editor.ReplaceNode(statement, LockWrap.Around(LockExpression(lockName), new[] { statement }));
    }

    private static ExpressionSyntax LockExpression(string lockName)
        => lockName == "this" ? SyntaxFactory.ThisExpression() : SyntaxFactory.IdentifierName(lockName);

    // `void Reset() => _count = 0;` becomes `void Reset() { lock (_gate) { _count = 0; } }`; a value
    // is returned from inside the lock.
    private static Action<SyntaxEditor>? ExpressionBodyFix(ArrowExpressionClauseSyntax arrow, string lockName, FixState state)
    {
        var returnsValue = state.SemanticModel.GetEnclosingSymbol(arrow.Expression.SpanStart, state.CancellationToken) is IMethodSymbol { ReturnsVoid: false };
        StatementSyntax inner = returnsValue
            ? SyntaxFactory.ReturnStatement(arrow.Expression.WithoutTrivia())
            : SyntaxFactory.ExpressionStatement(arrow.Expression.WithoutTrivia());
        var body = SyntaxFactory.Block(SyntaxFactory.LockStatement(LockExpression(lockName), SyntaxFactory.Block(inner)))
            .WithAdditionalAnnotations(Formatter.Annotation);

        return editor => editor.ReplaceNode(arrow.Parent!, (current, _) => current switch
        {
            MethodDeclarationSyntax method => method.WithExpressionBody(null).WithSemicolonToken(default).WithBody(body).WithTrailingTrivia(method.GetTrailingTrivia()),
            AccessorDeclarationSyntax accessor => accessor.WithExpressionBody(null).WithSemicolonToken(default).WithBody(body).WithTrailingTrivia(accessor.GetTrailingTrivia()),
            LocalFunctionStatementSyntax local => local.WithExpressionBody(null).WithSemicolonToken(default).WithBody(body).WithTrailingTrivia(local.GetTrailingTrivia()),
            _ => current,
        });
    }

    // The run of neighbouring expression statements, around the write, that read or write a field
    // the same lock guards elsewhere in the type (`_total += x; _count++;` stay together). Stops at
    // declarations (their locals would be scoped into the lock), awaits and other statements.
    private static (int First, int Last) GuardedRange(BlockSyntax block, StatementSyntax statement, HashSet<ISymbol> guardedFields, FixState state)
    {
        var index = block.Statements.IndexOf(statement);
        var first = index;
        while (first > 0 && IsGuardedNeighbour(block.Statements[first - 1], guardedFields, state, before: true))
        {
            first--;
        }

        var last = index;
        while (last < block.Statements.Count - 1 && IsGuardedNeighbour(block.Statements[last + 1], guardedFields, state, before: false))
        {
            last++;
        }

        return (first, last);
    }

    private static bool IsGuardedNeighbour(StatementSyntax candidate, HashSet<ISymbol> guardedFields, FixState state, bool before)
    {
        if (candidate is IfStatementSyntax @if)
        {
            // Before the write, a guard clause on guarded state (`if (now - _last < 1) return;` then
            // `_last = now;`) is the check of a check-then-act: it goes into the lock with the write.
            return CanEnclose(@if)
                   && (WritesAny(@if, guardedFields, state)
                       || (before && IsGuardClause(@if) && ReadsAny(@if.Condition, guardedFields, state)));
        }

        if (candidate is not ExpressionStatementSyntax || ContainsAwait(candidate) || CallsUnknownCode(candidate, state))
        {
            return false;
        }

        foreach (var name in candidate.DescendantNodes().OfType<IdentifierNameSyntax>())
        {
            if (state.SemanticModel.GetSymbolInfo(name, state.CancellationToken).Symbol is IFieldSymbol field && guardedFields.Contains(field))
            {
                return true;
            }
        }

        return false;
    }

    // `_subscription.Disposable = RunCore(parent);` (Rx): an abstract, virtual or interface call, or a
    // delegate, runs code the fix cannot see (a subscription that emits, a callback that takes another
    // lock). Such a neighbour stays outside the lock: holding it there could order locks anew.
    private static bool CallsUnknownCode(StatementSyntax statement, FixState state)
    {
        foreach (var call in statement.DescendantNodes().OfType<InvocationExpressionSyntax>())
        {
            switch (state.SemanticModel.GetSymbolInfo(call, state.CancellationToken).Symbol)
            {
                case IMethodSymbol { MethodKind: MethodKind.DelegateInvoke }:
                    return true;
                case IMethodSymbol method when (method.IsAbstract || method.IsVirtual || method.IsOverride) && !method.IsSealed:
                    return true;
                case null:
                    return true;
            }
        }

        return false;
    }

    // `if (_feeder == null) { _feeder = Start(); }`: the write is the act of a check-then-act on
    // guarded state, so the whole `if` (up an else-if chain) goes into the critical section, not the
    // assignment alone; climbs while the enclosing `if` reads guarded state in its condition.
    private static StatementSyntax CheckThenAct(StatementSyntax statement, HashSet<ISymbol> guardedFields, FixState state)
    {
        var current = statement;
        while (EnclosingIf(current) is { } @if && CanEnclose(@if) && ReadsAny(@if.Condition, guardedFields, state))
        {
            current = @if;
        }

        return current;
    }

    private static IfStatementSyntax? EnclosingIf(StatementSyntax statement)
    {
        SyntaxNode? parent = statement.Parent is BlockSyntax block ? block.Parent : statement.Parent;
        if (parent is ElseClauseSyntax @else)
        {
            parent = @else.Parent;
        }

        if (parent is not IfStatementSyntax @if)
        {
            return null;
        }

        // An else-if: the whole chain is one statement of the outer block.
        while (@if.Parent is ElseClauseSyntax { Parent: IfStatementSyntax outer })
        {
            @if = outer;
        }

        return @if;
    }

    // An `if` can move into a lock when nothing in it awaits or yields, it takes no lock of its own
    // (no new nesting), and its condition declares no variable the rest of the block may use.
    private static bool CanEnclose(IfStatementSyntax @if)
    {
        foreach (var node in @if.DescendantNodes())
        {
            if (node is AwaitExpressionSyntax or YieldStatementSyntax or LockStatementSyntax
                || (node is SingleVariableDesignationSyntax && @if.Condition.Span.Contains(node.Span)))
            {
                return false;
            }

            if (node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Enter" or "TryEnter" or "Wait" or "WaitOne" or "EnterWriteLock" or "EnterReadLock" } })
            {
                return false;
            }
        }

        return true;
    }

    // `if (…) return;`, `if (…) { Log(…); throw …; }`: no else, and the branch always leaves.
    private static bool IsGuardClause(IfStatementSyntax @if)
        => @if.Else is null
           && (@if.Statement is BlockSyntax { Statements: { Count: > 0 } statements } ? statements[statements.Count - 1] : @if.Statement)
               is ReturnStatementSyntax or ThrowStatementSyntax;

    private static bool ReadsAny(SyntaxNode node, HashSet<ISymbol> guardedFields, FixState state)
    {
        foreach (var name in node.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>())
        {
            if (state.SemanticModel.GetSymbolInfo(name, state.CancellationToken).Symbol is IFieldSymbol field && guardedFields.Contains(field))
            {
                return true;
            }
        }

        return false;
    }

    private static bool WritesAny(SyntaxNode node, HashSet<ISymbol> guardedFields, FixState state)
    {
        foreach (var assignment in node.DescendantNodes())
        {
            var target = assignment switch
            {
                AssignmentExpressionSyntax a => a.Left,
                PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PostIncrementExpression or (int)SyntaxKind.PostDecrementExpression } p => p.Operand,
                PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.PreIncrementExpression or (int)SyntaxKind.PreDecrementExpression } p => p.Operand,
                _ => null,
            };
            if (target is not null && !IsInLambda(target, node) && state.SemanticModel.GetSymbolInfo(target, state.CancellationToken).Symbol is IFieldSymbol field && guardedFields.Contains(field))
            {
                return true;
            }
        }

        return false;
    }

    // Fields touched inside `lock (lockName)` statements of the type.
    private static HashSet<ISymbol> FieldsGuardedBy(string lockName, SyntaxNode position, FixState state)
    {
        var result = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        if (position.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type)
        {
            return result;
        }

        foreach (var @lock in type.DescendantNodes().OfType<LockStatementSyntax>())
        {
            var locked = @lock.Expression.ToString();
            if (locked != lockName && locked != "this." + lockName)
            {
                continue;
            }

            foreach (var name in @lock.Statement.DescendantNodes().OfType<IdentifierNameSyntax>())
            {
                if (state.SemanticModel.GetSymbolInfo(name, state.CancellationToken).Symbol is IFieldSymbol field)
                {
                    result.Add(field);
                }
            }
        }

        return result;
    }

    private static bool IsInLambda(SyntaxNode node, SyntaxNode stop)
    {
        for (var current = node.Parent; current is not null && current != stop; current = current.Parent)
        {
            if (current is AnonymousFunctionExpressionSyntax)
            {
                return true;
            }
        }

        return false;
    }

    private static bool ContainsAwait(SyntaxNode statement)
    {
        foreach (var node in statement.DescendantNodes())
        {
            if (node is AwaitExpressionSyntax)
            {
                return true;
            }
        }

        return false;
    }

    // `this` needs an instance member; a field needs to bind here to the same static-ness.
    private static bool LockVisible(string lockName, SyntaxNode position, FixState state)
    {
        var member = state.SemanticModel.GetEnclosingSymbol(position.SpanStart, state.CancellationToken);
        var isStatic = member is { IsStatic: true } || member?.ContainingSymbol is IMethodSymbol { IsStatic: true };
        if (lockName == "this")
        {
            return !isStatic;
        }

        foreach (var symbol in state.SemanticModel.LookupSymbols(position.SpanStart, name: lockName))
        {
            if (symbol is IFieldSymbol field && (!isStatic || field.IsStatic))
            {
                return true;
            }
        }

        return false;
    }
}
