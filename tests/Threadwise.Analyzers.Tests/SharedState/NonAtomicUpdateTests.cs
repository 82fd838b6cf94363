using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.NonAtomicUpdateAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.NonAtomicUpdateAnalyzer, Threadwise.SharedState.NonAtomicUpdateFixProvider>;

namespace Threadwise.Tests.SharedState;

public class NonAtomicUpdateTests
{
    private static DiagnosticResult Tw2001(int markup, string name, string entry)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW2001NonAtomicUpdate).WithLocation(markup).WithArguments(name, entry);

    [Fact]
    public Task UpdatesInEachEntryPoint_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private int _count;
            private static long s_total;
            private double _sum;

            void M(int[] items)
            {
                var local = 0;
                Parallel.For(0, 10, i => {|#0:local++|});
                Parallel.ForEach(items, x => {|#1:_count += x|});
                for (var k = 0; k < items.Length; k++)
                {
                    Task.Run(() => {|#2:s_total = s_total + 1|});
                    Task.Factory.StartNew(() => {|#3:--_count|});
                    new Thread(() => {|#4:_sum *= 2|}).Start();
                    ThreadPool.QueueUserWorkItem(_ => {|#5:local -= 1|});
                }
                _ = new Timer(_ => {|#6:_count++|}, null, 0, 100);
                items.AsParallel().ForAll(x => {|#7:_count++|});
                Parallel.Invoke(() => {|#8:_count++|}, () => {|#9:_count--|});
            }
        }
        """,
        Tw2001(0, "local", "Parallel.For"), Tw2001(1, "_count", "Parallel.ForEach"), Tw2001(2, "s_total", "Task.Run"),
        Tw2001(3, "_count", "Task.Factory.StartNew"), Tw2001(4, "_sum", "new Thread"), Tw2001(5, "local", "ThreadPool.QueueUserWorkItem"),
        Tw2001(6, "_count", "new Timer"), Tw2001(7, "_count", "items.AsParallel().ForAll"), Tw2001(8, "_count", "Parallel.Invoke"), Tw2001(9, "_count", "Parallel.Invoke"));

    [Fact]
    public Task SingleThreadOrTaskStartedOnce_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private int _count;

            async Task<int> M()
            {
                var produced = 0;
                var worker = new Thread(() => produced++);
                worker.Start();
                worker.Join();
                await Task.Run(() => _count += produced);
                return _count;
            }
        }
        """);

    [Fact]
    public Task TasksStartedPerItem_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            private int _count;

            Task M(int[] items) => Task.WhenAll(items.Select(i => Task.Run(() => {|#0:_count++|})));
        }
        """, Tw2001(0, "_count", "Task.Run"));

    // Work started from a lambda runs more than once when the lambda does: per item, per event, per
    // tick of a periodic timer. A callback handed to any other method may run once (Cassandra's
    // `timer.NewTimeout(_ => Task.Run(() => --steps))`, a one-shot timeout): the task it starts is
    // started once, and `steps`, captured per call, races with nothing.
    [Fact]
    public Task WorkStartedFromARepeatingLambda_IsFlagged_FromAnyOtherCallback_IsNot() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class WheelTimer { public void NewTimeout(Action<object> callback, int delay) { } }

        class Pool
        {
            private readonly WheelTimer _timer = new();
            public event EventHandler Changed;
            private int _a, _b, _c, _d;

            void Drain(int steps)
            {
                _timer.NewTimeout(_ => Task.Run(() =>
                {
                    if (--steps >= 0)
                        Drain(steps);
                }), 1000);
                Task.Delay(10).ContinueWith(_ => Task.Run(() => steps--));
            }

            void Start(List<int> items, int[] more)
            {
                items.ForEach(i => Task.Run(() => {|#0:_a++|}));
                Array.ForEach(more, i => Task.Run(() => {|#1:_b++|}));
                Changed += (s, e) => Task.Run(() => {|#2:_c++|});
                var timer = new Timer(_ => Task.Run(() => {|#3:_d++|}), null, 0, 100);
                var once = new Timer(_ => Task.Run(() => _d--), null, 0, Timeout.Infinite);
            }
        }
        """, Tw2001(0, "_a", "Task.Run"), Tw2001(1, "_b", "Task.Run"), Tw2001(2, "_c", "Task.Run"), Tw2001(3, "_d", "Task.Run"));

    [Fact]
    public Task ConfiguredEntryPoint_IsFollowed() => VerifyAnalyzer.AnalyzerWithConfigAsync("""
        using System;

        static class Scheduler { public static void Run(Action work) { } }

        class C
        {
            private int _count;
            void M() => Scheduler.Run(() => {|#0:_count++|});
        }
        """, "threadwise.concurrent_entry_points = M:Scheduler.Run(System.Action)", Tw2001(0, "_count", "Scheduler.Run"));

    [Fact]
    public Task SafeForms_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        class Counter { public int Value; }

        class C
        {
            private readonly object _gate = new();
            private int _count;
            [ThreadStatic] private static int t_count;
            private readonly AsyncLocal<int> _flow = new();

            void M(int[] items)
            {
                Parallel.For(0, 10, i =>
                {
                    var mine = 0;
                    mine++;
                    Interlocked.Increment(ref _count);
                    lock (_gate) { _count++; }
                    t_count++;
                    var counter = new Counter();
                    counter.Value++;
                });

                Parallel.For(0, 10, i =>
                {
                    Monitor.Enter(_gate);
                    try { _count++; }
                    finally { Monitor.Exit(_gate); }
                });

                foreach (var item in items) { _count++; }
                Action sequential = () => _count++;
                _count++;
            }
        }
        """);

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                Parallel.For(0, 10, i => missing++);
                Task.Run(() => { _nothing += ; });
                Parallel.For(
            }
        }
        """);

    [Fact]
    public Task Fix_UsesInterlocked_KeepingTheValue() => VerifyFix.CodeFixAsync("""
        using System.Threading.Tasks;

        class C
        {
            private int _count;
            private long _bytes;

            void M(int[] sizes)
            {
                var done = 0;
                Parallel.For(0, 10, i =>
                {
                    {|#0:_count++|};
                    {|#1:_bytes += sizes[i]|};
                    var before = {|#2:done++|};
                    var after = {|#3:++done|};
                    {|#4:_bytes -= 1|};
                    {|#5:_count = _count + 2|};
                });
            }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private int _count;
            private long _bytes;

            void M(int[] sizes)
            {
                var done = 0;
                Parallel.For(0, 10, i =>
                {
                    Interlocked.Increment(ref _count);
                    Interlocked.Add(ref _bytes, sizes[i]);
                    var before = (Interlocked.Increment(ref done) - 1);
                    var after = Interlocked.Increment(ref done);
                    Interlocked.Add(ref _bytes, -(1));
                    Interlocked.Add(ref _count, 2);
                });
            }
        }
        """,
        Tw2001(0, "_count", "Parallel.For"), Tw2001(1, "_bytes", "Parallel.For"), Tw2001(2, "done", "Parallel.For"),
        Tw2001(3, "done", "Parallel.For"), Tw2001(4, "_bytes", "Parallel.For"), Tw2001(5, "_count", "Parallel.For"));

    [Fact]
    public Task Fix_InAVoidExpressionLambda_DropsTheUnusedValue() => VerifyFix.CodeFixAsync("""
        using System.Threading.Tasks;

        class C
        {
            int M(int n)
            {
                var hits = 0;
                Parallel.For(0, n, i => {|#0:hits++|});
                return hits;
            }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            int M(int n)
            {
                var hits = 0;
                Parallel.For(0, n, i => Interlocked.Increment(ref hits));
                return hits;
            }
        }
        """, Tw2001(0, "hits", "Parallel.For"));

    [Fact]
    public Task Fix_IsNotOfferedForOtherTypes() => VerifyFix.NoCodeFixAsync("""
        using System.Threading.Tasks;

        class C
        {
            private double _sum;
            void M() => Parallel.For(0, 10, i => {|#0:_sum += i|});
        }
        """, Tw2001(0, "_sum", "Parallel.For"));
}
