using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Runtime.Loader;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Threadwise.Bench;

/// <summary>
/// The analyzers' own CPU time, measured where scheduling cannot blur it: the corpus is compiled in
/// this process and analysed on one thread (<c>CompilationWithAnalyzers</c>, no concurrent analysis),
/// each analyzer's callback time logged by Roslyn, several rounds. The first round pays JIT and first
/// use; the later rounds' per-analyzer minima, summed, are the stable figure (a build's ReportAnalyzer
/// time of the same DLL moved by 2x between rounds on a shared 2-core machine; this moves by ~20%).
/// With a baseline DLL the two are run interleaved, each loaded into its own load context from the
/// path given (and the file and MVID measured are printed: a copy beside this program is never used).
/// </summary>
internal static class InProcessProfile
{
    public const int PerRuleRounds = 5;

    public static async Task<int> RunAsync(string analyzerPath, string? baselinePath, int lines, int rounds, int classesPerFile, string work)
    {
        var (trees, references) = Corpus(lines, classesPerFile, work);
        var subjects = new List<Subject> { Subject.Load("analyzer", analyzerPath) };
        if (baselinePath is not null)
        {
            subjects.Add(Subject.Load("baseline", baselinePath));
        }

        Console.WriteLine($"== in-process profile: {trees.Length} files, {rounds} rounds, one analysis thread");
        foreach (var subject in subjects)
        {
            Console.WriteLine($"   {subject.Label}: {subject.Path} (MVID {subject.Mvid}, {subject.Analyzers.Length} analyzers)");
        }

        for (var round = 0; round < rounds; round++)
        {
            foreach (var subject in subjects)
            {
                var sum = await MeasureRoundAsync(subject, round, trees, references);
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   round {round + 1}/{rounds}  {subject.Label,-8}  analyzer time {sum,7:F0} ms  {subject.Diagnostics} diagnostics"));
            }
        }

        foreach (var subject in subjects)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{subject.Label}: first round {subject.FirstRound:F0} ms; later rounds, sum of per-analyzer minima {subject.WarmMinimaSum:F0} ms; {subject.Diagnostics} diagnostics"));
            foreach (var (name, time) in subject.WarmMinima.OrderByDescending(p => p.Value).Take(8))
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"   {time,7:F1} ms  {name}"));
            }
        }

        return subjects.Select(s => s.Diagnostics).Distinct().Count() == 1 ? 0 : 3;
    }

    /// <summary>Each rule's own time on the corpus (minimum of the later four of five rounds: with two, one
    /// busy moment on a shared machine moved a rule's share from 11% to 30%), keyed by the IDs it reports
    /// as the ReportAnalyzer table keys them: the compiler runs the rules through one host analyzer,
    /// so its table has one line for them all, and the benchmark's per-rule shares come from here.</summary>
    public static async Task<Dictionary<string, double>> PerRuleAsync(string analyzerPath, int lines, int classesPerFile, string work)
    {
        var (trees, references) = Corpus(lines, classesPerFile, work);
        var subject = Subject.Load("per-rule", analyzerPath);
        for (var round = 0; round < PerRuleRounds; round++)
        {
            await MeasureRoundAsync(subject, round, trees, references);
        }

        return subject.Analyzers.Where(a => a is not DiagnosticSuppressor).ToDictionary(
            a => string.Join(", ", a.SupportedDiagnostics.Select(d => d.Id)),
            a => subject.WarmMinima.GetValueOrDefault(a.GetType().Name));
    }

    private static (SyntaxTree[] Trees, MetadataReference[] References) Corpus(int lines, int classesPerFile, string work)
    {
        var directory = Path.Combine(work, $"profile-{lines}-{classesPerFile}");
        CorpusGenerator.Generate(directory, lines, classesPerFile: classesPerFile);
        var parse = new CSharpParseOptions(LanguageVersion.Latest);
        var trees = Directory.GetFiles(directory, "*.cs").OrderBy(f => f, StringComparer.Ordinal)
            .Select(f => CSharpSyntaxTree.ParseText(File.ReadAllText(f), parse, f)).ToArray();
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Where(p => Path.GetFileName(p).StartsWith("System", StringComparison.Ordinal) || Path.GetFileName(p) is "mscorlib.dll" or "netstandard.dll")
            .Select(p => (MetadataReference)MetadataReference.CreateFromFile(p)).ToArray();
        return (trees, references);
    }

    private static async Task<double> MeasureRoundAsync(Subject subject, int round, SyntaxTree[] trees, MetadataReference[] references)
    {
        var compilation = CSharpCompilation.Create("ProfileCorpus", trees, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), onAnalyzerException: null, concurrentAnalysis: false, logAnalyzerExecutionTime: true);
        var withAnalyzers = compilation.WithAnalyzers(subject.Analyzers, options);
        var diagnostics = await withAnalyzers.GetAnalyzerDiagnosticsAsync();
        var sum = 0.0;
        foreach (var analyzer in subject.Analyzers)
        {
            var time = (await withAnalyzers.GetAnalyzerTelemetryInfoAsync(analyzer, CancellationToken.None)).ExecutionTime.TotalMilliseconds;
            sum += time;
            subject.Record(round, analyzer.GetType().Name, time);
        }

        subject.Diagnostics = diagnostics.Length;
        return sum;
    }

    private sealed class Subject
    {
        private readonly Dictionary<string, double> _firstRound = new();
        private readonly Dictionary<string, double> _warm = new();

        private Subject(string label, string path, Guid mvid, ImmutableArray<DiagnosticAnalyzer> analyzers)
            => (Label, Path, Mvid, Analyzers) = (label, path, mvid, analyzers);

        public string Label { get; }

        public string Path { get; }

        public Guid Mvid { get; }

        public ImmutableArray<DiagnosticAnalyzer> Analyzers { get; }

        public int Diagnostics { get; set; }

        public double FirstRound => _firstRound.Values.Sum();

        public IReadOnlyDictionary<string, double> WarmMinima => _warm.Count > 0 ? _warm : _firstRound;

        public double WarmMinimaSum => WarmMinima.Values.Sum();

        public static Subject Load(string label, string path)
        {
            var full = System.IO.Path.GetFullPath(path);
            // Its own load context, so two builds of the same assembly can be compared; Roslyn itself
            // comes from this program's (default) context.
            var assembly = new AssemblyLoadContext(label + ":" + full).LoadFromAssemblyPath(full);
            // Each rule on its own: the attributed analyzers, and the rules a host analyzer loads
            // (ThreadwiseAnalyzer subclasses without the attribute) in place of that host, so builds from
            // before and after the rules moved into one host are measured rule by rule alike.
            var analyzers = assembly.GetTypes()
                .Where(t => !t.IsAbstract && typeof(DiagnosticAnalyzer).IsAssignableFrom(t) && t.GetConstructor(Type.EmptyTypes) is not null
                            && (t.GetCustomAttribute<DiagnosticAnalyzerAttribute>() is not null ? !IsHost(t) : IsRule(t)))
                .OrderBy(t => t.FullName, StringComparer.Ordinal)
                .Select(t => (DiagnosticAnalyzer)Activator.CreateInstance(t)!)
                .ToImmutableArray();
            return new Subject(label, full, assembly.ManifestModule.ModuleVersionId, analyzers);
        }

        private static bool IsRule(Type type)
        {
            for (var baseType = type.BaseType; baseType is not null; baseType = baseType.BaseType)
            {
                if (baseType.Name == "ThreadwiseAnalyzer")
                {
                    return true;
                }
            }

            return false;
        }

        // The host hands out the same rules: a static ImmutableArray of rule instances named All.
        private static bool IsHost(Type type)
            => type.GetProperty("All", BindingFlags.Static | BindingFlags.NonPublic | BindingFlags.Public) is { } all
               && all.PropertyType.IsGenericType && all.PropertyType.GetGenericArguments()[0].Name == "ThreadwiseAnalyzer";

        public void Record(int round, string analyzer, double milliseconds)
        {
            if (round == 0)
            {
                _firstRound[analyzer] = milliseconds;
                return;
            }

            _warm[analyzer] = _warm.TryGetValue(analyzer, out var best) ? Math.Min(best, milliseconds) : milliseconds;
        }
    }
}
