using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>What a <c>new Thread(…)</c> runs, read from syntax: work that ends by itself, or a worker loop.</summary>
internal enum ThreadWorkKind
{
    /// <summary>The work cannot be read (a delegate handed in, a method of another assembly).</summary>
    Unknown,

    /// <summary>A lambda or method of this compilation without a worker loop: it ends by itself.</summary>
    Ends,

    /// <summary>A loop that ends on a condition someone else changes: the thread is meant to outlive its starter.</summary>
    Loops,

    /// <summary>
    /// A top-level <c>while</c>/<c>do</c> loop on some other condition (<c>while (_writes &gt; 0) Thread.Yield();</c>):
    /// it may end by itself or run for good; no fix is proven safe, and it is not a worker to report.
    /// </summary>
    LoopsOnACondition,
}

/// <summary>
/// <c>new Thread(() => { while (!_stopped) { … } })</c> is a worker meant to outlive the method that
/// starts it; <c>new Thread(() => Fetch(url))</c> ends by itself. TW4001 and its fixes ask which one
/// a thread runs, only for a thread started and not joined. Syntax is read; symbols are resolved for a
/// method group, a delegate local or the one call of a lambda, and a top-level loop's condition is bound.
/// </summary>
internal static class ThreadWork
{
    public static ThreadWorkKind Of(BaseObjectCreationExpressionSyntax creation, SemanticModel model, CancellationToken cancellationToken)
    {
        if (creation.ArgumentList is not { Arguments: { Count: > 0 } arguments })
        {
            return ThreadWorkKind.Unknown;
        }

        var work = Unwrapped(arguments[0].Expression);
        if (work is IdentifierNameSyntax name
            && model.GetSymbolInfo(name, cancellationToken).Symbol is ILocalSymbol local
            && OnlyValue(local, cancellationToken) is { } value)
        {
            work = Unwrapped(value); // ThreadStart start = new ThreadStart(Register); new Thread(start)
        }

        switch (work)
        {
            case AnonymousFunctionExpressionSyntax { Block: { } block }:
                return TopLevelLoops(block, model, cancellationToken) is var loops and not ThreadWorkKind.Ends ? loops
                    : OnlyCall(block) is { } onlyCall ? OfCallee(onlyCall, model, cancellationToken)
                    : ThreadWorkKind.Ends;
            case AnonymousFunctionExpressionSyntax { ExpressionBody: InvocationExpressionSyntax call }:
                // `new Thread(() => WorkerLoop(id))`: the lambda only calls the method that does the work.
                return OfCallee(call, model, cancellationToken);
            case AnonymousFunctionExpressionSyntax:
                return ThreadWorkKind.Ends;
        }

        var info = model.GetSymbolInfo(work, cancellationToken);
        return (info.Symbol ?? info.CandidateSymbols.FirstOrDefault()) is IMethodSymbol method
            ? OfMethod(method, model, cancellationToken)
            : ThreadWorkKind.Unknown;
    }

    // new Thread(new ThreadStart(Run)) runs Run.
    private static ExpressionSyntax Unwrapped(ExpressionSyntax work)
        => work is ObjectCreationExpressionSyntax { ArgumentList.Arguments: { Count: 1 } wrapped } ? wrapped[0].Expression : work;

    // The initializer of a local that nothing in its block assigns again (by name, so a shadowing
    // local only makes this more careful).
    private static ExpressionSyntax? OnlyValue(ILocalSymbol local, CancellationToken cancellationToken)
    {
        if (local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer.Value: { } value } declarator
            || declarator.FirstAncestorOrSelf<BlockSyntax>() is not { } block)
        {
            return null;
        }

        foreach (var node in block.DescendantNodes())
        {
            var written = node switch
            {
                AssignmentExpressionSyntax { Left: IdentifierNameSyntax left } => left,
                ArgumentSyntax { RefKindKeyword.RawKind: not 0, Expression: IdentifierNameSyntax passed } => passed,
                _ => null,
            };

            if (written?.Identifier.ValueText == local.Name)
            {
                return null;
            }
        }

        return value;
    }

    // The one statement of `() => { WorkerLoop(id); }`.
    private static InvocationExpressionSyntax? OnlyCall(BlockSyntax block)
        => block.Statements.Count == 1 && block.Statements[0] is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax call } ? call : null;

    // A lambda that only calls a method loops when that method does; otherwise the lambda ends
    // (a call into another assembly is finite work as far as anyone can tell).
    private static ThreadWorkKind OfCallee(InvocationExpressionSyntax call, SemanticModel model, CancellationToken cancellationToken)
        => model.GetSymbolInfo(call, cancellationToken).Symbol is IMethodSymbol callee
           && OfMethod(callee, model, cancellationToken) is var kind and (ThreadWorkKind.Loops or ThreadWorkKind.LoopsOnACondition)
            ? kind
            : ThreadWorkKind.Ends;

    private static ThreadWorkKind OfMethod(IMethodSymbol method, SemanticModel model, CancellationToken cancellationToken)
    {
        var read = ThreadWorkKind.Unknown;
        foreach (var reference in method.DeclaringSyntaxReferences)
        {
            var syntax = reference.GetSyntax(cancellationToken);
            var body = syntax switch
            {
                BaseMethodDeclarationSyntax { Body: { } methodBody } => methodBody,
                LocalFunctionStatementSyntax { Body: { } localBody } => localBody,
                _ => null,
            };

            if (body is not null)
            {
                read = TopLevelLoops(body, ModelFor(body.SyntaxTree, model), cancellationToken);
                if (read != ThreadWorkKind.Ends)
                {
                    return read;
                }
            }
            else if (syntax is BaseMethodDeclarationSyntax { ExpressionBody: not null } or LocalFunctionStatementSyntax { ExpressionBody: not null })
            {
                read = ThreadWorkKind.Ends;
            }
        }

        return read;
    }

#pragma warning disable RS1030 // The thread's method often lives in another tree; asked only for would-be findings and fixes.
    private static SemanticModel ModelFor(SyntaxTree tree, SemanticModel model)
        => tree == model.SyntaxTree ? model : model.Compilation.GetSemanticModel(tree);
#pragma warning restore RS1030

    // Loops, when a top-level loop (or one in a top-level try/using/lock block) is a worker loop;
    // LoopsOnACondition for another while/do there; Ends otherwise.
    private static ThreadWorkKind TopLevelLoops(BlockSyntax body, SemanticModel model, CancellationToken cancellationToken)
    {
        var found = ThreadWorkKind.Ends;
        foreach (var statement in body.Statements)
        {
            var inner = statement switch
            {
                TryStatementSyntax @try => @try.Block,
                UsingStatementSyntax { Statement: BlockSyntax usingBlock } => usingBlock,
                LockStatementSyntax { Statement: BlockSyntax lockBlock } => lockBlock,
                _ => null,
            };

            var kind = inner is not null ? TopLevelLoops(inner, model, cancellationToken) : LoopKind(statement, model, cancellationToken);
            if (kind == ThreadWorkKind.Loops)
            {
                return kind;
            }

            if (kind == ThreadWorkKind.LoopsOnACondition)
            {
                found = kind;
            }
        }

        return found;
    }

    // Loops that end on a condition someone else changes: `while (true)`, `while (!_stopped)`,
    // `do … while (!token.IsCancellationRequested)`, an endless for, and a foreach over a consuming
    // enumerable. A counted for and a foreach over a collection end; another while/do (a wait for a
    // count to drain, `while (_writes > 0) Thread.Yield();`) may.
    private static ThreadWorkKind LoopKind(StatementSyntax statement, SemanticModel model, CancellationToken cancellationToken)
    {
        var condition = statement switch
        {
            WhileStatementSyntax loop => loop.Condition,
            DoStatementSyntax loop => loop.Condition,
            _ => null,
        };

        if (condition is not null)
        {
            return model.GetOperation(condition, cancellationToken) is { } test
                   && ServiceLoops.RunsUntilShutdown(test, KnownSymbols.For(model.Compilation).BlockingCollectionOfT)
                ? ThreadWorkKind.Loops
                : ThreadWorkKind.LoopsOnACondition;
        }

        return statement is ForStatementSyntax { Condition: null } || IsConsumingForEach(statement) ? ThreadWorkKind.Loops : ThreadWorkKind.Ends;
    }

    /// <summary><c>foreach (var item in queue.GetConsumingEnumerable())</c>: runs until the queue completes.</summary>
    public static bool IsConsumingForEach(StatementSyntax statement)
        => statement is ForEachStatementSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetConsumingEnumerable" } } };

    /// <summary>
    /// <c>new Thread(() => result = Compute())</c>, then <c>result</c> read after <paramref name="start"/>:
    /// the first reference, after the start, to a local of the starter that the thread's lambda writes.
    /// </summary>
    public static IOperation? FirstResultRead(IObjectCreationOperation creation, IOperation start)
    {
        if (creation.Arguments.Length == 0
            || creation.Arguments[0].Value.WithoutConversions() is not IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda })
        {
            return null;
        }

        var lambdaSpan = lambda.Syntax.Span;
        var body = AsyncContext.GetFunctionBody(creation);
        IOperation? first = null;
        foreach (var operation in lambda.Body.Descendants())
        {
            if (WrittenLocal(operation) is not { } local
                || local.DeclaringSyntaxReferences.Length != 1
                || lambdaSpan.Contains(local.DeclaringSyntaxReferences[0].Span))
            {
                continue;
            }

            foreach (var reference in LocalReferences.Collect(body, local))
            {
                var syntax = reference.Reference.Syntax;
                if (syntax.SpanStart > start.Syntax.Span.End && !lambdaSpan.Contains(syntax.Span)
                    && (first is null || syntax.SpanStart < first.Syntax.SpanStart))
                {
                    first = reference.Reference;
                }
            }
        }

        return first;
    }

    private static ILocalSymbol? WrittenLocal(IOperation operation) => operation switch
    {
        IAssignmentOperation { Target: ILocalReferenceOperation { Local: var local } } => local,
        IIncrementOrDecrementOperation { Target: ILocalReferenceOperation { Local: var local } } => local,
        _ => null,
    };
}
