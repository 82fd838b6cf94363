using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Threadwise.Core;

/// <summary>
/// An internal constructor nothing in the assembly calls: the "used in test only" constructor that takes
/// the collaborators a test wants to inject (the Neo4j driver's connection pool takes its idle queue that
/// way). What it assigns never happens in the assembly's own code, so the "every assignment is an X"
/// questions leave it out. Asked only of would-be findings (it binds every creation and constructor
/// initializer in the files that could call it).
/// </summary>
internal static class UncalledConstructors
{
    /// <summary>True when <paramref name="constructor"/> is declared <c>internal</c>, takes parameters, has
    /// no attributes, and no <c>new T(…)</c>, target-typed <c>new(…)</c>, <c>this(…)</c>, <c>base(…)</c> or
    /// primary-constructor base call in the compilation binds to it. A parameterless one is left alone
    /// (serializers and <c>Activator</c> create objects through it), as is an attribute's.</summary>
    public static bool IsNeverCalled(IMethodSymbol constructor, Compilation compilation, CancellationToken cancellationToken)
    {
        if (constructor.MethodKind != MethodKind.Constructor
            || constructor.IsImplicitlyDeclared
            || constructor.Parameters.IsEmpty
            || constructor.DeclaredAccessibility is not (Accessibility.Internal or Accessibility.ProtectedAndInternal)
            || !constructor.GetAttributes().IsEmpty
            || constructor.ContainingType is not { TypeKind: TypeKind.Class or TypeKind.Struct } type
            || InheritsAttribute(type))
        {
            return false;
        }

        constructor = constructor.OriginalDefinition;
        var names = NamesOf(type, compilation, cancellationToken);
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (!CanCall(tree.GetText(cancellationToken).ToString(), type.Name))
            {
                continue;
            }

            SemanticModel? model = null;
            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes())
            {
                if (!IsCreationOf(node, names))
                {
                    continue;
                }

                model ??= compilation.GetSemanticModel(tree);
                var info = model.GetSymbolInfo(node, cancellationToken);
                if (Binds(info.Symbol, constructor))
                {
                    return false;
                }

                foreach (var candidate in info.CandidateSymbols)
                {
                    if (Binds(candidate, constructor))
                    {
                        return false; // code under edit: in doubt, a call
                    }
                }
            }
        }

        return true;
    }

    // A file that could call it names the type (`new Pool(…)`, a derived class's base list, the type's own
    // `this(…)`), or has a target-typed `new(` or a `base(` whose class is declared elsewhere in parts.
    private static bool CanCall(string text, string typeName)
        => text.IndexOf(typeName, System.StringComparison.Ordinal) >= 0
           || text.IndexOf("new(", System.StringComparison.Ordinal) >= 0
           || text.IndexOf("new (", System.StringComparison.Ordinal) >= 0
           || text.IndexOf("base(", System.StringComparison.Ordinal) >= 0
           || text.IndexOf("base (", System.StringComparison.Ordinal) >= 0;

    // The type's name and every alias a using directive gives it (`using Pool = …ConnectionPool;`, also
    // global): a file that creates it through an alias holds the directive, or names the type in it.
    private static List<string> NamesOf(INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
    {
        var names = new List<string> { type.Name };
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (tree.GetText(cancellationToken).ToString().IndexOf(type.Name, System.StringComparison.Ordinal) < 0)
            {
                continue;
            }

            foreach (var node in tree.GetRoot(cancellationToken).DescendantNodes(n => n is CompilationUnitSyntax or BaseNamespaceDeclarationSyntax or UsingDirectiveSyntax))
            {
                if (node is UsingDirectiveSyntax { Alias.Name.Identifier.ValueText: var alias, Name: { } target } && RightmostName(target) == type.Name)
                {
                    names.Add(alias);
                }
            }
        }

        return names;
    }

    private static bool IsCreationOf(SyntaxNode node, List<string> names) => node switch
    {
        ObjectCreationExpressionSyntax { Type: var type } => RightmostName(type) is not { } name || names.Contains(name),
        ImplicitObjectCreationExpressionSyntax => true,
        ConstructorInitializerSyntax => true,
        PrimaryConstructorBaseTypeSyntax => true,
        _ => false,
    };

    // null for anything unusual: bind it.
    private static string? RightmostName(TypeSyntax type) => type switch
    {
        SimpleNameSyntax simple => simple.Identifier.ValueText,
        QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
        AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
        _ => null,
    };

    private static bool Binds(ISymbol? symbol, IMethodSymbol constructor)
        => symbol is IMethodSymbol method && SymbolEqualityComparer.Default.Equals(method.OriginalDefinition, constructor);

    private static bool InheritsAttribute(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.Name == "Attribute" && current.ContainingNamespace is { Name: "System", ContainingNamespace.IsGlobalNamespace: true })
            {
                return true;
            }
        }

        return false;
    }
}
