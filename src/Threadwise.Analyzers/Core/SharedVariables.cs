using Microsoft.CodeAnalysis;
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
        var function = entry.Function.Syntax;
        switch (reference)
        {
            case IFieldReferenceOperation { Field: { IsConst: false } field } fieldReference:
                if (field.IsStatic)
                {
                    return IsThreadStatic(field, symbols) ? null : field;
                }

                return fieldReference.Instance switch
                {
                    IInstanceReferenceOperation => field,
                    { } instance when GetShared(instance, entry, symbols) is not null => field,
                    _ => null,
                };

            case ILocalReferenceOperation { Local: { } local }:
                return DeclaredOutside(local, function) ? local : null;

            case IParameterReferenceOperation { Parameter: { } parameter }:
                return DeclaredOutside(parameter, function) ? parameter : null;

            default:
                return null;
        }
    }

    private static bool DeclaredOutside(ISymbol symbol, SyntaxNode function)
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
