using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Threadwise.Configuration;
using Threadwise.Core;
using Threadwise.Joins;
using Threadwise.Tests.Infrastructure;

namespace Threadwise.Tests.Configuration;

public class PeerPragmaSuppressorTests
{
    // A finding inside `#pragma warning disable` of a peer rule for the same mistake is suppressed
    // (still listed, with the reason); before the pragma, after its restore, or under an unrelated
    // pragma it is not.
    [Fact]
    public async Task FindingsWhereAPeerRuleIsDisabled_AreSuppressed()
    {
        var diagnostics = await RunAsync("""
            using System.Threading.Tasks;

            class C
            {
                void M()
                {
                    Task.Delay(1);
            #pragma warning disable MA0134 // fire and forget on purpose
                    Task.Delay(2);
            #pragma warning restore MA0134
                    Task.Delay(3);
            #pragma warning disable 4014, CA1000
                    Task.Delay(4);
            #pragma warning restore 4014
            #pragma warning disable CA2012
                    Task.Delay(5);
                }
            }
            """);

        var byLine = diagnostics.Where(d => d.Id == "TW4002")
            .ToDictionary(d => d.Location.GetLineSpan().StartLinePosition.Line + 1, d => d.IsSuppressed);
        Assert.Equal(new Dictionary<int, bool> { [7] = false, [9] = true, [11] = false, [13] = true, [16] = false }, byLine);
    }

    [Fact]
    public void ThePeerTable_MatchesTheDocs()
    {
        var documented = new Dictionary<string, string[]>();
        foreach (var line in File.ReadLines(Path.Combine(RepoPaths.Root, "docs", "peer-rules.md")))
        {
            var row = Regex.Match(line, @"^\| \[(TW\d{4})\]\(rules/TW\d{4}\.md\)[^|]*\| (.*) \|$");
            if (row.Success && row.Groups[2].Value != "—")
            {
                documented[row.Groups[1].Value] = Regex.Matches(row.Groups[2].Value, @"([A-Za-z]+\d+) \(").Select(m => m.Groups[1].Value).ToArray();
            }
        }

        Assert.Equal(
            documented.OrderBy(e => e.Key).Select(e => e.Key + ": " + string.Join(",", e.Value)),
            PeerRules.ByRule.OrderBy(e => e.Key).Select(e => e.Key + ": " + string.Join(",", e.Value)));
    }

    private static async Task<ImmutableArray<Diagnostic>> RunAsync(string source)
    {
        var references = await ReferenceAssemblies.Net.Net80.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        var compilation = CSharpCompilation.Create(
            "Test",
            new[] { CSharpSyntaxTree.ParseText(source, path: "Test.cs") },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(new TaskDroppedAnalyzer(), new PeerPragmaSuppressor());
        var options = new CompilationWithAnalyzersOptions(new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), null, concurrentAnalysis: false, logAnalyzerExecutionTime: false, reportSuppressedDiagnostics: true);
        return await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync(CancellationToken.None);
    }
}
