using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Threading.Channels;

namespace Threadwise.Samples.Workloads;

/// <summary>
/// Producer/consumer three ways: a BlockingCollection between threads, a Channel between async
/// tasks, and a pipe (stdin/stdout) between processes. Each checks that every item arrived exactly
/// once, and in order (all three models promise order with one producer and one consumer).
/// </summary>
public static class QueuesWorkload
{
    public static async Task<Result> RunAsync(int items, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var threads = Stopwatch.StartNew();
        // Threads for waiting: the blocking hand-over runs on its own threads, off the async caller.
        var threadItems = await Task.Run(() => BetweenThreads(items), cancellationToken);
        threads.Stop();

        var tasks = Stopwatch.StartNew();
        var taskItems = await BetweenTasksAsync(items, cancellationToken);
        tasks.Stop();

        var processes = Stopwatch.StartNew();
        var processItems = await BetweenProcessesAsync(items, timeout, cancellationToken);
        processes.Stop();

        var expected = Enumerable.Range(0, items).ToList();
        var ok = threadItems.SequenceEqual(expected) && taskItems.SequenceEqual(expected) && processItems.SequenceEqual(expected);
        return new Result(
            "queues",
            $"{items:N0} items, one producer, one consumer",
            [
                new("BlockingCollection, threads", threads.Elapsed),
                new("Channel, async tasks", tasks.Elapsed),
                new("pipe, processes", processes.Elapsed),
            ],
            ok,
            ok ? "every item exactly once, in order, all three ways" : "items lost, duplicated or reordered");
    }

    /// <summary>The pipe's other end: echoes each line of standard input to standard output.</summary>
    public static int Echo()
    {
        string? line;
        while ((line = Console.In.ReadLine()) is not null)
        {
            Console.Out.WriteLine(line);
        }

        return 0;
    }

    private static List<int> BetweenThreads(int items)
    {
        using var queue = new BlockingCollection<int>(boundedCapacity: 1024);
        var received = new List<int>(items);
        var producer = new Thread(() =>
        {
            for (var i = 0; i < items; i++)
            {
                queue.Add(i);
            }

            queue.CompleteAdding();
        });
        var consumer = new Thread(() => received.AddRange(queue.GetConsumingEnumerable()));
        producer.Start();
        consumer.Start();
        producer.Join();
        consumer.Join();
        return received;
    }

    private static async Task<List<int>> BetweenTasksAsync(int items, CancellationToken cancellationToken)
    {
        var channel = Channel.CreateBounded<int>(1024);
        var producer = Task.Run(
            async () =>
            {
                for (var i = 0; i < items; i++)
                {
                    await channel.Writer.WriteAsync(i, cancellationToken);
                }

                channel.Writer.Complete();
            },
            cancellationToken);
        var received = new List<int>(items);
        await foreach (var item in channel.Reader.ReadAllAsync(cancellationToken))
        {
            received.Add(item);
        }

        await producer;
        return received;
    }

    private static async Task<List<int>> BetweenProcessesAsync(int items, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var start = SelfProcess.StartInfo("worker-echo");
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start the echo process");
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        try
        {
            var writer = Task.Run(
                async () =>
                {
                    for (var i = 0; i < items; i++)
                    {
                        await process.StandardInput.WriteLineAsync(i.ToString(CultureInfo.InvariantCulture).AsMemory(), deadline.Token);
                    }

                    process.StandardInput.Close();
                },
                deadline.Token);
            var received = new List<int>(items);
            while (await process.StandardOutput.ReadLineAsync(deadline.Token) is { } line)
            {
                received.Add(int.Parse(line, CultureInfo.InvariantCulture));
            }

            await writer;
            await process.WaitForExitAsync(deadline.Token);
            return received;
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            throw new TimeoutException($"the echo process did not finish within {timeout.TotalSeconds:F0} s and was killed");
        }
    }
}
