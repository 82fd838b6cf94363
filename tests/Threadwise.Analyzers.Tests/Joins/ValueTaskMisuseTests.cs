using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.Joins.ValueTaskMisuseAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.Joins.ValueTaskMisuseAnalyzer, Threadwise.Joins.ValueTaskMisuseFixProvider>;

namespace Threadwise.Tests.Joins;

public class ValueTaskMisuseTests
{
    private const string Twice = "is a ValueTask consumed a second time here; it may be awaited or read only once (call '.AsTask()' once and reuse the Task)";

    private const string Read = "reads a ValueTask that may not have completed; its result is defined only after completion (block on '.AsTask()' instead, or await it)";

    private static DiagnosticResult Tw4008(int markup, string subject, string what)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW4008ValueTaskMisuse).WithLocation(markup).WithArguments(subject, what);

    [Fact]
    public Task ConsumedTwice_AndReadBeforeCompletion_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> Twice(Stream stream, byte[] buffer)
            {
                var read = stream.ReadAsync(buffer);
                var n = await read;
                return n + {|#0:await read|};
            }

            async Task<int> ResultAfterAwait(Stream stream, byte[] buffer)
            {
                var read = stream.ReadAsync(buffer);
                await read.ConfigureAwait(false);
                return {|#1:read.Result|};
            }

            int Sync(Stream stream, byte[] buffer)
            {
                var read = stream.ReadAsync(buffer);
                return {|#2:read.Result|} + {|#3:stream.ReadAsync(buffer).GetAwaiter().GetResult()|};
            }

            void SyncNonGeneric(Stream stream, byte[] buffer) => {|#4:stream.WriteAsync(buffer).GetAwaiter().GetResult()|};
        }
        """,
        Tw4008(0, "read", Twice),
        Tw4008(1, "read", Twice),
        Tw4008(2, "Result", Read),
        Tw4008(3, "GetAwaiter().GetResult()", Read),
        Tw4008(4, "GetAwaiter().GetResult()", Read));

    // Bedrock's socket receive loop: `if (!flush.IsCompleted) { await flush; }` then `flush.Result`: on the
    // path through the `if` the ValueTask is consumed twice. A branch that returns what it awaited, an
    // `else` that reads instead, or a guard around the read, consumes it once.
    [Fact]
    public Task ConsumedInAGuardThatFallsThrough_IsFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> GuardThenRead(Stream stream, byte[] buffer)
            {
                var read = stream.ReadAsync(buffer);
                if (!read.IsCompleted)
                {
                    await read.ConfigureAwait(false);
                }

                return {|#0:read.Result|};
            }

            async Task<int> GuardReturns(Stream stream, byte[] buffer)
            {
                var read = stream.ReadAsync(buffer);
                if (!read.IsCompleted)
                {
                    return await read;
                }

                return read.Result;
            }

            async Task<int> GuardWithElse(Stream stream, byte[] buffer)
            {
                var read = stream.ReadAsync(buffer);
                int n;
                if (!read.IsCompleted)
                    n = await read;
                else
                    n = read.Result;
                return n;
            }
        }
        """, Tw4008(0, "read", Twice));

    // IceRPC's QUIC listener: `ValueTask<QuicListener> task = QuicListener.ListenAsync(…); Debug.Assert(task.IsCompleted);
    // _listener = task.Result;`. The author asserts the invariant the read relies on. An assertion of something
    // else, or of another task, proves nothing.
    [Fact]
    public Task ReadAfterAnAssertedCompletion_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Diagnostics;
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            int Asserted(Stream stream, byte[] buffer)
            {
                var read = stream.ReadAsync(buffer);
                Debug.Assert(read.IsCompleted);
                return read.Result;
            }

            int TraceAsserted(Stream stream, byte[] buffer)
            {
                var read = stream.ReadAsync(buffer);
                Trace.Assert(read.IsCompletedSuccessfully, "completes synchronously");
                return read.Result;
            }

            int AssertsSomethingElse(Stream stream, byte[] buffer)
            {
                var read = stream.ReadAsync(buffer);
                Debug.Assert(buffer.Length > 0);
                return {|#0:read.Result|};
            }

            int AssertsAnotherTask(Stream stream, byte[] buffer, ValueTask<int> other)
            {
                var read = stream.ReadAsync(buffer);
                Debug.Assert(other.IsCompleted);
                return {|#1:read.Result|};
            }
        }
        """, Tw4008(0, "Result", Read), Tw4008(1, "Result", Read));

    [Fact]
    public Task CorrectUses_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            // The canonical fast path: read the result only once it completed, else await once.
            int FastPath(Stream stream, byte[] buffer)
            {
                var read = stream.ReadAsync(buffer);
                if (!read.IsCompletedSuccessfully)
                {
                    return -1;
                }

                return read.Result;
            }

            async ValueTask<int> FastPathAsync(Stream stream, byte[] buffer)
            {
                var read = stream.ReadAsync(buffer);
                if (read.IsCompletedSuccessfully)
                {
                    return read.Result;
                }

                return await read;
            }

            // Exclusive branches consume once each.
            async Task<int> Branches(Stream stream, byte[] buffer, bool fast)
            {
                var read = stream.ReadAsync(buffer);
                if (fast) return await read;
                else return await read.ConfigureAwait(false);
            }

            // Converted once, then reused as a Task.
            async Task<int> AsTaskOnce(Stream stream, byte[] buffer)
            {
                var read = stream.ReadAsync(buffer).AsTask();
                await read;
                return await read;
            }

            // Reassigned, passed on or captured: not followed.
            async Task<int> Reassigned(Stream stream, byte[] buffer)
            {
                var read = stream.ReadAsync(buffer);
                var n = await read;
                read = stream.ReadAsync(buffer);
                return n + await read;
            }

            async Task<int> Completed()
            {
                var done = new ValueTask<int>(1);
                return done.Result + await Task.FromResult(1);
            }

            // Preserve() (or AsTask()) turns it into a task-backed one: blocking on it waits.
            static int Preserved(ValueTask<int> task)
            {
                if (task.IsCompleted)
                {
                    return task.Result;
                }

                return task.Preserve().GetAwaiter().GetResult() + task.AsTask().Result;
            }

            // In async code a blocking read is TW1002's (its fix awaits).
            async Task<int> InAsync(Stream stream, byte[] buffer) => stream.ReadAsync(buffer).Result + await Task.FromResult(0);
        }
        """);

    [Fact]
    public Task Fix_AsTaskAtCreation_OrBeforeTheRead() => VerifyFix.CodeFixAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> Twice(Stream stream, byte[] buffer)
            {
                var read = stream.ReadAsync(buffer);
                var n = await read;
                return n + {|#0:await read|};
            }

            int Sync(Stream stream, byte[] buffer)
            {
                var read = stream.ReadAsync(buffer);
                return {|#1:read.Result|} + {|#2:stream.ReadAsync(buffer).GetAwaiter().GetResult()|};
            }
        }
        """, """
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> Twice(Stream stream, byte[] buffer)
            {
                var read = stream.ReadAsync(buffer).AsTask();
                var n = await read;
                return n + await read;
            }

            int Sync(Stream stream, byte[] buffer)
            {
                var read = stream.ReadAsync(buffer);
                return read.AsTask().Result + stream.ReadAsync(buffer).AsTask().GetAwaiter().GetResult();
            }
        }
        """, Tw4008(0, "read", Twice), Tw4008(1, "Result", Read), Tw4008(2, "GetAwaiter().GetResult()", Read));

    [Fact]
    public Task Fix_IsWithheld_WhenTheLocalIsTypedOrUsesValueTaskOnlyMembers() => VerifyFix.NoCodeFixAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> Typed(Stream stream, byte[] buffer)
            {
                ValueTask<int> read = stream.ReadAsync(buffer);
                var n = await read;
                return n + {|#0:await read|};
            }
        }
        """, Tw4008(0, "read", Twice));

    // DotNetty's pool: the ValueTask was already turned into a Task for the continuation; the read
    // inside it would consume it again with `.AsTask()`. No fix (the remedy is the continuation's own
    // `t.Result`); the finding stays.
    [Fact]
    public Task Fix_IsWithheld_WhenTheValueTaskIsConsumedElsewhere() => VerifyFix.NoCodeFixAsync("""
        using System.Threading.Tasks;

        class Pool
        {
            ValueTask<int> AcquireAsync() => new ValueTask<int>(1);

            void Acquire(TaskCompletionSource<int> promise)
            {
                ValueTask<int> future = AcquireAsync();
                future.AsTask().ContinueWith(t =>
                {
                    if (t.Status == TaskStatus.RanToCompletion)
                    {
                        promise.TrySetResult({|#0:future.Result|});
                    }
                });
            }
        }
        """, Tw4008(0, "Result", Read));

    // Guards under edit: an `if` without its condition, a branch that is not closed yet.
    [Fact]
    public Task BrokenGuards_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Stream stream, byte[] buffer)
            {
                var read = stream.ReadAsync(buffer);
                if ()
                {
                    await read;
                }

                return {|#0:read.Result|};
            }

            async Task<int> Open(Stream stream, byte[] buffer)
            {
                var read = stream.ReadAsync(buffer);
                if (!read.IsCompleted)
                {
                    await read;
                return {|#1:read.Result|};
            }
        }
        """,
        // Unclosed, the read sits in the awaiting branch itself: consumed twice there too.
        Tw4008(0, "read", Twice), Tw4008(1, "read", Twice));

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Missing m)
            {
                var read = m.ReadAsync(;
                ValueTask<int> v = ;
                await v;
                return {|#0:await v|}
            }
        }
        """, Tw4008(0, "v", Twice));

    // Npgsql: a ValueTask made from a Task (or a value) reads like it; the undefined read is only for one
    // backed by an IValueTaskSource. And `Read(async: false)` has completed when it returns.
    [Fact]
    public Task TaskBackedValueTasks_AndTheSynchronousPath_AreNotReadBeforeCompletion() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading.Tasks;
        using System.Threading.Tasks.Sources;

        class Converter<T>
        {
            private readonly IValueTaskSource<T> _source;

            static T FromTask(Task task) => new ValueTask<T>((Task<T>)task).Result;

            static T FromValue(T value) => new ValueTask<T>(value).GetAwaiter().GetResult();

            ValueTask<T> Read(bool async) => async ? new ValueTask<T>(_source, 0) : default;

            T Read() => Read(async: false).GetAwaiter().GetResult();

            T ReadEither(bool async) => {|#0:Read(async).Result|};
        }
        """, Tw4008(0, "Result", Read));

    // Npgsql's nested read scope: `if (_async) throw …; DisposeAsync().GetAwaiter().GetResult();` where
    // DisposeAsync starts asynchronous work only under `if (_async)` and otherwise returns `new()`: after the
    // guard, the readonly flag of this object is false, so the ValueTask has completed.
    [Fact]
    public Task ReadAfterAGuardOnTheAsyncFlagOfThisObject_IsNotReadBeforeCompletion() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        struct Scope
        {
            private readonly bool _async;
            private bool _mutable;
            public Scope(bool async) { _async = async; _mutable = async; }

            public void Dispose()
            {
                if (_async)
                    throw new InvalidOperationException("Call DisposeAsync.");
                DisposeAsync().GetAwaiter().GetResult();
            }

            public void DisposeThroughAThrowHelper()
            {
                if (_async)
                    Throw.Invalid("Call DisposeAsync.");
                DisposeAsync().GetAwaiter().GetResult();
            }

            public void DisposeAfterALoggingCall()
            {
                if (_async)
                    Throw.Log("Call DisposeAsync.");
                {|#5:DisposeAsync().GetAwaiter().GetResult()|};
            }

            public void DisposeBlocked()
            {
                if (!_async)
                {
                    return;
                }

                {|#0:DisposeAsync().GetAwaiter().GetResult()|};
            }

            public void DisposeUnguarded() => {|#1:DisposeAsync().GetAwaiter().GetResult()|};

            public void DisposeOnMutableFlag()
            {
                if (_mutable)
                    throw new InvalidOperationException();
                {|#2:DisposeOnMutable().GetAwaiter().GetResult()|};
            }

            public void DisposeEither()
            {
                if (_async)
                    throw new InvalidOperationException();
                {|#3:AlwaysAsync().GetAwaiter().GetResult()|};
            }

            public static void DisposeOther(Scope other)
            {
                {|#4:other.DisposeAsync().GetAwaiter().GetResult()|};
            }

            public ValueTask DisposeAsync()
            {
                if (_async)
                    return Core();
                Release();
                return new();
            }

            public ValueTask DisposeOnMutable()
            {
                if (_mutable)
                    return Core();
                return new ValueTask();
            }

            public ValueTask AlwaysAsync() => Core();

            private void Release() { }

            [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
            private static async ValueTask Core() => await Task.Yield();
        }

        static class Throw
        {
            [System.Diagnostics.CodeAnalysis.DoesNotReturn]
            public static void Invalid(string message) => throw new InvalidOperationException(message);

            public static void Log(string message) => Console.WriteLine(message);
        }
        """,
        Tw4008(0, "GetAwaiter().GetResult()", Read),
        Tw4008(1, "GetAwaiter().GetResult()", Read),
        Tw4008(2, "GetAwaiter().GetResult()", Read),
        Tw4008(3, "GetAwaiter().GetResult()", Read),
        Tw4008(4, "GetAwaiter().GetResult()", Read),
        Tw4008(5, "GetAwaiter().GetResult()", Read));

    // Forwarders whose returns are half-typed or missing.
    [Fact]
    public Task BrokenForwarders_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading.Tasks;

        sealed class Printer
        {
            async ValueTask CoreAsync() => await Task.Yield();

            ValueTask Forward(bool none) => none ? default : ;

            ValueTask Empty() { return; }

            ValueTask Missing() => Nowhere();

            public void Print()
            {
                Forward(true).GetAwaiter().GetResult();
                {|#1:Empty().GetAwaiter().GetResult()|};
                {|#0:Missing().GetAwaiter().GetResult()|};
            }
        }
        """,
        // `Forward(true)` takes the `default` branch (a constant argument); a return without a value proves nothing.
        Tw4008(0, "GetAwaiter().GetResult()", Read), Tw4008(1, "GetAwaiter().GetResult()", Read));

    [Fact]
    public Task BrokenFlagGuards_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System;
        using System.Threading.Tasks;

        struct Scope
        {
            private readonly bool _async;

            public void Dispose()
            {
                if (_async)
                    throw
                {|#0:DisposeAsync().GetAwaiter().GetResult()|};
            }

            public void Close()
            {
                if (_async) throw new InvalidOperationException();
                {|#1:CloseAsync(_async).GetAwaiter().GetResult()|};
            }

            public ValueTask DisposeAsync()
            {
                if (_async
                    return Core();
                return new(;
            }

            public ValueTask CloseAsync(bool _async) => _async ? Core() : new();

            [System.Runtime.CompilerServices.AsyncMethodBuilder(typeof(System.Runtime.CompilerServices.PoolingAsyncValueTaskMethodBuilder))]
            private static async ValueTask Core() => await Task.Yield();
        }
        """,
        // The throw swallows the call as its operand, and a parameter named like the field hides it.
        Tw4008(0, "GetAwaiter().GetResult()", Read), Tw4008(1, "GetAwaiter().GetResult()", Read));

    // SuperSocket's `Dispose(bool) => DisposeAsync(disposing).GetAwaiter().GetResult();`: an async
    // ValueTask method of the default builder boxes into a Task when it completes late, so reading it
    // blocks (a sync-over-async wait, TW1005's to judge) instead of misbehaving. A pooling builder
    // hands out an IValueTaskSource: still reported.
    [Fact]
    public Task AsyncValueTaskMethodsOfTheDefaultBuilder_AreTaskBacked() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Runtime.CompilerServices;
        using System.Threading.Tasks;

        class Service
        {
            protected async ValueTask<int> CloseAsync(bool disposing)
            {
                await Task.Yield();
                return 1;
            }

            [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
            protected async ValueTask<int> PooledAsync()
            {
                await Task.Yield();
                return 1;
            }

            public int Close() => CloseAsync(true).GetAwaiter().GetResult();

            public int Pooled() => {|#0:PooledAsync().Result|};
        }
        """, Tw4008(0, "Result", Read));

    // GraphQL.NET's `Print(node) => _sdlPrinter.PrintAsync(node, writer).GetAwaiter().GetResult()` and its
    // visitors' `override ValueTask VisitAsync(…) { …; return base.VisitAsync(…); }`: an `async ValueTask`
    // method of a referenced assembly (compiled as a state machine) is Task-backed like one of this
    // compilation, and so is a method here whose every return forwards such a value or a finished one.
    // A non-async library method (it may hand out an IValueTaskSource), a pooling builder in the
    // library, and a forwarder with one return of another kind are reported.
    [Fact]
    public Task AsyncValueTaskMethodsOfReferencedAssemblies_AndForwardersToThem_AreTaskBacked() => VerifyAnalyzer.AnalyzerWithLibraryAsync("""
        using System.Threading.Tasks;

        sealed class Printer : Library.Visitor
        {
            public override ValueTask VisitAsync(int node)
            {
                if (node < 0)
                {
                    return default;
                }

                return base.VisitAsync(node);
            }

            public ValueTask MixedAsync(int node) => node > 0 ? base.VisitAsync(node) : Library.Visitor.SourceBacked();

            public ValueTask ForwardTwice(int node) => VisitAsync(node);

            public void Print(Library.Visitor printer, int node)
            {
                printer.PrintAsync(node).GetAwaiter().GetResult();
                VisitAsync(node).GetAwaiter().GetResult();
                ForwardTwice(node).GetAwaiter().GetResult();
                {|#0:Library.Visitor.SourceBacked().GetAwaiter().GetResult()|};
                {|#1:printer.PooledAsync().GetAwaiter().GetResult()|};
                {|#2:MixedAsync(node).GetAwaiter().GetResult()|};
            }
        }
        """, """
        using System.Runtime.CompilerServices;
        using System.Threading.Tasks;
        using System.Threading.Tasks.Sources;

        namespace Library
        {
            public class Visitor
            {
                public async ValueTask PrintAsync(int node) => await Task.Yield();

                public virtual async ValueTask VisitAsync(int node) => await Task.Yield();

                [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder))]
                public async ValueTask PooledAsync() => await Task.Yield();

                public static ValueTask SourceBacked() => new ValueTask(Source.Instance, 0);
            }

            internal sealed class Source : IValueTaskSource
            {
                public static readonly Source Instance = new();
                public ValueTaskSourceStatus GetStatus(short token) => ValueTaskSourceStatus.Succeeded;
                public void OnCompleted(System.Action<object?> continuation, object? state, short token, ValueTaskSourceOnCompletedFlags flags) { }
                public void GetResult(short token) { }
            }
        }
        """,
        Tw4008(0, "GetAwaiter().GetResult()", Read), Tw4008(1, "GetAwaiter().GetResult()", Read), Tw4008(2, "GetAwaiter().GetResult()", Read));
}
