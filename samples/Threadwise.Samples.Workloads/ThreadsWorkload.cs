using System.Diagnostics;

namespace Threadwise.Samples.Workloads;

/// <summary>Threads for waiting: N blocking I/O jobs run one after another, then on N threads that are joined.</summary>
public static class ThreadsWorkload
{
    public static Result Run(int jobs, TimeSpan latency, LocalHttpServer server)
    {
        using var client = new HttpClient();
        var uri = server.DelayUri(latency);

        var sequential = Stopwatch.StartNew();
        var sequentialOk = 0;
        for (var i = 0; i < jobs; i++)
        {
            sequentialOk += Fetch(client, uri);
        }

        sequential.Stop();

        var threaded = Stopwatch.StartNew();
        var results = new int[jobs];
        var threads = Enumerable.Range(0, jobs)
            .Select(job => new Thread(() => results[job] = Fetch(client, uri)) { Name = $"job {job}" })
            .ToList();
        threads.ForEach(thread => thread.Start());
        threads.ForEach(thread => thread.Join());
        threaded.Stop();

        var ok = sequentialOk == jobs && results.Sum() == jobs;
        return new Result(
            "threads",
            $"{jobs} blocking requests of {latency.TotalMilliseconds:F0} ms",
            [new("sequential", sequential.Elapsed), new($"{jobs} threads, joined", threaded.Elapsed)],
            ok,
            ok ? $"all {jobs} answered both ways" : "some requests failed");
    }

    // A dedicated thread may block: that is what it is for.
    private static int Fetch(HttpClient client, Uri uri)
    {
        using var response = client.Send(new HttpRequestMessage(HttpMethod.Get, uri));
        return response.IsSuccessStatusCode ? 1 : 0;
    }
}
