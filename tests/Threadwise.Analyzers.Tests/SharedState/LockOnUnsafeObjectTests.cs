using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.LockOnUnsafeObjectAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.LockOnUnsafeObjectAnalyzer, Threadwise.SharedState.LockOnUnsafeObjectFixProvider>;

namespace Threadwise.Tests.SharedState;

public class LockOnUnsafeObjectTests
{
    private const string PrivateObject = "lock on a private readonly object";
    private const string PerKey = "to lock per key, keep one lock object per key in a private static ConcurrentDictionary<string, object> (GetOrAdd)";

    private static DiagnosticResult Tw2004(int markup, string what, string remedy = PrivateObject)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW2004LockOnUnsafeObject).WithLocation(markup).WithArguments(what, Why(what), remedy);

    private const string LetsOthersIn = "lets code you do not control take the same lock and block or deadlock yours";
    private const string KeepsNobodyOut = "excludes nobody: every lock takes a different object";
    private const string MayChange = "may lock a different object once the field is reassigned, and then two threads hold \"the\" lock at once";

    // The message's reason per kind of object, as the rule's docs describe them.
    private static string Why(string what)
        => what switch
        {
            "a boxed value type (a new object each time)" or "a new object created for this lock alone" => KeepsNobodyOut,
            _ when what.StartsWith("the non-readonly field", StringComparison.Ordinal) => MayChange,
            _ => LetsOthersIn,
        };

    // A protected lock field is shared with derived classes on purpose (Mina.NET's acceptors lock the
    // base's `_bindLock`, the bound endpoints' SyncRoot): derived classes are part of the implementation,
    // so it is not reported, `protected internal` neither. A public field that nothing in the
    // compilation reassigns is reported for what it is, exposed, not as a field that changes; one that
    // is reassigned here is reported as changing, protected or not.
    [Fact]
    public Task ProtectedLockFields_AreNotFlagged_PublicOrReassignedOnesAre() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections;
        using System.Collections.Generic;

        public abstract class Acceptor
        {
            private readonly List<string> _bound = new();
            protected object _bindLock;
            protected internal readonly object Family = new();
            protected object Rotated = new();
            public object Exposed;
            public object Swapped = new();

            protected Acceptor()
            {
                _bindLock = ((ICollection)_bound).SyncRoot;
                Exposed = new object();
            }

            public void Bind(string address)
            {
                lock (_bindLock) { _bound.Add(address); }
                lock (Family) { _bound.Remove(address); }
                lock ({|#0:Exposed|}) { _bound.Clear(); }
            }

            public void Swap()
            {
                Swapped = new object();
                Rotated = new object();
                lock ({|#1:Swapped|}) { _bound.Clear(); }
                lock ({|#2:Rotated|}) { _bound.Clear(); }
            }
        }

        public sealed class SocketAcceptor : Acceptor
        {
            public void Unbind(string address)
            {
                lock (_bindLock) { }
            }
        }
        """,
        Tw2004(0, "the field 'Exposed', visible outside the assembly"),
        Tw2004(1, "the non-readonly field 'Swapped'"),
        Tw2004(2, "the non-readonly field 'Rotated'"));

    // A cache's node tracker locks the current bucket while holding its own lock, and swaps which bucket is
    // current only under that lock: every thread reads the same object there, and the lock picks it on purpose.
    // A swap outside the outer lock, or under another lock, and a lock not nested in the outer one are reported.
    [Fact]
    public Task FieldSwappedOnlyUnderTheOuterLockHeldHere_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;

        class Bucket { public void Stop() { } }

        class NodeTracker
        {
            private readonly object _lock = new();
            private readonly object _other = new();
            private readonly Bucket[] _buckets = { new(), new() };
            private Bucket _current = new();
            private Bucket _previous = new();
            private Bucket _loose = new();

            public void Open(int index)
            {
                var taken = false;
                try
                {
                    Monitor.Enter(_lock, ref taken);
                    lock (_current)
                        _current.Stop();
                    _current = _buckets[index];
                }
                finally
                {
                    if (taken)
                        Monitor.Exit(_lock);
                }
            }

            public void Rotate(int index)
            {
                lock (_lock)
                {
                    lock ({|#0:_previous|})
                        _previous.Stop();
                    _previous = _buckets[index];
                }

                lock (_other)
                    _previous = _buckets[0];

                lock ({|#1:_loose|})
                    _loose.Stop();
                lock (_lock)
                    _loose = _buckets[index];
            }
        }
        """,
        Tw2004(0, "the non-readonly field '_previous'"),
        Tw2004(1, "the non-readonly field '_loose'"));

    [Fact]
    public Task UnsafeLockObjects_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;

        public class C
        {
            private object _replaceable = new();
            public readonly object Exposed = new();
            private int _number;

            void Reset() => _replaceable = new object();

            void M(string name, Thread thread)
            {
                lock ({|#0:this|}) { }
                lock ({|#1:typeof(C)|}) { }
                lock ({|#2:"key"|}) { }
                lock ({|#3:name|}) { }
                lock ({|#4:_replaceable|}) { }
                lock ({|#5:Exposed|}) { }
                lock ({|#6:(object)_number|}) { }
                lock ({|#7:new object()|}) { }
                lock ({|#8:GetType()|}) { }
                lock ({|#9:thread|}) { }
            }
        }
        """,
        Tw2004(0, "'this'"), Tw2004(1, "a typeof(...) object"), Tw2004(2, "a string (strings are interned and shared)"),
        Tw2004(3, "a string (strings are interned and shared)", PerKey), Tw2004(4, "the non-readonly field '_replaceable'"),
        Tw2004(5, "the field 'Exposed', visible outside the assembly"), Tw2004(6, "a boxed value type (a new object each time)"),
        Tw2004(7, "a new object created for this lock alone"), Tw2004(8, "a Type object"), Tw2004(9, "a Thread object"));

    // Hangfire.Storage.SQLite locks `string.Intern($"{GetType().FullName}.{_resource}")` to share one lock per
    // resource name: the finding stands (any code can lock that string), but the remedy is a lock object per
    // key, not one private object. A constant, or a string field (one object), keeps the usual remedy.
    [Fact]
    public Task StringsComputedPerKey_AreToldToKeepALockPerKey() => VerifyAnalyzer.AnalyzerAsync("""
        class DistributedLock
        {
            private const string Name = "queue";
            private static readonly string s_name = "jobs";
            private readonly string _resource;

            public DistributedLock(string resource) => _resource = resource;

            private string EventName => string.Intern($"{GetType().FullName}.{_resource}");

            void Acquire(string queue)
            {
                lock ({|#0:EventName|}) { }
                var key = string.Intern("fetch_" + queue);
                lock ({|#1:key|}) { }
            }

            void Named()
            {
                lock ({|#2:Name|}) { }
            }

            void Field()
            {
                lock ({|#3:s_name|}) { }
            }
        }
        """,
        Tw2004(0, "a string (strings are interned and shared)", PerKey),
        Tw2004(1, "a string (strings are interned and shared)", PerKey),
        Tw2004(2, "a string (strings are interned and shared)"),
        Tw2004(3, "a string (strings are interned and shared)"));

    [Fact]
    public Task PrivateReadonlyObjects_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            private static readonly object s_gate = new();

            void M(object parameter)
            {
                lock (_gate) { }
                lock (s_gate) { }
                var local = new object();
                lock (local) { }
            }
        }
        """);

    [Fact]
    public Task InternalAndPrivateObjects_AreNotExposed() => VerifyAnalyzer.AnalyzerAsync("""
        internal static class Locks
        {
            // Shared on purpose by several classes of the assembly.
            internal static readonly object Shared = new();
        }

        internal class Worker
        {
            private object _once = new();
            protected internal readonly object Family = new();

            Worker() { _once = new object(); }

            void M()
            {
                lock (this) { }
                lock (Locks.Shared) { }
                lock (_once) { }
                lock (Family) { }
            }
        }

        public class Outer
        {
            private class Hidden
            {
                public readonly object Gate = new();
                void M() { lock (this) { } lock (Gate) { } }
            }
        }
        """);

    [Fact]
    public Task PropertiesReturningThisOrAField_AreSeenThrough() => VerifyAnalyzer.AnalyzerAsync("""
        public class C
        {
            private object _swap = new();
            private readonly object _fine = new();

            private object SyncLock => this;
            private object Swap { get { return _swap; } }
            private object Fine => _fine;

            void M()
            {
                lock ({|#0:SyncLock|}) { }
                lock ({|#1:Swap|}) { }
                lock (Fine) { }
                _swap = new object();
            }
        }
        """, Tw2004(0, "'this'"), Tw2004(1, "the non-readonly field '_swap'"));

    // ObservableCollections' views: the lock is handed out as `SyncRoot` (ICollection's convention) so that
    // callers synchronize with it; outside code taking it is the contract. A protected lock, or `this`,
    // that no SyncRoot publishes is still reported.
    [Fact]
    public Task LocksPublishedAsSyncRoot_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        public abstract class ViewBase
        {
            protected readonly object gate = new object();

            public object SyncRoot => gate;
        }

        public sealed class View : ViewBase
        {
            private int _count;

            public void Add() { lock (gate) { _count++; } }
        }

        public sealed class Registry
        {
            private int _count;

            public object SyncRoot { get { return this; } }

            public void Add() { lock (this) { _count++; } }
        }

        public class Unpublished
        {
            public readonly object gate = new object();
            private int _count;

            public object SyncRoot => new object();

            public void Add() { lock ({|#0:gate|}) { _count++; } }

            public void Remove() { lock ({|#1:this|}) { _count--; } }
        }
        """, Tw2004(0, "the field 'gate', visible outside the assembly"), Tw2004(1, "'this'"));

    // Lidgren keeps its lock objects in internal fields set once in the constructor and locked from
    // several classes: the field never changes, so every lock takes the same object.
    [Fact]
    public Task InternalFieldsSetOnlyInTheirConstructor_AreNotReassigned_WritesElsewhereAre() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading;

        class Peer
        {
            internal Dictionary<int, string> m_handshakes;
            internal List<byte[]> m_pool;
            internal object m_swapped = new object();
            internal object m_exchanged = new object();
            private object m_initialized;

            public Peer()
            {
                m_handshakes = new Dictionary<int, string>();
                Init(out m_initialized);
            }

            static void Init(out object o) => o = new object();

            void Reset() => m_pool = new List<byte[]>();

            void Use()
            {
                lock (m_handshakes) { }
                lock ({|#0:m_pool|}) { }
                lock ({|#1:m_swapped|}) { }
                lock ({|#2:m_exchanged|}) { }
                lock (m_initialized) { }
                Interlocked.Exchange(ref m_exchanged, new object());
            }
        }

        class Connection
        {
            private readonly Peer m_peer = new Peer();

            // Another class writing an internal field makes it a moving target.
            void Swap() => m_peer.m_swapped = new object();

            void Use()
            {
                lock (m_peer.m_handshakes) { }
            }
        }
        """, Tw2004(0, "the non-readonly field 'm_pool'"), Tw2004(1, "the non-readonly field 'm_swapped'"), Tw2004(2, "the non-readonly field 'm_exchanged'"));

    // websocket-sharp: the lock objects are set in `private void init()`, which every constructor calls
    // (C# lets only constructors write a readonly field). Written while constructing, they hold one object
    // for the instance's life. A helper also called from an ordinary method, or on another instance, may
    // replace the object.
    [Fact]
    public Task LockFieldsSetByAHelperOnlyConstructorsCall_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        class WebSocket
        {
            private object _forState;
            private object _forSend;
            private object _reset;
            private int _state;

            public WebSocket() { init(); }

            public WebSocket(int state) : this() { _state = state; }

            private WebSocket(WebSocket other) { other.setReset(); initLater(); }

            private void init()
            {
                _forState = new object();
                setSend();
            }

            private void setSend() => _forSend = new object();

            private void initLater() => _reset = new object();

            private void setReset() => _reset = new object();

            public void Close()
            {
                lock (_forState) { _state = 2; }
                lock (_forSend) { _state = 3; }
                lock ({|#0:_reset|}) { _state = 4; }
            }
        }
        """, Tw2004(0, "the non-readonly field '_reset'"));

    // Azure Storage Data Movement's journaled transfers: a data-contract serializer calls no constructor, so
    // `[OnDeserialized]` sets the lock object again on the object it is still building. `[OnDeserializing]`
    // likewise. An ordinary method with another attribute, a lambda in the callback, and a callback that
    // sets another instance's lock still replace the object.
    [Fact]
    public Task LockFieldsSetInADeserializationCallback_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Runtime.Serialization;

        [DataContract]
        class Transfer
        {
            private object _tokenLock = new object();
            private object _progressLock = new object();
            private object _obsolete = new object();
            private object _later = new object();
            private object _shared = new object();
            private Action _reset;
            private int _state;

            [OnDeserialized]
            private void OnDeserializedCallback(StreamingContext context)
            {
                _tokenLock = new object();
                _reset = () => _later = new object();
            }

            [OnDeserializing]
            private void OnDeserializingCallback(StreamingContext context) => this._progressLock = new object();

            [Obsolete]
            private void Renew() => _obsolete = new object();

            [OnDeserialized]
            private void CopyFrom(StreamingContext context) => Other._shared = new object();

            private Transfer Other => this;

            public void Work()
            {
                lock (_tokenLock) { _state = 1; }
                lock (_progressLock) { _state = 2; }
                lock ({|#0:_obsolete|}) { _state = 3; }
                lock ({|#1:_later|}) { _state = 4; }
                lock ({|#2:_shared|}) { _state = 5; }
            }
        }
        """, Tw2004(0, "the non-readonly field '_obsolete'"), Tw2004(1, "the non-readonly field '_later'"), Tw2004(2, "the non-readonly field '_shared'"));

    // Azure Storage's cancellable operations: `internal object CancellationLockerObject { get …; set { _locker = value; } }`
    // that nothing in the compilation assigns — the setter never runs, so the lock object stays the initializer's.
    // A setter some code assigns (also in an object initializer), a public setter, a virtual property, and one
    // with an attribute (a serializer's way in) may replace it.
    [Fact]
    public Task LockFieldsWrittenOnlyByAnUnassignedInternalSetter_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;

        class Operation
        {
            private object _locker = new object();
            private object _assigned = new object();
            private object _initialized = new object();
            private object _public = new object();
            private object _virtual = new object();
            private object _tagged = new object();
            private int _state;

            internal object Locker { get { return _locker; } set { _locker = value; } }

            internal object Assigned { get => _assigned; set => _assigned = value; }

            internal object Initialized { get => _initialized; set => _initialized = value; }

            public object Public { get => _public; set => _public = value; }

            internal virtual object Virtual { get => _virtual; set => _virtual = value; }

            [Obsolete]
            internal object Tagged { get => _tagged; set => _tagged = value; }

            public void Cancel()
            {
                lock (_locker) { _state = 1; }
                lock ({|#0:_assigned|}) { _state = 2; }
                lock ({|#1:_initialized|}) { _state = 3; }
                lock ({|#2:_public|}) { _state = 4; }
                lock ({|#3:_virtual|}) { _state = 5; }
                lock ({|#4:_tagged|}) { _state = 6; }
            }
        }

        class User
        {
            void Use(Operation operation)
            {
                operation.Assigned = new object();
                var copy = new Operation { Initialized = operation.Locker };
            }
        }
        """, Tw2004(0, "the non-readonly field '_assigned'"), Tw2004(1, "the non-readonly field '_initialized'"),
        Tw2004(2, "the non-readonly field '_public'"), Tw2004(3, "the non-readonly field '_virtual'"), Tw2004(4, "the non-readonly field '_tagged'"));

    // HidSharp's BLE device: `new WinBleDevice() { _path = path, _syncObject = new object() }` in the type's
    // factory sets the lock object of the object being created, as a constructor would. An initializer that
    // sets another field, or an assignment to an existing object, replaces the lock.
    [Fact]
    public Task LockFieldSetInTheObjectInitializerOfANewObject_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        class Device
        {
            private object _syncObject;
            private object _gate;
            private string _path;

            public static Device Create(string path) => new Device() { _path = path, _syncObject = new object() };

            public static void Rebind(Device device) => device._gate = new object();

            public void Open()
            {
                lock (_syncObject) { _path += "!"; }
                lock ({|#0:_gate|}) { _path += "?"; }
            }
        }
        """, Tw2004(0, "the non-readonly field '_gate'"));

    // Technitium's DNS zones: the base class's `protected void InitNotify()` creates the lists it locks, and
    // only the derived zones' constructors call it. A protected helper also called after construction, or
    // a public one (anyone may call it later), may replace the object.
    [Fact]
    public Task LockFieldsSetByAProtectedHelperOnlyDerivedConstructorsCall_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;

        public abstract class Zone
        {
            private List<string> _notifyList;
            private List<string> _failed;
            private List<string> _pending;

            protected void InitNotify()
            {
                _notifyList = new List<string>();
            }

            protected void InitFailed() => _failed = new List<string>();

            public void InitPending() => _pending = new List<string>();

            public void Notify(string host)
            {
                lock (_notifyList) { _notifyList.Add(host); }
                lock ({|#0:_failed|}) { _failed.Add(host); }
                lock ({|#1:_pending|}) { _pending.Add(host); }
            }
        }

        public sealed class PrimaryZone : Zone
        {
            public PrimaryZone(bool notify)
            {
                if (notify)
                {
                    InitNotify();
                }

                InitFailed();
                InitPending();
            }

            public void Reset() => InitFailed();
        }
        """, Tw2004(0, "the non-readonly field '_failed'"), Tw2004(1, "the non-readonly field '_pending'"));

    // FusionCache's memory locker clears its lock object in Dispose (`_tcsCache = null;`): that hands no
    // other object to lock (a lock taken after it throws). Replacing it with a new object does.
    [Fact]
    public Task LockFieldsOnlyClearedOutsideConstructors_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        #nullable enable
        using System.Collections.Generic;

        class Locker
        {
            private Dictionary<string, int> _entries;
            private Dictionary<string, int>? _pending;
            private Dictionary<string, int> _swapped;

            public Locker() { _entries = new(); _pending = new(); _swapped = new(); }

            public void Add(string key)
            {
                lock (_entries) { _entries[key] = 1; }
                lock (_pending!) { _pending[key] = 1; }
                lock ({|#0:_swapped|}) { _swapped[key] = 1; }
            }

            public void Reset() => _swapped = new();

            public void Dispose()
            {
                _entries = null!;
                _pending = default;
                _swapped = null!;
            }
        }
        """, Tw2004(0, "the non-readonly field '_swapped'"));

    // FASTER: the session table is created lazily by a compare-exchange from null (every thread then
    // locks the winner), and a context's `prevCtx` is set up on a context the method just created. A
    // compare-exchange from a live object, `??=` (two threads may both assign), and a write on an object
    // the method did not create are reassignments.
    [Fact]
    public Task OneTimePublicationAndSetupOfANewObject_AreNotReassignments() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading;

        class Context
        {
            internal Context prevCtx;
            internal Context other;
            internal int version;
        }

        class Store
        {
            internal Dictionary<int, string> _sessions = new();
            private object _gate;
            private object _swapped = new object();
            private object _coalesced;

            void Open(int id)
            {
                if (_sessions == null)
                    Interlocked.CompareExchange(ref _sessions, new Dictionary<int, string>(), null);
                lock (_sessions) { _sessions.Add(id, ""); }

                LazyInitializer.EnsureInitialized(ref _gate);
                lock (_gate) { }

                Interlocked.CompareExchange(ref _swapped, new object(), _swapped);
                lock ({|#0:_swapped|}) { }

                _coalesced ??= new object();
                lock ({|#1:_coalesced|}) { }
            }

            Context Create(Context shared)
            {
                var ctx = new Context();
                ctx.version = 1;
                var prev = new Context();
                ctx.prevCtx = prev;
                shared.other = new Context();
                lock (ctx.prevCtx) { }
                lock ({|#2:shared.other|}) { }
                return ctx;
            }

            void Resume(out Context ctx)
            {
                ctx = new Context();
                ctx.prevCtx = new Context();
            }
        }
        """, Tw2004(0, "the non-readonly field '_swapped'"), Tw2004(1, "the non-readonly field '_coalesced'"), Tw2004(2, "the non-readonly field 'other'"));

    // Rx's join observers: `Subscribe(object gate)` binds the private `object` field to the one gate
    // every observer of the join locks, like a lock object taken as a parameter. A collection stored from
    // a parameter is data that may be swapped while locked; a gate rebound under its own lock or from a
    // lambda's parameter, or set from something other than a parameter, is a reassignment.
    [Fact]
    public Task GateHandedInThroughAParameter_IsNotAReassignment() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;

        sealed class JoinObserver
        {
            private object _gate;
            private object _gateByThis;
            private List<int> _items = new();
            private object _rebound = new object();
            private object _fromLambda = new object();
            private object _fromField = new object();
            private object _other = new object();

            public void Subscribe(object gate, object second)
            {
                _gate = gate;
                this._gateByThis = second;
            }

            public void Replace(List<int> items) => _items = items;

            public void Rebind(object gate)
            {
                lock ({|#1:_rebound|}) { _rebound = gate; }
            }

            public Action<object> Binder() => gate => { _fromLambda = gate; };

            public void Copy() => _fromField = _other;

            public void OnNext(int value)
            {
                lock (_gate) { }
                lock (_gateByThis) { }
                lock ({|#0:_items|}) { _items.Add(value); }
                lock (_rebound) { }
                lock ({|#2:_fromLambda|}) { }
                lock ({|#3:_fromField|}) { }
            }
        }
        """,
        Tw2004(0, "the non-readonly field '_items'"),
        Tw2004(1, "the non-readonly field '_rebound'"),
        Tw2004(2, "the non-readonly field '_fromLambda'"),
        Tw2004(3, "the non-readonly field '_fromField'"));

    // UniTask's task tracker: `lock (listPool) { var count = tracking.ToList(ref listPool, clear: false); … }`
    // hands the field by `ref` to a method that only fills the list it is given. A callee that assigns
    // the parameter (or hands it on by `ref`), an overridable callee, and `out` are reassignments.
    [Fact]
    public Task RefToACalleeThatNeverWritesIt_IsNotAReassignment() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;

        class Tracker
        {
            private static List<int> s_pool = new();
            private static List<int> s_grown = new();
            private static List<int> s_forwarded = new();
            private static List<int> s_virtual = new();
            private static List<int> s_out = new();

            private static int Fill(ref List<int> list, bool clear)
            {
                if (clear) list.Clear();
                list.Add(1);
                return list.Count;
            }

            private static void Grow(ref List<int> list)
            {
                if (list.Count > 4) list = new List<int>(list);
            }

            private static void Forward(ref List<int> list) => Grow(ref list);

            protected virtual void Refill(ref List<int> list) => list.Add(2);

            private static void Create(out List<int> list) => list = new List<int>();

            public void ForEachActiveTask()
            {
                lock (s_pool) { Fill(ref s_pool, clear: false); }
                lock ({|#0:s_grown|}) { Grow(ref s_grown); }
                lock ({|#1:s_forwarded|}) { Forward(ref s_forwarded); }
                lock ({|#2:s_virtual|}) { Refill(ref s_virtual); }
                lock ({|#3:s_out|}) { Create(out s_out); }
            }
        }
        """,
        Tw2004(0, "the non-readonly field 's_grown'"),
        Tw2004(1, "the non-readonly field 's_forwarded'"),
        Tw2004(2, "the non-readonly field 's_virtual'"),
        Tw2004(3, "the non-readonly field 's_out'"));

    // MiniProfiler's profiler: `lock (_dbLocker) { _inProgress ??= new Dictionary<…>(); } lock (_inProgress)
    // { … }` creates the object once, under a lock, so every later lock takes that object; so does `if (_f
    // == null) _f = new …;` in a lock. The same initializations outside a lock (two threads may both
    // assign), and an unconditional `new` in a lock, are reassignments.
    [Fact]
    public Task LazyInitializationUnderALock_IsNotAReassignment() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;

        sealed class Profiler
        {
            private readonly object _dbLocker = new();
            private Dictionary<int, string> _inProgress;
            private List<int> _readers;
            private List<int> _checked;
            private List<int> _outside;
            private List<int> _unchecked;

            public void Start(int id)
            {
                lock (_dbLocker)
                {
                    _inProgress ??= new Dictionary<int, string>();
                    if (_readers == null)
                    {
                        _readers = new List<int>();
                    }

                    if (this._checked is null) this._checked = new List<int>();
                    _unchecked = new List<int>();
                }

                _outside ??= new List<int>();

                lock (_inProgress) { _inProgress[id] = ""; }
                lock (_readers) { _readers.Add(id); }
                lock (_checked) { _checked.Add(id); }
                lock ({|#0:_outside|}) { _outside.Add(id); }
                lock ({|#1:_unchecked|}) { _unchecked.Add(id); }
            }
        }
        """,
        Tw2004(0, "the non-readonly field '_outside'"),
        Tw2004(1, "the non-readonly field '_unchecked'"));

    // CoAP.NET's request: "lazy initialization of a lock", `if (_sync == null) lock (…) if (_sync == null) _sync =
    // new Byte[0];` — an empty array made once as the lock object counts like `new object()`. An array
    // made without the null check is a reassignment.
    [Fact]
    public Task LazyArrayLockObjectUnderALock_IsNotAReassignment() => VerifyAnalyzer.AnalyzerAsync("""
        sealed class Request
        {
            private readonly object _gate = new();
            private object _sync;
            private object _other;

            public void WaitForResponse()
            {
                if (_sync == null)
                {
                    lock (_gate)
                    {
                        if (_sync == null)
                        {
                            _sync = new byte[0];
                        }

                        _other = new byte[0];
                    }
                }

                lock (_sync) { System.Threading.Monitor.Wait(_sync, 10); }
                lock ({|#0:_other|}) { }
            }
        }
        """, Tw2004(0, "the non-readonly field '_other'"));

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        class C
        {
            void M()
            {
                lock (missing) { }
                lock ( { }
                lock
            }
        }
        """);

    // The outer-lock question, asked where the swap or the outer lock is half-typed.
    [Fact]
    public Task BrokenSwapsUnderAnOuterLock_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        class Tracker
        {
            private readonly object _lock = new();
            private object _current = new();

            void Open(object next)
            {
                lock (_lock)
                {
                    lock ({|#0:_current|}) { }
                    _current = ;
                }

                lock (missing) { _current = next; }
                _current = Missing(;
            }
        }
        """, Tw2004(0, "the non-readonly field '_current'"));

    // A gate bound from a half-typed parameter list, and a `ref` handed to a callee that is missing,
    // half-declared, or whose body does not parse.
    [Fact]
    public Task BrokenGatesAndRefCallees_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Collections.Generic;

        class Tracker
        {
            private object _gate;
            private List<int> _pool = new();
            private List<int> _other = new();

            public void Subscribe(object gate, { _gate = gate; }

            public void Bind() { _gate = gate; }

            private static void Fill(ref List<int> list { list.Add(1);

            public void Init(object gate) { lock (gate) { if (_other == ) _other = new(; _other ??= ; } }

            public void Run()
            {
                lock ({|#1:_gate|}) { }
                lock ({|#0:_pool|}) { Fill(ref _pool); Missing(ref _pool); }
                lock ({|#2:_other|}) { Fill(ref _other, ); }
            }
        }
        """,
        // `Bind` stores what is no parameter of its own; a call that does not bind proves nothing.
        Tw2004(0, "the non-readonly field '_pool'"), Tw2004(1, "the non-readonly field '_gate'"), Tw2004(2, "the non-readonly field '_other'"));

    [Fact]
    public Task Fix_ReplacesEveryUseOfThis_AndStaticObjectsGetAStaticGate() => VerifyFix.CodeFixAsync("""
        public class C
        {
            private int _x;

            void A() { lock ({|#0:this|}) { _x++; } }
            void B() { lock (this) { _x--; } }
            void S() { lock ({|#2:typeof(C)|}) { } }
        }
        """, """
        public class C
        {
            private static readonly object s_cLock = new();
            private readonly object _lock = new();
            private int _x;

            void A() { lock (_lock) { _x++; } }
            void B() { lock (_lock) { _x--; } }
            void S() { lock (s_cLock) { } }
        }
        """, Tw2004(0, "'this'"), Tw2004(2, "a typeof(...) object"));

    // A tab-indented class whose first member sits under a #region and a doc comment (SmartThreadPool):
    // the new field takes the first member's indentation, and the region and comment stay as written.
    [Fact]
    public Task Fix_KeepsTheLayoutOfWhatFollowsTheNewField() => VerifyFix.CodeFixAsync("""
        public class Queue
        {
        	#region Member variables

        	/// <summary>
        	/// Waiters.
        	/// </summary>
        	private int _count;

        	#endregion

        	public void Add() { lock ({|#0:this|}) { _count++; } }
        }
        """, """
        public class Queue
        {
        	private readonly object _lock = new();
        	#region Member variables

        	/// <summary>
        	/// Waiters.
        	/// </summary>
        	private int _count;

        	#endregion

        	public void Add() { lock (_lock) { _count++; } }
        }
        """, Tw2004(0, "'this'"));

    // One finding per object and type (at the first lock); its fix must not leave the other lock on
    // `this`: both exclude each other today.
    [Fact]
    public Task Fix_OneAtATime_StillReplacesEveryLockOnTheObject() => VerifyFix.CodeFixAsync("""
        public class C
        {
            private int _x;

            void A() { lock ({|#0:this|}) { _x++; } }
            void B() { lock (this) { _x--; } }
        }
        """, """
        public class C
        {
            private readonly object _lock = new();
            private int _x;

            void A() { lock (_lock) { _x++; } }
            void B() { lock (_lock) { _x--; } }
        }
        """, new[] { Tw2004(0, "'this'") }, Array.Empty<DiagnosticResult>(), iterations: 1);

    // Monitor.PulseAll(this) inside lock (_lock) would throw SynchronizationLockException.
    [Fact]
    public Task Fix_MovesMonitorCallsOnTheObject_WithTheLock() => VerifyFix.CodeFixAsync("""
        using System.Threading;

        public class Queue
        {
            private int _count;

            public void Put()
            {
                lock ({|#0:this|})
                {
                    _count++;
                    Monitor.PulseAll(this);
                }
            }

            public void Take()
            {
                lock (this)
                {
                    while (_count == 0) Monitor.Wait(this);
                    _count--;
                }
            }
        }
        """, """
        using System.Threading;

        public class Queue
        {
            private readonly object _lock = new();
            private int _count;

            public void Put()
            {
                lock (_lock)
                {
                    _count++;
                    Monitor.PulseAll(_lock);
                }
            }

            public void Take()
            {
                lock (_lock)
                {
                    while (_count == 0) Monitor.Wait(_lock);
                    _count--;
                }
            }
        }
        """, Tw2004(0, "'this'"));

    // Monitor.TryEnter/Exit on the old field elsewhere must move with the lock statements.
    [Fact]
    public Task Fix_ReassignedField_ReplacesMonitorEnterAndExitToo() => VerifyFix.CodeFixAsync("""
        using System.Threading;

        class Cache
        {
            private object _sync = new object();

            public void Reset() => _sync = new object();

            public void Add() { lock ({|#0:_sync|}) { } }

            public bool TryAdd()
            {
                if (!Monitor.TryEnter(_sync)) return false;
                try { return true; }
                finally { Monitor.Exit(_sync); }
            }
        }
        """, """
        using System.Threading;

        class Cache
        {
            private readonly object _syncLock = new();
            private object _sync = new object();

            public void Reset() => _sync = new object();

            public void Add() { lock (_syncLock) { } }

            public bool TryAdd()
            {
                if (!Monitor.TryEnter(_syncLock)) return false;
                try { return true; }
                finally { Monitor.Exit(_syncLock); }
            }
        }
        """, Tw2004(0, "the non-readonly field '_sync'"));

    // A user's existing `_gate` may already nest with other locks: the fix adds its own.
    [Fact]
    public Task Fix_NeverReusesALockTheUserDeclared() => VerifyFix.CodeFixAsync("""
        class Logger
        {
            private readonly object _gate = new();
            private readonly object _other = new();

            void Write() { lock ({|#0:"log"|}) { } }

            void Flush() { lock (_gate) { lock (_other) { } } }
        }
        """, """
        class Logger
        {
            private static readonly object s_logLock = new();
            private readonly object _gate = new();
            private readonly object _other = new();

            void Write() { lock (s_logLock) { } }

            void Flush() { lock (_gate) { lock (_other) { } } }
        }
        """, Tw2004(0, "a string (strings are interned and shared)"));

    // A static lock object used by several classes, or used as a value, keeps its identity: no fix.
    [Fact]
    public Task Fix_IsWithheld_WhenAUseIsOutOfReach() => VerifyFix.NoCodeFixAsync("""
        public static class Locks
        {
            public static readonly object Shared = new();
        }

        public class A
        {
            void M() { lock ({|#0:Locks.Shared|}) { } }
        }

        public class B
        {
            void M() { lock ({|#1:Locks.Shared|}) { } }
        }

        public class C
        {
            public readonly object Gate = new();

            void M(string key) { lock ({|#2:Gate|}) { } lock ({|#3:key|}) { } lock ({|#4:typeof(A)|}) { } }

            public object Handle => Gate;
        }

        public class D
        {
            void M() { lock ({|#5:typeof(A)|}) { } }
        }
        """,
        Tw2004(0, "the field 'Shared', visible outside the assembly"), Tw2004(1, "the field 'Shared', visible outside the assembly"),
        Tw2004(2, "the field 'Gate', visible outside the assembly"), Tw2004(3, "a string (strings are interned and shared)", PerKey),
        Tw2004(4, "a typeof(...) object"), Tw2004(5, "a typeof(...) object"));

    // Open.ChannelExtensions: a generic base class's exposed lock, which derived classes lock too. A
    // private gate in the base would split it from theirs (and from derived classes in other assemblies).
    // An internal field of a generic base locked by a derived class in another file (the use names
    // `Base<T, List<T>>.m_gate`) is out of reach too.
    [Fact]
    public Task Fix_IsWithheld_ForExposedFieldsAndFieldsOfGenericBasesLockedElsewhere() => VerifyFix.NoCodeFixAsync(new[] { """
        using System.Collections.Generic;

        public abstract class BufferingReader<TIn, TOut>
        {
            public readonly object SyncLock = new();
            internal object m_gate = new();

            protected void Flush() { lock ({|#0:SyncLock|}) { } lock ({|#1:m_gate|}) { } }

            internal void Swap() => m_gate = new object();
        }
        """, """
        using System.Collections.Generic;

        public sealed class BatchingReader<T> : BufferingReader<T, List<T>>
        {
            void Batch() { lock ({|#2:SyncLock|}) { } lock ({|#3:m_gate|}) { } }
        }
        """ },
        Tw2004(0, "the field 'SyncLock', visible outside the assembly"), Tw2004(1, "the non-readonly field 'm_gate'"),
        Tw2004(2, "the field 'SyncLock', visible outside the assembly"), Tw2004(3, "the non-readonly field 'm_gate'"));

    // `lock (this)` in a pool's subpage, and `lock (head)` on a subpage in its arena: the same object, so a
    // private gate in the subpage would split them. So would one in a base class whose derived class
    // locks `this`.
    [Fact]
    public Task Fix_IsWithheld_WhenAnotherTypeLocksAnInstance() => VerifyFix.NoCodeFixAsync(new[] { """
        public class Subpage
        {
            internal int Free;

            public void Release() { lock ({|#0:this|}) { Free++; } }
        }

        public class Arena
        {
            public void Allocate(Subpage head) { lock (head) { head.Free--; } }
        }

        public class Pipeline
        {
            public void Add() { lock ({|#1:this|}) { } }
        }
        """, """
        public sealed class LoggingPipeline : Pipeline
        {
            public void Log() { lock ({|#2:this|}) { } }
        }
        """ },
        Tw2004(0, "'this'"), Tw2004(1, "'this'"), Tw2004(2, "'this'"));

    // One mistake, one finding: the first lock on the same object in a type declaration reports;
    // another type (a derived class locking the base's public field) gets its own.
    [Fact]
    public Task OneFindingPerObjectAndType() => VerifyAnalyzer.AnalyzerAsync("""
        public abstract class Manager
        {
            public readonly object StateChangeLock = new();
            private int _state;

            public void Start() { lock ({|#0:StateChangeLock|}) { _state = 1; } }
            public void Stop() { lock (StateChangeLock) { _state = 0; } }
            public void Reset() { lock ({|#1:this|}) { _state = 2; } }
            public void Clear() { lock (this) { _state = 3; } }
        }

        public class PullManager : Manager
        {
            private int _pending;

            public void Track() { lock ({|#2:StateChangeLock|}) { _pending++; } }
            public void Untrack() { lock (StateChangeLock) { _pending--; } }
        }
        """,
        Tw2004(0, "the field 'StateChangeLock', visible outside the assembly"),
        Tw2004(1, "'this'"),
        Tw2004(2, "the field 'StateChangeLock', visible outside the assembly"));
}
