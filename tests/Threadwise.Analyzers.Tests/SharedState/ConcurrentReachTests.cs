using Microsoft.CodeAnalysis.Testing;
using VerifyCollection = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.UnsafeCollectionMutationAnalyzer>;
using VerifyUpdate = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.NonAtomicUpdateAnalyzer>;
using VerifyUpdateFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.NonAtomicUpdateAnalyzer, Threadwise.SharedState.NonAtomicUpdateFixProvider>;

namespace Threadwise.Tests.SharedState;

/// <summary>Concurrency that reaches through methods: method groups handed to entry points, methods
/// an entry-point lambda calls, and the methods those call (TW2001 and TW2002 ask the same model).</summary>
public class ConcurrentReachTests
{
    private static DiagnosticResult Tw2001(int markup, string name, string entry)
        => VerifyUpdate.Diagnostic(Descriptors.TW2001NonAtomicUpdate).WithLocation(markup).WithArguments(name, entry);

    private static DiagnosticResult Tw2002(int markup, string name, string type, string entry)
        => VerifyCollection.Diagnostic(Descriptors.TW2002UnsafeCollectionMutation).WithLocation(markup).WithArguments(name, type, entry);

    [Fact]
    public Task MethodGroupsHandedToEntryPoints_AreConcurrentCode() => VerifyUpdate.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private int _count;
            private long _ticks;
            private int _elapsed;
            private static int s_polls;

            void Start(int[] items, System.Timers.Timer timer)
            {
                Parallel.ForEach(items, Handle);
                _ = new Timer(Refresh, null, 0, 100);
                timer.Elapsed += OnElapsed;
                for (var i = 0; i < 4; i++)
                {
                    Task.Run(Poll);
                }
            }

            void Handle(int x) { {|#0:_count += x|}; }
            void Refresh(object? state) { {|#1:_ticks++|}; }
            void OnElapsed(object? sender, System.Timers.ElapsedEventArgs e) => {|#2:_elapsed++|};
            static void Poll() { {|#3:s_polls++|}; }
        }
        """,
        Tw2001(0, "_count", "Parallel.ForEach -> Handle"), Tw2001(1, "_ticks", "new Timer -> Refresh"),
        Tw2001(2, "_elapsed", "timer.Elapsed -> OnElapsed"), Tw2001(3, "s_polls", "Task.Run -> Poll"));

    [Fact]
    public Task MethodsCalledFromAnEntryPointLambda_AndTheirCallees_AreConcurrentCode() => VerifyUpdate.AnalyzerAsync("""
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            private int _count;
            private int _total;

            void M(int[] items)
            {
                Parallel.ForEach(items, x => Handle(x));
                items.AsParallel().ForAll(x => this.Handle(x));
            }

            void Handle(int x)
            {
                {|#0:_count++|};
                Store(x);
            }

            private void Store(int x) => {|#1:_total += x|};
        }
        """,
        Tw2001(0, "_count", "Parallel.ForEach -> Handle"), Tw2001(1, "_total", "Parallel.ForEach -> Handle -> Store"));

    [Fact]
    public Task CollectionsMutatedInAReachedMethod_AreFlagged() => VerifyCollection.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            private readonly List<string> _seen = new();
            private static readonly Dictionary<string, int> s_sizes = new();

            void M(string[] paths) => Parallel.ForEach(paths, IndexFile);

            void IndexFile(string path)
            {
                {|#0:_seen.Add(path)|};
                {|#1:s_sizes[path] = path.Length|};
                var own = new List<string>();
                own.Add(path);
            }
        }
        """,
        Tw2002(0, "_seen", "List", "Parallel.ForEach -> IndexFile"), Tw2002(1, "s_sizes", "Dictionary", "Parallel.ForEach -> IndexFile"));

    [Fact]
    public Task LocalFunctionGivenByNameInALoop_SharesWhatItCaptures() => VerifyUpdate.AnalyzerAsync("""
        using System.Threading.Tasks;

        class C
        {
            int M()
            {
                var done = 0;
                var tasks = new Task[4];
                for (var i = 0; i < tasks.Length; i++)
                {
                    tasks[i] = Task.Run(Work);
                }

                Task.WaitAll(tasks);
                return done;

                void Work()
                {
                    var mine = 0;
                    mine++;
                    {|#0:done++|};
                }
            }
        }
        """,
        Tw2001(0, "done", "Task.Run -> Work"));

    [Fact]
    public Task GenericAndPartialTypes_AreFollowed() => VerifyUpdate.AnalyzerAsync(
        new[]
        {
            """
            using System.Threading.Tasks;

            partial class Indexer<T>
            {
                private int _count;

                void M(T[] items) => Parallel.ForEach(items, Handle);
            }
            """,
            """
            partial class Indexer<T>
            {
                void Handle(T item) => {|#0:_count++|};
            }
            """,
        },
        null,
        Tw2001(0, "_count", "Parallel.ForEach -> Handle"));

    [Fact]
    public Task ReachedCodeThatIsSafe_IsNotFlagged() => VerifyUpdate.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Worker
        {
            private int _processed;
            public void Process() => _processed++;
        }

        class C
        {
            private readonly object _gate = new();
            private int _count;
            private int _locked;
            private int _own;
            private int _later;

            void M(int[] items, Worker[] workers)
            {
                // One thread started once: nothing else runs its body at the same time.
                new Thread(Drain).Start();

                // The call is made under a lock: the callee runs under it.
                Parallel.ForEach(items, x => { lock (_gate) { Guarded(x); } });

                // The callee takes the lock itself.
                Parallel.ForEach(items, TakesLock);

                // Each run works on its own object.
                Parallel.ForEach(items, x => new C().Own());
                Parallel.ForEach(workers, w => w.Process());

                // Interlocked, locals and parameters.
                Parallel.ForEach(items, Atomic);

                // A lambda inside a reached method may run later, elsewhere.
                Parallel.ForEach(items, Defers);
            }

            void Drain() => _count++;
            void Guarded(int x) => _locked += x;
            void TakesLock(int x) { lock (_gate) { _locked += x; } }
            void Own() => _own++;
            void Atomic(int x) { Interlocked.Add(ref _count, x); var y = x; y++; x++; }
            void Defers(int x) { var t = new Task(() => { }); t.ContinueWith(_ => _later++); }
        }
        """);

    [Fact]
    public Task VirtualCallsAndMethodsOfOtherTypes_AreNotFollowed() => VerifyUpdate.AnalyzerAsync("""
        using System.Threading.Tasks;

        static class Counters
        {
            public static int Total;
            public static void Bump() => Total++;
        }

        class C
        {
            private int _count;

            void M(int[] items)
            {
                Parallel.ForEach(items, x => Hook(x));
                Parallel.ForEach(items, x => Counters.Bump());
            }

            protected virtual void Hook(int x) => _count++;
        }
        """);

    [Fact]
    public Task DepthOption_BoundsHowFarCallsAreFollowed() => VerifyUpdate.AnalyzerAsync(
        new[]
        {
            """
            using System.Threading.Tasks;

            class C
            {
                private int _a;
                private int _b;

                void M(int[] items) => Parallel.ForEach(items, First);

                void First(int x) { {|#0:_a++|}; Second(x); }
                void Second(int x) => _b++;
            }
            """,
        },
        "threadwise.interprocedural_depth = 1",
        Tw2001(0, "_a", "Parallel.ForEach -> First"));

    [Fact]
    public Task InterlockedFix_AppliesInTheReachedMethod() => VerifyUpdateFix.CodeFixAsync("""
        using System.Threading.Tasks;

        class C
        {
            private int _count;

            void M(int[] items) => Parallel.ForEach(items, Handle);

            void Handle(int x)
            {
                {|#0:_count++|};
            }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private int _count;

            void M(int[] items) => Parallel.ForEach(items, Handle);

            void Handle(int x)
            {
                Interlocked.Increment(ref _count);
            }
        }
        """,
        Tw2001(0, "_count", "Parallel.ForEach -> Handle"));

    [Fact]
    public Task EntryPointsAreFoundInCode_NotInCommentsOrStrings() => VerifyUpdate.AnalyzerAsync("""
        class C
        {
            private int _a;
            private int _b;
            private int _c;
            private int _d;

            // Parallel.ForEach(items, Commented) is not code.
            void M(int[] items)
            {
                System.Threading.Tasks.Parallel.ForEach(items, Qualified);
                var text = "Task.Run(InAString)";
            }

            System.Threading.Timer Start() => new(Tick, null, 0, 100);

            void Tick(object? state) => {|#1:_d++|};

            void Qualified(int x) => {|#0:_a++|};
            void Commented(int x) => _b++;
            void InAString() => _c++;
        }
        """,
        Tw2001(0, "_a", "System.Threading.Tasks.Parallel.ForEach -> Qualified"), Tw2001(1, "_d", "new Timer -> Tick"));

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyUpdate.BrokenCodeAsync("""
        using System.Threading.Tasks;

        class C
        {
            private int _count;
            void M(int[] items) { Parallel.ForEach(items, Missing); Task.Run(Handle; }
            void Handle( { _count++; }
        }
        """);
}

public class ParallelInvokeTests
{
    private static DiagnosticResult Tw2001(int markup, string name)
        => VerifyUpdate.Diagnostic(Descriptors.TW2001NonAtomicUpdate).WithLocation(markup).WithArguments(name, "Parallel.Invoke");

    [Fact]
    public Task ActionsRunConcurrentlyWithEachOther_NotWithThemselves() => VerifyUpdate.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            private int _shared;
            private int _onlyFirst;
            private int _onlySecond;

            void M()
            {
                var left = 0;
                var right = 0;
                var both = 0;
                var list = new List<int>();
                Parallel.Invoke(
                    () => { left++; {|#0:both++|}; {|#1:_shared += 2|}; _onlyFirst++; },
                    () => { right++; {|#2:both--|}; {|#3:_shared++|}; _onlySecond++; list.Add(1); });
            }
        }
        """,
        Tw2001(0, "both"), Tw2001(1, "_shared"), Tw2001(2, "both"), Tw2001(3, "_shared"));

    [Fact]
    public Task InvokeInALoop_RunsEachActionConcurrentlyWithItself() => VerifyUpdate.AnalyzerAsync("""
        using System.Threading.Tasks;

        class C
        {
            private int _count;

            void M(int rounds)
            {
                Parallel.For(0, rounds, _ => Parallel.Invoke(() => {|#0:_count++|}, () => { }));
            }
        }
        """,
        Tw2001(0, "_count"));

    [Fact]
    public Task ActionsGivenByName_AreNotLookedInto() => VerifyUpdate.AnalyzerAsync("""
        using System.Threading.Tasks;

        class C
        {
            private int _count;

            void M() => Parallel.Invoke(Up, Down, () => _count++);

            void Up() => _count++;
            void Down() => _count--;
        }
        """);
}

public class OneShotTimerTests
{
    [Fact]
    public Task OneShotTimer_DoesNotRunConcurrentlyWithItself() => VerifyUpdate.AnalyzerAsync("""
        using System;
        using System.Threading;

        class C
        {
            private int _missed;
            private int _ticks;
            private Timer? _timer;

            void Start()
            {
                _timer = new Timer(Check, null, 300, Timeout.Infinite);
                _ = new Timer(_ => _ticks++, null, TimeSpan.FromSeconds(1), Timeout.InfiniteTimeSpan);
            }

            void Check(object? state)
            {
                _missed++;
                _timer?.Change(300, Timeout.Infinite);
            }
        }
        """);

    [Fact]
    public Task PeriodicTimer_RunsConcurrentlyWithItself() => VerifyUpdate.AnalyzerAsync("""
        using System.Threading;

        class C
        {
            private int _ticks;

            void Start() => _ = new Timer(Tick, null, dueTime: 0, period: 100);

            void Tick(object? state) => {|#0:_ticks++|};
        }
        """,
        VerifyUpdate.Diagnostic(Descriptors.TW2001NonAtomicUpdate).WithLocation(0).WithArguments("_ticks", "new Timer -> Tick"));

    // A periodic timer's callbacks overlap only when one outlasts the period: with a period of a second
    // or more (a buffer pool's clean-up every ten seconds counting its ticks), the callback racing with
    // itself is not reported; a shorter period, or one not known, is. A race with another member still is.
    [Fact]
    public Task PeriodicTimerOfASecondOrMore_DoesNotRaceWithItself_ButWithOtherMembers() => VerifyUpdate.AnalyzerAsync("""
        using System;
        using System.Threading;

        class C
        {
            private long _ticks;
            private int _minutes;
            private int _fast;
            private int _unknown;
            private int _shared;

            void Start(int period)
            {
                _ = new Timer(Tick, null, 1000 * 10, 1000 * 10);
                _ = new Timer(_ => _minutes++, null, TimeSpan.Zero, TimeSpan.FromMinutes(1));
                _ = new Timer(_ => {|#0:_fast++|}, null, 0, 999);
                _ = new Timer(_ => {|#1:_unknown++|}, null, 0, period);
                _ = new Timer(_ => {|#2:_shared++|}, null, TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(5));
            }

            void Tick(object? state)
            {
                _ticks += 1;
                if (_ticks % 6 == 0) { }
            }

            public void Bump() => {|#3:_shared++|};
        }
        """,
        VerifyUpdate.Diagnostic(Descriptors.TW2001NonAtomicUpdate).WithLocation(0).WithArguments("_fast", "new Timer"),
        VerifyUpdate.Diagnostic(Descriptors.TW2001NonAtomicUpdate).WithLocation(1).WithArguments("_unknown", "new Timer"),
        VerifyUpdate.Diagnostic(Descriptors.TW2001NonAtomicUpdate).WithLocation(2).WithLocation(3).WithArguments("_shared", "new Timer' and by 'Bump"));

    // A database header (found dogfooding SharpCoreDB): the flush started with Task.Run bumps `_header.Version`; a
    // static factory fills a new header with an object initializer, `new Header { Version = 0 }`. That writes the
    // new object's field, not this one's: no rival. A member writing this object's field is still one.
    [Fact]
    public Task ObjectInitializerOfANewObject_IsNoRivalWrite() => VerifyUpdate.AnalyzerAsync("""
        using System.Threading.Tasks;

        class Header
        {
            private long _version;
            private long _flushes;

            public static Header Create() => new Header { _version = 0, _flushes = 0 };

            public Task FlushInBackground() => Task.Run(() =>
            {
                _version++;
                {|#0:_flushes++|};
            });

            public void Reset() => {|#1:_flushes = 0|};
        }
        """,
        VerifyUpdate.Diagnostic(Descriptors.TW2001NonAtomicUpdate).WithLocation(0).WithLocation(1).WithArguments("_flushes", "Task.Run' and by 'Reset"));

    // The period question, asked of timers whose period does not bind or is half-typed.
    [Fact]
    public Task BrokenTimerPeriods_DoNotCrash() => VerifyUpdate.BrokenCodeAsync("""
        using System;
        using System.Threading;

        class C
        {
            private int _a;
            private int _b;

            void Start()
            {
                _ = new Timer(_ => _a++, null, 0, TimeSpan.FromSeconds();
                _ = new Timer(_ => _b++, null, 0, Missing.Period);
            }
        }
        """);
}

/// <summary>Work started once races with the other members of its type that write the same field.</summary>
public class CallbackRacesWithItsTypeTests
{
    [Fact]
    public Task WorkerThread_AndAPublicMethod_MutatingOneQueue_AreFlagged() => VerifyCollection.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading;

        class Pump
        {
            private readonly Queue<string> _pending = new();

            public void Start() => new Thread(Drain) { IsBackground = true }.Start();

            public void Post(string item) => {|#1:_pending.Enqueue(item)|};

            private void Drain()
            {
                while (true)
                {
                    if (_pending.Count > 0)
                    {
                        {|#0:_pending.Dequeue()|};
                    }
                }
            }
        }
        """,
        VerifyCollection.Diagnostic(Descriptors.TW2002UnsafeCollectionMutation).WithLocation(0).WithLocation(1)
            .WithArguments("_pending", "Queue", "new Thread -> Drain' and by 'Post"));

    // LiteNetLib's peer set: the logic thread and a public method both update `_count`, each after
    // `_lock.EnterWriteLock();` with the release later in the same block, not in a finally (TW2006's
    // finding). The statements between run under the lock, also after `if (locking) EnterWriteLock();`
    // whose callers that pass false hold it already. A write after the release races.
    [Fact]
    public Task UpdatesBetweenAStraightLineAcquireAndRelease_AreGuarded() => VerifyUpdate.AnalyzerAsync("""
        using System.Threading;

        class Peers
        {
            private readonly ReaderWriterLockSlim _lock = new();
            private readonly object _gate = new();
            private int _count;
            private int _removed;
            private int _seen;

            public void Start() => new Thread(Update).Start();

            public void Add()
            {
                _lock.EnterWriteLock();
                _count++;
                _lock.ExitWriteLock();
                Monitor.Enter(_gate);
                _removed--;
                Monitor.Exit(_gate);
                {|#1:_seen++|};
            }

            private void Update()
            {
                while (true)
                {
                    Remove(true);
                    _lock.EnterWriteLock();
                    Remove(false);
                    _lock.ExitWriteLock();
                }
            }

            private void Remove(bool locking)
            {
                if (locking)
                    _lock.EnterWriteLock();
                _count--;
                if (locking)
                    _lock.ExitWriteLock();
                Monitor.Enter(_gate);
                _removed++;
                Monitor.Exit(_gate);
                {|#0:_seen++|};
            }
        }
        """,
        VerifyUpdate.Diagnostic(Descriptors.TW2001NonAtomicUpdate).WithLocation(0).WithLocation(1)
            .WithArguments("_seen", "new Thread -> Update -> Remove' and by 'Add"));

    [Fact]
    public Task TimerCallback_AndAPublicMethod_SharingACounter_AreFlagged() => VerifyUpdate.AnalyzerAsync("""
        using System.Threading;

        class Meter
        {
            private static int s_dropped;
            private long _sent;
            private Timer? _timer;

            public void Start() => _timer = new Timer(_ => Flush(), null, 1000, Timeout.Infinite);

            public void Record(int bytes) => {|#2:_sent += bytes|};

            public static void Drop() => {|#3:s_dropped++|};

            private void Flush()
            {
                {|#0:_sent -= 100|};
                {|#1:s_dropped--|};
            }
        }
        """,
        VerifyUpdate.Diagnostic(Descriptors.TW2001NonAtomicUpdate).WithLocation(0).WithLocation(2).WithArguments("_sent", "new Timer -> Flush' and by 'Record"),
        VerifyUpdate.Diagnostic(Descriptors.TW2001NonAtomicUpdate).WithLocation(1).WithLocation(3).WithArguments("s_dropped", "new Timer -> Flush' and by 'Drop"));

    [Fact]
    public Task WorkThatOwnsItsState_OrIsSeparatedFromTheOtherMembers_IsNotFlagged() => VerifyUpdate.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Worker
        {
            private readonly object _gate = new();
            private int _owned;
            private int _guarded;
            private int _joined;
            private int _interlocked;
            private volatile int _published;
            private int _setup;
            private Thread? _thread;

            public Worker() => _owned = 0;

            public void Start()
            {
                _setup = 1;
                _setup++;
                _thread = new Thread(Run);
                _thread.Start();
            }

            public void Bump() { lock (_gate) { _guarded++; } }
            public void Add(int n) => Interlocked.Add(ref _interlocked, n);
            public void Publish(int value) => _published = value;
            public void Stop() { _thread?.Join(); _joined = 0; }
            public void Dispose() => _owned = 0;
            private void Reset() => _owned = 0;

            private void Run()
            {
                _owned++;
                _setup++;
                _published++;
                lock (_gate) { _guarded++; }
                _joined++;
                Interlocked.Increment(ref _interlocked);
            }
        }

        class Loop
        {
            private int _rounds;

            // Parallel loops finish before their caller goes on: nothing else runs beside them.
            public void Run(int[] items) => Parallel.ForEach(items, x => Once());
            public void Reset() => _rounds = 0;
            private void Once() { }
        }
        """);
}

public class CallbackRaceFixTests
{
    [Fact]
    public Task Fixes_AreWithheld_WhenTheOtherSideWouldStayUnguarded() => Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.NonAtomicUpdateAnalyzer, Threadwise.SharedState.NonAtomicUpdateFixProvider>.NoCodeFixAsync("""
        using System.Threading;

        class Meter
        {
            private int _sent;

            public void Start() => new Thread(Flush).Start();

            public void Record(int bytes) => {|#1:_sent += bytes|};

            private void Flush() => {|#0:_sent -= 100|};
        }
        """,
        VerifyUpdate.Diagnostic(Descriptors.TW2001NonAtomicUpdate).WithLocation(0).WithLocation(1).WithArguments("_sent", "new Thread -> Flush' and by 'Record"));

    [Fact]
    public Task LockFix_IsWithheld_WhenTheOtherSideWouldStayUnguarded() => Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.UnsafeCollectionMutationAnalyzer, Threadwise.SharedState.GuardWithLockFixProvider>.NoCodeFixAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class Pump
        {
            private readonly List<int> _items = new();

            public void Start() => Task.Run(Drain);

            public void Post(int item) => {|#1:_items.Add(item)|};

            private void Drain() => {|#0:_items.Clear()|};
        }
        """,
        VerifyCollection.Diagnostic(Descriptors.TW2002UnsafeCollectionMutation).WithLocation(0).WithLocation(1).WithArguments("_items", "List", "Task.Run -> Drain' and by 'Post"));
}

public class ReachedMethodFixTests
{
    [Fact]
    public Task InterlockedFix_InAnExpressionBodiedVoidMethod_DiscardsTheValue() => VerifyUpdateFix.CodeFixAsync("""
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            private int _count;
            private int _total;

            void M(int[] items) { Parallel.ForEach(items, Handle); _ = items.AsParallel().Select(Sum).ToArray(); }

            void Handle(int x) => {|#0:_count++|};

            int Sum(int x) => {|#1:_total++|};
        }
        """, """
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private int _count;
            private int _total;

            void M(int[] items) { Parallel.ForEach(items, Handle); _ = items.AsParallel().Select(Sum).ToArray(); }

            void Handle(int x) => Interlocked.Increment(ref _count);

            int Sum(int x) => (Interlocked.Increment(ref _total) - 1);
        }
        """,
        VerifyUpdate.Diagnostic(Descriptors.TW2001NonAtomicUpdate).WithLocation(0).WithArguments("_count", "Parallel.ForEach -> Handle"),
        VerifyUpdate.Diagnostic(Descriptors.TW2001NonAtomicUpdate).WithLocation(1).WithArguments("_total", "items.AsParallel().Select -> Sum"));
}
