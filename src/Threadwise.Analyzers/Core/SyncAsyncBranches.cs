using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// The dual sync/async path libraries write to serve both kinds of callers from one method:
/// <c>if (sync) x.Wait(); else await x.WaitAsync();</c>, <c>sync ? m.Lock() : await m.LockAsync()</c>,
/// <c>if (ioBehavior == IOBehavior.Asynchronous) await s.WaitAsync(); else s.Wait();</c>,
/// <c>if (!useAsync) { Thread.Sleep(d); return; } await Task.Delay(d);</c>. The blocking branch is
/// the synchronous API's path and already has its async twin beside it: nothing to report there.
/// In a method that returns a task without being async, returning the task is the async path:
/// <c>if (context.IsSynchronous) { Task.Delay(d).GetAwaiter().GetResult(); return Task.CompletedTask; }
/// return Task.Delay(d);</c>, and <c>if (context.IsSynchronous &amp;&amp; !task.IsCompleted) { task.Wait(); } return task;</c>.
/// </summary>
internal static class SyncAsyncBranches
{
    /// <summary>True when <paramref name="operation"/> is in the branch of a flag test (a bool
    /// parameter, local, field or property, possibly negated, or a mode enum compared with its
    /// <c>Synchronous</c>/<c>Asynchronous</c> member) whose other branch, or the code after a branch
    /// that leaves, awaits.</summary>
    public static bool IsInSynchronousBranch(IOperation operation)
    {
        var child = operation;
        for (var current = operation.Parent; current is not null; child = current, current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }

            if (current is not IConditionalOperation conditional || !IsFlag(conditional.Condition))
            {
                continue;
            }

            // A branch that awaits is no synchronous path (`if (idle) { await Task.Delay(100); continue; }`,
            // EventFlow's populator; `empty ? await a.BeginAsync() : await a.BeginAsync(level)`, PetaPoco).
            if (AwaitsItself(child))
            {
                return false;
            }

            if (child == conditional.WhenTrue && conditional.WhenFalse is { } whenFalse && Awaits(whenFalse))
            {
                return true;
            }

            if (child == conditional.WhenFalse && Awaits(conditional.WhenTrue))
            {
                return true;
            }

            if (child == conditional.WhenTrue && conditional.WhenFalse is null && conditional.WhenTrue.AlwaysLeaves() && AwaitsAfter(conditional))
            {
                return true;
            }

            // `if (sync && !task.IsCompleted) { block on task; } return task;`: both paths end in the task.
            if (child == conditional.WhenTrue && conditional.WhenFalse is null && ReturnsATaskNext(conditional))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True when <paramref name="operation"/> sits in a branch of any <c>if</c>/<c>else</c> or <c>?:</c> whose
    /// other branch awaits, or in a branch without <c>else</c> that leaves with the statements after the
    /// <c>if</c> awaiting: <c>if (_connection is DbConnection db) { await db.BeginTransactionAsync(t); } else {
    /// BeginTransaction(); }</c> (PetaPoco), <c>if (reader is not DbDataReader) return reader.Merge(items);</c>
    /// then the awaiting path (Insight.Database). Unlike a flag test this says nothing by itself; TW1004
    /// asks it only when the call's twin is the method the call is in: the method does its asynchronous
    /// work where the API allows it and falls back to its synchronous twin where it does not.
    /// </summary>
    public static bool IsFallbackBesideAnAwaitingPath(IOperation operation)
    {
        var current = operation;
        for (var parent = operation.Parent; parent is not null and not IAnonymousFunctionOperation and not ILocalFunctionOperation and not IMethodBodyBaseOperation; parent = parent.Parent)
        {
            if (parent is IConditionalOperation conditional
                && ((conditional.WhenTrue == current ? conditional.WhenFalse : conditional.WhenFalse == current ? conditional.WhenTrue : null) is { } other && AwaitsItself(other)
                    || conditional.WhenTrue == current && conditional.WhenFalse is null && current.AlwaysLeaves() && AwaitsAfter(conditional, awaitOnly: true)))
            {
                return true;
            }

            current = parent;
        }

        return false;
    }

    /// <summary>
    /// <c>if (callbacks.OnRequestAsync != null) r = await callbacks.HandleAsync(q); else if (…) r =
    /// callbacks.Handle(q);</c> (WatsonTcp's user callbacks): whatever the condition, the code picks
    /// between the two forms of the call on purpose, and the blocking form is the one the other branch
    /// already replaced. True when another branch of an <c>if</c>/<c>else</c> chain or <c>?:</c>, or another
    /// section of a <c>switch</c>, around <paramref name="operation"/> awaits a call of <paramref name="twin"/>.
    /// </summary>
    public static bool IsBesideItsAwaitedTwin(IOperation operation, IMethodSymbol twin)
    {
        var child = operation;
        for (var current = operation.Parent; current is not null; child = current, current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }

            if (current is IConditionalOperation conditional
                && (child == conditional.WhenTrue ? conditional.WhenFalse : child == conditional.WhenFalse ? conditional.WhenTrue : null) is { } other
                && AwaitsACallOf(other, twin))
            {
                return true;
            }

            // `handler.Handle(type, call); await handler.HandleAsync(type, call);` (Flurl's event handlers, "sync
            // first, then async"): an extension point (interface, abstract or virtual) with both forms, each
            // called in turn on the same receiver; the synchronous call is the user's synchronous hook.
            if (current is IBlockOperation block && child is IExpressionStatementOperation && AwaitsTheTwinBeside(block, child, operation, twin))
            {
                return true;
            }

            // `switch (flow) { case ExecutionFlow.Async: await h.HandleAsync(…); break; case ExecutionFlow.Sync:
            // h.Handle(…); break; }` (Silverback's return-value handlers): another section awaits the twin.
            if (current is ISwitchCaseOperation section && section.Parent is ISwitchOperation @switch && OtherSectionAwaits(@switch, section, twin))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>if (!semaphore.Wait(_spin, ct)) await semaphore.WaitAsync(ct);</c>, <c>!s.Wait(_spin) &amp;&amp; !await
    /// s.WaitAsync(rest)</c> (KeyedSemaphores: "wait synchronously for a little bit to avoid a Task
    /// allocation, then asynchronously"): a timed wait whose failure is answered by awaiting its twin on the
    /// same receiver. The blocking is bounded and chosen; the long wait is already asynchronous. An untimed
    /// wait, a constant timeout of a second or more, or a twin awaited on another receiver, is no such fast path.
    /// </summary>
    public static bool IsFastPathBeforeItsAwaitedTwin(IInvocationOperation invocation, IMethodSymbol twin)
    {
        if (invocation.TargetMethod.ReturnType.SpecialType != SpecialType.System_Boolean
            || !Timeouts.HasTimeout(invocation)
            || BlocksASecondOrMore(invocation)
            || invocation.Instance is not { } instance
            || LockScope.LockSymbol(instance) is not { } receiver)
        {
            return false;
        }

        var result = Outermost(invocation);
        var negated = result.Parent is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } not ? not : null;
        var test = negated is null ? result : Outermost(negated);
        IOperation? slowPath = test.Parent switch
        {
            IConditionalOperation conditional when conditional.Condition == test => negated is null ? conditional.WhenFalse : conditional.WhenTrue,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } both when both.LeftOperand == test && negated is not null => both.RightOperand,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } either when either.LeftOperand == test && negated is null => either.RightOperand,
            _ => null,
        };
        return slowPath is not null && AwaitsACallOn(slowPath, twin, receiver);
    }

    // `if (!s.Wait(TimeSpan.FromSeconds(30))) await s.WaitAsync();` is no fast path: a constant wait of a
    // second or more blocks the thread for real before the twin is tried.
    private static bool BlocksASecondOrMore(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { Name: "millisecondsTimeout" or "timeout" } && Timeouts.IsAtLeastASecond(argument.Value))
            {
                return true;
            }
        }

        return false;
    }

    private static IOperation Outermost(IOperation operation)
    {
        while (operation.Parent is IConversionOperation { IsImplicit: true } or IParenthesizedOperation)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    // Any overload of the twin: `Wait(_spin, ct)` is answered by `WaitAsync(ct)`, the rest of the wait.
    private static bool AwaitsACallOn(IOperation branch, IMethodSymbol twin, ISymbol receiver)
    {
        foreach (var operation in branch.DescendantsAndSelf())
        {
            if (operation is IAwaitOperation { Operation: var awaited }
                && KnownCompleteTasks.Unwrap(awaited) is IInvocationOperation { Instance: { } twinInstance, TargetMethod: var called }
                && called.Name == twin.Name
                && SymbolEqualityComparer.Default.Equals(LockScope.LockSymbol(twinInstance), receiver)
                && !AsyncContext.IsInNestedFunction(operation, branch)) // not in a lambda the branch only starts
            {
                return true;
            }
        }

        return false;
    }

    private static bool AwaitsTheTwinBeside(IBlockOperation block, IOperation statement, IOperation call, IMethodSymbol twin)
    {
        if (call is not IInvocationOperation { Instance: { } instance, TargetMethod: var hook } || LockScope.LockSymbol(instance) is not { } receiver
            || !(hook.IsAbstract || hook.IsVirtual || hook.IsOverride || hook.ContainingType?.TypeKind == TypeKind.Interface))
        {
            return false;
        }

        var index = block.Operations.IndexOf(statement);
        foreach (var neighbour in new[] { index - 1, index + 1 })
        {
            if (neighbour >= 0 && neighbour < block.Operations.Length
                && block.Operations[neighbour] is IExpressionStatementOperation { Operation: IAwaitOperation { Operation: var awaited } }
                && KnownCompleteTasks.Unwrap(awaited) is IInvocationOperation { Instance: { } twinInstance, TargetMethod: var called }
                && SymbolEqualityComparer.Default.Equals(LockScope.LockSymbol(twinInstance), receiver)
                && IsOrOverrides((called.ReducedFrom ?? called).OriginalDefinition, (twin.ReducedFrom ?? twin).OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    private static bool OtherSectionAwaits(ISwitchOperation @switch, ISwitchCaseOperation section, IMethodSymbol twin)
    {
        foreach (var other in @switch.Cases)
        {
            if (other != section && AwaitsACallOf(other, twin))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="branch"/> awaits a call of <paramref name="twin"/> (or of an override of it).</summary>
    public static bool AwaitsACallOf(IOperation branch, IMethodSymbol twin)
    {
        var wanted = (twin.ReducedFrom ?? twin).OriginalDefinition;
        foreach (var operation in branch.DescendantsAndSelf())
        {
            if (operation is IAwaitOperation { Operation: var awaited }
                && KnownCompleteTasks.Unwrap(awaited) is IInvocationOperation { TargetMethod: var called }
                && IsOrOverrides((called.ReducedFrom ?? called).OriginalDefinition, wanted))
            {
                return true;
            }
        }

        return false;
    }

    // `asyncBehaviour.ExecuteAsync(…)` on a receiver of the derived type binds the override.
    private static bool IsOrOverrides(IMethodSymbol called, IMethodSymbol wanted)
    {
        for (IMethodSymbol? method = called; method is not null; method = method.OverriddenMethod)
        {
            if (SymbolEqualityComparer.Default.Equals(method.OriginalDefinition, wanted))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// <c>handler(engine, this, text, false)</c> where the parameter is <c>bool doAsync</c>: the caller
    /// asks the dual-path method for its synchronous path, whose task is complete when it returns
    /// (MailKit's <c>doAsync</c> handlers). A bool parameter whose name says async (<c>doAsync</c>,
    /// <c>isAsync</c>, <c>useAsync</c>, <c>runAsync</c>, <c>async</c>) given the constant <c>false</c>,
    /// one whose name says sync (<c>sync</c>, <c>synchronous</c>) given <c>true</c>, or a mode enum's
    /// synchronous member (MySqlConnector's <c>IOBehavior.Synchronous</c>).
    /// </summary>
    public static bool AsksForTheSynchronousPath(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { Type.SpecialType: SpecialType.System_Boolean, Name: var name }
                && argument.Value.ConstantValue is { HasValue: true, Value: bool value }
                && (value ? NamesTheSynchronousPath(name) : name.EndsWith("async", System.StringComparison.OrdinalIgnoreCase)))
            {
                return true;
            }

            // `ClearPoolsAsync(IOBehavior.Synchronous, ct)`: the mode enum's synchronous member.
            if (argument.Parameter?.Type is { TypeKind: TypeKind.Enum } mode
                && argument.Value.WithoutConversions() is IFieldReferenceOperation { Field: { IsConst: true } member }
                && SymbolEqualityComparer.Default.Equals(member.ContainingType, mode)
                && NamesTheSynchronousPath(member.Name))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A path name for the synchronous side (<c>sync</c>, <c>Synchronous</c>, <c>runSynchronously</c>).</summary>
    public static bool NamesTheSynchronousPath(string name)
        => NamesAPath(name) && name.IndexOf("async", System.StringComparison.OrdinalIgnoreCase) < 0;

    /// <summary>
    /// True when <paramref name="function"/> takes a parameter that picks its path: a <c>bool</c> named
    /// for it (<c>async</c>, <c>isAsync</c>, <c>useAsync</c>, <c>sync</c>, <c>synchronous</c>) or a mode
    /// enum with a member named for it (<c>IOBehavior.Synchronous</c>). Such a method serves synchronous
    /// callers too, so a <c>using</c> outside any branch must stay synchronous: <c>await using</c> would
    /// make the synchronous path asynchronous.
    /// </summary>
    public static bool TakesAPathParameter(IMethodSymbol function)
    {
        foreach (var parameter in function.Parameters)
        {
            var type = parameter.Type;
            if ((type.SpecialType == SpecialType.System_Boolean && NamesAPath(parameter.Name))
                || (type is INamedTypeSymbol { TypeKind: TypeKind.Enum } mode && AnyNamesAPath(mode.MemberNames)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A name that says which path: it ends in <c>sync</c>, <c>synchronous</c> or
    /// <c>synchronously</c> (<c>async</c>, <c>isAsync</c>, <c>sync</c>, <c>Synchronous</c>,
    /// <c>Asynchronous</c>, <c>runSynchronously</c>; not <c>synchronized</c> or <c>syncRoot</c>).</summary>
    public static bool NamesAPath(string name)
        => name.EndsWith("sync", System.StringComparison.OrdinalIgnoreCase)
           || name.EndsWith("synchronous", System.StringComparison.OrdinalIgnoreCase)
           || name.EndsWith("synchronously", System.StringComparison.OrdinalIgnoreCase);

    /// <summary>A path name for the asynchronous side (<c>async</c>, <c>Asynchronous</c>).</summary>
    public static bool NamesTheAsynchronousPath(string name) => NamesAPath(name) && name.IndexOf("async", System.StringComparison.OrdinalIgnoreCase) >= 0;

    private static bool AnyNamesAPath(System.Collections.Generic.IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            if (NamesAPath(name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsFlag(IOperation condition)
    {
        while (condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } negation)
        {
            condition = negation.Operand;
        }

        // `sync && !task.IsCompleted`: the flag still picks the branch; the rest only narrows it.
        if (condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and)
        {
            return IsFlag(and.LeftOperand) || IsFlag(and.RightOperand);
        }

        // `timeout.IsZero || IsSynchronous`: the branch also runs on the async path, but only when
        // the wait it makes is a zero-timeout poll, which does not block.
        if (condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } or)
        {
            return (IsFlag(or.LeftOperand) && Timeouts.IsZeroTimeoutTest(or.RightOperand))
                   || (IsFlag(or.RightOperand) && Timeouts.IsZeroTimeoutTest(or.LeftOperand));
        }

        // `ioBehavior == IOBehavior.Asynchronous`: a mode enum compared with a member named for the path.
        if (condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison)
        {
            return IsSyncModeTest(comparison.LeftOperand, comparison.RightOperand) || IsSyncModeTest(comparison.RightOperand, comparison.LeftOperand);
        }

        condition = condition.WithoutConversions();
        return condition.Type?.SpecialType == SpecialType.System_Boolean && IsVariable(condition) && !IsTaskState(condition);
    }

    // `if (timeout.IsCompleted) { …connect.Task.Result… } else { await … }` (SIPSorcery's TCP connect): a
    // task's state picks no sync or async path; whether the wait can block is KnownCompleteTasks' question.
    private static bool IsTaskState(IOperation condition)
        => condition is IPropertyReferenceOperation { Property.ContainingType: { Name: "Task" or "ValueTask", ContainingNamespace: { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } } };

    private static bool IsVariable(IOperation value)
        => value is IParameterReferenceOperation or ILocalReferenceOperation or IFieldReferenceOperation or IPropertyReferenceOperation;

    // A variable of an enum type against one of its constants whose name says sync or async
    // (`Synchronous`, `Asynchronous`, `Sync`, `Async`): the enum only picks the path. Any other
    // enum (`kind == Kind.File`) picks what to do, and its blocking branch is reported.
    private static bool IsSyncModeTest(IOperation value, IOperation constant)
    {
        value = value.WithoutConversions();
        return IsVariable(value)
               && value.Type?.TypeKind == TypeKind.Enum
               && constant.WithoutConversions() is IFieldReferenceOperation { Field: { IsConst: true, Name: var name } field }
               && SymbolEqualityComparer.Default.Equals(field.ContainingType, value.Type)
               && NamesAPath(name);
    }

    // An await of the branch's own (not in a lambda it holds).
    private static bool AwaitsItself(IOperation branch)
    {
        foreach (var descendant in branch.DescendantsAndSelf())
        {
            if (descendant is IAwaitOperation && !AsyncContext.IsInNestedFunction(descendant, branch))
            {
                return true;
            }
        }

        return false;
    }

    // The async path: an await, or (in a method that returns a task without being async) the
    // return of a task.
    private static bool Awaits(IOperation branch)
    {
        foreach (var descendant in branch.DescendantsAndSelf())
        {
            if ((descendant is IAwaitOperation || ReturnsATask(descendant)) && !AsyncContext.IsInNestedFunction(descendant, branch))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ReturnsATask(IOperation operation)
        => operation is IReturnOperation { ReturnedValue: { } value }
           && value.WithoutConversions() is not IPropertyReferenceOperation { Property.Name: "CompletedTask" }
           && operation.SemanticModel?.Compilation is { } compilation
           && KnownSymbols.For(compilation).IsTaskType(value.Type);

    // The statement right after `statement` in its block returns a task.
    private static bool ReturnsATaskNext(IOperation statement)
    {
        if (statement.Parent is not IBlockOperation block)
        {
            return false;
        }

        for (var i = 0; i < block.Operations.Length - 1; i++)
        {
            if (block.Operations[i] == statement)
            {
                return ReturnsATask(block.Operations[i + 1]);
            }
        }

        return false;
    }

    // `if (sync) { ...; return; }` followed, in the same block, by the awaiting path (an await only, with
    // `awaitOnly`; otherwise the return of a task counts too).
    private static bool AwaitsAfter(IOperation statement, bool awaitOnly = false)
    {
        if (statement.Parent is not IBlockOperation block)
        {
            return false;
        }

        var after = false;
        foreach (var sibling in block.Operations)
        {
            if (after && (awaitOnly ? AwaitsItself(sibling) : Awaits(sibling)))
            {
                return true;
            }

            after |= sibling == statement;
        }

        return false;
    }
}
