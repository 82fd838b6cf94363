using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>A local's declaration with an initializer, and the body of the function that declares it.</summary>
internal readonly struct LocalDeclaration
{
    public LocalDeclaration(IVariableDeclaratorOperation declarator, IOperation value, IOperation body)
    {
        Declarator = declarator;
        Value = value;
        Body = body;
    }

    public IVariableDeclaratorOperation Declarator { get; }

    /// <summary>The initial value, conversions stripped.</summary>
    public IOperation Value { get; }

    /// <summary>The body of the function that declares the local.</summary>
    public IOperation Body { get; }
}

internal static class LocalDeclarations
{
    /// <summary>
    /// The declaration of <paramref name="local"/> with its initializer, found in the function body
    /// that contains <paramref name="use"/>; null when the local is declared elsewhere (a use in a
    /// lambda of a local declared outside), has no initializer, or the code is incomplete.
    /// </summary>
    public static LocalDeclaration? GetInitializer(ILocalSymbol local, IOperation use)
    {
        var body = AsyncContext.GetFunctionBody(use);
        foreach (var operation in body.Descendants())
        {
            if (operation is IVariableDeclaratorOperation declarator
                && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local))
            {
                var initializer = declarator.Initializer ?? (declarator.Parent as IVariableDeclarationOperation)?.Initializer;
                if (initializer is null || AsyncContext.IsInNestedFunction(declarator, body))
                {
                    return null;
                }

                var value = initializer.Value;
                while (value is IConversionOperation { IsImplicit: true } conversion)
                {
                    value = conversion.Operand;
                }

                return new LocalDeclaration(declarator, value, body);
            }
        }

        return null;
    }
}
