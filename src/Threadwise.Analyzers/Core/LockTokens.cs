using System;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

namespace Threadwise.Core;

/// <summary>
/// Whether a span of a syntax tree has the tokens any held lock needs: the <c>lock</c> keyword and
/// identifiers named like a release (<c>Exit</c>, <c>Release</c>, <c>Exit*Lock</c>,
/// <c>ReleaseMutex</c>) or like a lock scope (<see cref="LockScope.ScopeMethodNames"/>). The words come
/// from one read of the tree's text (<see cref="SourceWordIndex"/>); each hit in the span is confirmed as
/// a real token, so comments, strings and disabled code do not count.
/// </summary>
internal static class LockTokens
{
    private static readonly string[] Words =
        ["lock", "Exit", "Release", "ExitReadLock", "ExitWriteLock", "ExitUpgradeableReadLock", "ReleaseMutex"];

    private static readonly SourceWordIndex Index = new(Words, wholeWords: true);

    // The scope names share three stems: one search each finds them inside any identifier, and the token
    // there is confirmed by its whole name (three passes over the text instead of one per name).
    private static readonly string[] ScopeStems = ["Lock", "Enter", "Acquire"];

    private static readonly SourceWordIndex ScopeIndex = new(ScopeStems, wholeWords: false);

    /// <summary>True when <paramref name="span"/> of <paramref name="tree"/> holds one of the tokens.</summary>
    public static bool AnyIn(SyntaxTree tree, TextSpan span, CancellationToken cancellationToken)
    {
        SyntaxNode? root = null;
        var positions = Index.Positions(tree, cancellationToken);
        for (var w = 0; w < positions.Length; w++)
        {
            for (var i = SourceWordIndex.FirstAtOrAfter(positions[w], span.Start); i < positions[w].Length && positions[w][i] < span.End; i++)
            {
                root ??= tree.GetRoot(cancellationToken);
                if (IsLockToken(root.FindToken(positions[w][i]), positions[w][i], isKeyword: w == 0))
                {
                    return true;
                }
            }
        }

        var stems = ScopeIndex.Positions(tree, cancellationToken);
        for (var w = 0; w < stems.Length; w++)
        {
            for (var i = SourceWordIndex.FirstAtOrAfter(stems[w], span.Start); i < stems[w].Length && stems[w][i] < span.End; i++)
            {
                root ??= tree.GetRoot(cancellationToken);
                var token = root.FindToken(stems[w][i]);
                if (token.Span.Contains(stems[w][i]) && token.IsKind(SyntaxKind.IdentifierToken) && Array.IndexOf(LockScope.ScopeMethodNames, token.ValueText) >= 0)
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsLockToken(SyntaxToken token, int position, bool isKeyword)
        => token.SpanStart == position
           && (isKeyword ? token.IsKind(SyntaxKind.LockKeyword) : token.IsKind(SyntaxKind.IdentifierToken) && Array.IndexOf(Words, token.ValueText) > 0);
}
