using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.Joins.AsyncLambdaAsVoidDelegateAnalyzer>;
using VerifyForEachAsync = Threadwise.Tests.Infrastructure.Verify<Threadwise.Joins.AsyncLambdaAsVoidDelegateAnalyzer, Threadwise.Joins.AsyncLambdaParallelForEachAsyncFixProvider>;
using VerifySequential = Threadwise.Tests.Infrastructure.Verify<Threadwise.Joins.AsyncLambdaAsVoidDelegateAnalyzer, Threadwise.Joins.AsyncLambdaSequentialLoopFixProvider>;
using VerifyWhenAll = Threadwise.Tests.Infrastructure.Verify<Threadwise.Joins.AsyncLambdaAsVoidDelegateAnalyzer, Threadwise.Joins.AsyncLambdaWhenAllFixProvider>;

namespace Threadwise.Tests.Joins;

public class AsyncLambdaAsVoidDelegateTests
{
    private static DiagnosticResult Tw4005(int markup, string kind, string delegateType)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW4005AsyncLambdaAsVoidDelegate).WithLocation(markup).WithArguments(kind, delegateType);

    [Fact]
    public Task AsyncLambdasAndMethodGroups_AsVoidDelegates_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(List<int> items)
            {
                items.ForEach({|#0:async x =>|} await Task.Delay(x));
                Parallel.ForEach(items, {|#1:async (x) =>|} { await Task.Delay(x); });
                var thread = new Thread({|#2:async () =>|} await Task.Yield());
                ThreadPool.QueueUserWorkItem({|#3:async _ =>|} await Task.Yield());
                Action action = {|#4:async delegate|} { await Task.Delay(1); };
                new Worker().Run(items);
            }
        }

        abstract class Base { protected abstract void Step(int x); }

        class Worker : Base
        {
            // Exempt from TW4004 (an override keeps its signature), so its method group is reported here.
            protected override async void Step(int x) => await Task.Delay(x);

            public void Run(List<int> items) => items.ForEach({|#5:Step|});

            // Wholly guarded: the accepted form wherever it is handed.
            async void Guarded(int x)
            {
                try { await Task.Delay(x); }
                catch (Exception) { }
            }

            public void RunGuarded(List<int> items) => items.ForEach(Guarded);
        }
        """,
        Tw4005(0, "lambda", "Action"), Tw4005(1, "lambda", "Action"), Tw4005(2, "lambda", "ThreadStart"),
        Tw4005(3, "lambda", "WaitCallback"), Tw4005(4, "anonymous method", "Action"), Tw4005(5, "method group", "Action"));

    // One finding per mistake: TW4004 reports the async void method; its method group is not reported again.
    [Fact]
    public Task MethodGroupOfAReportedAsyncVoidMethod_IsNotReportedAgain() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private Timer? _timer;

            void Start() => _timer = new Timer(OnTick, null, 0, 1000);

            async void OnTick(object? state) => await Task.Delay(1);
        }
        """);

    // Every failure is handed to the TaskCompletionSource: the accepted form of posting async work.
    [Fact]
    public Task WhollyGuardedAsyncLambda_IsNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        static class Posting
        {
            public static Task PostAsync(SynchronizationContext context, Func<Task> work)
            {
                var done = new TaskCompletionSource<bool>();
                context.Post(async _ =>
                {
                    try
                    {
                        await work();
                        done.TrySetResult(true);
                    }
                    catch (Exception e)
                    {
                        done.TrySetException(e);
                    }
                }, null);
                context.Post({|#0:async _ =>|} { try { await work(); } catch (InvalidOperationException) { } }, null);
                // A thread switch before the guard throws nothing; an awaited delay is outside it.
                ThreadPool.QueueUserWorkItem(async _ => { await Task.Yield(); try { await work(); } catch { } });
                ThreadPool.QueueUserWorkItem({|#1:async _ =>|} { await Task.Delay(1); try { await work(); } catch { } });
                return done.Task;
            }
        }
        """, Tw4005(0, "lambda", "SendOrPostCallback"), Tw4005(1, "lambda", "WaitCallback"));

    // nacos' timers: `new Timer(async x => await RunUpdateBackupFile().ConfigureAwait(false), …)` where the
    // method's body is a try with a catch-all. An expression body awaiting a guarded method of the project
    // cannot fail, as a block body doing the same cannot; an unguarded or virtual callee is reported.
    [Fact]
    public Task ExpressionBodiedLambdaAwaitingAGuardedMethod_IsNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Reactor
        {
            private readonly Timer _backup;
            private readonly Timer _write;
            private readonly Timer _login;

            public Reactor()
            {
                _backup = new Timer(async x => await RunBackup().ConfigureAwait(false), null, 0, 5000);
                _write = new Timer({|#0:async x =>|} await RunWrite().ConfigureAwait(false), null, 0, 5000);
                _login = new Timer({|#1:async x =>|} await LoginAsync(), null, 0, 5000);
            }

            public async Task RunBackup()
            {
                try
                {
                    await Task.Delay(10).ConfigureAwait(false);
                }
                catch (Exception ex)
                {
                    Console.WriteLine(ex);
                }
            }

            public async Task RunWrite() => await Task.Delay(10).ConfigureAwait(false);

            protected virtual async Task LoginAsync()
            {
                try { await Task.Delay(10); } catch { }
            }
        }
        """, Tw4005(0, "lambda", "TimerCallback"), Tw4005(1, "lambda", "TimerCallback"));

    [Fact]
    public Task TaskReturningDelegatesAndEventHandlers_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class Button { public event EventHandler? Click; }

        class C
        {
            event Action? Changed;

            void M(List<int> items, Button button)
            {
                Func<Task> ok = async () => await Task.Yield();
                Task.Run(async () => await Task.Yield());
                button.Click += async (s, e) => await Task.Yield();
                Changed += async () => await Task.Yield();
                EventHandler handler = async (s, e) => await Task.Yield();
                items.ForEach(x => Console.WriteLine(x));
            }
        }
        """);

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System;
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                Action a = async () => await ;
                Missing.ForEach(async x => await Task.Yield());
                Action b = async (
            }
        }
        """);

    [Fact]
    public Task ParallelForEach_BecomesForEachAsync() => VerifyForEachAsync.CodeFixAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            async Task M(List<int> items)
            {
                Parallel.ForEach(items, {|#0:async item =>|}
                {
                    await Task.Delay(item);
                });
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            async Task M(List<int> items)
            {
                await Parallel.ForEachAsync(items, async (item, cancellationToken) =>
                {
                    await Task.Delay(item);
                });
            }
        }
        """, Tw4005(0, "lambda", "Action"));

    [Fact]
    public Task ListForEach_BecomesSequentialForeach() => VerifySequential.CodeFixAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            async Task M(List<int> items)
            {
                items.ForEach({|#0:async item =>|}
                {
                    await Task.Delay(item);
                });
                items.ForEach({|#1:async x =>|} await Task.Delay(x));
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            async Task M(List<int> items)
            {
                foreach (var item in items)
                {
                    await Task.Delay(item);
                }
                foreach (var x in items)
                {
                    await Task.Delay(x);
                }
            }
        }
        """, Tw4005(0, "lambda", "Action"), Tw4005(1, "lambda", "Action"));

    [Fact]
    public Task ListForEach_BecomesWhenAllOverSelect() => VerifyWhenAll.CodeFixAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            async Task M(List<int> items)
            {
                items.ForEach({|#0:async x =>|} await Task.Delay(x));
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            async Task M(List<int> items)
            {
                await Task.WhenAll(Enumerable.Select(items, async x => await Task.Delay(x)));
            }
        }
        """, Tw4005(0, "lambda", "Action"));

    [Fact]
    public Task Fixes_AreNotOffered_InSyncCode_OrWithEarlyReturn() => VerifySequential.NoCodeFixAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            void Sync(List<int> items) => items.ForEach({|#0:async x =>|} await Task.Delay(x));

            async Task M(List<int> items)
            {
                items.ForEach({|#1:async x =>|}
                {
                    if (x < 0) return;
                    await Task.Delay(x);
                });
            }
        }
        """, Tw4005(0, "lambda", "Action"), Tw4005(1, "lambda", "Action"));

    [Fact]
    public Task InANonAsyncTaskMethod_TheJoinIsReturned() => VerifyWhenAll.CodeFixAsync("""
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            Task SaveAll(List<int> items)
            {
                var count = items.Count;
                items.ForEach({|#0:async x =>|} await Task.Delay(x + count));
                return Task.CompletedTask;
            }

            Task Other(List<int> items)
            {
                items.ForEach({|#1:async x =>|} await Task.Delay(x));
                // nothing else to do
                return Task.CompletedTask;
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            Task SaveAll(List<int> items)
            {
                var count = items.Count;
                return Task.WhenAll(items.Select(async x => await Task.Delay(x + count)));
            }

            Task Other(List<int> items)
            {
                // nothing else to do
                return Task.WhenAll(items.Select(async x => await Task.Delay(x)));
            }
        }
        """, Tw4005(0, "lambda", "Action"), Tw4005(1, "lambda", "Action"));

    [Fact]
    public Task InANonAsyncTaskMethod_ParallelForEachAsyncIsReturned() => VerifyForEachAsync.CodeFixAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            Task M(List<int> items)
            {
                Parallel.ForEach(items, {|#0:async item =>|} await Task.Delay(item));
                return Task.CompletedTask;
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            Task M(List<int> items)
            {
                return Parallel.ForEachAsync(items, async (item, cancellationToken) => await Task.Delay(item));
            }
        }
        """, Tw4005(0, "lambda", "Action"));

    [Fact]
    public Task InANonAsyncTaskMethod_NoFix_WhenWorkFollowsOrNotASequentialLoop() => VerifyWhenAll.NoCodeFixAsync("""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            // Something runs after the call: returning the join earlier would skip it.
            Task Later(List<int> items)
            {
                items.ForEach({|#0:async x =>|} await Task.Delay(x));
                Console.WriteLine("done");
                return Task.CompletedTask;
            }

            // Returns another task: the join has nowhere to go.
            Task<int> Count(List<int> items)
            {
                items.ForEach({|#1:async x =>|} await Task.Delay(x));
                return Task.FromResult(items.Count);
            }
        }
        """, Tw4005(0, "lambda", "Action"), Tw4005(1, "lambda", "Action"));

    [Fact]
    public Task InANonAsyncTaskMethod_NoSequentialLoop() => VerifySequential.NoCodeFixAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            Task M(List<int> items)
            {
                items.ForEach({|#0:async x =>|} await Task.Delay(x));
                return Task.CompletedTask;
            }
        }
        """, Tw4005(0, "lambda", "Action"));
}
