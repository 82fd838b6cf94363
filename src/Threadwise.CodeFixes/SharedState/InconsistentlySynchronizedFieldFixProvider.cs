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
        return editor =>
        {
            var inside = SyntaxFactory.List(range.Select((s, i) => i == 0 ? s.WithoutLeadingTrivia() : s));
            var locked = SyntaxFactory.LockStatement(LockExpression(lockName), SyntaxFactory.Block(inside))
                .WithLeadingTrivia(range[0].GetLeadingTrivia())
                .WithAdditionalAnnotations(Formatter.Annotation);
            editor.ReplaceNode(range[0], locked);
            foreach (var moved in range.Skip(1))
            {
                editor.RemoveNode(moved);
            }
        };
    }

    private static void LockInPlace(SyntaxEditor editor, StatementSyntax statement, string lockName)
    {
        var locked = SyntaxFactory.LockStatement(LockExpression(lockName), SyntaxFactory.Block(statement.WithoutLeadingTrivia()))
            .WithLeadingTrivia(statement.GetLeadingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);
        editor.ReplaceNode(statement, locked);
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
        while (first > 0 && IsGuardedNeighbour(block.Statements[first - 1], guardedFields, state))
        {
            first--;
        }

        var last = index;
        while (last < block.Statements.Count - 1 && IsGuardedNeighbour(block.Statements[last + 1], guardedFields, state))
        {
            last++;
        }

        return (first, last);
    }

    private static bool IsGuardedNeighbour(StatementSyntax candidate, HashSet<ISymbol> guardedFields, FixState state)
    {
        if (candidate is IfStatementSyntax @if)
        {
            return CanEnclose(@if) && WritesAny(@if, guardedFields, state);
        }

        if (candidate is not ExpressionStatementSyntax || ContainsAwait(candidate))
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
