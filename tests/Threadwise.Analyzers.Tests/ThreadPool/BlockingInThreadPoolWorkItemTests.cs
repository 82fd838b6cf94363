using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.ThreadPool.BlockingInThreadPoolWorkItemAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.ThreadPool.BlockingInThreadPoolWorkItemAnalyzer, Threadwise.ThreadPool.BlockingInThreadPoolWorkItemFixProvider>;

namespace Threadwise.Tests.ThreadPool;

public class BlockingInThreadPoolWorkItemTests
{
    private const string Fixable = "; make the lambda async and await instead";

    private static DiagnosticResult Tw3002(int markup, string blocking, string call, string advice = "")
        => VerifyAnalyzer.Diagnostic(Descriptors.TW3002BlockingInThreadPoolWorkItem).WithLocation(markup).WithArguments(blocking, call, advice);

    // ARSoft.Tools.Net's connection pool: `if (_pool.TryGetValue(key, out task) && task.IsCompleted)
    // Task.Run(() => task.Result.MarkFaulty());`. The lambda runs later, but a task never stops being
    // complete, and the captured local still holds it. A local written after the lambda, inside a lambda,
    // or in a loop around it may hand the work item another task: reported.
    // A pool work item that waits for a person to attach a debugger (`while (!Debugger.IsAttached)
    // Thread.Sleep(…)`) holds a pool thread only while someone debugs: a debugging aid. Other sleeps are reported.
    [Fact]
    public Task WaitForADebugger_IsNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Diagnostics;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                Task.Run(() =>
                {
                    while (!Debugger.IsAttached)
                    {
                        Thread.Sleep(100);
                    }

                    {|#0:Thread.Sleep(5)|};
                });
            }
        }
        """, Tw3002(0, "Thread.Sleep", "Task.Run", Fixable));

    [Fact]
    public Task ResultOfACapturedTaskCheckedComplete_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class Connection { public void MarkFaulty() { } }

        class Pool
        {
            private readonly Dictionary<string, Task<Connection>> _pool = new();

            public void Evict(string key)
            {
                Task<Connection> task;
                if (_pool.TryGetValue(key, out task) && task.IsCompleted && task.Result != null)
                {
                    Task.Run(() => task.Result.MarkFaulty());
                }
            }

            public void EvictGiven(Task<Connection> given)
            {
                if (given.IsCompletedSuccessfully)
                {
                    Task.Run(() => given.Result.MarkFaulty());
                }
            }

            public void Replaced(string key)
            {
                var task = _pool[key];
                if (task.IsCompleted)
                {
                    Task.Run(() => {|#0:task.Result|}.MarkFaulty());
                }

                task = _pool["other"];
            }

            public void InLoop(string[] keys)
            {
                Task<Connection> task = null;
                foreach (var key in keys)
                {
                    task = _pool[key];
                    if (task.IsCompleted)
                    {
                        Task.Run(() => {|#1:task.Result|}.MarkFaulty());
                    }
                }
            }
        }
        """, Tw3002(0, "Result", "Task.Run", Fixable), Tw3002(1, "Result", "Task.Run", Fixable));

    // An in-memory consumer "emulates async" with `Task.Run(() => Acknowledge(m))`: a method of the
    // project beside its async twin whose own body blocks on nothing (a dictionary removal) does not block
    // the pool thread, as TW1004 judges it. One whose body waits is reported.
    [Fact]
    public Task MethodBesideItsTwin_ThatBlocksOnNothing_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Concurrent;
        using System.Threading;
        using System.Threading.Tasks;

        class Consumer
        {
            private readonly ConcurrentDictionary<string, int> _locked = new();
            private readonly SemaphoreSlim _signal = new(0);

            public void Acknowledge(string id) => _locked.TryRemove(id, out _);

            public Task AcknowledgeAsync(string id, CancellationToken token = default) => Task.Run(() => Acknowledge(id), token);

            public void Receive() => _signal.Wait();

            public Task ReceiveAsync() => Task.Run(() => {|#0:Receive()|});
        }
        """, Tw3002(0, "Consumer.Receive", "Task.Run"));

    // An "async over sync" wrapper, `ReadAsync(…) => Task.Run(() => Read(…))`: Read looks blocking only
    // because ReadAsync, the method this work item belongs to, is its twin. Its own body decides: a
    // transport behind an interface proves nothing; a body that sleeps is reported.
    [Fact]
    public Task WrapperTwin_ThatIsTheEnclosingMethod_ProvesNothing() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        interface ITransport { byte[] Exchange(byte[] request); }

        class Master
        {
            private readonly ITransport _transport;

            public Master(ITransport transport) => _transport = transport;

            public byte[] ReadCoils(byte slave) => _transport.Exchange(new[] { slave });

            public Task<byte[]> ReadCoilsAsync(byte slave) => Task.Run(() => ReadCoils(slave));

            public byte[] ReadInputs(byte slave) => _transport.Exchange(new[] { slave, slave });

            public Task<byte[]> ReadInputsAsync(byte slave) => Task.Factory.StartNew(() => ReadInputs(slave));

            public void Retry() => Thread.Sleep(100);

            public Task RetryAsync() => Task.Run(() => {|#0:Retry()|});
        }
        """, Tw3002(0, "Master.Retry", "Task.Run"));

    // A behaviour that is either synchronous or asynchronous: `if (b is AsyncBehaviour a) await
    // a.ExecuteAsync(…); else await Task.Run(() => b.Execute(…));` offloads the synchronous form exactly where
    // the async one is not offered, so the twin proves nothing and the body decides. An abstract body proves
    // nothing; a body that sleeps is reported; so is the same work item beside a branch that awaits another
    // method, and one that is not awaited beside the twin at all.
    [Fact]
    public Task WorkItemBesideItsAwaitedTwin_IsJudgedByItsBody() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        abstract class Behaviour
        {
            public abstract void Execute(int step);
            public abstract Task ExecuteAsync(int step);

            public void Pause(int step) => Thread.Sleep(step);
            public Task PauseAsync(int step) => Task.Delay(step);

            public abstract void Apply(int step);
            public abstract Task ApplyAsync(int step);
        }

        sealed class AsyncBehaviour : Behaviour
        {
            public override void Execute(int step) => throw new InvalidOperationException();
            public override Task ExecuteAsync(int step) => Task.CompletedTask;
            public override void Apply(int step) => throw new InvalidOperationException();
            public override Task ApplyAsync(int step) => Task.CompletedTask;
        }

        class Machine
        {
            public bool KeepContext { get; set; }

            public async Task FireAsync(Behaviour behaviour, int step)
            {
                if (behaviour is AsyncBehaviour asyncBehaviour)
                    await asyncBehaviour.ExecuteAsync(step);
                else if (KeepContext)
                    await Task.Factory.StartNew(() => behaviour.Execute(step), CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default);
                else
                    await Task.Run(() => behaviour.Execute(step));

                if (behaviour is AsyncBehaviour pausing)
                    await pausing.PauseAsync(step);
                else
                    await Task.Run(() => {|#0:behaviour.Pause(step)|});

                if (behaviour is AsyncBehaviour applying)
                    await applying.ExecuteAsync(step);
                else
                    await Task.Run(() => {|#1:behaviour.Apply(step)|});

                await Task.Run(() => {|#2:behaviour.Execute(step)|});
            }
        }
        """,
        Tw3002(0, "Behaviour.Pause", "Task.Run"), Tw3002(1, "Behaviour.Apply", "Task.Run"), Tw3002(2, "Behaviour.Execute", "Task.Run"));

    [Fact]
    public Task BlockingInPoolWorkItems_IsFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(Task<int> pending, WaitHandle handle, int[] items, string path)
            {
                Task.Run(() => {|#0:Thread.Sleep(100)|});
                Task.Run(() => {|#1:pending.Result|});
                Task.Factory.StartNew(() => {|#2:pending.Wait()|});
                ThreadPool.QueueUserWorkItem(_ => {|#3:handle.WaitOne()|});
                Parallel.ForEach(items, item => {|#4:Thread.Sleep(item)|});
                _ = new Timer(_ => {|#5:pending.GetAwaiter().GetResult()|}, null, 0, 100);
                Task.Run(() => {|#6:File.ReadAllText(path)|});
            }
        }
        """,
        Tw3002(0, "Thread.Sleep", "Task.Run", Fixable), Tw3002(1, "Result", "Task.Run", Fixable),
        Tw3002(2, "Wait", "Task.Factory.StartNew"), Tw3002(3, "WaitHandle.WaitOne", "ThreadPool.QueueUserWorkItem"),
        Tw3002(4, "Thread.Sleep", "Parallel.ForEach"), Tw3002(5, "GetAwaiter().GetResult()", "new Timer"),
        Tw3002(6, "File.ReadAllText", "Task.Run"));

    // FluentModbus's server: `Task.Run(() => { _event.Wait(ct); while (!ct.IsCancellationRequested) { …;
    // _event.Wait(ct); } })`. TW3001 reports the unbounded loop; once the work item runs on a thread of its
    // own its waits block no pool thread, so they are left to it — also for a method group whose body is
    // such a loop. A loop with an end, and a Parallel body (not TW3001's), keep their findings.
    [Fact]
    public Task WaitsInAWorkItemTw3001Reports_AreLeftToIt() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Server
        {
            private readonly ManualResetEventSlim _event = new();

            void Start(CancellationToken token, int[] items)
            {
                Task.Run(() =>
                {
                    _event.Wait(token);
                    while (!token.IsCancellationRequested)
                    {
                        _event.Reset();
                        _event.Wait(token);
                    }
                }, token);

                Task.Run(Serve);

                Task.Run(() =>
                {
                    for (var i = 0; i < 3; i++)
                    {
                        {|#0:_event.Wait(token)|};
                    }
                });

                Parallel.ForEach(items, item =>
                {
                    while (true)
                    {
                        {|#1:_event.Wait(token)|};
                    }
                });
            }

            void Serve()
            {
                while (true)
                {
                    _event.Wait();
                }
            }
        }
        """, Tw3002(0, "ManualResetEventSlim.Wait", "Task.Run"), Tw3002(1, "ManualResetEventSlim.Wait", "Parallel.ForEach"));

    // The message names the entry point by symbol: no comments or line breaks from the source.
    [Fact]
    public Task Message_NamesTheEntryPoint_WithoutItsSourceText() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly TaskFactory _factory = new();

            void M(Task<int> pending)
            {
                Task
                    .Factory /* the default scheduler */
                    .StartNew(() => {|#0:pending.Wait()|});
                _factory.StartNew(() => {|#1:Thread.Sleep(5)|});
                _ = new System.Threading.Timer(_ => {|#2:Thread.Sleep(5)|});
            }
        }
        """,
        Tw3002(0, "Wait", "Task.Factory.StartNew"), Tw3002(1, "Thread.Sleep", "_factory.StartNew"), Tw3002(2, "Thread.Sleep", "new Timer"));

    [Fact]
    public Task DedicatedThreadsLongRunningAsyncAndCpuWork_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(Task<int> pending, int[] items, string[] paths)
            {
                new Thread(() => Thread.Sleep(100)).Start();
                Task.Factory.StartNew(() => Thread.Sleep(100), TaskCreationOptions.LongRunning);
                Task.Run(async () => await Task.Delay(100));
                Parallel.ForEach(paths, p => File.ReadAllText(p));
                Task.Run(() => Task.FromResult(1).Result);
                Task.Run(() => Thread.Sleep(0));
                Task.Run(() => { System.Action later = () => Thread.Sleep(5); });
                Thread.Sleep(10);
            }
        }
        """);

    // Hazel-Networking simulates network lag for tests: `#if DEBUG if (TestLagMs > 0) QueueUserWorkItem(_ =>
    // { Thread.Sleep(TestLagMs); Send(); }) else #endif Send();`. Release builds never run it; nor the
    // `#else` of `#if !DEBUG`. Another symbol's branch, an `#elif` and code after `#endif` are reported; so is
    // a real wait in debug-only code (only the sleep is the aid).
    [Fact]
    public Task SleepCompiledOnlyInDebugBuilds_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        #define DEBUG
        #define TRACE
        using System.Threading;
        using System.Threading.Tasks;

        class Connection
        {
            public int TestLagMs { get; set; }

            void Write(byte[] bytes, Task pending)
            {
        #if DEBUG
                if (TestLagMs > 0)
                {
                    ThreadPool.QueueUserWorkItem(_ => { Thread.Sleep(TestLagMs); Send(bytes); });
                }
        #if TRACE
                Task.Run(() => Thread.Sleep(TestLagMs));
        #endif
                Task.Run(() => {|#0:pending.Wait()|});
        #else
                Task.Run(() => Thread.Sleep(TestLagMs));
        #endif
        #if (DEBUG && TRACE)
                Task.Run(() => Thread.Sleep(1));
        #elif TRACE
                Task.Run(() => Thread.Sleep(2));
        #endif
        #if TRACE
                Task.Run(() => {|#1:Thread.Sleep(3)|});
        #elif DEBUG
                Task.Run(() => Thread.Sleep(4));
        #endif
        #if !DEBUG
                Task.Run(() => Thread.Sleep(5));
        #else
                Task.Run(() => Thread.Sleep(6));
        #endif
        #if !DEBUG
                Task.Run(() => Thread.Sleep(7));
        #elif TRACE
                Task.Run(() => {|#2:Thread.Sleep(8)|});
        #else
                Task.Run(() => Thread.Sleep(9));
        #endif
                Task.Run(() => {|#3:Thread.Sleep(TestLagMs)|});
            }

            void Send(byte[] bytes) { }
        }
        """,
        Tw3002(0, "Wait", "Task.Run", Fixable),
        Tw3002(1, "Thread.Sleep", "Task.Run", Fixable),
        Tw3002(2, "Thread.Sleep", "Task.Run", Fixable),
        Tw3002(3, "Thread.Sleep", "Task.Run", Fixable));

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                Task.Run(() => Thread.Sleep();
                Task.Run(() => Missing.Result);
                Task.Run(
            }
        }
        """);

    // The wrapper and twin-body questions, asked where the wrapper or the body is half-typed.
    // A work item whose loop is being written (a read whose result is not yet tested, a missing stream).
    [Fact]
    public Task BrokenWorkItemLoops_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Server
        {
            void Start(Missing source, ManualResetEventSlim signal)
            {
                Task.Run(() =>
                {
                    while (true)
                    {
                        var n = source.Read(;
                        if (n <= ) break;
                        signal.Wait();
                    }
                });

                Task.Run(Serve);
            }

            void Serve()
            {
                while (Unknown.Running)
                {
                }
            }
        }
        """);

    [Fact]
    public Task BrokenWrappers_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading.Tasks;

        class Master
        {
            public byte[] Read(byte slave) => Missing.Exchange(slave;

            public Task<byte[]> ReadAsync(byte slave) => Task.Run(() => Read(slave);

            public void Ack() { _locked.TryRemove( }

            public Task AckAsync() => Task.Run(() => Ack());
        }
        """);

    // The earlier-reference question, asked where a method group is half-typed or does not bind.
    [Fact]
    public Task BrokenMethodGroupsHandedTwice_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading;

        class Registrar
        {
            void Register(object? state) => Thread.Sleep(;

            void Start()
            {
                _ = new Timer(Register, null, 0, ;
                _ = new Timer(this.Register, Missing, 0, 1000);
                ThreadPool.QueueUserWorkItem(Register.;
                _ = nameof(Register);
                _ = new Timer(Register, null, 0, 1000);
            }
        }
        """);

    [Fact]
    public Task Fix_MakesTaskRunLambdaAsync() => VerifyFix.CodeFixAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            Task<int> M(Task<int> pending, CancellationToken ct)
            {
                Task.Run(() => {|#0:Thread.Sleep(100)|});
                return Task.Run(() =>
                {
                    {|#1:Thread.Sleep(5)|};
                    return {|#2:pending.Result|} + 1;
                });
            }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            Task<int> M(Task<int> pending, CancellationToken ct)
            {
                Task.Run(async () => await Task.Delay(100, ct));
                return Task.Run(async () =>
                {
                    await Task.Delay(5, ct);
                    return await pending + 1;
                });
            }
        }
        """,
        Tw3002(0, "Thread.Sleep", "Task.Run", Fixable), Tw3002(1, "Thread.Sleep", "Task.Run", Fixable), Tw3002(2, "Result", "Task.Run", Fixable));

    [Fact]
    public Task Fix_IsNotOffered_WhereTheTargetTakesNoFuncOfTask() => VerifyFix.NoCodeFixAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(int[] items, Task t) => Parallel.ForEach(items, item => {|#0:t.Wait()|});
        }
        """, Tw3002(0, "Wait", "Parallel.ForEach"));

    // The work item handed over by name: its first blocking call is reported at the method group.
    [Fact]
    public Task MethodGroupWorkItems_AreFollowed() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Refresher
        {
            private readonly Task<int> _load = Task.Run(() => 1);
            private Timer? _timer;

            void Refresh(object? state)
            {
                var value = {|#9:_load.Result|};
                Thread.Sleep(10);
            }

            void Compute(object? state) { var x = 0; for (var i = 0; i < 10; i++) x += i; }

            void Dedicated() => Thread.Sleep(10);

            void Start()
            {
                _timer = new Timer({|#0:Refresh|}, null, 0, 1000);
                ThreadPool.QueueUserWorkItem({|#1:Refresh|});
                ThreadPool.QueueUserWorkItem(Compute);
                new Thread(Dedicated).Start();
            }
        }
        """,
        VerifyAnalyzer.Diagnostic(Descriptors.TW3002BlockingInThreadPoolWorkItem).WithLocation(0).WithLocation(9).WithArguments("Result", "new Timer", ""));

    // One finding per mistake: a callback handed to the pool from two places of its type (a registration
    // timer created in Start and again in Restart) is reported once, at the first reference. A reference that
    // does not put it on the pool (a dedicated thread), or one where the same call is not blocking (a
    // Parallel body reading a file), leaves the later pool reference reported.
    [Fact]
    public Task MethodGroupHandedToThePoolTwice_IsReportedOnce() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class Registrar
        {
            private readonly ManualResetEventSlim _response = new();
            private Timer? _timer;

            void Register(object? state) => {|#9:_response.Wait(5000)|};

            void Poll(object? state) => {|#8:Thread.Sleep(100)|};

            void ReadState(object? path) => {|#7:File.ReadAllText((string)path!)|};

            void Start()
            {
                _timer = new Timer({|#0:Register|}, null, 0, 1000);
                new Thread(Poll).Start();
                ThreadPool.QueueUserWorkItem({|#1:Poll|});
                Parallel.ForEach(new[] { "a" }, ReadState);
                ThreadPool.QueueUserWorkItem({|#2:ReadState|}, "b");
            }

            void Restart()
            {
                _timer?.Dispose();
                _timer = new Timer(Register, null, 0, 1000);
                ThreadPool.QueueUserWorkItem(Poll);
            }
        }
        """,
        VerifyAnalyzer.Diagnostic(Descriptors.TW3002BlockingInThreadPoolWorkItem).WithLocation(0).WithLocation(9).WithArguments("ManualResetEventSlim.Wait", "new Timer", ""),
        VerifyAnalyzer.Diagnostic(Descriptors.TW3002BlockingInThreadPoolWorkItem).WithLocation(1).WithLocation(8).WithArguments("Thread.Sleep", "ThreadPool.QueueUserWorkItem", ""),
        VerifyAnalyzer.Diagnostic(Descriptors.TW3002BlockingInThreadPoolWorkItem).WithLocation(2).WithLocation(7).WithArguments("File.ReadAllText", "ThreadPool.QueueUserWorkItem", ""));

    // PLINQ, like Parallel.*, is data-parallel work by design: synchronous I/O with an async twin is
    // how it is used (a query fanned out over servers); real waits are still reported.
    [Fact]
    public Task PlinqOperators_AllowSynchronousIo_ButNotWaits() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(string[] paths, Task<int> pending)
            {
                var texts = paths.AsParallel().Select(p => File.ReadAllText(p)).ToArray();
                var waited = paths.AsParallel().Select(p => {|#0:pending.Result|}).ToArray();
                var slept = paths.AsParallel().Where(p => { {|#1:Thread.Sleep(1)|}; return true; }).ToArray();
            }
        }
        """, Tw3002(0, "Result", "paths.AsParallel().Select"), Tw3002(1, "Thread.Sleep", "paths.AsParallel().Where"));
}
