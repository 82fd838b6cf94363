using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Threadwise.Core;

/// <summary>
/// Code after an unconditional jump in its block — <c>return; … CompleteProcessing();</c> — never runs
/// (the compiler warns CS0162; libraries keep such code under a pragma "until it is implemented").
/// What it calls proves nothing about the callee. Read from syntax; a labeled statement in between
/// (a goto target) counts as reachable.
/// </summary>
internal static class DeadCode
{
    public static bool IsAfterAJump(SyntaxNode node)
    {
        foreach (var ancestor in node.AncestorsAndSelf())
        {
            if (ancestor is MemberDeclarationSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
            {
                return false;
            }

            if (ancestor is StatementSyntax statement && ancestor.Parent is BlockSyntax block && FollowsAJump(statement, block.Statements))
            {
                return true;
            }

            if (ancestor is StatementSyntax caseStatement && ancestor.Parent is SwitchSectionSyntax section && FollowsAJump(caseStatement, section.Statements))
            {
                return true;
            }
        }

        return false;
    }

    private static bool FollowsAJump(StatementSyntax statement, SyntaxList<StatementSyntax> statements)
    {
        var jumped = false;
        foreach (var earlier in statements)
        {
            if (earlier == statement)
            {
                return jumped;
            }

            if (earlier is LabeledStatementSyntax)
            {
                jumped = false;
            }
            else if (earlier is ReturnStatementSyntax or ThrowStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax
                     || earlier is YieldStatementSyntax { ReturnOrBreakKeyword.ValueText: "break" })
            {
                jumped = true;
            }
        }

        return false;
    }
}
