using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Threadwise.Core;

/// <summary>
/// Every value a field or property is given in its own type: its initializer and each assignment, read
/// from the type's declarations (all parts) and bound there. For the "every assignment is an X" questions
/// asked of would-be findings (a stream field that only ever holds memory, a queue that is never bounded);
/// callers cache the answer per member. Assignments in an internal constructor nothing in the assembly
/// calls (a test hook) are left out.
/// </summary>
internal static class MemberAssignments
{
    /// <summary>The values assigned to <paramref name="member"/> in its type, each with its bound operation
    /// (null when it does not bind); null when the member is also passed by <c>ref</c>/<c>out</c>
    /// (`Exchange(ref _f, …)`: written where the value is not seen).</summary>
#pragma warning disable RS1030 // The type may span trees; asked only for would-be findings, answers cached by the callers.
    public static List<(ExpressionSyntax Syntax, IOperation? Operation)>? In(ISymbol member, Compilation compilation)
    {
        var values = new List<(ExpressionSyntax, IOperation?)>();
        Dictionary<IMethodSymbol, bool>? testOnly = null; // one search of the compilation per constructor
        foreach (var reference in member.ContainingType.DeclaringSyntaxReferences)
        {
            var root = reference.GetSyntax();
            SemanticModel? model = null;
            foreach (var node in root.DescendantNodes())
            {
                if (node is ArgumentSyntax { RefKindKeyword.RawKind: not 0 } byRef && Names(byRef.Expression, member.Name))
                {
                    return null;
                }

                var value = node switch
                {
                    VariableDeclaratorSyntax { Initializer.Value: { } initial } declarator when declarator.Identifier.ValueText == member.Name => initial,
                    PropertyDeclarationSyntax { Initializer.Value: { } initial } property when property.Identifier.ValueText == member.Name => initial,
                    AssignmentExpressionSyntax { Left: var left, Right: var right } when Names(left, member.Name) => right,
                    _ => null,
                };

                if (value is null)
                {
                    continue;
                }

                model ??= compilation.GetSemanticModel(root.SyntaxTree);
                if (!InTestOnlyConstructor(value, model, ref testOnly))
                {
                    values.Add((value, OperationOf(value, model)));
                }
            }
        }

        return values;
    }
#pragma warning restore RS1030

    // Roslyn can throw building the operation of code under edit: an array holding a call whose lambda lost
    // a parenthesis (`new[] { Task.Run() => { }), … }`) reaches an "unreachable" assertion for the lambda's
    // function type (InvalidOperationException). Such a value is unknown.
    private static IOperation? OperationOf(ExpressionSyntax value, SemanticModel model)
    {
        try
        {
            return model.GetOperation(value);
        }
        catch (System.InvalidOperationException)
        {
            return null;
        }
    }

    // `internal Pool(Factory f, BlockingCollection<C> idle = null) : this(…) { _idle = idle ?? new(); }`,
    // "used in test only" and called by nothing in the assembly: its assignment is not the type's.
    private static bool InTestOnlyConstructor(ExpressionSyntax value, SemanticModel model, ref Dictionary<IMethodSymbol, bool>? known)
    {
        if (value.FirstAncestorOrSelf<MemberDeclarationSyntax>() is not ConstructorDeclarationSyntax constructor
            || !constructor.Modifiers.Any(SyntaxKind.InternalKeyword)
            || model.GetDeclaredSymbol(constructor) is not { } symbol)
        {
            return false;
        }

        known ??= new Dictionary<IMethodSymbol, bool>(SymbolEqualityComparer.Default);
        if (!known.TryGetValue(symbol, out var neverCalled))
        {
            known[symbol] = neverCalled = UncalledConstructors.IsNeverCalled(symbol, model.Compilation, CancellationToken.None);
        }

        return neverCalled;
    }

    // `_f`, `this._f`, and also `other._f`: a write through another instance counts (in doubt, a write).
    private static bool Names(ExpressionSyntax expression, string name)
        => expression switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText == name,
            MemberAccessExpressionSyntax { Name: var member } => member.Identifier.ValueText == name,
            _ => false,
        };
}
