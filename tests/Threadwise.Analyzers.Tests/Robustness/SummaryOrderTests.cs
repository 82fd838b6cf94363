using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Threadwise.Core;

namespace Threadwise.Tests.Robustness;

/// <summary>
/// Interprocedural summaries must not depend on which method is asked about first: concurrent
/// analysis asks in any order, and a summary cut at a recursion cycle and cached would make the
/// build's findings vary from run to run.
/// </summary>
public class SummaryOrderTests
{
    private const string Source = """
        using System.IO;
        using System.Threading;

        class C
        {
            private readonly object _a = new();
            private readonly object _b = new();

            void A(int n) { if (n > 0) B(n - 1); }
            void B(int n) { if (n > 0) A(n - 1); Near(); }
            void Near() { Far(); }
            void Far() { lock (_a) { } File.ReadAllText("x"); }
            void E(int n) { if (n > 0) A(n); lock (_b) { } }
        }
        """;

    [Theory]
    [InlineData("A", "B", "E")]
    [InlineData("E", "B", "A")]
    [InlineData("B", "E", "A")]
    public async Task BlockingChains_AndLocksTaken_AreTheSame_InAnyOrder(string first, string second, string third)
    {
        var expected = await Describe(new[] { "A", "B", "E" });
        var actual = await Describe(new[] { first, second, third });
        Assert.Equal(expected.OrderBy(x => x, StringComparer.Ordinal), actual.OrderBy(x => x, StringComparer.Ordinal));
        Assert.Contains("A: A -> B -> Near -> Far -> File.ReadAllText", expected.Single(x => x.StartsWith("A:", StringComparison.Ordinal)));
    }

    private static async Task<List<string>> Describe(string[] order)
    {
        var references = await ReferenceAssemblies.Net.Net80.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        var compilation = CSharpCompilation.Create(
            "Order",
            new[] { CSharpSyntaxTree.ParseText(Source, path: "C.cs") },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var type = compilation.GetTypeByMetadataName("C")!;
        var summaries = MethodSummaries.For(compilation, new AnalyzerOptions(System.Collections.Immutable.ImmutableArray<AdditionalText>.Empty));
        var locks = LockSummaries.For(compilation);
        var result = new List<string>();
        foreach (var name in order)
        {
            var method = type.GetMembers(name).OfType<IMethodSymbol>().Single();
            var chain = summaries.GetBlockingChain(method, CancellationToken.None);
            var taken = locks.LocksTakenBy(method, ThreadwiseOptions.MaxInterproceduralDepth, CancellationToken.None)
                .Select(l => l.Lock.Name + "@" + l.Depth).OrderBy(x => x, StringComparer.Ordinal);
            result.Add($"{name}: {chain?.Describe()} | {string.Join(",", taken)}");
        }

        return result;
    }
}
