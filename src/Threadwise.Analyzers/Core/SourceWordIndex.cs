using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;

namespace Threadwise.Core;

/// <summary>
/// Where a fixed set of words occurs in a syntax tree's text: one pass over the characters per tree
/// (cached for the tree's lifetime), no syntax nodes created. Rules use it to find the few places a
/// type could matter before they walk or bind anything; a hit is only a hint (it may sit in a comment
/// or a string), so callers confirm it on the token there.
/// </summary>
internal sealed class SourceWordIndex
{
    private readonly ConditionalWeakTable<SyntaxTree, int[][]> _cache = new();
    private readonly string[] _words;
    private readonly bool _wholeWords;

    /// <param name="words">What to find; the positions come back in this order.</param>
    /// <param name="wholeWords">Only hits not inside a longer identifier (<c>lock</c> but not
    /// <c>block</c>); otherwise any occurrence (<c>Parallel</c> in <c>AsParallel</c>).</param>
    public SourceWordIndex(string[] words, bool wholeWords)
    {
        _words = words;
        _wholeWords = wholeWords;
    }

    /// <summary>Positions of each word (indexed like the constructor's list), ascending.</summary>
    public int[][] Positions(SyntaxTree tree, CancellationToken cancellationToken)
        => _cache.TryGetValue(tree, out var cached) ? cached : _cache.GetValue(tree, t => Find(t, cancellationToken));

    /// <summary>The first index into <paramref name="positions"/> at or after <paramref name="start"/>.</summary>
    public static int FirstAtOrAfter(int[] positions, int start)
    {
        var index = Array.BinarySearch(positions, start);
        return index < 0 ? ~index : index;
    }

    // One ordinal search per word (the runtime's vectorized IndexOf), not one scalar pass per character
    // with a table look-up: the first build of a tree's index is charged to whichever rule asks first.
    private int[][] Find(SyntaxTree tree, CancellationToken cancellationToken)
    {
        // The whole text as one string: the parsed file's own string for most trees (no copy).
        var chars = tree.GetText(cancellationToken).ToString();
        var positions = new int[_words.Length][];
        for (var w = 0; w < _words.Length; w++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var word = _words[w];
            List<int>? found = null;
            for (var i = chars.IndexOf(word, StringComparison.Ordinal); i >= 0; i = chars.IndexOf(word, i + 1, StringComparison.Ordinal))
            {
                if (!_wholeWords || IsWholeWord(chars, i, word.Length))
                {
                    (found ??= []).Add(i);
                }
            }

            positions[w] = found?.ToArray() ?? [];
        }

        return positions;
    }

    private static bool IsWholeWord(string chars, int start, int length)
        => (start == 0 || !IsIdentifierPart(chars[start - 1]))
           && (start + length == chars.Length || !IsIdentifierPart(chars[start + length]));

    private static bool IsIdentifierPart(char c) => c == '_' || c == '@' || char.IsLetterOrDigit(c);
}
