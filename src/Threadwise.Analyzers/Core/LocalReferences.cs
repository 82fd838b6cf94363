using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>How one reference to a local is used.</summary>
internal enum LocalUse
{
    /// <summary><c>local.Method(...)</c>: see <see cref="LocalReference.Member"/>.</summary>
    MethodCall,

    /// <summary><c>local.Property</c> read, or <c>local[i]</c> read.</summary>
    MemberRead,

    /// <summary><c>local.Property = value</c> or <c>local[i] = value</c>.</summary>
    MemberWrite,

    /// <summary><c>local.Event += handler</c>.</summary>
    EventSubscription,

    /// <summary><c>local = value</c> after the declaration.</summary>
    Reassigned,

    /// <summary>Referenced from a lambda or local function: it may outlive this function's frame.</summary>
    Captured,

    /// <summary>Anything that lets the value out or hands it on: an argument, a stored or returned
    /// value, an operand, a <c>foreach</c> collection.</summary>
    Escapes,
}

/// <summary>One reference to a local, classified.</summary>
internal readonly struct LocalReference
{
    public LocalReference(LocalUse use, ILocalReferenceOperation reference, ISymbol? member, IOperation? assignedValue)
    {
        Use = use;
        Reference = reference;
        Member = member;
        AssignedValue = assignedValue;
    }

    public LocalUse Use { get; }

    public ILocalReferenceOperation Reference { get; }

    /// <summary>The method, property or event used on the local, if any.</summary>
    public ISymbol? Member { get; }

    /// <summary>For <see cref="LocalUse.MemberWrite"/>: the value written.</summary>
    public IOperation? AssignedValue { get; }
}

/// <summary>
/// Where does a local go? The references to a local within the function that declares it, each
/// classified by what its parent does with it. The "never joined / never awaited / never waited"
/// rules use it to tell a value that is finished here from one that escapes to someone else.
/// </summary>
internal static class LocalReferences
{
    /// <summary>Every reference to <paramref name="local"/> under <paramref name="body"/>, in source order.</summary>
    public static List<LocalReference> Collect(IOperation body, ILocalSymbol local)
    {
        var result = new List<LocalReference>();
        foreach (var operation in body.Descendants())
        {
            if (operation is ILocalReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                && !reference.IsDeclaration)
            {
                result.Add(Classify(reference, body));
            }
        }

        return result;
    }

    /// <summary>True when <paramref name="local"/> is assigned again under <paramref name="body"/>
    /// after its declaration.</summary>
    public static bool IsReassigned(IOperation body, ILocalSymbol local)
    {
        foreach (var reference in Collect(body, local))
        {
            if (reference.Use == LocalUse.Reassigned)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="parameter"/> is assigned anywhere in the body that holds
    /// <paramref name="use"/> (its whole operation tree).</summary>
    public static bool IsParameterAssigned(IParameterSymbol parameter, IOperation use)
    {
        var root = use;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var operation in root.Descendants())
        {
            if (operation is IAssignmentOperation { Target: IParameterReferenceOperation target }
                && SymbolEqualityComparer.Default.Equals(target.Parameter, parameter))
            {
                return true;
            }
        }

        return false;
    }

    private static LocalReference Classify(ILocalReferenceOperation reference, IOperation body)
    {
        if (AsyncContext.IsInNestedFunction(reference, body))
        {
            return new LocalReference(LocalUse.Captured, reference, null, null);
        }

        IOperation child = reference;
        var parent = reference.Parent;
        while (parent is IConversionOperation { IsImplicit: true } or IParenthesizedOperation)
        {
            child = parent;
            parent = parent.Parent;
        }

        // local?.Member: the use is what happens on the not-null branch.
        if (parent is IConditionalAccessOperation conditional && conditional.Operation == child)
        {
            switch (conditional.WhenNotNull)
            {
                case IInvocationOperation { Instance: IConditionalAccessInstanceOperation } call:
                    return new LocalReference(LocalUse.MethodCall, reference, call.TargetMethod, null);
                case IPropertyReferenceOperation { Instance: IConditionalAccessInstanceOperation } read:
                    return new LocalReference(LocalUse.MemberRead, reference, read.Property, null);
                default:
                    return new LocalReference(LocalUse.Escapes, reference, null, null);
            }
        }

        switch (parent)
        {
            case IInvocationOperation invocation when invocation.Instance == child:
                return new LocalReference(LocalUse.MethodCall, reference, invocation.TargetMethod, null);

            case IPropertyReferenceOperation property when property.Instance == child:
                return IsAssignmentTarget(property, out var value)
                    ? new LocalReference(LocalUse.MemberWrite, reference, property.Property, value)
                    : new LocalReference(LocalUse.MemberRead, reference, property.Property, null);

            case IArrayElementReferenceOperation element when element.ArrayReference == child:
                return IsAssignmentTarget(element, out var elementValue)
                    ? new LocalReference(LocalUse.MemberWrite, reference, null, elementValue)
                    : new LocalReference(LocalUse.MemberRead, reference, null, null);

            case IEventReferenceOperation @event when @event.Instance == child:
                return new LocalReference(LocalUse.EventSubscription, reference, @event.Event, null);

            case IFieldReferenceOperation field when field.Instance == child:
                return new LocalReference(LocalUse.MemberRead, reference, field.Field, null);

            case ISimpleAssignmentOperation assignment when assignment.Target == child:
                return new LocalReference(LocalUse.Reassigned, reference, null, assignment.Value);

            default:
                return new LocalReference(LocalUse.Escapes, reference, null, null);
        }
    }

    private static bool IsAssignmentTarget(IOperation target, out IOperation? value)
    {
        if (target.Parent is IAssignmentOperation assignment && assignment.Target == target)
        {
            value = assignment.Value;
            return true;
        }

        value = null;
        return false;
    }
}
