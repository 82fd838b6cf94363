using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.InconsistentlySynchronizedFieldAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.InconsistentlySynchronizedFieldAnalyzer, Threadwise.SharedState.InconsistentlySynchronizedFieldFixProvider>;

namespace Threadwise.Tests.SharedState;

public class InconsistentlySynchronizedFieldTests
{
    private static DiagnosticResult Tw2003(int markup, string field, string @lock, string member, string how = "written")
        => VerifyAnalyzer.Diagnostic(Descriptors.TW2003InconsistentlySynchronizedField).WithLocation(markup).WithArguments(field, @lock, member, how);

    // MTConnect.NET's static type tables: `if (_types == null) _types = GetAllTypes();` under the lock in one
    // member and without it in the others. Every write is that same lazy initialization: racing threads store
    // equivalent tables and the field never goes back to null. A plain store of the same call, another
    // initializer, or one fed a variable argument keeps the finding.
    [Fact]
    public Task RepeatedLazyInitialization_IsNoUnguardedWrite() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;

        static class Types
        {
            private static readonly object _lock = new object();
            private static Dictionary<string, int> _types;
            private static Dictionary<string, int> _names;
            private static Dictionary<string, int> _loaded;

            private static Dictionary<string, int> GetAllTypes() => new Dictionary<string, int>();

            private static Dictionary<string, int> Load(string path) => new Dictionary<string, int>();

            public static IEnumerable<string> GetTypes()
            {
                lock (_lock)
                {
                    if (_types == null) _types = GetAllTypes();
                    if (_names is null)
                    {
                        _names = GetAllTypes();
                    }

                    if (_loaded == null) _loaded = Load("types.json");
                    return _types.Keys;
                }
            }

            public static int Count()
            {
                if (_types == null) _types = GetAllTypes();
                _types ??= GetAllTypes();
                return _types.Count;
            }

            public static void Refresh(string path)
            {
                {|#0:_names = GetAllTypes()|};
                if (_loaded == null) {|#1:_loaded = Load(path)|};
            }
        }
        """,
        Tw2003(0, "_names", "_lock", "GetTypes"),
        Tw2003(1, "_loaded", "_lock", "GetTypes"));

    // `new Table { _dirty = false }` in a factory of the type fills a new object: it is no unguarded write of this
    // object's field. `other._dirty = false` on an existing object still is.
    [Fact]
    public Task ObjectInitializerOfANewObject_IsNoUnguardedWrite() => VerifyAnalyzer.AnalyzerAsync("""
        class Table
        {
            private readonly object _lock = new object();
            private bool _dirty;

            public static Table Create() => new Table { _dirty = false };

            public void Insert()
            {
                lock (_lock)
                {
                    _dirty = true;
                }
            }

            public void Flush()
            {
                lock (_lock)
                {
                    _dirty = false;
                }
            }

            public void MarkClean() => {|#0:_dirty = false|};
        }
        """, Tw2003(0, "_dirty", "_lock", "Insert"));

    [Fact]
    public Task HelpersCalledOnlyUnderTheLock_HoldIt() => VerifyAnalyzer.AnalyzerAsync("""
        class Pool
        {
            private readonly object _gate = new();
            private int _count;
            private int _peak;

            public void Add()
            {
                lock (_gate)
                {
                    _count++;
                    UpdatePeakLocked();
                }
            }

            public void Remove()
            {
                lock (_gate) { ShrinkLocked(); }
            }

            // Every caller holds _gate, directly or through another such helper.
            private void UpdatePeakLocked() { if (_count > _peak) SetPeakLocked(_count); }
            private void SetPeakLocked(int value) => _peak = value;
            private void ShrinkLocked() => _count--;

            // Called once without the lock: not a lock-held helper.
            private void Reset() => {|#0:_count = 0|};
            public void Clear() { Reset(); }
        }
        """, Tw2003(0, "_count", "_gate", "Add"));

    // `lock (_openLock) { _openTask = OpenHelperAsync(); }` (the MongoDB driver's connection): only the
    // async helper's part before its first await runs under the caller's lock, so its writes are not
    // lock-held writes, and the synchronous Open's writes are no inconsistency. A synchronous helper
    // called the same way still holds the lock.
    [Fact]
    public Task AsyncHelpersCalledUnderTheLock_DoNotHoldIt() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class Connection
        {
            private readonly object _openLock = new();
            private Task _openTask;
            private Stream _stream;
            private string _description;

            public Task OpenAsync()
            {
                lock (_openLock)
                {
                    _openTask ??= OpenHelperAsync();
                    Describe();
                    return _openTask;
                }
            }

            private async Task OpenHelperAsync()
            {
                await Task.Yield();
                _stream = Stream.Null;
            }

            private void Describe() => _description = "open";

            public void Open()
            {
                _stream = Stream.Null;
                {|#0:_description = "sync"|};
            }
        }
        """, Tw2003(0, "_description", "_openLock", "Describe"));

    // A pool whose async prune helper is awaited inside `using (await _lock.AcquireAsync())` by its only
    // caller (DistributedLock's connection pool): the whole helper, past its awaits, runs while the scope
    // holds the lock. The same shape kept as a task (not awaited where called) or awaited once outside
    // the scope still breaks it.
    [Fact]
    public Task AsyncHelpersAwaitedUnderAnAsyncLock_HoldIt() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;

        sealed class AsyncLock
        {
            public ValueTask<IDisposable> AcquireAsync() => new ValueTask<IDisposable>((IDisposable)null!);
        }

        class Pool
        {
            private readonly AsyncLock _lock = new();
            private readonly Queue<object> _items = new();
            private int _stored;
            private int _pooled;
            private int _kept;
            private int _seen;

            public async ValueTask StoreAsync(object item)
            {
                using (await _lock.AcquireAsync().ConfigureAwait(false))
                {
                    ++_stored;
                    ++_pooled;
                    ++_kept;
                    ++_seen;
                    _items.Enqueue(item);
                    if (_stored > 64)
                    {
                        await PruneNoLockAsync().ConfigureAwait(false);
                    }

                    await CountNoLockAsync();
                    var pending = KeepNoLockAsync();
                    await pending;
                    await SeeNoLockAsync();
                }
            }

            public async Task RefreshAsync() => await SeeNoLockAsync();

            private async ValueTask PruneNoLockAsync()
            {
                _stored = 0;
                await Task.Yield();
                --_pooled;
            }

            private async Task CountNoLockAsync()
            {
                await Task.Yield();
                _pooled = _items.Count;
            }

            private async Task KeepNoLockAsync()
            {
                await Task.Yield();
                {|#0:_kept = 0|};
            }

            private async Task SeeNoLockAsync()
            {
                await Task.Yield();
                {|#1:_seen = 0|};
            }
        }
        """, Tw2003(0, "_kept", "_lock", "StoreAsync"), Tw2003(1, "_seen", "_lock", "StoreAsync"));

    // Aerospike's timeout queue: its constructor starts `new Thread(Run)`, and only Run (constructors aside)
    // writes `_token` — checked outside the lock, replaced inside it (the lock guards `_cancel`, which
    // `Add` cancels). One thread per object runs Run: nothing can change the token between the check
    // and the act. A body any public method may start again, a field another member also writes, or a
    // static field (every object's thread shares it), is reported.
    [Fact]
    public Task ChecksOfStateOnlyTheObjectsOneThreadWrites_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;

        class TimeoutQueue
        {
            private readonly Thread _thread;
            private CancellationTokenSource _cancel = new();
            private CancellationToken _token;
            private CancellationToken _other;
            private bool _valid = true;

            public TimeoutQueue()
            {
                _token = _cancel.Token;
                _thread = new Thread(Run) { IsBackground = true };
                _thread.Start();
            }

            public void Add()
            {
                lock (this)
                {
                    _cancel.Cancel();
                }
            }

            public void Reset() => _other = default;

            private void Run()
            {
                while (_valid)
                {
                    if (_token.WaitHandle.WaitOne(100))
                    {
                        lock (this)
                        {
                            _cancel.Dispose();
                            _cancel = new CancellationTokenSource();
                            _token = _cancel.Token;
                        }
                    }

                    if ({|#0:_other|}.WaitHandle.WaitOne(100))
                    {
                        lock (this)
                        {
                            _other = _cancel.Token;
                        }
                    }
                }
            }
        }

        class RestartableQueue
        {
            private CancellationTokenSource _cancel = new();
            private CancellationToken _token;

            public void Start() => new Thread(Run).Start();

            private void Run()
            {
                if ({|#1:_token|}.WaitHandle.WaitOne(100))
                {
                    lock (this)
                    {
                        _token = _cancel.Token;
                    }
                }
            }
        }

        class SharedQueue
        {
            private static readonly object Gate = new();
            private static CancellationTokenSource _cancel = new();
            private static CancellationToken _token;

            public SharedQueue() => new Thread(Run).Start();

            private void Run()
            {
                if ({|#2:_token|}.WaitHandle.WaitOne(100))
                {
                    lock (Gate)
                    {
                        _token = _cancel.Token;
                    }
                }
            }
        }
        """, Tw2003(0, "_other", "this", "Run", "checked"), Tw2003(1, "_token", "this", "Run", "checked"), Tw2003(2, "_token", "Gate", "Run", "checked"));

    // MessagePipe's FreeList: `Initialize()` is called by the constructor and, to re-initialize, under
    // the lock. The constructor runs before the object is shared: every other call holds the lock, so the
    // helper does. A call from an ordinary method without the lock still breaks it.
    [Fact]
    public Task HelpersCalledUnderTheLockOrFromTheConstructor_HoldIt() => VerifyAnalyzer.AnalyzerAsync("""
        class FreeList
        {
            private readonly object _gate = new();
            private int _count;
            private int _size;

            public FreeList()
            {
                Initialize();
                Resize();
            }

            public void Add()
            {
                lock (_gate)
                {
                    _count++;
                    _size++;
                }
            }

            public void Remove()
            {
                lock (_gate)
                {
                    if (--_count == 0)
                    {
                        Initialize();
                        Resize();
                    }
                }
            }

            public void Trim() => Resize();

            private void Initialize() => _count = 0;

            private void Resize() => {|#0:_size = 0|};
        }
        """, Tw2003(0, "_size", "_gate", "Add"));

    // A helper called from a continuation that takes the lock inside the lambda still holds it.
    [Fact]
    public Task HelperCalledUnderTheLockInsideALambda_HoldsIt() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        class Gate
        {
            private readonly object _mutex = new();
            private int _held;

            public void Enter() { lock (_mutex) { _held++; Release(); } }

            public void ReleaseWhenCanceled(Task task)
                => task.ContinueWith(_ => { lock (_mutex) { Release(); } }, TaskContinuationOptions.OnlyOnCanceled);

            private void Release() { if (_held > 0) _held = 0; }
        }
        """);

    // Bedrock's HTTP/2 frame writer: `WriteHeaderUnsynchronized()` is called under `_writeLock`, from a
    // private helper its callers call under the lock, from a local function that helper only calls
    // directly, and from a private method nothing calls any more. None of those is an unlocked call. A
    // local function that is also handed out as a delegate, or that runs in a lambda, proves nothing.
    [Fact]
    public Task LocalFunctionsCalledDirectly_AndUnusedPrivateCallers_KeepTheLock() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        class FrameWriter
        {
            private readonly object _writeLock = new();
            private long _unflushed;
            private long _pending;

            public void WriteData(int length)
            {
                lock (_writeLock)
                {
                    _unflushed = 0;
                    WriteDataUnsynchronized(length);
                }
            }

            public void Ping()
            {
                lock (_writeLock) { WriteHeaderUnsynchronized(); }
            }

            private void WriteDataUnsynchronized(int length)
            {
                Trim(length);

                void Trim(int remaining)
                {
                    while (remaining > 16) { WriteHeaderUnsynchronized(); remaining -= 16; }
                }
            }

            private void FinishHeaders() => WriteHeaderUnsynchronized();

            private void WriteHeaderUnsynchronized() => _unflushed += 9;

            public void Queue(int length)
            {
                lock (_writeLock) { _pending = length; }
            }

            public Action Later()
            {
                Action run = Bump;
                return run;

                void Bump() => AddPending();
            }

            private void AddPending() => {|#0:_pending++|};
        }
        """, Tw2003(0, "_pending", "_writeLock", "Queue"));

    // Orleans' activation message loop: `RecordRunning(message)`, a local function of the loop that its sibling
    // local function calls only inside `lock (this)`, writes `_blockingRequest` there. The write holds the lock
    // its every call holds. A local function also called without the lock, handed out as a delegate, async,
    // or writing from a lambda of its own is reported.
    [Fact]
    public Task FieldsWrittenInLocalFunctionsCalledUnderTheLock_HoldIt() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class Activation
        {
            private readonly List<string> _waiting = new();
            private string? _blocking;
            private int _running;
            private int _handedOut;
            private int _late;

            public void OnCompleted()
            {
                lock (this)
                {
                    _blocking = null;
                    _running = 0;
                    _handedOut = 0;
                    _late = 0;
                }
            }

            public async Task RunLoop()
            {
                while (true)
                {
                    await Task.Yield();
                    ProcessPending();
                }

                void ProcessPending()
                {
                    lock (this)
                    {
                        if (_waiting.Count == 0) return;
                        RecordRunning(_waiting[0]);
                        CountRunning();
                    }

                    CountRunning();
                    Action later = HandOut;
                    later();
                    Later();
                }

                void RecordRunning(string message) => _blocking = message;

                void CountRunning() => {|#0:_running++|};

                void HandOut() => {|#1:_handedOut++|};

                void Later()
                {
                    lock (this)
                    {
                        Task.Run(() => {|#2:_late++|});
                    }
                }
            }
        }
        """,
        Tw2003(0, "_running", "this", "OnCompleted"),
        Tw2003(1, "_handedOut", "this", "OnCompleted"),
        Tw2003(2, "_late", "this", "OnCompleted"));

    [Fact]
    public Task HelperCalledFromALambdaWithoutTheLock_IsNotLockHeld() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        class Gate
        {
            private readonly object _mutex = new();
            private int _held;

            public void Enter() { lock (_mutex) { _held++; Release(); } }

            public void Later(Task task) { lock (_mutex) { task.ContinueWith(_ => Release()); } }

            private void Release() => {|#0:_held = 0|};
        }
        """, Tw2003(0, "_held", "_mutex", "Enter"));

    // Orleans' gateway manager: `StartAsync` sets `cachedLiveGateways` and then starts its refresh loop,
    // `_refreshTask ??= PeriodicallyRefreshAsync();`, an async method built around `while (await
    // timer.WaitForNextTickAsync())`. The write comes before the concurrent part starts. The same write after
    // the start, or before an awaited call of the loop method (which has ended by then), or before a call of
    // a method that is not a service loop, is reported.
    [Fact]
    public Task WritesBeforeAServiceLoopStarts_AreInitialization() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class GatewayManager
        {
            private readonly object _lock = new();
            private readonly PeriodicTimer _timer = new(TimeSpan.FromSeconds(1));
            private List<string> _live = new();
            private List<string> _known = new();
            private List<string> _masked = new();
            private List<string> _dead = new();
            private Task? _refreshTask;

            public async Task StartAsync(CancellationToken ct)
            {
                await Task.Yield();
                _live = new List<string> { "a" };
                _refreshTask ??= PeriodicallyRefreshAsync();
                {|#0:_known = new List<string> { "a" }|};
            }

            public async Task RefreshOnceAsync()
            {
                {|#1:_masked = new List<string>()|};
                await PeriodicallyRefreshAsync();
                {|#2:_dead = new List<string>()|};
                _ = RefreshAsync();
            }

            public void MarkAsDead(string gateway)
            {
                lock (_lock)
                {
                    _live = new List<string>(_live);
                    _known = new List<string>(_known);
                    _masked = new List<string>(_masked);
                    _dead = new List<string>(_dead);
                }
            }

            private async Task PeriodicallyRefreshAsync()
            {
                await Task.Yield();
                while (await _timer.WaitForNextTickAsync())
                {
                    await RefreshAsync();
                }
            }

            private async Task RefreshAsync() => await Task.Delay(1);
        }
        """,
        Tw2003(0, "_known", "_lock", "MarkAsDead"),
        Tw2003(1, "_masked", "_lock", "MarkAsDead"),
        Tw2003(2, "_dead", "_lock", "MarkAsDead"));

    // vstest's parallel execution manager: `StartTestRun` resets `_runCompletedClients = 0;` and then hands its own
    // methods to `_parallelOperationManager.StartWork(workloads, handler, GetParallelEventHandler, StartOnManager)`;
    // the locked `HandlePartialRunComplete` that counts completions runs only from that work. A write after the
    // start, before a call that hands over no method of this object (or is awaited, or is not named like a
    // start), or before handing a method to this object's own start, is reported.
    [Fact]
    public Task WritesBeforeHandingOwnMethodsToAStart_AreInitialization() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class OperationManager
        {
            public void StartWork(int count, Func<int, int> handler, Action<int> start) { }
            public Task RunWorkAsync(Action<int> start) => Task.CompletedTask;
            public void Report(Action<int> start) { }
            public void RunInline(Action<int> start) => start(0);
        }

        class ExecutionManager
        {
            private readonly object _statusLock = new();
            private readonly OperationManager _operations = new();
            private int _completed;
            private int _started;
            private int _awaited;
            private int _reported;
            private int _own;
            private int _inline;

            public int StartTestRun(int count)
            {
                _completed = 0;
                _operations.StartWork(count, GetHandler, StartOnManager);
                {|#0:_started = count|};
                return 1;
            }

            public async Task RunAsync()
            {
                {|#1:_awaited = 0|};
                await _operations.RunWorkAsync(StartOnManager);
                {|#2:_reported = 0|};
                _operations.Report(StartOnManager);
                {|#3:_own = 0|};
                StartLocally(StartOnManager);
            }

            public void RunNow()
            {
                {|#4:_inline = 0|};
                _operations.RunInline(StartOnManager);
            }

            public void HandlePartialRunComplete()
            {
                lock (_statusLock)
                {
                    _completed++;
                    _started--;
                    _awaited++;
                    _reported++;
                    _own++;
                    _inline++;
                }
            }

            private void StartLocally(Action<int> start) => start(1);

            private int GetHandler(int id) => id;

            private void StartOnManager(int id) => HandlePartialRunComplete();
        }
        """,
        Tw2003(0, "_started", "_statusLock", "HandlePartialRunComplete"),
        Tw2003(1, "_awaited", "_statusLock", "HandlePartialRunComplete"),
        Tw2003(2, "_reported", "_statusLock", "HandlePartialRunComplete"),
        Tw2003(3, "_own", "_statusLock", "HandlePartialRunComplete"),
        Tw2003(4, "_inline", "_statusLock", "HandlePartialRunComplete"));

    [Fact]
    public Task InitializationBeforeStart_AndIdempotentResets_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading;

        class Sampler
        {
            private readonly object _gate = new();
            private int _samples;
            private StringWriter? _writer;
            private string? _name;
            private Timer? _timer;

            public void Start()
            {
                _samples = 0;
                _timer = new Timer(Tick, null, 0, 100);
            }

            public void Restart()
            {
                _timer?.Dispose();
                _timer = new Timer(Tick, null, 0, 100);
                {|#0:_samples = 0|};
            }

            private void Tick(object? state)
            {
                lock (_gate) { _samples++; }
            }

            public StringWriter Writer()
            {
                lock (_gate)
                {
                    if (_writer == null)
                    {
                        _writer = new StringWriter();
                    }

                    return _writer;
                }
            }

            public void Close() => _writer = null;

            public void Rename(string name)
            {
                lock (_gate) { _name = name; }
            }

            public void Forget() => {|#1:_name = null|};
        }
        """, Tw2003(0, "_samples", "_gate", "Tick"), Tw2003(1, "_name", "_gate", "Rename"));

    [Fact]
    public Task CheckThenActOutsideTheLock_IsFlagged_DoubleCheckedLockingIsNot() => VerifyAnalyzer.AnalyzerAsync("""
        class Lazy
        {
            private readonly object _gate = new();
            private object? _instance;
            private object? _other;

            public object Get()
            {
                if ({|#0:_instance|} == null)
                {
                    lock (_gate)
                    {
                        _instance = new object();
                    }
                }

                return _instance;
            }

            public object GetOther()
            {
                if (_other == null)
                {
                    lock (_gate)
                    {
                        if (_other == null)
                        {
                            _other = new object();
                        }
                    }
                }

                return _other;
            }

            // Elastic APM's span statistics: `??=` inside the lock is the re-check.
            private System.Collections.Generic.Dictionary<string, int>? _stats;

            public void Count(string key)
            {
                if (_stats == null)
                {
                    lock (_gate)
                        _stats ??= new System.Collections.Generic.Dictionary<string, int>();
                }
            }
        }
        """, Tw2003(0, "_instance", "_gate", "Get", "checked"));

    // AngleSharp's document: `if (_importedUris is null) lock (_gate) { _importedUris = _importedUris ?? []; }` —
    // `??=` spelled out, which re-checks by itself. A coalesce with another field is no re-check.
    [Fact]
    public Task SelfCoalescingAssignmentUnderTheLock_IsTheRecheck() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;

        class Document
        {
            private readonly object _gate = new();
            private HashSet<string>? _imported;
            private HashSet<string>? _pending;
            private HashSet<string>? _spare;

            public void Import(string uri)
            {
                if (_imported is null)
                {
                    lock (_gate)
                    {
                        _imported = _imported ?? new HashSet<string>();
                    }
                }

                if ({|#0:_pending|} is null)
                {
                    lock (_gate)
                    {
                        _pending = _spare ?? new HashSet<string>();
                    }
                }
            }
        }
        """, Tw2003(0, "_pending", "_gate", "Import", "checked"));

    [Fact]
    public Task UnguardedWrites_AreFlagged_AcrossPartialDeclarations() => VerifyAnalyzer.AnalyzerAsync(new[] { """
        using System.Threading;

        partial class Account
        {
            private readonly object _gate = new();
            private readonly SemaphoreSlim _semaphore = new(1, 1);
            private decimal _balance;
            private int _version;
            private string? _status;

            public void Deposit(decimal amount)
            {
                lock (_gate)
                {
                    _balance += amount;
                    _version++;
                }
            }

            public void Rename(string status)
            {
                _semaphore.Wait();
                try { _status = status; }
                finally { _semaphore.Release(); }
            }
        }
        """, """
        partial class Account
        {
            public void Reset()
            {
                {|#0:_balance = 0|};
                {|#1:_version++|};
            }

            // A SemaphoreSlim region is no evidence (semaphores also throttle, and are often taken
            // through helpers the analyzer cannot follow): not reported.
            public void Clear() => _status = null;
        }
        """ }, null,
        Tw2003(0, "_balance", "_gate", "Deposit"), Tw2003(1, "_version", "_gate", "Deposit"));

    [Fact]
    public Task ConstructorsDisposeReadonlyVolatileAndConsistentFields_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        class Cache : IDisposable
        {
            private readonly object _gate = new();
            private int _hits;
            private volatile bool _closed;
            private int _unguardedEverywhere;

            public Cache() { _hits = 0; }

            public void Hit() { lock (_gate) { _hits++; } }

            public void Close() { _closed = true; }

            public void Touch() { _unguardedEverywhere++; }

            public void Dispose() { _hits = -1; }
        }
        """);

    // A helper whose only unlocked call sits after a `return;` (a thread body kept "until it is
    // implemented", under a CS0162 pragma) holds the lock on every call that runs. The same call where
    // it does run is still counted.
    [Fact]
    public Task HelperCalledUnlockedOnlyInDeadCode_HoldsTheLock() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;

        class Collector
        {
            private readonly object _sync = new();
            private CancellationTokenSource? _cts;
            private int _runs;

            public void Start()
            {
                lock (_sync)
                {
                    _cts = new CancellationTokenSource();
                    _runs++;
                    new Thread(Collect) { IsBackground = true }.Start(_cts.Token);
                }
            }

            public void Stop()
            {
                lock (_sync)
                {
                    _cts?.Cancel();
                    Complete();
                    Count();
                }
            }

            private void Complete()
            {
                _cts?.Dispose();
                _cts = null;
            }

            private void Count()
            {
                {|#0:_runs = 0|};
            }

            private void Collect(object? state)
            {
                switch (state)
                {
                    case null:
                        return;
                }

                Count();
                return;

        #pragma warning disable CS0162
                Complete();
        #pragma warning restore CS0162
            }
        }
        """, Tw2003(0, "_runs", "_sync", "Start"));

    // An `init` accessor runs while the object is being initialized, before anyone shares it (dotNext's
    // completion pipe sets its completion source there and under the lock in Reset). A `set` accessor
    // runs any time, and is still reported.
    [Fact]
    public Task WritesInInitAccessors_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        namespace System.Runtime.CompilerServices { static class IsExternalInit { } }

        class Pipe
        {
            private readonly object _sync = new();
            private TaskCompletionSource<bool>? _completedAll;
            private int _capacity;

            public bool IsCompletionSupported
            {
                get => _completedAll is not null;
                init => _completedAll = value ? new TaskCompletionSource<bool>() : null;
            }

            public int Capacity
            {
                get => _capacity;
                set => {|#0:_capacity = value|};
            }

            public void Reset()
            {
                lock (_sync)
                {
                    _completedAll = new TaskCompletionSource<bool>();
                    _capacity = 0;
                }
            }

            public void Complete()
            {
                lock (_sync)
                {
                    _completedAll?.TrySetResult(true);
                    _completedAll = null;
                    _capacity--;
                }
            }
        }
        """, Tw2003(0, "_capacity", "_sync", "Reset"));

    // LiteNetLib's networking manager: a protected helper of a public base class that its callers
    // (here, the only ones the compilation has) call while holding the write lock, also after
    // `if (locking) _lock.EnterWriteLock();`, holds the lock. A public helper does not: other
    // assemblies call it. And `Stop()` resets state after joining the worker thread that wrote it.
    [Fact]
    public Task ProtectedHelpersCalledUnderTheLock_AndResetsAfterJoin_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;

        public class Manager
        {
            private readonly ReaderWriterLockSlim _lock = new();
            private readonly object _gate = new();
            private Thread _worker;
            private int _count;
            private int _size;
            private int _nextId;

            public void Add()
            {
                _lock.EnterWriteLock();
                _count++;
                _size = 0;
                Grow();
                _lock.ExitWriteLock();
                lock (_gate) { _nextId++; }
            }

            public void Remove(bool locking)
            {
                if (locking)
                    _lock.EnterWriteLock();
                RemoveFromSet();
                if (locking)
                    _lock.ExitWriteLock();
            }

            protected void RemoveFromSet() => _count--;

            public void Grow() => {|#0:_size++|};

            public void Stop()
            {
                _worker.Join();
                _nextId = 0;
            }

            public void Reset()
            {
                _worker.Join(100);
                {|#1:_nextId = 0|};
            }
        }
        """, Tw2003(0, "_size", "_lock", "Add"), Tw2003(1, "_nextId", "_gate", "Add"));

    // Local functions under edit: a call of one that does not bind, one with a half-typed body.
    [Fact]
    public Task BrokenLocalFunctionCallers_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        class Writer
        {
            private readonly object _gate = new();
            private int _count;

            public void Add() { lock (_gate) { _count++; } }

            public void Flush()
            {
                Trim(;
                void Trim() { Bump(); Missing( }
            }

            private void Bump() => {|#0:_count = 0|};
        }
        """, Tw2003(0, "_count", "_gate", "Add"));

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        class C
        {
            private int _x;
            void A() { lock (missing) { _x = 1; } }
            void B() { _x = ; }
            void C2() { lock ( { _x++; }
        }
        """);

    // The questions asked only of would-be findings (whole-state steps, hooks called from Dispose) on
    // code under edit: stores to missing members, a half-typed condition, an unresolved base hook.
    // Missing members do not count as stores, so both steps stay below four and `_a` (updated from
    // itself under the lock) is reported in each.
    [Fact]
    public Task BrokenCode_InLifecycleStepsAndHooks_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        class S : MissingBase
        {
            private readonly object _gate = new object();
            private bool _sending;
            private int _a, _b;

            void Send() { lock (_gate) { _sending = true; _a++; } }
            void Reset() { _missing = 1; {|#0:_a = 0|}; _b = ; _sending = false; Undefined = 2; }
            void Check() { if (_sending && ) _sending = false; {|#1:_a = 1|}; _b = 2; _c = 3; }
            protected override void Hook() { _sending = false; }
            void Dispose() { Hook(); }
        }
        """, Tw2003(0, "_a", "_gate", "Send"), Tw2003(1, "_a", "_gate", "Send"));

    // Terminal.Gui's terminal device: `CloseOwnedHandles()` is called under the lock by `Reset()` and by a
    // handler of `AppDomain.ProcessExit`, which runs as the process ends, after the last use — like a
    // finalizer, it needs no lock. A handler of another event (or of an event of that name elsewhere) does.
    [Fact]
    public Task HelpersCalledFromAProcessExitHandler_HoldTheLockOfTheirOtherCallers() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        public static class Device
        {
            private static readonly object _lock = new();
            private static int _ownedFd = -1;
            private static int _otherFd = -1;

            public static void Open()
            {
                lock (_lock)
                {
                    _ownedFd++;
                    _otherFd++;
                    AppDomain.CurrentDomain.ProcessExit += (_, _) => CloseOwned();
                    AppDomain.CurrentDomain.UnhandledException += (_, _) => CloseOther();
                }
            }

            public static void Reset()
            {
                lock (_lock) { CloseOwned(); CloseOther(); }
            }

            private static void CloseOwned() => _ownedFd = -1;

            private static void CloseOther() => {|#0:_otherFd = -1|};
        }

        public class Fake
        {
            public event EventHandler ProcessExit;
            private readonly object _gate = new();
            private int _state;

            public void Open() { lock (_gate) { _state++; ProcessExit += (_, _) => Close(); } }
            public void Reset() { lock (_gate) { Close(); } }
            private void Close() => {|#1:_state = 0|};
        }
        """, Tw2003(0, "_otherFd", "_lock", "Open"), Tw2003(1, "_state", "_gate", "Open"));

    // Hazelcast's connection: `set { if (_readonlyProperties) throw new InvalidOperationException(…);
    // _closed = value; }` — a setter that refuses once the object has started writes during set-up only.
    // A disposed check (ObjectDisposedException), a refusal that tests something other than the object's
    // own fields, a refusal after the write, or a method rather than a setter, is no such proof.
    [Fact]
    public Task SettersThatRefuseOnceStarted_AreSetUp() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        public class MemberConnection
        {
            private readonly object _closedMutex = new();
            private Action _closed;
            private Action _opened;
            private Action _failed;
            private Action _idle;
            private Action _busy;
            private bool _readonlyProperties;
            private int _isActive;
            private bool _disposed;

            public void AddClosed(Action onClosed) { lock (_closedMutex) { _closed += onClosed; _opened += onClosed; _failed += onClosed; _idle += onClosed; _busy += onClosed; } }

            public void Connect() { _readonlyProperties = true; _isActive = 1; }

            public Action Closed
            {
                get => _closed;
                set
                {
                    if (_readonlyProperties)
                        throw new InvalidOperationException("The property is now read-only.");
                    _closed = value;
                }
            }

            public Action Opened
            {
                set
                {
                    if (this._isActive == 1) { throw new NotSupportedException(); }
                    _opened = value ?? throw new ArgumentNullException(nameof(value));
                }
            }

            public Action Failed
            {
                set
                {
                    if (_disposed) throw new ObjectDisposedException(nameof(MemberConnection));
                    {|#0:_failed = value|};
                }
            }

            public Action Idle
            {
                set
                {
                    {|#1:_idle = value|};
                    if (_readonlyProperties) throw new InvalidOperationException();
                }
            }

            public Action Busy
            {
                set
                {
                    if (IsStarted()) throw new InvalidOperationException();
                    {|#2:_busy = value|};
                }
            }

            public void SetBusy(Action busy)
            {
                if (_readonlyProperties) throw new InvalidOperationException();
                {|#3:_busy = busy|};
            }

            private bool IsStarted() => _isActive == 1;
        }
        """,
        Tw2003(0, "_failed", "_closedMutex", "AddClosed"), Tw2003(1, "_idle", "_closedMutex", "AddClosed"),
        Tw2003(2, "_busy", "_closedMutex", "AddClosed"), Tw2003(3, "_busy", "_closedMutex", "AddClosed"));

    // "Does anything call this internal method?" asked where calls are half-typed or bind to nothing;
    // "does this setter refuse once started?" where the refusal is half-typed or throws an unknown type.
    [Fact]
    public Task BrokenCallsOfInternalMethods_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System;

        public class Link
        {
            private readonly object _gate = new();
            private int _state;

            public void Open() { lock (_gate) { _state++; } }

            internal void Attach(int state) => {|#2:_state = state|};

            internal void Detach() => {|#0:_state = 0|};

            public void Use() { Attach(; Detach(); Missing.Attach(1); this.Attach }

            public void Hook()
            {
                AppDomain.CurrentDomain.ProcessExit += (_, _) => Detach(;
                Missing.ProcessExit += (_, _) => Detach();
                AppDomain.CurrentDomain.ProcessExit += ;
            }

            public int State
            {
                set
                {
                    if (_missing) throw new InvalidOperationException();
                    if (_state == ) throw new InvalidOperationException();
                    if (_state == 1) throw new Missing();
                    if (_state == 1) throw;
                    {|#1:_state = value|};
                }
            }
        }
        """, Tw2003(0, "_state", "_gate", "Open"), Tw2003(1, "_state", "_gate", "Open"),
        // `Attach(` half-typed is a call being written: in doubt, Attach runs.
        Tw2003(2, "_state", "_gate", "Open"));

    // A factory's "first use of the new object" question, asked where the factory is half-typed.
    [Fact]
    public Task BrokenFactories_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        class Lease
        {
            private readonly object _gate = new();
            private int _state;

            internal static Lease Create()
            {
                var lease = new Lease(;
                lease.Start();
                return lease
            }

            internal static Lease Other() { var x = new Missing(); x.Start(); return null; }

            private void Start() => _state = 1;

            internal void Reset() { lock (_gate) { _state = 0; } }
        }
        """);

    [Fact]
    public Task Fix_TakesTheSameLock() => VerifyFix.CodeFixAsync("""
        class Counter
        {
            private readonly object _gate = new();
            private int _count;

            public void Increment() { lock (_gate) { _count++; } }

            public void Reset()
            {
                {|#0:_count = 0|};
            }
        }
        """, """
        class Counter
        {
            private readonly object _gate = new();
            private int _count;

            public void Increment() { lock (_gate) { _count++; } }

            public void Reset()
            {
                lock (_gate)
                {
                    _count = 0;
                }
            }
        }
        """, Tw2003(0, "_count", "_gate", "Increment"));

    // Lidgren's socket rebind: a guard clause on the field (`if (now - m_lastBind < 1.0) return;`) then
    // the write. The check and the write go under the lock together; the file indents with tabs and
    // the lock keeps them (no .editorconfig: the formatter would have used spaces and re-indented the
    // statement after it).
    [Fact]
    public Task Fix_TakesTheGuardClauseIntoTheLock_AndKeepsTabs() => VerifyFix.CodeFixAsync("""
        class Peer
        {
        	private readonly object m_initializeLock = new object();
        	private double m_lastBind;

        	void Shutdown()
        	{
        		lock (m_initializeLock)
        		{
        			m_lastBind = 0;
        		}
        	}

        	void Bind(double now)
        	{
        		if (now - m_lastBind < 1.0)
        		{
        			System.Console.WriteLine("suppressed");
        			return;
        		}
        		{|#0:m_lastBind = now|};

        		System.Console.WriteLine("bound");
        	}
        }
        """, """
        class Peer
        {
        	private readonly object m_initializeLock = new object();
        	private double m_lastBind;

        	void Shutdown()
        	{
        		lock (m_initializeLock)
        		{
        			m_lastBind = 0;
        		}
        	}

        	void Bind(double now)
        	{
        		lock (m_initializeLock)
        		{
        			if (now - m_lastBind < 1.0)
        			{
        				System.Console.WriteLine("suppressed");
        				return;
        			}
        			m_lastBind = now;
        		}

        		System.Console.WriteLine("bound");
        	}
        }
        """, Tw2003(0, "m_lastBind", "m_initializeLock", "Shutdown"));

    // FluentFTP's style: tabs, and braces at the end of their owner's line. The lock follows it.
    [Fact]
    public Task Fix_KeepsTheBraceStyle() => VerifyFix.CodeFixAsync(
        "class Peer {\n\tprivate readonly object _gate = new object();\n\tprivate int _count;\n\n\tvoid Reset() {\n\t\tlock (_gate) {\n\t\t\t_count = 0;\n\t\t}\n\t}\n\n\tvoid Set(int value) {\n\t\t{|#0:_count = value|};\n\t\tSystem.Console.WriteLine(value);\n\t}\n}\n",
        "class Peer {\n\tprivate readonly object _gate = new object();\n\tprivate int _count;\n\n\tvoid Reset() {\n\t\tlock (_gate) {\n\t\t\t_count = 0;\n\t\t}\n\t}\n\n\tvoid Set(int value) {\n\t\tlock (_gate) {\n\t\t\t_count = value;\n\t\t}\n\t\tSystem.Console.WriteLine(value);\n\t}\n}\n",
        Tw2003(0, "_count", "_gate", "Reset"));

    // Two runs in one block, fixed in one pass (Fix All): each gets its own lock, found again in the
    // block as the other fix left it.
    [Fact]
    public Task FixAll_TwoRunsInOneBlock_EachGetTheLock() => VerifyFix.CodeFixAsync("""
        class Stats
        {
            private readonly object _gate = new();
            private int _count;
            private long _total;

            public void Add(int x) { lock (_gate) { _count++; _total += x; } }

            public void Reset()
            {
                {|#0:_count = 0|};
                System.Console.WriteLine("between");
                {|#1:_total = 0|};
            }
        }
        """, """
        class Stats
        {
            private readonly object _gate = new();
            private int _count;
            private long _total;

            public void Add(int x) { lock (_gate) { _count++; _total += x; } }

            public void Reset()
            {
                lock (_gate)
                {
                    _count = 0;
                }
                System.Console.WriteLine("between");
                lock (_gate)
                {
                    _total = 0;
                }
            }
        }
        """, Tw2003(0, "_count", "_gate", "Add"), Tw2003(1, "_total", "_gate", "Add"));

    // Npgsql's cancellation source: a write right after `#if DEBUG`. The directive stays before the new
    // lock, which is laid out at the statement's own indentation.
    [Fact]
    public Task Fix_AfterAPreprocessorDirective_KeepsTheLayout() => VerifyFix.CodeFixAsync("""
        class Source
        {
            private readonly object _lock = new object();
            private bool _isRunning;

            public void Start()
            {
                lock (_lock)
                {
                    _isRunning = true;
                }
            }

            public void Stop()
            {
        #if !NOT_DEFINED
                {|#0:_isRunning = false|};
        #endif
            }
        }
        """, """
        class Source
        {
            private readonly object _lock = new object();
            private bool _isRunning;

            public void Start()
            {
                lock (_lock)
                {
                    _isRunning = true;
                }
            }

            public void Stop()
            {
        #if !NOT_DEFINED
                lock (_lock)
                {
                    _isRunning = false;
                }
        #endif
            }
        }
        """, Tw2003(0, "_isRunning", "_lock", "Start"));

    // Fields updated together stay one critical section: the fix takes the lock around the run of
    // neighbouring statements that touch state the lock guards, not around one assignment.
    [Fact]
    public Task Fix_GuardsFieldsUpdatedTogether_AndExpressionBodies() => VerifyFix.CodeFixAsync("""
        class Stats
        {
            private readonly object _gate = new();
            private int _count;
            private long _total;
            private string _label = "";

            public void Add(int x) { lock (_gate) { _count++; _total += x; } }

            public void Reset(string label)
            {
                _label = label;
                {|#0:_count = 0|};
                {|#1:_total = 0|};
                System.Console.WriteLine(label);
            }

            public void Clear() => {|#2:_count = 0|};

            public int Take() => {|#3:_count--|};
        }
        """, """
        class Stats
        {
            private readonly object _gate = new();
            private int _count;
            private long _total;
            private string _label = "";

            public void Add(int x) { lock (_gate) { _count++; _total += x; } }

            public void Reset(string label)
            {
                _label = label;
                lock (_gate)
                {
                    _count = 0;
                    _total = 0;
                }
                System.Console.WriteLine(label);
            }

            public void Clear()
            {
                lock (_gate)
                {
                    _count = 0;
                }
            }

            public int Take()
            {
                lock (_gate)
                {
                    return _count--;
                }
            }
        }
        """,
        Tw2003(0, "_count", "_gate", "Add"), Tw2003(1, "_total", "_gate", "Add"),
        Tw2003(2, "_count", "_gate", "Add"), Tw2003(3, "_count", "_gate", "Add"));
    // A check-then-act that is itself the body of another statement is locked in place.
    [Fact]
    public Task Fix_LocksTheCheckThenAct_WhenItIsTheBodyOfAnotherStatement() => VerifyFix.CodeFixAsync("""
        class Feeder
        {
            private readonly object _mu = new();
            private object? _feeder;

            public void Stop() { lock (_mu) { _feeder = null; } }

            public void Start(bool enabled)
            {
                if (enabled)
                    if (_feeder == null)
                    {
                        {|#0:_feeder = new object()|};
                    }
            }
        }
        """, """
        class Feeder
        {
            private readonly object _mu = new();
            private object? _feeder;

            public void Stop() { lock (_mu) { _feeder = null; } }

            public void Start(bool enabled)
            {
                if (enabled)
                    lock (_mu)
                    {
                        if (_feeder == null)
                        {
                            _feeder = new object();
                        }
                    }
            }
        }
        """, Tw2003(0, "_feeder", "_mu", "Stop"));

    // A field guarded by a ReaderWriterLockSlim (or another lock with its own acquire API) gets no
    // fix: `lock (_indexLock)` would compile and exclude nothing (found applying fixes to LiteDB).
    [Fact]
    public Task Fix_IsNotOffered_ForLocksTakenThroughTheirOwnApi() => VerifyFix.NoCodeFixAsync("""
        using System.Threading;

        class WalIndex
        {
            private readonly ReaderWriterLockSlim _indexLock = new();
            private int _last;

            public void Clear()
            {
                _indexLock.EnterWriteLock();
                try
                {
                    _last = 0;
                }
                finally
                {
                    _indexLock.ExitWriteLock();
                }
            }

            public void Restore(int last) => {|#0:_last = last|};
        }
        """, Tw2003(0, "_last", "_indexLock", "Clear"));

    // Async and custom locks held by a `using` scope (`using (await _mutex.LockAsync())`, Coyote's
    // `using (SynchronizedSection.Enter(gate))`) guard the writes in their body: a write elsewhere without
    // them is reported, with no fix — `lock (_mutex)` would compile and exclude nothing, and what a custom
    // scope call takes is not known. Writes under a reader scope are no evidence of the lock.
    [Fact]
    public Task Fix_IsNotOffered_ForAsyncAndCustomScopeLocks() => VerifyFix.NoCodeFixAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        sealed class AsyncLock
        {
            public Task<IDisposable> LockAsync() => Task.FromResult<IDisposable>(null!);
            public IDisposable ReaderLock() => null!;
        }

        readonly struct Section : IDisposable
        {
            private readonly object _gate;
            private Section(object gate) { _gate = gate; Monitor.Enter(gate); }
            public static Section Enter(object gate) => new Section(gate);
            public void Dispose() => Monitor.Exit(_gate);
        }

        class Index
        {
            private readonly AsyncLock _mutex = new();
            private readonly AsyncLock _rw = new();
            private readonly object _gate = new();
            private int _last;
            private int _count;
            private int _seen;

            public async Task ClearAsync()
            {
                using (await _mutex.LockAsync())
                {
                    _last = 0;
                }
            }

            public void Restore(int last) => {|#0:_last = last|};

            public void Add()
            {
                using var section = Section.Enter(_gate);
                _count++;
            }

            public void Reset() => {|#1:_count = 0|};

            public void See()
            {
                using (_rw.ReaderLock())
                {
                    _seen = 1;
                }
            }

            public void Unsee() => _seen = 0;
        }
        """, Tw2003(0, "_last", "_mutex", "ClearAsync"), Tw2003(1, "_count", "_gate", "Add"));

    // Ruffles' connection writes its handshake counters inside `EnterReadLock()`/`ExitReadLock()`: readers
    // do not exclude each other, so the read lock is no evidence that it guards the field. Under the write
    // lock, under an upgradeable read lock, or under a write lock taken inside the read region (straight
    // line or by try/finally), the write is evidence, and the unguarded one is reported.
    [Fact]
    public Task WritesUnderAReadLock_AreNoEvidence() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;

        class Connection
        {
            private readonly ReaderWriterLockSlim _stateLock = new();
            private int _attempts;
            private int _state;
            private int _phase;
            private int _round;

            public void HandleChallenge()
            {
                _stateLock.EnterReadLock();
                try
                {
                    _attempts = 0;
                }
                finally
                {
                    _stateLock.ExitReadLock();
                }
            }

            public void SendChallenge() => _attempts++;

            public void Connect()
            {
                _stateLock.EnterWriteLock();
                try { _state = 1; } finally { _stateLock.ExitWriteLock(); }
            }

            public void Upgrade()
            {
                _stateLock.EnterUpgradeableReadLock();
                try { _phase = 1; } finally { _stateLock.ExitUpgradeableReadLock(); }
            }

            public void Nested()
            {
                _stateLock.EnterReadLock();
                _stateLock.ExitReadLock();
                _stateLock.EnterWriteLock();
                _round = 1;
                _stateLock.ExitWriteLock();
            }

            public void Reset()
            {
                {|#0:_state = 0|};
                {|#1:_phase = 0|};
                {|#2:_round = 0|};
            }
        }
        """,
        Tw2003(0, "_state", "_stateLock", "Connect"),
        Tw2003(1, "_phase", "_stateLock", "Upgrade"),
        Tw2003(2, "_round", "_stateLock", "Nested"));

    // The read-lock question, asked where the lock calls are half-typed or the lock does not bind.
    [Fact]
    public Task BrokenReadLocks_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading;

        class Connection
        {
            private readonly ReaderWriterLockSlim _stateLock = new();
            private int _attempts;

            public void HandleChallenge()
            {
                _stateLock.EnterReadLock(;
                try { _attempts = 0; } finally { _stateLock.ExitReadLock(); }
                _missing.EnterReadLock();
                try { _attempts = 1; } finally { _missing.ExitReadLock(); }
            }

            public void SendChallenge() => _attempts++;
        }
        """);

    // Lock scopes half-typed, on a lock that does not bind, with no resource, or of a call that does not bind.
    // The one-thread check and awaited async helpers on code under edit: a thread created with a missing
    // body, a field written through a missing member, an awaited helper that does not bind.
    [Fact]
    public Task BrokenThreadBodiesAndAwaitedHelpers_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Queue
        {
            private CancellationToken _token;
            private int _count;
            private readonly Missing _lock;

            public Queue()
            {
                new Thread(Run).Start(;
                new Thread(Gone).Start();
            }

            private void Run()
            {
                if (_token.WaitHandle.WaitOne(100))
                {
                    lock (this) { _token = Unknown.Token; }
                }
            }

            public async Task StoreAsync()
            {
                using (await _lock.AcquireAsync())
                {
                    _count++;
                    await PruneAsync(;
                }
            }

            private async Task PruneAsync() { await Task.Yield(); _count = 0; }
        }
        """);

    [Fact]
    public Task BrokenLockScopes_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System;
        using System.Threading.Tasks;

        class Connection
        {
            private int _attempts;

            public async Task HandleAsync()
            {
                using (await _missing.LockAsync(
                {
                    _attempts = 0;
                }

                using (Section.Enter())
                {
                    _attempts = 1;
                }

                using var held = _missing.ReaderLock();
                using ()
                {
                    _attempts = 2;
                }

                using var other = ;
                _attempts = 3;
            }

            public void Send() => _attempts++;
        }
        """);

    // A lock on a resource the caller handed in serialises that resource across wrappers; this
    // instance's own fields written inside are not what it protects. A lock on the type's own
    // object, or on an object (a sync root) handed in, still is.
    [Fact]
    public Task LocksOnABorrowedResource_AreNoEvidence_OwnLocksAre() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;

        class SharedStreamReader
        {
            private readonly Stream _stream;
            private long _position;

            public SharedStreamReader(Stream stream) => _stream = stream ?? throw new ArgumentNullException(nameof(stream));

            public long Position { get => _position; set => _position = value; }

            public int Read(byte[] buffer)
            {
                lock (_stream)
                {
                    _stream.Position = _position;
                    var read = _stream.Read(buffer, 0, buffer.Length);
                    _position = _stream.Position;
                    return read;
                }
            }
        }

        class SyncRootUser
        {
            private readonly object _syncRoot;
            private readonly Stream _owned = new MemoryStream();
            private int _count;
            private int _size;

            public SyncRootUser(object syncRoot) => _syncRoot = syncRoot;

            public void Add() { lock (_syncRoot) { _count++; } }

            public void Reset() => {|#0:_count = 0|};

            public void Grow() { lock (_owned) { _size++; } }

            public void Shrink() => {|#1:_size = 0|};
        }
        """, Tw2003(0, "_count", "_syncRoot", "Add"), Tw2003(1, "_size", "_owned", "Grow"));

    // SharpZipLib's entry streams share their archive's stream: `zipFile_ = zipFile; baseStream_ =
    // zipFile_.baseStream_;` (or `zipFile.baseStream_` directly). The lock serialises that shared stream.
    // A stream taken from a field the constructor did not set from a parameter is not borrowed.
    [Fact]
    public Task LocksOnAStreamTakenFromAHandedInOwner_AreNoEvidence() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;

        class Archive
        {
            internal Stream baseStream_ = new MemoryStream();
            internal static Archive Default = new Archive();
        }

        class EntryStream
        {
            private readonly Archive zipFile_;
            private readonly Stream baseStream_;
            private long readPos_;

            public EntryStream(Archive zipFile, long start)
            {
                zipFile_ = zipFile;
                baseStream_ = zipFile_.baseStream_;
                readPos_ = start;
            }

            public int ReadByte()
            {
                lock (baseStream_) { baseStream_.Position = readPos_++; return baseStream_.ReadByte(); }
            }

            public long Seek(long position) => readPos_ = position;
        }

        class DirectEntryStream
        {
            private readonly Stream _base;
            private long _pos;

            public DirectEntryStream(Archive archive) { _base = archive.baseStream_; }

            public int ReadByte() { lock (_base) { _pos++; return _base.ReadByte(); } }

            public void Seek(long position) => _pos = position;
        }

        class DefaultEntryStream
        {
            private readonly Archive _archive = Archive.Default;
            private readonly Stream _base;
            private long _pos;

            public DefaultEntryStream() { _base = _archive.baseStream_; }

            public int ReadByte() { lock (_base) { _pos++; return _base.ReadByte(); } }

            public void Seek(long position) => {|#0:_pos = position|};
        }
        """, Tw2003(0, "_pos", "_base", "ReadByte"));

    // DotNetty shapes: a reference-counted buffer's Release() in a finally holds no lock, and a lock on
    // an object looked up per call (a pool head chosen by size) guards that object, not this one's
    // fields. A local copied from a field is still that field's lock.
    [Fact]
    public Task BufferReleasesAndLocksOnPerCallObjects_AreNoEvidence_ACopiedFieldLockIs() => VerifyAnalyzer.AnalyzerAsync("""
        interface IBuffer { int Retain(); bool Release(); }

        sealed class Head { }

        class Decoder
        {
            private IBuffer _cumulation;

            public void Read(IBuffer data)
            {
                try
                {
                    _cumulation = data;
                }
                finally
                {
                    _cumulation.Release();
                }
            }

            public void Removed() => _cumulation = null;
        }

        class Chunk
        {
            private readonly Head[] _heads = { new Head(), new Head() };
            private readonly object _gate = new();
            private int _freeBytes;
            private int _used;

            private Head FindHead(int size) => _heads[size & 1];

            public void AllocateSmall(int size)
            {
                var head = FindHead(size);
                lock (head)
                {
                    _freeBytes -= size;
                }
            }

            public void AllocateRun(int size) => _freeBytes -= size;

            public void Use()
            {
                var gate = _gate;
                lock (gate)
                {
                    _used++;
                }
            }

            public void Forget() => {|#0:_used = 0|};
        }
        """, Tw2003(0, "_used", "gate", "Use"));

    // A method that only constructors call (directly or through other such methods) initialises an
    // object before it is handed out; one other caller makes its writes count again.
    [Fact]
    public Task WritesInMethodsOnlyConstructorsCall_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        class Index
        {
            private readonly object _gate = new();
            private int _last;

            public void Clear() { lock (_gate) { _last = 0; } }

            internal void Restore(int last) => _last = last;

            internal void Replay(int last) => {|#0:_last = last|};
        }

        class Engine
        {
            private readonly Index _index = new();

            public Engine() => Open();

            private void Open() => _index.Restore(1);

            public void Rebuild() => _index.Replay(2);

            public Engine(int seed) { _index.Replay(seed); }
        }
        """, Tw2003(0, "_last", "_gate", "Clear"));

    // Tmds.DBus keeps `internal void Connect(IMessageStream stream)` "for tests": nothing in the
    // assembly calls it, so its writes cannot race with the assembly's own code (a test calls it alone),
    // nor can those of a method only it calls. A method that may run — called, used as a method group,
    // an interface member, one with attributes (a reflection hook), a public one (also of an internal
    // type) or a private one (code being written has no callers yet) — is reported.
    [Fact]
    public Task WritesInMethodsNothingCalls_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        internal interface IRestartable { void Restart(); }

        public class Connection : IRestartable
        {
            private readonly object _gate = new();
            private int _state;

            public void Open() { lock (_gate) { _state++; } }

            // For tests.
            internal void Attach(int state) { _state = state; Started(); }

            internal void Started() => _state = 1;

            internal void Reattach(int state) => {|#0:_state = state|};

            public void Use() => Reattach(5);

            [Obsolete]
            internal void Legacy() => {|#1:_state = 2|};

            internal void Handler() => {|#2:_state = 3|};

            public Action Callback => Handler;

            void IRestartable.Restart() => {|#3:_state = 4|};
        }

        internal class Worker : IRestartable
        {
            private readonly object _gate = new();
            private int _runs;

            public void Run() { lock (_gate) { _runs++; } }

            public void Restart() => {|#4:_runs = 0|};

            private void Reset() => {|#5:_runs = -1|};
        }

        """,
        Tw2003(0, "_state", "_gate", "Open"), Tw2003(1, "_state", "_gate", "Open"), Tw2003(2, "_state", "_gate", "Open"), Tw2003(3, "_state", "_gate", "Open"), Tw2003(4, "_runs", "_gate", "Run"), Tw2003(5, "_runs", "_gate", "Run"));

    // A static factory that creates the object and starts it before returning it (a distributed lock's
    // `Create`/`CreateAsync`: `var l = new Lock(…); l.Start(); return l;`) sets it up before anyone else
    // can see it, as a constructor does. Not when the object was handed out first, nor for another type's
    // object, nor for an instance that was not created there.
    [Fact]
    public Task WritesInMethodsOnlyAFactoryCallsOnItsNewObject_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class Lease
        {
            private readonly object _gate = new();
            private Timer _keepAlive;

            private Lease() { }

            internal static Lease Create()
            {
                var lease = new Lease();
                lease.Start();
                return lease;
            }

            internal static async Task<Lease> CreateAsync()
            {
                var lease = new Lease();
                await lease.StartAsync().ConfigureAwait(false);
                return lease;
            }

            private void Start() => StartTimer();

            private async Task StartAsync()
            {
                await Task.Yield();
                StartTimer();
            }

            private void StartTimer() => _keepAlive = new Timer(_ => { }, null, 1000, 1000);

            internal void Stop()
            {
                lock (_gate)
                {
                    _keepAlive?.Dispose();
                    _keepAlive = null;
                }
            }
        }

        class Published
        {
            private readonly object _gate = new();
            private int _state;

            internal static Published Create(List<Published> registry)
            {
                var created = new Published();
                registry.Add(created);
                created.Start();
                return created;
            }

            private void Start() => {|#0:_state = 1|};

            internal void Reset() { lock (_gate) { _state = 0; } }
        }

        class Restarted
        {
            private readonly object _gate = new();
            private int _state;

            internal static void Restart(Restarted existing) => existing.Start();

            private void Start() => {|#1:_state = 1|};

            internal void Reset() { lock (_gate) { _state = 0; } }
        }
        """, Tw2003(0, "_state", "_gate", "Reset"), Tw2003(1, "_state", "_gate", "Reset"));

    // A write that is the act of a check-then-act on guarded state takes the whole `if` into the lock,
    // with the neighbouring write made together with it (one critical section, one Fix All edit);
    // an `if` whose condition reads no guarded state is left outside.
    [Fact]
    public Task Fix_GuardsTheWholeCheckThenAct_AndTheWritesAfterIt() => VerifyFix.CodeFixAsync("""
        using System.Threading.Tasks;

        class Feeder
        {
            private readonly object _mu = new();
            private Task? _feeder;
            private bool _started;
            private bool _owns = true;

            public void Stop() { lock (_mu) { _feeder = null; _started = false; } }

            public bool IsStarted { get { lock (_mu) { return _started; } } }

            public void Start()
            {
                if (_owns && _feeder == null)
                {
                    // start once
                    {|#0:_feeder = Task.Run(() => { })|};
                }
                {|#1:_started = true|};
            }

            public void Log(int x)
            {
                if (x > 0)
                {
                    {|#2:_started = false|};
                }
                else
                {
                    System.Console.WriteLine(x);
                }
            }
        }
        """, """
        using System.Threading.Tasks;

        class Feeder
        {
            private readonly object _mu = new();
            private Task? _feeder;
            private bool _started;
            private bool _owns = true;

            public void Stop() { lock (_mu) { _feeder = null; _started = false; } }

            public bool IsStarted { get { lock (_mu) { return _started; } } }

            public void Start()
            {
                lock (_mu)
                {
                    if (_owns && _feeder == null)
                    {
                        // start once
                        _feeder = Task.Run(() => { });
                    }
                    _started = true;
                }
            }

            public void Log(int x)
            {
                if (x > 0)
                {
                    lock (_mu)
                    {
                        _started = false;
                    }
                }
                else
                {
                    System.Console.WriteLine(x);
                }
            }
        }
        """,
        Tw2003(0, "_feeder", "_mu", "Stop"), Tw2003(1, "_started", "_mu", "Stop"), Tw2003(2, "_started", "_mu", "Stop"));

    [Fact]
    public Task ResetWhoseWriterRechecksThroughAHelper_IsNotFlagged_AnUncheckedWriterStillCounts() => VerifyAnalyzer.AnalyzerAsync("""
        class Cache
        {
            private readonly object _gate = new();
            private string? _value;
            private string? _other;

            public string Get(string key)
            {
                var cached = Lookup(key);
                if (cached is null)
                {
                    lock (_gate)
                    {
                        cached = Lookup(key);
                        if (cached is null)
                        {
                            _value = cached = key.ToUpperInvariant();
                        }
                    }
                }

                return cached;
            }

            public void Set(string key)
            {
                lock (_gate)
                {
                    var length = key.Length;
                    if (length > 0)
                    {
                        _other = key;
                    }
                }
            }

            protected void Clear() => _value = null;

            protected void ClearOther() => {|#0:_other = null|};

            private string? Lookup(string key) => _value is { } value && value.Length == key.Length ? value : null;
        }
        """, Tw2003(0, "_other", "_gate", "Set"));

    // MailKit's engine: the guarded write is preceded by `if (IsBusy) throw …;` where IsBusy's getter
    // reads the field; the reset to null after the command is the idempotent reset the guard re-checks.
    // A virtual property proves nothing (an override may read something else).
    [Fact]
    public Task ResetRecheckedThroughAPropertyOfTheType_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;

        class Engine
        {
            private readonly List<string> _queue = new();
            private string? _current;
            private string? _next;

            bool IsBusy => _current != null;

            protected virtual bool HasNext => _next != null;

            void Pop()
            {
                lock (_queue)
                {
                    if (IsBusy)
                        throw new System.InvalidOperationException("busy");

                    _current = _queue[0];
                    _queue.RemoveAt(0);
                }
            }

            void PopNext()
            {
                lock (_queue)
                {
                    if (HasNext)
                        return;

                    _next = _queue[0];
                }
            }

            public void Iterate()
            {
                Pop();
                try { System.Console.WriteLine(_current); }
                finally { _current = null; }
            }

            public string? Peek() { lock (_queue) { return _next; } }

            public void Skip() => {|#0:_next = null|};
        }
        """, Tw2003(0, "_next", "_queue", "PopNext"));

    // Coravel's scheduler: the value acted on is read under the lock before a constant is stored (a
    // test-and-set), so two threads past the outer check cannot both see `true`. Storing a new object
    // after a read inside the lock is still a double creation and is reported.
    [Fact]
    public Task TestAndSetUnderTheLock_IsNotACheckThenAct() => VerifyAnalyzer.AnalyzerAsync("""
        class Scheduler
        {
            private readonly object _firstTickGate = new();
            private readonly object _gate = new();
            private bool _isFirstTick = true;
            private object? _cache;

            public bool TakeFirstTick()
            {
                var isFirstTick = false;
                if (_isFirstTick)
                {
                    lock (_firstTickGate)
                    {
                        isFirstTick = _isFirstTick;
                        _isFirstTick = false;
                    }
                }

                return isFirstTick;
            }

            public object Cache()
            {
                if ({|#0:_cache|} == null)
                {
                    lock (_gate)
                    {
                        System.Console.WriteLine(_cache);
                        _cache = new object();
                    }
                }

                return _cache;
            }
        }
        """, Tw2003(0, "_cache", "_gate", "Cache", "checked"));

    [Fact]
    public Task DoubleCheckWithAGuardClauseInsideTheLock_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        class Factory
        {
            private readonly object _gate = new();
            private bool _loaded;
            private bool _closing;
            private string? _config;

            public void Load(string config)
            {
                lock (_gate) { _loaded = true; _config = config; }
            }

            public void Shutdown()
            {
                if (!_closing && _loaded)
                {
                    lock (_gate)
                    {
                        if (_closing || !_loaded)
                            return;

                        _config = null;
                        _loaded = true;
                    }
                }
            }

            public void Unload()
            {
                if ({|#0:_loaded|})
                {
                    lock (_gate)
                    {
                        _config = null;
                        _loaded = false;
                    }
                }
            }
        }
        """, Tw2003(0, "_loaded", "_gate", "Unload", "checked"));
    [Fact]
    public Task CreatingWorkThatIsNotRunningYet_IsSetUp_NotARace() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;

        class Writer
        {
            private readonly object _gate = new();
            private Timer? _timer;
            private Thread? _thread;

            public void Initialize()
            {
                _timer = new Timer(Flush, null, Timeout.Infinite, Timeout.Infinite);
                _thread = new Thread(Run);
            }

            public void Restart() => {|#0:_timer = new Timer(Flush, null, 0, 100)|};

            public void Stop()
            {
                lock (_gate)
                {
                    _timer?.Dispose();
                    _timer = null;
                    _thread = null;
                }
            }

            private void Flush(object? state) { }
            private void Run() { }
        }
        """, Tw2003(0, "_timer", "_gate", "Stop"));

    // `Release` checks outside the lock only to find the lock object, and the lock only stores null:
    // two threads that both pass the check both store null. A lock that also uses the field races.
    [Fact]
    public Task BlindResetUnderTheLock_IsNotACheckThenAct_AResetThatUsesTheFieldIs() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;

        class Logger
        {
            private TextWriter? _writer;
            private IDisposable? _connection;
            private readonly object _gate = new();

            public void Log(string line)
            {
                if (_writer is { } writer)
                {
                    lock (writer)
                    {
                        if (_writer is { } inner) inner.WriteLine(line);
                    }
                }
            }

            public void Release()
            {
                if (_writer is TextWriter writer)
                {
                    lock (writer)
                    {
                        _writer = null;
                    }
                }
            }

            public void Close()
            {
                if ({|#0:_connection|} != null)
                {
                    lock (_gate)
                    {
                        _connection.Dispose();
                        _connection = null;
                    }
                }
            }
        }
        """, Tw2003(0, "_connection", "_gate", "Close", "checked"));

    // The NATS client shape: an internal helper of Subscription that the Connection calls while it
    // holds the subscription's own lock (`lock (s.mu) { s.AddMessage(); }`) holds that lock too.
    [Fact]
    public Task InternalHelpersCalledUnderTheLockFromAnotherClass_HoldIt() => VerifyAnalyzer.AnalyzerAsync(new[] { """
        class Subscription
        {
            internal readonly object mu = new();
            private long _pendingMax;
            private long _droppedMax;

            internal void AddMessage(long pending)
            {
                if (pending > _pendingMax) _pendingMax = pending;
            }

            internal void Drop(long dropped)
            {
                if (dropped > _droppedMax) {|#0:_droppedMax = dropped|};
            }

            public void ClearMaxPending()
            {
                lock (mu)
                {
                    _pendingMax = 0;
                    _droppedMax = 0;
                }
            }
        }
        """, """
        class Connection
        {
            private readonly object _mu = new();

            void ProcessMessage(Subscription s, long pending)
            {
                lock (_mu)
                {
                    lock (s.mu)
                    {
                        s.AddMessage(pending);
                    }
                }
            }

            // Drop is called without the subscription's lock here: it stays reported.
            void Overflow(Subscription s, long dropped)
            {
                lock (s.mu) { s.Drop(dropped); }
                s.Drop(dropped);
            }
        }
        """ }, null, Tw2003(0, "_droppedMax", "mu", "ClearMaxPending"));

    // Template methods (log4net's DoAppend, NLog's write hooks): the base class calls the hook under
    // its lock, so the override and the helpers it calls hold that lock — also through base.Append().
    // A public method that users call directly does not.
    [Fact]
    public Task HooksTheBaseCallsUnderItsLock_HoldIt() => VerifyAnalyzer.AnalyzerAsync(new[] { """
        public abstract class AppenderBase
        {
            protected readonly object LockObj = new();

            public void DoAppend(string message)
            {
                lock (LockObj)
                {
                    Append(message);
                }
            }

            protected abstract void Append(string message);
        }
        """, """
        public class FileAppender : AppenderBase
        {
            private string _current = "";
            private int _count;

            public void Open(string path)
            {
                lock (LockObj)
                {
                    _current = path;
                    _count = 0;
                }
            }

            protected override void Append(string message)
            {
                Roll(message);
                _count++;
            }

            private void Roll(string message) => _current = message;

            public void Configure(string path) => {|#0:_current = path|};
        }

        public class RollingAppender : FileAppender
        {
            private int _rolled;

            public void Reset()
            {
                lock (LockObj) { _rolled = 0; }
            }

            protected override void Append(string message)
            {
                _rolled++;
                base.Append(message);
            }
        }
        """ }, null, Tw2003(0, "_current", "LockObj", "Open"));

    // A hook the base calls under its lock on the live path and again, without it, from Dispose (NLog's
    // CloseTarget from Close and from Dispose(bool)), also from an explicit `IDisposable.Dispose()`:
    // teardown runs after the last use, so the unlocked call does not make the hook unguarded. A hook
    // the base also calls unlocked elsewhere still is.
    [Fact]
    public Task HooksTheBaseAlsoCallsFromDispose_HoldTheLock() => VerifyAnalyzer.AnalyzerAsync(new[] { """
        using System;

        public abstract class TargetBase : IDisposable
        {
            protected object SyncRoot { get; } = new object();
            private bool _open = true;

            public void Close()
            {
                lock (SyncRoot)
                {
                    CloseTarget();
                    Flush();
                    Release();
                }
            }

            protected virtual void Release() { }

            public void FlushNow() => Flush();

            protected virtual void CloseTarget() { }

            protected virtual void Flush() { }

            protected virtual void Dispose(bool disposing)
            {
                if (disposing && _open)
                {
                    _open = false;
                    CloseTarget();
                }
            }

            void IDisposable.Dispose()
            {
                Dispose(true);
                Release();
            }
        }
        """, """
        using System.Threading.Tasks;

        public class TaskTarget : TargetBase
        {
            private Task _previous;
            private int _pending;
            private bool _released;

            public void Write(Task next)
            {
                lock (SyncRoot)
                {
                    _previous = next;
                    _pending = 1;
                    _released = false;
                }
            }

            protected override void CloseTarget() => _previous = Task.CompletedTask;

            protected override void Release() => _released = true;

            protected override void Flush() => {|#0:_pending = 0|};
        }
        """ }, null, Tw2003(0, "_pending", "SyncRoot", "Write"));

    // Xabe.FFmpeg's conversion builder: `Build()` locks and defaults `_buildOutputFileName` if unset; the fluent
    // configuration steps (`ExtractNthFrame(n, name) { _buildOutputFileName = name; …; return this; }`) store it
    // without the lock. They configure the builder before it is built. A step that returns something other
    // than `this`, takes a lock, or decides on the field is reported.
    [Fact]
    public Task FluentConfigurationSteps_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;

        public interface IConversion { IConversion ExtractNthFrame(int frame, Func<string, string> name); }

        public sealed class Conversion : IConversion
        {
            private readonly object _builderLock = new object();
            private readonly List<string> _parameters = new List<string>();
            private Func<string, string> _buildOutputFileName;

            public string Build()
            {
                lock (_builderLock)
                {
                    if (_buildOutputFileName == null)
                    {
                        _buildOutputFileName = number => "out" + number;
                    }

                    return string.Join(" ", _parameters) + _buildOutputFileName("_%03d");
                }
            }

            public IConversion ExtractNthFrame(int frame, Func<string, string> name)
            {
                _buildOutputFileName = name;
                _parameters.Add("-vf select=eq(n," + frame + ")");
                return this;
            }

            public Conversion UseName(Func<string, string> name)
            {
                if (name == null)
                {
                    return this;
                }

                _buildOutputFileName = name;
                return this;
            }

            public string NameAndBuild(Func<string, string> name)
            {
                {|#0:_buildOutputFileName = name|};
                return Build();
            }

            public Conversion OnlyOnce(Func<string, string> name)
            {
                if (_buildOutputFileName != null)
                {
                    return this;
                }

                {|#1:_buildOutputFileName = name|};
                return this;
            }

            public Conversion ResetAndName(Func<string, string> name)
            {
                lock (_builderLock)
                {
                    _parameters.Clear();
                }

                {|#2:_buildOutputFileName = name|};
                return this;
            }
        }
        """,
        Tw2003(0, "_buildOutputFileName", "_builderLock", "Build"),
        Tw2003(1, "_buildOutputFileName", "_builderLock", "Build"),
        Tw2003(2, "_buildOutputFileName", "_builderLock", "Build"));

    // NetCoreServer's session `Connect`/`Disconnect`, the Tsavorite log's `Reset`: a method that takes no
    // lock and stores this object's state as a whole (four or more of its fields and properties) is a
    // lifecycle step, not a slip in the locking protocol; using the fields it set is part of it. Fewer
    // stores, a step that also takes the lock somewhere, or one that branches on the field first (a
    // check-then-act), is still reported.
    [Fact]
    public Task WholeStateStepsThatTakeNoLock_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        class Session
        {
            private readonly object _sendLock = new object();
            private bool _sending;
            private bool _receiving;
            private byte[] _buffer = new byte[0];
            private long _sent;

            public bool IsConnected { get; private set; }

            public void Send(byte[] data)
            {
                lock (_sendLock)
                {
                    if (_sending) return;
                    _sending = true;
                    _buffer = data;
                    _sent += data.Length;
                }
            }

            public void Disconnect()
            {
                IsConnected = false;
                _receiving = false;
                _sending = false;
                _buffer = new byte[0];
            }

            public void Connect()
            {
                IsConnected = true;
                _receiving = true;
                _sending = false;
                _buffer = new byte[16];
                _sent = 0;
                Notify(_sending);
            }

            private void Notify(bool sending) { }

            public void Pause()
            {
                _receiving = false;
                {|#0:_sending = false|};
                _buffer = new byte[0];
            }

            public void Abort()
            {
                IsConnected = false;
                _receiving = false;
                {|#1:_sending = false|};
                _buffer = new byte[0];
                lock (_sendLock) { _sent = 0; }
            }

            public void Drain()
            {
                for (var i = 0; i < 3 && _sending; i++) { }
                IsConnected = false;
                _receiving = false;
                {|#3:_sending = false|};
                _buffer = new byte[0];
            }

            public void Resume()
            {
                if (!_sending) return;
                IsConnected = true;
                _receiving = true;
                {|#2:_sending = false|};
                _buffer = new byte[16];
            }
        }
        """, Tw2003(0, "_sending", "_sendLock", "Send"), Tw2003(1, "_sending", "_sendLock", "Send"), Tw2003(2, "_sending", "_sendLock", "Send"), Tw2003(3, "_sending", "_sendLock", "Send"));

    // gRPC's retry call: `Debug.Assert(Monitor.IsEntered(Lock));` states that the caller holds the lock,
    // and its call clean-up re-checks with `?.` inside the lock: `_timer?.Dispose(); _timer = null;`.
    [Fact]
    public Task AssertedLocks_AndNullSafeResets_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Diagnostics;
        using System.Threading;

        class RetryCall
        {
            private readonly object _lock = new object();
            private object _activeCall;
            private Timer _timer;
            private Timer _other;

            public void Start(object call)
            {
                lock (_lock)
                {
                    _activeCall = call;
                    _timer = new Timer(_ => { });
                    _other = new Timer(_ => { });
                }
            }

            protected void OnCommit()
            {
                Debug.Assert(Monitor.IsEntered(_lock));
                _activeCall = null;
            }

            public void Cleanup()
            {
                if (_timer != null)
                {
                    lock (_lock)
                    {
                        _timer?.Dispose();
                        _timer = null;
                    }
                }

                if ({|#0:_other|} != null)
                {
                    lock (_lock)
                    {
                        _other.Dispose();
                        _other = null;
                    }
                }
            }

            public void Unasserted()
            {
                Debug.Assert(_activeCall != null);
                {|#1:_activeCall = null|};
            }
        }
        """, Tw2003(0, "_other", "_lock", "Cleanup", "checked"), Tw2003(1, "_activeCall", "_lock", "Start"));

    // Rx's sinks: `_atEnd = false;` then `_subscription.Disposable = RunCore(parent);`. The neighbour
    // touches guarded state but calls an abstract method (a subscription that runs user code): taking
    // it into the lock would hold the lock across code the fix cannot see. Only the write is locked.
    [Fact]
    public Task Fix_LeavesNeighboursThatCallUnknownCode_OutsideTheLock() => VerifyFix.CodeFixAsync("""
        class Holder
        {
            public object Disposable { get; set; }
        }

        abstract class Sink
        {
            private readonly object _gate = new object();
            private readonly Holder _subscription = new Holder();
            private bool _atEnd;

            public void OnCompleted()
            {
                lock (_gate)
                {
                    _atEnd = true;
                    _subscription.Disposable = null;
                }
            }

            protected abstract object RunCore();

            public void Run()
            {
                {|#0:_atEnd = false|};
                _subscription.Disposable = RunCore();
            }
        }
        """, """
        class Holder
        {
            public object Disposable { get; set; }
        }

        abstract class Sink
        {
            private readonly object _gate = new object();
            private readonly Holder _subscription = new Holder();
            private bool _atEnd;

            public void OnCompleted()
            {
                lock (_gate)
                {
                    _atEnd = true;
                    _subscription.Disposable = null;
                }
            }

            protected abstract object RunCore();

            public void Run()
            {
                lock (_gate)
                {
                    _atEnd = false;
                }
                _subscription.Disposable = RunCore();
            }
        }
        """, Tw2003(0, "_atEnd", "_gate", "OnCompleted"));

    // Rx's CombineLatest: `Run` resets its state, then subscribes to the sources; the locked OnNext
    // runs only once notifications flow. Writes before the Subscribe are set-up; after it they race.
    [Fact]
    public Task WritesBeforeSubscribingAnObservable_AreSetUp() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        class Sink : IObserver<int>
        {
            private readonly object _gate = new object();
            private bool _hasValueAll;
            private int _count;
            private IDisposable _subscription;

            public void Run(IObservable<int> source)
            {
                _hasValueAll = false;
                _subscription = source.Subscribe(this);
                {|#0:_count = 0|};
            }

            public void OnNext(int value)
            {
                lock (_gate)
                {
                    _hasValueAll = true;
                    _count++;
                }
            }

            public void OnError(Exception error) { }

            public void OnCompleted() { }
        }
        """, Tw2003(0, "_count", "_gate", "OnNext"));

    // SSH.NET's channels: `_socket = socket;` then `_forwardedPort.Closing += ForwardedPort_Closing;` — the
    // handler that closes the socket under the lock can fire only from the subscription on. A write after
    // it races; subscribing to the object's own event starts nothing.
    [Fact]
    public Task WritesBeforeSubscribingToAnotherObjectsEvent_AreSetUp() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        class Port { public event EventHandler Closing; }

        static class Power { public static event EventHandler Changed; }

        class Channel
        {
            private readonly object _socketLock = new object();
            private object _socket;
            private Port _port;
            private int _state;

            public event EventHandler Opened;

            public void Open(object socket, Port port)
            {
                _socket = socket;
                _port = port;
                _port.Closing += Port_Closing;
                {|#1:_socket = socket|};
            }

            public void Reopen()
            {
                {|#0:_state = 1|};
                Opened += (s, e) => { };
            }

            public void Watch(object socket)
            {
                _socket = socket;
                Power.Changed += Port_Closing;
            }

            private void Port_Closing(object sender, EventArgs e)
            {
                lock (_socketLock)
                {
                    _socket = null;
                    _state = 2;
                }
            }
        }
        """, Tw2003(0, "_state", "_socketLock", "Port_Closing"), Tw2003(1, "_socket", "_socketLock", "Port_Closing"));

    // SSH.NET's SftpFileStream declares `<threadsafety static="true" instance="false"/>`: its synchronous
    // members lock, its async ones cannot, and callers must not share an instance anyway. Not reported —
    // unless the type starts work of its own (a timer here), whose callback can race with a caller; nor
    // for `instance="true"`.
    [Fact]
    public Task TypesDocumentedNotThreadSafe_AreNotReported_UnlessTheyStartWork() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        /// <summary>A file stream.</summary>
        /// <threadsafety static="true" instance="false"/>
        public class FileStreamLike
        {
            private readonly object _lock = new object();
            private int _position;

            public int Read()
            {
                lock (_lock) { _position++; return _position; }
            }

            public async Task<int> ReadAsync()
            {
                await Task.Yield();
                _position++;
                return _position;
            }
        }

        /// <threadsafety static="true" instance="false"/>
        public class Poller
        {
            private readonly object _lock = new object();
            private int _ticks;
            private Timer _timer;

            public void Start() => _timer = new Timer(_ => { lock (_lock) { _ticks++; } }, null, 0, 100);

            public void Reset() => {|#0:_ticks = 0|};
        }

        /// <threadsafety static="true" instance="true"/>
        public class Shared
        {
            private readonly object _lock = new object();
            private int _count;

            public void Add() { lock (_lock) { _count++; } }

            public void Reset() => {|#1:_count = 0|};
        }
        """, Tw2003(0, "_ticks", "_lock", "Start"), Tw2003(1, "_count", "_lock", "Add"));

    // DynamicData's expiry operators: `source.Synchronize(gate).SubscribeSafe(onNext: OnSourceNext)` — Rx
    // runs the observer's callbacks inside `lock (gate)`, so a helper called from them and from `lock
    // (gate)` elsewhere holds the gate. A subscription without Synchronize (or through another gate)
    // proves nothing.
    [Fact]
    public Task CallbacksOfASynchronizedSubscription_HoldTheGate() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Reactive.Linq;

        namespace System.Reactive.Linq
        {
            // The shape of System.Reactive's operators (a package, not in the reference assemblies).
            public static class Observable
            {
                public static IObservable<T> Synchronize<T>(this IObservable<T> source, object gate) => source;
                public static IObservable<T> Where<T>(this IObservable<T> source, Func<T, bool> predicate) => source;
            }

            public static class ObservableExtensions
            {
                public static IDisposable SubscribeSafe<T>(this IObservable<T> source, Action<T> onNext) => null;
            }
        }

        class Expirer
        {
            private readonly object _gate = new object();
            private readonly object _other = new object();
            private object _next;
            private int _count;

            public Expirer(IObservable<int> source, IObservable<int> plain)
            {
                source.Synchronize(_gate).Where(v => v > 0).SubscribeSafe(OnSourceNext);
                plain.SubscribeSafe(OnPlain);
                plain.Synchronize(_other).SubscribeSafe(OnOther);
            }

            public void Edit() { lock (_gate) { Changed(); Counted(); } }

            public void Clear() { lock (_gate) { _next = new object(); _count = 0; } }

            private void OnSourceNext(int value) => Changed();

            private void OnPlain(int value) => Counted();

            private void OnOther(int value) => Counted();

            private void Changed() { _next = new object(); }

            private void Counted() { {|#0:_count++|}; }
        }
        """, Tw2003(0, "_count", "_gate", "Clear"));

    // Is the lock the field's guard? A field the lock only resets, used without it by most of the members
    // that use it (NetCoreServer's send offset, advanced by the one send in flight; log4net's file name,
    // a configuration value the locked OpenFile also stores), is not reported. The same shape where the
    // lock updates the field from itself (`_sent += n`), or where most members use it under the lock,
    // still is.
    [Fact]
    public Task FieldsTheLockDoesNotGuard_AreNotReported_ThoseItDoes_Are() => VerifyAnalyzer.AnalyzerAsync("""
        class Session
        {
            private readonly object _sendLock = new object();
            private byte[] _flush = new byte[0];
            private long _flushOffset;
            private long _sent;
            private string _fileName;
            private int _mode;

            public string File { get => _fileName; set => _fileName = value; }

            public void Activate() { if (_fileName != null) _fileName = _fileName.Trim(); }

            protected void OpenFile(string fileName)
            {
                lock (_sendLock) { _fileName = fileName; }
            }

            private void TrySend()
            {
                lock (_sendLock)
                {
                    if (_flush.Length != 0) return;
                    _flushOffset = 0;
                    _sent += _flush.Length;
                    _mode = 1;
                }

                System.Console.WriteLine(_flushOffset);
            }

            private void ProcessSend(long size)
            {
                _flushOffset += size;
                if (_flushOffset == _flush.Length) _flushOffset = 0;
                {|#0:_sent += size|};
            }

            public int Mode { get { lock (_sendLock) { return _mode; } } }

            public void Reset() => {|#1:_mode = 0|};

            private void ClearBuffers() { lock (_sendLock) { _flushOffset = 0; } }
        }
        """, Tw2003(0, "_sent", "_sendLock", "TrySend"), Tw2003(1, "_mode", "_sendLock", "TrySend"));
}
