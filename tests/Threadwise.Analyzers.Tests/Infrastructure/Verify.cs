using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Testing;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;

namespace Threadwise.Tests.Infrastructure;

/// <summary>Runs one analyzer (and its fix) over test sources the way the IDE would.</summary>
public static class Verify<TAnalyzer>
    where TAnalyzer : DiagnosticAnalyzer, new()
{
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    /// <summary>Asserts exactly <paramref name="expected"/> are reported; the markup
    /// <c>{|#0:...|}</c> or <c>[|...|]</c> in the source places them.</summary>
    public static Task AnalyzerAsync(string source, params DiagnosticResult[] expected)
        => References.OnModernTargetsAsync(references => AnalyzerAsync(source, references, expected));

    public static async Task AnalyzerAsync(string source, ReferenceAssemblies references, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest { TestCode = source, ReferenceAssemblies = references };
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    /// <summary>With <paramref name="library"/> compiled (optimized, as a package ships) into an
    /// assembly the source references as metadata: what the analyzer sees of a NuGet dependency.</summary>
    public static Task AnalyzerWithLibraryAsync(string source, string library, params DiagnosticResult[] expected)
        => References.OnModernTargetsAsync(async references =>
        {
            var test = new AnalyzerTest { TestCode = source, ReferenceAssemblies = references };
            test.TestState.AdditionalReferences.Add(await CompileLibraryAsync(library, references));
            test.ExpectedDiagnostics.AddRange(expected);
            await test.RunAsync();
        });

    private static async Task<MetadataReference> CompileLibraryAsync(string library, ReferenceAssemblies references)
    {
        var compilation = CSharpCompilation.Create(
            "Library",
            new[] { CSharpSyntaxTree.ParseText(library, new CSharpParseOptions(LanguageVersion.Latest)) },
            await references.ResolveAsync(LanguageNames.CSharp, CancellationToken.None),
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, optimizationLevel: OptimizationLevel.Release, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        if (!emitted.Success)
        {
            throw new InvalidOperationException("The test library does not compile: " + string.Join("; ", emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        }

        return MetadataReference.CreateFromImage(image.ToArray());
    }

    /// <summary>With <c>.editorconfig</c> lines (under <c>[*.cs]</c>) applied to the source.</summary>
    public static Task AnalyzerWithConfigAsync(string source, string editorConfig, params DiagnosticResult[] expected)
        => References.OnModernTargetsAsync(async references =>
        {
            var test = new AnalyzerTest { TestCode = source, ReferenceAssemblies = references };
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + editorConfig + "\n"));
            test.ExpectedDiagnostics.AddRange(expected);
            await test.RunAsync();
        });

    /// <summary>As in a project that builds the source for every framework of <paramref name="targetFrameworks"/>
    /// (<c>netstandard2.0;net8.0</c>): the MSBuild properties the package makes visible, the current
    /// framework being the reference assemblies' own.</summary>
    public static Task AnalyzerMultiTargetedAsync(string source, string targetFrameworks, params DiagnosticResult[] expected)
        => References.OnModernTargetsAsync(async references =>
        {
            var test = new AnalyzerTest { TestCode = source, ReferenceAssemblies = references };
            test.TestState.AnalyzerConfigFiles.Add(References.MultiTargetConfig(targetFrameworks, references));
            test.ExpectedDiagnostics.AddRange(expected);
            await test.RunAsync();
        });

    /// <summary>Several documents (<c>/0/Test0.cs</c>, <c>/0/Test1.cs</c>, ...), optionally with
    /// <c>.editorconfig</c> lines.</summary>
    public static Task AnalyzerAsync(string[] sources, string? editorConfig, params DiagnosticResult[] expected)
        => References.OnModernTargetsAsync(references => AnalyzerAsync(sources, editorConfig, references, expected));

    private static async Task AnalyzerAsync(string[] sources, string? editorConfig, ReferenceAssemblies references, DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest { ReferenceAssemblies = references };
        for (var i = 0; i < sources.Length; i++)
        {
            test.TestState.Sources.Add(($"/0/Test{i}.cs", sources[i]));
        }

        if (editorConfig is not null)
        {
            test.TestState.AnalyzerConfigFiles.Add(("/.editorconfig", "root = true\n\n[*.cs]\n" + editorConfig + "\n"));
        }

        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    /// <summary>For code that does not compile: compiler errors are expected and ignored; only
    /// Threadwise's diagnostics are compared (and the analyzer must not throw).</summary>
    public static async Task BrokenCodeAsync(string source, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest
        {
            TestCode = source,
            ReferenceAssemblies = References.Net80,
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    /// <summary>Code under edit, in a multi-targeted project (see <see cref="AnalyzerMultiTargetedAsync"/>).</summary>
    public static async Task BrokenCodeMultiTargetedAsync(string source, string targetFrameworks, params DiagnosticResult[] expected)
    {
        var test = new AnalyzerTest
        {
            TestCode = source,
            ReferenceAssemblies = References.Net80,
            CompilerDiagnostics = CompilerDiagnostics.None,
        };
        test.TestState.AnalyzerConfigFiles.Add(References.MultiTargetConfig(targetFrameworks, References.Net80));
        test.ExpectedDiagnostics.AddRange(expected);
        await test.RunAsync();
    }

    private sealed class AnalyzerTest : CSharpAnalyzerTest<TAnalyzer, DefaultVerifier>
    {
        public AnalyzerTest() => SolutionTransforms.Add(References.UseLatestLanguageVersion);
    }
}

/// <summary>Runs an analyzer and its fix, single and Fix All, and compares the result.</summary>
public static class Verify<TAnalyzer, TCodeFix>
    where TAnalyzer : DiagnosticAnalyzer, new()
    where TCodeFix : CodeFixProvider, new()
{
    public static DiagnosticResult Diagnostic(DiagnosticDescriptor descriptor) => new(descriptor);

    public static Task CodeFixAsync(string source, string fixedSource, params DiagnosticResult[] expected)
        => CodeFixAsync(new[] { source }, new[] { fixedSource }, expected);

    /// <summary>A fix whose result is reported again by the same rule (a caller now blocks): the
    /// diagnostics left in the fixed code are given in <paramref name="remaining"/>.</summary>
    public static async Task CodeFixAsync(string source, string fixedSource, DiagnosticResult[] expected, DiagnosticResult[] remaining, int? iterations = null)
    {
        await References.OnModernTargetsAsync(async references =>
        {
            var test = new FixTest { ReferenceAssemblies = references, TestCode = source, FixedCode = fixedSource };
            test.ExpectedDiagnostics.AddRange(expected);
            test.FixedState.ExpectedDiagnostics.AddRange(remaining);
            if (iterations is { } count)
            {
                test.NumberOfIncrementalIterations = count;
                test.NumberOfFixAllIterations = count;
            }

            await test.RunAsync();
        });
        await LegacyTargets.FixesKeepCompilingAsync(new[] { source });
    }

    /// <summary>Several documents: exercises Fix All in document, project and solution scope.</summary>
    public static Task CodeFixAsync(string[] sources, string[] fixedSources, params DiagnosticResult[] expected)
        => CodeFixAsync(sources, fixedSources, expected, Array.Empty<DiagnosticResult>());

    /// <summary>Several documents, with the diagnostics the fixed code still has.</summary>
    public static async Task CodeFixAsync(string[] sources, string[] fixedSources, DiagnosticResult[] expected, DiagnosticResult[] remaining)
    {
        await References.OnModernTargetsAsync(async references =>
        {
            var test = new FixTest { ReferenceAssemblies = references };
            for (var i = 0; i < sources.Length; i++)
            {
                test.TestState.Sources.Add(($"/0/Test{i}.cs", sources[i]));
            }

            for (var i = 0; i < fixedSources.Length; i++)
            {
                test.FixedState.Sources.Add(($"/0/Test{i}.cs", fixedSources[i]));
            }

            test.ExpectedDiagnostics.AddRange(expected);
            test.FixedState.ExpectedDiagnostics.AddRange(remaining);
            await test.RunAsync();
        });
        await LegacyTargets.FixesKeepCompilingAsync(sources);
    }

    /// <summary>A fix in a project built for every framework of <paramref name="targetFrameworks"/>, as
    /// <see cref="AnalyzerMultiTargetedAsync"/> sets it up; the fixed code must also compile for .NET Standard 2.0.</summary>
    public static async Task CodeFixMultiTargetedAsync(string source, string fixedSource, string targetFrameworks, params DiagnosticResult[] expected)
    {
        await References.OnModernTargetsAsync(async references =>
        {
            var test = new FixTest { ReferenceAssemblies = references, TestCode = source, FixedCode = fixedSource };
            test.TestState.AnalyzerConfigFiles.Add(References.MultiTargetConfig(targetFrameworks, references));
            test.ExpectedDiagnostics.AddRange(expected);
            await test.RunAsync();
        });

        var legacy = await Threadwise.Tests.Robustness.Harness.CompileAsync(new[] { ("/0/Test0.cs", fixedSource) }, ReferenceAssemblies.NetStandard.NetStandard20, LanguageVersion.CSharp8);
        var errors = legacy.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error).ToList();
        if (errors.Count > 0)
        {
            throw new InvalidOperationException("The fixed code does not compile for netstandard2.0:\n" + string.Join("\n", errors));
        }
    }

    /// <summary>Several documents of an executable (console application) project.</summary>
    public static async Task CodeFixInExecutableAsync(string[] sources, string[] fixedSources, params DiagnosticResult[] expected)
    {
        await References.OnModernTargetsAsync(async references =>
        {
            var test = new FixTest { ReferenceAssemblies = references };
            test.TestState.OutputKind = OutputKind.ConsoleApplication;
            for (var i = 0; i < sources.Length; i++)
            {
                test.TestState.Sources.Add(($"/0/Test{i}.cs", sources[i]));
            }

            for (var i = 0; i < fixedSources.Length; i++)
            {
                test.FixedState.Sources.Add(($"/0/Test{i}.cs", fixedSources[i]));
            }

            test.ExpectedDiagnostics.AddRange(expected);
            await test.RunAsync();
        });
        await LegacyTargets.FixesKeepCompilingAsync(sources);
    }

    /// <summary>The diagnostic is reported but no fix is offered: the code must stay as it is.</summary>
    public static async Task NoCodeFixAsync(string source, params DiagnosticResult[] expected)
    {
        await References.OnModernTargetsAsync(async references =>
        {
            var test = new FixTest
            {
                ReferenceAssemblies = references,
                TestCode = source,
                FixedCode = source,
            };
            test.ExpectedDiagnostics.AddRange(expected);
            await test.RunAsync();
        });
        await LegacyTargets.FixesKeepCompilingAsync(new[] { source });
    }

    /// <summary>Several documents, a diagnostic reported, no fix offered: every document stays as it is.</summary>
    public static async Task NoCodeFixAsync(string[] sources, params DiagnosticResult[] expected)
    {
        await References.OnModernTargetsAsync(async references =>
        {
            var test = new FixTest { ReferenceAssemblies = references };
            for (var i = 0; i < sources.Length; i++)
            {
                test.TestState.Sources.Add(($"/0/Test{i}.cs", sources[i]));
                test.FixedState.Sources.Add(($"/0/Test{i}.cs", sources[i]));
            }

            test.ExpectedDiagnostics.AddRange(expected);
            test.FixedState.ExpectedDiagnostics.AddRange(expected);
            await test.RunAsync();
        });
        await LegacyTargets.FixesKeepCompilingAsync(sources);
    }

    private sealed class FixTest : CSharpCodeFixTest<TAnalyzer, TCodeFix, DefaultVerifier>
    {
        public FixTest() => SolutionTransforms.Add(References.UseLatestLanguageVersion);
    }
}

public static class References
{
    public static ReferenceAssemblies Net80 => ReferenceAssemblies.Net.Net80;

    /// <summary>.NET Framework 4.8 (C# 7.3 is its default language version).</summary>
    public static ReferenceAssemblies Net48 { get; } = new ReferenceAssemblies(
        "net48",
        new PackageIdentity("Microsoft.NETFramework.ReferenceAssemblies.net48", "1.0.3"),
        Path.Combine("build", ".NETFramework", "v4.8"))
        .AddAssemblies(ImmutableArray.Create("mscorlib", "System", "System.Core", "System.Data", "System.Xml"))
        .AddFacadeAssemblies(ImmutableArray.Create("System.Runtime", "System.Threading.Tasks", "System.Collections", "System.Threading", "netstandard"));

    /// <summary>Rule tests run on .NET 8 and on .NET 10, where overload resolution differs
    /// (<c>Task.WhenAll(a, b)</c> binds <c>params ReadOnlySpan&lt;Task&gt;</c>) and new APIs exist.</summary>
    public static async Task OnModernTargetsAsync(Func<ReferenceAssemblies, Task> run)
    {
        await run(Net80);
        await run(Net100);
    }

    /// <summary>.NET 10 (for <c>System.Threading.Lock</c> and other new APIs).</summary>
    public static ReferenceAssemblies Net100 { get; } = new(
        "net10.0",
        new PackageIdentity("Microsoft.NETCore.App.Ref", "10.0.12"),
        Path.Combine("ref", "net10.0"));

    /// <summary>The MSBuild properties the package's targets make visible to the compiler: the project's
    /// frameworks (with commas, as the targets write them) and the one being built.</summary>
    internal static (string Path, string Text) MultiTargetConfig(string targetFrameworks, ReferenceAssemblies references)
        => ("/.globalconfig",
            "is_global = true\n"
            + "build_property.ThreadwiseTargetFrameworks = " + targetFrameworks.Replace(';', ',') + "\n"
            + "build_property.TargetFramework = " + references.TargetFramework + "\n");

    internal static Solution UseLatestLanguageVersion(Solution solution, ProjectId projectId)
    {
        var options = (CSharpParseOptions)solution.GetProject(projectId)!.ParseOptions!;
        return solution.WithProjectParseOptions(projectId, options.WithLanguageVersion(LanguageVersion.Latest));
    }
}
