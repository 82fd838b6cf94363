using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// A <c>ValueTask</c> that wraps a <c>Task</c> (or a value) reads like one: <c>.Result</c> before
/// completion blocks, it does not misbehave. Only one backed by an <c>IValueTaskSource</c> (pooled
/// builders, sockets, channels) is undefined to read early. Known Task-backed: <c>new ValueTask&lt;T&gt;(task)</c>,
/// <c>new ValueTask&lt;T&gt;(value)</c>, the result of an <c>async ValueTask</c> method built by the
/// default builder (it boxes into a <c>Task</c> when it completes late) — declared <c>async</c> in this
/// compilation, or compiled as a state machine in a referenced assembly — unless the method, its type or
/// its module names a builder with <c>[AsyncMethodBuilder]</c> (the pooling one); and the result of a
/// method of this compilation whose every <c>return</c> gives such a value or a finished one
/// (<c>return base.VisitAsync(node, context);</c>), a couple of calls deep.
/// </summary>
internal static class TaskBackedValueTasks
{
    private const int MaxForwardingDepth = 2;

    /// <summary>Binds the bodies of methods of this compilation that may only forward such a value:
    /// ask only on the way to a finding.</summary>
    public static bool IsTaskBacked(IOperation valueTask, KnownSymbols symbols, Compilation compilation, CancellationToken cancellationToken)
        => IsTaskBacked(valueTask, symbols, compilation, depth: 0, cancellationToken);

    private static bool IsTaskBacked(IOperation valueTask, KnownSymbols symbols, Compilation compilation, int depth, CancellationToken cancellationToken)
    {
        switch (valueTask.WithoutConversions())
        {
            case IObjectCreationOperation { Constructor.OriginalDefinition: { Parameters: { Length: 1 } parameters } }:
                return (symbols.IsTaskType(parameters[0].Type) && !symbols.IsValueTaskType(parameters[0].Type))
                       || parameters[0].Type is ITypeParameterSymbol;
            case IInvocationOperation { TargetMethod: var method } when method.IsAsync || IsStateMachineInMetadata(method):
                return !NamesABuilder(method) && !NamesABuilder(method.ContainingType) && !NamesABuilder(method.ContainingModule);
            case IInvocationOperation { TargetMethod: var method } when depth < MaxForwardingDepth:
                return ForwardsOnlyTaskBacked(method.OriginalDefinition, symbols, compilation, depth, cancellationToken);
            default:
                return false;
        }
    }

    // `[AsyncStateMachine]`: the compiler's mark on an `async` method of a referenced assembly
    // (GraphQL.NET's visitors forward to GraphQLParser's `async ValueTask VisitAsync`).
    private static bool IsStateMachineInMetadata(IMethodSymbol method)
    {
        if (method.Locations.Length == 0 || !method.Locations[0].IsInMetadata)
        {
            return false;
        }

        foreach (var attribute in method.OriginalDefinition.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "AsyncStateMachineAttribute", ContainingNamespace: { Name: "CompilerServices", ContainingNamespace: { Name: "Runtime", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } })
            {
                return true;
            }
        }

        return false;
    }

    // `public override ValueTask VisitAsync(ASTNode? node, C context) { …; return base.VisitAsync(node,
    // context); }` in a sealed visitor: every return of the (non-async) method gives a Task-backed or
    // finished ValueTask. Not an overridable method: the body seen may not be the one that runs.
    private static bool ForwardsOnlyTaskBacked(IMethodSymbol method, KnownSymbols symbols, Compilation compilation, int depth, CancellationToken cancellationToken)
    {
        if (method.IsAbstract
            || ((method.IsVirtual || method.IsOverride) && !method.IsSealed && !method.ContainingType.IsSealed) // an override may pool
            || !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly)
            || MethodBodies.Bind(method, compilation, cancellationToken) is not { } body)
        {
            return false;
        }

        var returns = 0;
        foreach (var operation in body.Descendants())
        {
            if (operation is not IReturnOperation @return || AsyncContext.IsInNestedFunction(operation, body))
            {
                continue;
            }

            if (@return.ReturnedValue is not { } value || !IsForwardable(value, symbols, compilation, depth, cancellationToken))
            {
                return false;
            }

            returns++;
        }

        return returns > 0;
    }

    // Finished, Task-backed, or either by a condition (`none ? default : CountAsync()`).
    private static bool IsForwardable(IOperation value, KnownSymbols symbols, Compilation compilation, int depth, CancellationToken cancellationToken)
        => value.WithoutConversions() is IConditionalOperation { WhenFalse: { } whenFalse } conditional
            ? IsForwardable(conditional.WhenTrue, symbols, compilation, depth, cancellationToken) && IsForwardable(whenFalse, symbols, compilation, depth, cancellationToken)
            : IsFinished(value) || KnownCompleteTasks.IsKnownComplete(value, symbols) || IsTaskBacked(value, symbols, compilation, depth + 1, cancellationToken);

    // `return default;`, `return new();`: the finished ValueTask.
    private static bool IsFinished(IOperation value)
        => value.WithoutConversions() is IDefaultValueOperation or IObjectCreationOperation { Arguments.Length: 0, Initializer: null };

    private static bool NamesABuilder(ISymbol? symbol)
    {
        if (symbol is null)
        {
            return false;
        }

        foreach (var attribute in symbol.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "AsyncMethodBuilderAttribute" })
            {
                return true;
            }
        }

        return false;
    }
}
