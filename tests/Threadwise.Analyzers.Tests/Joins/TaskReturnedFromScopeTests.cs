using Microsoft.CodeAnalysis.Testing;
using Threadwise.Tests.Infrastructure;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.Joins.TaskReturnedFromScopeAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.Joins.TaskReturnedFromScopeAnalyzer, Threadwise.Joins.TaskReturnedFromScopeFixProvider>;

namespace Threadwise.Tests.Joins;

public class TaskReturnedFromScopeTests
{
    private static DiagnosticResult Tw4007(int markup, string what, string consequence, string method)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW4007TaskReturnedFromScope).WithLocation(markup).WithArguments(what, consequence, method);

    private const string Types = """

        sealed class Client : System.IDisposable
        {
            public System.Threading.Tasks.Task<int> SendAsync() => System.Threading.Tasks.Task.FromResult(1);
            public System.Threading.Tasks.Task FlushAsync() => System.Threading.Tasks.Task.CompletedTask;
            public bool IsClosed { get; private set; }
            public void Dispose() { IsClosed = true; }
        }
        """;

    public static TheoryData<string> Frameworks => new() { "net8", "net10" };

    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task TasksReturnedFromScopesThatEndTooEarly_AreFlagged(string framework) => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly object _gate = new();
            private readonly SemaphoreSlim _throttle = new(1, 1);

            Task<int> Using()
            {
                using (var client = new Client())
                {
                    return {|#0:client.SendAsync()|};
                }
            }

            Task UsingDeclaration()
            {
                using var client = new Client();
                return {|#1:client.FlushAsync()|};
            }

            Task<int> Finally(Client client)
            {
                _throttle.Wait();
                try
                {
                    return {|#2:client.SendAsync()|};
                }
                finally
                {
                    _throttle.Release();
                }
            }

        }
        """ + Types, framework == "net10" ? References.Net100 : References.Net80,
        Tw4007(0, "using block", "the resource is disposed", "Using"),
        Tw4007(1, "using declaration", "the resource is disposed", "UsingDeclaration"),
        Tw4007(2, "try/finally", "the finally block runs", "Finally"));

    [Fact]
    public Task AwaitedCompletedUnrelatedOrOutsideTheScope_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class C
        {
            private Task<int> _cached = Task.FromResult(0);

            async Task<int> Awaited()
            {
                using var client = new Client();
                return await client.SendAsync();
            }

            Task<int> Completed()
            {
                using var client = new Client();
                client.Dispose();
                return Task.FromResult(1);
            }

            Task<int> Unrelated(Client other)
            {
                using (var client = new Client())
                {
                    return other.SendAsync();
                }
            }

            Task<int> Field()
            {
                lock (this) { return _cached; }
            }

            Task<int> AfterTheScope()
            {
                using (var client = new Client()) { }
                return new Client().SendAsync();
            }

            Task<int> EmptyFinally(Client client)
            {
                try { return client.SendAsync(); }
                finally { }
            }

            // A lock guards the start (an await could not sit inside it): the correct form.
            Task<int> Locked(Client client)
            {
                lock (this) { return client.SendAsync(); }
            }

            Task<int> MonitorRegion(Client client)
            {
                System.Threading.Monitor.Enter(this);
                try { return client.SendAsync(); }
                finally { System.Threading.Monitor.Exit(this); }
            }

            Func<Task<int>> Lambda() => () =>
            {
                using var client = new Client();
                return client.SendAsync();
            };
        }
        """ + Types);

    // MySqlConnector's compressed payload reader: `using var handler = new CompressedByteHandler(this);
    // return ReadPayloadAsync(reader, handler);` where the sealed handler's Dispose is empty.
    [Fact]
    public Task ResourcesWhoseDisposeIsEmpty_AreNotFlagged_OtherDisposesAre() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        sealed class Handler : IDisposable
        {
            public Task<int> ReadAsync() => Task.FromResult(1);
            public void Dispose()
            {
                // nothing to release: the handler borrows its owner's buffers
            }
        }

        struct Lease : IDisposable
        {
            public Task<int> ReadAsync() => Task.FromResult(1);
            void IDisposable.Dispose() { }
        }

        class OpenHandler : IDisposable
        {
            public Task<int> ReadAsync() => Task.FromResult(1);
            public virtual void Dispose() { }
        }

        sealed class Closing : IDisposable
        {
            private bool _closed;
            public Task<int> ReadAsync() => Task.FromResult(1);
            public void Dispose() { _closed = true; }
        }

        sealed class Forwarding : IDisposable
        {
            private readonly IDisposable _inner;
            public Forwarding(IDisposable inner) => _inner = inner;
            public Task<int> ReadAsync() => Task.FromResult(1);
            public void Dispose() => _inner.Dispose();
        }

        class C
        {
            static Task<int> Read(Handler handler) => handler.ReadAsync();

            Task<int> EmptyDispose()
            {
                using var handler = new Handler();
                return Read(handler);
            }

            Task<int> EmptyExplicitDispose()
            {
                using (var lease = new Lease())
                {
                    return lease.ReadAsync();
                }
            }

            Task<int> OverridableDispose()
            {
                using var handler = new OpenHandler();
                return {|#0:handler.ReadAsync()|};
            }

            Task<int> DisposeThatWrites()
            {
                using var closing = new Closing();
                return {|#1:closing.ReadAsync()|};
            }

            Task<int> DisposeThatForwards(IDisposable inner)
            {
                using var forwarding = new Forwarding(inner);
                return {|#2:forwarding.ReadAsync()|};
            }

            Task<int> ThroughTheInterface()
            {
                using IDisposable handler = new Handler();
                return {|#3:Read((Handler)handler)|};
            }
        }
        """,
        Tw4007(0, "using declaration", "the resource is disposed", "OverridableDispose"),
        Tw4007(1, "using declaration", "the resource is disposed", "DisposeThatWrites"),
        Tw4007(2, "using declaration", "the resource is disposed", "DisposeThatForwards"),
        Tw4007(3, "using declaration", "the resource is disposed", "ThroughTheInterface"));

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading.Tasks;

        class C
        {
            Task M()
            {
                using (var c = new Missing()) { return c.RunAsync(); }
                lock (
                return
            }
        }
        """ + Types);

    [Fact]
    public Task Fix_MakesTheMethodAsync_AndAwaitsEveryReturn() => VerifyFix.CodeFixAsync("""
        using System.Threading.Tasks;

        class C
        {
            Task<int> Send(bool fast)
            {
                using var client = new Client();
                if (fast)
                {
                    return {|#0:client.SendAsync()|};
                }

                return {|#1:client.SendAsync()|};
            }

            Task Flush(bool skip)
            {
                using (var client = new Client())
                {
                    if (skip) return {|#2:client.FlushAsync()|};
                    return {|#3:client.FlushAsync()|};
                }
            }
        }
        """ + Types, """
        using System.Threading.Tasks;

        class C
        {
            async Task<int> Send(bool fast)
            {
                using var client = new Client();
                if (fast)
                {
                    return await client.SendAsync();
                }

                return await client.SendAsync();
            }

            async Task Flush(bool skip)
            {
                using (var client = new Client())
                {
                    if (skip)
                    {
                        await client.FlushAsync();
                        return;
                    }
                    await client.FlushAsync();
                    return;
                }
            }
        }
        """ + Types,
        Tw4007(0, "using declaration", "the resource is disposed", "Send"), Tw4007(1, "using declaration", "the resource is disposed", "Send"),
        Tw4007(2, "using block", "the resource is disposed", "Flush"), Tw4007(3, "using block", "the resource is disposed", "Flush"));

    [Fact]
    public Task Fix_IsNotOffered_WhenTheMethodThrows() => VerifyFix.NoCodeFixAsync("""
        using System;
        using System.Threading.Tasks;

        class C
        {
            Task<int> Send(Client client)
            {
                if (client is null) throw new ArgumentNullException(nameof(client));
                using (var own = new Client())
                {
                    return {|#0:own.SendAsync()|};
                }
            }
        }
        """ + Types, Tw4007(0, "using block", "the resource is disposed", "Send"));

    // A collection converter hands its enumerator to the async continuation: `disposeEnumerator = false;
    // return ConvertAsync(enumerator, pending);` with `finally { if (disposeEnumerator) enumerator.Dispose(); }`.
    // The flag is cleared right before the return, so the finally leaves the enumerator to the task. Cleared
    // earlier and set again, set to true, or cleared on another path only, and the return is reported.
    [Fact]
    public Task FlagClearedRightBeforeTheReturn_HandsTheResourceToTheTask() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class Converter
        {
            public Task<int[]> Convert(IEnumerable<Task<int>> source, bool retry)
            {
                var results = new List<int>();
                var enumerator = source.GetEnumerator();
                var disposeEnumerator = true;
                try
                {
                    while (enumerator.MoveNext())
                    {
                        var pending = enumerator.Current;
                        if (pending.IsCompleted)
                            results.Add(pending.Result);
                        else if (retry)
                        {
                            disposeEnumerator = false;
                            disposeEnumerator = retry;
                            return {|#0:ConvertAsync(enumerator, pending, results)|};
                        }
                        else
                        {
                            disposeEnumerator = false;
                            return ConvertAsync(enumerator, pending, results);
                        }
                    }

                    return {|#1:ConvertAsync(enumerator, Task.FromResult(0), results)|};
                }
                finally
                {
                    if (disposeEnumerator)
                        enumerator.Dispose();
                }
            }

            private static async Task<int[]> ConvertAsync(IEnumerator<Task<int>> enumerator, Task<int> pending, List<int> results)
            {
                using (enumerator)
                {
                    results.Add(await pending);
                    while (enumerator.MoveNext())
                        results.Add(await enumerator.Current);
                }

                return results.ToArray();
            }
        }
        """,
        Tw4007(0, "try/finally", "the finally block runs", "Convert"),
        Tw4007(1, "try/finally", "the finally block runs", "Convert"));

    // The finally releases only `if (gotLock)`, and the task is returned where `gotLock` is still
    // false: the finally does nothing on that path (the awaited helper takes the lock itself).
    [Fact]
    public Task FinallyGuardedByAFlagThatIsFalseOnThePath_IsNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Writer
        {
            private readonly SemaphoreSlim _gate = new(1, 1);

            public Task WriteAsync(int value)
            {
                bool gotLock = false;
                try
                {
                    gotLock = _gate.Wait(0);
                    if (!gotLock)
                    {
                        return WriteSlowAsync(value);
                    }

                    return Task.CompletedTask;
                }
                finally
                {
                    if (gotLock) _gate.Release();
                }
            }

            public Task RetryAsync(int value)
            {
                bool gotLock = false;
                try
                {
                    if (!gotLock)
                    {
                        gotLock = _gate.Wait(0);
                        return {|#0:WriteSlowAsync(value)|};
                    }

                    return Task.CompletedTask;
                }
                finally
                {
                    if (gotLock) _gate.Release();
                }
            }

            public Task TakeAsync(int value)
            {
                bool gotLock = false;
                try
                {
                    if (!gotLock)
                    {
                        TryTake(out gotLock);
                        return {|#1:WriteSlowAsync(value)|};
                    }

                    return Task.CompletedTask;
                }
                finally
                {
                    if (gotLock) _gate.Release();
                }
            }

            private void TryTake(out bool taken) => taken = _gate.Wait(0);

            private async Task WriteSlowAsync(int value)
            {
                await _gate.WaitAsync();
                try { await Task.Delay(value); } finally { _gate.Release(); }
            }
        }
        """, Tw4007(0, "try/finally", "the finally block runs", "RetryAsync"), Tw4007(1, "try/finally", "the finally block runs", "TakeAsync"));

    // A finally that ends what the task uses: the task's own resource, this object's busy flag,
    // a helper of this object, an event the caller waits on.
    [Fact]
    public Task FinallyThatEndsWhatTheTaskUses_IsFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private bool _busy;
            private readonly ManualResetEventSlim _idle = new(true);
            private Client _client = new Client();

            Task<int> DisposesTheTasksResource(Client client)
            {
                try { return {|#0:client.SendAsync()|}; }
                finally { client.Dispose(); }
            }

            Task<int> ResetsABusyFlag(Client client)
            {
                _busy = true;
                try { return {|#1:client.SendAsync()|}; }
                finally { _busy = false; }
            }

            Task<int> CallsAHelperOfThisObject(Client client)
            {
                try { return {|#2:client.SendAsync()|}; }
                finally { EndOperation(); }
            }

            Task<int> SignalsAnEvent(Client client)
            {
                _idle.Reset();
                try { return {|#3:client.SendAsync()|}; }
                finally { _idle.Set(); }
            }

            Task<int> TouchesAFieldTheTaskReads()
            {
                try { return {|#4:_client.SendAsync()|}; }
                finally { _client = null; }
            }

            private void EndOperation() { }
        }
        """ + Types,
        Tw4007(0, "try/finally", "the finally block runs", "DisposesTheTasksResource"),
        Tw4007(1, "try/finally", "the finally block runs", "ResetsABusyFlag"),
        Tw4007(2, "try/finally", "the finally block runs", "CallsAHelperOfThisObject"),
        Tw4007(3, "try/finally", "the finally block runs", "SignalsAnEvent"),
        Tw4007(4, "try/finally", "the finally block runs", "TouchesAFieldTheTaskReads"));

    // Key helpers over pooled buffers (found dogfooding FoundationDB's client): `using var key = Encode(k); return
    // trans.GetAsync(key.Span);`. A span cannot outlive the call it is passed to, and one of unmanaged elements
    // holds no reference the task could keep: the call copied the bytes before it returned. Passed as
    // `ReadOnlyMemory<byte>`, as the buffer itself, or as a span of references (`ReadOnlySpan<string>`),
    // the resource may still be in use, and the return is reported.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task ResourceReachingTheCallOnlyAsASpanOfValues_IsNotFlagged(string framework) => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Buffers;
        using System.Threading.Tasks;

        sealed class Pooled : IDisposable
        {
            public byte[] Array = new byte[16];
            public string[] Names = new string[1];
            public Span<byte> Span => Array;
            public ReadOnlyMemory<byte> Memory => Array;
            public void Dispose() => ArrayPool<byte>.Shared.Return(Array);
        }

        interface ITransaction
        {
            Task<int> GetAsync(ReadOnlySpan<byte> key);
            Task<int> GetAsync(ReadOnlyMemory<byte> key);
            Task<int> GetAsync(Pooled key);
            Task<int> GetAsync(ReadOnlySpan<string> names);
        }

        class Keys
        {
            Task<int> Get(ITransaction trans)
            {
                using var key = new Pooled();
                return trans.GetAsync(key.Span);
            }

            Task<int> GetRange(ITransaction trans, int length)
            {
                using (var key = new Pooled())
                {
                    return trans.GetAsync(key.Array.AsSpan(0, length));
                }
            }

            Task<int> GetRented(ITransaction trans)
            {
                var rented = ArrayPool<byte>.Shared.Rent(16);
                try
                {
                    return trans.GetAsync(rented.AsSpan());
                }
                finally
                {
                    ArrayPool<byte>.Shared.Return(rented);
                }
            }

            Task<int> GetMemory(ITransaction trans)
            {
                using var key = new Pooled();
                return {|#0:trans.GetAsync(key.Memory)|};
            }

            Task<int> GetBuffer(ITransaction trans)
            {
                using var key = new Pooled();
                return {|#1:trans.GetAsync(key)|};
            }

            Task<int> GetNames(ITransaction trans)
            {
                using var key = new Pooled();
                return {|#2:trans.GetAsync(key.Names.AsSpan())|};
            }
        }
        """, framework == "net10" ? References.Net100 : References.Net80,
        Tw4007(0, "using declaration", "the resource is disposed", "GetMemory"),
        Tw4007(1, "using declaration", "the resource is disposed", "GetBuffer"),
        Tw4007(2, "using declaration", "the resource is disposed", "GetNames"));

    // Encoder shape (found dogfooding DotNetty): the finally releases a buffer, or tidies another
    // object's state, that the returned task never mentions. Ending it cannot cut the task short.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task FinallyThatTidiesWhatTheTaskNeverMentions_IsNotFlagged(string framework) => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        sealed class Buffer { public void Release() { } }
        sealed class Deflater { public object Input; public void End() { } }

        class Encoder
        {
            private readonly Deflater _deflater = new Deflater();

            Task<int> Write(Client client, object message, bool encode)
            {
                Buffer buffer = null;
                try
                {
                    if (encode)
                    {
                        buffer = new Buffer();
                        return Task.FromResult(0);
                    }

                    return client.SendAsync();
                }
                finally
                {
                    buffer?.Release();
                }
            }

            Task WriteOrFlushRest(Client client, object message, System.Collections.Generic.List<object> rest)
            {
                Task result = null;
                try
                {
                    if (rest == null)
                    {
                        return client.SendAsync();
                    }
                }
                finally
                {
                    if (rest != null)
                    {
                        result = client.FlushAsync();
                    }
                }

                return result;
            }

            Task Finish(Client client)
            {
                try
                {
                    return client.FlushAsync();
                }
                finally
                {
                    this._deflater.End();
                    this._deflater.Input = null;
                    System.Console.WriteLine("finished");
                }
            }
        }
        """ + Types, framework == "net10" ? References.Net100 : References.Net80);
}
