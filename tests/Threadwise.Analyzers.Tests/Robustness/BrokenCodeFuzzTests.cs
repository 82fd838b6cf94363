using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CSharp;

namespace Threadwise.Tests.Robustness;

/// <summary>
/// Code under edit is broken most of the time. Every analyzer runs over hundreds of mutated files
/// (tokens deleted, lines cut, usings dropped, braces unbalanced — fixed seed), and every fix is
/// asked for and computed on what they report: no exception may escape either.
/// </summary>
public class BrokenCodeFuzzTests
{
    private const int VariantsPerFile = 30;

    [Fact]
    public async Task AnalyzersAndFixes_NeverThrow_OnMutatedCode()
    {
        var sources = Harness.SampleSources().Concat(Harness.CorpusSources(1500)).ToList();
        var random = new Random(1234);
        var exceptions = new List<string>();
        var variants = 0;
        var fixesTried = 0;
        foreach (var (name, text) in sources.Where(s => s.Name != "GlobalUsings.cs"))
        {
            for (var i = 0; i < VariantsPerFile; i++)
            {
                var mutated = Mutate(text, random);
                var compilation = await Harness.CompileAsync(new[] { (name, mutated), ("GlobalUsings.cs", Harness.ImplicitUsings) }, OutputKind.ConsoleApplication);
                var diagnostics = await Harness.AnalyzeAsync(compilation, exceptions);
                variants++;

                // Fixes on every fifth variant keep the suite quick and still cover every provider.
                if (i % 5 == 0)
                {
                    fixesTried += await TryFixesAsync(compilation, diagnostics, exceptions);
                }
            }
        }

        Assert.True(variants >= 200, $"only {variants} variants");
        Assert.True(fixesTried > 0, "no fix was exercised");
        Assert.Empty(exceptions);
    }

    private static async Task<int> TryFixesAsync(Compilation compilation, IEnumerable<Diagnostic> diagnostics, List<string> exceptions)
    {
        var project = Harness.ProjectFor(compilation, out var workspace);
        using (workspace)
        {
            var tried = 0;
            foreach (var diagnostic in diagnostics.Where(d => d.Id.StartsWith("TW", StringComparison.Ordinal) && d.Location.IsInSource).Take(8))
            {
                var document = project.Documents.First(d => d.FilePath == diagnostic.Location.SourceTree!.FilePath);
                var tree = (await document.GetSyntaxTreeAsync())!;
                try
                {
                    foreach (var action in await Harness.FixesForAsync(document, Harness.InDocument(diagnostic, tree)))
                    {
                        await action.GetOperationsAsync(CancellationToken.None);
                        tried++;
                    }
                }
                catch (Exception exception) when (exception is not OperationCanceledException)
                {
                    exceptions.Add($"fix for {diagnostic.Id} at {diagnostic.Location.GetLineSpan()}: {exception}");
                }
            }

            return tried;
        }
    }

    [Fact]
    public async Task AnalyzersAndFixes_NeverThrow_OnEveryTestSnippet_MutatedOnce()
    {
        var snippets = TestSnippets().ToList();
        var random = new Random(4321);
        var exceptions = new List<string>();
        var fixesTried = 0;
        for (var i = 0; i < snippets.Count; i++)
        {
            foreach (var text in new[] { snippets[i], Mutate(snippets[i], random) })
            {
                var compilation = await Harness.CompileAsync(new[] { ("Snippet.cs", text) });
                var diagnostics = await Harness.AnalyzeAsync(compilation, exceptions);
                if (i % 4 == 0)
                {
                    fixesTried += await TryFixesAsync(compilation, diagnostics, exceptions);
                }
            }
        }

        Assert.True(snippets.Count >= 150, $"only {snippets.Count} snippets found");
        Assert.True(fixesTried > 0, "no fix was exercised");
        Assert.Empty(exceptions);
    }

    /// <summary>The C# sources embedded in this project's rule tests (raw string literals), with the
    /// test framework's markup removed.</summary>
    private static IEnumerable<string> TestSnippets()
    {
        var markup = new System.Text.RegularExpressions.Regex(@"\{\|#\d+:|\|\}|\[\||\|\]");
        foreach (var file in Directory.GetFiles(Path.Combine(Infrastructure.RepoPaths.Root, "tests"), "*Tests.cs", SearchOption.AllDirectories).OrderBy(f => f, StringComparer.Ordinal))
        {
            var text = File.ReadAllText(file);
            var parts = text.Split("\"\"\"");
            for (var i = 1; i < parts.Length; i += 2)
            {
                if (parts[i].Contains("class ", StringComparison.Ordinal) || parts[i].Contains("using ", StringComparison.Ordinal))
                {
                    yield return markup.Replace(parts[i], string.Empty);
                }
            }
        }
    }

    /// <summary>One random edit of the kinds an editor produces mid-typing.</summary>
    internal static string Mutate(string text, Random random)
    {
        var lines = text.Split('\n').ToList();
        switch (random.Next(6))
        {
            case 0: // delete a token
                var tokens = CSharpSyntaxTree.ParseText(text).GetRoot().DescendantTokens().ToList();
                var token = tokens[random.Next(tokens.Count)];
                return text.Remove(token.SpanStart, token.Span.Length);
            case 1: // cut a line short
                var index = random.Next(lines.Count);
                lines[index] = lines[index][..random.Next(lines[index].Length + 1)];
                return string.Join('\n', lines);
            case 2: // drop the usings
                return string.Join('\n', lines.Where(l => !l.TrimStart().StartsWith("using ", StringComparison.Ordinal)));
            case 3: // unbalance braces
                var braces = Enumerable.Range(0, text.Length).Where(i => text[i] is '{' or '}').ToList();
                return braces.Count == 0 ? text : text.Remove(braces[random.Next(braces.Count)], 1);
            case 4: // delete a line
                lines.RemoveAt(random.Next(lines.Count));
                return string.Join('\n', lines);
            default: // type something half-finished
                var at = random.Next(lines.Count);
                lines.Insert(at, new[] { "await ", "Task.Run(() => ", "lock (", "Thread.Sleep(", ".Result", "new Thread(" }[random.Next(6)]);
                return string.Join('\n', lines);
        }
    }
}
