using Microsoft.CodeAnalysis.Testing;
using Threadwise.Tests.Infrastructure;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.ThreadPool.CompletionSourceCompletedUnderLockAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.ThreadPool.CompletionSourceCompletedUnderLockAnalyzer, Threadwise.ThreadPool.CompletionSourceCompletedUnderLockFixProvider>;

namespace Threadwise.Tests.ThreadPool;

public class CompletionSourceCompletedUnderLockTests
{
    private static DiagnosticResult Tw3006(int markup, string method, string holder, string @lock = "_gate")
        => VerifyAnalyzer.Diagnostic(Descriptors.TW3006CompletionSourceCompletedUnderLock).WithLocation(markup).WithArguments(method, holder, @lock);

    public static TheoryData<string> Frameworks => new() { "net8", "net10" };

    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task CompletedUnderALock_WithoutTheOption_IsFlagged(string framework) => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class Signal
        {
            private readonly object _gate = new();
            private TaskCompletionSource<bool> _ready = new();
            private TaskCompletionSource<int> _value = new TaskCompletionSource<int>(TaskCreationOptions.None);

            public void Set()
            {
                lock (_gate)
                {
                    {|#0:_ready.TrySetResult(true)|};
                    {|#1:_value.SetException(new InvalidOperationException())|};
                }
            }

            public void Reset()
            {
                lock (_gate) { _ready = new TaskCompletionSource<bool>(); }
            }

            public Task<int> Local()
            {
                var done = new TaskCompletionSource<int>();
                Watch(done.Task);
                lock (this) { {|#2:done.TrySetCanceled()|}; }
                return done.Task;
            }

            public void Loop(int n)
            {
                var once = new TaskCompletionSource<int>();
                for (var i = 0; i < n; i++)
                {
                    lock (_gate) { {|#3:once.TrySetResult(i)|}; }
                    Watch(once.Task);
                }
            }

            private static void Watch(Task task) => task.ContinueWith(_ => { });
        }
        """, framework == "net10" ? References.Net100 : References.Net80,
        Tw3006(0, "TrySetResult", "_ready"), Tw3006(1, "SetException", "_value"), Tw3006(2, "TrySetCanceled", "done", "this"),
        Tw3006(3, "TrySetResult", "once"));

    // vs-threading's AsyncAutoResetEvent: `var waiter = new …CompletionSource(…); if (token.IsCancellationRequested)
    // waiter.TrySetCanceled(token); else _waiters.Enqueue(waiter); return waiter.Task;` under a lock. A source
    // created here and completed before anything could await it runs no continuation inline. A class derived
    // from TaskCompletionSource chooses its options in its own constructor: not known, not reported.
    [Fact]
    public Task SourcesCompletedBeforeHandedOut_AndDerivedSources_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class Waiter : TaskCompletionSource<bool>
        {
            public Waiter(bool inline) : base(inline ? TaskCreationOptions.None : TaskCreationOptions.RunContinuationsAsynchronously) { }
        }

        class AutoResetEvent
        {
            private readonly Queue<TaskCompletionSource<bool>> _waiters = new();
            private readonly object _gate = new();
            private Waiter _current = new Waiter(false);

            public Task WaitAsync(CancellationToken token)
            {
                lock (_waiters)
                {
                    var waiter = new TaskCompletionSource<bool>();
                    if (token.IsCancellationRequested)
                    {
                        waiter.TrySetCanceled(token);
                    }
                    else
                    {
                        _waiters.Enqueue(waiter);
                    }

                    return waiter.Task;
                }
            }

            public void Signal()
            {
                lock (_gate) { _current.TrySetResult(true); }
            }
        }
        """);

    // WampSharp's unsubscribe: `Task result = source.Task;` parks the task in a local that nothing reads
    // before the source is completed under the lock, so no continuation exists yet. Once the local has been
    // handed on (here to a method that may await it) before the completion, it is reported.
    [Fact]
    public Task SourcesWhoseTaskIsOnlyParkedInALocal_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class Subscriptions
        {
            private readonly object _gate = new();
            private readonly Dictionary<long, int> _counts = new();

            public Task Unsubscribe(long id)
            {
                TaskCompletionSource<bool> source = new TaskCompletionSource<bool>();
                Task result = source.Task;
                lock (_gate)
                {
                    if (!_counts.Remove(id))
                    {
                        source.SetException(new KeyNotFoundException());
                    }
                    else
                    {
                        source.SetResult(true);
                    }
                }

                return result;
            }

            public Task Forget(long id)
            {
                var source = new TaskCompletionSource<bool>();
                Task pending;
                pending = source.Task;
                Watch(pending);
                lock (_gate)
                {
                    _counts.Remove(id);
                    {|#0:source.SetResult(true)|};
                }

                return pending;
            }

            private static async void Watch(Task task) => await task;
        }
        """, Tw3006(0, "SetResult", "source"));

    [Fact]
    public Task WithTheOption_OutsideLocks_OrUnknownSources_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        class Signal
        {
            private readonly object _gate = new();
            private readonly TaskCompletionSource<bool> _async = new(TaskCreationOptions.RunContinuationsAsynchronously);
            private readonly TaskCompletionSource<bool> _outside = new();
            private TaskCompletionSource<bool> _handedIn;
            private readonly TaskCompletionSource<bool> _options;

            public Signal(TaskCompletionSource<bool> source, TaskCreationOptions options)
            {
                _handedIn = source;
                _options = new TaskCompletionSource<bool>(options);
            }

            public void Set()
            {
                lock (_gate)
                {
                    _async.TrySetResult(true);
                    _handedIn.TrySetResult(true);
                    _options.TrySetResult(true);
                }

                _outside.TrySetResult(true);
            }
        }
        """);

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading.Tasks;

        class Signal
        {
            private readonly object _gate = new();
            private TaskCompletionSource<Missing> _ready = new();

            public void Set()
            {
                lock (_gate) { _ready.TrySetResult(; }
                lock (_gate) { unknown.TrySetResult(true); }
            }

            public Task Local()
            {
                var done = new TaskCompletionSource<bool>(;
                var derived = new MissingSource();
                for (;;) { lock (_gate) { {|#0:done.TrySetResult(true)|}; derived.TrySetResult(true); } }
            }
        }
        """, Tw3006(0, "TrySetResult", "done"));

    [Fact]
    public Task Fix_AddsTheOption_ToEveryCreation() => VerifyFix.CodeFixAsync("""
        using System.Threading.Tasks;

        class Signal
        {
            private readonly object _gate = new();
            private TaskCompletionSource<bool> _ready = new();
            private readonly TaskCompletionSource<int> _value = new TaskCompletionSource<int>(TaskCreationOptions.DenyChildAttach);

            public void Set()
            {
                lock (_gate)
                {
                    {|#0:_ready.TrySetResult(true)|};
                    {|#1:_value.TrySetResult(1)|};
                }
            }

            public void Reset()
            {
                lock (_gate) { _ready = new TaskCompletionSource<bool>(); }
            }
        }
        """, """
        using System.Threading.Tasks;

        class Signal
        {
            private readonly object _gate = new();
            private TaskCompletionSource<bool> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
            private readonly TaskCompletionSource<int> _value = new TaskCompletionSource<int>(TaskCreationOptions.DenyChildAttach | TaskCreationOptions.RunContinuationsAsynchronously);

            public void Set()
            {
                lock (_gate)
                {
                    _ready.TrySetResult(true);
                    _value.TrySetResult(1);
                }
            }

            public void Reset()
            {
                lock (_gate) { _ready = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously); }
            }
        }
        """, Tw3006(0, "TrySetResult", "_ready"), Tw3006(1, "TrySetResult", "_value"));
}
