using System.Collections.Immutable;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using Threadwise.Tests.Robustness;

namespace Threadwise.Tests.Infrastructure;

/// <summary>
/// The fix-test matrix: every fix test's source is also compiled as a .NET Framework 4.8 project on
/// C# 7.3 and a .NET Standard 2.0 project on C# 8, and every fix offered there is applied in turn;
/// none may add a compile error. (Test sources written in newer C# already have errors there; only
/// errors a fix adds count, so a fix that writes <c>new()</c> or <c>using var</c> fails.)
/// </summary>
internal static class LegacyTargets
{
    private static readonly (ReferenceAssemblies References, LanguageVersion Language)[] Targets =
    {
        (References.Net48, LanguageVersion.CSharp7_3),
        (ReferenceAssemblies.NetStandard.NetStandard20, LanguageVersion.CSharp8),
    };

    public static async Task FixesKeepCompilingAsync(IReadOnlyList<string> markedSources)
    {
        var sources = markedSources.Select((source, i) => ($"/0/Test{i}.cs", WithoutMarkup(source))).ToList();
        foreach (var (references, language) in Targets)
        {
            var compilation = await Harness.CompileAsync(sources, references, language);
            await FixesKeepCodeCompilingTests.ApplyEveryFixAsync(compilation, minimumFixes: 0);
        }
    }

    private static string WithoutMarkup(string source)
    {
        TestFileMarkupParser.GetPositionsAndSpans(source, out var output, out ImmutableArray<int> _, out ImmutableDictionary<string, ImmutableArray<TextSpan>> _);
        return output;
    }
}
