using System.Diagnostics;
using System.Globalization;

namespace Threadwise.Samples.Workloads;

/// <summary>
/// Processes for CPU work: count the primes below a bound sequentially, with Parallel.For, and split
/// across worker processes of this same program whose results are read from their standard output.
/// A failing or hung worker is reported with a clear error and killed, never left running.
/// </summary>
public static class ProcessesWorkload
{
    public static async Task<Result> RunAsync(int bound, int workers, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var sequential = Stopwatch.StartNew();
        var expected = CountPrimes(2, bound);
        sequential.Stop();

        var parallel = Stopwatch.StartNew();
        var chunks = Split(bound, Environment.ProcessorCount * 4);
        long parallelCount = 0;
        await Task.Run(() => Parallel.ForEach(chunks, chunk => Interlocked.Add(ref parallelCount, CountPrimes(chunk.From, chunk.To))), cancellationToken);
        parallel.Stop();

        var multiProcess = Stopwatch.StartNew();
        var counts = await Task.WhenAll(Split(bound, workers).Select(chunk => RunWorkerAsync(chunk.From, chunk.To, timeout, cancellationToken)));
        multiProcess.Stop();
        var processCount = counts.Sum();

        var ok = parallelCount == expected && processCount == expected;
        return new Result(
            "processes",
            $"primes below {bound:N0} ({Environment.ProcessorCount} cores)",
            [
                new("sequential", sequential.Elapsed),
                new($"Parallel.ForEach over {chunks.Count} chunks", parallel.Elapsed),
                new($"{workers} worker processes", multiProcess.Elapsed),
            ],
            ok,
            ok ? $"{expected:N0} primes every way" : $"mismatch: sequential {expected}, parallel {parallelCount}, processes {processCount}");
    }

    /// <summary>The worker: counts the primes in [from, to) and prints the count.</summary>
    public static int Worker(int from, int to)
    {
        Console.WriteLine(CountPrimes(from, to).ToString(CultureInfo.InvariantCulture));
        return 0;
    }

    public static long CountPrimes(int from, int to)
    {
        long count = 0;
        for (var n = Math.Max(from, 2); n < to; n++)
        {
            if (IsPrime(n))
            {
                count++;
            }
        }

        return count;
    }

    private static bool IsPrime(int n)
    {
        if (n < 4)
        {
            return n >= 2;
        }

        if (n % 2 == 0)
        {
            return false;
        }

        for (var d = 3; (long)d * d <= n; d += 2)
        {
            if (n % d == 0)
            {
                return false;
            }
        }

        return true;
    }

    private static List<(int From, int To)> Split(int bound, int parts)
    {
        var size = Math.Max(1, bound / parts);
        return Enumerable.Range(0, parts)
            .Select(i => (From: i * size, To: i == parts - 1 ? bound : (i + 1) * size))
            .ToList();
    }

    private static async Task<long> RunWorkerAsync(int from, int to, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = SelfProcess.StartInfo("worker-primes", from.ToString(CultureInfo.InvariantCulture), to.ToString(CultureInfo.InvariantCulture));
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start a worker process");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var output = process.StandardOutput.ReadToEndAsync(deadline.Token);
            var errors = process.StandardError.ReadToEndAsync(deadline.Token);
            await process.WaitForExitAsync(deadline.Token);
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"worker [{from}, {to}) failed with exit code {process.ExitCode}: {await errors}");
            }

            return long.Parse((await output).Trim(), CultureInfo.InvariantCulture);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"worker [{from}, {to}) did not finish within {timeout.TotalSeconds:F0} s and was killed");
        }
    }
}
