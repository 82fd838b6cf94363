using System.Diagnostics;

namespace Threadwise.Samples.Workloads;

/// <summary>
/// Async for many waits: the same jobs with HttpClient and Task.WhenAll, then a scale run of many
/// concurrent requests, next to a thread-per-request run of a bounded size for comparison.
/// </summary>
public static class AsyncWorkload
{
    public static async Task<Result> RunAsync(int jobs, int scale, int threadRunLimit, TimeSpan latency, LocalHttpServer server, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var uri = server.DelayUri(latency);

        var small = Stopwatch.StartNew();
        var answers = await Task.WhenAll(Enumerable.Range(0, jobs).Select(_ => client.GetStringAsync(uri, cancellationToken)));
        small.Stop();

        using var sampler = new ThreadSampler();
        var large = Stopwatch.StartNew();
        var many = await Task.WhenAll(Enumerable.Range(0, scale).Select(_ => client.GetStringAsync(uri, cancellationToken)));
        large.Stop();
        var asyncPeak = sampler.Peak();

        // The same kind of run with one thread per request, bounded so it stays safe on a small machine.
        var threadCount = Math.Min(scale, threadRunLimit);
        using var threadSampler = new ThreadSampler();
        var perThread = Stopwatch.StartNew();
        var threadResults = new string[threadCount];
        var threads = Enumerable.Range(0, threadCount)
            .Select(i => new Thread(() => threadResults[i] = Fetch(client, uri)))
            .ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());
        perThread.Stop();
        var threadPeak = threadSampler.Peak();

        var ok = answers.All(a => a == "ok") && many.All(a => a == "ok") && threadResults.All(a => a == "ok");
        return new Result(
            "async",
            $"{jobs} requests, then {scale} concurrent (thread-per-request run: {threadCount})",
            [
                new($"{jobs} awaited with WhenAll", small.Elapsed),
                new($"{scale} awaited with WhenAll (peak {asyncPeak.Threads} threads, {asyncPeak.WorkingSetMb} MB)", large.Elapsed),
                new($"{threadCount} threads, one per request (peak {threadPeak.Threads} threads, {threadPeak.WorkingSetMb} MB)", perThread.Elapsed),
            ],
            ok,
            ok ? "every request answered" : "some requests failed");
    }

    // The listener may close a kept-alive connection just as a request is sent on it ("the response ended
    // prematurely", seen once on a loaded two-core machine); a GET can be sent again.
    private static string Fetch(HttpClient client, Uri uri)
    {
        try
        {
            return FetchOnce(client, uri);
        }
        catch (HttpRequestException)
        {
            return FetchOnce(client, uri);
        }
    }

    private static string FetchOnce(HttpClient client, Uri uri)
    {
        using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, uri));
        using var reader = new StreamReader(response.Content.ReadAsStream());
        return reader.ReadToEnd();
    }

    /// <summary>Samples the process's thread count and working set on a background timer.</summary>
    private sealed class ThreadSampler : IDisposable
    {
        private readonly Timer _timer;
        private int _peakThreads;
        private long _peakWorkingSet;

        public ThreadSampler() => _timer = new Timer(_ => Sample(), null, TimeSpan.Zero, TimeSpan.FromMilliseconds(20));

        public (int Threads, long WorkingSetMb) Peak()
        {
            Sample();
            return (Volatile.Read(ref _peakThreads), Interlocked.Read(ref _peakWorkingSet) / (1024 * 1024));
        }

        public void Dispose() => _timer.Dispose();

        private void Sample()
        {
            using var process = Process.GetCurrentProcess();
            InterlockedMax(ref _peakThreads, process.Threads.Count);
            InterlockedMax(ref _peakWorkingSet, process.WorkingSet64);
        }

        private static void InterlockedMax(ref int target, int value)
        {
            var current = Volatile.Read(ref target);
            while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
            {
                current = seen;
            }
        }

        private static void InterlockedMax(ref long target, long value)
        {
            var current = Interlocked.Read(ref target);
            while (value > current && Interlocked.CompareExchange(ref target, value, current) is var seen && seen != current)
            {
                current = seen;
            }
        }
    }
}
