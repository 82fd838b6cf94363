using System.CommandLine;
using Threadwise.Samples.Workloads;

// The tutorial's workloads, corrected: threads for waiting, async for many waits, processes for
// CPU work, queues between them. `--help` on every command.
var jobs = new Option<int>("--jobs") { Description = "I/O-bound jobs to run", DefaultValueFactory = _ => 3 };
var latency = new Option<int>("--latency-ms") { Description = "how long the local service takes to answer", DefaultValueFactory = _ => 2000 };
var scale = new Option<int>("--scale") { Description = "concurrent requests in the async scale run", DefaultValueFactory = _ => 1000 };
var threadLimit = new Option<int>("--thread-limit") { Description = "threads in the thread-per-request comparison run (bounded to stay safe)", DefaultValueFactory = _ => 200 };
var bound = new Option<int>("--bound") { Description = "count the primes below this number", DefaultValueFactory = _ => 5_000_000 };
var workers = new Option<int>("--workers") { Description = "worker processes", DefaultValueFactory = _ => Environment.ProcessorCount };
var items = new Option<int>("--items") { Description = "items through each queue", DefaultValueFactory = _ => 100_000 };
var timeout = new Option<int>("--timeout-s") { Description = "seconds before a worker process is killed", DefaultValueFactory = _ => 120 };
var json = new Option<FileInfo?>("--json") { Description = "also write the results as JSON to this file" };
var quick = new Option<bool>("--quick") { Description = "small sizes, for a fast check" };
foreach (var positive in new[] { jobs, latency, scale, threadLimit, bound, workers, items, timeout })
{
    positive.Validators.Add(result =>
    {
        if (result.GetValueOrDefault<int>() <= 0)
        {
            result.AddError($"{result.Option.Name} must be a positive number");
        }
    });
}

var threads = new Command("threads", "N blocking requests one after another, then on N threads that are joined") { jobs, latency, json };
var asyncCommand = new Command("async", "the same with HttpClient and Task.WhenAll, plus a scale run of many concurrent requests") { jobs, latency, scale, threadLimit, json };
var processes = new Command("processes", "a CPU-bound prime count: sequential, Parallel.ForEach, and across worker processes") { bound, workers, timeout, json };
var queues = new Command("queues", "producer/consumer with BlockingCollection, Channel, and a pipe between processes") { items, timeout, json };
var all = new Command("all", "every workload, then one summary table") { quick, json, timeout };
var workerPrimes = new Command("worker-primes") { Hidden = true };
var from = new Argument<int>("from");
var to = new Argument<int>("to");
workerPrimes.Arguments.Add(from);
workerPrimes.Arguments.Add(to);
var workerEcho = new Command("worker-echo") { Hidden = true };

threads.SetAction(async (parse, ct) =>
{
    await using var server = new LocalHttpServer();
    var result = await Task.Run(() => ThreadsWorkload.Run(parse.GetValue(jobs), TimeSpan.FromMilliseconds(parse.GetValue(latency)), server), ct);
    return await ReportAsync([result], parse.GetValue(json));
});
asyncCommand.SetAction(async (parse, ct) =>
{
    await using var server = new LocalHttpServer();
    var result = await AsyncWorkload.RunAsync(parse.GetValue(jobs), parse.GetValue(scale), parse.GetValue(threadLimit), TimeSpan.FromMilliseconds(parse.GetValue(latency)), server, ct);
    return await ReportAsync([result], parse.GetValue(json));
});
processes.SetAction(async (parse, ct) =>
    await ReportAsync([await ProcessesWorkload.RunAsync(parse.GetValue(bound), parse.GetValue(workers), TimeSpan.FromSeconds(parse.GetValue(timeout)), ct)], parse.GetValue(json)));
queues.SetAction(async (parse, ct) =>
    await ReportAsync([await QueuesWorkload.RunAsync(parse.GetValue(items), TimeSpan.FromSeconds(parse.GetValue(timeout)), ct)], parse.GetValue(json)));
all.SetAction(async (parse, ct) =>
{
    var small = parse.GetValue(quick);
    var limit = TimeSpan.FromSeconds(parse.GetValue(timeout));
    var delay = TimeSpan.FromMilliseconds(small ? 200 : 2000);
    var results = new List<Result>();
    await using (var server = new LocalHttpServer())
    {
        Console.Error.WriteLine("[1/4] threads ...");
        results.Add(await Task.Run(() => ThreadsWorkload.Run(3, delay, server), ct));
        Console.Error.WriteLine("[2/4] async ...");
        results.Add(await AsyncWorkload.RunAsync(3, small ? 200 : 1000, small ? 50 : 200, delay, server, ct));
    }

    Console.Error.WriteLine("[3/4] processes ...");
    results.Add(await ProcessesWorkload.RunAsync(small ? 300_000 : 5_000_000, Environment.ProcessorCount, limit, ct));
    Console.Error.WriteLine("[4/4] queues ...");
    results.Add(await QueuesWorkload.RunAsync(small ? 10_000 : 100_000, limit, ct));
    return await ReportAsync(results, parse.GetValue(json), summary: true);
});
workerPrimes.SetAction(parse => ProcessesWorkload.Worker(parse.GetValue(from), parse.GetValue(to)));
workerEcho.SetAction(_ => QueuesWorkload.Echo());

var root = new RootCommand("Threadwise sample workloads: threads, async, processes and queues, corrected and timed")
{
    threads, asyncCommand, processes, queues, all, workerPrimes, workerEcho,
};

var parsed = root.Parse(args);
if (parsed.Errors.Count > 0)
{
    foreach (var error in parsed.Errors)
    {
        Console.Error.WriteLine(error.Message);
    }

    return 2;
}

return await parsed.InvokeAsync();

static async Task<int> ReportAsync(IReadOnlyList<Result> results, FileInfo? json, bool summary = false)
{
    foreach (var result in results)
    {
        result.Print();
    }

    if (summary)
    {
        Result.PrintSummary(results);
    }

    if (json is not null)
    {
        await File.WriteAllTextAsync(json.FullName, Result.ToJson(results));
    }

    return results.All(r => r.Correct) ? 0 : 1;
}
