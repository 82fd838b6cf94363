using System.Diagnostics;

namespace Threadwise.Samples.Unfixed;

/// <summary>
/// The tutorial's async example, written the way it often is at first: simulated I/O waits
/// that block the thread instead of awaiting.
/// </summary>
public static class AsyncWorkload
{
    public static async Task<TimeSpan> RunAsync(int jobs, TimeSpan latency, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var tasks = new List<Task<int>>();
        for (var i = 0; i < jobs; i++)
        {
            tasks.Add(FetchAsync(i, latency, cancellationToken));
        }

        await Task.WhenAll(tasks);
        return stopwatch.Elapsed;
    }

    private static async Task<int> FetchAsync(int id, TimeSpan latency, CancellationToken cancellationToken)
    {
        // TW1001: blocks a pool thread for the whole "request"; the jobs run one after another.
        Thread.Sleep(latency);
        await Task.Yield();
        return id;
    }

    public static Func<Task> Retry(Func<Task<bool>> attempt) => async () =>
    {
        while (!await attempt())
        {
            // TW1001 in an async lambda.
            Thread.Sleep(50);
        }
    };
}
