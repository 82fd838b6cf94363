using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// A <c>BlockingCollection&lt;T&gt;</c> created without a bounded capacity: its <c>Add</c> never waits
/// (only a bounded collection that is full makes it block). Known for a local initialised so and never
/// reassigned, and for a field or auto-property of the type every assignment (and initializer) of which
/// is such a creation — <c>new BlockingCollection&lt;T&gt;()</c>, <c>new BlockingCollection&lt;T&gt;(new
/// ConcurrentQueue&lt;T&gt;())</c> or the empty collection expression <c>[]</c>. Asked only for would-be
/// findings; the answer for a member is cached.
/// </summary>
internal static class UnboundedCollections
{
    private static readonly ConditionalWeakTable<ISymbol, StrongBox<bool>> MemberAnswers = new();

    /// <summary><paramref name="call"/> is <c>Add</c> on an unbounded <c>BlockingCollection</c>.</summary>
    public static bool IsAddThatCannotWait(IInvocationOperation call, KnownSymbols symbols)
    {
        if (call.TargetMethod.Name != "Add"
            || symbols.BlockingCollectionOfT is not { } blockingCollection
            || !SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType?.OriginalDefinition, blockingCollection))
        {
            return false;
        }

        switch (call.Instance?.WithoutConversions())
        {
            case ILocalReferenceOperation local:
                return LocalDeclarations.GetInitializer(local.Local, local) is { } declaration
                       && IsUnboundedCreation(declaration.Value, declaration.Value.Syntax)
                       && !LocalReferences.IsReassigned(declaration.Body, local.Local);
            case IFieldReferenceOperation { Field: var field }:
                return EveryAssignmentIsUnbounded(field, call.SemanticModel?.Compilation);
            case IPropertyReferenceOperation { Property: { IsIndexer: false } property } when SymbolFacts.IsAutoProperty(property):
                return EveryAssignmentIsUnbounded(property, call.SemanticModel?.Compilation);
            default:
                return false;
        }
    }

    private static bool EveryAssignmentIsUnbounded(ISymbol member, Compilation? compilation)
    {
        member = member.OriginalDefinition;
        if (compilation is null || member.DeclaredAccessibility != Accessibility.Private && !IsReadOnly(member))
        {
            return false; // other types may assign it where this one does not see
        }

        return MemberAnswers.GetValue(member, m => new StrongBox<bool>(Compute(m, compilation))).Value;
    }

    private static bool IsReadOnly(ISymbol member) => member switch
    {
        IFieldSymbol field => field.IsReadOnly,
        IPropertySymbol property => property.SetMethod is null,
        _ => false,
    };

    private static bool Compute(ISymbol member, Compilation compilation)
    {
        if (MemberAssignments.In(member, compilation) is not { Count: > 0 } values)
        {
            return false;
        }

        foreach (var (syntax, operation) in values)
        {
            if (!IsUnboundedCreation(operation?.WithoutConversions(), syntax))
            {
                return false;
            }
        }

        return true;
    }

    // `new BlockingCollection<T>()`, `new BlockingCollection<T>(new ConcurrentQueue<T>())` (no capacity
    // argument), or the empty collection expression `[]` (which calls the parameterless constructor).
    private static bool IsUnboundedCreation(IOperation? value, SyntaxNode syntax)
    {
        if (syntax is CollectionExpressionSyntax { Elements.Count: 0 })
        {
            return true;
        }

        if (value is not IObjectCreationOperation creation)
        {
            return false;
        }

        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter?.Type.SpecialType == SpecialType.System_Int32)
            {
                return false; // boundedCapacity
            }
        }

        return true;
    }
}
