using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Microsoft.CodeAnalysis.Text;
using Threadwise.Blocking;
using Threadwise.Tests.Infrastructure;

namespace Threadwise.Tests.Robustness;

/// <summary>
/// Runs every Threadwise analyzer and fix outside the test framework, the way a host does, over
/// arbitrary code: analyzer exceptions are caught by the host handler and reported as failures.
/// </summary>
internal static class Harness
{
    // What ImplicitUsings gives the samples (a console app), so they compile on their own here.
    public const string ImplicitUsings = """
        global using System;
        global using System.Collections.Generic;
        global using System.IO;
        global using System.Linq;
        global using System.Net.Http;
        global using System.Threading;
        global using System.Threading.Tasks;
        """;

    private static readonly Lazy<Task<ImmutableArray<MetadataReference>>> References = new(
        () => ReferenceAssemblies.Net.Net80.ResolveAsync(LanguageNames.CSharp, CancellationToken.None));

    public static ImmutableArray<DiagnosticAnalyzer> Analyzers { get; } = typeof(ThreadSleepInAsyncCodeAnalyzer).Assembly.GetTypes()
        .Where(t => typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && !t.IsAbstract && t != typeof(Threadwise.Core.ThreadwiseRules))
        .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    // What a host loads: the exported providers (a rule with several fixes exports one that picks).
    public static ImmutableArray<CodeFixProvider> CodeFixes { get; } = typeof(ThreadSleepInAsyncCodeFixProvider).Assembly.GetTypes()
        .Where(t => typeof(CodeFixProvider).IsAssignableFrom(t) && !t.IsAbstract
                    && t.GetCustomAttributes(typeof(Microsoft.CodeAnalysis.CodeFixes.ExportCodeFixProviderAttribute), false).Length > 0)
        .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
        .ToImmutableArray();

    public static readonly CSharpParseOptions ParseOptions = new(LanguageVersion.Latest);

    public static async Task<CSharpCompilation> CompileAsync(IEnumerable<(string Name, string Text)> sources, OutputKind kind = OutputKind.DynamicallyLinkedLibrary)
    {
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, ParseOptions, path: s.Name)).ToList();
        return CSharpCompilation.Create(
            "Robustness",
            trees,
            await References.Value,
            new CSharpCompilationOptions(kind, nullableContextOptions: NullableContextOptions.Enable, concurrentBuild: true));
    }

    /// <summary>For another target: its reference assemblies and language version (no nullable
    /// context below C# 8).</summary>
    public static async Task<CSharpCompilation> CompileAsync(IEnumerable<(string Name, string Text)> sources, ReferenceAssemblies referenceAssemblies, LanguageVersion languageVersion)
    {
        var parseOptions = new CSharpParseOptions(languageVersion);
        var trees = sources.Select(s => CSharpSyntaxTree.ParseText(s.Text, parseOptions, path: s.Name)).ToList();
        var references = await referenceAssemblies.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        return CSharpCompilation.Create(
            "Legacy",
            trees,
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, concurrentBuild: true));
    }

    /// <summary>Runs every analyzer; analyzer exceptions land in <paramref name="exceptions"/>.</summary>
    public static async Task<ImmutableArray<Diagnostic>> AnalyzeAsync(Compilation compilation, List<string> exceptions, CancellationToken cancellationToken = default)
    {
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            (exception, analyzer, _) =>
            {
                lock (exceptions)
                {
                    exceptions.Add($"{analyzer.GetType().Name}: {exception}");
                }
            },
            concurrentAnalysis: true,
            logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(Analyzers, options).GetAnalyzerDiagnosticsAsync(cancellationToken);
        foreach (var diagnostic in diagnostics.Where(d => d.Id == "AD0001"))
        {
            exceptions.Add(diagnostic.ToString());
        }

        return diagnostics;
    }

    /// <summary>An ad-hoc workspace project holding <paramref name="compilation"/>'s trees, for code fixes.</summary>
    public static Project ProjectFor(Compilation compilation, out AdhocWorkspace workspace)
    {
        workspace = new AdhocWorkspace();
        var project = workspace.AddProject(ProjectInfo.Create(
            ProjectId.CreateNewId(),
            VersionStamp.Create(),
            "Robustness",
            "Robustness",
            LanguageNames.CSharp,
            compilationOptions: compilation.Options,
            parseOptions: compilation.SyntaxTrees.FirstOrDefault()?.Options ?? ParseOptions,
            metadataReferences: compilation.References));
        foreach (var tree in compilation.SyntaxTrees)
        {
            project = project.AddDocument(tree.FilePath, tree.GetText(), filePath: tree.FilePath).Project;
        }

        return project;
    }

    /// <summary>The first code action every provider registers for <paramref name="diagnostic"/>.</summary>
    public static async Task<List<CodeAction>> FixesForAsync(Document document, Diagnostic diagnostic, CancellationToken cancellationToken = default)
    {
        var actions = new List<CodeAction>();
        foreach (var provider in CodeFixes.Where(p => p.FixableDiagnosticIds.Contains(diagnostic.Id)))
        {
            var context = new CodeFixContext(document, diagnostic, (action, _) => actions.Add(action), cancellationToken);
            await provider.RegisterCodeFixesAsync(context);
        }

        return actions;
    }

    /// <summary>The diagnostic re-anchored in the workspace document (same span, same tree path).</summary>
    public static Diagnostic InDocument(Diagnostic diagnostic, SyntaxTree tree)
        => Diagnostic.Create(
            diagnostic.Descriptor,
            Location.Create(tree, diagnostic.Location.SourceSpan),
            diagnostic.AdditionalLocations,
            diagnostic.Properties,
            diagnostic.GetMessage());

    public static IEnumerable<(string Name, string Text)> SampleSources()
        => Directory.GetFiles(RepoPaths.UnfixedSamples, "*.cs")
            .OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f)))
            .Append(("GlobalUsings.cs", ImplicitUsings));

    public static IEnumerable<(string Name, string Text)> CorpusSources(int lines)
    {
        var directory = Path.Combine(Path.GetTempPath(), "threadwise-robustness-corpus-" + lines);
        Threadwise.Bench.CorpusGenerator.Generate(directory, lines);
        return Directory.GetFiles(directory, "*.cs").OrderBy(f => f, StringComparer.Ordinal).Select(f => (Path.GetFileName(f), File.ReadAllText(f)));
    }
}
