using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Threadwise.Core;

/// <summary>
/// The bodies a call of an interface, abstract or virtual method declared in this compilation can run:
/// its implementations and overrides among the compilation's own classes. MessagePipe's
/// <c>IAsyncPublisher.Publish</c> has a <c>PublishAsync</c> beside it, but every implementation the
/// library has hands the message to its handlers and returns: it does not block. Asked only on the
/// way to a finding; the list of the compilation's classes is built once.
/// </summary>
internal sealed class SourceImplementations
{
    private static readonly ConditionalWeakTable<Compilation, SourceImplementations> Cache = new();

    private readonly Compilation _compilation;
    private ImmutableArray<INamedTypeSymbol> _classes;

    private SourceImplementations(Compilation compilation) => _compilation = compilation;

    public static SourceImplementations For(Compilation compilation) => Cache.GetValue(compilation, c => new SourceImplementations(c));

    /// <summary>The implementations (or overrides, with the method itself when it has a body) in this
    /// compilation; empty when the method is not an overridable member declared here.</summary>
    public List<IMethodSymbol> Of(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var result = new List<IMethodSymbol>();
        method = method.OriginalDefinition;
        var declaringType = method.ContainingType;
        if (declaringType is null || method.IsStatic
            || !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _compilation.Assembly)
            || !(declaringType.TypeKind == TypeKind.Interface || method.IsAbstract || method.IsVirtual || method.IsOverride))
        {
            return result;
        }

        if (!method.IsAbstract && declaringType.TypeKind != TypeKind.Interface)
        {
            result.Add(method);
        }

        foreach (var type in Types(cancellationToken))
        {
            if (type.IsAbstract && declaringType.TypeKind == TypeKind.Interface)
            {
                continue;
            }

            var found = declaringType.TypeKind == TypeKind.Interface ? Implementation(type, method) : Override(type, method);
            if (found is not null && !Contains(result, found))
            {
                result.Add(found);
            }
        }

        return result;
    }

    private static IMethodSymbol? Implementation(INamedTypeSymbol type, IMethodSymbol method)
    {
        foreach (var @interface in type.AllInterfaces)
        {
            if (!SymbolEqualityComparer.Default.Equals(@interface.OriginalDefinition, method.ContainingType))
            {
                continue;
            }

            foreach (var member in @interface.GetMembers(method.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(member.OriginalDefinition, method)
                    && type.FindImplementationForInterfaceMember(member) is IMethodSymbol implementation)
                {
                    return MostDerived(type, implementation).OriginalDefinition;
                }
            }
        }

        return null;
    }

    // The interface is implemented by a base class's virtual method that `type` (or a class between) overrides
    // (`ReaderBase.GetFilesAsync() => Task.FromResult(GetFiles())`, overridden by a plugin reader): the
    // override is the body a call through the interface runs on `type`.
    private static IMethodSymbol MostDerived(INamedTypeSymbol type, IMethodSymbol implementation)
    {
        if (!(implementation.IsVirtual || implementation.IsOverride || implementation.IsAbstract))
        {
            return implementation;
        }

        return InheritedBy(type, implementation) ?? implementation;
    }

    /// <summary>The member of <paramref name="type"/> or its nearest base class that is <paramref name="method"/>
    /// or overrides it: the body a call of <paramref name="method"/> runs on an instance of <paramref name="type"/>.</summary>
    public static IMethodSymbol? InheritedBy(INamedTypeSymbol type, IMethodSymbol method)
    {
        var original = method.OriginalDefinition;
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers(method.Name))
            {
                for (var overridden = member as IMethodSymbol; overridden is not null; overridden = overridden.OverriddenMethod)
                {
                    if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, original))
                    {
                        return (IMethodSymbol)member;
                    }
                }
            }
        }

        return null;
    }

    private static IMethodSymbol? Override(INamedTypeSymbol type, IMethodSymbol method)
    {
        foreach (var member in type.GetMembers(method.Name))
        {
            for (var overridden = (member as IMethodSymbol)?.OverriddenMethod; overridden is not null; overridden = overridden.OverriddenMethod)
            {
                if (SymbolEqualityComparer.Default.Equals(overridden.OriginalDefinition, method))
                {
                    return ((IMethodSymbol)member).OriginalDefinition;
                }
            }
        }

        return null;
    }

    private static bool Contains(List<IMethodSymbol> methods, IMethodSymbol method)
    {
        foreach (var existing in methods)
        {
            if (SymbolEqualityComparer.Default.Equals(existing, method))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Every class and struct declared in the compilation, nested ones too; built once.</summary>
    public ImmutableArray<INamedTypeSymbol> Types(CancellationToken cancellationToken)
    {
        if (!_classes.IsDefault)
        {
            return _classes;
        }

        var builder = ImmutableArray.CreateBuilder<INamedTypeSymbol>();
        var pending = new Stack<INamespaceOrTypeSymbol>();
        pending.Push(_compilation.Assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            cancellationToken.ThrowIfCancellationRequested();
            foreach (var member in pending.Pop().GetMembers())
            {
                if (member is INamespaceOrTypeSymbol container)
                {
                    pending.Push(container);
                }

                if (member is INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } type)
                {
                    builder.Add(type);
                }
            }
        }

        var classes = builder.ToImmutable();
        ImmutableInterlocked.InterlockedInitialize(ref _classes, classes);
        return _classes;
    }
}
