using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// Is a variable shared between the threads that run a concurrent delegate? A lambda's own locals
/// are not; captured locals and parameters, fields of <c>this</c> or of a captured object, and
/// statics are. <c>[ThreadStatic]</c> statics, constants and fields of objects the delegate
/// creates itself are not.
/// </summary>
internal static class SharedVariables
{
    /// <summary>The shared variable <paramref name="reference"/> names, or null.</summary>
    public static ISymbol? GetShared(IOperation reference, ConcurrentEntry entry, KnownSymbols symbols)
    {
        reference = reference.WithoutConversions();
        var function = entry.FunctionSyntax;
        switch (reference)
        {
            case IFieldReferenceOperation { Field: { IsConst: false } field } fieldReference:
                if (field.IsStatic)
                {
                    return IsThreadStatic(field, symbols) ? null : field;
                }

                return fieldReference.Instance switch
                {
                    IInstanceReferenceOperation self => entry.SharesThis && self.IsThis() ? field : null,
                    { } instance when GetShared(instance, entry, symbols) is not null => field,
                    _ => null,
                };

            case ILocalReferenceOperation { Local: { } local }:
                return DeclaredOutside(local, function) ? local : null;

            // counts[k]: the array is shared and the index is not this run's own (a Parallel.For
            // index or a local of the run writes a slot no other run writes).
            case IArrayElementReferenceOperation element:
                foreach (var index in element.Indices)
                {
                    if (IsRunsOwn(index, function))
                    {
                        return null;
                    }
                }

                return GetShared(element.ArrayReference, entry, symbols);

            // stats.Total++: an auto-property of a shared object is a field in all but name.
            case IPropertyReferenceOperation { Property: { IsIndexer: false } property } propertyReference when HasOnlyBodilessAccessors(property):
                if (property.IsStatic)
                {
                    return property;
                }

                return propertyReference.Instance switch
                {
                    IInstanceReferenceOperation => entry.SharesThis ? property : null,
                    { } instance when GetShared(instance, entry, symbols) is not null => property,
                    _ => null,
                };

            case IParameterReferenceOperation { Parameter: { } parameter }:
                return DeclaredOutside(parameter, function) ? parameter : null;

            default:
                return null;
        }
    }

    /// <summary>
    /// Whether <see cref="GetShared"/> could call <paramref name="reference"/> shared for some entry point
    /// reaching <paramref name="method"/>: a chain of fields, properties and array elements rooted at
    /// <c>this</c>, a static member, or a variable the method does not own. A method's own locals and
    /// parameters (a loop's <c>i++</c>, <c>var list = new List&lt;T&gt;(); list.Add(x)</c>) are never shared by
    /// its runs; a local function's captured locals are not its own. Asked before a type's reach is
    /// computed (the costly part of the shared-state rules); keep it in step with GetShared.
    /// </summary>
    public static bool MayBeShared(IOperation reference, IMethodSymbol method)
    {
        for (var current = reference.WithoutConversions(); ; current = current.WithoutConversions())
        {
            switch (current)
            {
                case IFieldReferenceOperation { Field.IsStatic: true } or IPropertyReferenceOperation { Property.IsStatic: true } or IInstanceReferenceOperation:
                    return true;
                case IFieldReferenceOperation { Instance: { } instance }:
                    current = instance;
                    break;
                case IPropertyReferenceOperation { Property.IsIndexer: false, Instance: { } instance }:
                    current = instance;
                    break;
                case IArrayElementReferenceOperation element:
                    current = element.ArrayReference;
                    break;
                case ILocalReferenceOperation local:
                    return !SymbolEqualityComparer.Default.Equals(local.Local.ContainingSymbol, method);
                case IParameterReferenceOperation parameter:
                    return !SymbolEqualityComparer.Default.Equals(parameter.Parameter.ContainingSymbol, method);
                default:
                    return false;
            }
        }
    }

    /// <summary>Methods of the BCL's non-thread-safe collections that change them.</summary>
    public static readonly ImmutableHashSet<string> CollectionMutators = ImmutableHashSet.Create(
        "Add", "AddRange", "Insert", "InsertRange", "Remove", "RemoveAt", "RemoveAll", "RemoveRange", "RemoveWhere",
        "Clear", "Enqueue", "Dequeue", "TryDequeue", "Push", "Pop", "TryPop", "TryAdd", "Sort", "Reverse",
        "AddFirst", "AddLast", "RemoveFirst", "RemoveLast", "UnionWith", "ExceptWith", "IntersectWith", "SymmetricExceptWith");

    /// <summary>
    /// For an action of <c>Parallel.Invoke</c>: does another lambda of the same call write or mutate
    /// <paramref name="shared"/>? A variable only one action writes is not raced on. Actions given
    /// by name are not looked into (silence).
    /// </summary>
    public static bool IsWrittenByAnotherAction(ConcurrentEntry entry, ISymbol shared)
    {
        foreach (var sibling in entry.Call.Descendants())
        {
            if (sibling is not IAnonymousFunctionOperation function || function == entry.Function || IsInside(function, entry.Function))
            {
                continue;
            }

            foreach (var operation in function.Body.Descendants())
            {
                if (WrittenSymbol(operation) is { } written && SymbolEqualityComparer.Default.Equals(written, shared))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsInside(IOperation operation, IOperation function)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current == function)
            {
                return true;
            }
        }

        return false;
    }

    private static ISymbol? WrittenSymbol(IOperation operation) => operation switch
    {
        IAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } collection } } => Named(collection),
        IAssignmentOperation assignment => Named(assignment.Target),
        IIncrementOrDecrementOperation update => Named(update.Target),
        IInvocationOperation { Instance: { } receiver } invocation when CollectionMutators.Contains(invocation.TargetMethod.Name) => Named(receiver),
        _ => null,
    };

    private static ISymbol? Named(IOperation reference) => reference.WithoutConversions().ReferencedVariable();

    private static bool IsRunsOwn(IOperation index, SyntaxNode function)
        => index.WithoutConversions() switch
        {
            ILocalReferenceOperation { Local: { } local } => !DeclaredOutside(local, function),
            IParameterReferenceOperation { Parameter: { } parameter } => !DeclaredOutside(parameter, function),
            _ => false,
        };

    // Declared in source with accessors that have no bodies: nothing but a hidden field behind it.
    private static bool HasOnlyBodilessAccessors(IPropertySymbol property)
    {
        if (property.DeclaringSyntaxReferences.Length != 1
            || property.DeclaringSyntaxReferences[0].GetSyntax() is not PropertyDeclarationSyntax { AccessorList: { } accessors, ExpressionBody: null })
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

    /// <summary>Declared (once, in this tree) outside <paramref name="function"/>: captured by it.</summary>
    public static bool DeclaredOutside(ISymbol symbol, SyntaxNode function)
    {
        var references = symbol.DeclaringSyntaxReferences;
        return references.Length == 1
               && references[0].SyntaxTree == function.SyntaxTree
               && !function.Span.Contains(references[0].Span);
    }

    private static bool IsThreadStatic(IFieldSymbol field, KnownSymbols symbols)
    {
        foreach (var attribute in field.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, symbols.ThreadStaticAttribute))
            {
                return true;
            }
        }

        return false;
    }
}
