using Threadwise.Samples.Unfixed;

// The unfixed workloads, run: they work, slowly or wrongly. `dotnet format analyzers` fixes them.
var elapsed = await AsyncWorkload.RunAsync(jobs: 3, latency: TimeSpan.FromMilliseconds(200), CancellationToken.None);
Console.WriteLine($"async: 3 jobs of 200 ms took {elapsed.TotalMilliseconds:F0} ms (awaited, about 200 ms; blocking, about 600 ms)");

const int Expected = 2_000_000;
var total = SharedStateWorkload.CountInParallel(Expected);
Console.WriteLine($"counter: {total:N0} of {Expected:N0} expected ({(total == Expected ? "correct" : "WRONG: updates were lost")})");

var mailbox = new Mailbox();
var sender = new Thread(() => mailbox.Put("delivered"));
sender.Start();
Console.WriteLine($"mailbox: {mailbox.Take()}");
sender.Join();

var background = await new ThreadPoolWorkload().ProcessInBackgroundAsync(21);
Console.WriteLine($"background: {background} ({(background == 42 ? "waited for" : "NOT waited for: the outer task finished first")})");
