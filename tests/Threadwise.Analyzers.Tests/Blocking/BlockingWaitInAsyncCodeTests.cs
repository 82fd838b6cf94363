using Microsoft.CodeAnalysis.Testing;
using Threadwise.Tests.Infrastructure;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.Blocking.BlockingWaitInAsyncCodeAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.Blocking.BlockingWaitInAsyncCodeAnalyzer, Threadwise.Blocking.BlockingWaitInAsyncCodeFixProvider>;

namespace Threadwise.Tests.Blocking;

public class BlockingWaitInAsyncCodeTests
{
    private static DiagnosticResult Tw1002(int markup, string wait, string where)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW1002BlockingWaitInAsyncCode).WithLocation(markup).WithArguments(wait, where);

    // ---- flagged ----------------------------------------------------------------------------

    [Fact]
    public Task EachWaitForm_OnEachTaskType_IsFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            // One task per wait: a task waited once is complete for every later wait.
            async Task M(Task task, Task task2, Task task3, Task task4, Task<int> taskOfT, Task<int> taskOfT2,
                ValueTask valueTask, ValueTask<int> valueTaskOfT, ValueTask<int> valueTaskOfT2, CancellationToken ct)
            {
                {|#0:task.Wait()|};
                {|#1:task2.Wait(ct)|};
                {|#2:task3.Wait(100)|};
                var a = {|#3:taskOfT.Result|};
                var b = {|#4:valueTaskOfT.Result|};
                {|#5:task4.GetAwaiter().GetResult()|};
                var c = {|#6:taskOfT2.ConfigureAwait(false).GetAwaiter().GetResult()|};
                {|#7:valueTask.GetAwaiter().GetResult()|};
                var d = {|#8:valueTaskOfT2.GetAwaiter().GetResult()|};
                await Task.Yield();
            }
        }
        """,
        Tw1002(0, "Wait", "async method 'M'"), Tw1002(1, "Wait", "async method 'M'"), Tw1002(2, "Wait", "async method 'M'"),
        Tw1002(3, "Result", "async method 'M'"), Tw1002(4, "Result", "async method 'M'"),
        Tw1002(5, "GetAwaiter().GetResult()", "async method 'M'"), Tw1002(6, "GetAwaiter().GetResult()", "async method 'M'"),
        Tw1002(7, "GetAwaiter().GetResult()", "async method 'M'"), Tw1002(8, "GetAwaiter().GetResult()", "async method 'M'"));

    [Fact]
    public Task AsyncLambdaAndLocalFunction_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class C
        {
            void M(Task<string> load)
            {
                Func<Task<int>> lambda = async () => {|#0:load.Result|}.Length;
                _ = Local();

                async Task Local()
                {
                    {|#1:load.Wait()|};
                    await Task.Yield();
                }
            }
        }
        """, Tw1002(0, "Result", "async lambda"), Tw1002(1, "Wait", "async local function 'Local'"));

    [Fact]
    public Task AwaitedOnlyOnSomePaths_IsFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Task<int> t, bool fast)
            {
                if (fast)
                {
                    await t;
                }

                var x = fast && await Task.FromResult(true) ? 1 : 0;
                return {|#0:t.Result|} + x;
            }

            async Task<int> AfterWhenAny(Task<int> a, Task<int> b)
            {
                await Task.WhenAny(a, b);
                return {|#1:a.Result|};
            }
        }
        """, Tw1002(0, "Result", "async method 'M'"), Tw1002(1, "Result", "async method 'AfterWhenAny'"));

    // ---- known complete and sync code stay silent --------------------------------------------

    // The "with cancellation" idiom: WhenAny with a task standing for the token, then the token's
    // ThrowIfCancellationRequested as the very next statement. Past it, the subject won.
    [Fact]
    public Task WinnerOfAWhenAnyWithCancellation_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        sealed class CancellableTask : IDisposable
        {
            private readonly TaskCompletionSource<bool> _tcs = new();
            private readonly CancellationTokenRegistration _registration;

            public CancellableTask(CancellationToken token) => _registration = token.Register(() => _tcs.TrySetResult(true));

            public Task Task => _tcs.Task;

            public void Dispose() => _registration.Dispose();
        }

        class Cursor
        {
            private Task<int[]> _pending = Task.FromResult(new int[0]);

            public async Task<int> MoveNextAsync(CancellationToken token)
            {
                if (!_pending.IsCompleted)
                {
                    using (var cancel = new CancellableTask(token))
                    {
                        await Task.WhenAny(_pending, cancel.Task).ConfigureAwait(false);
                        token.ThrowIfCancellationRequested();
                    }
                }

                return _pending.Result.Length;
            }

            public async Task<int> Direct(Task<int> work, CancellationToken token)
            {
                await Task.WhenAny(work, Task.Delay(Timeout.Infinite, token));
                token.ThrowIfCancellationRequested();
                return work.Result;
            }
        }
        """);

    // The winner compared where it is awaited: `if (await Task.WhenAny(task, delay) == task)`.
    [Fact]
    public Task WinnerComparedWhereItIsAwaited_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        static class Http
        {
            public static async Task<T> Timeout<T>(Task<T> task, int milliseconds, CancellationTokenSource cts)
            {
                if (await Task.WhenAny(task, Task.Delay(milliseconds, cts.Token)).ConfigureAwait(false) == task)
                    return task.Result;

                cts.Cancel();
                throw new TimeoutException();
            }

            public static async Task<T> OrDefault<T>(Task<T> task, Task timeout)
            {
                if (task != await Task.WhenAny(timeout, task))
                {
                    return default!;
                }

                return task.Result;
            }

            public static async Task<T> Wrong<T>(Task<T> task, Task timeout)
            {
                if (await Task.WhenAny(task, timeout) == timeout)
                {
                    return {|#0:task.Result|};
                }

                return task.Result;
            }
        }
        """, Tw1002(0, "Result", "async method 'Wrong'"));

    // The other task of an awaited two-task WhenAny is not complete, so the winner was the subject:
    // `if (timeout.IsCompleted) { …; return; }` then `connect.Task.Result`. Inside that branch the
    // subject may still be running, and a read there is reported.
    [Fact]
    public Task TaskWhoseWhenAnyRivalIsNotComplete_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class Channel
        {
            public async Task<int> ConnectAsync(TaskCompletionSource<int> connect)
            {
                var timeout = Task.Delay(1000);
                var winner = await Task.WhenAny(connect.Task, timeout).ConfigureAwait(false);

                if (timeout.IsCompleted)
                {
                    Console.WriteLine({|#0:connect.Task.Result|});
                    return -1;
                }
                else if (connect.Task.Result != 0)
                {
                    return connect.Task.Result;
                }
                else
                {
                    Console.WriteLine(connect.Task.Result);
                }

                return 0;
            }

            public async Task<int> Unguarded(Task<int> work, Task other)
            {
                await Task.WhenAny(work, other);
                if (other.IsCompletedSuccessfully)
                {
                    return -1;
                }

                return {|#1:work.Result|};
            }

            public async Task<int> RivalReassigned(Task<int> work)
            {
                var timeout = Task.Delay(10);
                await Task.WhenAny(work, timeout);
                timeout = Task.Delay(20);
                if (timeout.IsCompleted)
                {
                    return -1;
                }

                return {|#2:work.Result|};
            }
        }
        """, Tw1002(0, "Result", "async method 'ConnectAsync'"), Tw1002(1, "Result", "async method 'Unguarded'"), Tw1002(2, "Result", "async method 'RivalReassigned'"));

    // A task's state is no sync/async mode flag: `if (timeout.IsCompleted) { …connect.Result… } else {
    // await …; }` blocks on the async path when the connect is still running, and is reported, though
    // the other branch awaits. After the branch, the connect won the WhenAny.
    [Fact]
    public Task WaitInATaskStateBranchBesideAnAwait_IsFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class Channel
        {
            public async Task<int> ConnectAsync(TaskCompletionSource<int> connect, bool sync)
            {
                var timeout = Task.Delay(5000);
                await Task.WhenAny(connect.Task, timeout).ConfigureAwait(false);

                if (timeout.IsCompleted)
                {
                    Console.WriteLine({|#0:connect.Task.Result|});
                    return -1;
                }
                else
                {
                    await Task.Yield();
                    return connect.Task.Result;
                }
            }

            public async Task<int> DualPath(Task<int> work, bool sync)
            {
                if (sync)
                {
                    return work.Result;
                }
                else
                {
                    return await work;
                }
            }
        }
        """, Tw1002(0, "Result", "async method 'ConnectAsync'"));

    [Fact]
    public Task WhenAnyWithoutTheCancellationCheckRightAfter_IsFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Cursor
        {
            public async Task<int> CheckedLater(Task<int> work, CancellationToken token)
            {
                await Task.WhenAny(work, Task.Delay(1000));
                Console.WriteLine("timed out or done");
                token.ThrowIfCancellationRequested();
                return {|#0:work.Result|};
            }

            public async Task<int> Reassigned(Task<int> work, Func<Task<int>> next, CancellationToken token)
            {
                await Task.WhenAny(work, Task.Delay(Timeout.Infinite, token));
                token.ThrowIfCancellationRequested();
                work = next();
                return {|#1:work.Result|};
            }

            public async Task<int> BothSides(Task<int> work, CancellationToken token)
            {
                await Task.WhenAny(work, work);
                token.ThrowIfCancellationRequested();
                return {|#2:work.Result|};
            }
        }
        """, Tw1002(0, "Result", "async method 'CheckedLater'"), Tw1002(1, "Result", "async method 'Reassigned'"), Tw1002(2, "Result", "async method 'BothSides'"));

    [Fact]
    public Task KnownCompleteTasks_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Task<int> a, Task<int> b, Task<int> c, Task<int>[] all, List<Task<int>> list)
            {
                var x = Task.FromResult(1).Result;
                Task.CompletedTask.Wait();
                Task.CompletedTask.GetAwaiter().GetResult();
                var v = new ValueTask<int>(Task.FromResult(2)).IsCompleted;

                await a;
                var y = a.Result;

                await Task.WhenAll(b, c).ConfigureAwait(false);
                var z = b.Result + c.GetAwaiter().GetResult();

                await Task.WhenAll(all);
                var first = all[0].Result;
                var sum = 0;
                foreach (var t in all)
                {
                    sum += t.Result;
                }

                await Task.WhenAll(list);
                var fromList = list[0].Result;
                var selected = list.Select(t => t.Result).Sum();
                return x + y + z + first + sum + fromList + selected;
            }

            async Task<int> Guarded(Task<int> t)
            {
                if (t.IsCompletedSuccessfully)
                {
                    return t.Result;
                }

                var quick = t.IsCompleted ? t.Result : -1;
                var alsoQuick = t.Status == TaskStatus.RanToCompletion && t.Result > 0;
                return await t + quick + (alsoQuick ? 1 : 0);
            }
        }
        """);

    // PuppeteerSharp's frame manager: `await Task.WhenAll(new Task[] { tree, attach }.Concat(preload))`,
    // then `tree.Result`. Elements of a Concat/Append of the awaited sequence are complete; a task
    // only in a sequence built otherwise (`Where`) is not known to be among them.
    [Fact]
    public Task TasksInAConcatenatedSequenceAwaitedTogether_AreKnownComplete() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Task<int> tree, Task attach, Task[] preload, Task<int> extra, Task<int> other)
            {
                await Task.WhenAll(new Task[] { tree, attach }.Concat(preload)).ConfigureAwait(false);
                await Task.WhenAll(preload.Append(extra));
                await Task.WhenAll(new Task[] { other }.Where(t => t != null));
                return tree.Result + extra.Result + {|#0:other.Result|};
            }
        }
        """, Tw1002(0, "Result", "async method 'M'"));

    // The MCP SDK's input requests: `keyed` holds `(string Key, Task<T> Task)` pairs, `await Task.WhenAll(
    // Array.ConvertAll(keyed, k => k.Task))`, then `foreach (var (key, task) in keyed) … task.Result`. The loop
    // reads the member the awaited projection took, so each task is complete; so with `Select` and an element
    // variable (`item.Task.Result`). A projection onto another member, or of another collection, proves nothing.
    [Fact]
    public Task TasksOfElementsAwaitedAsAProjection_AreKnownComplete() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        class Pending
        {
            public Task<int> Work = Task.FromResult(1);
            public Task<int> Other = Task.FromResult(2);
        }

        class C
        {
            async Task<Dictionary<string, int>> Resolve((string Key, Task<int> Task)[] keyed, List<Pending> pending, (string Key, Task<int> Task)[] others, (string Key, Task<int> Task)[] unawaited)
            {
                await Task.WhenAll(Array.ConvertAll(keyed, k => k.Task)).ConfigureAwait(false);
                await Task.WhenAll(pending.Select(p => p.Work).ToArray());
                await Task.WhenAll(Array.ConvertAll(others, k => k.Task));
                await Task.WhenAll(Array.ConvertAll(keyed, k => Task.FromResult(k.Key.Length)));
                var responses = new Dictionary<string, int>();
                foreach (var (key, task) in keyed)
                {
                    responses[key] = task.Result;
                }

                foreach (var item in pending)
                {
                    responses[item.Work.ToString()] = item.Work.Result + {|#0:item.Other.Result|};
                }

                foreach (var (key, task) in others)
                {
                    responses[key] = task.Result;
                }

                foreach (var (key, task) in unawaited)
                {
                    responses[key] = {|#1:task.Result|};
                }

                return responses;
            }
        }
        """, Tw1002(0, "Result", "async method 'Resolve'"), Tw1002(1, "Result", "async method 'Resolve'"));

    [Fact]
    public Task SyncCode_NonBlockingPoll_AndOtherResultProperties_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class Outcome { public int Result { get; set; } public void Wait() { } }

        class C
        {
            int Sync(Task<int> t) => t.Result;

            async Task M(Task<int> t, Outcome outcome)
            {
                Func<int> later = () => t.Result;
                var done = t.Wait(0);
                var doneToo = t.Wait(TimeSpan.Zero);
                outcome.Wait();
                var r = outcome.Result;
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading.Tasks;

        class C
        {
            async Task M(Task<int> t, Task<int> u, Missing m)
            {
                var a = m.Result;
                var b = {|#1:u.Result|}.;
                var c = t.GetAwaiter().GetResult(1);
                t.Wait(
                var d = {|#0:t.Result|};
            }
        }
        """, Tw1002(0, "Result", "async method 'M'"), Tw1002(1, "Result", "async method 'M'"));

    // The winner of a WhenAny awaited through a wrapper extension whose awaitable type is missing (read
    // as a wrapper like ConfigureAwait), through an unknown method, or of a half-typed WhenAny.
    [Fact]
    public Task BrokenWhenAnyWrappers_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading.Tasks;

        static class Wrappers
        {
            public static Missing CfAwait<T>(this Task<T> task) => null;
        }

        class C
        {
            async Task M(Task<int> t, Task u)
            {
                var w = await Task.WhenAny(t, u).CfAwait();
                if (w != u) { var a = t.Result; }
                var x = await Task.WhenAny(t, u).Unknown();
                if (x != u) { var b = {|#0:t.Result|}; }
                var y = await Task.WhenAny(t, ).CfAwait();
                if (y != u) { var c = {|#1:t.Result|}; }
            }
        }
        """, Tw1002(0, "Result", "async method 'M'"), Tw1002(1, "Result", "async method 'M'"));

    // ---- fix ----------------------------------------------------------------------------------

    [Fact]
    public Task Fix_ReplacesEachWaitWithAwait_Parenthesizing() => VerifyFix.CodeFixAsync("""
        #nullable enable
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            // Each wait is on its own task: after `await t`, a later t.Result no longer blocks. The
            // method writes ConfigureAwait(false) (#4): every new await keeps that convention.
            async Task<int> M(Task task, Task other, Task<string> a, Task<string> b, Task<string?> c, ValueTask<int> number, CancellationToken ct)
            {
                {|#0:task.Wait()|}; // keep me
                {|#1:other.Wait(ct)|};
                var length = {|#2:a.Result|}.Length;
                var first = {|#3:b.GetAwaiter().GetResult()|}[0];
                var maybe = {|#4:c.ConfigureAwait(false).GetAwaiter().GetResult()|}?.Trim();
                return {|#5:number.Result|} + length + first;
            }
        }
        """, """
        #nullable enable
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            // Each wait is on its own task: after `await t`, a later t.Result no longer blocks. The
            // method writes ConfigureAwait(false) (#4): every new await keeps that convention.
            async Task<int> M(Task task, Task other, Task<string> a, Task<string> b, Task<string?> c, ValueTask<int> number, CancellationToken ct)
            {
                await task.ConfigureAwait(false); // keep me
                await other.WaitAsync(ct).ConfigureAwait(false);
                var length = (await a.ConfigureAwait(false)).Length;
                var first = (await b.ConfigureAwait(false))[0];
                var maybe = (await c.ConfigureAwait(false))?.Trim();
                return await number.ConfigureAwait(false) + length + first;
            }
        }
        """,
        Tw1002(0, "Wait", "async method 'M'"), Tw1002(1, "Wait", "async method 'M'"), Tw1002(2, "Result", "async method 'M'"),
        Tw1002(3, "GetAwaiter().GetResult()", "async method 'M'"), Tw1002(4, "GetAwaiter().GetResult()", "async method 'M'"),
        Tw1002(5, "Result", "async method 'M'"));

    [Fact]
    public Task Fix_IsNotOfferedForTimeoutWaitOrInsideLock() => VerifyFix.NoCodeFixAsync("""
        using System.Threading.Tasks;

        class C
        {
            private readonly object _gate = new();

            async Task M(Task<int> t)
            {
                var finished = {|#0:t.Wait(1000)|};
                lock (_gate)
                {
                    var r = {|#1:t.Result|};
                }

                await Task.Yield();
            }
        }
        """, Tw1002(0, "Wait", "async method 'M'"), Tw1002(1, "Result", "async method 'M'"));

    [Fact]
    public Task Fix_NestedWaits_AreRewrittenOverTwoPasses()
    {
        var test = new Microsoft.CodeAnalysis.CSharp.Testing.CSharpCodeFixTest<Threadwise.Blocking.BlockingWaitInAsyncCodeAnalyzer, Threadwise.Blocking.BlockingWaitInAsyncCodeFixProvider, DefaultVerifier>
        {
            ReferenceAssemblies = References.Net80,
            TestCode = """
                using System.Threading.Tasks;

                class C
                {
                    async Task<int> M(Task<Task<int>> nested) => {|#0:{|#1:nested.Result|}.Result|};
                }
                """,
            FixedCode = """
                using System.Threading.Tasks;

                class C
                {
                    async Task<int> M(Task<Task<int>> nested) => await (await nested);
                }
                """,
            // Fix All skips the overlapping inner edit in its first pass and finishes in the second.
            BatchFixedCode = """
                using System.Threading.Tasks;

                class C
                {
                    async Task<int> M(Task<Task<int>> nested) => await await nested;
                }
                """,
            NumberOfFixAllIterations = 2,
            NumberOfIncrementalIterations = 2,
        };
        test.ExpectedDiagnostics.Add(Tw1002(0, "Result", "async method 'M'"));
        test.ExpectedDiagnostics.Add(Tw1002(1, "Result", "async method 'M'"));
        return test.RunAsync();
    }

    [Fact]
    public Task FixAll_AcrossDocuments() => VerifyFix.CodeFixAsync(
        new[]
        {
            """
            using System.Threading.Tasks;

            class A
            {
                async Task<int> One(Task<int> t) => {|#0:t.Result|} + {|#1:t.Result|};
            }
            """,
            """
            using System.Threading.Tasks;

            class B
            {
                async Task Two(Task t) { {|#2:t.Wait()|}; }
            }
            """,
        },
        new[]
        {
            """
            using System.Threading.Tasks;

            class A
            {
                async Task<int> One(Task<int> t) => await t + await t;
            }
            """,
            """
            using System.Threading.Tasks;

            class B
            {
                async Task Two(Task t) { await t; }
            }
            """,
        },
        Tw1002(0, "Result", "async method 'One'"), Tw1002(1, "Result", "async method 'One'"), Tw1002(2, "Wait", "async method 'Two'"));
}
