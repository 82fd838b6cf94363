namespace Threadwise.Samples.Unfixed;

/// <summary>
/// The thread pool used for work it is not made for: the mistakes of the TW3xxx family.
/// "Threads for waiting, parallel loops on dedicated workers for CPU work" — these invert it.
/// </summary>
public sealed class ThreadPoolWorkload
{
    private volatile bool _running = true;

    public Task StartPolling()
        // TW3001: a loop that runs until shutdown, parked on a pool thread.
        => Task.Run(() => { while (_running) { Poll(); } });

    public Task<int> FetchWithRetry(Task<int> download)
        => Task.Run(() =>
        {
            // TW3002: a pool thread that sleeps and then blocks on a task.
            Thread.Sleep(100);
            return download.Result;
        });

    public async Task<int> ProcessInBackgroundAsync(int item)
    {
        var result = 0;

        // TW3005: StartNew returns a Task<Task>; awaiting it does not wait for the work.
        await Task.Factory.StartNew(async () =>
        {
            await Task.Delay(50);
            result = item * 2;
        }, TaskCreationOptions.DenyChildAttach);
        return result;
    }

    public async Task<long> SumSquaresAsync(int[] numbers)
    {
        long total = 0;

        // TW3003: a blocking parallel loop in async code.
        Parallel.ForEach(numbers, n => Interlocked.Add(ref total, (long)n * n));
        await Task.Yield();
        return total;
    }

    public void CompressAll(IEnumerable<string> files)
    {
        var workers = new List<Thread>();
        foreach (var file in files)
        {
            // TW3004 (info; a warning under Strict): one thread per file, however many files.
            var worker = new Thread(() => Compress(file));
            worker.Start();
            workers.Add(worker);
        }

        foreach (var worker in workers)
        {
            worker.Join();
        }
    }

    public void Stop() => _running = false;

    private static void Poll() => Thread.Yield();

    private static void Compress(string file) => Console.WriteLine($"compressing {file}");
}

/// <summary>A one-shot signal that completes its waiters while holding its lock.</summary>
public sealed class ReadySignal
{
    private readonly object _gate = new();
    private readonly TaskCompletionSource<bool> _ready = new();
    private bool _set;

    public Task WaitAsync() => _ready.Task;

    public void Set()
    {
        lock (_gate)
        {
            _set = true;

            // TW3006 (info; a warning under Strict): the awaiters' continuations run here, inside the lock.
            _ready.TrySetResult(_set);
        }
    }
}
