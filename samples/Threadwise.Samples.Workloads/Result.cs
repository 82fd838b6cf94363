using System.Globalization;
using System.Text.Json;

namespace Threadwise.Samples.Workloads;

/// <summary>One timed way of running a workload.</summary>
public sealed record Timing(string Model, TimeSpan Elapsed);

/// <summary>A workload's timings and whether every way produced the right result.</summary>
public sealed record Result(string Workload, string Job, IReadOnlyList<Timing> Timings, bool Correct, string Check)
{
    public void Print()
    {
        Console.WriteLine($"{Workload}: {Job}");
        var baseline = Timings[0].Elapsed.TotalMilliseconds;
        foreach (var timing in Timings)
        {
            var speedup = baseline / Math.Max(1, timing.Elapsed.TotalMilliseconds);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {timing.Model,-80} {timing.Elapsed.TotalMilliseconds,9:F0} ms  {speedup,6:F2}x"));
        }

        Console.WriteLine($"  result: {(Correct ? "correct" : "WRONG")} ({Check})");
    }

    public static void PrintSummary(IReadOnlyList<Result> results)
    {
        Console.WriteLine();
        Console.WriteLine("| workload | model | time (ms) | speedup | result |");
        Console.WriteLine("|---|---|---:|---:|---|");
        foreach (var result in results)
        {
            var baseline = result.Timings[0].Elapsed.TotalMilliseconds;
            foreach (var timing in result.Timings)
            {
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {result.Workload} | {timing.Model} | {timing.Elapsed.TotalMilliseconds:F0} | {baseline / Math.Max(1, timing.Elapsed.TotalMilliseconds):F2}x | {(result.Correct ? "correct" : "WRONG")} |"));
            }
        }
    }

    public static string ToJson(IReadOnlyList<Result> results)
        => JsonSerializer.Serialize(
            results.Select(r => new
            {
                r.Workload,
                r.Job,
                r.Correct,
                r.Check,
                Timings = r.Timings.Select(t => new { t.Model, Milliseconds = Math.Round(t.Elapsed.TotalMilliseconds, 1) }),
            }),
            new JsonSerializerOptions { WriteIndented = true });
}
