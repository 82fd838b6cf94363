namespace Threadwise.Samples.Unfixed;

/// <summary>
/// Shared data touched by several threads without the synchronization it needs: the mistakes of
/// the TW2xxx family, as a word-count over files written the quick way.
/// </summary>
public sealed class SharedStateWorkload
{
    private readonly object _gate = new();
    private readonly object _statsGate = new();
    private readonly SemaphoreSlim _writer = new(1, 1);
    private int _filesSeen;
    private long _totalWords;
    private int _linesSeen;
    private int _progressTicks;

    /// <summary>Counts to <paramref name="n"/> from many threads at once; the race loses updates.</summary>
    public static int CountInParallel(int n)
    {
        var count = 0;

        // TW2001: count++ from every Parallel.For body: lost updates, a wrong total.
        Parallel.For(0, n, i => count++);
        return count;
    }

    public long CountWords(IReadOnlyList<string> lines)
    {
        var perWord = new Dictionary<string, int>();
        Parallel.ForEach(lines, line =>
        {
            foreach (var word in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                // TW2001: a lost-update race on a shared counter.
                _totalWords++;

                // TW2002: a Dictionary written from several threads.
                perWord[word] = 1;
            }
        });

        return _totalWords + perWord.Count;
    }

    /// <summary>Counts lines with a method handed to Parallel.ForEach by name.</summary>
    public int CountLines(IReadOnlyList<string> lines)
    {
        Parallel.ForEach(lines, CountLine);
        return _linesSeen;
    }

    // TW2001 through a method group: CountLine runs on every Parallel.ForEach thread at once.
    private void CountLine(string line) => _linesSeen++;

    /// <summary>Samples progress every 100 ms until the returned timer is disposed.</summary>
    public Timer StartProgressTimer() => new(SampleProgress, null, 0, 100);

    // TW2001 in a timer callback: a periodic timer's callbacks overlap when one runs long.
    private void SampleProgress(object? state) => _progressTicks++;

    public void RecordFile()
    {
        lock (_gate)
        {
            _filesSeen++;
        }
    }

    // TW2003: the same field, written here without the lock RecordFile takes.
    public void ResetStats() => _filesSeen = 0;

    public void Log(string message)
    {
        // TW2004: locking on a string, which every caller in the process shares.
        lock ("log")
        {
            Console.WriteLine(message);
        }
    }

    public void UpdateBoth()
    {
        lock (_gate)
        {
            // TW2005 (compilation end): _statsGate inside _gate here ...
            lock (_statsGate) { _filesSeen++; }
        }
    }

    public void UpdateBothOtherWay()
    {
        lock (_statsGate)
        {
            // ... and _gate inside _statsGate here.
            lock (_gate) { _filesSeen++; }
        }
    }

    public async Task WriteAsync(Func<Task> write)
    {
        // TW2006: released, but not in finally.
        await _writer.WaitAsync();
        await write();
        _writer.Release();
    }

    public async Task FlushAsync(Func<Task> flush)
    {
        // TW2007: a thread-affine lock held across an await.
        Monitor.Enter(_gate);
        try
        {
            await flush();
        }
        finally
        {
            Monitor.Exit(_gate);
        }
    }
}

/// <summary>A one-slot mailbox written the old way: the lock and its Monitor signals on 'this'.</summary>
public sealed class Mailbox
{
    private string? _item;

    public void Put(string item)
    {
        // TW2004: 'this' of a public type: any caller can lock it too. The fix must move the
        // Monitor calls inside with the lock, or they throw.
        lock (this)
        {
            _item = item;
            Monitor.PulseAll(this);
        }
    }

    public string Take()
    {
        lock (this)
        {
            while (_item is null)
            {
                Monitor.Wait(this);
            }

            var item = _item;
            _item = null;
            return item;
        }
    }
}
