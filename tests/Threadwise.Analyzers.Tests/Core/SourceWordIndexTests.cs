using Microsoft.CodeAnalysis.CSharp;
using Threadwise.Core;

namespace Threadwise.Tests.Core;

/// <summary>The per-tree word index: every occurrence of each word, ascending, whole words only when
/// asked (a word inside a longer identifier, or a shorter word inside a longer one, is no hit).</summary>
public class SourceWordIndexTests
{
    [Fact]
    public void WholeWords_AreFoundAtEveryPosition_NotInsideLongerIdentifiers()
    {
        //                 0         1         2         3         4
        //                 0123456789012345678901234567890123456789012345
        const string text = "lock block Exit ExitReadLock _lock lock";
        var index = new SourceWordIndex(["lock", "Exit", "ExitReadLock", "Release"], wholeWords: true);
        var positions = index.Positions(CSharpSyntaxTree.ParseText(text), CancellationToken.None);
        Assert.Equal([0, 35], positions[0]);
        Assert.Equal([11], positions[1]);
        Assert.Equal([16], positions[2]);
        Assert.Empty(positions[3]);
    }

    [Fact]
    public void AnyOccurrence_IsFound_WhenWholeWordsAreNotAsked()
    {
        const string text = "x.AsParallel(); Parallel.For(0, n, i => { }); var p = new(); var q = new(1);";
        var index = new SourceWordIndex(["Parallel", "new("], wholeWords: false);
        var positions = index.Positions(CSharpSyntaxTree.ParseText(text), CancellationToken.None);
        Assert.Equal([4, 16], positions[0]);
        Assert.Equal([text.IndexOf("new()", StringComparison.Ordinal), text.IndexOf("new(1)", StringComparison.Ordinal)], positions[1]);
    }

    [Fact]
    public void TheAnswerIsCachedPerTree()
    {
        var tree = CSharpSyntaxTree.ParseText("lock");
        var index = new SourceWordIndex(["lock"], wholeWords: true);
        Assert.Same(index.Positions(tree, CancellationToken.None), index.Positions(tree, CancellationToken.None));
    }
}
