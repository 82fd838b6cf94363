using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Threadwise.Tests.Robustness;

/// <summary>
/// `dotnet format analyzers` asks the first diagnostic of each rule for its code action and runs Fix
/// All in the solution with that action's equivalence key — with no key at all when that diagnostic
/// has no fix. Found applying fixes to DotNetty: the first TW4002 sat in an expression-bodied method
/// (no fix there), and none of the other 24 fixable ones were fixed. Fix All without a key must
/// apply the rule's own fix, exactly as Fix All with the rule's key does.
/// </summary>
public class FixAllWithoutAKeyTests
{
    // The first TW4002 (by position) has no fix: an expression-bodied void method. The others do.
    private const string FirstFindingHasNoFix = """
        using System.Threading.Tasks;

        class Channel
        {
            public Task SendAsync() => Task.CompletedTask;

            void Publish() => SendAsync();

            void OnError() { SendAsync(); }

            async Task OnClosedAsync() { SendAsync(); await Task.Yield(); }
        }
        """;

    [Fact]
    public async Task FixAllWithoutAKey_AppliesTheRulesFix_LikeTheRulesKey()
    {
        var compilation = await Harness.CompileAsync(new[] { ("Channel.cs", FirstFindingHasNoFix) });
        var exceptions = new List<string>();
        var diagnostics = await Harness.AnalyzeAsync(compilation, exceptions);
        Assert.Empty(exceptions);

        var project = Harness.ProjectFor(compilation, out var workspace);
        using (workspace)
        {
            var document = project.Documents.Single();
            var tree = await document.GetSyntaxTreeAsync();
            var dropped = diagnostics.Where(d => d.Id == "TW4002").OrderBy(d => d.Location.SourceSpan.Start).Select(d => Harness.InDocument(d, tree!)).ToImmutableArray();
            Assert.Equal(3, dropped.Length);
            Assert.Empty(await Harness.FixesForAsync(document, dropped[0]));

            var provider = Harness.CodeFixes.Single(p => p.FixableDiagnosticIds.Contains("TW4002"));
            var withKey = await FixAllAsync(document, provider, "TW4002", dropped);
            var withoutKey = await FixAllAsync(document, provider, null, dropped);

            Assert.Contains("_ = SendAsync();", withKey);
            Assert.Contains("await SendAsync();", withKey);
            Assert.Equal(withKey, withoutKey);
        }
    }

    [Fact]
    public async Task OnTheSamples_EveryRulesFixAllWithoutAKey_EqualsItWithTheRulesKey()
    {
        var compilation = await Harness.CompileAsync(Harness.SampleSources(), OutputKind.ConsoleApplication);
        var exceptions = new List<string>();
        var diagnostics = await Harness.AnalyzeAsync(compilation, exceptions);
        Assert.Empty(exceptions);

        var project = Harness.ProjectFor(compilation, out var workspace);
        using (workspace)
        {
            var checkedRules = 0;
            foreach (var group in diagnostics.Where(d => d.Location.IsInSource).GroupBy(d => d.Id))
            {
                if (Harness.CodeFixes.FirstOrDefault(p => p.FixableDiagnosticIds.Contains(group.Key)) is not { } provider)
                {
                    continue;
                }

                var inDocuments = new List<Diagnostic>();
                foreach (var diagnostic in group)
                {
                    var document = project.Documents.Single(d => d.FilePath == diagnostic.Location.SourceTree!.FilePath);
                    inDocuments.Add(Harness.InDocument(diagnostic, (await document.GetSyntaxTreeAsync())!));
                }

                var first = project.Documents.Single(d => d.FilePath == inDocuments[0].Location.SourceTree!.FilePath);
                var all = inDocuments.ToImmutableArray();
                Assert.Equal(await FixAllAsync(first, provider, group.Key, all), await FixAllAsync(first, provider, null, all));
                checkedRules++;
            }

            Assert.True(checkedRules >= 10, $"only {checkedRules} rules with fixes found on the samples");
        }
    }

    // What dotnet format does: Fix All in the solution for one diagnostic ID and one key; the text of
    // every document afterwards.
    private static async Task<string> FixAllAsync(Document document, CodeFixProvider provider, string? key, ImmutableArray<Diagnostic> diagnostics)
    {
        var context = new FixAllContext(
            document,
            provider,
            FixAllScope.Solution,
            key!,
            new[] { diagnostics[0].Id },
            new FixedDiagnostics(diagnostics),
            CancellationToken.None);
        var action = await provider.GetFixAllProvider()!.GetFixAsync(context);
        if (action is null)
        {
            return "(no action)";
        }

        var solution = (await action.GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>().Single().ChangedSolution;
        var texts = new List<string>();
        foreach (var changed in solution.Projects.Single().Documents.OrderBy(d => d.FilePath, StringComparer.Ordinal))
        {
            texts.Add(changed.FilePath + "\n" + (await changed.GetTextAsync()).ToString());
        }

        return string.Join("\n", texts);
    }

    private sealed class FixedDiagnostics : FixAllContext.DiagnosticProvider
    {
        private readonly ImmutableArray<Diagnostic> _diagnostics;

        public FixedDiagnostics(ImmutableArray<Diagnostic> diagnostics) => _diagnostics = diagnostics;

        public override Task<IEnumerable<Diagnostic>> GetAllDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);

        public override Task<IEnumerable<Diagnostic>> GetDocumentDiagnosticsAsync(Document document, CancellationToken cancellationToken)
            => Task.FromResult(_diagnostics.Where(d => d.Location.SourceTree?.FilePath == document.FilePath));

        public override Task<IEnumerable<Diagnostic>> GetProjectDiagnosticsAsync(Project project, CancellationToken cancellationToken)
            => Task.FromResult<IEnumerable<Diagnostic>>(_diagnostics);
    }
}
