using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// "Does this pool work item run a loop that holds its thread for good?" — a loop at the top of the work
/// (or of a top-level try/using block) that only ends on shutdown and never awaits. TW3001 reports such a
/// loop; TW3002 leaves the waits inside such a work item to it (one finding per mistake: once the work runs
/// on a thread of its own, its waits block no pool thread).
/// </summary>
internal sealed class PoolLoops
{
    private readonly KnownSymbols _symbols;
    private readonly Compilation _compilation;
    private readonly AnalyzerOptions _options;

    public PoolLoops(KnownSymbols symbols, Compilation compilation, AnalyzerOptions options)
    {
        _symbols = symbols;
        _compilation = compilation;
        _options = options;
    }

    /// <summary>The unbounded loop at the top of a non-virtual method of this compilation. Its body is
    /// bound only when its syntax holds a loop at all.</summary>
#pragma warning disable RS1030 // The callee usually lives in another tree; bound only when a loop is there.
    public ILoopOperation? CalleeLoop(IMethodSymbol method, System.Threading.CancellationToken cancellationToken)
    {
        if (method.IsAsync
            || method.IsAbstract
            || (method.IsVirtual || method.IsOverride) && !method.IsSealed
            || method.DeclaringSyntaxReferences.Length != 1
            || !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _compilation.Assembly)
            || method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax { Body: { } body }
            || !HasTopLevelLoop(body))
        {
            return null;
        }

        return _compilation.GetSemanticModel(body.SyntaxTree).GetOperation(body, cancellationToken) is IBlockOperation block
            ? UnboundedLoop(block, cancellationToken)
            : null;
    }
#pragma warning restore RS1030

    private static bool HasTopLevelLoop(BlockSyntax body)
    {
        foreach (var statement in body.Statements)
        {
            if (statement is WhileStatementSyntax or ForStatementSyntax or ForEachStatementSyntax or DoStatementSyntax or TryStatementSyntax or UsingStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A loop at the body's top level (or in a top-level try/using block) that only ends
    /// on shutdown and never awaits.</summary>
    public ILoopOperation? UnboundedLoop(IBlockOperation body, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var statement in body.Operations)
        {
            var candidate = statement switch
            {
                ITryOperation @try => @try.Body,
                IUsingOperation @using => @using.Body,
                _ => statement,
            };
            var statements = candidate is IBlockOperation block ? block.Operations : ImmutableArray.Create(candidate);
            foreach (var inner in statements)
            {
                if (inner is ILoopOperation loop && IsUnbounded(loop) && !Awaits(loop) && !HasTimeoutExit(loop) && !ReadsToTheEnd(loop) && !EndsWithItsData(loop) && !IsDrainLoop(loop, cancellationToken))
                {
                    return loop;
                }
            }
        }

        return null;
    }

    private bool IsUnbounded(ILoopOperation loop) => loop switch
    {
        IForLoopOperation { Condition: null } => true,
        IForLoopOperation { Condition: { } condition } => RunsUntilShutdown(condition),
        IWhileLoopOperation { Condition: { } condition, ConditionIsUntil: false } => RunsUntilShutdown(condition),
        IForEachLoopOperation { Collection: { } collection } => IsConsumingEnumerable(collection),
        _ => false,
    };

    // `foreach (var item in queue.GetConsumingEnumerable())`: ends only when adding completes.
    private bool IsConsumingEnumerable(IOperation collection)
        => collection.WithoutConversions() is IInvocationOperation { TargetMethod: { Name: "GetConsumingEnumerable" } method }
           && IsBlockingCollection(method.ContainingType);

    private bool IsBlockingCollection(ITypeSymbol? type)
        => type is not null && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, _symbols.BlockingCollectionOfT);

    private bool RunsUntilShutdown(IOperation condition) => ServiceLoops.RunsUntilShutdown(condition, _symbols.BlockingCollectionOfT);

    // `while (true) { …; if (sw.ElapsedMilliseconds > timeout) return; Thread.Sleep(100); }`: a poll
    // that gives up after a deadline is bounded, however it is written.
    private static bool HasTimeoutExit(ILoopOperation loop)
    {
        foreach (var operation in loop.Body.Descendants())
        {
            if (operation is IConditionalOperation { WhenTrue: { } exit } conditional
                && ReadsTheClock(conditional.Condition)
                && Leaves(exit))
            {
                return true;
            }
        }

        return false;
    }

    // `while (true) { var n = source.Read(buffer, 0, size); if (n <= 0) break; target.Write(buffer, 0, n); }`
    // (Tweetinvi's upload progress): a copy that leaves at the end of its stream is bounded by the data, not
    // a loop that serves for good. The local the exit tests must come from a `Read…`/`Receive…` call in the
    // loop, compared with 0 (`<= 0`, `== 0`, `< 1`).
    private static bool ReadsToTheEnd(ILoopOperation loop)
    {
        foreach (var operation in loop.Body.Descendants())
        {
            if (operation is IConditionalOperation { WhenTrue: { } exit } conditional
                && Leaves(exit)
                && TestsForNothingRead(conditional.Condition) is { } count
                && IsAssignedARead(loop.Body, count))
            {
                return true;
            }
        }

        return false;
    }

    // `while (true) { if (!e.MoveNext()) break; … }` (a directory listing walked on a pool thread) and
    // `while (true) { if (offset >= end) break; …; offset += n; }` (a hash computed up to an offset): the
    // loop leaves when its data runs out or its counter reaches a bound — bounded by the work, like a
    // `for` or `foreach`, however long the work takes (found dogfooding Azure Storage Data Movement). An
    // enumerator of a consuming enumerable, a counter the loop also sets, or an exit that tests a field
    // stays unbounded.
    private bool EndsWithItsData(ILoopOperation loop)
    {
        foreach (var operation in loop.Body.Descendants())
        {
            if (operation is IConditionalOperation { WhenTrue: { } exit } conditional
                && !AsyncContext.IsInNestedFunction(operation, loop)
                && LeavesLoop(exit, loop)
                && (TestsTheEndOfAnEnumerator(conditional.Condition, loop) || TestsACounterAdvancedIn(conditional.Condition, loop.Body)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool LeavesLoop(IOperation exit, ILoopOperation loop)
    {
        foreach (var operation in exit.DescendantsAndSelf())
        {
            if (operation is IReturnOperation or IThrowOperation
                || operation is IBranchOperation { BranchKind: BranchKind.Break } branch && SymbolEqualityComparer.Default.Equals(branch.Target, loop.ExitLabel))
            {
                return true;
            }
        }

        return false;
    }

    private bool TestsTheEndOfAnEnumerator(IOperation condition, ILoopOperation loop)
    {
        if (condition.WithoutConversions() is not IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: var operand }
            || operand.WithoutConversions() is not IInvocationOperation { TargetMethod.Name: "MoveNext", Instance: ILocalReferenceOperation { Local: var enumerator } })
        {
            return false;
        }

        return LocalDeclarations.GetInitializer(enumerator, loop) is { Value: IInvocationOperation { TargetMethod.Name: "GetEnumerator", Instance: { } source } }
               && !ConsumesABlockingCollection(source);
    }

    private bool ConsumesABlockingCollection(IOperation source)
    {
        foreach (var operation in source.DescendantsAndSelf())
        {
            if (operation is IInvocationOperation { TargetMethod: var method } && IsBlockingCollection(method.ContainingType)
                || operation.Type is { } type && IsBlockingCollection(type))
            {
                return true;
            }
        }

        return false;
    }

    private static bool TestsACounterAdvancedIn(IOperation condition, IOperation body)
    {
        if (condition.WithoutConversions() is not IBinaryOperation
            {
                OperatorKind: BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.Equals
                    or BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.LessThan,
            } test)
        {
            return false;
        }

        // Either side may be the counter (`offset >= end`, `end <= offset`).
        return test.LeftOperand.WithoutConversions() is ILocalReferenceOperation { Local: var left } && IsOnlyAdvancedIn(body, left)
               || test.RightOperand.WithoutConversions() is ILocalReferenceOperation { Local: var right } && IsOnlyAdvancedIn(body, right);
    }

    // Stepped (`+=`, `-=`, `++`, `--`) somewhere in the loop and never set there: set anew, the counter
    // could start over and the loop run for good.
    private static bool IsOnlyAdvancedIn(IOperation body, ILocalSymbol counter)
    {
        var advanced = false;
        foreach (var operation in body.Descendants())
        {
            switch (operation)
            {
                case ICompoundAssignmentOperation { OperatorKind: BinaryOperatorKind.Add or BinaryOperatorKind.Subtract, Target: ILocalReferenceOperation { Local: var stepped } }
                    when SymbolEqualityComparer.Default.Equals(stepped, counter):
                case IIncrementOrDecrementOperation { Target: ILocalReferenceOperation { Local: var counted } }
                    when SymbolEqualityComparer.Default.Equals(counted, counter):
                    advanced = true;
                    break;
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local: var set } }
                    when SymbolEqualityComparer.Default.Equals(set, counter):
                    return false;
                case IVariableDeclaratorOperation { Symbol: var declared } when SymbolEqualityComparer.Default.Equals(declared, counter):
                    return false;
                case IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: ILocalReferenceOperation { Local: var passed } }
                    when SymbolEqualityComparer.Default.Equals(passed, counter):
                    return false;
            }
        }

        return advanced;
    }

    private static ILocalSymbol? TestsForNothingRead(IOperation condition)
    {
        if (condition.WithoutConversions() is not IBinaryOperation { OperatorKind: BinaryOperatorKind.LessThanOrEqual or BinaryOperatorKind.Equals or BinaryOperatorKind.LessThan } test
            || test.LeftOperand.WithoutConversions() is not ILocalReferenceOperation { Local: var local }
            || test.RightOperand.ConstantValue is not { HasValue: true, Value: int bound })
        {
            return null;
        }

        return (test.OperatorKind == BinaryOperatorKind.LessThan ? bound == 1 : bound == 0) ? local : null;
    }

    private static bool IsAssignedARead(IOperation body, ILocalSymbol count)
    {
        foreach (var operation in body.Descendants())
        {
            var value = operation switch
            {
                IVariableDeclaratorOperation { Initializer.Value: { } initial } declarator when SymbolEqualityComparer.Default.Equals(declarator.Symbol, count) => initial,
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local: var target }, Value: var assigned } when SymbolEqualityComparer.Default.Equals(target, count) => assigned,
                _ => null,
            };

            if (value?.WithoutConversions() is IInvocationOperation { TargetMethod.Name: var name }
                && (name.StartsWith("Read", System.StringComparison.Ordinal) || name.StartsWith("Receive", System.StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ReadsTheClock(IOperation condition)
    {
        foreach (var operation in condition.DescendantsAndSelf())
        {
            if (operation is IPropertyReferenceOperation { Property: { } property }
                && (property.Name is "Elapsed" or "ElapsedMilliseconds" or "ElapsedTicks" && property.ContainingType?.Name == "Stopwatch"
                    || property.Name is "Now" or "UtcNow" && property.ContainingType?.Name is "DateTime" or "DateTimeOffset"
                    || property.Name is "TickCount" or "TickCount64" && property.ContainingType?.Name == "Environment"))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Leaves(IOperation exit)
    {
        foreach (var operation in exit.DescendantsAndSelf())
        {
            if (operation is IReturnOperation or IThrowOperation or IBranchOperation { BranchKind: BranchKind.Break })
            {
                return true;
            }
        }

        return false;
    }

    // `while (true) { while (queue.TryDequeue(out var w)) Run(w); if (CAS(ref _count, 0, n) == n) break; }`
    // (FASTER's work queue): a loop that leaves when its work runs out and never waits for more
    // ends by itself; it holds the pool thread only while there is work. A loop that waits inside
    // (`Take`, `Sleep`, `Wait`, a read, a helper of the compilation that blocks) waits for work to
    // come, and is reported whatever its exits.
    private bool IsDrainLoop(ILoopOperation loop, System.Threading.CancellationToken cancellationToken)
    {
        var leaves = false;
        foreach (var operation in loop.Body.Descendants())
        {
            if (AsyncContext.IsInNestedFunction(operation, loop))
            {
                continue;
            }

            switch (operation)
            {
                case IBranchOperation { BranchKind: BranchKind.Break } branch when SymbolEqualityComparer.Default.Equals(branch.Target, loop.ExitLabel):
                case IReturnOperation:
                    leaves = true;
                    break;
                case IInvocationOperation call when MayWait(call, cancellationToken):
                    return false;
                case IPropertyReferenceOperation { Property.Name: "Result" }:
                    return false;
            }
        }

        return leaves;
    }

    private bool MayWait(IInvocationOperation call, System.Threading.CancellationToken cancellationToken)
    {
        var method = call.TargetMethod;
        if (method.MethodKind == MethodKind.DelegateInvoke)
        {
            return false; // the work item the loop drains
        }

        if (NamedLikeAWait(method.Name) || TaskWaits.For(_compilation).TryGetWait(call, out _))
        {
            return true;
        }

        // Resolved only here: most pool work items have no loop that leaves.
        var summaries = MethodSummaries.For(_compilation, _options);
        return summaries.IsAnalyzableHelper(method) && summaries.GetBlockingChain(call, cancellationToken) is not null;
    }

    private static bool NamedLikeAWait(string name)
    {
        foreach (var prefix in WaitPrefixes)
        {
            if (name.StartsWith(prefix, System.StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static readonly string[] WaitPrefixes = { "Wait", "Sleep", "Join", "Take", "Receive", "Read", "Accept", "SignalAndWait", "SpinUntil", "SpinOnce", "SpinWait", "Yield", "GetResult", "Peek" };

    private static bool Awaits(IOperation loop)
    {
        foreach (var operation in loop.Descendants())
        {
            if (operation is IAwaitOperation && !AsyncContext.IsInNestedFunction(operation, loop))
            {
                return true;
            }
        }

        return false;
    }
}
