using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// A <c>SemaphoreSlim</c> used exactly as a <c>lock</c>: a private field (or get-only auto-property) that
/// only ever holds <c>new SemaphoreSlim(1, 1)</c>, every acquisition of which (<c>Wait()</c>,
/// <c>await WaitAsync()</c> or <c>await WaitAsync(token)</c>) opens a region released in a <c>finally</c>
/// that awaits nothing, and that is handed to no other code. No holder can be suspended at an
/// <c>await</c> while it holds the slot, so a synchronous method waiting for it blocks no more than one
/// taking a <c>lock</c>, which Threadwise does not report (Raygun's environment snapshot, HiveMQ's
/// subscriptions: `Semaphore.Wait(); try { … } finally { Semaphore.Release(); }` around synchronous
/// work). Callers ask only for waits outside async methods, and only for would-be findings; the answer
/// is cached per member.
/// </summary>
internal static class SemaphoreLocks
{
    private static readonly ConditionalWeakTable<ISymbol, StrongBox<bool>> Answers = new();

    /// <summary>True when <paramref name="invocation"/> is an untimed <c>Wait()</c> (or
    /// <c>Wait(token)</c>) on such a semaphore.</summary>
    public static bool IsWaitOnALock(IInvocationOperation invocation, KnownSymbols symbols)
    {
        if (invocation.TargetMethod.Name != "Wait"
            || !SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, symbols.SemaphoreSlim)
            || Timeouts.HasTimeout(invocation)
            || PrivateMember(invocation.Instance) is not { } member
            || invocation.SemanticModel is not { } model)
        {
            return false;
        }

        var compilation = model.Compilation;
        return Answers.GetValue(member.OriginalDefinition, m => new StrongBox<bool>(IsUsedOnlyAsALock(m, compilation))).Value;
    }

    // A private field, or a private get-only auto-property (`private SemaphoreSlim Gate { get; } = new(1, 1);`,
    // HiveMQ's client), of this object or static.
    private static ISymbol? PrivateMember(IOperation? instance) => instance?.WithoutConversions() switch
    {
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation, Field: { DeclaredAccessibility: Accessibility.Private } field } => field,
        IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation, Property: { DeclaredAccessibility: Accessibility.Private, SetMethod: null, IsIndexer: false } property }
            when SymbolFacts.IsAutoProperty(property) => property,
        _ => null,
    };

    private static bool IsUsedOnlyAsALock(ISymbol field, Compilation compilation)
    {
        if (MemberAssignments.In(field, compilation) is not { Count: > 0 } values)
        {
            return false;
        }

        foreach (var (_, operation) in values)
        {
            if (operation?.WithoutConversions() is not IObjectCreationOperation creation || !IsMutex(creation))
            {
                return false;
            }
        }

        foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax().DescendantNodes())
            {
                if (node is IdentifierNameSyntax { Identifier.ValueText: var name } use && name == field.Name && !IsLockUse(use, compilation))
                {
                    return false;
                }
            }
        }

        return true;
    }

    // `new SemaphoreSlim(1, 1)` or `new SemaphoreSlim(1)`: one slot, as a lock has.
    private static bool IsMutex(IObjectCreationOperation creation)
    {
        if (creation.Arguments.Length is 0 or > 2)
        {
            return false;
        }

        foreach (var argument in creation.Arguments)
        {
            if (argument.Value.ConstantValue is not { HasValue: true, Value: 1 })
            {
                return false;
            }
        }

        return true;
    }

    // `_gate.Wait()` or `await _gate.WaitAsync()` that opens a region released in a `finally` and awaiting
    // nothing — `try { _gate.Wait(); … } finally { _gate.Release(); }` or `await _gate.WaitAsync(); try { … }
    // finally { _gate.Release(); }` (HiveMQ's subscriptions, Raygun's snapshot) — `_gate.Release()`,
    // `_gate.CurrentCount`, its declaration and its assignments. A region that awaits may hold the slot
    // across that await; another shape, or the semaphore handed to other code, is not a lock's use.
    private static bool IsLockUse(IdentifierNameSyntax use, Compilation compilation)
    {
        ExpressionSyntax expression = use.Parent is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } qualified && qualified.Name == use ? qualified : use;
        switch (expression.Parent)
        {
            case MemberAccessExpressionSyntax access when access.Expression == expression:
                return access.Name.Identifier.ValueText switch
                {
                    "Wait" => IsRegionWithoutAwait(access.Parent, use.Identifier.ValueText),
                    "WaitAsync" => Awaited(access) is { } awaited
                                   && IsAsyncWaitOn(awaited, use.Identifier.ValueText)
                                   && TakesAtMostAToken(access, compilation)
                                   && IsRegionWithoutAwait(awaited, use.Identifier.ValueText),
                    "Release" or "CurrentCount" or "Dispose" => true,
                    _ => false,
                };
            case AssignmentExpressionSyntax assignment when assignment.Left == expression:
                return true;
            default:
                return false;
        }
    }

    // The await around `x.WaitAsync()` or `x.WaitAsync().ConfigureAwait(…)`.
    private static SyntaxNode? Awaited(MemberAccessExpressionSyntax waitAsync)
    {
        SyntaxNode? node = waitAsync.Parent; // the invocation
        if (node?.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } configure)
        {
            node = configure.Parent;
        }

        return node?.Parent as AwaitExpressionSyntax;
    }

    // The wait (an invocation or an await) is a statement that opens a region released in a finally: the
    // rest of the try block it starts, or the try block right after it. No statement of the region awaits.
    private static bool IsRegionWithoutAwait(SyntaxNode? wait, string name)
    {
        if (wait?.Parent is not ExpressionStatementSyntax { Parent: BlockSyntax block } statement)
        {
            return false;
        }

        var index = block.Statements.IndexOf(statement);
        if (block.Parent is TryStatementSyntax { Finally: { } inFinally } enclosing && enclosing.Block == block && Releases(inFinally.Block, name))
        {
            for (var i = index + 1; i < block.Statements.Count; i++)
            {
                if (Awaits(block.Statements[i]))
                {
                    return false;
                }
            }

            return true;
        }

        return index + 1 < block.Statements.Count
               && block.Statements[index + 1] is TryStatementSyntax { Finally: { } following } next
               && Releases(following.Block, name)
               && !Awaits(next.Block);
    }

    private static bool Releases(BlockSyntax block, string name)
    {
        foreach (var node in block.DescendantNodes())
        {
            if (node is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Release", Expression: var receiver } && NamesMember(receiver, name))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Awaits(SyntaxNode node)
    {
        foreach (var inner in node.DescendantNodesAndSelf())
        {
            if (AsyncContext.IsAwait(inner))
            {
                return true;
            }
        }

        return false;
    }

    // `WaitAsync()` or `WaitAsync(cancellationToken)` (Lavalink4NET's tracking service): cancelled, the
    // wait throws before it holds the slot. `WaitAsync(timeout)` may return without the slot.
    private static bool TakesAtMostAToken(MemberAccessExpressionSyntax waitAsync, Compilation compilation)
    {
        if (waitAsync.Parent is not InvocationExpressionSyntax { ArgumentList.Arguments.Count: var count } call || count > 1)
        {
            return false;
        }

#pragma warning disable RS1030 // Asked once per semaphore, for a would-be finding; the answer is cached.
        return count == 0
               || (compilation.ContainsSyntaxTree(call.SyntaxTree)
                   && compilation.GetSemanticModel(call.SyntaxTree).GetSymbolInfo(call).Symbol is IMethodSymbol { Parameters.Length: 1 } wait
                   && wait.Parameters[0].Type is { Name: "CancellationToken", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } });
#pragma warning restore RS1030
    }

    // `await gate.WaitAsync()` / `await this.gate.WaitAsync().ConfigureAwait(false)` on the member named,
    // with no timeout.
    private static bool IsAsyncWaitOn(SyntaxNode? awaitNode, string name)
    {
        return awaitNode is AwaitExpressionSyntax { Expression: var expression }
               && AsyncContext.WithoutConfigureAwait(expression) is InvocationExpressionSyntax { ArgumentList.Arguments.Count: <= 1, Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "WaitAsync", Expression: var receiver } }
               && NamesMember(receiver, name);
    }

    // `gate` or `this.gate`.
    private static bool NamesMember(ExpressionSyntax receiver, string name) => receiver switch
    {
        IdentifierNameSyntax { Identifier.ValueText: var direct } => direct == name,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name.Identifier.ValueText: var qualified } => qualified == name,
        _ => false,
    };
}
