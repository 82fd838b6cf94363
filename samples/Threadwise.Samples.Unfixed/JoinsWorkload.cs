using System.Diagnostics;

namespace Threadwise.Samples.Unfixed;

/// <summary>
/// Work that is started and never waited for: the mistakes of the TW4xxx family. The tutorial
/// ends every threading example with join() and every async one with gather; these forget to.
/// </summary>
public sealed class JoinsWorkload
{
    public Task<string> ReadFirstLineAsync(string path)
    {
        using var reader = new StreamReader(path);

        // TW4007: the reader is disposed as soon as the task is returned, not when it completes.
        return reader.ReadLineAsync().ContinueWith(line => line.Result ?? string.Empty);
    }

    public static async Task<int> ReadHeaderAsync(Stream stream, byte[] buffer)
    {
        var read = stream.ReadAsync(buffer);
        var length = await read;
        // TW4008: a ValueTask awaited twice: its pooled source may already serve another read.
        return length + await read;
    }

    public void DownloadOnThreads(IReadOnlyList<string> urls)
    {
        foreach (var url in urls)
        {
            // TW4001: started, never joined; the method returns while the downloads still run.
            var thread = new Thread(() => Console.WriteLine($"fetched {url}"));
            thread.Start();
        }
    }

    public async Task DownloadAsync(IReadOnlyList<string> urls)
    {
        // TW4003: the tasks are collected but nobody awaits them.
        var downloads = new List<Task>();
        foreach (var url in urls)
        {
            downloads.Add(FetchAsync(url));
        }

        // TW4002: the audit task is dropped.
        AuditAsync(urls.Count);

        // TW4005: async lambda as an Action: ForEach returns before the work is done.
        urls.ToList().ForEach(async url => await FetchAsync(url));
        await Task.Yield();
    }

    // TW4004: async void; callers cannot await it, its exceptions crash the process.
    public async void Refresh() => await FetchAsync("refresh");

    public async Task ReloadAsync()
    {
        await FetchAsync("reload");
        WarmCache();
    }

    // TW4004: a private async void helper: ReloadAsync finishes before the cache is warm.
    private async void WarmCache() => await FetchAsync("warm");

    public void RunWorker(string arguments)
    {
        // TW4006: a worker process started and never waited for.
        Process.Start(Environment.ProcessPath ?? "dotnet", arguments);
    }

    private static Task FetchAsync(string url) => Task.Delay(10);

    private static Task AuditAsync(int count) => Task.CompletedTask;
}
