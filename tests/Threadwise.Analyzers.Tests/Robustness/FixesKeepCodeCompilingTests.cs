using Microsoft.CodeAnalysis;

namespace Threadwise.Tests.Robustness;

/// <summary>
/// Applying Threadwise's fixes, one after another until none is left to apply, to the unfixed
/// samples and to a generated corpus adds no compiler error.
/// </summary>
public class FixesKeepCodeCompilingTests
{
    [Fact]
    public Task UnfixedSamples_StillCompile_AfterEveryFix()
        => ApplyEveryFixAsync(Harness.SampleSources(), OutputKind.ConsoleApplication, minimumFixes: 20);

    [Fact]
    public Task GeneratedCorpus_StillCompiles_AfterEveryFix()
        => ApplyEveryFixAsync(Harness.CorpusSources(4000), OutputKind.DynamicallyLinkedLibrary, minimumFixes: 5);

    private static async Task ApplyEveryFixAsync(IEnumerable<(string Name, string Text)> sources, OutputKind kind, int minimumFixes)
        => await ApplyEveryFixAsync(await Harness.CompileAsync(sources, kind), minimumFixes);

    /// <summary>Applies every fix, one after another, to <paramref name="compilation"/>; each must add no error.</summary>
    internal static async Task ApplyEveryFixAsync(Compilation compilation, int minimumFixes)
    {
        var errorsBefore = Errors(compilation);
        var monitorMismatchesBefore = MonitorMismatches(compilation);
        var locksOnAcquireApisBefore = LocksOnAcquireApis(compilation);
        var project = Harness.ProjectFor(compilation, out var workspace);
        using (workspace)
        {
            var unfixable = new HashSet<string>();
            var applied = 0;
            var history = new List<string>();
            for (var iteration = 0; ; iteration++)
            {
                // Each fix removes a finding; a pass that keeps finding something to fix has a fix
                // that does not remove its own finding (or two that undo each other).
                Assert.True(iteration < 400, "the fixes do not converge; the last applied:\n" + string.Join("\n", history.Skip(history.Count - 6)));

                var current = (await project.GetCompilationAsync())!;
                var exceptions = new List<string>();
                var diagnostics = (await Harness.AnalyzeAsync(current, exceptions))
                    .Where(d => d.Id.StartsWith("TW", StringComparison.Ordinal) && d.Location.IsInSource)
                    .OrderBy(d => d.Location.SourceTree!.FilePath, StringComparer.Ordinal)
                    .ThenBy(d => d.Location.SourceSpan.Start)
                    .ToList();
                Assert.Empty(exceptions);

                var next = await FirstFixableAsync(project, diagnostics, unfixable);
                if (next is null)
                {
                    break;
                }

                var (document, action, diagnostic) = next.Value;
                var operations = await action.GetOperationsAsync(CancellationToken.None);
                var changed = operations.OfType<Microsoft.CodeAnalysis.CodeActions.ApplyChangesOperation>().Single().ChangedSolution;
                project = changed.GetProject(project.Id)!;
                applied++;
                history.Add($"'{action.Title}' for {diagnostic}");

                var compiled = (await project.GetCompilationAsync())!;
                var added = Errors(compiled).Except(errorsBefore).ToList();
                Assert.True(
                    added.Count == 0,
                    $"the fix '{action.Title}' for {diagnostic} added errors:\n{string.Join("\n", compiled.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).Select(d => d.ToString() + " :: " + d.Location.SourceTree?.GetText().Lines[d.Location.GetLineSpan().StartLinePosition.Line]))}");
                var mismatched = MonitorMismatches(compiled).Except(monitorMismatchesBefore).ToList();
                Assert.True(mismatched.Count == 0, $"the fix '{action.Title}' for {diagnostic} left Monitor calls on another object than their lock:\n{string.Join("\n", mismatched)}");
                var excludingNothing = LocksOnAcquireApis(compiled).Except(locksOnAcquireApisBefore).ToList();
                Assert.True(excludingNothing.Count == 0, $"the fix '{action.Title}' for {diagnostic} locked an object that has its own acquire API (the lock excludes nothing):\n{string.Join("\n", excludingNothing)}");
            }

            Assert.True(applied >= minimumFixes, $"only {applied} fixes were applied");
        }
    }

    private static async Task<(Document, Microsoft.CodeAnalysis.CodeActions.CodeAction, Diagnostic)?> FirstFixableAsync(Project project, List<Diagnostic> diagnostics, HashSet<string> unfixable)
    {
        foreach (var diagnostic in diagnostics)
        {
            var key = $"{diagnostic.Id}|{diagnostic.Location.SourceTree!.FilePath}|{diagnostic.GetMessage()}|{diagnostic.Location.SourceSpan}";
            if (unfixable.Contains(key))
            {
                continue;
            }

            var document = project.Documents.First(d => d.FilePath == diagnostic.Location.SourceTree!.FilePath);
            var actions = await Harness.FixesForAsync(document, diagnostic);
            if (actions.Count > 0)
            {
                return (document, actions[0], diagnostic);
            }

            unfixable.Add(key);
        }

        return null;
    }

    // `lock (rwLock)` on a ReaderWriterLockSlim, SemaphoreSlim, Mutex...: compiles, excludes nothing
    // the object's own Enter*/Wait regions hold.
    private static HashSet<string> LocksOnAcquireApis(Compilation compilation)
    {
        var result = new HashSet<string>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            var model = compilation.GetSemanticModel(tree);
            foreach (var statement in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.LockStatementSyntax>())
            {
                if (model.GetTypeInfo(statement.Expression).Type is { Name: "ReaderWriterLockSlim" or "ReaderWriterLock" or "SemaphoreSlim" or "Semaphore" or "Mutex" } type
                    && type.ContainingNamespace?.ToDisplayString() == "System.Threading")
                {
                    result.Add($"{tree.FilePath}: lock ({statement.Expression}) on a {type.Name}");
                }
            }
        }

        return result;
    }

    // Monitor.Wait/Pulse/PulseAll/Exit inside `lock (x)` must name x: on any other object they throw
    // SynchronizationLockException (or release a lock the thread does not hold).
    private static HashSet<string> MonitorMismatches(Compilation compilation)
    {
        var result = new HashSet<string>();
        foreach (var tree in compilation.SyntaxTrees)
        {
            foreach (var invocation in tree.GetRoot().DescendantNodes().OfType<Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax>())
            {
                if (invocation.Expression is not Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax { Expression: var receiver, Name.Identifier.ValueText: "Wait" or "Pulse" or "PulseAll" or "Exit" } member
                    || receiver.ToString() != "Monitor"
                    || invocation.ArgumentList.Arguments.Count == 0
                    || invocation.FirstAncestorOrSelf<Microsoft.CodeAnalysis.CSharp.Syntax.LockStatementSyntax>() is not { } enclosing)
                {
                    continue;
                }

                var used = invocation.ArgumentList.Arguments[0].Expression.ToString();
                if (used != enclosing.Expression.ToString())
                {
                    result.Add($"{tree.FilePath}: lock ({enclosing.Expression}) {{ Monitor.{member.Name}({used}) }}");
                }
            }
        }

        return result;
    }

    // Errors by id and message (not position: fixes move code around).
    private static HashSet<string> Errors(Compilation compilation)
        => compilation.GetDiagnostics()
            .Where(d => d.Severity == DiagnosticSeverity.Error)
            .Select(d => $"{d.Id}: {d.GetMessage()}")
            .ToHashSet();
}
