using System.Diagnostics;

namespace Threadwise.Samples.Unfixed;

/// <summary>
/// Async code that blocks anyway: the mistakes of the TW1xxx family, as they appear in real
/// code that was "made async" one method at a time.
/// </summary>
public sealed class BlockingWorkload
{
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<int> LoadAsync(string path, CancellationToken cancellationToken)
    {
        // TW1007: the back-off delay keeps running after the caller cancels.
        await Task.Delay(1);

        // TW1004: synchronous file I/O with an async twin.
        var text = File.ReadAllText(path);

        // TW1004: a lock taken synchronously in async code.
        _gate.Wait();
        try
        {
            // TW1002: blocking on a task instead of awaiting it.
            var extra = CountWordsAsync(text).Result;

            // TW1006: the helper blocks, two calls down.
            var settings = LoadSettings(path);
            return extra + settings.Length;
        }
        finally
        {
            _gate.Release();
        }
    }

    public async Task WriteReportAsync(string path, IReadOnlyList<string> lines)
    {
        // TW1008: the writer flushes to disk when it is disposed: synchronously, here.
        using var writer = new StreamWriter(path);
        foreach (var line in lines)
        {
            await writer.WriteLineAsync(line);
        }
    }

    public async Task WaitForJobsAsync(Task[] jobs, Process worker)
    {
        // TW1003: blocking on several tasks at once.
        Task.WaitAll(jobs);

        // TW1004: waiting for a process synchronously.
        worker.WaitForExit();
        await Task.Yield();
    }

    // TW1005 (info; a warning here, under ThreadwiseAnalysisMode=Strict): sync-over-async in a private
    // helper. Its caller is async (and reported by TW1006), so the fix makes the helper async and
    // awaits it there; a caller that could not await would get no fix.
    private int Summarize(Task<int> pending) => pending.GetAwaiter().GetResult() * 2;

    public async Task<int> ReportAsync(Task<int> pending)
    {
        await Task.Yield();
        return Summarize(pending);
    }

    // Really asynchronous: a helper that only returns Task.FromResult(…) is complete when it returns, and
    // blocking on it would not be reported.
    private static async Task<int> CountWordsAsync(string text)
    {
        await Task.Yield();
        return text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length;
    }

    private static string LoadSettings(string path) => ReadConfig(path);

    private static string ReadConfig(string path) => File.ReadAllText(Path.ChangeExtension(path, ".json"));
}
