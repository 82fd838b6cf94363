using System.Collections.Generic;
using Microsoft.CodeAnalysis;

namespace Threadwise.Core;

/// <summary>Questions about symbols that several rules ask: what a type implements, whether a member
/// fulfils an interface's contract, and whether code outside the assembly can reach it.</summary>
internal static class SymbolFacts
{
    /// <summary>True when <paramref name="names"/> (a type's <c>MemberNames</c>: a set in practice, a
    /// plain enumeration otherwise) holds <paramref name="name"/>. Asking a metadata type's names
    /// creates none of its member symbols, unlike <c>GetMembers(name)</c> on a type seen first.</summary>
    public static bool Contains(IEnumerable<string> names, string name)
    {
        if (names is ICollection<string> set)
        {
            return set.Contains(name);
        }

        foreach (var candidate in names)
        {
            if (candidate == name)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="symbol"/> is marked <c>[Obsolete]</c>: never suggested as a twin or overload.</summary>
    public static bool IsObsolete(ISymbol symbol, KnownSymbols symbols)
    {
        foreach (var attribute in symbol.GetAttributes())
        {
            if (SymbolEqualityComparer.Default.Equals(attribute.AttributeClass, symbols.ObsoleteAttribute))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="type"/> implements <paramref name="interface"/>.</summary>
    public static bool Implements(ITypeSymbol type, INamedTypeSymbol? @interface)
    {
        if (@interface is null)
        {
            return false;
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented, @interface))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="member"/> implicitly implements a member of an interface
    /// its type implements: its signature is the interface's, not its author's, to choose.</summary>
    public static bool ImplementsInterfaceMember(ISymbol member)
    {
        if (member.ContainingType is not { } type)
        {
            return false;
        }

        foreach (var @interface in type.AllInterfaces)
        {
            foreach (var candidate in @interface.GetMembers(member.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(type.FindImplementationForInterfaceMember(candidate), member))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>A property with a compiler-generated backing field (`{ get; }`, `{ get; set; }`).</summary>
    public static bool IsAutoProperty(IPropertySymbol property)
    {
        foreach (var member in property.ContainingType.GetMembers())
        {
            if (member is IFieldSymbol { AssociatedSymbol: { } associated } && SymbolEqualityComparer.Default.Equals(associated, property))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Reachable from another assembly: public, protected or protected internal all the way
    /// out. Internal is not: the assembly controls every use.</summary>
    /// <summary>
    /// Reachable by any code outside the assembly: <c>public</c> all the way out. A <c>protected</c>
    /// member (or one of a protected nested type) reaches only derived classes, which are part of the
    /// type's implementation.
    /// </summary>
    public static bool IsPublicOutsideAssembly(ISymbol symbol)
    {
        for (var current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            if (current.DeclaredAccessibility != Accessibility.Public)
            {
                return false;
            }
        }

        return true;
    }

    public static bool IsVisibleOutsideAssembly(ISymbol symbol)
    {
        for (var current = symbol; current is not null and not INamespaceSymbol; current = current.ContainingSymbol)
        {
            if (current.DeclaredAccessibility is not (Accessibility.Public or Accessibility.Protected or Accessibility.ProtectedOrInternal))
            {
                return false;
            }
        }

        return true;
    }
}
