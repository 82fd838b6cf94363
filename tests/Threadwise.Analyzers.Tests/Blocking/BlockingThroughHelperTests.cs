using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.Blocking.BlockingThroughHelperAnalyzer>;

namespace Threadwise.Tests.Blocking;

public class BlockingThroughHelperTests
{
    private static DiagnosticResult Tw1006(int markup, string helper, string chain)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW1006BlockingThroughHelper).WithLocation(markup).WithArguments(helper, chain).WithOptions(DiagnosticOptions.IgnoreAdditionalLocations);

    private const string Helpers = """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class Config
        {
            public string LoadSettings() => ReadConfig();
            private string ReadConfig() => File.ReadAllText("app.json");
            public void Pause() => Thread.Sleep(100);
            public int Compute(Task<int> t) => t.Result;
            public void Pure() { var x = 1 + 1; }
            public void Deep1() => Deep2();
            void Deep2() => Deep3();
            void Deep3() => Deep4();
            void Deep4() => Thread.Sleep(1);
            public void Ping() => Pong();
            void Pong() => Ping();
        }
        """;

    // WCF's AsyncLock: `using (ThisAsyncLock.TakeLock())` in async code, where `TakeLock()` waits on a semaphore and
    // the type also has `Task<IAsyncDisposable> TakeLockAsync()`. No drop-in twin for TW1004 (the result is used
    // another way), but the message names the awaitable form; one with a token counts. A `…Async` method with other
    // parameters, or returning no task, is not named.
    [Fact]
    public Task HelpersWithAnAwaitableFormOfAnotherShape_NameIt() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class AsyncLock
        {
            private readonly SemaphoreSlim _semaphore = new(1);

            public IDisposable TakeLock() { _semaphore.Wait(); return null; }
            public Task<IAsyncDisposable> TakeLockAsync() => Task.FromResult<IAsyncDisposable>(null);

            public IDisposable Enter(int timeout) { _semaphore.Wait(timeout); return null; }
            public Task<IAsyncDisposable> EnterAsync(int timeout, CancellationToken token) => Task.FromResult<IAsyncDisposable>(null);

            public void Hold(int count) { _semaphore.Wait(); }
            public Task HoldAsync(string reason) => Task.CompletedTask;

            public void Stay() { _semaphore.Wait(); }
            public void StayAsync() { }
        }

        class Channel
        {
            private readonly AsyncLock _lock = new();

            async Task M()
            {
                await Task.Yield();
                using ({|#0:_lock.TakeLock()|}) { }
                using ({|#1:_lock.Enter(10)|}) { }
                {|#2:_lock.Hold(1)|};
                {|#3:_lock.Stay()|};
            }
        }
        """,
        Tw1006(0, "TakeLock", "TakeLock -> SemaphoreSlim.Wait (Test0.cs:9); 'AsyncLock.TakeLockAsync' is its awaitable form"),
        Tw1006(1, "Enter", "Enter -> SemaphoreSlim.Wait (Test0.cs:12); 'AsyncLock.EnterAsync' is its awaitable form"),
        Tw1006(2, "Hold", "Hold -> SemaphoreSlim.Wait (Test0.cs:15)"),
        Tw1006(3, "Stay", "Stay -> SemaphoreSlim.Wait (Test0.cs:18)"));

    // OpenTelemetry's `MetricReader.Collect(timeout)`: a caller that finds a collection in flight (a completion
    // source published in a field) waits for it with `Task.WaitAny([tcs.Task, shutdown.Task], timeout)`; one
    // that finds none publishes its own, collects, and completes it. The join stands for the work, which the
    // same method does synchronously anyway. A helper waiting on a source it only reads from a field, or whose
    // own work blocks, is reported.
    [Fact]
    public Task SingleFlightJoinOnAPublishedCompletionSource_IsNotBlocking() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class Reader
        {
            private readonly object _lock = new();
            private readonly TaskCompletionSource<bool> _shutdown = new();
            private TaskCompletionSource<bool> _collection;
            private TaskCompletionSource<bool> _external;

            public bool Collect(int timeout)
            {
                var run = false;
                var tcs = _collection;
                if (tcs == null)
                {
                    lock (_lock)
                    {
                        tcs = _collection;
                        if (tcs == null)
                        {
                            run = true;
                            tcs = new TaskCompletionSource<bool>();
                            _collection = tcs;
                        }
                    }
                }

                if (!run)
                {
                    return Task.WaitAny(new Task[] { tcs.Task, _shutdown.Task }, timeout) == 0 && tcs.Task.GetAwaiter().GetResult();
                }

                var result = false;
                try
                {
                    result = OnCollect();
                }
                finally
                {
                    tcs.TrySetResult(result);
                    lock (_lock)
                    {
                        _collection = null;
                    }
                }

                return result;
            }

            public bool WaitForOther()
            {
                var tcs = _external;
                return tcs.Task.Result;
            }

            public bool CollectToFile(int timeout)
            {
                var tcs = _collection;
                if (tcs != null)
                {
                    return tcs.Task.Wait(timeout);
                }

                tcs = new TaskCompletionSource<bool>();
                _collection = tcs;
                File.WriteAllText("metrics.txt", "x");
                tcs.SetResult(true);
                return true;
            }

            private bool OnCollect() => true;
        }

        class Worker
        {
            async Task RunAsync(Reader reader)
            {
                await Task.Delay(10);
                reader.Collect(100);
                {|#0:reader.WaitForOther()|};
                {|#1:reader.CollectToFile(100)|};
            }
        }
        """,
        Tw1006(0, "WaitForOther", "WaitForOther -> Task.Result (Test0.cs:55)"),
        Tw1006(1, "CollectToFile", "CollectToFile -> File.WriteAllText (Test0.cs:68)"));

    // MonoTorrent's spin lock: `Enter` retries `Interlocked.CompareExchange` and backs off through a
    // `SpinWait(n)` helper that ends in `Thread.Sleep(1)`. Waiting for a lock is not blocking I/O (a `lock`
    // statement is not reported either). The same helper called outside a spin loop, and a polling loop
    // that sleeps until a flag changes, still block.
    // DurableTask's `RawStreamToRuntimeState`: the session stream comes from `await GetDecompressedStreamAsync(raw)`,
    // which returns the MemoryStream it filled, and a helper reads it to the end. Handed a file, the same
    // helper blocks.
    [Fact]
    public Task HelpersReadingAStreamAProjectMethodFilledInMemory_AreNotBlocking() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading.Tasks;

        static class Converter
        {
            public static async Task<string> LoadAsync(Stream raw)
            {
                var state = await DecompressAsync(raw);
                return Read(state);
            }

            public static async Task<string> LoadFileAsync(string path)
            {
                await Task.Yield();
                return {|#0:Read(File.OpenRead(path))|};
            }

            private static string Read(Stream stream)
            {
                using (var reader = new StreamReader(stream))
                {
                    return reader.ReadToEnd();
                }
            }

            private static async Task<Stream> DecompressAsync(Stream input)
            {
                var output = new MemoryStream();
                await input.CopyToAsync(output);
                output.Position = 0;
                return output;
            }
        }
        """, Tw1006(0, "Read", "Read -> StreamReader.ReadToEnd (Test0.cs:22)"));

    // Microsoft.Testing.Platform's `--debug-attach`: `while (!Debugger.IsAttached) { Thread.Sleep(1000); }` waits
    // for a person to attach a debugger, behind an option nobody turns on in production. A sleep in a loop
    // that does not test Debugger.IsAttached in its condition is reported.
    [Fact]
    public Task WaitsForADebugger_AreNotBlocking() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Diagnostics;
        using System.Threading;
        using System.Threading.Tasks;

        static class App
        {
            public static async Task<int> StartAsync(bool attach)
            {
                if (attach)
                {
                    WaitForDebugger();
                }

                {|#0:Pause()|};
                await Task.Yield();
                return 0;
            }

            private static void WaitForDebugger()
            {
                while (!Debugger.IsAttached)
                {
                    Thread.Sleep(1000);
                }

                Debugger.Break();
            }

            private static void Pause()
            {
                while (true)
                {
                    if (Debugger.IsAttached)
                    {
                        break;
                    }

                    Thread.Sleep(10);
                }
            }
        }
        """, Tw1006(0, "Pause", "Pause -> Thread.Sleep (Test0.cs:38)"));

    [Fact]
    public Task SpinLockBackoff_IsNotBlocking() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class SpinLocked
        {
            private int _held;
            private bool _ready;
            private readonly Dictionary<int, string> _items = new();

            static void SpinWait(int spins)
            {
                if (spins < 10) Thread.SpinWait(20 * spins);
                else Thread.Sleep(1);
            }

            public void Enter()
            {
                int spins = 0;
                while (Interlocked.CompareExchange(ref _held, 1, 0) != 0)
                    SpinWait(++spins);
            }

            public void EnterByExchange()
            {
                for (int spins = 0; ; spins++)
                {
                    if (Interlocked.Exchange(ref _held, 1) == 0)
                        return;
                    SpinWait(spins);
                }
            }

            public void Exit() => Volatile.Write(ref _held, 0);

            public void Backoff(int spins) => SpinWait(spins);

            public void WaitUntilReady()
            {
                while (!_ready)
                    Thread.Sleep(1);
            }

            public async Task<string> GetAsync(int key)
            {
                await Task.Yield();
                Enter();
                try { return _items[key]; }
                finally { Exit(); }
            }

            public async Task PutAsync(int key, string value)
            {
                await Task.Yield();
                EnterByExchange();
                _items[key] = value;
                Exit();
                {|#0:Backoff(3)|};
                {|#1:WaitUntilReady()|};
            }
        }
        """,
        Tw1006(0, "Backoff", "Backoff -> SpinWait -> Thread.Sleep (Test0.cs:14)"),
        Tw1006(1, "WaitUntilReady", "WaitUntilReady -> Thread.Sleep (Test0.cs:41)"));

    // Npgsql's own reader: `GetBoolean` seeks to the column, which under sequential access may read the
    // socket. After ReadAsync the row is buffered: column reads, and helpers that only read columns, are
    // not blocking; the reader's other synchronous methods still are.
    [Fact]
    public Task ColumnReadsOfAProvidersOwnReader_AreNotBlocking_ItsOtherMethodsAre() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections;
        using System.Data.Common;
        using System.IO;
        using System.Threading.Tasks;

        sealed class ProviderReader : DbDataReader
        {
            private readonly Stream _socket;
            public ProviderReader(Stream socket) => _socket = socket;

            private int Seek(int ordinal) { _socket.Read(new byte[4], 0, 4); return ordinal; }
            public int ReadHeader() => Seek(0);

            public override int GetInt32(int ordinal) => Seek(ordinal);
            public override string GetString(int ordinal) => Seek(ordinal).ToString();
            public override bool IsDBNull(int ordinal) => Seek(ordinal) < 0;
            public override object GetValue(int ordinal) => Seek(ordinal);

            public override bool GetBoolean(int ordinal) => throw new NotSupportedException();
            public override byte GetByte(int ordinal) => throw new NotSupportedException();
            public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();
            public override char GetChar(int ordinal) => throw new NotSupportedException();
            public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => throw new NotSupportedException();
            public override string GetDataTypeName(int ordinal) => throw new NotSupportedException();
            public override DateTime GetDateTime(int ordinal) => throw new NotSupportedException();
            public override decimal GetDecimal(int ordinal) => throw new NotSupportedException();
            public override double GetDouble(int ordinal) => throw new NotSupportedException();
            public override Type GetFieldType(int ordinal) => throw new NotSupportedException();
            public override float GetFloat(int ordinal) => throw new NotSupportedException();
            public override Guid GetGuid(int ordinal) => throw new NotSupportedException();
            public override short GetInt16(int ordinal) => throw new NotSupportedException();
            public override long GetInt64(int ordinal) => throw new NotSupportedException();
            public override string GetName(int ordinal) => throw new NotSupportedException();
            public override int GetOrdinal(string name) => throw new NotSupportedException();
            public override int GetValues(object[] values) => throw new NotSupportedException();
            public override int FieldCount => 2;
            public override object this[int ordinal] => GetValue(ordinal);
            public override object this[string name] => throw new NotSupportedException();
            public override int RecordsAffected => 0;
            public override bool HasRows => true;
            public override bool IsClosed => false;
            public override bool NextResult() => false;
            public override bool Read() => false;
            public override int Depth => 0;
            public override IEnumerator GetEnumerator() => throw new NotSupportedException();
        }

        class Repository
        {
            async Task<int> LoadAsync(ProviderReader reader)
            {
                await reader.ReadAsync();
                var id = reader.GetInt32(0);
                var value = reader.GetValue(1);
                var name = Describe(reader);
                return id + name.Length + {|#0:reader.ReadHeader()|};
            }

            static string Describe(ProviderReader reader) => reader.IsDBNull(1) ? "" : reader.GetString(1);
        }
        """,
        Tw1006(0, "ReadHeader", "ReadHeader -> Seek -> Stream.Read (Test0.cs:12)"));

    // Dapper's multi-mapping: `var results = MultiMapImpl(…, reader, …);` in an async method, where
    // `MultiMapImpl` is an iterator (`while (reader.Read()) yield return map(reader);`). Calling an
    // iterator runs none of its body, so the call blocks on nothing, directly or through a helper that
    // only calls it. A method that returns a sequence it has read into a list, and a method whose only
    // `yield` is inside a local function, run their bodies when called and are reported.
    [Fact]
    public Task CallingAnIterator_RunsNothing() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.IO;
        using System.Threading.Tasks;

        class Mapper
        {
            static IEnumerable<int> Rows(Stream stream)
            {
                while (stream.Read(new byte[4], 0, 4) > 0)
                {
                    yield return 1;
                }
            }

            static IEnumerable<int> Lazily(Stream stream) => Rows(stream);

            static IEnumerable<int> Buffered(Stream stream)
            {
                var rows = new List<int>();
                while (stream.Read(new byte[4], 0, 4) > 0)
                {
                    rows.Add(1);
                }

                return rows;
            }

            static IEnumerable<int> ViaLocalIterator(Stream stream)
            {
                stream.Flush();
                return Local();

                IEnumerable<int> Local()
                {
                    yield return 1;
                }
            }

            async Task<IEnumerable<int>> MapAsync(Stream stream)
            {
                await stream.FlushAsync();
                var deferred = Rows(stream);
                var alsoDeferred = Lazily(stream);
                var read = {|#0:Buffered(stream)|};
                var flushed = {|#1:ViaLocalIterator(stream)|};
                return deferred;
            }
        }
        """,
        Tw1006(0, "Buffered", "Buffered -> Stream.Read (Test0.cs:20)"),
        Tw1006(1, "ViaLocalIterator", "ViaLocalIterator -> Stream.Flush (Test0.cs:30)"));

    [Fact]
    public Task HelperChains_AreReportedWithTheChain() => VerifyAnalyzer.AnalyzerAsync(new[] { """
        using System;
        using System.Threading.Tasks;

        class Service
        {
            async Task RunAsync(Config config, Task<int> t)
            {
                var settings = {|#0:config.LoadSettings()|};
                {|#1:config.Pause()|};
                var n = {|#2:config.Compute(t)|};
                config.Pure();
                config.Ping();
                Func<Task> lambda = async () => {|#3:config.Pause()|};
                await Task.Yield();
            }
        }
        """, Helpers }, null,
        Tw1006(0, "LoadSettings", "LoadSettings -> ReadConfig -> File.ReadAllText (Test1.cs:8)"),
        Tw1006(1, "Pause", "Pause -> Thread.Sleep (Test1.cs:9)"),
        Tw1006(2, "Compute", "Compute -> Task.Result (Test1.cs:10)"),
        Tw1006(3, "Pause", "Pause -> Thread.Sleep (Test1.cs:9)"));

    [Fact]
    public Task DepthOption_CutsOrFindsTheChain()
        => VerifyAnalyzer.AnalyzerAsync(new[] { """
            using System.Threading.Tasks;

            class Service
            {
                async Task RunAsync(Config config)
                {
                    config.LoadSettings();
                    {|#0:config.Pause()|};
                    config.Deep1();
                    await Task.Yield();
                }
            }
            """, Helpers },
            "threadwise.interprocedural_depth = 1",
            Tw1006(0, "Pause", "Pause -> Thread.Sleep (Test1.cs:9)"));

    [Fact]
    public Task DeeperDepth_FindsLongChains()
        => VerifyAnalyzer.AnalyzerAsync(new[] { """
            using System.Threading.Tasks;

            class Service
            {
                async Task RunAsync(Config config)
                {
                    {|#0:config.Deep1()|};
                    await Task.Yield();
                }
            }
            """, Helpers },
            "threadwise.interprocedural_depth = 4",
            Tw1006(0, "Deep1", "Deep1 -> Deep2 -> Deep3 -> Deep4 -> Thread.Sleep (Test1.cs:15)"));

    [Fact]
    public Task DefaultDepth_IsThree() => VerifyAnalyzer.AnalyzerAsync(new[] { """
        using System.Threading.Tasks;

        class Service
        {
            async Task RunAsync(Config config)
            {
                {|#0:config.LoadSettings()|};
                config.Deep1();
                await Task.Yield();
            }
        }
        """, Helpers }, null,
        Tw1006(0, "LoadSettings", "LoadSettings -> ReadConfig -> File.ReadAllText (Test1.cs:8)"));

    [Fact]
    public Task NotReported_InSyncCode_ForVirtualsTwinsAndExcludedHelpers() => VerifyAnalyzer.AnalyzerWithConfigAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Base
        {
            public virtual void Work() => Thread.Sleep(1);
        }

        interface IWorker { void Work(); }

        class Twin
        {
            public void Load() => Thread.Sleep(1);
            public Task LoadAsync() => Task.Delay(1);
        }

        class Quiet
        {
            public void Hush() => Thread.Sleep(1);
            public void Zero() => Thread.Sleep(0);
            public void Later() { System.Action a = () => Thread.Sleep(1); }
        }

        class Service
        {
            void Sync(Quiet q) => q.Hush();

            async Task RunAsync(Base b, IWorker w, Twin twin, Quiet q)
            {
                b.Work();
                w.Work();
                twin.Load(); // TW1004's finding, not this rule's
                q.Hush();
                q.Zero();
                q.Later();
                await Task.Yield();
            }
        }
        """, "threadwise.excluded_apis = M:Quiet.Hush");

    [Fact]
    public Task SealedOverridesAndLocalFunctions_AreFollowed() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Base { public virtual void Work() { } }

        sealed class Derived : Base
        {
            public override void Work() => Thread.Sleep(5);

            async Task RunAsync()
            {
                {|#0:Work()|};
                {|#1:Local()|};
                await Task.Yield();

                void Local() => Thread.Sleep(5);
            }
        }
        """,
        Tw1006(0, "Work", "Work -> Thread.Sleep (Test0.cs:8)"),
        Tw1006(1, "Local", "Local -> Thread.Sleep (Test0.cs:16)"));

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void Helper() => Missing.Call(;
            void Other() { Thread.Sleep( }
            void Recursive() => Recursive();
            async Task RunAsync()
            {
                Helper();
                Other();
                Recursive();
                Undefined();
                await Task.Yield();
            }

            static void Wait(Task t) => t.Wait();
            void Handed(Task t) { if (t.IsCompleted) Wait(t, ); Wait(Missing); Wait(t.); }
            async Task HandAsync(Task t) { await Task.Yield(); Handed(t); Handed(Task.CompletedTask, 1); Handed(; }

            static void Fill(out System.IO.Stream s) { s = new System.IO.MemoryStream(; s = ; s.Write(new byte[1], 0, 1); }
            static void Half(byte[] b) { System.IO.Stream s; s = Missing(); s += 1; s.Write(b, 0, ); Fill(out s, ); }
            async Task FillAsync(byte[] b) { await Task.Yield(); {|#0:Fill(out var s)|}; Half(b); {|#1:Gate()|}; Other(); }

            private static readonly SemaphoreSlim _gate = new(1, ;
            private static SemaphoreSlim _other = new Missing();
            static void Gate() { _gate.Wait(; _gate.Release(); }
            static void Other() { _other.Wait(); _other = ; }
        }
        """, Tw1006(0, "Fill", "Fill -> Stream.Write (Test0.cs:22)"), Tw1006(1, "Gate", "Gate -> SemaphoreSlim.Wait (Test0.cs:28)"));

    [Fact]
    public Task TheChain_IsGivenAsAdditionalLocations() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                {|#0:Outer()|};
                await Task.Yield();
            }

            void {|#1:Outer|}() => Inner();

            void {|#2:Inner|}() => {|#3:Thread.Sleep(10)|};
        }
        """,
        VerifyAnalyzer.Diagnostic(Descriptors.TW1006BlockingThroughHelper)
            .WithLocation(0).WithLocation(1).WithLocation(2).WithLocation(3)
            .WithArguments("Outer", "Outer -> Inner -> Thread.Sleep (Test0.cs:14)"));
    [Fact]
    public Task HelpersInACatchClause_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            private static TextWriter? s_log;

            async Task M()
            {
                try
                {
                    await Task.Delay(1);
                }
                catch (Exception e)
                {
                    LogError(e);
                }
            }

            static void LogError(Exception e)
            {
                lock (typeof(C)) { s_log?.WriteLine(e.Message); }
                File.AppendAllText("errors.log", e.Message);
            }
        }
        """);

    // FluentFTP's SOCKS proxy: a helper that closes the stream and throws (an error reply), and a call
    // made just before a throw, are clean-up on the way to an exception. A helper that closes and goes
    // on is blocking.
    [Fact]
    public Task CleanupOnTheWayToAnException_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class Connection
        {
            public Task<int> ReadAsync(byte[] buffer, int offset, int count) => Task.FromResult(count);
            public void Close() => System.Threading.Thread.Sleep(1);
            public Task CloseAsync() => Task.CompletedTask;
        }

        class Proxy
        {
            private readonly Connection _stream = new Connection();

            async Task ConnectAsync(byte[] buffer)
            {
                var read = await _stream.ReadAsync(buffer, 0, 4);
                if (read != 4)
                {
                    Log(read);
                    throw new IOException("short reply");
                }

                if (buffer[1] != 0)
                {
                    HandleError(buffer[1]);
                }

                {|#0:Reset()|};
            }

            private void HandleError(byte code)
            {
                _stream.Close();
                throw new IOException("proxy error " + code);
            }

            private void Log(int read) => File.AppendAllText("proxy.log", read.ToString());

            private void Reset()
            {
                _stream.Close();
            }
        }
        """, Tw1006(0, "Reset", "Reset -> Connection.Close (Test0.cs:42)"));

    // `InternalWait(TimeSpan.Zero) || await InternalWaitAsync(timeout)`: the helper is asked to poll
    // (a zero for its timeout parameter), so it does not block; the same helper with a timeout does.
    [Fact]
    public Task HelpersAskedToPoll_DoNotBlock() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        static class Handles
        {
            public static async Task<bool> WaitOneAsync(WaitHandle handle, TimeSpan timeout)
            {
                if (Poll(handle, TimeSpan.Zero) || Poll(handle, millisecondsTimeout: 0))
                {
                    return true;
                }

                await Task.Yield();
                return {|#0:Poll(handle, timeout)|};
            }

            private static bool Poll(WaitHandle handle, TimeSpan timeout) => handle.WaitOne(timeout);

            private static bool Poll(WaitHandle handle, int millisecondsTimeout) => handle.WaitOne(millisecondsTimeout);
        }
        """, Tw1006(0, "Poll", "Poll -> WaitHandle.WaitOne (Test0.cs:18)"));

    // FusionCache's eager refresh: `TryRefresh(key)` hands `AcquireLock` a zero timeout, and only that
    // helper waits: polling two levels down does not block either. Handed a real timeout, it does.
    [Fact]
    public Task HelpersHandedAZeroTimeoutDeeperDown_DoNotBlock() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Locker
        {
            private readonly SemaphoreSlim _gate = new(1, 1);

            public bool TryRefresh() => AcquireLock(TimeSpan.Zero);

            public bool Refresh(TimeSpan wait) => AcquireLock(wait);

            private bool AcquireLock(TimeSpan timeout) => Enter(timeout);

            private bool Enter(TimeSpan timeout) => _gate.Wait(timeout);

            async Task RunAsync(TimeSpan wait)
            {
                await Task.Yield();
                TryRefresh();
                {|#0:Refresh(wait)|};
            }
        }
        """, Tw1006(0, "Refresh", "Refresh -> AcquireLock -> Enter -> SemaphoreSlim.Wait (Test0.cs:15)"));

    // FASTER's log: `Commit(bool spinWait = false)` waits only after `if (!spinWait) return;`, and the
    // enqueue path calls `Commit()`. The constant (written, defaulted, or a known flag handed on) keeps the
    // helper off its wait; `Commit(true)`, a variable, or a flag the helper reassigns do not.
    [Fact]
    public Task HelpersWhoseConstantFlagsSkipTheWait_DoNotBlock() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Log
        {
            private long _committed;

            public void Commit(bool spinWait = false)
            {
                Interlocked.Increment(ref _committed);
                if (!spinWait) return;
                WaitForCommit();
            }

            public void Flush(bool wait)
            {
                if (wait)
                {
                    WaitForCommit();
                }
                else
                {
                    Interlocked.Increment(ref _committed);
                }
            }

            public void Forward(bool wait) => Flush(wait);

            public void Stubborn(bool wait)
            {
                wait = true;
                if (wait) WaitForCommit();
            }

            public void WaitForCommit() => Thread.Sleep(10);

            private bool TryEnqueue(byte[] entry)
            {
                Commit();
                return entry.Length > 0;
            }

            async Task EnqueueAsync(byte[] entry, bool wait)
            {
                await Task.Yield();
                TryEnqueue(entry);
                Commit(spinWait: false);
                Flush(false);
                Forward(false);
                {|#0:Commit(true)|};
                {|#1:Flush(wait)|};
                {|#2:Stubborn(false)|};
            }
        }
        """,
        Tw1006(0, "Commit", "Commit -> WaitForCommit -> Thread.Sleep (Test0.cs:35)"),
        Tw1006(1, "Flush", "Flush -> WaitForCommit -> Thread.Sleep (Test0.cs:35)"),
        Tw1006(2, "Stubborn", "Stubborn -> WaitForCommit -> Thread.Sleep (Test0.cs:35)"));

    // Orleans' placement service: `if (workItem.Result.IsCompleted) AddressWaitingMessages(workItem);` where the
    // helper reads `var resultTask = completedWorkItem.Result;` and blocks on it. An object whose one task member is
    // known complete at the call makes the helper's wait on that member no wait. The same helper handed an item that
    // may be running, or an object with two task members, still blocks.
    [Fact]
    public Task HelpersHandedAnObjectWhoseTaskIsFinished_DoNotBlock() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        internal sealed class WorkItem
        {
            public Task<string> Result = Task.FromResult("");
            public List<string> Messages = new();
        }

        internal sealed class TwoTasks
        {
            public Task<string> First = Task.FromResult("");
            public Task<string> Second = Task.FromResult("");
        }

        internal sealed class Placement
        {
            private readonly Dictionary<int, WorkItem> _inProgress = new();

            public async Task ProcessAsync(TwoTasks pair)
            {
                await Task.Yield();
                foreach (var workItem in _inProgress.Values)
                {
                    if (workItem.Result.IsCompleted)
                    {
                        AddressWaitingMessages(workItem);
                        Peek(workItem);
                    }

                    {|#0:Running(workItem)|};
                }

                if (pair.First.IsCompleted)
                {
                    {|#1:Either(pair)|};
                }
            }

            private void AddressWaitingMessages(WorkItem completedWorkItem)
            {
                var resultTask = completedWorkItem.Result;
                var address = resultTask.GetAwaiter().GetResult();
                completedWorkItem.Messages.Add(address);
            }

            private void Peek(WorkItem item) => item.Messages.Add(item.Result.Result);

            private void Running(WorkItem item) => item.Messages.Add(item.Result.Result);

            private void Either(TwoTasks pair) => pair.Messages().Add(pair.First.Result);
        }

        internal static class PairExtensions
        {
            public static List<string> Messages(this TwoTasks pair) => new();
        }
        """,
        Tw1006(0, "Running", "Running -> Task.Result (Test0.cs:49)"),
        Tw1006(1, "Either", "Either -> Task.Result (Test0.cs:51)"));

    // Garnet's TLS reader: `if (result.IsCompletedSuccessfully) n += BlockingWait(result);` where the
    // helper is `t.GetAwaiter().GetResult()`. A helper that blocks on the task it is handed does not
    // block when the caller hands it a finished one, also through a helper that passes its own
    // parameter on; handed a task that may be running, or one it replaces, it still blocks.
    [Fact]
    public Task HelpersHandedAFinishedTask_DoNotBlock() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading.Tasks;

        static class Blocking
        {
            public static T Wait<T>(ValueTask<T> t) => t.GetAwaiter().GetResult();

            public static void Wait(Task t) => t.Wait();

            public static T Forward<T>(ValueTask<T> t) => Wait(t);

            public static void Replace(Task t)
            {
                t = Task.Delay(10);
                t.Wait();
            }
        }

        class Reader
        {
            private readonly Stream _stream = Stream.Null;
            private int _read;

            private void Read(byte[] buffer)
            {
                var result = _stream.ReadAsync(buffer);
                if (result.IsCompletedSuccessfully)
                {
                    _read += Blocking.Wait(result);
                    _read += Blocking.Forward(result);
                }
            }

            private void Done() => Blocking.Wait(Task.CompletedTask);

            private void Pending(Task t) => Blocking.Wait(t);

            private void Replaced() => Blocking.Replace(Task.CompletedTask);

            public async Task OnReceiveAsync(byte[] buffer, Task other)
            {
                await Task.Yield();
                Read(buffer);
                Done();
                {|#0:Pending(other)|};
                {|#1:Replaced()|};
            }
        }
        """,
        Tw1006(0, "Pending", "Pending -> Wait -> Task.Wait (Test0.cs:8)"),
        Tw1006(1, "Replaced", "Replaced -> Replace -> Task.Wait (Test0.cs:15)"));

    // PuppeteerSharp's connection: `GetSession(id) => _sessions.GetValueOrDefault(id)` beside a
    // GetSessionAsync that waits for the session to appear. A method of the compilation with an async twin
    // is looked into: a lookup blocks on nothing. One whose body blocks (here through a helper), or calls
    // what the summary cannot look into (an interface method, SSH.NET's `_session.RequestWrite`), is
    // still the blocking call, named as before.
    [Fact]
    public Task HelpersCallingATwinWhoseBodyBlocksOnNothing_DoNotBlock() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class Connection
        {
            private readonly Dictionary<string, object> _sessions = new();

            internal object GetSession(string id) => _sessions.GetValueOrDefault(id);

            internal Task<object> GetSessionAsync(string id) => Task.FromResult(_sessions.GetValueOrDefault(id));

            internal object Fetch(string id) => Load(id);

            internal Task<object> FetchAsync(string id) => Task.FromResult<object>(id);

            private object Load(string id)
            {
                Thread.Sleep(10);
                return id;
            }

            internal void Send(ISession session) => session.Write();

            internal Task SendAsync(ISession session) => Task.CompletedTask;

            private void OnMessage(string id) => GetSession(id);

            private void OnReply(string id) => Fetch(id);

            private void OnFlush(ISession session) => Send(session);

            async Task ProcessAsync(string id, ISession session)
            {
                await Task.Yield();
                OnMessage(id);
                {|#0:OnReply(id)|};
                {|#1:OnFlush(session)|};
            }
        }

        interface ISession
        {
            void Write();
        }
        """,
        Tw1006(0, "OnReply", "OnReply -> Connection.Fetch (Test0.cs:29)"),
        Tw1006(1, "OnFlush", "OnFlush -> Connection.Send (Test0.cs:31)"));

    // The OpenAPI generator's client (found dogfooding the InfluxDB client): `Deserialize(response,
    // typeof(Model))` writes a file only under `if (type == typeof(Stream))`. A closed `typeof` (or the
    // caller's own known type, handed on) decides the branch; `typeof(Stream)`, `typeof(T)` and a Type
    // variable do not keep the helper off its write.
    [Fact]
    public Task HelpersHandedATypeTheirFileBranchDoesNotTest_DoNotBlock() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading.Tasks;

        class Model { }

        class ApiClient
        {
            public object Deserialize(byte[] body, Type type)
            {
                if (type == typeof(byte[]))
                {
                    return body;
                }

                if (type == typeof(Stream))
                {
                    File.WriteAllBytes("download.bin", body);
                    return new MemoryStream(body);
                }

                return new Model();
            }

            public object Convert(byte[] body, Type type) => Deserialize(body, type);

            public object Other(byte[] body, Type type) => type != typeof(Model) ? Deserialize(body, typeof(Stream)) : body;

            async Task<T> GetAsync<T>(byte[] body, Type runtime)
            {
                await Task.Yield();
                Deserialize(body, typeof(Model));
                Deserialize(body, typeof(byte[]));
                Convert(body, typeof(Model));
                {|#0:Deserialize(body, typeof(Stream))|};
                {|#1:Deserialize(body, typeof(T))|};
                {|#2:Deserialize(body, runtime)|};
                {|#3:Convert(body, typeof(Stream))|};
                return default;
            }
        }
        """,
        Tw1006(0, "Deserialize", "Deserialize -> File.WriteAllBytes (Test0.cs:18)"),
        Tw1006(1, "Deserialize", "Deserialize -> File.WriteAllBytes (Test0.cs:18)"),
        Tw1006(2, "Deserialize", "Deserialize -> File.WriteAllBytes (Test0.cs:18)"),
        Tw1006(3, "Convert", "Convert -> Deserialize -> File.WriteAllBytes (Test0.cs:18)"));

    // MedallionShell's pipe: `switch (_signal.CurrentCount) { case 1: _signal.Wait(); }` takes a slot known
    // to be free (under the pipe's lock), so the helper does not block. An unguarded Wait, a guard on
    // another semaphore, or `CurrentCount >= 0` does.
    [Fact]
    public Task SemaphoreWaitsGuardedByAFreeSlot_DoNotBlock() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Pipe
        {
            private readonly SemaphoreSlim _signal = new(0, 1);
            private readonly SemaphoreSlim _other = new(0, 1);
            private int _count;

            private void UpdateSignals()
            {
                switch (_signal.CurrentCount)
                {
                    case 0:
                        if (_count > 0) _signal.Release();
                        break;
                    case 1:
                        if (_count == 0) _signal.Wait();
                        break;
                }
            }

            private void Reset()
            {
                if (_signal.CurrentCount > 0 && _count == 0)
                {
                    _signal.Wait();
                }

                if (1 == _signal.CurrentCount) _signal.Wait();
            }

            private void WrongSemaphore()
            {
                if (_other.CurrentCount > 0) _signal.Wait();
            }

            private void AnyCount()
            {
                if (_signal.CurrentCount >= 0) _signal.Wait();
            }

            async Task WriteAsync()
            {
                await Task.Yield();
                UpdateSignals();
                Reset();
                {|#0:WrongSemaphore()|};
                {|#1:AnyCount()|};
            }
        }
        """,
        Tw1006(0, "WrongSemaphore", "WrongSemaphore -> SemaphoreSlim.Wait (Test0.cs:35)"),
        Tw1006(1, "AnyCount", "AnyCount -> SemaphoreSlim.Wait (Test0.cs:40)"));

    // Raygun's environment snapshot: a private `SemaphoreSlim(1, 1)` whose every acquisition opens a region
    // released in `finally` that awaits nothing (`Semaphore.Wait(); try { … } finally { Release(); }`) is a
    // lock: no holder waits at an await, so waiting for it costs what a `lock` costs (not reported in async
    // code either). So is HiveMQ's get-only property also taken by `await WaitAsync()` (or, as Lavalink4NET
    // does, `WaitAsync(token)`) around synchronous work in a method that awaits before it. A timed
    // `WaitAsync(100)` may return without the slot. A region that awaits, a release outside `finally`, more than
    // one slot, or the semaphore handed to other code, and its Wait blocks like any other.
    [Fact]
    public Task HelpersTakingASemaphoreUsedAsALock_DoNotBlock() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        static class Environment
        {
            private static readonly SemaphoreSlim Semaphore = new(1, 1);
            private static DateTime _last;

            public static DateTime Build()
            {
                Semaphore.Wait();
                try { _last = DateTime.UtcNow; }
                finally { Semaphore.Release(); }
                return _last;
            }
        }

        class Client
        {
            private SemaphoreSlim SubscriptionsSemaphore { get; } = new(1, 1);
            private int _count;

            internal int Count()
            {
                try
                {
                    this.SubscriptionsSemaphore.Wait();
                    return _count;
                }
                finally { this.SubscriptionsSemaphore.Release(); }
            }

            internal async Task SubscribeAsync()
            {
                await Task.Delay(1);
                try
                {
                    await this.SubscriptionsSemaphore.WaitAsync().ConfigureAwait(false);
                    _count++;
                }
                finally { _ = this.SubscriptionsSemaphore.Release(); }
            }

            internal async Task UnsubscribeAsync(CancellationToken token)
            {
                await this.SubscriptionsSemaphore.WaitAsync(token).ConfigureAwait(false);
                try { _count--; }
                finally { this.SubscriptionsSemaphore.Release(); }
            }
        }

        class Timed
        {
            private readonly SemaphoreSlim _gate = new(1, 1);

            public void Get() { _gate.Wait(); try { } finally { _gate.Release(); } }
            public async Task TryAsync() { await _gate.WaitAsync(100); try { } finally { _gate.Release(); } }
        }

        class Mixed
        {
            private readonly SemaphoreSlim _gate = new(1);
            private readonly SemaphoreSlim _pool = new(2, 2);
            private readonly SemaphoreSlim _loose = new(1, 1);
            private readonly SemaphoreSlim _shared = new(1, 1);

            public void Sync() { _gate.Wait(); try { } finally { _gate.Release(); } }
            public async Task Async() { await _gate.WaitAsync(); try { await Task.Delay(1); } finally { _gate.Release(); } }

            public void Pooled() { _pool.Wait(); try { } finally { _pool.Release(); } }

            public void Loose() { this._loose.Wait(); this._loose.Release(); }

            public void Shared() { _shared.Wait(); try { } finally { _shared.Release(); } }
            public void Hand() => Keep(_shared);
            private static void Keep(SemaphoreSlim s) { }

            async Task SendAsync()
            {
                await Task.Yield();
                Environment.Build();
                new Client().Count();
                {|#4:new Timed().Get()|};
                {|#0:Sync()|};
                {|#1:Pooled()|};
                {|#2:Loose()|};
                {|#3:Shared()|};
            }
        }
        """,
        Tw1006(0, "Sync", "Sync -> SemaphoreSlim.Wait (Test0.cs:68)"),
        Tw1006(1, "Pooled", "Pooled -> SemaphoreSlim.Wait (Test0.cs:71)"),
        Tw1006(2, "Loose", "Loose -> SemaphoreSlim.Wait (Test0.cs:73)"),
        Tw1006(3, "Shared", "Shared -> SemaphoreSlim.Wait (Test0.cs:75)"),
        Tw1006(4, "Get", "Get -> SemaphoreSlim.Wait (Test0.cs:57)"));

    // TickerQ's request decompression: a StreamReader over a GZipStream over a MemoryStream, each in a
    // `using var` local, reads memory. The same chain over a file stream reads the disk.
    [Fact]
    public Task HelpersReadingThroughWrappersOverMemory_DoNotBlock() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.IO.Compression;
        using System.Threading.Tasks;

        static class TickerHelper
        {
            public static string Decompress(byte[] compressed)
            {
                using var memoryStream = new MemoryStream(compressed);
                using var gzipStream = new GZipStream(memoryStream, CompressionMode.Decompress);
                using var streamReader = new StreamReader(gzipStream);
                var text = streamReader.ReadToEnd();
                return text;
            }

            public static string DecompressFile(string path)
            {
                using var fileStream = File.OpenRead(path);
                using var gzipStream = new GZipStream(fileStream, CompressionMode.Decompress);
                using var streamReader = new StreamReader(gzipStream);
                return streamReader.ReadToEnd();
            }

            static async Task RunAsync(byte[] compressed, string path)
            {
                await Task.Yield();
                Decompress(compressed);
                {|#0:DecompressFile(path)|};
            }
        }
        """, Tw1006(0, "DecompressFile", "DecompressFile -> StreamReader.ReadToEnd (Test0.cs:21)"));

    // WatsonTcp's `BytesToStream(data, start, out len, out Stream stream)`: every value the `out` stream
    // (or a local declared without one) is given is a MemoryStream, so writing it writes memory. One
    // assignment of something else, or the variable handed on by `out`, and it is not known.
    [Fact]
    public Task HelpersWritingOutStreamsAssignedMemory_DoNotBlock() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading.Tasks;

        static class Common
        {
            internal static void BytesToStream(byte[] data, int start, out int length, out Stream stream)
            {
                length = 0;
                stream = new MemoryStream(new byte[0]);
                if (data != null && data.Length > 0)
                {
                    length = data.Length - start;
                    stream = new MemoryStream();
                    stream.Write(data, start, length);
                    stream.Seek(0, SeekOrigin.Begin);
                }
            }

            internal static Stream Buffer(byte[] data)
            {
                Stream copy;
                copy = new MemoryStream();
                copy.Write(data, 0, data.Length);
                return copy;
            }

            internal static void ToFileOrMemory(byte[] data, string path, out Stream stream)
            {
                stream = new MemoryStream();
                if (path != null) stream = File.OpenWrite(path);
                stream.Write(data, 0, data.Length);
            }

            internal static void Opened(byte[] data, string path, out Stream stream)
            {
                Open(path, out stream);
                stream.Write(data, 0, data.Length);
            }

            static void Open(string path, out Stream stream) => stream = new MemoryStream();

            static async Task SendAsync(byte[] data, string path)
            {
                await Task.Yield();
                BytesToStream(data, 0, out _, out var stream);
                Buffer(data);
                {|#0:ToFileOrMemory(data, path, out stream)|};
                {|#1:Opened(data, path, out stream)|};
            }
        }
        """,
        Tw1006(0, "ToFileOrMemory", "ToFileOrMemory -> Stream.Write (Test0.cs:31)"),
        Tw1006(1, "Opened", "Opened -> Stream.Write (Test0.cs:37)"));

    // Newtonsoft.Json's `JObject.Parse(string)` (vendored by Exceptionless): `Load(reader)` whose reader is
    // built over a StringReader reads memory. Over a StreamReader of a file it reads the disk.
    [Fact]
    public Task HelpersLoadingFromAReaderOverMemory_DoNotBlock() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading.Tasks;

        class JsonReader : IDisposable
        {
            public JsonReader(TextReader reader) { }
            public virtual bool Read() => false;
            public Task<bool> ReadAsync() => Task.FromResult(false);
            public void Dispose() { }
        }

        class JObject
        {
            public static JObject Load(JsonReader reader, object settings)
            {
                reader.Read();
                return new JObject();
            }

            public static Task<JObject> LoadAsync(JsonReader reader, object settings) => Task.FromResult(new JObject());

            public static JObject Parse(string json)
            {
                using (JsonReader reader = new JsonReader(new StringReader(json)))
                {
                    var o = Load(reader, null);
                    while (reader.Read())
                    {
                    }

                    return o;
                }
            }

            public static JObject ParseFile(string path)
            {
                using (var reader = new JsonReader(new StreamReader(path)))
                {
                    return Load(reader, null);
                }
            }
        }

        class Client
        {
            async Task RunAsync(string text, string path)
            {
                await Task.Yield();
                JObject.Parse(text);
                {|#0:JObject.ParseFile(path)|};
            }
        }
        """, Tw1006(0, "ParseFile", "ParseFile -> JObject.Load (Test0.cs:40)"));

    // A retrier that sleeps in its catch clause between attempts (Rebus's `Retrier.Execute`, Sentry's
    // cache mover) blocks its async callers for the whole delay whenever an attempt fails: reported,
    // although it sits in a catch. The fix is an async retrier with `await Task.Delay`.
    [Fact]
    public Task RetriersThatSleepInTheirCatchClause_AreReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class Storage
        {
            private static void Execute(Action action)
            {
                while (true)
                {
                    try
                    {
                        action();
                        return;
                    }
                    catch (IOException)
                    {
                        Thread.Sleep(1000);
                    }
                }
            }

            async Task SaveAsync(string path)
            {
                await Task.Yield();
                {|#0:Execute(() => File.Delete(path))|};
            }
        }
        """, Tw1006(0, "Execute", "Execute -> Thread.Sleep (Test0.cs:19)"));

    // NATS's credentials parser takes a TextReader: handed a StringReader over text already in memory
    // it reads no I/O, directly or through another helper; handed a StreamReader over a file it does.
    // xunit's unique-ID generator: strings written into a private `Stream` field set to a MemoryStream
    // by the constructor, hashed with `ComputeHash(stream)`. Hashing memory is work, not a wait.
    [Fact]
    public Task HashingAPrivateInMemoryStreamField_DoesNotBlock() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Security.Cryptography;
        using System.Text;
        using System.Threading.Tasks;

        sealed class UniqueId : IDisposable
        {
            readonly HashAlgorithm hasher;
            readonly Stream stream;
            readonly object streamLock = new();

            public UniqueId()
            {
                hasher = SHA256.Create();
                stream = new MemoryStream();
            }

            public void Add(string value)
            {
                lock (streamLock)
                {
                    var bytes = Encoding.UTF8.GetBytes(value);
                    stream.Write(bytes, 0, bytes.Length);
                }
            }

            public string Compute()
            {
                lock (streamLock)
                {
                    stream.Seek(0, SeekOrigin.Begin);
                    var hash = hasher.ComputeHash(stream);
                    return Convert.ToBase64String(hash);
                }
            }

            public void Dispose() => stream.Dispose();

            public static string ForCase(string name)
            {
                using var generator = new UniqueId();
                generator.Add(name);
                return generator.Compute();
            }
        }

        static class FileHash
        {
            public static byte[] Of(string path)
            {
                using var file = File.OpenRead(path);
                using var hasher = SHA256.Create();
                return hasher.ComputeHash(file);
            }
        }

        class Discoverer
        {
            public async Task<string> DiscoverAsync(string name)
            {
                await Task.Yield();
                return UniqueId.ForCase(name) + {|#0:FileHash.Of(name)|}.Length;
            }
        }
        """, Tw1006(0, "Of", "Of -> HashAlgorithm.ComputeHash (Test0.cs:54)"));

    [Fact]
    public Task HelpersHandedAnInMemoryReader_DoNotBlock() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class Credentials
        {
            private static string Parse(TextReader reader) => reader.ReadLine() ?? "";

            private static string ParseTwice(TextReader reader) => Parse(reader) + Parse(reader);

            // Sentry's envelope item: a JSON writer created over the stream it is handed.
            private static void Write(Stream stream)
            {
                using var writer = new System.Text.Json.Utf8JsonWriter(stream);
                writer.WriteNullValue();
                writer.Flush();
            }

            private static string FromText(string text)
            {
                using var reader = new StringReader(text);
                return Parse(reader);
            }

            private static string FromFile(string path)
            {
                using var reader = new StreamReader(path);
                return Parse(reader);
            }

            async Task<string> LoadAsync(string text, string path, Stream network)
            {
                await Task.Yield();
                var a = FromText(text);
                var b = Parse(new StringReader(text));
                var c = ParseTwice(new StringReader(text));
                var d = {|#0:FromFile(path)|};
                var e = {|#1:ParseTwice(new StreamReader(network))|};
                Write(new MemoryStream());
                {|#2:Write(network)|};
                return a + b + c + d + e;
            }
        }
        """,
        Tw1006(0, "FromFile", "FromFile -> Parse -> TextReader.ReadLine (Test0.cs:6)"),
        Tw1006(1, "ParseTwice", "ParseTwice -> Parse -> TextReader.ReadLine (Test0.cs:6)"),
        Tw1006(2, "Write", "Write -> Utf8JsonWriter.Flush (Test0.cs:15)"));

    // `byte[] Serialize<T>(T value)` beside `ValueTask<byte[]> SerializeAsync<T>(T value)` (FusionCache's
    // serializer interface): converting in memory is CPU work, so a helper that serializes does not
    // block. A serializer handed a stream does I/O and keeps its twin.
    [Fact]
    public Task HelpersThatSerializeInMemory_DoNotBlock() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        public interface ISerializer
        {
            byte[] Serialize<T>(T value);
            ValueTask<byte[]> SerializeAsync<T>(T value, CancellationToken token = default);
            T Deserialize<T>(byte[] data);
            ValueTask<T> DeserializeAsync<T>(byte[] data, CancellationToken token = default);
            void Serialize<T>(Stream destination, T value);
            Task SerializeAsync<T>(Stream destination, T value, CancellationToken token = default);
        }

        class Cache
        {
            private readonly ISerializer _serializer;
            public Cache(ISerializer serializer) => _serializer = serializer;

            private byte[] Clone<T>(T value) => _serializer.Serialize(value);
            private T Read<T>(byte[] data) => _serializer.Deserialize<T>(data);
            private void Save<T>(Stream file, T value) => _serializer.Serialize(file, value);

            async Task SetAsync<T>(T value, Stream file)
            {
                await Task.Yield();
                var copy = Read<T>(Clone(value));
                {|#0:Save(file, copy)|};
            }
        }
        """, Tw1006(0, "Save", "Save -> ISerializer.Serialize (Test0.cs:22)"));

    // A helper whose only blocking-looking call is told to fire and forget does not block.
    [Fact]
    public Task HelpersThatFireAndForget_DoNotBlock() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        [Flags] public enum CommandFlags { None = 0, FireAndForget = 2 }

        public interface IServer
        {
            string Execute(string command, CommandFlags flags = CommandFlags.None);
            Task<string> ExecuteAsync(string command, CommandFlags flags = CommandFlags.None);
        }

        class Multiplexer
        {
            private readonly IServer _server;

            public Multiplexer(IServer server) => _server = server;

            public void AddSuffix(string suffix) => _server.Execute("CLIENT " + suffix, CommandFlags.FireAndForget);

            public string Role() => _server.Execute("ROLE");

            public async Task ConnectAsync()
            {
                AddSuffix("x");
                var role = {|#0:Role()|};
                await Task.Yield();
            }
        }
        """, Tw1006(0, "Role", "Role -> IServer.Execute (Test0.cs:20)"));

    // FreeRedis serializes a command with its own writer over a MemoryStream, then copies the bytes to
    // the socket asynchronously: the writer's Stream.Write goes to memory.
    [Fact]
    public Task HelpersOfAnObjectBuiltOverAnInMemoryStream_DoNotBlock() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Net.Sockets;
        using System.Text;
        using System.Threading.Tasks;

        class CommandWriter
        {
            private readonly Stream _stream;
            private readonly Encoding _encoding;
            public CommandWriter(Stream stream, Encoding encoding) { _stream = stream; _encoding = encoding; }
            public void Write(string command) => WriteBytes(_encoding.GetBytes(command));
            private void WriteBytes(byte[] bytes) => _stream.Write(bytes, 0, bytes.Length);
        }

        class Connection
        {
            private readonly NetworkStream _network;
            public Connection(NetworkStream network) => _network = network;

            async Task SendAsync(string command, Stream other)
            {
                using (var ms = new MemoryStream())
                {
                    new CommandWriter(ms, Encoding.UTF8).Write(command);
                    var writer = new CommandWriter(new MemoryStream(), Encoding.UTF8);
                    writer.Write(command);
                    ms.Position = 0;
                    await ms.CopyToAsync(_network);
                }

                {|#0:new CommandWriter(_network, Encoding.UTF8).Write(command)|};
                {|#1:new CommandWriter(other, Encoding.UTF8).Write(command)|};
            }
        }
        """, Tw1006(0, "Write", "Write -> WriteBytes -> Stream.Write (Test0.cs:12)"), Tw1006(1, "Write", "Write -> WriteBytes -> Stream.Write (Test0.cs:12)"));

    // NBitcoin parses a PSBT from a byte array with `new BitcoinStream(rawBytes)`, whose constructor chains to
    // `this(new MemoryStream(bytes), false)`, and reads `stream.Inner`: an object built over memory by its own
    // constructor reads memory, through its helpers or the stream it hands out, in the async caller and in a
    // helper alike. A constructor that opens a file from a path, one that also opens a log of its own, and
    // the stream constructor handed a network stream are reported.
    [Fact]
    public Task ObjectsWhoseConstructorBuildsThemOverMemory_DoNotBlock() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Net.Sockets;
        using System.Threading.Tasks;

        class PacketReader
        {
            private readonly Stream _inner;
            private readonly Stream? _log;

            public PacketReader(byte[] bytes) : this(new MemoryStream(bytes), false) { }
            public PacketReader(string path) : this(File.OpenRead(path), false) { }
            public PacketReader(byte[] bytes, string log) : this(new MemoryStream(bytes), false) { _log = File.OpenWrite(log); }
            public PacketReader(Stream inner, bool serializing) { _inner = inner; }

            public Stream Inner => _inner;

            public int ReadInt()
            {
                var buffer = new byte[4];
                _inner.Read(buffer, 0, 4);
                return buffer[0];
            }
        }

        static class Packets
        {
            public static int Magic(byte[] raw)
            {
                var reader = new PacketReader(raw);
                var buffer = new byte[4];
                reader.Inner.Read(buffer, 0, 4);
                return buffer[0];
            }

            public static int Version(byte[] raw) => new PacketReader(raw).ReadInt();

            public static int FromFile(string path) => new PacketReader(path).ReadInt();

            public static int Logged(byte[] raw, string log) => new PacketReader(raw, log).ReadInt();

            public static int FromNetwork(NetworkStream network) => new PacketReader(network, false).ReadInt();
        }

        class Client
        {
            async Task<int> ReceiveAsync(byte[] raw, string path, NetworkStream network)
            {
                var magic = Packets.Magic(raw) + Packets.Version(raw) + new PacketReader(raw).ReadInt();
                var fromFile = {|#0:Packets.FromFile(path)|};
                var logged = {|#1:Packets.Logged(raw, path)|};
                var fromNetwork = {|#2:Packets.FromNetwork(network)|};
                await Task.Yield();
                return magic + fromFile + logged + fromNetwork;
            }
        }
        """,
        Tw1006(0, "FromFile", "FromFile -> ReadInt -> Stream.Read (Test0.cs:20)"),
        Tw1006(1, "Logged", "Logged -> ReadInt -> Stream.Read (Test0.cs:20)"),
        Tw1006(2, "FromNetwork", "FromNetwork -> ReadInt -> Stream.Read (Test0.cs:20)"));

    // Constructors that chain through each other's streams (`: this(new Right(b).Inner)` and back) never end
    // in a known memory stream: the walk stops, and the read is reported.
    [Fact]
    public Task ConstructorsChainingThroughEachOther_AreNotFollowedForever() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class Left
        {
            private readonly Stream _inner;
            public Left(byte[] bytes) : this(new Right(bytes).Inner) { }
            public Left(Stream inner) { _inner = inner; }
            public Stream Inner => _inner;
            public int Read() => _inner.Read(new byte[1], 0, 1);
        }

        class Right
        {
            private readonly Stream _inner;
            public Right(byte[] bytes) : this(new Left(bytes).Inner) { }
            public Right(Stream inner) { _inner = inner; }
            public Stream Inner => _inner;
        }

        class Client
        {
            async Task<int> ReceiveAsync(byte[] raw)
            {
                await Task.Yield();
                return {|#0:new Left(raw).Read()|};
            }
        }
        """, Tw1006(0, "Read", "Read -> Stream.Read (Test0.cs:10)"));

    // Iterators whose bodies or return types are half-typed.
    [Fact]
    public Task BrokenIterators_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Collections.Generic;
        using System.IO;
        using System.Threading.Tasks;

        class Mapper
        {
            static IEnumerable<int> Rows(Stream stream)
            {
                while (stream.Read(new byte[4], 0, 4) > 0)
                    yield return ;
            }

            static IEnumerable<Missing> Broken(Stream stream) { yield break }

            static IEnumerable<int> Half(Stream stream) => yield return 1;

            async Task MapAsync(Stream stream)
            {
                await stream.FlushAsync();
                var rows = Rows(stream);
                var broken = Broken(stream);
                var half = Half(stream;
            }
        }
        """);

    // The constructor-chain question, asked where the chain or the chained constructor is half-typed.
    [Fact]
    public Task BrokenConstructorChains_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class Reader
        {
            private readonly Stream _inner;
            public Reader(byte[] bytes) : this(new MemoryStream(bytes, ), false) { }
            public Reader(string path) : this(Missing(path) { }
            public Reader(int size) : this( { }
            public Reader(Stream inner, bool serializing) { _inner = inner; _log = File.OpenWrite(; }
            public Stream Inner => _inner;
            public int Read() => _inner.Read(new byte[1], 0, 1);
        }

        class Client
        {
            async Task<int> ReceiveAsync(byte[] raw)
            {
                await Task.Yield();
                return {|#0:new Reader(raw).Read()|} + {|#1:new Reader("x").Read()|} + new Reader(4).Inner.Read(new byte[1], 0, 1) + new Missing(raw).Read();
            }
        }
        """, Tw1006(0, "Read", "Read -> Stream.Read (Test0.cs:12)"), Tw1006(1, "Read", "Read -> Stream.Read (Test0.cs:12)"));

    // Npgsql's `throw connector.Break(e);`: a helper that builds the exception to throw (closing the
    // connection on the way) runs on the error path.
    [Fact]
    public Task HelpersWhoseResultIsThrown_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Connector
        {
            public Exception Break(Exception reason)
            {
                Thread.Sleep(10);
                return reason;
            }

            public void Pause() => Thread.Sleep(10);

            async Task ReadAsync(int code)
            {
                await Task.Yield();
                if (code < 0)
                    throw Break(new InvalidOperationException("bad code"));
                {|#0:Pause()|};
            }
        }
        """, Tw1006(0, "Pause", "Pause -> Thread.Sleep (Test0.cs:13)"));
}
