using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Threadwise.Core;

namespace Threadwise.Tests.Core;

/// <summary>The text scan that lets per-type rules skip types that never lock must agree with the
/// tokens: real <c>lock</c> keywords and release-named identifiers count, look-alikes do not.</summary>
public class LockTokensTests
{
    [Theory]
    [InlineData("void M() { lock (_gate) { } }")]
    [InlineData("void M() { Monitor.Exit(_gate); }")]
    [InlineData("void M() { _semaphore.Release(); }")]
    [InlineData("void M() { _rw.ExitWriteLock(); }")]
    [InlineData("void M() { _rw.ExitUpgradeableReadLock(); }")]
    [InlineData("void M() { _mutex.ReleaseMutex(); }")]
    [InlineData("void M() { using (_lock.EnterScope()) { } }")]
    [InlineData("void M(){lock(_gate){}}")]
    [InlineData("async System.Threading.Tasks.Task M() { using (await _mutex.LockAsync()) { } }")]
    [InlineData("void M() { using var scope = Section.Enter(_gate); }")]
    public void RealTokens_Count(string member) => Assert.True(MayHoldLocks(member));

    [Theory]
    [InlineData("void M() { } // lock (_gate) and Release() are only mentioned here")]
    [InlineData("/// <summary>Call Exit() when done.</summary>\n void M() { }")]
    [InlineData("string M() => \"lock Release Exit\";")]
    [InlineData("string M() => $\"{nameof(M)} lock\";")]
    [InlineData("void M() { var block = 1; var clock = block; var unlocked = clock; }")]
    [InlineData("void M() { var Exited = 1; var Released = Exited; var ExitCode = Released; }")]
    [InlineData("void M() { var @lock = 1; }")]
    [InlineData("void M() { var LockAsyncCount = 1; var Entered = LockAsyncCount; }")]
    [InlineData("void M() { } // using (await _mutex.LockAsync()) and Section.Enter(gate) are only mentioned here")]
    [InlineData("string M() => \"LockAsync Enter Acquire\";")]
    [InlineData("#if NEVER\n void M() { lock (this) { } }\n#endif\n void N() { }")]
    public void LookAlikes_DoNotCount(string member) => Assert.False(MayHoldLocks(member));

    [Fact]
    public void OnlyTheTypeWhoseSpanHoldsTheToken_Counts()
    {
        var (compilation, tree) = Compile("""
            class Quiet { void M() { } }
            class Locking { readonly object _gate = new object(); void M() { lock (_gate) { } } }
            class AlsoQuiet { void M() { } }
            """);
        var model = compilation.GetSemanticModel(tree);
        var types = tree.GetRoot().DescendantNodes().OfType<ClassDeclarationSyntax>()
            .ToDictionary(c => c.Identifier.ValueText, c => (INamedTypeSymbol)model.GetDeclaredSymbol(c)!);
        Assert.False(LockScope.MayHoldLocks(types["Quiet"], CancellationToken.None));
        Assert.True(LockScope.MayHoldLocks(types["Locking"], CancellationToken.None));
        Assert.False(LockScope.MayHoldLocks(types["AlsoQuiet"], CancellationToken.None));
    }

    private static bool MayHoldLocks(string member)
    {
        var (compilation, tree) = Compile($$"""
            using System.Threading;
            class C
            {
                object _gate = new object();
                {{member}}
            }
            """);
        var type = compilation.GetTypeByMetadataName("C")!;
        Assert.Same(tree, type.DeclaringSyntaxReferences[0].SyntaxTree);
        return LockScope.MayHoldLocks(type, CancellationToken.None);
    }

    private static (CSharpCompilation Compilation, SyntaxTree Tree) Compile(string source)
    {
        var tree = CSharpSyntaxTree.ParseText(source, new CSharpParseOptions(LanguageVersion.Latest));
        return (CSharpCompilation.Create("T", [tree]), tree);
    }
}
