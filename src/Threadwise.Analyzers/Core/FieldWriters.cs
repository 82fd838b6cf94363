using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Threadwise.Core;

/// <summary>
/// "Who writes this field?", read from its type's declarations by name: a write through any instance
/// counts (in doubt, a write), and so does one in a nested type. Asked only of would-be findings.
/// </summary>
internal static class FieldWriters
{
    /// <summary>True when every write of <paramref name="field"/> in its type is made by a constructor or by
    /// <paramref name="method"/>'s own body (not a lambda or local function in it, which may run elsewhere).</summary>
    public static bool AreOnlyConstructorsAnd(IFieldSymbol field, IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (method.DeclaringSyntaxReferences.Length != 1)
        {
            return false;
        }

        var body = method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax(cancellationToken).DescendantNodes())
            {
                if (node is SimpleNameSyntax name && name.Identifier.ValueText == field.Name && IsWritten(name)
                    && !IsInAConstructorOrDirectlyIn(name, body, field))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static bool IsWritten(SimpleNameSyntax name)
    {
        ExpressionSyntax target = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
        return target.Parent switch
        {
            AssignmentExpressionSyntax assignment => assignment.Left == target,
            PrefixUnaryExpressionSyntax or PostfixUnaryExpressionSyntax => true,
            ArgumentSyntax argument => argument.RefKindKeyword.RawKind != 0 || argument.Parent is TupleExpressionSyntax,
            _ => false,
        };
    }

    // A constructor of the field's own kind: an instance constructor runs again for every new object, so
    // for a static field only the static constructor runs before the work can start.
    private static bool IsInAConstructorOrDirectlyIn(SyntaxNode write, SyntaxNode body, IFieldSymbol field)
    {
        for (var current = write.Parent; current is not null; current = current.Parent)
        {
            if (current == body)
            {
                return true;
            }

            switch (current)
            {
                case ConstructorDeclarationSyntax constructor:
                    return constructor.Identifier.ValueText == field.ContainingType.Name
                           && constructor.Modifiers.Any(SyntaxKind.StaticKeyword) == field.IsStatic;
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }
}
