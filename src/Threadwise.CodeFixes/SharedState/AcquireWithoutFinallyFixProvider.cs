using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>
/// TW2006 fix: the statements between the acquire and the release go into <c>try { ... }</c> and the
/// release into <c>finally { ... }</c>. Offered when the release is a statement of the same block and
/// no local declared in between is used after it (the try block would hide it).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AcquireWithoutFinallyFixProvider))]
public sealed class AcquireWithoutFinallyFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW2006AcquireWithoutFinally.Id);

    protected internal override string Title => "Release in a finally block";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        var model = state.SemanticModel;
        if (state.FindNode<InvocationExpressionSyntax>(diagnostic) is not { } acquire
            || acquire.FirstAncestorOrSelf<StatementSyntax>() is not { Parent: BlockSyntax block } acquireStatement
            || model.GetOperation(acquire, state.CancellationToken) is not Microsoft.CodeAnalysis.Operations.IInvocationOperation acquireOperation
            || !LockScope.IsAcquire(acquireOperation, state.Symbols, out var acquired, out _)
            || acquired is null)
        {
            return null;
        }

        var start = block.Statements.IndexOf(acquireStatement);
        var release = -1;
        for (var i = start + 1; i < block.Statements.Count && release < 0; i++)
        {
            if (block.Statements[i] is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call }
                && model.GetOperation(call, state.CancellationToken) is { } operation
                && LockScope.IsRelease(operation, out var released)
                && SymbolEqualityComparer.Default.Equals(released, acquired))
            {
                release = i;
            }
        }

        if (release < 0
            || DeclaresLocalUsedAfter(block, start + 1, release, model, state)
            || LeavesOrReleasesEarly(block, start + 1, release, acquired, model, state))
        {
            return null;
        }

        return editor => editor.ReplaceNode(block, (current, _) =>
        {
            var statements = ((BlockSyntax)current).Statements;
            var body = new List<StatementSyntax>();
            for (var i = start + 1; i < release; i++)
            {
                body.Add(statements[i]);
            }

            // Laid out like the code around it (tabs, brace style); the formatter only where a statement
            // shares its line.
            var tryStatement = (StatementSyntax?)LockWrap.TryFinally(body, statements[release])
                ?? SyntaxFactory.TryStatement(
                        SyntaxFactory.Block(body),
                        default,
                        SyntaxFactory.FinallyClause(SyntaxFactory.Block(statements[release])))
                    .WithAdditionalAnnotations(Formatter.Annotation);
            var rewritten = new List<StatementSyntax>();
            for (var i = 0; i < statements.Count; i++)
            {
                if (i == start + 1)
                {
                    rewritten.Add(tryStatement);
                }

                if (i <= start || i > release)
                {
                    rewritten.Add(statements[i]);
                }
            }

            return ((BlockSyntax)current).WithStatements(SyntaxFactory.List(rewritten));
        });
    }

    // `for (…) { if (found) { _lock.ExitReadLock(); return true; } } _lock.ExitReadLock();` (LiteNetLib's
    // peer lookup): with the release moved to a finally, the early path would release twice and throw.
    // A `return`, `goto`, `yield` or a `break`/`continue` out of the region also changes what is held
    // on that path (code that leaves with the lock held on purpose would now release it). The fix is
    // withheld for such regions; the diagnostic stays.
    private static bool LeavesOrReleasesEarly(BlockSyntax block, int from, int to, ISymbol acquired, SemanticModel model, FixState state)
    {
        for (var i = from; i < to; i++)
        {
            foreach (var node in block.Statements[i].DescendantNodesAndSelf(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
            {
                switch (node)
                {
                    case ReturnStatementSyntax or YieldStatementSyntax or GotoStatementSyntax:
                        return true;
                    case BreakStatementSyntax or ContinueStatementSyntax when !HasTargetWithin(node, block):
                        return true;
                    case InvocationExpressionSyntax call
                        when model.GetOperation(call, state.CancellationToken) is { } operation
                             && LockScope.IsRelease(operation, out var released)
                             && SymbolEqualityComparer.Default.Equals(released, acquired):
                        return true;
                }
            }
        }

        return false;
    }

    // The loop or switch a break/continue leaves lies inside the block being wrapped.
    private static bool HasTargetWithin(SyntaxNode jump, BlockSyntax block)
    {
        for (var current = jump.Parent; current is not null && current != block; current = current.Parent)
        {
            if (current is ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax
                || (jump is BreakStatementSyntax && current is SwitchStatementSyntax))
            {
                return true;
            }
        }

        return false;
    }

    private static bool DeclaresLocalUsedAfter(BlockSyntax block, int from, int to, SemanticModel model, FixState state)
    {
        for (var i = from; i < to; i++)
        {
            if (block.Statements[i] is not LocalDeclarationStatementSyntax declaration)
            {
                continue;
            }

            foreach (var variable in declaration.Declaration.Variables)
            {
                if (model.GetDeclaredSymbol(variable, state.CancellationToken) is ILocalSymbol local
                    && StatementPlacement.LastStatementUsing(block, local, model, state.CancellationToken) is { } last
                    && block.Statements.IndexOf(last) > to)
                {
                    return true;
                }
            }
        }

        return false;
    }
}
