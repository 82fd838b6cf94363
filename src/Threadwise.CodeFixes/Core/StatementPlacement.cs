using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Threadwise.Core;

/// <summary>Where a fix can add statements: the block a statement sits in, the last statement of a
/// block that uses a local, and names that do not clash with anything in scope.</summary>
internal static class StatementPlacement
{
    /// <summary>The statement of <paramref name="block"/> that contains the last reference to
    /// <paramref name="local"/>, or null.</summary>
    public static StatementSyntax? LastStatementUsing(BlockSyntax block, ILocalSymbol local, SemanticModel model, CancellationToken cancellationToken)
    {
        StatementSyntax? last = null;
        foreach (var statement in block.Statements)
        {
            foreach (var name in statement.DescendantNodes())
            {
                if (name is IdentifierNameSyntax identifier
                    && identifier.Identifier.ValueText == local.Name
                    && SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(identifier, cancellationToken).Symbol, local))
                {
                    last = statement;
                    break;
                }
            }
        }

        return last;
    }

    /// <summary>A statement after which nothing runs: a new statement there would be unreachable.</summary>
    public static bool EndsFlow(StatementSyntax statement)
        => statement is ReturnStatementSyntax or ThrowStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax;

    /// <summary><paramref name="preferred"/>, or it with a number, whichever names nothing in scope at <paramref name="position"/>.</summary>
    public static string UniqueName(string preferred, SemanticModel model, int position)
    {
        var name = preferred;
        for (var i = 2; !model.LookupSymbols(position, name: name).IsEmpty; i++)
        {
            name = preferred + i;
        }

        return name;
    }

    /// <summary>Parses one statement, formatted later by the code action's clean-up.</summary>
    public static StatementSyntax Parse(string text)
        => SyntaxFactory.ParseStatement(text).WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation);
}
