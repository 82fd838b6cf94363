using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;

namespace Threadwise.Core;

/// <summary>What fixes that turn a method into a task-returning one share: finding its calls,
/// and spelling its new return type.</summary>
internal static class AsyncConversion
{
    /// <summary>Every invocation of the method in the document; null if it is used any other way
    /// (a method group, a delegate), which a changed return type would break.</summary>
    public static List<InvocationExpressionSyntax>? FindCalls(IMethodSymbol symbol, FixState state)
    {
        var calls = new List<InvocationExpressionSyntax>();
        foreach (var node in state.Root.DescendantNodes())
        {
            if (node is not SimpleNameSyntax name
                || name.Identifier.ValueText != symbol.Name
                || name.Parent is MethodDeclarationSyntax or LocalFunctionStatementSyntax
                || !SymbolEqualityComparer.Default.Equals(state.SemanticModel.GetSymbolInfo(name, state.CancellationToken).Symbol?.OriginalDefinition, symbol))
            {
                continue;
            }

            if (IsNameOf(name))
            {
                continue;
            }

            var callee = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : (ExpressionSyntax)name;
            if (callee.Parent is not InvocationExpressionSyntax invocation || invocation.Expression != callee)
            {
                return null;
            }

            calls.Add(invocation);
        }

        return calls;
    }

    /// <summary>
    /// True when no code outside <paramref name="tree"/> can use the method, so that changing its
    /// signature and every call in this document changes all of them: a private method of a type
    /// declared only here, or a method no other assembly can see (internal, or inside an internal
    /// type; the assembly has no <c>InternalsVisibleTo</c> friends) whose name appears in no other
    /// file of the compilation, not even in a string or comment (reflection, <c>nameof</c> elsewhere).
    /// </summary>
    public static bool IsUsedOnlyIn(IMethodSymbol symbol, SyntaxTree tree, Compilation compilation, CancellationToken cancellationToken)
    {
        if (symbol.DeclaredAccessibility == Accessibility.Private)
        {
            return IsDeclaredOnlyIn(symbol.ContainingType, tree);
        }

        // A public member of an executable: other projects of the solution (tests) may call it, which
        // only the solution-wide search of the cross-document fix can rule out.
        if (SymbolFacts.IsVisibleOutsideAssembly(symbol) || !IsInvisibleOutsideProject(symbol, compilation))
        {
            return false;
        }

        foreach (var other in compilation.SyntaxTrees)
        {
            if (other != tree && other.GetText(cancellationToken).ToString().Contains(symbol.Name))
            {
                return false;
            }
        }

        return true;
    }

    // A partial type declared in other documents could call a private method there.
    private static bool IsDeclaredOnlyIn(INamedTypeSymbol type, SyntaxTree tree)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (reference.SyntaxTree != tree)
            {
                return false;
            }
        }

        return true;
    }

    private static bool HasFriendAssemblies(IAssemblySymbol assembly)
    {
        foreach (var attribute in assembly.GetAttributes())
        {
            if (attribute.AttributeClass is { Name: "InternalsVisibleToAttribute" } attributeClass
                && attributeClass.ContainingNamespace?.ToDisplayString() == "System.Runtime.CompilerServices")
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when only code of this project can call the method: private, or invisible to
    /// other assemblies (internal, or inside an internal type; with <paramref name="publicInExecutables"/>,
    /// any accessibility in an executable, which no library references) in a project without friend
    /// assemblies; and nothing else fixes its signature (virtual, abstract, an override, an interface's
    /// member). Callers in other projects of the solution are still looked for by the cross-document
    /// fix, and any found withholds it.</summary>
    public static bool IsInvisibleOutsideProject(IMethodSymbol symbol, Compilation compilation, bool publicInExecutables = false)
        => symbol.DeclaredAccessibility == Accessibility.Private
           || ((!SymbolFacts.IsVisibleOutsideAssembly(symbol) || (publicInExecutables && IsExecutable(compilation)))
               && !symbol.IsVirtual
               && !symbol.IsAbstract
               && !symbol.IsOverride
               && !SymbolFacts.ImplementsInterfaceMember(symbol)
               && !HasFriendAssemblies(compilation.Assembly));

    private static bool IsExecutable(Compilation compilation)
        => compilation.Options.OutputKind is OutputKind.ConsoleApplication or OutputKind.WindowsApplication or OutputKind.WindowsRuntimeApplication;

    public static bool IsNameOf(SyntaxNode name)
    {
        var operand = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
        return operand.Parent?.Parent?.Parent is InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } };
    }

    /// <summary>True when <paramref name="node"/> runs as part of <paramref name="function"/>'s own
    /// body, not in a lambda or local function nested in it.</summary>
    public static bool IsInside(SyntaxNode node, SyntaxNode function)
    {
        foreach (var ancestor in node.Ancestors())
        {
            if (ancestor == function)
            {
                return true;
            }

            if (ancestor is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
            {
                return false;
            }
        }

        return false;
    }

    /// <summary><c>Task</c> for a void method, <c>Task&lt;T&gt;</c> for one returning T, as a type
    /// that simplifies to its short name and brings its <c>using</c>.</summary>
    public static TypeSyntax TaskReturnType(IMethodSymbol symbol, FixState state, SyntaxGenerator generator)
    {
        var task = symbol.ReturnsVoid ? state.Symbols.Task! : state.Symbols.TaskOfT!.Construct(symbol.ReturnType);
        return (TypeSyntax)generator.TypeExpression(task, addImport: true);
    }
}
