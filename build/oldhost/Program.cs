using System.Collections.Immutable;
using System.Reflection;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

// Usage: Threadwise.OldHost <dir with the packed DLLs> <sample dir> <expected findings file>
// Loads Threadwise.Analyzers.dll and Threadwise.CodeFixes.dll through AnalyzerFileReference on
// Roslyn 4.8, analyses the sample, compares the findings with the SDK build's, and has every
// exported fix provider register (and apply) its fixes. Exit code 1 on any difference.
if (args.Length != 3)
{
    Console.Error.WriteLine("usage: Threadwise.OldHost <analyzers dir> <sample dir> <expected findings>");
    return 2;
}

var (dllDir, sampleDir, expectedPath) = (args[0], args[1], args[2]);
Console.WriteLine($"host: Microsoft.CodeAnalysis {typeof(Compilation).Assembly.GetName().Version}");
var failures = new List<string>();
var loader = new FileLoader();
var analyzerReference = new AnalyzerFileReference(Path.Combine(dllDir, "Threadwise.Analyzers.dll"), loader);
var fixesReference = new AnalyzerFileReference(Path.Combine(dllDir, "Threadwise.CodeFixes.dll"), loader);
analyzerReference.AnalyzerLoadFailed += (_, e) => failures.Add($"analyzer load failed: {e.Message} {e.Exception}");
fixesReference.AnalyzerLoadFailed += (_, e) => failures.Add($"code fixes load failed: {e.Message} {e.Exception}");
var analyzers = analyzerReference.GetAnalyzers(LanguageNames.CSharp);
Console.WriteLine($"analyzers loaded: {analyzers.Length}");

var compilation = Compile(sampleDir);
var compileErrors = compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
foreach (var error in compileErrors.Take(5))
{
    failures.Add("the sample does not compile on this host: " + error);
}

var options = new CompilationWithAnalyzersOptions(
    new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
    (exception, analyzer, _) => failures.Add($"{analyzer.GetType().Name} threw: {exception}"),
    concurrentAnalysis: true,
    logAnalyzerExecutionTime: false);
var diagnostics = (await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync())
    .Where(d => d.Id.StartsWith("TW", StringComparison.Ordinal) || d.Id == "AD0001")
    .ToList();
failures.AddRange(diagnostics.Where(d => d.Id == "AD0001").Select(d => d.ToString()));

var found = diagnostics.Where(d => d.Location.IsInSource).Select(Finding).ToHashSet();
var expected = File.ReadAllLines(expectedPath).Where(l => l.Length > 0).ToHashSet();
foreach (var missing in expected.Except(found).Order())
{
    failures.Add("the SDK build reports, this host does not: " + missing);
}

foreach (var extra in found.Except(expected).Order())
{
    failures.Add("this host reports, the SDK build does not: " + extra);
}

Console.WriteLine($"findings: {found.Count} here, {expected.Count} in the SDK build");

// Every exported fix provider loads, registers fixes for the findings it fixes, and one of them applies.
var providers = fixesReference.GetAssembly().GetTypes()
    .Where(t => typeof(CodeFixProvider).IsAssignableFrom(t) && !t.IsAbstract && t.GetCustomAttributes<ExportCodeFixProviderAttribute>().Any())
    .Select(t => (CodeFixProvider)Activator.CreateInstance(t)!)
    .ToList();
using var workspace = new AdhocWorkspace();
var project = workspace.AddProject(ProjectInfo.Create(
    ProjectId.CreateNewId(), VersionStamp.Create(), "Unfixed", "Unfixed", LanguageNames.CSharp,
    compilationOptions: compilation.Options, parseOptions: compilation.SyntaxTrees[0].Options, metadataReferences: compilation.References));
foreach (var tree in compilation.SyntaxTrees)
{
    project = project.AddDocument(tree.FilePath, tree.GetText(), filePath: tree.FilePath).Project;
}

var errorsBefore = compileErrors.Count;
var offered = 0;
foreach (var provider in providers)
{
    var actions = new List<CodeAction>();
    foreach (var diagnostic in diagnostics.Where(d => provider.FixableDiagnosticIds.Contains(d.Id) && d.Location.IsInSource))
    {
        var document = project.Documents.First(d => d.FilePath == diagnostic.Location.SourceTree!.FilePath);
        var tree = await document.GetSyntaxTreeAsync();
        var anchored = Diagnostic.Create(diagnostic.Descriptor, Location.Create(tree!, diagnostic.Location.SourceSpan), diagnostic.AdditionalLocations, diagnostic.Properties, diagnostic.GetMessage());
        await provider.RegisterCodeFixesAsync(new CodeFixContext(document, anchored, (action, _) => actions.Add(action), CancellationToken.None));
    }

    Console.WriteLine($"  {provider.GetType().Name}: {actions.Count} fixes offered ({string.Join(", ", provider.FixableDiagnosticIds)})");
    offered += actions.Count;
    if (actions.Count == 0)
    {
        failures.Add($"{provider.GetType().Name} offers no fix on the sample");
        continue;
    }

    var changed = (await actions[0].GetOperationsAsync(CancellationToken.None)).OfType<ApplyChangesOperation>().Single().ChangedSolution;
    var fixedCompilation = await changed.GetProject(project.Id)!.GetCompilationAsync();
    var errorsAfter = fixedCompilation!.GetDiagnostics().Count(d => d.Severity == DiagnosticSeverity.Error);
    if (errorsAfter > errorsBefore)
    {
        failures.Add($"{provider.GetType().Name}: '{actions[0].Title}' adds compile errors on this host");
    }
}

Console.WriteLine($"fix providers loaded: {providers.Count}, fixes offered: {offered}");
foreach (var failure in failures)
{
    Console.Error.WriteLine("OLD HOST: " + failure);
}

return failures.Count == 0 ? 0 : 1;

static string Finding(Diagnostic d)
{
    var span = d.Location.GetLineSpan();
    return $"{Path.GetFileName(span.Path)}({span.StartLinePosition.Line + 1},{span.StartLinePosition.Character + 1}): {d.Id}";
}

static CSharpCompilation Compile(string sampleDir)
{
    // The SDK's implicit usings for a console app, as the sample's build generates them.
    const string implicitUsings = "global using System;global using System.Collections.Generic;global using System.IO;global using System.Linq;global using System.Net.Http;global using System.Threading;global using System.Threading.Tasks;";
    var parse = new CSharpParseOptions(LanguageVersion.Latest);
    var trees = Directory.GetFiles(sampleDir, "*.cs")
        .Order(StringComparer.Ordinal)
        .Select(path => CSharpSyntaxTree.ParseText(File.ReadAllText(path), parse, path: path))
        .Append(CSharpSyntaxTree.ParseText(implicitUsings.Replace(";global", ";\nglobal"), parse, path: "GlobalUsings.g.cs"))
        .ToList();
    var references = ReferencePack().Select(path => MetadataReference.CreateFromFile(path));
    return CSharpCompilation.Create("Unfixed", trees, references, new CSharpCompilationOptions(OutputKind.ConsoleApplication, nullableContextOptions: NullableContextOptions.Enable));
}

// The net10.0 reference assemblies of the SDK running this tool.
static IEnumerable<string> ReferencePack()
{
    var dotnetRoot = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
    var packs = Path.Combine(dotnetRoot, "packs", "Microsoft.NETCore.App.Ref");
    var version = Directory.GetDirectories(packs).Where(d => Path.GetFileName(d).StartsWith("10.", StringComparison.Ordinal)).Order(StringComparer.Ordinal).Last();
    return Directory.GetFiles(Path.Combine(version, "ref", "net10.0"), "*.dll");
}

internal sealed class FileLoader : IAnalyzerAssemblyLoader
{
    public void AddDependencyLocation(string fullPath)
    {
    }

    public Assembly LoadFromPath(string fullPath) => Assembly.LoadFrom(fullPath);
}
