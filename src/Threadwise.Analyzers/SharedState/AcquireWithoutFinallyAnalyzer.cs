using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>TW2006: a lock is acquired and released in the same function, but the release is not in a finally.</summary>
public sealed class AcquireWithoutFinallyAnalyzer : ThreadwiseAnalyzer
{
    public AcquireWithoutFinallyAnalyzer()
        : base(Descriptors.TW2006AcquireWithoutFinally)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var analyzer = new Context(KnownSymbols.For(context.Compilation));
        context.RegisterOperationAction(analyzer.AnalyzeInvocation, OperationKind.Invocation);
    }

    private sealed class Context
    {
        private readonly KnownSymbols _symbols;

        public Context(KnownSymbols symbols) => _symbols = symbols;

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (!LockScope.IsAcquire(invocation, _symbols, out var acquired, out _)
                || acquired is null
                || Statement(invocation) is not { Parent: IBlockOperation block } statement
                || IsGuarded(statement, block, acquired))
            {
                return;
            }

            // Only when this function releases it later, outside a finally: a lock handed over to another
            // method is not ours to judge.
            var body = AsyncContext.GetFunctionBody(invocation);
            var acquiredAt = invocation.Syntax.Span.End;
            foreach (var operation in body.Descendants())
            {
                if (operation.Syntax.SpanStart > acquiredAt
                    && LockScope.IsRelease(operation, out var released)
                    && SymbolEqualityComparer.Default.Equals(released, acquired)
                    && !AsyncContext.IsInNestedFunction(operation, body)
                    && !IsInFinally(operation, body)
                    && !IsRollback(operation, statement)
                    && !IsGiveBackBeforeRetry(operation, statement, acquired)
                    && !NothingThrowsBeforeRelease(context, statement, acquired)
                    && !IsSignalCount(acquired)
                    && !HandsTheLockToTheCaller(body, acquired, context.ContainingSymbol.ContainingType, context.CancellationToken))
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.TW2006AcquireWithoutFinally, invocation.Syntax.GetLocation(), acquired.Name));
                    return;
                }
            }
        }

        // `IDisposable Enter() { Monitor.Enter(_lock); if (_open) return this; Monitor.Exit(_lock); throw …; }`
        // with `Dispose() => Monitor.Exit(_lock)`: the lock goes to the caller as a disposable handle
        // (a hand-made EnterScope); the release here is the refusal path. The caller's `using` is the
        // finally. Only for a `Dispose()` in the same file that releases the same lock.
        private static bool HandsTheLockToTheCaller(IOperation body, ISymbol acquired, INamedTypeSymbol? type, System.Threading.CancellationToken cancellationToken)
        {
            if (type is null || body.SemanticModel is not { } model || !ReturnsItself(body))
            {
                return false;
            }

            foreach (var member in type.GetMembers("Dispose"))
            {
                if (member is IMethodSymbol { Parameters.Length: 0 } method
                    && method.DeclaringSyntaxReferences.Length == 1
                    && method.DeclaringSyntaxReferences[0] is var reference
                    && reference.SyntaxTree == model.SyntaxTree
                    && model.GetOperation(reference.GetSyntax(cancellationToken), cancellationToken) is { } dispose)
                {
                    foreach (var operation in dispose.DescendantsAndSelf())
                    {
                        if (LockScope.IsRelease(operation, out var released) && SymbolEqualityComparer.Default.Equals(released, acquired))
                        {
                            return true;
                        }
                    }
                }
            }

            return false;
        }

        private static bool ReturnsItself(IOperation body)
        {
            foreach (var operation in body.Descendants())
            {
                if (operation is IReturnOperation { ReturnedValue: { } value }
                    && value.WithoutConversions() is IInstanceReferenceOperation
                    && !AsyncContext.IsInNestedFunction(operation, body))
                {
                    return true;
                }
            }

            return false;
        }

        // `Monitor.Enter(_sync); _stopping = true; Monitor.Exit(_sync);`: on every path from the acquire
        // to a release only plain data moves run, so no exception can leave the lock held. Walked on
        // the flow graph (branches in between count), only for would-be findings.
        private static bool NothingThrowsBeforeRelease(OperationAnalysisContext context, IOperation statement, ISymbol acquired)
        {
            if (ExceptionFlow.GraphOf(statement, context.GetControlFlowGraph(), context.ContainingSymbol) is not { } graph
                || Locate(graph, statement.Syntax) is not (var start, var index))
            {
                return false;
            }

            var taken = TakenFlag(statement);
            var visited = new HashSet<BasicBlock>();
            var pending = new Stack<(BasicBlock Block, int Index)>();
            pending.Push((start, index + 1));
            while (pending.Count > 0)
            {
                var (block, from) = pending.Pop();
                if (!PathReleases(block, from, acquired, out var continues))
                {
                    return false;
                }

                if (!continues)
                {
                    continue;
                }

                foreach (var branch in Successors(block, taken))
                {
                    if (branch is null)
                    {
                        continue;
                    }

                    // A throw, or leaving the function still holding the lock: not provably safe.
                    if (branch.Destination is not { Kind: not BasicBlockKind.Exit } next)
                    {
                        return false;
                    }

                    if (visited.Add(next))
                    {
                        pending.Push((next, 0));
                    }
                }
            }

            return true;
        }

        // `_spinLock.Enter(ref lockTaken); … if (lockTaken) _spinLock.Exit();`: once Enter returns, the flag is
        // set, so a branch on it goes one way only — to the release.
        private static ILocalSymbol? TakenFlag(IOperation statement)
        {
            if (statement is IExpressionStatementOperation { Operation: IInvocationOperation acquire })
            {
                foreach (var argument in acquire.Arguments)
                {
                    if (argument.Parameter is { RefKind: RefKind.Ref, Type.SpecialType: SpecialType.System_Boolean }
                        && argument.Value is ILocalReferenceOperation { Local: var flag })
                    {
                        return flag;
                    }
                }
            }

            return null;
        }

        private static ControlFlowBranch?[] Successors(BasicBlock block, ILocalSymbol? taken)
        {
            if (taken is not null
                && block.BranchValue is ILocalReferenceOperation { Local: var tested }
                && SymbolEqualityComparer.Default.Equals(tested, taken)
                && block.ConditionKind != ControlFlowConditionKind.None)
            {
                // The conditional successor is taken when the value equals ConditionKind's truth.
                return new[] { block.ConditionKind == ControlFlowConditionKind.WhenTrue ? block.ConditionalSuccessor : block.FallThroughSuccessor };
            }

            return new[] { block.FallThroughSuccessor, block.ConditionalSuccessor };
        }

        // Runs block from `from`: false when something may throw first; `continues` when the path goes
        // on past the block without releasing.
        private static bool PathReleases(BasicBlock block, int from, ISymbol acquired, out bool continues)
        {
            continues = false;
            for (var i = from; i < block.Operations.Length; i++)
            {
                var operation = block.Operations[i];
                if (operation is IExpressionStatementOperation { Operation: var call }
                    && LockScope.IsRelease(call, out var released)
                    && SymbolEqualityComparer.Default.Equals(released, acquired))
                {
                    return true;
                }

                if (!ExceptionFlow.CannotThrow(operation) && !IsConditionWaitOrSignal(operation, acquired))
                {
                    return false;
                }
            }

            if (block.BranchValue is { } value && !ExceptionFlow.CannotThrow(value))
            {
                return false;
            }

            continues = true;
            return true;
        }

        // `Monitor.Enter(gate); Monitor.Wait(gate, 1); Monitor.Exit(gate);` and `Monitor.PulseAll(gate)` in
        // the same place (ImageSharp's low-memory monitor): on the lock just taken, Pulse and PulseAll
        // cannot fail, and Wait fails only when another thread calls Thread.Interrupt. Its timeout must be a
        // plain value.
        private static bool IsConditionWaitOrSignal(IOperation operation, ISymbol acquired)
        {
            if (operation is not IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod: { IsStatic: true, Name: "Wait" or "Pulse" or "PulseAll" } method } call }
                || method.ContainingType is not { Name: "Monitor", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } }
                || call.Arguments.Length == 0
                || !SymbolEqualityComparer.Default.Equals(LockScope.LockSymbol(call.Arguments[0].Value), acquired))
            {
                return false;
            }

            for (var i = 1; i < call.Arguments.Length; i++)
            {
                if (!ExceptionFlow.CannotThrow(call.Arguments[i].Value))
                {
                    return false;
                }
            }

            return true;
        }

        private static (BasicBlock Block, int Index)? Locate(ControlFlowGraph graph, SyntaxNode syntax)
        {
            foreach (var block in graph.Blocks)
            {
                for (var i = 0; i < block.Operations.Length; i++)
                {
                    if (block.Operations[i].Syntax == syntax)
                    {
                        return (block, i);
                    }
                }
            }

            return null;
        }

        // `if (_stream is null) { _mutex.ReleaseMutex(); return null; }` (or a catch that releases and
        // rethrows) in a method whose main path returns holding the lock: an AcquireLock() API that
        // rolls back on failure. The lock is handed to the caller by design; not a region to guard.
        // Rx's enumerator: OnNext does `_gate.Release()` per item and MoveNext `_gate.Wait()`s for one. A
        // semaphore field that some method of the type releases without ever waiting on it counts
        // signals between a producer and a consumer; it is not a lock, and a wait-then-release in
        // one method is no critical section. Read from syntax, only for would-be findings.
        private static bool IsSignalCount(ISymbol acquired)
        {
            if (acquired is not IFieldSymbol field || !LockScope.IsSemaphore(field) || field.ContainingType is not { } type)
            {
                return false;
            }

            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                foreach (var member in reference.GetSyntax().DescendantNodes().OfType<BaseMethodDeclarationSyntax>())
                {
                    var releases = false;
                    var waits = false;
                    foreach (var call in member.DescendantNodes().OfType<InvocationExpressionSyntax>())
                    {
                        if (call.Expression is MemberAccessExpressionSyntax { Expression: var receiver, Name.Identifier.ValueText: var name }
                            && NamesField(receiver, field))
                        {
                            releases |= name == "Release";
                            waits |= name is "Wait" or "WaitAsync" or "WaitOne";
                        }
                    }

                    if (releases && !waits)
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool NamesField(ExpressionSyntax receiver, IFieldSymbol field) => receiver switch
        {
            IdentifierNameSyntax name => name.Identifier.ValueText == field.Name,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var name } => name.Identifier.ValueText == field.Name,
            _ => false,
        };

        // DuckDB.NET's file-lock retry: `while (true) { Monitor.Enter(r); if (stale) { Monitor.Exit(r);
        // continue; } try { … } finally { Monitor.Exit(r); } }`. A `continue`/`break` of a loop around the
        // acquire leaves its region as a return does; the path that stays is judged by its own release.
        private static bool IsRollback(IOperation release, IOperation acquire)
        {
            if (release.Parent is not IExpressionStatementOperation statement
                || statement.Parent is not IBlockOperation { Parent: IConditionalOperation or ICatchClauseOperation } branch)
            {
                return false;
            }

            var after = false;
            foreach (var operation in branch.Operations)
            {
                if (operation == statement)
                {
                    after = true;
                }
                else if (after && (operation is IReturnOperation or IThrowOperation or IExpressionStatementOperation { Operation: IThrowOperation }
                                   || LeavesTheLoopAround(operation, acquire)))
                {
                    return true;
                }
            }

            return false;
        }

        // The same retry written the other way round (DuckDB.NET's connection cache): `while (r == null) { r = Get();
        // Monitor.Enter(r); if (Cached(r)) break; Monitor.Exit(r); r = null; }` and a `try { … } finally {
        // Monitor.Exit(r); }` right after the loop. The `break` takes the lock to the guarded region; the release
        // after it in the loop's body gives it back before the loop tries again.
        private static bool IsGiveBackBeforeRetry(IOperation release, IOperation acquire, ISymbol acquired)
        {
            if (release.Parent is not IExpressionStatementOperation statement
                || statement.Parent is not IBlockOperation { Parent: ILoopOperation loop } body
                || acquire.Parent != body
                || loop.Parent is not IBlockOperation outer)
            {
                return false;
            }

            var from = body.Operations.IndexOf(acquire);
            var to = body.Operations.IndexOf(statement);
            var breaks = false;
            for (var i = from + 1; i < to && !breaks; i++)
            {
                breaks = BreaksOutOf(body.Operations[i], loop);
            }

            var next = outer.Operations.IndexOf(loop) + 1;
            return breaks
                   && next < outer.Operations.Length
                   && outer.Operations[next] is ITryOperation { Finally: { } @finally }
                   && Releases(@finally, acquired);
        }

        private static bool BreaksOutOf(IOperation statement, ILoopOperation loop)
        {
            foreach (var operation in statement.DescendantsAndSelf())
            {
                if (operation is IBranchOperation { BranchKind: BranchKind.Break } jump && Target(jump) == (IOperation)loop)
                {
                    return true;
                }
            }

            return false;
        }

        // The loop a `continue` goes back to, or the loop or switch a `break` leaves.
        private static IOperation? Target(IBranchOperation jump)
        {
            for (var current = jump.Parent; current is not null; current = current.Parent)
            {
                if (current is ILoopOperation || (current is ISwitchOperation && jump.BranchKind == BranchKind.Break))
                {
                    return current;
                }
            }

            return null;
        }

        private static bool LeavesTheLoopAround(IOperation operation, IOperation acquire)
            => operation is IBranchOperation { BranchKind: BranchKind.Continue or BranchKind.Break } jump
               && Target(jump) is ILoopOperation loop
               && loop.Syntax.Span.Contains(acquire.Syntax.Span);

        private static bool IsInFinally(IOperation operation, IOperation body)
        {
            IOperation child = operation;
            for (var current = operation.Parent; current is not null && current != body; child = current, current = current.Parent)
            {
                if (current is ITryOperation @try && child == @try.Finally)
                {
                    return true;
                }
            }

            return false;
        }

        // The acquire is a statement of its own (perhaps awaited).
        private static IOperation? Statement(IInvocationOperation invocation)
        {
            var parent = invocation.Parent;
            if (parent is IAwaitOperation)
            {
                parent = parent.Parent;
            }

            return parent as IExpressionStatementOperation;
        }

        // acquire; try { ... } finally { release; }   or   try { acquire; ... } finally { release; }
        private static bool IsGuarded(IOperation statement, IBlockOperation block, ISymbol acquired)
        {
            var index = block.Operations.IndexOf(statement);
            if (index + 1 < block.Operations.Length && block.Operations[index + 1] is ITryOperation { Finally: { } @finally } && Releases(@finally, acquired))
            {
                return true;
            }

            if (index + 2 < block.Operations.Length
                && block.Operations[index + 1] is ITryOperation { Finally: null } swallowing
                && block.Operations[index + 2] is IExpressionStatementOperation { Operation: var next }
                && LockScope.IsRelease(next, out var released) && SymbolEqualityComparer.Default.Equals(released, acquired)
                && SwallowsEverythingAndFallsThrough(swallowing))
            {
                return true;
            }

            foreach (var held in LockScope.HeldLocks(statement))
            {
                if (SymbolEqualityComparer.Default.Equals(held, acquired))
                {
                    return true;
                }
            }

            return false;
        }

        // `acquire; try { … } catch (Exception e) { log(e); } release;`: a catch-all without a filter that
        // neither rethrows nor leaves, around a block that does not leave either, always reaches the
        // release after it — the catch does what a finally would (FluentFTP's NOOP daemon). Only a throw
        // from the catch itself could skip it.
        private static bool SwallowsEverythingAndFallsThrough(ITryOperation @try)
        {
            var catchesAll = false;
            foreach (var @catch in @try.Catches)
            {
                catchesAll |= @catch.Filter is null
                              && @catch.ExceptionType is { SpecialType: SpecialType.System_Object } or { Name: "Exception", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };
                if (Leaves(@catch.Handler, @try, rethrowLeaves: true))
                {
                    return false;
                }
            }

            return catchesAll && !Leaves(@try.Body, @try, rethrowLeaves: false);
        }

        // A return (or yield), goto, or a break/continue of a loop outside the try; in a catch, any throw
        // (one caught again inside the handler is not told apart).
        private static bool Leaves(IOperation region, ITryOperation @try, bool rethrowLeaves)
        {
            foreach (var operation in region.Descendants())
            {
                if (operation is not (IReturnOperation or IBranchOperation or IThrowOperation) || AsyncContext.IsInNestedFunction(operation, region))
                {
                    continue;
                }

                switch (operation)
                {
                    case IReturnOperation or IBranchOperation { BranchKind: BranchKind.GoTo }:
                    case IThrowOperation when rethrowLeaves:
                    case IBranchOperation { BranchKind: BranchKind.Break } when !HasTargetInside(operation, @try, switchCounts: true):
                    case IBranchOperation { BranchKind: BranchKind.Continue } when !HasTargetInside(operation, @try, switchCounts: false):
                        return true;
                }
            }

            return false;
        }

        // The loop (or, for a break, the switch) the jump targets lies inside the try.
        private static bool HasTargetInside(IOperation jump, ITryOperation @try, bool switchCounts)
        {
            for (var current = jump.Parent; current is not null && current != @try; current = current.Parent)
            {
                if (current is ILoopOperation || (switchCounts && current is ISwitchOperation))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool Releases(IBlockOperation @finally, ISymbol acquired)
        {
            foreach (var operation in @finally.Descendants())
            {
                if (LockScope.IsRelease(operation, out var released) && SymbolEqualityComparer.Default.Equals(released, acquired))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
