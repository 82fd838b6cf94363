using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.Joins.ThreadNeverJoinedAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.Joins.ThreadNeverJoinedAnalyzer, Threadwise.Joins.ThreadNeverJoinedFixProvider>;

namespace Threadwise.Tests.Joins;

public class ThreadNeverJoinedTests
{
    private static DiagnosticResult Tw4001(int markup, string thread)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW4001ThreadNeverJoined).WithLocation(markup).WithArguments(thread);

    [Fact]
    public Task StartedAndNeverJoined_IsFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;

        class C
        {
            private volatile bool _stopped;

            void M(ThreadStart handedIn)
            {
                var worker = new Thread(() =>
                {
                    while (!_stopped)
                    {
                        Thread.Sleep(10);
                    }
                });
                worker.Name = "worker";
                {|#0:worker.Start()|};
                Console.WriteLine(worker.IsAlive);

                var explicitForeground = new Thread(Loop) { IsBackground = false };
                {|#1:explicitForeground.Start()|};

                for (var i = 0; i < 3; i++)
                {
                    var t = new Thread(Work);
                    {|#2:t.Start()|};
                }

                Action later = () =>
                {
                    var inner = new Thread(handedIn);
                    {|#3:inner.Start()|};
                };

                var callsALoop = new Thread(() => Loop());
                {|#4:callsALoop.Start()|};
            }

            static void Work() { }

            void Loop()
            {
                do
                {
                    Thread.Sleep(10);
                }
                while (!_stopped);
            }
        }
        """, Tw4001(0, "worker"), Tw4001(1, "explicitForeground"), Tw4001(2, "t"), Tw4001(3, "inner"), Tw4001(4, "callsALoop"));

    // Finite work started once is fire-and-forget by design: a request handed to a thread of its own
    // in a receive loop or a data-received handler, a one-off flush started by Freeze(). The process
    // still waits for such a thread at exit, and joining it would make the starter wait.
    [Fact]
    public Task FiniteWorkStartedOnce_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Net;
        using System.Net.Sockets;
        using System.Threading;

        class Server
        {
            private volatile bool _stopped;
            private bool _frozen;

            void Listen(UdpClient client)
            {
                while (!_stopped)
                {
                    var remote = new IPEndPoint(IPAddress.Any, 0);
                    var bytes = client.Receive(ref remote);
                    var handler = new Thread(Process);
                    handler.Start(bytes);
                }
            }

            void OnDataReceived(object sender, EventArgs e)
            {
                var start = new ParameterizedThreadStart(this.Process);
                var handler = new Thread(start);
                handler.Start(new byte[0]);
            }

            public void Register()
            {
                ThreadStart register = new ThreadStart(Flush);
                var thread = new Thread(register);
                thread.Start();
            }

            public void Drain()
            {
                new Thread(WaitForWriters).Start();
            }

            private int _writes;

            void WaitForWriters()
            {
                try
                {
                    while (_writes > 0)
                    {
                        Thread.Yield();
                    }

                    Flush();
                }
                catch (Exception e)
                {
                    Console.WriteLine(e);
                }
            }

            public void Freeze()
            {
                _frozen = true;
                new Thread(Flush).Start();
                new Thread(() => Console.WriteLine("flushed")).Start();
                var register = new Thread(new ThreadStart(Flush)) { IsBackground = false };
                register.Start();
            }

            void Process(object? request) => Console.WriteLine(request);

            void Flush()
            {
                for (var i = 0; i < 3; i++)
                {
                    Console.WriteLine(_frozen);
                }
            }
        }
        """);

    // The starter reads what the thread computes before anything waits for it.
    [Fact]
    public Task ResultsReadBeforeAJoin_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;

        class C
        {
            void M()
            {
                var sum = 0;
                var t = new Thread(() => sum = Compute());
                {|#0:t.Start()|};
                Console.WriteLine(sum);

                int count;
                var u = new Thread(() => { count = 0; count++; });
                {|#1:u.Start()|};
                count = 5;

                var read = 0;
                Console.WriteLine(read);
                var v = new Thread(() => read = 1);
                v.Start();

                var own = new Thread(() => { var local = 1; local++; });
                own.Start();
            }

            static int Compute() => 42;
        }
        """, Tw4001(0, "t"), Tw4001(1, "u"));

    [Fact]
    public Task JoinedBackgroundOrEscaping_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading;

        class C
        {
            private Thread? _stored;
            private readonly List<Thread> _all = new();

            Thread Returned() { var t = new Thread(Work); t.Start(); return t; }

            void M(List<Thread> list, bool wait)
            {
                var joined = new Thread(Work);
                joined.Start();
                joined.Join();

                var conditionallyJoined = new Thread(Work);
                conditionallyJoined.Start();
                if (wait) conditionallyJoined.Join();

                var background = new Thread(Work) { IsBackground = true };
                background.Start();

                var laterBackground = new Thread(Work);
                laterBackground.IsBackground = true;
                laterBackground.Start();

                var stored = new Thread(Work);
                stored.Start();
                _stored = stored;

                var added = new Thread(Work);
                added.Start();
                list.Add(added);

                var passed = new Thread(Work);
                passed.Start();
                Register(passed);

                var captured = new Thread(Work);
                captured.Start();
                System.Action joinLater = () => captured.Join();

                var notStarted = new Thread(Work);

                var field = new Thread(Work);
                _all.Add(field);
                field.Start();
            }

            static void Register(Thread t) { }
            static void Work() { }
        }
        """);

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading;

        class C
        {
            void M()
            {
                var t = new Thread(;
                t.Start(
                var u = new Thraed(Work);
                u.Start();
                Thread v;
                v.Start();
                var w = new Thread(() => Missing());
                w.Start();
                var x = new Thread(() => undeclared = 1);
                x.Start();
                Console.WriteLine(undeclared);
                new Thread(() => { while ( }).Start();
                for (var i = 0; i < ; i++) {|#1:new Thread(Work).Start(|};
            }

            static void Work() { }
        }
        """, Tw4001(1, "new Thread(Work)"));

    [Fact]
    public Task Fix_JoinsBeforeTheFirstReadOfTheResults() => VerifyFix.CodeFixAsync("""
        using System;
        using System.Threading;

        class C
        {
            void M()
            {
                var sum = 0;
                var t = new Thread(() => sum = Compute());
                {|#0:t.Start()|};
                Work();
                if (sum > 0)
                {
                    Console.WriteLine(sum);
                }

                Work();
            }

            int N()
            {
                var result = 0;
                var t = new Thread(() => { result = Compute(); });
                {|#1:t.Start()|};
                return result;
            }

            static int Compute() => 42;

            static void Work() { }
        }
        """, """
        using System;
        using System.Threading;

        class C
        {
            void M()
            {
                var sum = 0;
                var t = new Thread(() => sum = Compute());
                t.Start();
                Work();
                t.Join();
                if (sum > 0)
                {
                    Console.WriteLine(sum);
                }

                Work();
            }

            int N()
            {
                var result = 0;
                var t = new Thread(() => { result = Compute(); });
                t.Start();
                t.Join();
                return result;
            }

            static int Compute() => 42;

            static void Work() { }
        }
        """, Tw4001(0, "t"), Tw4001(1, "t"));

    [Fact]
    public Task Fix_ThreadsStartedInALoop_AreCollectedAndJoined() => VerifyFix.CodeFixAsync("""
        using System.Threading;

        class C
        {
            void M(int count)
            {
                for (var i = 0; i < count; i++)
                {
                    var t = new Thread(Work);
                    {|#0:t.Start()|};
                }
            }

            static void Work() { }
        }
        """, """
        using System.Collections.Generic;
        using System.Threading;

        class C
        {
            void M(int count)
            {
                var threads = new List<Thread>();
                for (var i = 0; i < count; i++)
                {
                    var t = new Thread(Work);
                    t.Start();
                    threads.Add(t);
                }

                foreach (var started in threads)
                {
                    started.Join();
                }
            }

            static void Work() { }
        }
        """, Tw4001(0, "t"));

    [Fact]
    public Task Fix_IsNotOffered_WhenAnExitWouldSkipTheJoin() => VerifyFix.NoCodeFixAsync("""
        using System;
        using System.Threading;

        class C
        {
            void M(bool early)
            {
                var sum = 0;
                var t = new Thread(() => sum = 1);
                {|#0:t.Start()|};
                if (early)
                {
                    return;
                }

                Console.WriteLine(sum);
            }

            void N(bool go)
            {
                var sum = 0;
                var t = new Thread(() => sum = 1);
                if (go) {|#1:t.Start()|};
                Console.WriteLine(sum);
            }
        }
        """, Tw4001(0, "t"), Tw4001(1, "t"));

    [Fact]
    public Task FixAll_JoinsEveryThread() => VerifyFix.CodeFixAsync("""
        using System;
        using System.Threading;

        class C
        {
            void M(int n)
            {
                int x = 0, y = 0;
                var a = new Thread(() => x = 1);
                var b = new Thread(() => y = 2);
                {|#0:a.Start()|};
                {|#1:b.Start()|};
                Console.WriteLine(x);
                Console.WriteLine(y);
                for (var i = 0; i < n; i++)
                {
                    var t = new Thread(Work);
                    {|#2:t.Start()|};
                }
            }

            static void Work() { }
        }
        """, """
        using System;
        using System.Collections.Generic;
        using System.Threading;

        class C
        {
            void M(int n)
            {
                int x = 0, y = 0;
                var a = new Thread(() => x = 1);
                var b = new Thread(() => y = 2);
                a.Start();
                b.Start();
                a.Join();
                Console.WriteLine(x);
                b.Join();
                Console.WriteLine(y);
                var threads = new List<Thread>();
                for (var i = 0; i < n; i++)
                {
                    var t = new Thread(Work);
                    t.Start();
                    threads.Add(t);
                }

                foreach (var started in threads)
                {
                    started.Join();
                }
            }

            static void Work() { }
        }
        """, Tw4001(0, "a"), Tw4001(1, "b"), Tw4001(2, "t"));
}

public class ThreadNeverJoinedBeyondLocalsTests
{
    private static DiagnosticResult Tw4001(int markup, string thread)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW4001ThreadNeverJoined).WithLocation(markup).WithArguments(thread);

    [Fact]
    public Task ThreadStartedWithoutBeingStored_IsFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;

        class C
        {
            void M()
            {
                {|#0:new Thread(Drain).Start()|};
                {|#1:new Thread(() => Drain()) { Name = "drain" }.Start()|};
                new Thread(Drain) { IsBackground = true }.Start();
                new Thread(Once).Start();
                foreach (var part in new[] { 1, 2 })
                {
                    {|#2:new Thread(() => Handle(part)).Start()|};
                }
            }

            void Drain()
            {
                while (true)
                {
                    Thread.Sleep(10);
                }
            }

            void Once() { }

            void Handle(int part) { }
        }
        """,
        Tw4001(0, "new Thread(Drain)"), Tw4001(1, "new Thread(...)"), Tw4001(2, "new Thread(...)"));

    // A foreground thread that loops on a bool auto-property of its object (CSRedis's subscription
    // threads, `while (IsUnsubscribed == false)`) keeps the process alive like one on a field. A loop on
    // a computed property is a condition of its own: finite as far as anyone can tell, not reported.
    [Fact]
    public Task ThreadsLoopingOnAFlagProperty_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;

        class Subscription
        {
            private int _pending;

            public bool IsUnsubscribed { get; set; }

            private bool HasWork => _pending > 0;

            void M()
            {
                {|#0:new Thread(Subscribe).Start()|};
                new Thread(Work).Start();
            }

            void Subscribe()
            {
                while (IsUnsubscribed == false)
                {
                    Thread.Sleep(10);
                }
            }

            void Work()
            {
                while (HasWork)
                {
                    Interlocked.Decrement(ref _pending);
                }
            }
        }
        """, Tw4001(0, "new Thread(Subscribe)"));

    [Fact]
    public Task ThreadsCollectedIntoALocalList_NeverJoined_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading;

        class C
        {
            int M(int n)
            {
                var threads = new List<Thread>();
                for (var i = 0; i < n; i++)
                {
                    var t = new Thread(() => { });
                    {|#0:t.Start()|};
                    threads.Add(t);
                }

                return threads.Count;
            }
        }
        """,
        Tw4001(0, "t"));

    [Fact]
    public Task ThreadsCollectedAndJoined_OrHandedOn_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading;

        class C
        {
            private readonly List<Thread> _workers = new();

            void Joined(int n)
            {
                var threads = new List<Thread>();
                for (var i = 0; i < n; i++)
                {
                    var t = new Thread(() => { });
                    t.Start();
                    threads.Add(t);
                }

                foreach (var t in threads)
                {
                    t.Join();
                }
            }

            void Stored(int n)
            {
                var threads = new List<Thread>();
                for (var i = 0; i < n; i++)
                {
                    var t = new Thread(() => { });
                    t.Start();
                    threads.Add(t);
                }

                _workers.AddRange(threads);
            }

            void IntoAField()
            {
                var t = new Thread(() => { });
                t.Start();
                _workers.Add(t);
            }
        }
        """);

    [Fact]
    public Task Fix_JoinsTheUsersListAfterTheLoop() => VerifyFix.CodeFixAsync("""
        using System.Collections.Generic;
        using System.Threading;

        class C
        {
            void M(int n)
            {
                var threads = new List<Thread>();
                for (var i = 0; i < n; i++)
                {
                    var t = new Thread(() => { });
                    {|#0:t.Start()|};
                    threads.Add(t);
                }
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Threading;

        class C
        {
            void M(int n)
            {
                var threads = new List<Thread>();
                for (var i = 0; i < n; i++)
                {
                    var t = new Thread(() => { });
                    t.Start();
                    threads.Add(t);
                }

                foreach (var started in threads)
                {
                    started.Join();
                }
            }
        }
        """, Tw4001(0, "t"));

    [Fact]
    public Task Fix_IsNotOffered_ForAThreadNobodyHolds() => VerifyFix.NoCodeFixAsync("""
        using System.Threading;

        class C
        {
            C(int[] parts)
            {
                foreach (var part in parts)
                {
                    {|#0:new Thread(() => Handle(part)).Start()|};
                }
            }

            void Handle(int part) { }
        }
        """, Tw4001(0, "new Thread(...)"));

    // FreeRedis's delay queue starts a thread whose body loops until the process ends; joining it where
    // it starts made the method that starts the consumer never return. A worker loop becomes a
    // background thread instead (the rule's other remedy); finite work is joined.
    [Fact]
    public Task Fix_WorkerLoops_BecomeBackgroundThreads() => VerifyFix.CodeFixAsync("""
        using System.Collections.Concurrent;
        using System.Threading;

        class Consumer
        {
            private volatile bool _stopped;
            private readonly BlockingCollection<int> _queue = new BlockingCollection<int>();

            public void Start()
            {
                var worker = new Thread(() =>
                {
                    while (!_stopped)
                    {
                        Thread.Sleep(10);
                    }
                });
                {|#0:worker.Start()|};
            }

            public void Subscribe() => {|#1:new Thread(Drain) { Name = "drain" }.Start()|};

            public void Pump()
            {
                {|#2:new Thread(Spin).Start()|};
            }

            void Drain()
            {
                foreach (var item in _queue.GetConsumingEnumerable())
                {
                }
            }

            void Spin()
            {
                try
                {
                    for (;;)
                    {
                        Thread.Sleep(1);
                    }
                }
                finally
                {
                    _stopped = true;
                }
            }
        }
        """, """
        using System.Collections.Concurrent;
        using System.Threading;

        class Consumer
        {
            private volatile bool _stopped;
            private readonly BlockingCollection<int> _queue = new BlockingCollection<int>();

            public void Start()
            {
                var worker = new Thread(() =>
                {
                    while (!_stopped)
                    {
                        Thread.Sleep(10);
                    }
                }) { IsBackground = true };
                worker.Start();
            }

            public void Subscribe() => new Thread(Drain) { Name = "drain", IsBackground = true }.Start();

            public void Pump()
            {
                new Thread(Spin) { IsBackground = true }.Start();
            }

            void Drain()
            {
                foreach (var item in _queue.GetConsumingEnumerable())
                {
                }
            }

            void Spin()
            {
                try
                {
                    for (;;)
                    {
                        Thread.Sleep(1);
                    }
                }
                finally
                {
                    _stopped = true;
                }
            }
        }
        """, Tw4001(0, "worker"), Tw4001(1, "new Thread(Drain)"), Tw4001(2, "new Thread(Spin)"));

    // `new Thread(() => WorkerLoop(id))`: the lambda only calls the worker loop, so the worker fix applies.
    [Fact]
    public Task Fix_LambdaThatOnlyCallsAWorkerLoop_BecomesABackgroundThread() => VerifyFix.CodeFixAsync("""
        using System.Threading;

        class Pool
        {
            private volatile bool _stopped;

            public void Start(int id)
            {
                var worker = new Thread(() => WorkerLoop(id));
                {|#0:worker.Start()|};
                {|#1:new Thread(() => { WorkerLoop(id + 1); }).Start()|};
            }

            void WorkerLoop(int id)
            {
                while (!_stopped)
                {
                    Thread.Sleep(id);
                }
            }
        }
        """, """
        using System.Threading;

        class Pool
        {
            private volatile bool _stopped;

            public void Start(int id)
            {
                var worker = new Thread(() => WorkerLoop(id)) { IsBackground = true };
                worker.Start();
                new Thread(() => { WorkerLoop(id + 1); }) { IsBackground = true }.Start();
            }

            void WorkerLoop(int id)
            {
                while (!_stopped)
                {
                    Thread.Sleep(id);
                }
            }
        }
        """, Tw4001(0, "worker"), Tw4001(1, "new Thread(...)"));

    // A loop on a condition that is not a shutdown flag may end by itself or not: reported when the
    // threads fan out, but neither the join nor the background fix is proven to keep the behaviour.
    // A delegate local assigned again is work that cannot be read.
    [Fact]
    public Task Fix_IsNotOffered_ForALoopOnAnotherConditionOrAReassignedDelegate() => VerifyFix.NoCodeFixAsync("""
        using System.Threading;

        class Pool
        {
            private int _pending;

            bool HasWork => _pending > 0;

            public void Start(int count, bool fast)
            {
                for (var i = 0; i < count; i++)
                {
                    var worker = new Thread(() =>
                    {
                        while (HasWork)
                        {
                            Interlocked.Decrement(ref _pending);
                        }
                    });
                    {|#0:worker.Start()|};
                }

                ThreadStart work = Slow;
                if (fast)
                {
                    work = Fast;
                }

                var chosen = new Thread(work);
                {|#1:chosen.Start()|};
            }

            void Slow() { }

            void Fast() { }
        }
        """, Tw4001(0, "worker"), Tw4001(1, "chosen"));

    // Work handed in as a delegate may be finite or a worker: neither the join nor the background
    // fix is proven to keep the behaviour.
    [Fact]
    public Task Fix_IsNotOffered_ForWorkHandedInAsADelegate() => VerifyFix.NoCodeFixAsync("""
        using System.Threading;

        class Runner
        {
            public void Run(ThreadStart work)
            {
                var thread = new Thread(work);
                {|#0:thread.Start()|};
            }
        }
        """, Tw4001(0, "thread"));
}
