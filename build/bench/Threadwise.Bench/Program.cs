using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Threadwise.Bench;

// Threadwise analyzer benchmark.
//   generate --lines N --out DIR         write a corpus of about N non-blank lines
//   run [--quick] [--sizes a,b] [--rounds n] [--json FILE] [--work DIR] [--families] [--classes-per-file n] [--configurations a,b]
//     --families           also Threadwise with one rule family on at a time (the others set to none)
//     --classes-per-file   1 makes the many-small-files variant of the corpus (default 4)
//     --configurations     only these configurations (none is always measured: it is the baseline)
//   profile [--lines N] [--rounds n] [--classes-per-file n] [--analyzer DLL] [--baseline DLL]
//     the analyzers' own time in this process on one thread (stable where build timings are not);
//     with --baseline, two builds of the analyzer interleaved round by round
// The full run is documented in build/bench/README.md; its latest table is in docs/performance.md.
var arguments = args.ToList();
if (arguments.Count == 0 || arguments[0] is not ("generate" or "run" or "profile"))
{
    Console.Error.WriteLine("usage: Threadwise.Bench generate --lines N --out DIR | run [--quick] [--sizes 100000,400000] [--rounds 3] [--json FILE] [--work DIR] | profile [--lines 100000] [--rounds 6] [--analyzer DLL] [--baseline DLL]");
    return 2;
}

string? Option(string name) => arguments.IndexOf(name) is var i and >= 0 && i + 1 < arguments.Count ? arguments[i + 1] : null;

if (arguments[0] == "generate")
{
    var lines = int.Parse(Option("--lines") ?? "25000", CultureInfo.InvariantCulture);
    var output = Option("--out") ?? "corpus";
    var (files, written, defects) = CorpusGenerator.Generate(output, lines);
    Console.WriteLine($"{written} non-blank lines in {files} files, {defects} seeded defects -> {output}");
    return 0;
}

if (arguments[0] == "profile")
{
    var analyzer = Option("--analyzer") ?? Path.Combine(FindRepo(), "src", "Threadwise.Analyzers", "bin", "Release", "netstandard2.0", "Threadwise.Analyzers.dll");
    return await InProcessProfile.RunAsync(
        analyzer,
        Option("--baseline"),
        int.Parse(Option("--lines") ?? "100000", CultureInfo.InvariantCulture),
        int.Parse(Option("--rounds") ?? "6", CultureInfo.InvariantCulture),
        int.Parse(Option("--classes-per-file") ?? "4", CultureInfo.InvariantCulture),
        Path.GetFullPath(Option("--work") ?? Path.Combine(Path.GetTempPath(), "threadwise-bench")));
}

var quick = arguments.Contains("--quick");
var sizes = (Option("--sizes") ?? (quick ? "2500,10000" : "100000,400000")).Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
var rounds = int.Parse(Option("--rounds") ?? (quick ? "1" : "3"), CultureInfo.InvariantCulture);
var work = Path.GetFullPath(Option("--work") ?? Path.Combine(Path.GetTempPath(), "threadwise-bench"));
var json = Option("--json");
var families = arguments.Contains("--families");
var classesPerFile = int.Parse(Option("--classes-per-file") ?? "4", CultureInfo.InvariantCulture);
var only = Option("--configurations")?.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
var repo = FindRepo();
return await new Runner(repo, work, sizes, rounds, families, classesPerFile, only).RunAsync(json);

static string FindRepo()
{
    for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "Analyzers.sln")))
        {
            return dir.FullName;
        }
    }

    throw new InvalidOperationException("Analyzers.sln not found above " + AppContext.BaseDirectory);
}

internal sealed class Runner
{
    // "floor": an analyzer with one empty operation action (build/bench/Threadwise.Bench.Floor), the
    // cost of the compiler's operation trees alone. "floor-syntaxempty", "floor-syntax" and
    // "floor-filtered" (asked for by name only) register a syntax action instead: doing nothing, asking
    // the semantic model for every invocation's symbol, and building the operations of the few
    // invocations a name check lets through.
    private static readonly string[] BaseConfigurations = { "none", "floor", "threadwise", "vsthreading", "asyncfixer" };
    private static readonly string[] ExtraConfigurations = { "floor-syntaxempty", "floor-syntax", "floor-filtered" };

    // One Threadwise family at a time: a globalconfig turns the other categories off, and the
    // compiler then does not run the analyzers whose every rule is off.
    private static readonly string[] Families = { "Blocking", "SharedState", "ThreadPool", "Joins" };

    private static readonly Dictionary<string, string> AnalyzerAssembly = new()
    {
        ["threadwise"] = "Threadwise.Analyzers",
        ["floor"] = "Threadwise.Bench.Floor",
        ["floor-syntaxempty"] = "Threadwise.Bench.Floor",
        ["floor-syntax"] = "Threadwise.Bench.Floor",
        ["floor-filtered"] = "Threadwise.Bench.Floor",
        ["vsthreading"] = "Microsoft.VisualStudio.Threading.Analyzers",
        ["asyncfixer"] = "AsyncFixer",
    };

    private readonly string _repo;
    private readonly string _work;
    private readonly int[] _sizes;
    private readonly int _rounds;
    private readonly string[] _configurations;
    private readonly int _classesPerFile;

    public Runner(string repo, string work, int[] sizes, int rounds, bool families, int classesPerFile, string[]? only)
    {
        var all = families
            ? BaseConfigurations.Concat(Families.Select(f => "threadwise-" + f.ToLowerInvariant())).ToArray()
            : BaseConfigurations;
        _configurations = only is null ? all : all.Concat(ExtraConfigurations).Where(c => c == "none" || only.Contains(c)).ToArray();
        _classesPerFile = classesPerFile;
        _repo = repo;
        _work = work;
        _sizes = sizes;
        _rounds = rounds;
    }

    public async Task<int> RunAsync(string? jsonPath)
    {
        Directory.CreateDirectory(_work);
        Console.WriteLine($"== building Threadwise (Release)");
        await Run("dotnet", $"build \"{Path.Combine(_repo, "src", "Threadwise.Analyzers", "Threadwise.Analyzers.csproj")}\" -c Release -nologo -v:q", _repo, check: true);
        var analyzerDll = Path.Combine(_repo, "src", "Threadwise.Analyzers", "bin", "Release", "netstandard2.0", "Threadwise.Analyzers.dll");
        var floorDll = Path.Combine(_repo, "build", "bench", "Threadwise.Bench.Floor", "bin", "Release", "netstandard2.0", "Threadwise.Bench.Floor.dll");
        if (_configurations.Any(c => c.StartsWith("floor", StringComparison.Ordinal)))
        {
            await Run("dotnet", $"build \"{Path.Combine(_repo, "build", "bench", "Threadwise.Bench.Floor", "Threadwise.Bench.Floor.csproj")}\" -c Release -nologo -v:q", _repo, check: true);
        }

        var corpora = new Dictionary<int, (string Project, int Lines)>();
        foreach (var size in _sizes)
        {
            var directory = Path.Combine(_work, $"corpus-{size}-{_classesPerFile}");
            var (files, lines, defects) = CorpusGenerator.Generate(directory, size, classesPerFile: _classesPerFile);
            File.WriteAllText(Path.Combine(directory, "Corpus.csproj"), CorpusProject(analyzerDll, floorDll));
            File.WriteAllText(Path.Combine(directory, "Directory.Build.props"), "<Project />");
            File.WriteAllText(Path.Combine(directory, "Directory.Build.targets"), "<Project />");
            File.WriteAllText(Path.Combine(directory, "Directory.Packages.props"), "<Project />");
            File.WriteAllText(Path.Combine(directory, "bench.globalconfig"), "is_global = true\ndotnet_analyzer_diagnostic.severity = warning\n");
            File.WriteAllText(Path.Combine(directory, "floor-syntaxempty.globalconfig"), "is_global = true\nglobal_level = 200\nfloor_mode = syntax-empty\n");
            File.WriteAllText(Path.Combine(directory, "floor-syntax.globalconfig"), "is_global = true\nglobal_level = 200\nfloor_mode = syntax\n");
            File.WriteAllText(Path.Combine(directory, "floor-filtered.globalconfig"), "is_global = true\nglobal_level = 200\nfloor_mode = filtered\n");
            foreach (var family in Families)
            {
                // By rule ID: the compiler skips an analyzer only when ID entries turn all its rules
                // off (category and bulk entries filter the reports, but the analyzer still runs).
                var off = string.Concat(RuleIds().Where(r => r.Category != "Threadwise." + family).Select(r => $"dotnet_diagnostic.{r.Id}.severity = none\n"));
                File.WriteAllText(Path.Combine(directory, $"threadwise-{family.ToLowerInvariant()}.globalconfig"), "is_global = true\nglobal_level = 200\n" + off);
            }

            corpora[size] = (Path.Combine(directory, "Corpus.csproj"), lines);
            Console.WriteLine($"== corpus {size}: {lines} non-blank lines, {files} files, {defects} seeded defects");
            await Run("dotnet", $"restore \"{corpora[size].Project}\" -nologo -v:q", directory, check: true);
        }

        // Interleaved round-robin: every configuration sees the same machine state on average.
        var samples = new List<Sample>();
        for (var round = 1; round <= _rounds; round++)
        {
            foreach (var size in _sizes)
            {
                foreach (var configuration in _configurations)
                {
                    var sample = await Measure(corpora[size].Project, size, corpora[size].Lines, configuration);
                    samples.Add(sample);
                    Console.WriteLine($"   round {round}/{_rounds}  {size,7} lines  {configuration,-12} csc {sample.CompileMs,7:F0} ms  analyzers {sample.AnalyzerMs,7:F0} ms");
                }
            }
        }

        // The compiler runs the rules through one host analyzer, so its ReportAnalyzer table has one line
        // for them all: each rule's share is measured in this process on the reference corpus.
        Dictionary<string, double>? perRule = null;
        if (_configurations.Contains("threadwise"))
        {
            var reference = _sizes.Length > 1 ? _sizes[^2] : _sizes[0];
            Console.WriteLine($"== per-rule times, in process ({reference} lines, one thread, {InProcessProfile.PerRuleRounds} rounds)");
            perRule = await InProcessProfile.PerRuleAsync(analyzerDll, reference, _classesPerFile, _work);
        }

        var report = Report.From(_classesPerFile == 1, samples, _sizes, perRule);
        report.Print();
        if (jsonPath is not null)
        {
            File.WriteAllText(jsonPath, JsonSerializer.Serialize(report, new JsonSerializerOptions { WriteIndented = true }));
            Console.WriteLine($"== JSON written to {jsonPath}");
        }

        return 0;
    }

    // The rules and their categories, from the release tracking file.
    private IEnumerable<(string Id, string Category)> RuleIds()
        => File.ReadLines(Path.Combine(_repo, "src", "Threadwise.Analyzers", "AnalyzerReleases.Unshipped.md"))
            .Select(line => Regex.Match(line, @"^(TW\d{4}) \| (\S+) \|"))
            .Where(match => match.Success)
            .Select(match => (match.Groups[1].Value, match.Groups[2].Value));

    private async Task<Sample> Measure(string project, int size, int lines, string configuration)
    {
        // What a user waits for is measured as users build: without ReportAnalyzer, whose per-callback
        // timing adds overhead of its own on concurrent builds. A fresh compiler process each build (no
        // VBCSCompiler server), full rebuild.
        var compile = ParseCscMilliseconds(await Build(project, configuration, reportAnalyzer: false));
        if (configuration == "none")
        {
            return new Sample(size, lines, configuration, compile, 0, new Dictionary<string, double>());
        }

        // The analyzers' own time comes from a second build with the ReportAnalyzer table.
        var report = await Build(project, configuration, reportAnalyzer: true);
        var (total, perRule) = ParseAnalyzerTime(report, AnalyzerAssembly[configuration.StartsWith("threadwise", StringComparison.Ordinal) ? "threadwise" : configuration]);
        return new Sample(size, lines, configuration, compile, total, perRule);
    }

    private Task<string> Build(string project, string configuration, bool reportAnalyzer)
        => Run(
            "dotnet",
            $"build \"{project}\" -c Release --no-restore --no-incremental -nologo -v:d -clp:PerformanceSummary -p:BenchConfig={configuration} -p:UseSharedCompilation=false -p:ReportAnalyzer={(reportAnalyzer ? "true" : "false")}",
            Path.GetDirectoryName(project)!,
            check: true);

    private static double ParseCscMilliseconds(string output)
    {
        var match = Regex.Matches(output, @"^\s+(\d+) ms\s+Csc\s+\d+ calls", RegexOptions.Multiline).LastOrDefault()
                    ?? throw new InvalidOperationException("no Csc line in the performance summary");
        return double.Parse(match.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    // The ReportAnalyzer table: an assembly line, then its analyzers indented below it.
    private static (double TotalMs, Dictionary<string, double> PerRule) ParseAnalyzerTime(string output, string assembly)
    {
        var perRule = new Dictionary<string, double>();
        double total = 0;
        var inAssembly = false;
        foreach (var line in output.Split('\n'))
        {
            var row = Regex.Match(line, @"^\s+(<?[\d.]+)\s+(<?\d+)\s{3}(\s*)(\S.*)$");
            if (!row.Success)
            {
                continue;
            }

            var seconds = double.Parse(row.Groups[1].Value.TrimStart('<'), CultureInfo.InvariantCulture);
            var isAnalyzerRow = row.Groups[3].Value.Length > 0;
            var name = row.Groups[4].Value.Trim();
            if (!isAnalyzerRow)
            {
                // Threadwise.Analyzers, AsyncFixer, Microsoft.VisualStudio.Threading.Analyzers(.CSharp)
                inAssembly = name.StartsWith(assembly + ",", StringComparison.Ordinal) || name.StartsWith(assembly + ".", StringComparison.Ordinal);
                if (inAssembly)
                {
                    total += seconds * 1000;
                }
            }
            else if (inAssembly)
            {
                var key = Regex.Match(name, @"\(([^)]*)\)\s*$") is { Success: true } ids ? ids.Groups[1].Value : name;
                perRule[key] = perRule.GetValueOrDefault(key) + (seconds * 1000);
            }
        }

        return (total, perRule);
    }

    private string CorpusProject(string analyzerDll, string floorDll) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <TargetFramework>net10.0</TargetFramework>
            <OutputType>Library</OutputType>
            <Nullable>disable</Nullable>
            <ImplicitUsings>disable</ImplicitUsings>
            <BenchConfig Condition="'$(BenchConfig)' == ''">none</BenchConfig>
            <EnableNETAnalyzers>false</EnableNETAnalyzers>
            <EnforceCodeStyleInBuild>false</EnforceCodeStyleInBuild>
            <RunAnalyzers Condition="'$(BenchConfig)' == 'none'">false</RunAnalyzers>
            <TreatWarningsAsErrors>false</TreatWarningsAsErrors>
            <NoWarn>$(NoWarn);CS1998;CS4014;CS0162;CS0414</NoWarn>
            <GenerateDocumentationFile>false</GenerateDocumentationFile>
            <ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally>
          </PropertyGroup>
          <ItemGroup>
            <GlobalAnalyzerConfigFiles Include="bench.globalconfig" />
            <GlobalAnalyzerConfigFiles Include="$(BenchConfig).globalconfig" Condition="Exists('$(BenchConfig).globalconfig')" />
          </ItemGroup>
          <!-- Every configuration restores the same packages; the analyzers not under test are
               removed just before compiling, so one restore serves all and nothing else differs. -->
          <ItemGroup>
            <PackageReference Include="Microsoft.VisualStudio.Threading.Analyzers" Version="18.12.1" PrivateAssets="all" />
            <PackageReference Include="AsyncFixer" Version="2.1.0" PrivateAssets="all" />
          </ItemGroup>
          <Target Name="BenchPickAnalyzers" BeforeTargets="CoreCompile">
            <ItemGroup>
              <Analyzer Include="{analyzerDll}" Condition="$(BenchConfig.StartsWith('threadwise'))" />
              <Analyzer Include="{floorDll}" Condition="$(BenchConfig.StartsWith('floor'))" />
              <Analyzer Remove="@(Analyzer)" Condition="'$(BenchConfig)' != 'vsthreading' and $([System.String]::Copy('%(Analyzer.Identity)').ToLowerInvariant().Contains('microsoft.visualstudio.threading.analyzers'))" />
              <Analyzer Remove="@(Analyzer)" Condition="'$(BenchConfig)' != 'asyncfixer' and $([System.String]::Copy('%(Analyzer.Identity)').ToLowerInvariant().Contains('asyncfixer'))" />
            </ItemGroup>
          </Target>
        </Project>
        """;

    private static async Task<string> Run(string file, string arguments, string directory, bool check)
    {
        var start = new ProcessStartInfo(file, arguments)
        {
            WorkingDirectory = directory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["MSBUILDNOINPROCNODE"] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"could not start {file}");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout + await stderr;
        if (check && process.ExitCode != 0)
        {
            throw new InvalidOperationException($"{file} {arguments} failed ({process.ExitCode}):\n{output[^Math.Min(output.Length, 4000)..]}");
        }

        return output;
    }
}

internal sealed record Sample(int Size, int Lines, string Configuration, double CompileMs, double AnalyzerMs, Dictionary<string, double> PerRuleMs);
