using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>
/// TW4001 fix. A thread declared in the method's own block is joined at the end of that block
/// (before a trailing <c>return</c>). A thread declared in a loop body is collected into a
/// <c>List&lt;Thread&gt;</c> declared before the loop and every one is joined after it. Offered only
/// when <c>Start()</c> runs unconditionally in the declaring block and no other exit skips the join,
/// and not for a worker loop (see <see cref="WorkerThreads"/>).
/// </summary>
// Not exported on its own: offered through the rule's BestFixProvider, which picks the best fix per finding.
public sealed class ThreadNeverJoinedJoinFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW4001ThreadNeverJoined.Id);

    protected internal override string Title => "Join the thread";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        var model = state.SemanticModel;
        if (state.FindNode<InvocationExpressionSyntax>(diagnostic) is not { Parent: ExpressionStatementSyntax { Parent: BlockSyntax block } startStatement } start
            || start.Expression is not MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver }
            || model.GetSymbolInfo(receiver, state.CancellationToken).Symbol is not ILocalSymbol thread
            || !DeclaredIn(thread, block, state)
            || state.Symbols.ListOfT is null
            || state.Symbols.Thread is null
            || WorkerThreads.WorkOf(WorkerThreads.Creation(thread, state), state) != ThreadWorkKind.Ends)
        {
            return null;
        }

        // The starter reads what the thread computes: join right before the first such read.
        if (FirstResultReadIn(block, thread, start, state) is { } reader)
        {
            return HasOtherExits(block, loopJumpsLeaveBlock: true, before: reader)
                ? null
                : editor => editor.InsertBefore(reader, StatementPlacement.Parse($"{thread.Name}.Join();\n"));
        }

        if (block.Parent is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax or AccessorDeclarationSyntax
            && !HasOtherExits(block, loopJumpsLeaveBlock: true))
        {
            return JoinAtEnd(block, thread.Name);
        }

        // In a loop body, break and continue still reach the join after the loop.
        if (block.Parent is ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax
            && block.Parent.Parent is BlockSyntax
            && !HasOtherExits(block, loopJumpsLeaveBlock: false))
        {
            return ExistingList(block, thread, (BlockSyntax)block.Parent.Parent, state) is { } threads
                ? JoinAfter((StatementSyntax)block.Parent, threads, state)
                : CollectAndJoin((StatementSyntax)block.Parent, startStatement, thread.Name, state);
        }

        return null;
    }

    // Appended through the block itself, so Fix All joins several threads in the order they start.
    private static Action<SyntaxEditor> JoinAtEnd(BlockSyntax block, string thread)
    {
        var join = StatementPlacement.Parse($"{thread}.Join();\n");
        return editor => editor.ReplaceNode(block, (current, _) =>
        {
            var statements = ((BlockSyntax)current).Statements;
            var index = statements.Count > 0 && statements[statements.Count - 1] is ReturnStatementSyntax ? statements.Count - 1 : statements.Count;
            return ((BlockSyntax)current).WithStatements(statements.Insert(index, join));
        });
    }

    // `threads.Add(t);` in the loop body, `threads` declared in the block around the loop: the
    // user's own list, so only the joins are missing.
    private static string? ExistingList(BlockSyntax body, ILocalSymbol thread, BlockSyntax outer, FixState state)
    {
        foreach (var statement in body.Statements)
        {
            if (statement is ExpressionStatementSyntax
                {
                    Expression: InvocationExpressionSyntax
                    {
                        Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Add", Expression: IdentifierNameSyntax list },
                        ArgumentList.Arguments: { Count: 1 } arguments,
                    },
                }
                && arguments[0].Expression is IdentifierNameSyntax added
                && SymbolEqualityComparer.Default.Equals(state.SemanticModel.GetSymbolInfo(added, state.CancellationToken).Symbol, thread)
                && state.SemanticModel.GetSymbolInfo(list, state.CancellationToken).Symbol is ILocalSymbol listLocal
                && DeclaredIn(listLocal, outer, state))
            {
                return listLocal.Name;
            }
        }

        return null;
    }

    private static Action<SyntaxEditor> JoinAfter(StatementSyntax loop, string threads, FixState state)
    {
        var each = StatementPlacement.UniqueName("started", state.SemanticModel, loop.SpanStart);
        var joinAll = StatementPlacement.Parse($"foreach (var {each} in {threads})\n{{\n    {each}.Join();\n}}\n")
            .WithLeadingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed);
        return editor => editor.InsertAfter(loop, joinAll);
    }

    private static Action<SyntaxEditor> CollectAndJoin(StatementSyntax loop, StatementSyntax startStatement, string thread, FixState state)
    {
        var threads = StatementPlacement.UniqueName("threads", state.SemanticModel, loop.SpanStart);
        var each = StatementPlacement.UniqueName("started", state.SemanticModel, loop.SpanStart);
        var listOfThreads = state.Symbols.ListOfT!.Construct(state.Symbols.Thread!);
        return editor =>
        {
            var list = SyntaxFactory.LocalDeclarationStatement(
                    SyntaxFactory.VariableDeclaration(
                        SyntaxFactory.IdentifierName("var"),
                        SyntaxFactory.SingletonSeparatedList(
                            SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(threads))
                                .WithInitializer(SyntaxFactory.EqualsValueClause(
                                    SyntaxFactory.ObjectCreationExpression(
                                        (TypeSyntax)AwaitPlacement.TypeExpression(editor.Generator, listOfThreads),
                                        SyntaxFactory.ArgumentList(),
                                        null))))))
                .WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation);
            editor.InsertBefore(loop, list);
            editor.InsertAfter(startStatement, StatementPlacement.Parse($"{threads}.Add({thread});\n"));
            var joinAll = StatementPlacement.Parse($"foreach (var {each} in {threads})\n{{\n    {each}.Join();\n}}\n")
                .WithLeadingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed);
            editor.InsertAfter(loop, joinAll);
        };
    }

    private static bool DeclaredIn(ILocalSymbol local, BlockSyntax block, FixState state)
        => local.DeclaringSyntaxReferences.Length == 1
           && local.DeclaringSyntaxReferences[0].GetSyntax(state.CancellationToken).Parent?.Parent?.Parent == block;

    // The statement of the block that holds the first read, after Start(), of a local the thread's lambda writes.
    private static StatementSyntax? FirstResultReadIn(BlockSyntax block, ILocalSymbol thread, InvocationExpressionSyntax start, FixState state)
    {
        if (WorkerThreads.Creation(thread, state) is not { } creation
            || state.SemanticModel.GetOperation(creation, state.CancellationToken) is not Microsoft.CodeAnalysis.Operations.IObjectCreationOperation created
            || state.SemanticModel.GetOperation(start, state.CancellationToken) is not { } started
            || ThreadWork.FirstResultRead(created, started) is not { } read)
        {
            return null;
        }

        foreach (var statement in block.Statements)
        {
            if (statement.Span.Contains(read.Syntax.Span))
            {
                return statement.SpanStart > start.Span.End ? statement : null;
            }
        }

        return null;
    }

    // A return, break, continue, goto or yield break in the block (outside nested functions) could
    // leave it before the join runs (before <paramref name="before"/> when the join goes there);
    // a trailing return is handled by joining before it.
    private static bool HasOtherExits(BlockSyntax block, bool loopJumpsLeaveBlock, StatementSyntax? before = null)
    {
        var last = before is null ? block.Statements.LastOrDefault() : null;
        foreach (var node in block.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            if (before is not null && node.SpanStart >= before.SpanStart)
            {
                break;
            }

            if (node is ReturnStatementSyntax or GotoStatementSyntax or YieldStatementSyntax { RawKind: (int)SyntaxKind.YieldBreakStatement }
                && node != last)
            {
                return true;
            }

            if (loopJumpsLeaveBlock && node is BreakStatementSyntax or ContinueStatementSyntax && !IsInNestedLoopOrSwitch(node, block))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsInNestedLoopOrSwitch(SyntaxNode node, BlockSyntax block)
    {
        for (var current = node.Parent; current is not null && current != block; current = current.Parent)
        {
            if (current is ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax or SwitchStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }
}
