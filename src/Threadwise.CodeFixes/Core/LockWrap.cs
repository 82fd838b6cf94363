using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Threadwise.Core;

/// <summary>
/// Wraps statements in <c>lock (x) { … }</c> (or <c>try { … } finally { … }</c>) laid out like the code
/// around them: the first statement's indentation for <c>lock</c> and the braces, one more level (a tab
/// where the file indents with tabs) for the statements, the file's own line ends, and the brace style
/// of the enclosing block (<c>lock (x) {</c> where it opens its brace on its owner's line). The formatter would lay the block out in the
/// default style instead (spaces, where a project without an .editorconfig indents with tabs) and
/// re-indent the line after it.
/// </summary>
internal static class LockWrap
{
    public static LockStatementSyntax Around(ExpressionSyntax lockObject, IReadOnlyList<StatementSyntax> statements)
    {
        var first = statements[0];
        var last = statements[statements.Count - 1];
        if (!StartsLine(first.GetFirstToken()))
        {
            // `x => { _seen.Add(x); }`: the statement shares its line, and so does the lock.
            return SyntaxFactory.LockStatement(
                SyntaxFactory.Token(first.GetLeadingTrivia(), SyntaxKind.LockKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space)),
                SyntaxFactory.Token(SyntaxKind.OpenParenToken),
                lockObject.WithoutTrivia(),
                SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.CloseParenToken, SyntaxFactory.TriviaList(SyntaxFactory.Space)),
                SyntaxFactory.Block(
                    SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.OpenBraceToken, SyntaxFactory.TriviaList(SyntaxFactory.Space)),
                    SyntaxFactory.List(statements.Select((statement, i) => OnOneLine(statement, i == 0, i == statements.Count - 1))),
                    SyntaxFactory.Token(SyntaxFactory.TriviaList(SyntaxFactory.Space), SyntaxKind.CloseBraceToken, last.GetTrailingTrivia())))
                .WithTrailingTrivia(last.GetTrailingTrivia());
        }

        var indent = IndentationOf(first);
        var unit = indent.Contains('\t') ? "\t" : UnitBelow(first, indent);
        var eol = SyntaxFactory.EndOfLine(EndOfLineIn(first));

        var inside = statements.Select((statement, i) =>
        {
            var indented = IndentedBy(statement, unit);
            return i == 0 ? indented.WithLeadingTrivia(SyntaxFactory.Whitespace(indent + unit)) : indented;
        });

        // `lock (x) {` where the block around opens its brace at the end of its owner's line.
        var sameLine = first.Parent is BlockSyntax outer && OpensOnItsOwnersLine(outer);
        return SyntaxFactory.LockStatement(
            SyntaxFactory.Token(first.GetLeadingTrivia(), SyntaxKind.LockKeyword, SyntaxFactory.TriviaList(SyntaxFactory.Space)),
            SyntaxFactory.Token(SyntaxKind.OpenParenToken),
            lockObject.WithoutTrivia(),
            SyntaxFactory.Token(SyntaxFactory.TriviaList(), SyntaxKind.CloseParenToken, sameLine ? SyntaxFactory.TriviaList(SyntaxFactory.Space) : SyntaxFactory.TriviaList(eol)),
            SyntaxFactory.Block(
                SyntaxFactory.Token(sameLine ? SyntaxFactory.TriviaList() : SyntaxFactory.TriviaList(SyntaxFactory.Whitespace(indent)), SyntaxKind.OpenBraceToken, SyntaxFactory.TriviaList(eol)),
                SyntaxFactory.List(inside),
                SyntaxFactory.Token(SyntaxFactory.TriviaList(SyntaxFactory.Whitespace(indent)), SyntaxKind.CloseBraceToken, last.GetTrailingTrivia())))
            .WithTrailingTrivia(last.GetTrailingTrivia());
    }

    /// <summary>
    /// <c>try { body } finally { release }</c> in place of the statements from <paramref name="body"/>'s
    /// first to <paramref name="release"/>, laid out like them: their indentation, one more level inside
    /// (a tab where the file indents with tabs), the file's line ends, and the brace style of the block
    /// around them (<c>try {</c> and <c>} finally {</c> where that block opens its brace on its own line's
    /// end). Null when a statement shares its line with another (the caller lets the formatter lay it out).
    /// </summary>
    public static TryStatementSyntax? TryFinally(IReadOnlyList<StatementSyntax> body, StatementSyntax release)
    {
        var first = body.Count > 0 ? body[0] : release;
        if (!StartsLine(first.GetFirstToken()) || !StartsLine(release.GetFirstToken()))
        {
            return null;
        }

        var indent = IndentationOf(first);
        var unit = indent.Contains('\t') ? "\t" : UnitBelow(first, indent);
        var eol = SyntaxFactory.EndOfLine(EndOfLineIn(first));
        var sameLine = first.Parent is BlockSyntax outer && OpensOnItsOwnersLine(outer);
        var lineStart = SyntaxFactory.TriviaList(SyntaxFactory.Whitespace(indent));

        var inside = body.Select((statement, i) =>
        {
            var indented = IndentedBy(statement, unit);
            return i == 0 ? indented.WithLeadingTrivia(SyntaxFactory.Whitespace(indent + unit)) : indented;
        });
        // A comment above the release stays above it; plain whitespace becomes the inner indentation.
        var released = release.GetLeadingTrivia().All(t => t.IsKind(SyntaxKind.WhitespaceTrivia) || t.IsKind(SyntaxKind.EndOfLineTrivia))
            ? IndentedBy(release, unit).WithLeadingTrivia(SyntaxFactory.Whitespace(indent + unit))
            : IndentedBy(release, unit);

        var tryKeyword = SyntaxFactory.Token(first.GetLeadingTrivia(), SyntaxKind.TryKeyword, sameLine ? SyntaxFactory.TriviaList(SyntaxFactory.Space) : SyntaxFactory.TriviaList(eol));
        var tryBlock = SyntaxFactory.Block(
            SyntaxFactory.Token(sameLine ? default : lineStart, SyntaxKind.OpenBraceToken, SyntaxFactory.TriviaList(eol)),
            SyntaxFactory.List(inside),
            SyntaxFactory.Token(lineStart, SyntaxKind.CloseBraceToken, sameLine ? SyntaxFactory.TriviaList(SyntaxFactory.Space) : SyntaxFactory.TriviaList(eol)));
        var finallyClause = SyntaxFactory.FinallyClause(
            SyntaxFactory.Token(sameLine ? default : lineStart, SyntaxKind.FinallyKeyword, sameLine ? SyntaxFactory.TriviaList(SyntaxFactory.Space) : SyntaxFactory.TriviaList(eol)),
            SyntaxFactory.Block(
                SyntaxFactory.Token(sameLine ? default : lineStart, SyntaxKind.OpenBraceToken, SyntaxFactory.TriviaList(eol)),
                SyntaxFactory.SingletonList(released),
                SyntaxFactory.Token(lineStart, SyntaxKind.CloseBraceToken, release.GetTrailingTrivia())));
        return SyntaxFactory.TryStatement(tryKeyword, tryBlock, default, finallyClause);
    }

    // `void M() {` / `if (x) {`: the block's brace ends the line its owner starts (K&R style).
    private static bool OpensOnItsOwnersLine(BlockSyntax block)
        => block.SyntaxTree is { } tree
           && tree.GetText().Lines.GetLineFromPosition(block.OpenBraceToken.SpanStart).ToString().TrimStart() is var line
           && !line.StartsWith("{", System.StringComparison.Ordinal);

    // Inside a one-line lock the first statement loses its leading trivia (the lock took it) and the
    // last its trailing trivia (the closing brace carries it).
    private static StatementSyntax OnOneLine(StatementSyntax statement, bool first, bool last)
    {
        var laid = first ? statement.WithoutLeadingTrivia() : statement;
        return last ? laid.WithoutTrailingTrivia() : laid;
    }

    /// <summary>The whitespace before the node on its line.</summary>
    public static string IndentationOf(SyntaxNode node)
    {
        var leading = node.GetLeadingTrivia();
        for (var i = leading.Count - 1; i >= 0; i--)
        {
            if (leading[i].IsKind(SyntaxKind.WhitespaceTrivia))
            {
                return i == 0 || EndsALine(leading[i - 1]) ? leading[i].ToString() : string.Empty;
            }

            if (EndsALine(leading[i]))
            {
                return string.Empty;
            }
        }

        return string.Empty;
    }

    // An end of line, or trivia that carries its own (`#if DEBUG`, disabled text, a `///` comment).
    private static bool EndsALine(SyntaxTrivia trivia)
        => trivia.IsKind(SyntaxKind.EndOfLineTrivia)
           || trivia.IsDirective
           || trivia.IsKind(SyntaxKind.DisabledTextTrivia)
           || trivia.IsKind(SyntaxKind.SingleLineDocumentationCommentTrivia);

    // The step from the line of the enclosing block's brace to the statement; four spaces when it
    // cannot be told.
    private static string UnitBelow(StatementSyntax statement, string indent)
    {
        if (statement.Parent is BlockSyntax block && block.SyntaxTree is { } tree)
        {
            var line = tree.GetText().Lines.GetLineFromPosition(block.OpenBraceToken.SpanStart).ToString();
            var outer = line.Substring(0, line.Length - line.TrimStart().Length);
            if (indent.Length > outer.Length && indent.Length - outer.Length <= 8 && indent.StartsWith(outer, System.StringComparison.Ordinal))
            {
                return indent.Substring(outer.Length);
            }
        }

        return "    ";
    }

    private static string EndOfLineIn(SyntaxNode node)
    {
        foreach (var trivia in node.GetTrailingTrivia())
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return trivia.ToString();
            }
        }

        return node.SyntaxTree?.GetText().ToString().Contains("\r\n") == true ? "\r\n" : "\n";
    }

    // Every line of the node starts `unit` further right (whitespace after a line end in a token's
    // leading trivia); the first line is the caller's to lay out.
    private static StatementSyntax IndentedBy(StatementSyntax statement, string unit)
        => statement.ReplaceTokens(statement.DescendantTokens(), (_, token) =>
        {
            var leading = token.LeadingTrivia;
            var changed = false;
            var list = new List<SyntaxTrivia>(leading.Count);
            for (var i = 0; i < leading.Count; i++)
            {
                var trivia = leading[i];
                var startsLine = i == 0 ? StartsLine(token) : EndsALine(leading[i - 1]);
                if (startsLine && trivia.IsKind(SyntaxKind.WhitespaceTrivia))
                {
                    list.Add(SyntaxFactory.Whitespace(unit + trivia.ToString()));
                    changed = true;
                }
                else
                {
                    list.Add(trivia);
                }
            }

            return changed ? token.WithLeadingTrivia(list) : token;
        });

    private static bool StartsLine(SyntaxToken token)
    {
        var previous = token.GetPreviousToken(includeZeroWidth: true, includeSkipped: true, includeDirectives: true, includeDocumentationComments: true);
        return previous.RawKind != 0 && previous.TrailingTrivia.Any(SyntaxKind.EndOfLineTrivia);
    }
}
