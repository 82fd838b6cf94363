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
    private readonly bool[] _isFirstChar = new bool[128]; // the words are ASCII

    /// <param name="words">What to find; the positions come back in this order.</param>
    /// <param name="wholeWords">Only hits not inside a longer identifier (<c>lock</c> but not
    /// <c>block</c>); otherwise any occurrence (<c>Parallel</c> in <c>AsParallel</c>).</param>
    public SourceWordIndex(string[] words, bool wholeWords)
    {
        _words = words;
        _wholeWords = wholeWords;
        foreach (var word in words)
        {
            _isFirstChar[word[0]] = true;
        }
    }

    /// <summary>Positions of each word (indexed like the constructor's list), ascending.</summary>
    public int[][] Positions(SyntaxTree tree, CancellationToken cancellationToken)
        => _cache.GetValue(tree, t => Find(t, cancellationToken));

    /// <summary>The first index into <paramref name="positions"/> at or after <paramref name="start"/>.</summary>
    public static int FirstAtOrAfter(int[] positions, int start)
    {
        var index = Array.BinarySearch(positions, start);
        return index < 0 ? ~index : index;
    }

    private int[][] Find(SyntaxTree tree, CancellationToken cancellationToken)
    {
        // The whole text as one string: the parsed file's own string for most trees (no copy).
        var chars = tree.GetText(cancellationToken).ToString();
        var length = chars.Length;
        var found = new List<int>?[_words.Length];
        for (var i = 0; i < length; i++)
        {
            var c = chars[i];
            if (c >= 128 || !_isFirstChar[c] || (_wholeWords && i > 0 && IsIdentifierPart(chars[i - 1])))
            {
                continue;
            }

            for (var w = 0; w < _words.Length; w++)
            {
                var word = _words[w];
                if (word[0] == c && i + word.Length <= length && string.CompareOrdinal(chars, i, word, 0, word.Length) == 0
                    && (!_wholeWords || i + word.Length == length || !IsIdentifierPart(chars[i + word.Length])))
                {
                    (found[w] ??= []).Add(i);
                }
            }
        }

        var positions = new int[_words.Length][];
        for (var w = 0; w < positions.Length; w++)
        {
            positions[w] = found[w]?.ToArray() ?? [];
        }

        return positions;
    }

    private static bool IsIdentifierPart(char c) => c == '_' || c == '@' || char.IsLetterOrDigit(c);
}
