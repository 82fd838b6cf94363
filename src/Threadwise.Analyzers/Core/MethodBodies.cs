using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Threadwise.Core;

/// <summary>
/// The body of a method or local function declared once in this compilation's source: its block, or its
/// expression body (<c>=&gt; …</c>), as syntax and bound. Rules that look into another method (a helper's
/// summary, a callback's first blocking call, a fire-and-forget form) read it here, only on the way to a
/// finding or once per cached summary: binding it asks the compiler for the tree's semantic model.
/// </summary>
internal static class MethodBodies
{
    /// <summary>The block or expression body; null when the method is declared more than once (partial),
    /// nowhere in source, or without a body.</summary>
    public static SyntaxNode? Syntax(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (method.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        return method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) switch
        {
            BaseMethodDeclarationSyntax declaration => (SyntaxNode?)declaration.Body ?? declaration.ExpressionBody,
            LocalFunctionStatementSyntax local => (SyntaxNode?)local.Body ?? local.ExpressionBody,
            _ => null,
        };
    }

#pragma warning disable RS1030 // Another method's body: asked only for would-be findings or cached summaries.
    /// <summary>The bound body (for an expression body, the block the compiler makes of it), or null.</summary>
    public static IOperation? Bind(SyntaxNode? body, Compilation compilation, CancellationToken cancellationToken)
        => body is not null && compilation.ContainsSyntaxTree(body.SyntaxTree)
            ? compilation.GetSemanticModel(body.SyntaxTree).GetOperation(body, cancellationToken)
            : null;
#pragma warning restore RS1030

    /// <summary><see cref="Syntax"/>, bound.</summary>
    public static IOperation? Bind(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
        => Bind(Syntax(method, cancellationToken), compilation, cancellationToken);

    /// <summary>An iterator (<c>yield return</c> in a method returning <c>IEnumerable</c> or
    /// <c>IEnumerator</c>): calling it runs none of its body; enumerating the result does. The return
    /// type is checked first, so most methods never have their syntax read.</summary>
    public static bool IsIterator(IMethodSymbol method, CancellationToken cancellationToken)
        => ReturnsASequence(method)
           && Syntax(method, cancellationToken) is BlockSyntax body
           && YieldsOutsideNestedFunctions(body);

    /// <summary>Returns <c>IEnumerable</c>/<c>IEnumerator</c> (generic or not): only such a method can be an iterator.</summary>
    public static bool ReturnsASequence(IMethodSymbol method)
        => method.ReturnType.OriginalDefinition.SpecialType is SpecialType.System_Collections_Generic_IEnumerable_T
               or SpecialType.System_Collections_Generic_IEnumerator_T
               or SpecialType.System_Collections_IEnumerable
               or SpecialType.System_Collections_IEnumerator;

    private static bool YieldsOutsideNestedFunctions(SyntaxNode body)
    {
        foreach (var node in body.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            if (node is YieldStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }
}
