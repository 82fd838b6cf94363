using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.ThreadPool.LongRunningLoopOnThreadPoolAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.ThreadPool.LongRunningLoopOnThreadPoolAnalyzer, Threadwise.ThreadPool.LongRunningLoopOnThreadPoolFixProvider>;

namespace Threadwise.Tests.ThreadPool;

public class LongRunningLoopOnThreadPoolTests
{
    private static DiagnosticResult Tw3001(int markup, string call)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW3001LongRunningLoopOnThreadPool).WithLocation(markup).WithArguments(call);

    [Fact]
    public Task UnboundedLoopsOnThePool_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private volatile bool _running = true;
            private bool _stop;

            void M(CancellationToken token)
            {
                Task.Run(() => { {|#0:while|} (true) { Work(); } });
                Task.Factory.StartNew(() => { {|#1:for|} (;;) { Work(); } });
                ThreadPool.QueueUserWorkItem(_ => { {|#2:while|} (!token.IsCancellationRequested) { Work(); } });
                Task.Run(() => { {|#3:do|} { Work(); } while (_running); });
                _ = new Timer(_ => { {|#4:while|} (!_stop) { Work(); } }, null, 0, 1000);
                Task.Run(() =>
                {
                    try
                    {
                        {|#5:while|} (_running && !token.IsCancellationRequested) { Work(); }
                    }
                    finally { Work(); }
                });
            }

            static void Work() { }
        }
        """,
        Tw3001(0, "Task.Run"), Tw3001(1, "Task.Factory.StartNew"), Tw3001(2, "ThreadPool.QueueUserWorkItem"),
        Tw3001(3, "Task.Run"), Tw3001(4, "new Timer"), Tw3001(5, "Task.Run"));

    // Tweetinvi's upload progress: `Task.Run(async () => { …; while (true) { var n = source.Read(buffer, 0, size);
    // if (n <= 0) break; target.Write(buffer, 0, n); } })` copies to the end of its stream: bounded by the data,
    // not a loop that serves for good (its synchronous reads are TW1004's/TW3002's to report). A loop whose
    // exit tests something other than what a read returned, or nothing, is reported.
    [Fact]
    public Task CopiesToTheEndOfAStream_AreNotUnbounded() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class Upload
        {
            private int _left = 10;

            void M(Stream source, Stream target, byte[] buffer)
            {
                Task.Run(() =>
                {
                    while (true)
                    {
                        var length = source.Read(buffer, 0, buffer.Length);
                        if (length <= 0) break;
                        target.Write(buffer, 0, length);
                    }
                });

                Task.Run(() =>
                {
                    int read;
                    while (true)
                    {
                        read = source.Read(buffer, 0, buffer.Length);
                        if (read == 0)
                        {
                            return;
                        }

                        target.Write(buffer, 0, read);
                    }
                });

                Task.Run(() =>
                {
                    {|#0:while|} (true)
                    {
                        var length = source.Read(buffer, 0, buffer.Length);
                        if (_left <= 0) break;
                        target.Write(buffer, 0, length);
                    }
                });
            }
        }
        """, Tw3001(0, "Task.Run"));

    // Azure Storage Data Movement: a directory listing walked with `if (!e.MoveNext()) break;` and a hash computed
    // up to an offset (`if (offset >= _end) break; …; offset += n;`) leave when their data runs out — bounded by
    // the work however they wait inside. An enumerator of a consuming enumerable, a counter the loop also sets
    // back, a field as the counter, and a `break` that only leaves an inner loop stay unbounded.
    [Fact]
    public Task LoopsThatEndWithTheirData_AreNotUnbounded() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class Transfer
        {
            private readonly object _gate = new object();
            private readonly BlockingCollection<string> _queue = new BlockingCollection<string>(16);
            private long _end;
            private long _done;

            void M(IEnumerable<string> listing, Stream source, byte[] buffer)
            {
                Task.Run(() => List(listing));
                Task.Run(() => Hash(source, buffer));
                Task.Run(() =>
                {
                    var end = _end;
                    long offset = 0;
                    while (true)
                    {
                        if (end <= offset) break;
                        offset += source.Read(buffer, 0, buffer.Length);
                    }
                });
                Task.Run(() =>
                {
                    var e = _queue.GetConsumingEnumerable().GetEnumerator();
                    {|#0:while|} (true)
                    {
                        if (!e.MoveNext()) break;
                        Thread.Sleep(e.Current.Length);
                    }
                });
                Task.Run(() =>
                {
                    long offset = 0;
                    {|#1:while|} (true)
                    {
                        if (offset >= _end) break;
                        offset += source.Read(buffer, 0, buffer.Length);
                        if (offset > 1024) offset = 0;
                    }
                });
                Task.Run(() =>
                {
                    {|#2:while|} (true)
                    {
                        if (_done >= _end) break;
                        _done += source.Read(buffer, 0, buffer.Length);
                    }
                });
                Task.Run(() =>
                {
                    var pending = 0;
                    {|#3:while|} (true)
                    {
                        for (var i = 0; i < 4; i++)
                        {
                            if (pending >= 4) break;
                            pending++;
                        }

                        _queue.Take();
                    }
                });
            }

            private void List(IEnumerable<string> listing)
            {
                var enumerator = listing.GetEnumerator();
                while (true)
                {
                    if (!enumerator.MoveNext())
                    {
                        break;
                    }

                    _queue.Add(enumerator.Current);
                }
            }

            private void Hash(Stream source, byte[] buffer)
            {
                long offset = 0;
                while (true)
                {
                    lock (_gate)
                    {
                        if (offset >= _end)
                        {
                            break;
                        }
                    }

                    offset += source.Read(buffer, 0, buffer.Length);
                }
            }
        }
        """, Tw3001(0, "Task.Run"), Tw3001(1, "Task.Run"), Tw3001(2, "Task.Run"), Tw3001(3, "Task.Run"));

    // A bool property of the object itself is a stop flag like a field (CSRedis's `while (IsUnsubscribed ==
    // false)`), and so is a flag compared with a constant. A computed property, another object's
    // property, or a comparison with a variable, is a condition of the loop's own.
    [Fact]
    public Task FlagPropertiesAndComparisons_AreStopFlags() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Subscription
        {
            private bool _stop;

            public bool IsUnsubscribed { get; set; }

            private bool HasWork => !_stop;

            void M(Subscription other, bool expected)
            {
                Task.Run(() => { while (HasWork) { Work(); } });
                Task.Run(() => { {|#0:while|} (IsUnsubscribed == false) { Work(); } });
                Task.Run(() => { {|#1:while|} (!this.IsUnsubscribed) { Work(); } });
                Task.Run(() => { {|#2:while|} (true != _stop) { Work(); } });
                Task.Run(() => { while (!other.IsUnsubscribed) { Work(); } });
                Task.Run(() => { while (_stop == expected) { Work(); } });
            }

            static void Work() { }
        }
        """, Tw3001(0, "Task.Run"), Tw3001(1, "Task.Run"), Tw3001(2, "Task.Run"));

    [Fact]
    public Task LongRunningThreadsAwaitingAndBoundedLoops_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(CancellationToken token, int[] items)
            {
                Task.Factory.StartNew(() => { while (true) { Work(); } }, TaskCreationOptions.LongRunning);
                Task.Factory.StartNew(() => { while (true) { Work(); } }, token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                new Thread(() => { while (true) { Work(); } }).Start();
                Task.Run(async () => { while (!token.IsCancellationRequested) { await Task.Delay(100, token); } });
                Task.Run(() => { for (var i = 0; i < 10; i++) { Work(); } });
                Task.Run(() => { foreach (var item in items) { Work(); } });
                Task.Run(() => { while (token.IsCancellationRequested) { Work(); } });
                System.Action notPooled = () => { while (true) { Work(); } };
            }

            static void Work() { }
        }
        """);

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                Task.Run(() => { while (true) { Missing(); } });
                Task.Run(() => { while ( { } });
                Task.Run(
            }
        }
        """);

    [Fact]
    public Task Fix_UsesLongRunning_WithTheTokenInScope() => VerifyFix.CodeFixAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            Task Start(CancellationToken token) => Task.Run(() => { {|#0:while|} (!token.IsCancellationRequested) { Work(); } });

            void Fire()
            {
                var task = Task.Factory.StartNew(() => { {|#1:while|} (true) { Work(); } });
            }

            static void Work() { }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            Task Start(CancellationToken token) => Task.Factory.StartNew(() => { while (!token.IsCancellationRequested) { Work(); } }, token, TaskCreationOptions.LongRunning, TaskScheduler.Default);

            void Fire()
            {
                var task = Task.Factory.StartNew(() => { while (true) { Work(); } }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
            }

            static void Work() { }
        }
        """, Tw3001(0, "Task.Run"), Tw3001(1, "Task.Factory.StartNew"));

    [Fact]
    public Task Fix_IsNotOffered_ForQueueUserWorkItemOrTimers() => VerifyFix.NoCodeFixAsync("""
        using System.Threading;

        class C
        {
            void M() => ThreadPool.QueueUserWorkItem(_ => { {|#0:while|} (true) { } });
        }
        """, Tw3001(0, "ThreadPool.QueueUserWorkItem"));

    // The work handed over by name, or by a lambda that only calls it: the method's body is the work.
    [Fact]
    public Task MethodGroupsAndLambdasThatCallAMethod_AreFollowed() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        class Poller
        {
            private volatile bool _running = true;

            void Poll() { {|#9:while|} (_running) { Thread.SpinWait(10); } }
            void Once() { for (var i = 0; i < 3; i++) { Thread.SpinWait(10); } }
            int Square(int x) { while (_running) { } return x * x; }

            void Start()
            {
                Task.Run({|#0:Poll|});
                ThreadPool.QueueUserWorkItem({|#2:_ => Poll()|});
                Task.Run({|#1:() => Poll()|});
                Task.Run(Once);
                new Thread(Poll).Start();
                var squares = new[] { 1, 2 }.Select(Square).ToList();
            }
        }
        """,
        VerifyAnalyzer.Diagnostic(Descriptors.TW3001LongRunningLoopOnThreadPool).WithLocation(0).WithLocation(9).WithArguments("Task.Run"),
        VerifyAnalyzer.Diagnostic(Descriptors.TW3001LongRunningLoopOnThreadPool).WithLocation(2).WithLocation(9).WithArguments("ThreadPool.QueueUserWorkItem"),
        VerifyAnalyzer.Diagnostic(Descriptors.TW3001LongRunningLoopOnThreadPool).WithLocation(1).WithLocation(9).WithArguments("Task.Run"));

    [Fact]
    public Task Fix_MethodGroup_RunsOnItsOwnThread() => VerifyFix.CodeFixAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Poller
        {
            private volatile bool _running = true;

            void Poll() { {|#9:while|} (_running) { Thread.SpinWait(10); } }

            Task Start() => Task.Run({|#0:Poll|});
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;

        class Poller
        {
            private volatile bool _running = true;

            void Poll() { while (_running) { Thread.SpinWait(10); } }

            Task Start() => Task.Factory.StartNew(Poll, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        """, VerifyFix.Diagnostic(Descriptors.TW3001LongRunningLoopOnThreadPool).WithLocation(0).WithLocation(9).WithArguments("Task.Run"));
    [Fact]
    public Task ConsumingABlockingCollection_IsALongRunningLoop() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Concurrent;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly BlockingCollection<string> _queue = new();

            void Start()
            {
                Task.Run(() =>
                {
                    {|#0:foreach|} (var item in _queue.GetConsumingEnumerable())
                    {
                        Handle(item);
                    }
                });
                ThreadPool.QueueUserWorkItem(_ =>
                {
                    {|#1:while|} (!_queue.IsCompleted)
                    {
                        Handle(_queue.Take());
                    }
                });
                Task.Run({|#2:Drain|});
            }

            void Drain()
            {
                foreach (var item in _queue.GetConsumingEnumerable())
                {
                    Handle(item);
                }
            }

            static void Handle(string item) { }
        }
        """,
        Tw3001(0, "Task.Run"), Tw3001(1, "ThreadPool.QueueUserWorkItem"), Tw3001(2, "Task.Run").WithLocation(30, 9));

    [Fact]
    public Task ConsumersOnTheirOwnThread_OrBoundedLoops_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly BlockingCollection<string> _queue = new();
            private readonly List<string> _items = new();

            void Start()
            {
                new Thread(() => { foreach (var item in _queue.GetConsumingEnumerable()) { } }).Start();
                Task.Factory.StartNew(() => { foreach (var item in _queue.GetConsumingEnumerable()) { } }, TaskCreationOptions.LongRunning);
                Task.Run(() => { foreach (var item in _items) { } });
                Task.Run(() => { foreach (var item in _queue) { } });
                Task.Run(async () => { foreach (var item in _queue.GetConsumingEnumerable()) { await Task.Yield(); } });
            }
        }
        """);

    [Fact]
    public Task Fix_ConsumerLoop_RunsOnItsOwnThread() => VerifyFix.CodeFixAsync("""
        using System.Collections.Concurrent;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void Start(BlockingCollection<int> queue) => Task.Run(() => { {|#0:foreach|} (var item in queue.GetConsumingEnumerable()) { } });
        }
        """, """
        using System.Collections.Concurrent;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void Start(BlockingCollection<int> queue) => Task.Factory.StartNew(() => { foreach (var item in queue.GetConsumingEnumerable()) { } }, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
        """, Tw3001(0, "Task.Run"));

    // A poll that gives up at a deadline is bounded (the NATS client's drain check); one without
    // a deadline is not.
    [Fact]
    public Task PollsWithADeadline_AreNotUnbounded() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Diagnostics;
        using System.Threading;
        using System.Threading.Tasks;

        class Drainer
        {
            private int _pending;

            void Start(int timeout)
            {
                Task.Run(() =>
                {
                    var sw = Stopwatch.StartNew();
                    while (true)
                    {
                        if (_pending == 0) return;
                        Thread.Sleep(100);
                        if (sw.ElapsedMilliseconds > timeout) break;
                    }
                });

                Task.Run(() =>
                {
                    {|#0:while|} (true)
                    {
                        if (_pending == 0) return;
                        Thread.Sleep(100);
                    }
                });
            }
        }
        """, Tw3001(0, "Task.Run"));

    // FASTER's work queue: drain what is queued, leave once the count says nothing more is coming.
    [Fact]
    public Task DrainLoopsThatLeaveWhenTheWorkRunsOut_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Concurrent;
        using System.Threading;
        using System.Threading.Tasks;

        class WorkQueue<T>
        {
            private readonly ConcurrentQueue<T> _queue = new();
            private readonly Action<T> _work;
            private int _count;

            public WorkQueue(Action<T> work) => _work = work;

            public void Enqueue(T item, bool asTask)
            {
                _queue.Enqueue(item);
                if (asTask)
                    _ = Task.Run(() => ProcessQueue());
                ThreadPool.QueueUserWorkItem(_ =>
                {
                    while (true)
                    {
                        if (!_queue.TryDequeue(out var next)) return;
                        _work(next);
                    }
                });
            }

            private void ProcessQueue()
            {
                while (true)
                {
                    while (_queue.TryDequeue(out var item))
                    {
                        _work(item);
                        Interlocked.Decrement(ref _count);
                    }

                    int count = _count;
                    if (count != 100) continue;
                    if (Interlocked.CompareExchange(ref _count, 0, count) == count)
                        break;
                }
            }
        }
        """);

    // Exits do not make a loop that waits for more work a drain: a sentinel after Take, a sleep, a
    // blocking helper, a break that only leaves an inner loop.
    [Fact]
    public Task LoopsThatWaitForWork_AreFlaggedWhateverTheirExits() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Concurrent;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class Consumer
        {
            private readonly BlockingCollection<string> _items = new();
            private readonly ConcurrentQueue<string> _queue = new();

            void Start()
            {
                Task.Run(() =>
                {
                    {|#0:while|} (true)
                    {
                        var item = _items.Take();
                        if (item == null) break;
                    }
                });
                Task.Run(() =>
                {
                    {|#1:while|} (true)
                    {
                        if (!_queue.TryDequeue(out var item)) { Thread.Sleep(10); continue; }
                        if (item.Length == 0) return;
                    }
                });
                Task.Run(() =>
                {
                    {|#2:while|} (true)
                    {
                        if (Poll() == null) break;
                    }
                });
                Task.Run(() =>
                {
                    {|#3:while|} (true)
                    {
                        foreach (var c in "abc") { if (c == 'b') break; }
                    }
                });
            }

            static string Poll() => File.ReadAllText("next.txt");
        }
        """, Tw3001(0, "Task.Run"), Tw3001(1, "Task.Run"), Tw3001(2, "Task.Run"), Tw3001(3, "Task.Run"));
}
