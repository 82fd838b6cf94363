using System.Globalization;

namespace Threadwise.Bench;

/// <summary>Medians per configuration and size, the ratios the targets are stated in, and the targets.</summary>
public sealed class Report
{
    public List<Row> Rows { get; init; } = new();

    public Dictionary<string, double> ThreadwisePerRuleMs { get; init; } = new();

    public Dictionary<string, double> ThreadwiseToPeer { get; init; } = new();

    public double? ThreadwiseGrowth { get; init; }

    /// <summary>Threadwise's Csc increase minus the floor's (an empty operation action): what its own
    /// work adds beyond the operation trees any operation-based analyzer makes the compiler build.</summary>
    public double? ThreadwiseCscIncreaseBeyondFloor { get; init; }

    public List<Target> Targets { get; init; } = new();

    internal static Report From(bool manySmallFiles, List<Sample> samples, int[] sizes, Dictionary<string, double>? perRuleMs = null)
    {
        var rows = new List<Row>();
        foreach (var group in samples.GroupBy(s => (s.Size, s.Configuration)))
        {
            var plain = Median(samples.Where(s => s.Size == group.Key.Size && s.Configuration == "none").Select(s => s.CompileMs));
            var analyzer = Median(group.Select(s => s.AnalyzerMs));
            var lines = group.First().Lines;
            var compile = Median(group.Select(s => s.CompileMs));
            rows.Add(new Row(group.Key.Size, lines, group.Key.Configuration, compile, analyzer, plain > 0 ? analyzer / plain : 0, analyzer / (lines / 1000.0))
            {
                // What a CI user waits for: the whole Csc task over the plain compile, not only the
                // analyzers' own reported time; with the spread of the rounds.
                CscIncrease = plain > 0 ? (compile / plain) - 1 : 0,
                CscMinMs = group.Min(s => s.CompileMs),
                CscMaxMs = group.Max(s => s.CompileMs),
            });
        }

        var reference = sizes.Length > 1 ? sizes[^2] : sizes[0];
        var largest = sizes[^1];
        var perRule = perRuleMs ?? samples.Where(s => s.Size == reference && s.Configuration == "threadwise")
            .SelectMany(s => s.PerRuleMs)
            .GroupBy(p => p.Key)
            .ToDictionary(g => g.Key, g => Median(g.Select(p => p.Value)));
        Row? Find(int size, string configuration) => rows.FirstOrDefault(r => r.Size == size && r.Configuration == configuration);
        var threadwise = Find(reference, "threadwise");
        var ratios = new Dictionary<string, double>();
        foreach (var peer in new[] { "vsthreading", "asyncfixer" })
        {
            if (Find(reference, peer) is { AnalyzerMs: > 0 } row && threadwise is not null)
            {
                ratios[peer] = threadwise.AnalyzerMs / row.AnalyzerMs;
            }
        }

        double? growth = sizes.Length > 1 && threadwise is { AnalyzerMs: > 0 } && Find(largest, "threadwise") is { } big
            ? big.AnalyzerMs / threadwise.AnalyzerMs
            : null;
        var targets = new List<Target>();
        if (threadwise is not null)
        {
            targets.Add(new Target($"Threadwise / plain compile at {reference} lines <= 0.10", threadwise.AnalyzerToCompile, 0.10));
            if (Find(reference, "asyncfixer") is { } asyncFixer)
            {
                targets.Add(new Target("Threadwise ms per 1k lines <= AsyncFixer's + 50%", threadwise.MsPerKLines, asyncFixer.MsPerKLines * 1.5));
            }

            // What a CI user waits for: the Csc increase over the plain compile. The many-small-files
            // corpus is held to AsyncFixer's increase, the default corpus to +10%.
            if (manySmallFiles && Find(reference, "asyncfixer") is { } peer)
            {
                targets.Add(new Target("Threadwise Csc increase <= AsyncFixer's (many small files)", threadwise.CscIncrease, peer.CscIncrease));
            }
            else if (!manySmallFiles)
            {
                targets.Add(new Target($"Threadwise Csc increase at {reference} lines <= +10%", threadwise.CscIncrease, 0.10));
            }

            var total = perRule.Values.Sum();
            if (total > 0)
            {
                var top = perRule.OrderByDescending(p => p.Value).First();
                targets.Add(new Target($"largest single rule share ({top.Key}) <= 30%", top.Value / total, 0.30));
            }
        }

        if (growth is { } g)
        {
            targets.Add(new Target($"Threadwise growth {reference} -> {largest} lines <= 4.4x (size ratio {(double)largest / reference:F1}x)", g, 4.4));
        }

        var beyondFloor = threadwise is not null && Find(reference, "floor") is { } floor ? threadwise.CscIncrease - floor.CscIncrease : (double?)null;
        return new Report { Rows = rows.OrderBy(r => r.Size).ThenBy(r => r.Configuration).ToList(), ThreadwisePerRuleMs = perRule, ThreadwiseToPeer = ratios, ThreadwiseGrowth = growth, ThreadwiseCscIncreaseBeyondFloor = beyondFloor, Targets = targets };
    }

    public void Print()
    {
        Console.WriteLine();
        Console.WriteLine("| lines | configuration | median csc (ms) | csc min-max (ms) | csc increase | analyzer time (ms) | analyzer / plain compile | ms per 1k lines |");
        Console.WriteLine("|---:|---|---:|---:|---:|---:|---:|---:|");
        foreach (var row in Rows)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {row.Lines} | {row.Configuration} | {row.CompileMs:F0} | {row.CscMinMs:F0}-{row.CscMaxMs:F0} | {row.CscIncrease:P1} | {row.AnalyzerMs:F0} | {row.AnalyzerToCompile:F3} | {row.MsPerKLines:F2} |"));
        }

        Console.WriteLine();
        Console.WriteLine("Threadwise time per rule (ms, reference size; in process, one thread, when the run measured it):");
        foreach (var (rule, ms) in ThreadwisePerRuleMs.OrderByDescending(p => p.Value))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {rule,-40} {ms,8:F1}"));
        }

        foreach (var (peer, ratio) in ThreadwiseToPeer)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Threadwise / {peer}: {ratio:F2}x"));
        }

        if (ThreadwiseCscIncreaseBeyondFloor is { } beyond)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Threadwise Csc increase beyond the floor (an empty operation action): {beyond:P1}"));
        }

        if (ThreadwiseGrowth is { } growth)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Threadwise growth across sizes: {growth:F2}x"));
        }

        Console.WriteLine();
        foreach (var target in Targets)
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{(target.Met ? "MET   " : "MISSED")} {target.Name}: {target.Value:F3} (limit {target.Limit:F3})"));
        }
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToArray();
        return sorted.Length == 0 ? 0 : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
    }

    public sealed record Row(int Size, int Lines, string Configuration, double CompileMs, double AnalyzerMs, double AnalyzerToCompile, double MsPerKLines)
    {
        /// <summary>Median Csc time over the plain compile's, minus one (0.28 = 28% longer).</summary>
        public double CscIncrease { get; init; }

        public double CscMinMs { get; init; }

        public double CscMaxMs { get; init; }
    }

    public sealed record Target(string Name, double Value, double Limit)
    {
        public bool Met => Value <= Limit;
    }
}
