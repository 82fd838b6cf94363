using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// Loops that run until the object shuts down — <c>while (true)</c>, <c>while (!token.IsCancellationRequested)</c>,
/// <c>while (_running)</c> — and methods built around one: an accept loop, a receive pump, a worker.
/// </summary>
internal static class ServiceLoops
{
    /// <summary><c>true</c>; <c>!token.IsCancellationRequested</c>; <c>_running</c>; <c>!_stop</c>; a bool property of
    /// the object itself (<c>IsUnsubscribed == false</c>); <c>await timer.WaitForNextTickAsync()</c> of a PeriodicTimer;
    /// <c>!queue.IsCompleted</c> of a <c>BlockingCollection</c> (drained with Take); and conjunctions of those.</summary>
    public static bool RunsUntilShutdown(IOperation condition, INamedTypeSymbol? blockingCollection)
    {
        return condition.WithoutConversions() switch
        {
            IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: IPropertyReferenceOperation { Property.Name: "IsCompleted" or "IsAddingCompleted", Instance: { } queue } }
                when blockingCollection is not null && SymbolEqualityComparer.Default.Equals(queue.Type?.OriginalDefinition, blockingCollection) => true,
            { ConstantValue: { HasValue: true, Value: true } } => true,
            IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: IPropertyReferenceOperation { Property.Name: "IsCancellationRequested" } } => true,
            IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: var negated } when IsOwnFlag(negated) => true,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison when ComparesOwnFlag(comparison) => true,
            var flag when IsOwnFlag(flag) => true,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and => RunsUntilShutdown(and.LeftOperand, blockingCollection) && RunsUntilShutdown(and.RightOperand, blockingCollection),
            IAwaitOperation { Operation: var awaited } => IsPeriodicTick(awaited),
            _ => false,
        };
    }

    // `while (await _timer.WaitForNextTickAsync())` (Orleans' gateway refresh): a PeriodicTimer ticks until it is
    // disposed, when the wait returns false.
    private static bool IsPeriodicTick(IOperation awaited)
    {
        awaited = awaited.WithoutConversions();
        if (awaited is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured })
        {
            awaited = configured.WithoutConversions();
        }

        return awaited is IInvocationOperation { TargetMethod: { Name: "WaitForNextTickAsync", ContainingType: { Name: "PeriodicTimer" } timer } }
               && timer.ContainingNamespace is { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };
    }

    // `_running`, or a bool auto-property of the object itself (`IsUnsubscribed { get; set; }`, CSRedis's
    // subscription threads): a flag someone else flips to stop the loop. A computed property
    // (`HasWork => _pending > 0`) is a condition of the loop's own.
    private static bool IsOwnFlag(IOperation operation) => operation.WithoutConversions() switch
    {
        IFieldReferenceOperation { Field.Type.SpecialType: SpecialType.System_Boolean } => true,
        IPropertyReferenceOperation { Property: { Type.SpecialType: SpecialType.System_Boolean, IsIndexer: false } property, Instance: null or IInstanceReferenceOperation }
            => IsAutoProperty(property),
        _ => false,
    };

    private static bool IsAutoProperty(IPropertySymbol property)
    {
        if (property.DeclaringSyntaxReferences.Length != 1
            || property.DeclaringSyntaxReferences[0].GetSyntax() is not PropertyDeclarationSyntax { AccessorList: { } accessors })
        {
            return false;
        }

        foreach (var accessor in accessors.Accessors)
        {
            if (accessor.Body is not null || accessor.ExpressionBody is not null)
            {
                return false;
            }
        }

        return true;
    }

    // `IsUnsubscribed == false`, `_running == true`: the same flag spelled as a comparison.
    private static bool ComparesOwnFlag(IBinaryOperation comparison)
    {
        var (flag, constant) = comparison.RightOperand.ConstantValue.HasValue
            ? (comparison.LeftOperand, comparison.RightOperand.ConstantValue)
            : (comparison.RightOperand, comparison.LeftOperand.ConstantValue);
        return constant is { HasValue: true, Value: bool } && IsOwnFlag(flag);
    }

    /// <summary>
    /// An async method of this compilation (not virtual, declared once) whose body has, at its top level
    /// or in a top-level <c>try</c>, a <c>while</c>/<c>for</c> loop that runs until shutdown: calling it
    /// starts a service loop (BeetleX's <c>OnAsyncAccept()</c>, <c>while (true) { var s = await
    /// Socket.AcceptAsync(); … }</c>). Its body is bound only when its syntax has such a loop.
    /// </summary>
#pragma warning disable RS1030 // The callee usually lives in another tree; asked only for would-be findings.
    public static bool IsAServiceLoop(IMethodSymbol method, Compilation compilation, INamedTypeSymbol? blockingCollection, System.Threading.CancellationToken cancellationToken)
    {
        if (!method.IsAsync
            || method.IsAbstract
            || (method.IsVirtual || method.IsOverride) && !method.IsSealed
            || method.DeclaringSyntaxReferences.Length != 1
            || !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly)
            || method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax { Body: { } body }
            || !HasTopLevelLoop(body)
            || compilation.GetSemanticModel(body.SyntaxTree).GetOperation(body, cancellationToken) is not IBlockOperation block)
        {
            return false;
        }

        foreach (var statement in block.Operations)
        {
            var candidate = statement is ITryOperation @try ? @try.Body : statement;
            foreach (var inner in candidate is IBlockOperation inside ? inside.Operations : System.Collections.Immutable.ImmutableArray.Create(candidate))
            {
                if (inner is IWhileLoopOperation { Condition: { } condition, ConditionIsUntil: false } && RunsUntilShutdown(condition, blockingCollection)
                    || inner is IForLoopOperation { Condition: null })
                {
                    return true;
                }
            }
        }

        return false;
    }
#pragma warning restore RS1030

    private static bool HasTopLevelLoop(BlockSyntax body)
    {
        foreach (var statement in body.Statements)
        {
            if (statement is WhileStatementSyntax or ForStatementSyntax or DoStatementSyntax or TryStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }
}
