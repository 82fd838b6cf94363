using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// Timeout arguments of waiting APIs. A wait with a zero timeout (<c>Wait(0)</c>,
/// <c>WaitOne(TimeSpan.Zero)</c>) is a non-blocking poll, not a wait; a wait with any other
/// timeout returns whether it finished, so <c>await</c> is not a drop-in replacement.
/// </summary>
internal static class Timeouts
{
    public static bool HasTimeout(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (IsTimeoutParameter(argument.Parameter))
            {
                return true;
            }
        }

        return false;
    }

    public static bool HasZeroTimeout(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (IsTimeoutParameter(argument.Parameter) && IsZero(argument.Value))
            {
                return true;
            }
        }

        return false;
    }

    // The BCL names these parameters consistently: millisecondsTimeout / timeout (int or TimeSpan).
    private static bool IsTimeoutParameter(IParameterSymbol? parameter)
        => parameter is not null
           && (parameter.Name == "millisecondsTimeout" || parameter.Name == "timeout")
           && parameter.Type.SpecialType is SpecialType.System_Int32 or SpecialType.None;

    private static bool IsZero(IOperation value)
    {
        return value.WithoutConversions() switch
        {
            { ConstantValue: { HasValue: true, Value: 0 } } => true,
            IFieldReferenceOperation { Field: { Name: "Zero", IsStatic: true } field } => field.ContainingType.Name == "TimeSpan",
            _ => false,
        };
    }
}
