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
/// ConcurrentQueue&lt;T&gt;())</c> or the empty collection expression <c>[]</c> — and for a parameter of a
/// method only the assembly calls that every call hands such a collection. Asked only for would-be
/// findings; the answer for a member or parameter is cached.
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

        return IsUnbounded(call.Instance, call.SemanticModel?.Compilation, depth: 0);
    }

    // Parameters are followed to their callers this many methods up.
    private const int MaxParameterDepth = 3;

    private static bool IsUnbounded(IOperation? collection, Compilation? compilation, int depth)
    {
        switch (collection?.WithoutConversions())
        {
            case ILocalReferenceOperation local:
                return IsUnboundedLocal(local);
            case IFieldReferenceOperation { Field: var field }:
                return EveryAssignmentIsUnbounded(field, compilation);
            case IPropertyReferenceOperation { Property: { IsIndexer: false } property } when SymbolFacts.IsAutoProperty(property):
                return EveryAssignmentIsUnbounded(property, compilation);
            case IParameterReferenceOperation parameter when depth < MaxParameterDepth:
                return IsUnboundedAtEveryCall(parameter, compilation, depth + 1);
            case IObjectCreationOperation creation:
                return IsUnboundedCreation(creation, creation.Syntax);
            default:
                return false;
        }
    }

    // Also a local captured by the lambda that uses it (`xs.Select(x => SendAsync(x, results))`): its
    // declaration is found from the symbol, and assignments are looked for in the whole member body.
    private static bool IsUnboundedLocal(ILocalReferenceOperation local)
    {
        if (local.Local.DeclaringSyntaxReferences.Length != 1
            || local.Local.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } initializer }
            || initializer.SyntaxTree != local.Syntax.SyntaxTree
            || local.SemanticModel?.GetOperation(initializer) is not { } value)
        {
            return false;
        }

        var root = (IOperation)local;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        return IsUnboundedCreation(value.WithoutConversions(), initializer) && !LocalReferences.IsReassigned(root, local.Local);
    }

    // `SendParallelAsync(…, results, token)`, a private helper whose every caller passes `results = new
    // BlockingCollection<T>()` (ARSoft.Tools.Net's parallel DNS queries): a parameter of a method only this
    // compilation calls, never assigned in it. The answer is kept per parameter.
    private static bool IsUnboundedAtEveryCall(IParameterReferenceOperation reference, Compilation? compilation, int depth)
    {
        var parameter = reference.Parameter;
        if (compilation is null
            || parameter.RefKind != RefKind.None
            || parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary, IsVirtual: false, IsAbstract: false, IsOverride: false } method
            || SymbolFacts.IsVisibleOutsideAssembly(method)
            || LocalReferences.IsParameterAssigned(parameter, reference))
        {
            return false;
        }

        return MemberAnswers.GetValue(parameter.OriginalDefinition, _ => new StrongBox<bool>(EveryCallPassesUnbounded(method, parameter.Ordinal, compilation, depth))).Value;
    }

    private static bool EveryCallPassesUnbounded(IMethodSymbol method, int ordinal, Compilation compilation, int depth)
        => CallSites.EveryCallPasses(method, ordinal, compilation, argument => argument.ArgumentKind == ArgumentKind.Explicit && IsUnbounded(argument.Value, compilation, depth));

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
