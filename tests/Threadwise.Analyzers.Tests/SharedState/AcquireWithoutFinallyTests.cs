using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.AcquireWithoutFinallyAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.AcquireWithoutFinallyAnalyzer, Threadwise.SharedState.AcquireWithoutFinallyFixProvider>;

namespace Threadwise.Tests.SharedState;

public class AcquireWithoutFinallyTests
{
    private static DiagnosticResult Tw2006(int markup, string name)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW2006AcquireWithoutFinally).WithLocation(markup).WithArguments(name);

    [Fact]
    public Task ReleasesOutsideFinally_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly object _gate = new();
            private readonly SemaphoreSlim _semaphore = new(1, 1);
            private readonly ReaderWriterLockSlim _rw = new();
            private readonly Mutex _mutex = new();

            async Task M()
            {
                {|#0:Monitor.Enter(_gate)|};
                Work();
                Monitor.Exit(_gate);

                await {|#1:_semaphore.WaitAsync()|};
                Work();
                _semaphore.Release();

                {|#2:_rw.EnterWriteLock()|};
                Work();
                _rw.ExitWriteLock();

                {|#3:_mutex.WaitOne()|};
                Work();
                _mutex.ReleaseMutex();
            }

            static void Work() => System.Console.WriteLine();
        }
        """, Tw2006(0, "_gate"), Tw2006(1, "_semaphore"), Tw2006(2, "_rw"), Tw2006(3, "_mutex"));

    [Fact]
    public Task TryFinallyForms_AndHandOffs_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly object _gate = new();
            private readonly SemaphoreSlim _semaphore = new(1, 1);

            async Task M()
            {
                Monitor.Enter(_gate);
                try { Work(); }
                finally { Monitor.Exit(_gate); }

                var taken = false;
                try
                {
                    Monitor.Enter(_gate, ref taken);
                    Work();
                }
                finally
                {
                    if (taken) Monitor.Exit(_gate);
                }

                await _semaphore.WaitAsync();
                try { Work(); }
                finally { _semaphore.Release(); }

                _semaphore.Wait();
                ReleaseLater();
            }

            void ReleaseLater() => _semaphore.Release();
            static void Work() => System.Console.WriteLine();
        }
        """);

    [Fact]
    public Task NothingThatCanThrowBeforeTheRelease_IsNotFlagged_OnEveryPath() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;

        class Context
        {
            private readonly object _sync = new();
            private bool _starting;
            private bool _terminating;
            private int _count;
            private Context _other;

            // Only data moves between acquire and release, also across a branch.
            public void Terminate()
            {
                Monitor.Enter(_sync);
                if (!_starting)
                {
                    bool restarted = _terminating;
                    _terminating = true;
                    _count++;
                    Monitor.Exit(_sync);
                    if (!restarted)
                    {
                        Work();
                    }

                    Monitor.Enter(_sync);
                }

                Monitor.Exit(_sync);
            }

            // A fence: take and drop the lock.
            public void Close()
            {
                Monitor.Enter(_sync);
                Monitor.Exit(_sync);
            }

            // An array's length (a read-locked capacity getter in Lidgren's queue).
            private int[] _items = new int[4];
            private readonly ReaderWriterLockSlim _rw = new();

            public int Capacity
            {
                get
                {
                    _rw.EnterReadLock();
                    int capacity = _items.Length;
                    _rw.ExitReadLock();
                    return capacity;
                }
            }

            // An element can be out of range.
            public int First
            {
                get
                {
                    {|#5:_rw.EnterReadLock()|};
                    int first = _items[0];
                    _rw.ExitReadLock();
                    return first;
                }
            }

            // Something that can throw on one path only: a call, a division, another object's field, a lambda body.
            public void Mixed(int divisor)
            {
                {|#0:Monitor.Enter(_sync)|};
                if (_starting)
                {
                    Work();
                }

                Monitor.Exit(_sync);

                {|#1:Monitor.Enter(_sync)|};
                _count = 100 / divisor;
                Monitor.Exit(_sync);

                {|#2:Monitor.Enter(_sync)|};
                _count = _other._count;
                Monitor.Exit(_sync);

                Action work = () =>
                {
                    {|#3:Monitor.Enter(_sync)|};
                    Work();
                    Monitor.Exit(_sync);

                    Monitor.Enter(_sync);
                    _count = 0;
                    Monitor.Exit(_sync);
                };
                work();
            }

            // Leaving without the release on one path is not provably safe either.
            public void Leaves(bool early)
            {
                {|#4:Monitor.Enter(_sync)|};
                if (early)
                {
                    return;
                }

                Monitor.Exit(_sync);
            }

            static void Work() => Console.WriteLine("work");
        }
        """, Tw2006(0, "_sync"), Tw2006(1, "_sync"), Tw2006(2, "_sync"), Tw2006(3, "_sync"), Tw2006(4, "_sync"), Tw2006(5, "_rw"));

    // MassTransit's NewId generator takes a SpinLock without try/finally around `UpdateTimestamp(ticks)`, a
    // private method that only moves data (with unchecked numeric casts): nothing in the region can throw. A
    // helper that calls out, a checked or decimal cast, an overridable helper and another object's helper
    // can throw, and are reported.
    [Fact]
    public Task DataMoveHelpersAndNumericCasts_CannotThrow() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;

        class Generator
        {
            private SpinLock _spinLock = new(false);
            private readonly object _sync = new();
            private long _lastTick;
            private int _a;
            private int _b;
            private int _sequence;
            private decimal _total;
            private Generator? _other;

            public long Next(long ticks)
            {
                var lockTaken = false;
                _spinLock.Enter(ref lockTaken);
                if (ticks > _lastTick)
                    UpdateTimestamp(ticks);
                else if (_sequence == 65535)
                    UpdateTimestamp(_lastTick + 1);

                var sequence = _sequence++;
                var a = _a;
                if (lockTaken)
                    _spinLock.Exit();

                return a + sequence;
            }

            public void Narrow(long ticks)
            {
                Monitor.Enter(_sync);
                _b = (int)ticks;
                _a = (short)(ticks >> 16);
                Monitor.Exit(_sync);
            }

            public void Checked(long ticks)
            {
                {|#0:Monitor.Enter(_sync)|};
                _b = checked((int)ticks);
                Monitor.Exit(_sync);
            }

            public void Money(long ticks)
            {
                {|#1:Monitor.Enter(_sync)|};
                _b = (int)_total;
                Monitor.Exit(_sync);
            }

            public void Logged(long ticks)
            {
                {|#2:Monitor.Enter(_sync)|};
                Log(ticks);
                Monitor.Exit(_sync);
            }

            public void Overridable(long ticks)
            {
                {|#3:Monitor.Enter(_sync)|};
                Reset(ticks);
                Monitor.Exit(_sync);
            }

            public void Others(long ticks)
            {
                {|#4:Monitor.Enter(_sync)|};
                _other!.UpdateTimestamp(ticks);
                Monitor.Exit(_sync);
            }

            private void UpdateTimestamp(long tick)
            {
                _b = (int)(tick & 0xFFFFFFFF);
                _a = (int)(tick >> 32);
                _sequence = 0;
                _lastTick = tick;
            }

            private void Log(long tick)
            {
                _lastTick = tick;
                Console.WriteLine(tick);
            }

            protected virtual void Reset(long tick) => _lastTick = tick;
        }
        """, Tw2006(0, "_sync"), Tw2006(1, "_sync"), Tw2006(2, "_sync"), Tw2006(3, "_sync"), Tw2006(4, "_sync"));

    // A catch-all that neither rethrows nor leaves, around a block that does not leave, always reaches
    // the release after it: the catch does what a finally would.
    [Fact]
    public Task ReleaseAfterATryWhoseCatchAllSwallowsEverything_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;

        class Daemon
        {
            private readonly SemaphoreSlim _gate = new(1);
            private readonly object _sync = new();
            private bool _lost;

            void Tick(CancellationToken ct)
            {
                _gate.Wait(ct);
                try
                {
                    Send("NOOP");
                }
                catch (Exception ex)
                {
                    Console.WriteLine(ex.Message);
                    _lost = true;
                }

                _gate.Release();
            }

            void Drain(string[] commands)
            {
                Monitor.Enter(_sync);
                try
                {
                    foreach (var command in commands)
                    {
                        if (command.Length == 0)
                        {
                            continue;
                        }

                        switch (command)
                        {
                            case "QUIT":
                                break;
                            default:
                                Send(command);
                                break;
                        }
                    }
                }
                catch
                {
                    _lost = true;
                }

                Monitor.Exit(_sync);
            }

            static void Send(string command) => System.Console.WriteLine(command);
        }
        """);

    // `Monitor.Enter(gate); Monitor.Wait(gate, 1); Monitor.Exit(gate);` (a low-memory back-off) and a
    // PulseAll in the same frame: on the lock just taken they cannot fail (Wait only on Thread.Interrupt).
    // A wait on another object, or a timeout that is computed by a call, can.
    [Fact]
    public Task ConditionWaitOrSignalOnTheHeldLock_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;

        class Handle
        {
            private static object? s_lowMemory;
            private readonly object _other = new();

            static void BackOff()
            {
                Interlocked.CompareExchange(ref s_lowMemory, new object(), null);
                Monitor.Enter(s_lowMemory!);
                Monitor.Wait(s_lowMemory!, millisecondsTimeout: 1);
                Monitor.Exit(s_lowMemory!);
            }

            static void Signal()
            {
                if (Volatile.Read(ref s_lowMemory) != null)
                {
                    Monitor.Enter(s_lowMemory!);
                    Monitor.PulseAll(s_lowMemory!);
                    Monitor.Exit(s_lowMemory!);
                }
            }

            void WaitsOnAnother()
            {
                {|#0:Monitor.Enter(s_lowMemory!)|};
                Monitor.Wait(_other, 1);
                Monitor.Exit(s_lowMemory!);
            }

            void ComputedTimeout()
            {
                {|#1:Monitor.Enter(_other)|};
                Monitor.Wait(_other, TimeSpan.FromMilliseconds(Delay()));
                Monitor.Exit(_other);
            }

            static int Delay() => 1;
        }
        """, Tw2006(0, "s_lowMemory"), Tw2006(1, "_other"));

    [Fact]
    public Task ReleaseAfterATryThatCanStillLeave_IsFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading;

        class Daemon
        {
            private readonly SemaphoreSlim _gate = new(1);

            void Rethrows()
            {
                {|#0:_gate.Wait()|};
                try { Send(); }
                catch (Exception ex) { Console.WriteLine(ex); throw; }
                _gate.Release();
            }

            void CatchesOnlySome()
            {
                {|#1:_gate.Wait()|};
                try { Send(); }
                catch (IOException) { }
                _gate.Release();
            }

            void Filtered(bool swallow)
            {
                {|#2:_gate.Wait()|};
                try { Send(); }
                catch (Exception) when (swallow) { }
                _gate.Release();
            }

            int ReturnsFromTheTry()
            {
                {|#3:_gate.Wait()|};
                try { Send(); return 1; }
                catch (Exception) { }
                _gate.Release();
                return 0;
            }

            void LeavesTheOuterLoop(string[] commands)
            {
                foreach (var command in commands)
                {
                    {|#4:_gate.Wait()|};
                    try
                    {
                        switch (command)
                        {
                            case "": continue;
                        }

                        Send();
                    }
                    catch { }
                    _gate.Release();
                }
            }

            void ReleasedLaterOn()
            {
                {|#5:_gate.Wait()|};
                try { Send(); }
                catch (Exception) { }
                Send();
                _gate.Release();
            }

            static void Send() => System.Console.WriteLine();
        }
        """, Tw2006(0, "_gate"), Tw2006(1, "_gate"), Tw2006(2, "_gate"), Tw2006(3, "_gate"), Tw2006(4, "_gate"), Tw2006(5, "_gate"));

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading;

        class C
        {
            void M()
            {
                Monitor.Enter(;
                Monitor.Exit(missing);
                missing.Wait();
                {|#0:Monitor.Enter(this)|};
                try { Send(; } catch (Exception { }
                Monitor.Exit(this);
                Monitor.Enter(this);
                try { } catch { break; }
                Monitor.Exit(this);
                {|#1:Monitor.Enter(this)|};
                Half(;
                Monitor.Exit(this);
                var taken = false;
                {|#2:_spin.Enter(ref taken)|};
                Update((int));
                if (taken) _spin.Exit();
            }

            SpinLock _spin;
            void Half(int x) { _count = (int; }
            void Update(int tick) => _count = (short)tick +;
            int _count;
        }
        """, Tw2006(0, "C"), Tw2006(1, "C"), Tw2006(2, "_spin"));

    // FluentFTP indents with tabs and opens braces on the line of their owner: the try/finally keeps
    // both, instead of re-laying the whole block out in the default style.
    [Fact]
    public Task Fix_KeepsTabsAndTheBraceStyle() => VerifyFix.CodeFixAsync(
        "using System.Threading;\n\nclass C {\n\tprivate readonly SemaphoreSlim _gate = new(1);\n\tprivate int _count;\n\n\tvoid M() {\n\t\t{|#0:_gate.Wait()|};\n\t\tif (_count > 0) {\n\t\t\tWork(_count);\n\t\t}\n\t\t// done\n\t\t_gate.Release();\n\t}\n\n\tstatic void Work(int value) => System.Console.WriteLine(value);\n}\n",
        "using System.Threading;\n\nclass C {\n\tprivate readonly SemaphoreSlim _gate = new(1);\n\tprivate int _count;\n\n\tvoid M() {\n\t\t_gate.Wait();\n\t\ttry {\n\t\t\tif (_count > 0) {\n\t\t\t\tWork(_count);\n\t\t\t}\n\t\t} finally {\n\t\t\t// done\n\t\t\t_gate.Release();\n\t\t}\n\t}\n\n\tstatic void Work(int value) => System.Console.WriteLine(value);\n}\n",
        Tw2006(0, "_gate"));

    // The snapshot question, asked of creations that are half-typed.
    [Fact]
    public Task BrokenSnapshots_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Collections.Generic;
        using System.Threading;

        #nullable enable
        class C
        {
            private readonly SemaphoreSlim _lock = new(1, 1);
            private List<int> _handlers = new();

            public void M()
            {
                {|#0:_lock.Wait()|};
                var a = new List<int>(_handlers;
                var b = new Missing<int>(_handlers);
                _lock.Release();
            }
        }
        """,
        // A creation of a type that does not bind may throw.
        Tw2006(0, "_lock"));

    // An async event snapshots its handlers under a semaphore: `new List<T>(_handlers)` of a field the
    // nullable analysis knows is not null can fail only when memory runs out. A copy of a maybe-null
    // source (nullable off), a capacity argument, or an initializer (it calls Add) is reported.
    [Fact]
    public Task CollectionSnapshotOfANonNullField_CannotThrow() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        #nullable enable
        class AsyncEvent
        {
            private readonly SemaphoreSlim _lock = new(1, 1);
            private List<int> _handlers = new();

            public async Task<List<int>> SnapshotAsync()
            {
                await _lock.WaitAsync();
                List<int> copied = new(_handlers);
                _lock.Release();
                return copied;
            }

            public async Task<List<int>> SizedAsync(int size)
            {
                await {|#0:_lock.WaitAsync()|};
                var sized = new List<int>(size);
                _lock.Release();
                return sized;
            }

            public async Task<List<int>> FilledAsync()
            {
                await {|#1:_lock.WaitAsync()|};
                var filled = new List<int> { 1 };
                _lock.Release();
                return filled;
            }
        }
        #nullable disable

        class Oblivious
        {
            private readonly SemaphoreSlim _lock = new(1, 1);
            private List<int> _handlers = new();

            public async Task<List<int>> SnapshotAsync()
            {
                await {|#2:_lock.WaitAsync()|};
                var copied = new List<int>(_handlers);
                _lock.Release();
                return copied;
            }
        }
        """, Tw2006(0, "_lock"), Tw2006(1, "_lock"), Tw2006(2, "_lock"));

    [Fact]
    public Task Fix_MovesTheReleaseIntoFinally() => VerifyFix.CodeFixAsync("""
        using System.Threading;

        class C
        {
            private readonly object _gate = new();
            private int _count;

            void M()
            {
                {|#0:Monitor.Enter(_gate)|};
                _count++;
                Work(_count);
                Monitor.Exit(_gate);
                Work(0);
            }

            static void Work(int value) => System.Console.WriteLine(value);
        }
        """, """
        using System.Threading;

        class C
        {
            private readonly object _gate = new();
            private int _count;

            void M()
            {
                Monitor.Enter(_gate);
                try
                {
                    _count++;
                    Work(_count);
                }
                finally
                {
                    Monitor.Exit(_gate);
                }
                Work(0);
            }

            static void Work(int value) => System.Console.WriteLine(value);
        }
        """, Tw2006(0, "_gate"));

    // LiteNetLib's peer lookup releases on its early path too (`ExitReadLock(); return true;` inside the
    // loop): with the release moved into a finally that path would release twice and throw. A region
    // that leaves early (return, goto, a break out of it) would also change what that path holds. The
    // diagnostic stays; the fix is withheld. A break that stays inside the region keeps the fix.
    [Theory]
    [InlineData("if (_count > 1) { _lock.ExitReadLock(); return true; }")]
    [InlineData("if (_count > 1) return true;")]
    [InlineData("if (_count > 1) goto done;")]
    public Task Fix_IsWithheld_WhenTheRegionReleasesOrLeavesEarly(string early) => VerifyFix.NoCodeFixAsync($$"""
        using System.Threading;

        class Peers
        {
            private readonly ReaderWriterLockSlim _lock = new();
            private int _count;

            bool TryGet()
            {
                {|#0:_lock.EnterReadLock()|};
                for (var i = 0; i < 3; i++)
                {
                    Work(i);
                    {{early}}
                }
                _lock.ExitReadLock();
            done:
                return false;
            }

            static void Work(int value) => System.Console.WriteLine(value);
        }
        """, Tw2006(0, "_lock"));

    [Fact]
    public Task Fix_WrapsARegionWhoseBreakStaysInside() => VerifyFix.CodeFixAsync("""
        using System.Threading;

        class Peers
        {
            private readonly ReaderWriterLockSlim _lock = new();
            private int _count;

            void Count()
            {
                {|#0:_lock.EnterWriteLock()|};
                while (true)
                {
                    Work(_count);
                    if (++_count > 3) break;
                }
                _lock.ExitWriteLock();
            }

            static void Work(int value) => System.Console.WriteLine(value);
        }
        """, """
        using System.Threading;

        class Peers
        {
            private readonly ReaderWriterLockSlim _lock = new();
            private int _count;

            void Count()
            {
                _lock.EnterWriteLock();
                try
                {
                    while (true)
                    {
                        Work(_count);
                        if (++_count > 3) break;
                    }
                }
                finally
                {
                    _lock.ExitWriteLock();
                }
            }

            static void Work(int value) => System.Console.WriteLine(value);
        }
        """, Tw2006(0, "_lock"));

    // log4net's locking model: AcquireLock() returns holding the mutex (ReleaseLock() releases it)
    // and gives it back only when it fails. A release that is followed by leaving the method, in a
    // branch or a catch, is a rollback; a release on the main path is still reported.
    [Fact]
    public Task AcquireApisThatRollBackOnFailure_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading;

        class InterProcessLock
        {
            private readonly Mutex _mutex = new();
            private Stream? _stream;
            private int _depth;

            public Stream? AcquireLock()
            {
                _mutex.WaitOne();
                _depth++;
                if (_stream is null)
                {
                    _depth--;
                    _mutex.ReleaseMutex();
                    return null;
                }

                return _stream;
            }

            public Stream Open(string path)
            {
                _mutex.WaitOne();
                try
                {
                    return _stream = File.OpenRead(path);
                }
                catch (IOException)
                {
                    _mutex.ReleaseMutex();
                    throw;
                }
            }

            public void ReleaseLock() => _mutex.ReleaseMutex();

            public void Write(byte[] data)
            {
                {|#0:_mutex.WaitOne()|};
                _stream?.Write(data, 0, data.Length);
                _mutex.ReleaseMutex();
            }
        }
        """, Tw2006(0, "_mutex"));

    // A retry loop over a shared file handle: take its monitor, give it back and retry when the handle
    // was closed meanwhile, otherwise work under try/finally. The `continue` (or `break`) of a loop around
    // the acquire leaves the region as a return does. A retry whose main path releases outside a finally,
    // and a `break` that only leaves a switch, are still reported.
    [Fact]
    public Task ReleaseBeforeRetryingTheLoop_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Concurrent;
        using System.Threading;

        class FileRef
        {
            public bool Closed;
        }

        class Cache
        {
            private readonly ConcurrentDictionary<string, FileRef> _files = new();

            public FileRef Open(string path)
            {
                while (true)
                {
                    var file = _files.GetOrAdd(path, _ => new FileRef());
                    Monitor.Enter(file);
                    if (file.Closed)
                    {
                        Monitor.Exit(file);
                        continue;
                    }

                    try
                    {
                        Touch(file);
                        return file;
                    }
                    finally
                    {
                        Monitor.Exit(file);
                    }
                }
            }

            public void Drain(string[] paths)
            {
                foreach (var path in paths)
                {
                    var file = _files.GetOrAdd(path, _ => new FileRef());
                    Monitor.Enter(file);
                    if (file.Closed)
                    {
                        Monitor.Exit(file);
                        break;
                    }

                    try
                    {
                        Touch(file);
                    }
                    finally
                    {
                        Monitor.Exit(file);
                    }
                }
            }

            public FileRef OpenCached(string path)
            {
                FileRef file = null;
                while (file == null)
                {
                    file = _files.GetOrAdd(path, _ => new FileRef());
                    Monitor.Enter(file);
                    if (!file.Closed)
                    {
                        break;
                    }

                    Monitor.Exit(file);
                    file = null;
                }

                try
                {
                    Touch(file);
                    return file;
                }
                finally
                {
                    Monitor.Exit(file);
                }
            }

            public FileRef OpenCachedUnguarded(string path)
            {
                FileRef file = null;
                while (file == null)
                {
                    file = _files.GetOrAdd(path, _ => new FileRef());
                    {|#2:Monitor.Enter(file)|};
                    if (!file.Closed)
                    {
                        break;
                    }

                    Monitor.Exit(file);
                    file = null;
                }

                Touch(file);
                Monitor.Exit(file);
                return file;
            }

            public void Loop(string path)
            {
                var file = _files.GetOrAdd(path, _ => new FileRef());
                while (!file.Closed)
                {
                    {|#3:Monitor.Enter(file)|};
                    Touch(file);
                    Monitor.Exit(file);
                }
            }

            public void RetryWithoutFinally(string path)
            {
                while (true)
                {
                    var file = _files.GetOrAdd(path, _ => new FileRef());
                    {|#0:Monitor.Enter(file)|};
                    if (file.Closed)
                    {
                        Monitor.Exit(file);
                        continue;
                    }

                    Touch(file);
                    Monitor.Exit(file);
                    return;
                }
            }

            public void LeavesOnlyTheSwitch(string[] paths, int mode)
            {
                foreach (var path in paths)
                {
                    var file = _files.GetOrAdd(path, _ => new FileRef());
                    {|#1:Monitor.Enter(file)|};
                    switch (mode)
                    {
                        case 1:
                            if (file.Closed)
                            {
                                Monitor.Exit(file);
                                break;
                            }

                            break;
                    }

                    try
                    {
                        Touch(file);
                    }
                    finally
                    {
                        Monitor.Exit(file);
                    }
                }
            }

            static void Touch(FileRef file) => System.Console.WriteLine(file.Closed);
        }
        """, Tw2006(0, "file"), Tw2006(1, "file"), Tw2006(2, "file"), Tw2006(3, "file"));

    // Rx's blocking enumerator: OnNext releases a semaphore per item, MoveNext waits for one and, on the
    // last path, releases again so a later MoveNext does not block. A signal count, not a lock. A
    // semaphore every method waits on before it releases is a lock and is still reported.
    [Fact]
    public Task SemaphoresUsedAsSignalCounts_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Concurrent;
        using System.Threading;

        class Enumerator
        {
            private readonly SemaphoreSlim _gate = new SemaphoreSlim(0);
            private readonly ConcurrentQueue<int> _queue = new ConcurrentQueue<int>();
            private int _current;

            public void OnNext(int value)
            {
                _queue.Enqueue(value);
                _gate.Release();
            }

            public bool MoveNext()
            {
                _gate.Wait();
                if (_queue.TryDequeue(out _current))
                {
                    return true;
                }

                Check();
                _gate.Release();
                return false;
            }

            static void Check() => System.Console.WriteLine();
        }

        class Guarded
        {
            private readonly SemaphoreSlim _lock = new SemaphoreSlim(1);

            public void Update()
            {
                {|#0:_lock.Wait()|};
                Check();
                _lock.Release();
            }

            static void Check() => System.Console.WriteLine();
        }
        """, Tw2006(0, "_lock"));

    // DotPulsar's channel gate: `Enter()` takes the lock and returns `this`, whose Dispose releases it (a
    // hand-made EnterScope); the release in Enter is the refusal path before a throw. The caller's
    // `using` is the finally. Without a Dispose that releases the same lock, it is still reported.
    [Fact]
    public Task LockHandedToTheCallerAsADisposableHandle_IsNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;

        sealed class Gate : IDisposable
        {
            private readonly object _lock = new object();
            private bool _open = true;

            public IDisposable Enter()
            {
                Monitor.Enter(_lock);
                if (_open)
                    return this;

                Monitor.Exit(_lock);
                throw new OperationCanceledException();
            }

            public void Dispose() => Monitor.Exit(_lock);
        }

        sealed class NotAHandle
        {
            private readonly object _lock = new object();
            private bool _open = true;

            public NotAHandle Enter()
            {
                {|#0:Monitor.Enter(_lock)|};
                if (_open)
                    return this;

                Monitor.Exit(_lock);
                throw new OperationCanceledException();
            }
        }
        """, Tw2006(0, "_lock"));
}
