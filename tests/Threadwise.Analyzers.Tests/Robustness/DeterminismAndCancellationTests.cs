using System.Diagnostics;

namespace Threadwise.Tests.Robustness;

public class DeterminismAndCancellationTests
{
    [Fact]
    public async Task ConcurrentRuns_ReportTheSameDiagnostics()
    {
        var sources = Harness.SampleSources().Concat(Harness.CorpusSources(6000)).ToList();
        var first = await RunAsync(sources);
        var second = await RunAsync(sources);
        Assert.NotEmpty(first);
        var onlyFirst = first.Except(second).ToList();
        var onlySecond = second.Except(first).ToList();
        Assert.True(
            onlyFirst.Count == 0 && onlySecond.Count == 0 && first.Count == second.Count,
            $"runs differ:\nonly in the first:\n{string.Join("\n", onlyFirst)}\nonly in the second:\n{string.Join("\n", onlySecond)}");
    }

    [Fact]
    public async Task CancelledAnalysis_StopsPromptly_WithOnlyOperationCanceled()
    {
        var compilation = await Harness.CompileAsync(Harness.CorpusSources(30000));
        var exceptions = new List<string>();
        using var cancellation = new CancellationTokenSource(TimeSpan.FromMilliseconds(200));
        var stopwatch = Stopwatch.StartNew();
        try
        {
            await Harness.AnalyzeAsync(compilation, exceptions, cancellation.Token);
        }
        catch (OperationCanceledException)
        {
            // expected when the analysis outlives the token
        }

        stopwatch.Stop();
        Assert.Empty(exceptions);
        Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(30), $"cancellation took {stopwatch.Elapsed}");
    }

    private static async Task<List<string>> RunAsync(IEnumerable<(string Name, string Text)> sources)
    {
        var compilation = await Harness.CompileAsync(sources, Microsoft.CodeAnalysis.OutputKind.ConsoleApplication);
        var exceptions = new List<string>();
        var diagnostics = await Harness.AnalyzeAsync(compilation, exceptions);
        Assert.Empty(exceptions);
        return diagnostics.Select(d => d.ToString()).OrderBy(s => s, StringComparer.Ordinal).ToList();
    }
}
