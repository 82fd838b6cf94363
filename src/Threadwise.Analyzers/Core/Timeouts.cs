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

    /// <summary>
    /// A test that a timeout variable is zero: <c>timeout.IsZero</c>, <c>timeout == TimeSpan.Zero</c>,
    /// <c>millisecondsTimeout == 0</c> or <c>&lt;= 0</c>, where the variable's name says timeout.
    /// </summary>
    public static bool IsZeroTimeoutTest(IOperation condition)
    {
        condition = condition.WithoutConversions();
        if (condition is IPropertyReferenceOperation { Property.Name: "IsZero", Instance: { } instance })
        {
            return IsTimeoutVariable(instance);
        }

        return condition is IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.LessThanOrEqual } comparison
               && IsTimeoutVariable(comparison.LeftOperand)
               && IsZero(comparison.RightOperand);
    }

    private static bool IsTimeoutVariable(IOperation operation)
    {
        var name = operation.WithoutConversions() switch
        {
            IParameterReferenceOperation parameter => parameter.Parameter.Name,
            ILocalReferenceOperation local => local.Local.Name,
            IFieldReferenceOperation field => field.Field.Name,
            _ => null,
        };
        return name is not null && name.IndexOf("timeout", System.StringComparison.OrdinalIgnoreCase) >= 0;
    }

    // The BCL names these parameters consistently: millisecondsTimeout / timeout (int or TimeSpan).
    /// <summary><c>Task.Delay(0)</c>, <c>Task.Delay(TimeSpan.Zero)</c>: the completed-task idiom, which
    /// waits for nothing (a parameter named <c>millisecondsDelay</c> or <c>delay</c> given zero).</summary>
    public static bool HasZeroDelay(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { Name: "millisecondsDelay" or "delay" } && IsZero(argument.Value))
            {
                return true;
            }
        }

        return false;
    }

    // `millisecondsTimeout` and `timeout` (the BCL's names: zero polls), and a time to wait as libraries
    // name it — `waitMilliseconds` (amqpnetlite's `CloseInternal(0)`: close without waiting),
    // `millisecondsToWait`, `waitTimeMs`. Other library timeouts are not read: for some (a socket's
    // `ReceiveTimeout`, many `timeoutMs` options) zero means "wait forever".
    private static bool IsTimeoutParameter(IParameterSymbol? parameter)
        => parameter is not null
           && parameter.Type.SpecialType is SpecialType.System_Int32 or SpecialType.None
           && IsTimeoutName(parameter.Name);

    private static bool IsTimeoutName(string name)
        => name is "millisecondsTimeout" or "timeout"
           || (Contains(name, "wait") && (Contains(name, "milli") || Contains(name, "second") || Contains(name, "time") || name.EndsWith("Ms", System.StringComparison.Ordinal)));

    private static bool Contains(string name, string word) => name.IndexOf(word, System.StringComparison.OrdinalIgnoreCase) >= 0;

    private static bool IsZero(IOperation value) => IsNamedZero(value) || IsTestedZeroHere(value);

    private static bool IsNamedZero(IOperation value)
    {
        return value.WithoutConversions() switch
        {
            { ConstantValue: { HasValue: true, Value: 0 } } => true,
            IFieldReferenceOperation { Field: { Name: "Zero", IsStatic: true } field } when field.ContainingType.Name == "TimeSpan" => true,
            IFieldReferenceOperation { Field: { IsReadOnly: true } field } => IsInitializedToZero(field),
            _ => false,
        };
    }

    // `if (timeout == TimeSpan.Zero) { _reentrancy.Wait(timeout); … }` (NeoSmart's AsyncLock): a parameter
    // or local that an enclosing `if` has just tested equal to zero, and that its function never writes.
    private static bool IsTestedZeroHere(IOperation value)
    {
        ISymbol? variable = value.WithoutConversions() switch
        {
            IParameterReferenceOperation parameter => parameter.Parameter,
            ILocalReferenceOperation local => local.Local,
            _ => null,
        };
        if (variable is null)
        {
            return false;
        }

        var tested = false;
        var root = value;
        for (var child = value; child.Parent is { } parent; child = parent)
        {
            tested |= parent is IConditionalOperation conditional && conditional.WhenTrue == child && TestsZero(conditional.Condition, variable);
            root = parent;
        }

        return tested && !IsWritten(root, variable);
    }

    private static bool TestsZero(IOperation condition, ISymbol variable)
    {
        condition = condition.WithoutConversions();
        return condition switch
        {
            IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } both => TestsZero(both.LeftOperand, variable) || TestsZero(both.RightOperand, variable),
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals
                => (Names(equals.LeftOperand, variable) && IsNamedZero(equals.RightOperand)) || (Names(equals.RightOperand, variable) && IsNamedZero(equals.LeftOperand)),
            _ => false,
        };
    }

    private static bool Names(IOperation operation, ISymbol variable) => operation.WithoutConversions() switch
    {
        IParameterReferenceOperation parameter => SymbolEqualityComparer.Default.Equals(parameter.Parameter, variable),
        ILocalReferenceOperation local => SymbolEqualityComparer.Default.Equals(local.Local, variable),
        _ => false,
    };

    private static bool IsWritten(IOperation root, ISymbol variable)
    {
        foreach (var operation in root.Descendants())
        {
            var written = operation switch
            {
                IAssignmentOperation assignment => assignment.Target,
                IIncrementOrDecrementOperation step => step.Target,
                IArgumentOperation { Parameter.RefKind: not RefKind.None and not RefKind.In } byRef => byRef.Value,
                _ => null,
            };
            if (written is not null && Names(written, variable))
            {
                return true;
            }
        }

        return false;
    }

    // `static readonly TimeSpan NoWait = TimeSpan.Zero;`, `readonly int _poll = 0;`: a zero timeout
    // named once, non-blocking like the literal (const locals and fields carry their constant value).
    private static bool IsInitializedToZero(IFieldSymbol field)
    {
        if (field.DeclaringSyntaxReferences.Length != 1
            || field.DeclaringSyntaxReferences[0].GetSyntax() is not Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Initializer.Value: { } value })
        {
            return false;
        }

        return value switch
        {
            Microsoft.CodeAnalysis.CSharp.Syntax.LiteralExpressionSyntax literal => literal.Token.Value is 0,
            Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Zero", Expression: var type } => type.ToString() is "TimeSpan" or "System.TimeSpan",
            _ => false,
        };
    }

    /// <summary>The value passed for the parameter named <paramref name="name"/> (arguments come in
    /// source order, so named ones are found too); null when there is none.</summary>
    public static IOperation? ArgumentFor(IObjectCreationOperation creation, string name)
    {
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter?.Name == name)
            {
                return argument.Value.WithoutConversions();
            }
        }

        return null;
    }

    /// <summary>A constant period of at least a second: milliseconds as a number (<c>10_000</c>,
    /// <c>1000 * 10</c>), or <c>TimeSpan.FromSeconds/FromMinutes/FromHours/FromDays/FromMilliseconds</c>
    /// of a constant.</summary>
    public static bool IsAtLeastASecond(IOperation? value)
    {
        switch (value?.WithoutConversions())
        {
            case { ConstantValue: { HasValue: true, Value: var constant } } when constant is int or long or uint:
                return System.Convert.ToInt64(constant, System.Globalization.CultureInfo.InvariantCulture) >= 1000;
            case IInvocationOperation { TargetMethod: { IsStatic: true, ContainingType.SpecialType: SpecialType.None } method, Arguments.Length: 1 } call
                when method.ContainingType.Name == "TimeSpan" && call.Arguments[0].Value.WithoutConversions().ConstantValue is { HasValue: true, Value: var amount }
                     && amount is int or long or double:
                var number = System.Convert.ToDouble(amount, System.Globalization.CultureInfo.InvariantCulture);
                return method.Name switch
                {
                    "FromSeconds" => number >= 1,
                    "FromMinutes" or "FromHours" or "FromDays" => number > 0,
                    "FromMilliseconds" => number >= 1000,
                    _ => false,
                };
            default:
                return false;
        }
    }

    /// <summary><c>Timeout.Infinite</c> (-1, as int, long or uint) or <c>Timeout.InfiniteTimeSpan</c>.</summary>
    public static bool IsInfinite(IOperation? value)
        => value?.WithoutConversions() is { } operation
           && (operation.ConstantValue is { HasValue: true, Value: -1 or -1L or uint.MaxValue }
               || operation is IFieldReferenceOperation { Field: { Name: "InfiniteTimeSpan", ContainingType.Name: "Timeout" } });
}
