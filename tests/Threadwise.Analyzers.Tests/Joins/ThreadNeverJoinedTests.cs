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
            void M()
            {
                var worker = new Thread(() => Console.WriteLine("work"));
                worker.Name = "worker";
                {|#0:worker.Start()|};
                Console.WriteLine(worker.IsAlive);

                var explicitForeground = new Thread(Work) { IsBackground = false };
                {|#1:explicitForeground.Start()|};

                for (var i = 0; i < 3; i++)
                {
                    var t = new Thread(Work);
                    {|#2:t.Start()|};
                }

                Action later = () =>
                {
                    var inner = new Thread(Work);
                    {|#3:inner.Start()|};
                };
            }

            static void Work() { }
        }
        """, Tw4001(0, "worker"), Tw4001(1, "explicitForeground"), Tw4001(2, "t"), Tw4001(3, "inner"));

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
            }

            static void Work() { }
        }
        """);

    [Fact]
    public Task Fix_JoinsAtTheEndOfTheMethod_BeforeATrailingReturn() => VerifyFix.CodeFixAsync("""
        using System.Threading;

        class C
        {
            void M()
            {
                var t = new Thread(Work);
                {|#0:t.Start()|};
                Work();
            }

            int N()
            {
                var t = new Thread(Work);
                {|#1:t.Start()|};
                return 42;
            }

            static void Work() { }
        }
        """, """
        using System.Threading;

        class C
        {
            void M()
            {
                var t = new Thread(Work);
                t.Start();
                Work();
                t.Join();
            }

            int N()
            {
                var t = new Thread(Work);
                t.Start();
                t.Join();
                return 42;
            }

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
        using System.Threading;

        class C
        {
            void M(bool early)
            {
                var t = new Thread(Work);
                {|#0:t.Start()|};
                if (early)
                {
                    return;
                }

                Work();
            }

            void N(bool go)
            {
                var t = new Thread(Work);
                if (go) {|#1:t.Start()|};
            }

            static void Work() { }
        }
        """, Tw4001(0, "t"), Tw4001(1, "t"));

    [Fact]
    public Task FixAll_JoinsEveryThread() => VerifyFix.CodeFixAsync("""
        using System.Threading;

        class C
        {
            void M()
            {
                var a = new Thread(Work);
                var b = new Thread(Work);
                {|#0:a.Start()|};
                {|#1:b.Start()|};
            }

            static void Work() { }
        }
        """, """
        using System.Threading;

        class C
        {
            void M()
            {
                var a = new Thread(Work);
                var b = new Thread(Work);
                a.Start();
                b.Start();
                a.Join();
                b.Join();
            }

            static void Work() { }
        }
        """, Tw4001(0, "a"), Tw4001(1, "b"));
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
            }

            void Drain() { }
        }
        """,
        Tw4001(0, "new Thread(Drain)"), Tw4001(1, "new Thread(...)"));

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
            C() => {|#0:new Thread(Loop).Start()|};

            void Loop() { }
        }
        """, Tw4001(0, "new Thread(Loop)"));

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
