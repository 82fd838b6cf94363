using System.Collections.Immutable;
using System.Reflection;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Diagnostics;
using Threadwise.Blocking;
using Threadwise.Tests.Infrastructure;

using Threadwise.Core;

namespace Threadwise.Tests;

/// <summary>
/// Keeps the catalog honest: a rule cannot land without its docs page, release row, README row
/// and help link, and every analyzer and fix has the shape DESIGN.md asks for.
/// </summary>
public class CatalogTests
{
    private static readonly Assembly AnalyzerAssembly = typeof(ThreadSleepInAsyncCodeAnalyzer).Assembly;
    private static readonly Assembly CodeFixAssembly = typeof(ThreadSleepInAsyncCodeFixProvider).Assembly;

    public static TheoryData<string> DescriptorIds()
    {
        var data = new TheoryData<string>();
        foreach (var descriptor in AllDescriptors())
        {
            data.Add(descriptor.Id);
        }

        return data;
    }

    public static TheoryData<string> AnalyzerTypes()
    {
        var data = new TheoryData<string>();
        foreach (var type in ConcreteTypes<DiagnosticAnalyzer>(AnalyzerAssembly).Where(t => !typeof(DiagnosticSuppressor).IsAssignableFrom(t) && t != typeof(ThreadwiseRules)))
        {
            data.Add(type.FullName!);
        }

        return data;
    }

    // Suppressors judge findings already reported: no actions, no per-compilation set-up.
    [Fact]
    public void Suppressors_AreSealed_CSharpOnly_AndNamedSo()
    {
        var suppressors = ConcreteTypes<DiagnosticSuppressor>(AnalyzerAssembly).ToList();
        Assert.NotEmpty(suppressors);
        foreach (var type in suppressors)
        {
            Assert.True(type.IsSealed, $"{type.Name} should be sealed");
            Assert.Equal(new[] { LanguageNames.CSharp }, type.GetCustomAttribute<DiagnosticAnalyzerAttribute>()!.Languages);
            Assert.EndsWith("Suppressor", type.Name);
            foreach (var suppression in Create<DiagnosticSuppressor>(type).SupportedSuppressions)
            {
                Assert.Matches(@"^TWS\d{4}$", suppression.Id);
                Assert.Contains(AllDescriptors(), d => d.Id == suppression.SuppressedDiagnosticId);
            }
        }
    }

    [Fact]
    public void Catalog_IsNotEmptyAndIdsAreUnique()
    {
        var ids = AllDescriptors().Select(d => d.Id).ToList();
        Assert.NotEmpty(ids);
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.All(ids, id => Assert.Matches(@"^TW[0-4]\d{3}$", id));
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Descriptor_HasDocsPageWithEverySection(string id)
    {
        var page = Path.Combine(RepoRoot, "docs", "rules", id + ".md");
        Assert.True(File.Exists(page), $"{id} has no docs page at docs/rules/{id}.md");
        var text = File.ReadAllText(page);
        Assert.StartsWith($"# {id}: {Descriptor(id).Title}", text);
        foreach (var section in new[] { "## What it finds", "## Why it matters", "## Before", "## After", "## Options", "## Not flagged", "## Related rules", "## When to suppress" })
        {
            Assert.Contains(section, text);
        }

        Assert.Contains(HasCodeFix(id) ? "## The fix" : "## No fix", text);

        // Users run Threadwise beside other analyzers: every page points to the overlap table.
        Assert.Contains("(../peer-rules.md)", text);
        Assert.Contains($"[{id}](rules/{id}.md)", File.ReadAllText(Path.Combine(RepoRoot, "docs", "peer-rules.md")));
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Descriptor_HelpLinkPointsAtItsDocsPage(string id)
        => Assert.Equal($"{DocsUrlFromBuildProps()}docs/rules/{id}.md", Descriptor(id).HelpLinkUri);

    // The help links are compiled from the one property in Directory.Build.props that also makes
    // the package README's links absolute.
    private static string DocsUrlFromBuildProps()
    {
        var props = System.Xml.Linq.XDocument.Load(Path.Combine(RepoRoot, "Directory.Build.props"));
        var repository = props.Descendants("ThreadwiseRepositoryUrl").Single().Value;
        return props.Descendants("ThreadwiseDocsUrl").Single().Value.Replace("$(ThreadwiseRepositoryUrl)", repository);
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Descriptor_HasReleaseTrackingRowMatchingIt(string id)
    {
        var descriptor = Descriptor(id);
        var rows = ReleaseRows();
        Assert.True(rows.TryGetValue(id, out var row), $"{id} has no row in AnalyzerReleases.*.md");
        Assert.Equal(descriptor.Category, row.Category);
        Assert.Equal(descriptor.DefaultSeverity.ToString(), row.Severity);
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Descriptor_HasReadmeRowMatchingIt(string id)
    {
        var descriptor = Descriptor(id);
        var row = Regex.Match(
            File.ReadAllText(Path.Combine(RepoRoot, "README.md")),
            $@"^\| \[{id}\]\(docs/rules/{id}\.md\) \| (?<title>[^|]+) \| (?<family>[^|]+) \| (?<severity>[^|]+) \| (?<fix>[^|]+) \| (?<where>[^|]+) \|\s*$",
            RegexOptions.Multiline);
        Assert.True(row.Success, $"{id} has no row '| [{id}](docs/rules/{id}.md) | title | family | severity | fix | reported |' in README.md");
        Assert.Equal(descriptor.Title.ToString(), row.Groups["title"].Value.Trim().Replace("`", string.Empty));
        Assert.Equal(FamilyName(id), row.Groups["family"].Value.Trim());
        Assert.Equal(descriptor.DefaultSeverity.ToString(), row.Groups["severity"].Value.Trim());
        Assert.Equal(HasCodeFix(id) ? "Yes" : "No", row.Groups["fix"].Value.Trim());

        // Compilation-end rules report only when the whole compilation is analysed, not as you type.
        var buildOnly = descriptor.CustomTags.Contains(Microsoft.CodeAnalysis.WellKnownDiagnosticTags.CompilationEnd);
        Assert.Equal(buildOnly ? "Build only" : "IDE and build", row.Groups["where"].Value.Trim());
    }

    // The presets never name a rule: an ID entry would outrank the user's category and bulk
    // entries. Recommended adds nothing; Strict and None set each Threadwise category.
    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Descriptor_IsCoveredByEveryPreset_ThroughItsCategory(string id)
    {
        var category = Descriptor(id).Category;
        foreach (var (preset, severity) in new[] { ("Recommended", (string?)null), ("Strict", "warning"), ("None", "none") })
        {
            var path = Path.Combine(RepoRoot, "src", "Threadwise.Package", "buildTransitive", $"Threadwise.{preset}.globalconfig");
            var lines = File.ReadAllLines(path);
            Assert.Contains("is_global = true", lines);
            Assert.Contains("global_level = -1", lines);
            Assert.DoesNotContain(lines, line => line.StartsWith("dotnet_diagnostic.", StringComparison.Ordinal));
            if (severity is null)
            {
                Assert.DoesNotContain(lines, line => line.Contains(".severity", StringComparison.Ordinal));
            }
            else
            {
                Assert.Contains($"dotnet_analyzer_diagnostic.category-{category}.severity = {severity}", lines);
            }
        }
    }

    [Theory]
    [MemberData(nameof(DescriptorIds))]
    public void Descriptor_IsReportedByExactlyOneAnalyzerInItsFamilyFolder(string id)
    {
        var owners = ConcreteTypes<DiagnosticAnalyzer>(AnalyzerAssembly)
            .Where(t => t != typeof(ThreadwiseRules) && Create<DiagnosticAnalyzer>(t).SupportedDiagnostics.Any(d => d.Id == id))
            .ToList();
        var owner = Assert.Single(owners);
        Assert.Equal("Threadwise." + FamilyFolder(id), owner.Namespace);
        Assert.Equal(Descriptor(id).Category, "Threadwise." + FamilyFolder(id));
    }

    [Theory]
    [MemberData(nameof(AnalyzerTypes))]
    public void Analyzer_FollowsTheSharedShape(string typeName)
    {
        var type = AnalyzerAssembly.GetType(typeName)!;
        Assert.True(type.IsSealed, $"{type.Name} should be sealed");
        Assert.EndsWith("Analyzer", type.Name);
        var reportsAtCompilationEnd = Create<DiagnosticAnalyzer>(type).SupportedDiagnostics.Any(d => d.CustomTags.Contains(WellKnownDiagnosticTags.CompilationEnd));
        if (typeof(ThreadwiseAnalyzer).IsAssignableFrom(type) && !reportsAtCompilationEnd)
        {
            // A rule is loaded through the host, once: the compiler must not find it alone as well.
            Assert.Null(type.GetCustomAttribute<DiagnosticAnalyzerAttribute>());
            Assert.Single(ThreadwiseRules.All, rule => rule.GetType() == type);
        }
        else
        {
            // Compilation-end rules stay their own analyzers (the host must stay live in IDEs).
            Assert.Equal(new[] { LanguageNames.CSharp }, type.GetCustomAttribute<DiagnosticAnalyzerAttribute>()!.Languages);
            Assert.DoesNotContain(ThreadwiseRules.All, rule => rule.GetType() == type);
        }

        var recorder = new RecordingAnalysisContext();
        Create<DiagnosticAnalyzer>(type).Initialize(recorder);
        Assert.True(recorder.ConcurrentExecutionEnabled, $"{type.Name} must call EnableConcurrentExecution()");
        // Generated code is skipped (no Analyze); see GeneratedCodeTests for what that means to users.
        Assert.Equal(GeneratedCodeAnalysisFlags.ReportDiagnostics, recorder.GeneratedCodeFlags);
        var analyzer = Create<DiagnosticAnalyzer>(type);
        if (analyzer.SupportedDiagnostics.All(d => d.CustomTags.Contains(WellKnownDiagnosticTags.CompilationEnd))
            && recorder.CompilationStartActions == 0)
        {
            // A compilation-end rule with nothing to collect looks at the finished compilation once.
            Assert.Equal(new[] { "Compilation" }, recorder.OtherRegistrations);
        }
        else
        {
            Assert.True(recorder.CompilationStartActions > 0, $"{type.Name} must resolve its symbols in RegisterCompilationStartAction");
            Assert.Empty(recorder.OtherRegistrations);
        }

        // No per-compilation state in the analyzer itself: it is shared across compilations.
        var mutableFields = type.GetFields(BindingFlags.Instance | BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public)
            .Where(f => !f.IsInitOnly && !f.IsLiteral && !f.Name.Contains("k__BackingField", StringComparison.Ordinal));
        Assert.Empty(mutableFields);
    }

    // The one analyzer the compiler loads for the rules: C#, every rule once, their descriptors as its
    // own, and the shared shape (concurrent, generated code skipped, set-up per compilation).
    [Fact]
    public void TheHost_LoadsEveryRuleOnce()
    {
        Assert.Equal(new[] { LanguageNames.CSharp }, typeof(ThreadwiseRules).GetCustomAttribute<DiagnosticAnalyzerAttribute>()!.Languages);
        static bool IsLive(DiagnosticDescriptor d) => !d.CustomTags.Contains(WellKnownDiagnosticTags.CompilationEnd);
        var ruleTypes = ConcreteTypes<ThreadwiseAnalyzer>(AnalyzerAssembly)
            .Where(t => Create<DiagnosticAnalyzer>(t).SupportedDiagnostics.All(IsLive))
            .OrderBy(t => t.FullName).ToList();
        Assert.Equal(ruleTypes, ThreadwiseRules.All.Select(r => r.GetType()).OrderBy(t => t.FullName));

        // Every descriptor that is not reported at compilation end, and none that is: IDEs leave an
        // analyzer with any compilation-end descriptor out of live analysis.
        var host = new ThreadwiseRules();
        var expected = ThreadwiseRules.All.SelectMany(r => r.SupportedDiagnostics).Select(d => d.Id).Distinct().OrderBy(id => id);
        Assert.Equal(expected, host.SupportedDiagnostics.Select(d => d.Id).OrderBy(id => id));
        Assert.Equal(AllDescriptors().Where(IsLive).Select(d => d.Id).OrderBy(id => id), expected);
        Assert.All(host.SupportedDiagnostics, d => Assert.True(IsLive(d), d.Id));

        var recorder = new RecordingAnalysisContext();
        host.Initialize(recorder);
        Assert.True(recorder.ConcurrentExecutionEnabled);
        Assert.Equal(GeneratedCodeAnalysisFlags.ReportDiagnostics, recorder.GeneratedCodeFlags);
        Assert.Equal(1, recorder.CompilationStartActions);
        Assert.Empty(recorder.OtherRegistrations);
    }

    [Fact]
    public void CodeFixes_HaveFixAllAndExportAndFixKnownIds()
    {
        var ids = AllDescriptors().Select(d => d.Id).ToHashSet();
        var fixes = ConcreteTypes<CodeFixProvider>(CodeFixAssembly).ToList();
        Assert.NotEmpty(fixes);
        var exported = fixes.Where(t => t.GetCustomAttribute<ExportCodeFixProviderAttribute>() is not null).ToList();

        // dotnet format applies one provider's Fix All per diagnostic ID: exactly one exported
        // provider per ID, and every unexported fix is a choice of one of them.
        var exportedIds = exported.SelectMany(t => Create<CodeFixProvider>(t).FixableDiagnosticIds).ToList();
        Assert.Equal(exportedIds.Distinct().Count(), exportedIds.Count);
        var choices = exported.Where(t => typeof(BestFixProvider).IsAssignableFrom(t))
            .SelectMany(t => ((System.Collections.Immutable.ImmutableArray<ThreadwiseCodeFixProvider>)t.GetProperty("Choices", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(Create<CodeFixProvider>(t))!).Select(c => c.GetType()))
            .ToHashSet();
        Assert.All(fixes.Except(exported), type => Assert.Contains(type, choices));

        foreach (var type in fixes)
        {
            Assert.True(type.IsSealed, $"{type.Name} should be sealed");
            if (!exported.Contains(type))
            {
                continue;
            }

            var provider = Create<CodeFixProvider>(type);
            Assert.NotNull(provider.GetFixAllProvider());
            Assert.NotEmpty(provider.FixableDiagnosticIds);
            Assert.All(provider.FixableDiagnosticIds, id =>
            {
                Assert.Contains(id, ids);
                Assert.Equal("Threadwise." + FamilyFolder(id), type.Namespace);
            });
        }
    }

    [Fact]
    public void AnalyzerAssembly_DoesNotReferenceWorkspaces()
    {
        var references = AnalyzerAssembly.GetReferencedAssemblies().Select(a => a.Name).ToList();
        Assert.Contains("Microsoft.CodeAnalysis", references);
        Assert.DoesNotContain(references, name => name!.Contains("Workspaces", StringComparison.Ordinal));
    }

    [Fact]
    public void AnalyzerAssemblies_CompileAgainstRoslyn48()
    {
        foreach (var assembly in new[] { AnalyzerAssembly, CodeFixAssembly })
        {
            var roslyn = assembly.GetReferencedAssemblies().Single(a => a.Name == "Microsoft.CodeAnalysis");
            Assert.Equal(new Version(4, 8, 0, 0), roslyn.Version);
        }
    }

    // Every host the README promises must be able to load both assemblies: nothing they reference
    // may be newer than what a Roslyn 4.8 host (Visual Studio 2022 17.8) ships.
    [Fact]
    public void AnalyzerAssemblies_ReferenceNothingNewerThanARoslyn48Host()
    {
        var ceilings = new (string Prefix, Version Max)[]
        {
            ("Microsoft.CodeAnalysis", new Version(4, 8, 0, 0)),
            ("System.Collections.Immutable", new Version(7, 0, 0, 0)),
            ("System.Reflection.Metadata", new Version(7, 0, 0, 0)),
            ("System.Composition", new Version(7, 0, 0, 0)),
            ("netstandard", new Version(2, 0, 0, 0)),
            ("Threadwise.Analyzers", new Version(int.MaxValue, 0)),
        };
        foreach (var path in new[] { AnalyzerAssembly.Location, CodeFixAssembly.Location })
        {
            using var stream = File.OpenRead(path);
            using var reader = new System.Reflection.PortableExecutable.PEReader(stream);
            var metadata = System.Reflection.Metadata.PEReaderExtensions.GetMetadataReader(reader);
            foreach (var handle in metadata.AssemblyReferences)
            {
                var reference = metadata.GetAssemblyReference(handle);
                var name = metadata.GetString(reference.Name);
                var ceiling = ceilings.FirstOrDefault(c => name.StartsWith(c.Prefix, StringComparison.Ordinal));
                Assert.True(ceiling.Prefix is not null, $"{Path.GetFileName(path)} references {name} {reference.Version}, which a Roslyn 4.8 host may not provide");
                Assert.True(reference.Version <= ceiling.Max, $"{Path.GetFileName(path)} references {name} {reference.Version} (a Roslyn 4.8 host provides {ceiling.Max})");
            }
        }
    }

    [Fact]
    public void Core_HoldsTheSharedModel()
    {
        var core = AnalyzerAssembly.GetTypes().Where(t => t.Namespace == "Threadwise.Core").Select(t => t.Name).ToHashSet();
        Assert.Contains("KnownSymbols", core);
        Assert.Contains("AsyncContext", core);
        Assert.True(Directory.Exists(Path.Combine(RepoRoot, "src", "Threadwise.Analyzers", "Core")));
    }

    private static string RepoRoot => RepoPaths.Root;

    private static IEnumerable<DiagnosticDescriptor> AllDescriptors()
        => typeof(Descriptors).GetFields(BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic)
            .Where(f => f.FieldType == typeof(DiagnosticDescriptor))
            .Select(f => (DiagnosticDescriptor)f.GetValue(null)!);

    private static DiagnosticDescriptor Descriptor(string id) => AllDescriptors().Single(d => d.Id == id);

    private static bool HasCodeFix(string id)
        => ConcreteTypes<CodeFixProvider>(CodeFixAssembly).Any(t => Create<CodeFixProvider>(t).FixableDiagnosticIds.Contains(id));

    private static string FamilyFolder(string id) => id[2] switch
    {
        '0' => "Configuration",
        '1' => "Blocking",
        '2' => "SharedState",
        '3' => "ThreadPool",
        '4' => "Joins",
        _ => throw new ArgumentException(id),
    };

    private static string FamilyName(string id) => id[2] switch
    {
        '0' => "Configuration",
        '1' => "Blocking",
        '2' => "Shared state",
        '3' => "Thread pool",
        '4' => "Joins",
        _ => throw new ArgumentException(id),
    };

    private static Dictionary<string, (string Category, string Severity)> ReleaseRows()
    {
        var rows = new Dictionary<string, (string, string)>();
        foreach (var file in new[] { "AnalyzerReleases.Shipped.md", "AnalyzerReleases.Unshipped.md" })
        {
            foreach (var line in File.ReadLines(Path.Combine(RepoRoot, "src", "Threadwise.Analyzers", file)))
            {
                var cells = line.Split('|').Select(c => c.Trim()).ToArray();
                if (cells.Length >= 3 && Regex.IsMatch(cells[0], @"^TW\d{4}$"))
                {
                    rows[cells[0]] = (cells[1], cells[2]);
                }
            }
        }

        return rows;
    }

    private static IEnumerable<Type> ConcreteTypes<T>(Assembly assembly)
        => assembly.GetTypes().Where(t => typeof(T).IsAssignableFrom(t) && !t.IsAbstract);

    private static T Create<T>(Type type) => (T)Activator.CreateInstance(type)!;
}
