using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Threadwise.Core;

/// <summary>
/// Every place a local function or private method is named, where all of them can be seen: the body that declares
/// the local function, the (single) declaration of the private method's type. For the questions "is this method used
/// only as …" (a thread body, a pool work item), asked on the way to a finding.
/// </summary>
internal static class MethodUses
{
    /// <summary>A local function is used only in the body that declares it; a private method only in its type. Null for
    /// a method other code may name.</summary>
    public static SyntaxNode? Scope(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (method.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        var declaration = method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        return method.MethodKind switch
        {
            MethodKind.LocalFunction => declaration.Parent,
            MethodKind.Ordinary when method.DeclaredAccessibility == Accessibility.Private && method.ContainingType?.DeclaringSyntaxReferences.Length == 1
                => method.ContainingType.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken),
            _ => null,
        };
    }

    /// <summary>Each name in <paramref name="scope"/> that binds to <paramref name="method"/> (not its declaration), with
    /// the scope's semantic model.</summary>
    public static IEnumerable<(SimpleNameSyntax Name, SemanticModel Model)> In(SyntaxNode scope, IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
    {
        SemanticModel? model = null;
        foreach (var token in scope.DescendantTokens())
        {
            if (!token.IsKind(SyntaxKind.IdentifierToken) || token.ValueText != method.Name || token.Parent is not SimpleNameSyntax name
                || name.Parent is MethodDeclarationSyntax or LocalFunctionStatementSyntax)
            {
                continue;
            }

            model ??= compilation.GetSemanticModel(scope.SyntaxTree);
            if (SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol?.OriginalDefinition, method.OriginalDefinition))
            {
                yield return (name, model);
            }
        }
    }
}
