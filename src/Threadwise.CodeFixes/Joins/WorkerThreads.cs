using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>
/// <c>new Thread(() => { while (!_stopped) { … } })</c>: a worker meant to outlive the method that
/// starts it. Joining it there would make that method wait for the worker's end (often never), so
/// the TW4001 fix for such a thread is to make it a background thread instead.
/// </summary>
internal static class WorkerThreads
{
    /// <summary>The <c>new Thread(…)</c> a local holding the thread was initialised with.</summary>
    public static BaseObjectCreationExpressionSyntax? Creation(ILocalSymbol thread, FixState state)
        => thread.DeclaringSyntaxReferences.Length == 1
           && thread.DeclaringSyntaxReferences[0].GetSyntax(state.CancellationToken) is VariableDeclaratorSyntax { Initializer.Value: BaseObjectCreationExpressionSyntax creation }
            ? creation
            : null;

    public enum Work
    {
        /// <summary>The work cannot be read (a delegate handed in): neither fix is proven safe.</summary>
        Unknown,

        /// <summary>A lambda or method of this compilation without a worker loop: it ends by itself.</summary>
        Ends,

        /// <summary>A loop that ends on a condition someone else changes.</summary>
        Loops,
    }

    public static Work WorkOf(BaseObjectCreationExpressionSyntax? creation, FixState state)
    {
        if (creation is not { ArgumentList.Arguments: { Count: > 0 } arguments })
        {
            return Work.Unknown;
        }

        var work = arguments[0].Expression;
        if (work is ObjectCreationExpressionSyntax { ArgumentList.Arguments: { Count: 1 } wrapped })
        {
            work = wrapped[0].Expression; // new Thread(new ThreadStart(Run))
        }

        switch (work)
        {
            case AnonymousFunctionExpressionSyntax { Block: { } block }:
                return HasTopLevelWorkerLoop(block) ? Work.Loops : Work.Ends;
            case AnonymousFunctionExpressionSyntax:
                return Work.Ends;
        }

        var info = state.SemanticModel.GetSymbolInfo(work, state.CancellationToken);
        if ((info.Symbol ?? info.CandidateSymbols.FirstOrDefault()) is not IMethodSymbol method)
        {
            return Work.Unknown;
        }

        var read = Work.Unknown;
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            switch (reference.GetSyntax(state.CancellationToken))
            {
                case BaseMethodDeclarationSyntax { Body: { } body } when HasTopLevelWorkerLoop(body):
                case LocalFunctionStatementSyntax { Body: { } localBody } when HasTopLevelWorkerLoop(localBody):
                    return Work.Loops;
                case BaseMethodDeclarationSyntax { Body: not null } or BaseMethodDeclarationSyntax { ExpressionBody: not null }
                    or LocalFunctionStatementSyntax { Body: not null } or LocalFunctionStatementSyntax { ExpressionBody: not null }:
                    read = Work.Ends;
                    break;
            }
        }

        return read;
    }

    private static bool HasTopLevelWorkerLoop(BlockSyntax body)
    {
        foreach (var statement in body.Statements)
        {
            var inner = statement switch
            {
                TryStatementSyntax @try => @try.Block,
                UsingStatementSyntax { Statement: BlockSyntax usingBlock } => usingBlock,
                LockStatementSyntax { Statement: BlockSyntax lockBlock } => lockBlock,
                _ => null,
            };

            if (inner is not null ? HasTopLevelWorkerLoop(inner) : IsWorkerLoop(statement))
            {
                return true;
            }
        }

        return false;
    }

    // Loops that end on a condition someone else changes: any while/do, an endless for, and a
    // foreach over a consuming enumerable. A counted for or a foreach over a collection ends.
    private static bool IsWorkerLoop(StatementSyntax statement) => statement switch
    {
        WhileStatementSyntax or DoStatementSyntax => true,
        ForStatementSyntax { Condition: null } => true,
        ForEachStatementSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetConsumingEnumerable" } } } => true,
        _ => false,
    };
}
