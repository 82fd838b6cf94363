using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>Small operation-tree helpers every rule needs.</summary>
internal static class OperationExtensions
{
    /// <summary>The operation under any conversions and parentheses: what the code names.</summary>
    public static IOperation WithoutConversions(this IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    continue;
                default:
                    return operation;
            }
        }
    }

    /// <summary>True when the call's task is awaited right where it is made (<c>await M()</c>,
    /// <c>await M().ConfigureAwait(false)</c>): all of the callee runs before the caller goes on.</summary>
    public static bool IsAwaitedWhereCalled(this IInvocationOperation call)
    {
        var parent = call.ParentSkippingConversions();
        if (parent is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" } configure && configure.Instance?.WithoutConversions() == call)
        {
            parent = configure.ParentSkippingConversions();
        }

        return parent is IAwaitOperation;
    }

    /// <summary>
    /// True when <paramref name="operation"/> is the back-off of a spin lock: it sits in the body of a
    /// loop that retries an <c>Interlocked.CompareExchange</c> or <c>Exchange</c> — in its condition
    /// (<c>while (Interlocked.CompareExchange(ref _held, 1, 0) != 0) SpinWait(++spins);</c>, MonoTorrent's
    /// spin lock) or in an <c>if</c> of its body that leaves the loop. Waiting for a lock is not the
    /// blocking the TW1xxx rules are about (a <c>lock</c> statement is not reported either), and the
    /// <c>Thread.Sleep(0)</c>/<c>Sleep(1)</c> such a loop backs off with is how <c>SpinWait</c> itself yields.
    /// </summary>
    public static bool IsSpinBackoff(this IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
                case IWhileLoopOperation loop:
                    return loop.Condition is { } condition && RetriesAnExchange(condition) || ExitsOnAnExchange(loop.Body);
                case IForLoopOperation loop:
                    return loop.Condition is { } forCondition && RetriesAnExchange(forCondition) || ExitsOnAnExchange(loop.Body);
                case ILoopOperation:
                    return false;
            }
        }

        return false;
    }

    private static bool ExitsOnAnExchange(IOperation body)
    {
        if (body is not IBlockOperation block)
        {
            return false;
        }

        foreach (var statement in block.Operations)
        {
            if (statement is IConditionalOperation { WhenTrue: var exit } conditional
                && RetriesAnExchange(conditional.Condition)
                && exit.DescendantsAndSelf().Any(node => node is IBranchOperation { BranchKind: BranchKind.Break } or IReturnOperation))
            {
                return true;
            }
        }

        return false;
    }

    private static bool RetriesAnExchange(IOperation condition)
    {
        foreach (var node in condition.DescendantsAndSelf())
        {
            if (node is IInvocationOperation { TargetMethod: { Name: "CompareExchange" or "Exchange", ContainingType: { Name: "Interlocked", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } } })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The catch clause <paramref name="operation"/> sits in, within its own function (a
    /// lambda or local function inside the catch runs later, elsewhere); null outside one. Rules use it
    /// to leave error paths alone: clean-up and logging that run rarely, after a failure.</summary>
    public static ICatchClauseOperation? EnclosingCatchClause(this IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ICatchClauseOperation @catch:
                    return @catch;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return null;
            }
        }

        return null;
    }

    /// <summary>
    /// True when <paramref name="operation"/> is clean-up on the way to an exception: it runs, once, in
    /// a block (or switch section) whose last statement throws — <c>if (read != 4) { stream.Close();
    /// throw new ProtocolException(…); }</c>, <c>catch { socket.Disconnect(false); throw; }</c> — also
    /// inside an <c>if</c> of that block. A loop in between may repeat it: not clean-up then. So is a
    /// call whose result is thrown: <c>throw connector.Break(e);</c> builds the exception on its way out.
    /// </summary>
    public static bool IsCleanupBeforeThrow(this IOperation operation)
    {
        IOperation child = operation;
        for (var current = operation.Parent; current is not null; child = current, current = current.Parent)
        {
            switch (current)
            {
                case IThrowOperation:
                    return true;
                case IAnonymousFunctionOperation or ILocalFunctionOperation or ILoopOperation:
                    return false;
                case IBlockOperation block when EndsByThrowingAfter(block.Operations, child, operation):
                    return true;
                case ISwitchCaseOperation section when EndsByThrowingAfter(section.Body, child, operation):
                    return true;
            }
        }

        return false;
    }

    // The block's last statement throws, and nothing from `operation` on leaves the block another way
    // (`var text = File.ReadAllText(p); if (ok) return text; throw …;` is the working path, not clean-up).
    private static bool EndsByThrowingAfter(System.Collections.Immutable.ImmutableArray<IOperation> statements, IOperation statement, IOperation operation)
    {
        if (statements.Length < 2
            || statements[statements.Length - 1] is not (IThrowOperation or IExpressionStatementOperation { Operation: IThrowOperation })
            || statements[statements.Length - 1] == statement)
        {
            return false;
        }

        var start = operation.Syntax.SpanStart;
        foreach (var candidate in statements)
        {
            if (candidate.Syntax.Span.End <= start)
            {
                continue;
            }

            foreach (var descendant in candidate.DescendantsAndSelf())
            {
                if (descendant is IReturnOperation or IBranchOperation
                    && descendant.Syntax.SpanStart > start
                    && !IsInNestedFunction(descendant, candidate))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsInNestedFunction(IOperation operation, IOperation root)
    {
        for (var current = operation.Parent; current is not null && current != root; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The local, parameter or field this operation references (conversions not removed);
    /// null for anything else.</summary>
    public static ISymbol? ReferencedVariable(this IOperation operation) => operation switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation field => field.Field,
        _ => null,
    };

    /// <summary>The argument a lambda or method group is passed as (through its delegate creation and
    /// conversions): <c>Task.Run(() => …)</c>, <c>new Thread(Body)</c>; null when it is not an argument.</summary>
    public static IArgumentOperation? EnclosingArgument(this IOperation function)
    {
        var current = function.Parent;
        while (current is IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation)
        {
            current = current.Parent;
        }

        return current as IArgumentOperation;
    }

    /// <summary>
    /// True when <paramref name="operation"/> sits in a lambda converted to an expression tree
    /// (<c>Expression&lt;Action&lt;T&gt;&gt;</c>): the code there is data that names a member
    /// (<c>Method.Get((IProxy p) =&gt; p.PublishAsync(default))</c>, a reflection helper), not code that runs.
    /// </summary>
    public static bool IsInExpressionTree(this IOperation operation, KnownSymbols symbols)
    {
        if (symbols.ExpressionOfT is not { } expressionOfT)
        {
            return false;
        }

        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is not IAnonymousFunctionOperation)
            {
                continue;
            }

            for (var conversion = current.Parent;
                 conversion is IConversionOperation or IDelegateCreationOperation or IParenthesizedOperation;
                 conversion = conversion.Parent)
            {
                if (conversion.Type is INamedTypeSymbol { IsGenericType: true } type
                    && SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, expressionOfT))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary><c>this</c>, written or implied — not the object an object initializer is filling
    /// (<c>new Header { Count = 0 }</c> writes a new object's field, not this one's).</summary>
    public static bool IsThis(this IOperation? operation)
        => operation is IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance };

    /// <summary>The first ancestor that is not a conversion or parentheses: what uses the value.</summary>
    public static IOperation? ParentSkippingConversions(this IOperation operation)
    {
        var parent = operation.Parent;
        while (parent is IConversionOperation or IParenthesizedOperation)
        {
            parent = parent.Parent;
        }

        return parent;
    }

    /// <summary>True when the branch ends in <c>return</c>, <c>throw</c>, <c>break</c>, <c>continue</c>
    /// or <c>goto</c>, or in a call of a <c>[DoesNotReturn]</c> method (<c>ThrowHelper.ThrowInvalidOperation(…)</c>):
    /// the code after it runs only when the branch was not taken.</summary>
    public static bool AlwaysLeaves(this IOperation branch)
    {
        while (branch is IBlockOperation { Operations.Length: > 0 } block)
        {
            branch = block.Operations[block.Operations.Length - 1];
        }

        return branch is IReturnOperation or IThrowOperation or IBranchOperation
               || branch is IExpressionStatementOperation { Operation: IThrowOperation }
               || branch is IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod: var callee } } && DoesNotReturn(callee);
    }

    // System.Diagnostics.CodeAnalysis.DoesNotReturnAttribute, the framework's or a library's own copy of
    // it (netstandard2.0 libraries declare it internally): matched by its full name.
    private static bool DoesNotReturn(IMethodSymbol method)
    {
        foreach (var attribute in method.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "DoesNotReturnAttribute", ContainingNamespace: { Name: "CodeAnalysis", ContainingNamespace: { Name: "Diagnostics", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } })
            {
                return true;
            }
        }

        return false;
    }
}
