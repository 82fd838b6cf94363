using Microsoft.CodeAnalysis.Testing;
using Threadwise.Tests.Infrastructure;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.ThreadPool.AsyncDelegateToStartNewAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.ThreadPool.AsyncDelegateToStartNewAnalyzer, Threadwise.ThreadPool.AsyncDelegateToStartNewFixProvider>;

namespace Threadwise.Tests.ThreadPool;

public class AsyncDelegateToStartNewTests
{
    private static DiagnosticResult Tw3005(int markup, string call = "Task.Factory.StartNew")
        => VerifyAnalyzer.Diagnostic(Descriptors.TW3005AsyncDelegateToStartNew).WithLocation(markup).WithArguments(call);

    public static TheoryData<string> Frameworks => new() { "net8", "net10" };

    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task AsyncDelegatesWhoseOuterTaskIsUsedAsTheWork_AreFlagged(string framework) => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            static Task WorkAsync() => Task.Delay(1);

            async Task M(CancellationToken ct, TaskFactory factory)
            {
                await {|#0:Task.Factory.StartNew(async () => await Task.Delay(10))|};
                {|#1:Task.Factory.StartNew(WorkAsync, TaskCreationOptions.LongRunning)|}.Wait();
                await Task.WhenAll({|#2:factory.StartNew(async () => { await Task.Yield(); })|});
                await Task.WhenAll({|#3:new Task<Task>(async () => await Task.Delay(1))|});
                Func<Task> work = WorkAsync;
                await {|#4:Task.Factory.StartNew(work, ct)|}.ConfigureAwait(false);
                {|#6:Task.Factory.StartNew(WorkAsync)|}.GetAwaiter().GetResult();
                _ = {|#7:Task.Factory.StartNew(WorkAsync)|}.Result;
            }

            Task Started() => {|#5:Task.Factory.StartNew(async () => await Task.Delay(10))|};
        }
        """, framework == "net10" ? References.Net100 : References.Net80,
        Tw3005(0), Tw3005(1), Tw3005(2), Tw3005(3, "new Task<Task>"), Tw3005(4), Tw3005(6), Tw3005(7), Tw3005(5));

    // Streamiz's start-up: `await Task.Factory.StartNew(() => { …; return Task.CompletedTask; }, token)`. A
    // synchronous lambda whose every return is a finished task does its work before the outer task
    // completes; nothing is lost. One that returns a running task, one that returns from a nested lambda
    // only, and an async lambda are reported.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task SynchronousLambdaReturningOnlyFinishedTasks_IsNotFlagged(string framework) => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Streams
        {
            Task InitAsync() => Task.Delay(10);

            async Task StartAsync(CancellationToken token, bool ready)
            {
                await Task.Factory.StartNew(() =>
                {
                    if (!ready)
                    {
                        return Task.CompletedTask;
                    }

                    Console.WriteLine("starting");
                    return Task.FromResult(1);
                }, token);

                await {|#0:Task.Factory.StartNew(() => ready ? Task.CompletedTask : InitAsync(), token)|};
                await {|#1:Task.Factory.StartNew(() => { Func<Task> f = () => Task.CompletedTask; return f(); })|};
                await {|#2:Task.Factory.StartNew(async () => { await Task.Yield(); return; })|};
            }
        }
        """, framework == "net10" ? References.Net100 : References.Net80, Tw3005(0), Tw3005(1), Tw3005(2));

    // LibUsbDotNet's transfer-queue reader: `StartNew(TransferQueueRead, token, LongRunning, Default)` over a
    // synchronous `Task TransferQueueRead()` that loops, then returns `Task.CompletedTask`. A method given by
    // name whose every return is a finished task (lambdas inside it aside) is that synchronous delegate;
    // an async method, or one that returns another task, is reported.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task SynchronousMethodGroupReturningOnlyFinishedTasks_IsNotFlagged(string framework) => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        class Reader
        {
            private readonly CancellationTokenSource _cts = new();
            private readonly List<Task> _queue = new();

            private Task TransferQueueRead()
            {
                while (!_cts.IsCancellationRequested)
                {
                    var first = _queue.FirstOrDefault(t => t.IsCompleted);
                    _queue.Remove(first);
                }

                return Task.CompletedTask;
            }

            private Task Forward() => Task.Delay(10);

            private async Task ReadAsync() => await Task.Delay(10);

            async Task StartAsync()
            {
                await Task.Factory.StartNew(TransferQueueRead, _cts.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                await {|#0:Task.Factory.StartNew(Forward)|};
                await {|#1:Task.Factory.StartNew(ReadAsync)|};
            }
        }
        """, framework == "net10" ? References.Net100 : References.Net80, Tw3005(0), Tw3005(1));

    [Fact]
    public Task UnwrappedKeptOrSynchronousDelegates_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M()
            {
                await Task.Factory.StartNew(async () => await Task.Delay(10)).Unwrap();
                await await Task.Factory.StartNew(async () => await Task.Delay(10));
                await (await Task.Factory.StartNew(async () => await Task.Delay(10)).ConfigureAwait(false));
                // dotnet/diagnostics' event pipe processor: both awaits configured.
                await (await Task.Factory.StartNew(async () => await Task.Delay(10), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).ConfigureAwait(false)).ConfigureAwait(false);
                var kept = Task.Factory.StartNew(async () => await Task.Delay(10));
                await kept.Unwrap();

                // Fire-and-forget: nobody waits for the outer task, so nothing is lost that a dropped
                // Task would not lose (TW4002 reports the plain statement).
                _ = Task.Factory.StartNew(async () => await Task.Delay(10), CancellationToken.None, TaskCreationOptions.PreferFairness, TaskScheduler.Default).ConfigureAwait(false);
                _ = Task.Factory.StartNew(async () => await Task.Delay(10));
                Task.Factory.StartNew(async () => await Task.Delay(10));

                // Lazy start, the deliberate form: kept as a Task<Task>, unwrapped, then started.
                var lazy = new Task<Task>(async () => await Task.Delay(10));
                var work = lazy.Unwrap();
                lazy.Start();
                await work;
                await Task.Factory.StartNew(() => 1, TaskCreationOptions.LongRunning);
                await Task.Run(async () => await Task.Delay(10));

                // Unwrapped by hand: the outer task is waited for and the inner task it yields kept
                // (Cassandra's timer disposes that way), then waited for in turn.
                var inner = Task.Factory.StartNew(() => { return Task.Delay(10); }).GetAwaiter().GetResult();
                inner.GetAwaiter().GetResult();
                var second = await Task.Factory.StartNew(async () => await Task.Delay(10));
                await second;
                Task third = (Task.Factory.StartNew(async () => await Task.Delay(10)).Result);
                await third;
                return await Task.Factory.StartNew(() => 2);
            }
        }
        """);

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                await Task.Factory.StartNew(async () => await Missing());
                await Task.Factory.StartNew(async () =>
                Task.Factory.StartNew(
            }
        }
        """);

    [Fact]
    public Task Fix_Unwraps_KeepingSchedulerAndOptions() => VerifyFix.CodeFixAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct)
            {
                await {|#0:Task.Factory.StartNew(async () => await Task.Delay(10, ct), ct, TaskCreationOptions.None, TaskScheduler.Current)|}; // keep
            }

            Task Started() => {|#1:Task.Factory.StartNew(async () => await Task.Delay(10))|};
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct)
            {
                await Task.Factory.StartNew(async () => await Task.Delay(10, ct), ct, TaskCreationOptions.None, TaskScheduler.Current).Unwrap(); // keep
            }

            Task Started() => Task.Factory.StartNew(async () => await Task.Delay(10)).Unwrap();
        }
        """, Tw3005(0), Tw3005(1));

    [Fact]
    public Task OuterTaskStoredAsAPlainTask_IsFlagged_AndFixedByUnwrapping() => VerifyFix.CodeFixAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Pump
        {
            private Task _pump;
            private readonly CancellationTokenSource _cts = new CancellationTokenSource();

            private async Task RunAsync(CancellationToken token) => await Task.Delay(10, token);

            public void Start()
            {
                _pump = {|#0:Task.Factory.StartNew(() => RunAsync(_cts.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default)|};
                Task local = {|#1:Task.Factory.StartNew(async () => await Task.Delay(1))|};
                local.Wait();
            }

            public void Stop() => _pump?.Wait(1000);
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;

        class Pump
        {
            private Task _pump;
            private readonly CancellationTokenSource _cts = new CancellationTokenSource();

            private async Task RunAsync(CancellationToken token) => await Task.Delay(10, token);

            public void Start()
            {
                _pump = Task.Factory.StartNew(() => RunAsync(_cts.Token), CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default).Unwrap();
                Task local = Task.Factory.StartNew(async () => await Task.Delay(1)).Unwrap();
                local.Wait();
            }

            public void Stop() => _pump?.Wait(1000);
        }
        """, Tw3005(0), Tw3005(1));

    [Fact]
    public Task Fix_IsNotOffered_ForTheTaskConstructor() => VerifyFix.NoCodeFixAsync("""
        using System.Threading.Tasks;

        class C
        {
            static void Start(Task task) => task.Start();

            void M()
            {
                Start({|#0:new Task<Task>(async () => await Task.Delay(1))|});
            }
        }
        """, Tw3005(0, "new Task<Task>"));
}
