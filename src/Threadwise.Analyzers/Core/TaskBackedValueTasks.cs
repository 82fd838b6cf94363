using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// A <c>ValueTask</c> that wraps a <c>Task</c> (or a value) reads like one: <c>.Result</c> before
/// completion blocks, it does not misbehave. Only one backed by an <c>IValueTaskSource</c> (pooled
/// builders, sockets, channels) is undefined to read early. Known Task-backed: <c>new ValueTask&lt;T&gt;(task)</c>,
/// <c>new ValueTask&lt;T&gt;(value)</c>, and the result of an <c>async ValueTask</c> method of this
/// compilation built by the default builder (it boxes into a <c>Task</c> when it completes late),
/// unless the method or its type names a builder with <c>[AsyncMethodBuilder]</c> (the pooling one).
/// </summary>
internal static class TaskBackedValueTasks
{
    public static bool IsTaskBacked(IOperation valueTask, KnownSymbols symbols)
    {
        switch (valueTask.WithoutConversions())
        {
            case IObjectCreationOperation { Constructor.OriginalDefinition: { Parameters: { Length: 1 } parameters } }:
                return (symbols.IsTaskType(parameters[0].Type) && !symbols.IsValueTaskType(parameters[0].Type))
                       || parameters[0].Type is ITypeParameterSymbol;
            case IInvocationOperation { TargetMethod: { IsAsync: true } method }:
                return !NamesABuilder(method) && !NamesABuilder(method.ContainingType) && !NamesABuilder(method.ContainingModule);
            default:
                return false;
        }
    }

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
