using Microsoft.CodeAnalysis.Testing;
using Threadwise.Tests.Infrastructure;
using VerifyTw1002 = Threadwise.Tests.Infrastructure.Verify<Threadwise.Blocking.BlockingWaitInAsyncCodeAnalyzer>;
using VerifyTw1005 = Threadwise.Tests.Infrastructure.Verify<Threadwise.Blocking.SyncOverAsyncAnalyzer>;
using VerifyTw3002 = Threadwise.Tests.Infrastructure.Verify<Threadwise.ThreadPool.BlockingInThreadPoolWorkItemAnalyzer>;

namespace Threadwise.Tests.Blocking;

/// <summary>
/// Waits on tasks that are complete on every path to them (TW1002, TW1005, TW3002 share the
/// question), under net8 and under net10, where <c>Task.WhenAll(a, b)</c> binds the
/// <c>params ReadOnlySpan&lt;Task&gt;</c> overload.
/// </summary>
public class KnownCompleteTasksTests
{
    public static TheoryData<string> Frameworks => new() { "net8", "net10" };

    private static ReferenceAssemblies For(string framework) => framework == "net10" ? References.Net100 : References.Net80;

    private static DiagnosticResult Tw1002(int markup, string wait, string where = "async method 'M'")
        => VerifyTw1002.Diagnostic(Descriptors.TW1002BlockingWaitInAsyncCode).WithLocation(markup).WithArguments(wait, where);

    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task AfterAwaitedWhenAll_OfSeparateTasks_IsSilent(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Task<int> a, Task<int> b, Task<string> c)
            {
                await Task.WhenAll(a, b);
                await Task.WhenAll(c).ConfigureAwait(false);
                return a.Result + b.GetAwaiter().GetResult() + c.Result.Length;
            }

            async Task<int> Mixed(Task<int> a, Task<int> b)
            {
                await Task.WhenAll(a, Task.Delay(10));
                return a.Result + {|#0:b.Result|};
            }
        }
        """, For(framework), Tw1002(0, "Result", "async method 'Mixed'"));

    // Deepgram's REST client: `var response = await _httpClient.SendAsync(request, token); var body =
    // response.Content.ReadAsStringAsync().Result;`. HttpClient read the whole body before its task completed, so
    // the read hands back a finished task. Content streamed (ResponseHeadersRead), from a message invoker, or
    // of a response assigned again, is still reported.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task ReadOfContentHttpClientBuffered_IsSilent(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly HttpClient _client = new HttpClient();

            async Task<string> M(HttpRequestMessage request, CancellationToken token)
            {
                var response = await _client.SendAsync(request, token);
                var body = response.Content.ReadAsStringAsync().Result;
                var bytes = (await _client.GetAsync("u").ConfigureAwait(false)).Content.ReadAsByteArrayAsync().GetAwaiter().GetResult();
                return body + bytes.Length;
            }

            async Task<string> Streamed(string uri)
            {
                var response = await _client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
                return {|#0:response.Content.ReadAsStringAsync().Result|};
            }

            async Task<string> Invoked(HttpMessageInvoker invoker, HttpRequestMessage request, HttpResponseMessage other)
            {
                var response = await invoker.SendAsync(request, CancellationToken.None);
                var reassigned = await _client.GetAsync("u");
                reassigned = other;
                return {|#1:response.Content.ReadAsStringAsync().Result|} + {|#2:reassigned.Content.ReadAsStringAsync().Result|};
            }
        }
        """, For(framework), Tw1002(0, "Result", "async method 'Streamed'"), Tw1002(1, "Result", "async method 'Invoked'"), Tw1002(2, "Result", "async method 'Invoked'"));

    // MvvmHelpers' WithTimeout: `var winner = await Task.WhenAny(task, Task.Delay(ms)); return winner is Task<T> ?
    // task.Result : default;`. A delay's task is never the caller's `Task<T>`, so the type test picks the subject.
    // The same test against a task that is not a delay (it may be a `Task<T>` at run time), or for another type,
    // is reported.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task WhenAnyWinnerPickedByItsType_AgainstADelay_IsSilent(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System.Threading.Tasks;

        static class Utils
        {
            public static async Task<T> WithTimeout<T>(this Task<T> task, int milliseconds)
            {
                var winner = await Task.WhenAny(task, Task.Delay(milliseconds)).ConfigureAwait(false);
                return winner is Task<T> ? task.Result : default;
            }

            public static async Task<T> Pattern<T>(this Task<T> task, int milliseconds)
            {
                if (await Task.WhenAny(Task.Delay(milliseconds), task) is Task<T> won)
                {
                    return task.Result;
                }

                return default;
            }

            public static async Task<T> AgainstAnother<T>(this Task<T> task, Task other)
            {
                var winner = await Task.WhenAny(task, other);
                return winner is Task<T> ? {|#0:task.Result|} : default;
            }

            public static async Task<int> OtherType(Task<int> task, int milliseconds)
            {
                var winner = await Task.WhenAny(task, Task.Delay(milliseconds));
                return winner is Task<string> ? {|#1:task.Result|} : 0;
            }
        }
        """, For(framework), Tw1002(0, "Result", "async method 'AgainstAnother'"), Tw1002(1, "Result", "async method 'OtherType'"));

    // The Cassandra driver: `await Task.WhenAll(queries).WaitToCompleteAsync(timeout)` where the extension
    // awaits its task on every path that returns (and throws a TimeoutException otherwise): afterwards
    // `queries[0].Result` is complete. A helper that may return without awaiting it proves nothing.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task AfterAnAwaitingExtension_IsSilent_AfterOneThatMayNotAwait_IsReported(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        static class TaskHelper
        {
            public static async Task WaitToCompleteAsync(this Task task, int timeout = Timeout.Infinite)
            {
                if (timeout == Timeout.Infinite)
                {
                    await task.ConfigureAwait(false);
                    return;
                }

                try
                {
                    var finished = await Task.WhenAny(task, Task.Delay(timeout)).ConfigureAwait(false);
                    if (finished != task)
                    {
                        throw new TimeoutException();
                    }

                    await task.ConfigureAwait(false);
                }
                catch (AggregateException ex)
                {
                    throw ex.InnerException ?? ex;
                }
            }

            public static async Task WaitAtMostAsync(this Task task, int timeout)
            {
                var finished = await Task.WhenAny(task, Task.Delay(timeout)).ConfigureAwait(false);
                if (finished != task)
                {
                    return;
                }

                await task.ConfigureAwait(false);
            }

            public static async Task SoonAsync(this Task task, bool wait)
            {
                if (wait)
                {
                    await task.ConfigureAwait(false);
                }
            }
        }

        class C
        {
            async Task<int> M(Task<int> a, Task<int> b)
            {
                var queries = new[] { a, b };
                await Task.WhenAll(queries).WaitToCompleteAsync(500).ConfigureAwait(false);
                return queries[0].Result + queries[1].Result;
            }

            async Task<int> Single(Task<int> a)
            {
                await a.WaitToCompleteAsync();
                return a.Result;
            }

            async Task<int> MayTimeOut(Task<int> a)
            {
                await a.WaitAtMostAsync(500);
                return {|#0:a.Result|};
            }

            async Task<int> Observed(Task<int> a, bool wait)
            {
                await a.SoonAsync(wait);
                return {|#1:a.Result|};
            }
        }
        """, For(framework), Tw1002(0, "Result", "async method 'MayTimeOut'"), Tw1002(1, "Result", "async method 'Observed'"));

    // dotnet-monitor's `WithCancellation<T>(this Task<T> task, CancellationToken token) { await WithCancellation((Task)task,
    // token); return task.Result; }`, whose non-generic twin awaits `Task.WhenAny(task, Task.Delay(Timeout.Infinite,
    // linked.Token)).Unwrap()`: the winner is the task, or the delay, which ends only by being cancelled and then
    // throws. A delay with an end, a second real task, or a delay local the helper sets again proves nothing.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task AfterAHelperAwaitingTheWinnerAgainstANeverEndingDelay_IsSilent(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        static class TaskExtensions
        {
            public static async Task WithCancellation(this Task task, CancellationToken token)
            {
                using var linked = CancellationTokenSource.CreateLinkedTokenSource(token);
                try
                {
                    Task waitOnCancellation = Task.Delay(Timeout.Infinite, linked.Token);
                    await Task.WhenAny(task, waitOnCancellation).Unwrap().ConfigureAwait(false);
                }
                finally
                {
                    linked.Cancel();
                }
            }

            public static async Task<T> WithCancellation<T>(this Task<T> task, CancellationToken token)
            {
                await WithCancellation((Task)task, token);
                return task.Result;
            }

            public static async Task WithTimeout(this Task task, CancellationToken token)
                => await Task.WhenAny(task, Task.Delay(1000, token)).Unwrap();

            public static async Task<T> WithTimeout<T>(this Task<T> task, CancellationToken token)
            {
                await WithTimeout((Task)task, token);
                return {|#0:task.Result|};
            }

            public static async Task Either(this Task task, Task other)
                => await Task.WhenAny(task, other).Unwrap();

            public static async Task<T> Either<T>(this Task<T> task, Task other)
            {
                await Either((Task)task, other);
                return {|#1:task.Result|};
            }

            public static async Task Swapped(this Task task, CancellationToken token)
            {
                var delay = Task.Delay(Timeout.Infinite, token);
                delay = Task.Delay(10);
                await Task.WhenAny(task, delay).Unwrap();
            }

            public static async Task<T> Swapped<T>(this Task<T> task, CancellationToken token)
            {
                await Swapped((Task)task, token);
                return {|#2:task.Result|};
            }
        }
        """, For(framework),
        Tw1002(0, "Result", "async method 'WithTimeout'"), Tw1002(1, "Result", "async method 'Either'"), Tw1002(2, "Result", "async method 'Swapped'"));

    // The Azure SignalR SDK's `OrTimeout(this Task task, …)`: `var completed = await Task.WhenAny(task, taskToCancel);
    // if (completed == taskToCancel && !task.IsCompleted) throw …;` — past the guard the winner was the task, or the
    // task is complete, so `await tokenTask.OrTimeout(ct); … tokenTask.Result` reads a finished task. A guard that
    // lets the timeout through, a three-task WhenAny, or an `IsFaulted` check proves nothing.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task AfterAHelperThatThrowsUnlessTheTaskWon_IsSilent(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        static class TaskExtensions
        {
            public static async Task OrTimeout(this Task task, CancellationToken token, TimeSpan timeout)
            {
                var taskToCancel = Task.Delay(timeout, token);
                var completed = await Task.WhenAny(task, taskToCancel);
                if (completed == taskToCancel && !task.IsCompleted)
                {
                    throw new TimeoutException();
                }
            }

            public static async Task Won(this Task task, TimeSpan timeout)
            {
                var winner = await Task.WhenAny(task, Task.Delay(timeout));
                if (winner != task) throw new TimeoutException();
            }

            public static async Task Lenient(this Task task, TimeSpan timeout)
            {
                var delay = Task.Delay(timeout);
                var completed = await Task.WhenAny(task, delay);
                if (completed == task && task.IsFaulted) throw new InvalidOperationException();
            }

            public static async Task OfThree(this Task task, Task other, TimeSpan timeout)
            {
                var delay = Task.Delay(timeout);
                var completed = await Task.WhenAny(task, other, delay);
                if (completed == delay) throw new TimeoutException();
            }
        }

        class Negotiator
        {
            async Task<string> M(Task<string> token, CancellationToken ct)
            {
                await token.OrTimeout(ct, TimeSpan.FromSeconds(5));
                return token.Result;
            }

            async Task<string> Second(Task<string> token)
            {
                await token.Won(TimeSpan.FromSeconds(5));
                return token.Result;
            }

            async Task<string> Third(Task<string> token)
            {
                await token.Lenient(TimeSpan.FromSeconds(5));
                return {|#0:token.Result|};
            }

            async Task<string> Fourth(Task<string> token, Task other)
            {
                await token.OfThree(other, TimeSpan.FromSeconds(5));
                return {|#1:token.Result|};
            }
        }
        """, For(framework), Tw1002(0, "Result", "async method 'Third'"), Tw1002(1, "Result", "async method 'Fourth'"));

    // CryptoExchange.Net's reconnect: `await Task.WhenAll(taskList); … taskList.First(t => !t.Result.Success).Result`:
    // an element LINQ picks from the awaited collection is complete. Picked from another collection, or
    // after the collection variable is reassigned, it is not.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task ElementsLinqPicksFromAnAwaitedCollection_AreSilent(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(List<Task<int>> tasks, Task<int>[] others)
            {
                await Task.WhenAll(tasks).ConfigureAwait(false);
                var first = tasks.First(t => t.Result > 0).Result;
                var last = tasks.Last().Result;
                var single = Enumerable.ElementAt(tasks, 1).Result;
                return first + last + single + {|#0:others.First().Result|};
            }

            async Task<int> Reassigned(List<Task<int>> tasks, List<Task<int>> next)
            {
                await Task.WhenAll(tasks);
                tasks = next;
                return {|#1:tasks.First().Result|};
            }
        }
        """, For(framework), Tw1002(0, "Result"), Tw1002(1, "Result", "async method 'Reassigned'"));

    [Fact]
    public Task BrokenAwaitingHelpers_DoNotCrash() => VerifyTw1002.BrokenCodeAsync("""
        using System.Threading.Tasks;

        static class TaskHelper
        {
            public static async Task WaitBroken(this Task task, int timeout)
            {
                if (timeout > 0
                    await task;
            }

            public static async Task WaitUnknown(this Missing task) => await task;
        }

        class C
        {
            async Task<int> M(Task<int> a, Missing b)
            {
                await a.WaitBroken(1);
                await b.WaitUnknown();
                return {|#0:a.Result|} + b.Result;
            }
        }
        """, Tw1002(0, "Result"));

    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task GuardsThatLeaveUnlessComplete_AreSilent(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> Returns(Task<int> t)
            {
                await Task.Yield();
                if (!t.IsCompleted)
                {
                    return -1;
                }

                return t.Result;
            }

            async Task<int> Throws(Task<int> t)
            {
                await Task.Yield();
                if (!t.IsCompletedSuccessfully) throw new InvalidOperationException();
                return t.Result;
            }

            async Task<int> Status(Task<int> t)
            {
                await Task.Yield();
                switch (t.Status)
                {
                    case TaskStatus.RanToCompletion:
                        return t.Result;
                    case TaskStatus.Faulted:
                    case TaskStatus.Canceled:
                        t.GetAwaiter().GetResult();
                        return 0;
                    default:
                        return -1;
                }
            }

            async Task<int> StatusExpression(Task<int> t)
            {
                await Task.Yield();
                return t.Status switch { TaskStatus.RanToCompletion => t.Result, _ => 0 };
            }

            async Task<int> Or(Task<int> t, bool stop)
            {
                await Task.Yield();
                if (stop || t.Status != TaskStatus.RanToCompletion) return 0;
                return t.Result;
            }

            async Task<int> Polled(Task<int> t)
            {
                while (!t.IsCompleted)
                {
                    await Task.Delay(10);
                }

                return t.Result;
            }

            async Task<int> Else(Task<int> t)
            {
                await Task.Yield();
                return !t.IsCompleted ? 0 : t.Result;
            }
        }
        """, For(framework));

    // vs-threading's AsyncLazy: `switch (this.value?.Status) { case TaskStatus.RanToCompletion: … this.value.Result`
    // — a null task has no status, so the case proves the field's task finished. A case that proves another
    // task's status, or a status that is not final, proves nothing.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task StatusOfAConditionalAccess_ProvesCompletion(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System.Threading.Tasks;

        class Lazy
        {
            private Task<int>? _value;
            private Task<int>? _other;

            async Task<int> Dispose()
            {
                await Task.Yield();
                switch (_value?.Status)
                {
                    case TaskStatus.RanToCompletion:
                        return _value.Result;
                    case TaskStatus.Running:
                        return {|#0:_value.Result|};
                    default:
                        return 0;
                }
            }

            async Task<int> Other()
            {
                await Task.Yield();
                switch (_other?.Status)
                {
                    case TaskStatus.RanToCompletion:
                        return {|#1:_value!.Result|};
                    default:
                        return 0;
                }
            }
        }
        """, For(framework), Tw1002(0, "Result", "async method 'Dispose'"), Tw1002(1, "Result", "async method 'Other'"));

    // Orleans' directory hand-off: `for (var i = tasks.Length - 1; i >= 0; i--) { if (!tasks[i].IsCompletedSuccessfully)
    // continue; var winner = tasks[i].Result; … }` — the same element, by a loop index the body never writes. Another
    // index, an index the body steps, or an element written between the check and the read prove nothing.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task ArrayElementsCheckedByTheLoopIndex_AreComplete(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System.Threading.Tasks;

        class Handoff
        {
            async Task<int> M(Task<int>[] tasks, int j)
            {
                await Task.Yield();
                var sum = 0;
                for (var i = tasks.Length - 1; i >= 0; i--)
                {
                    if (!tasks[i].IsCompletedSuccessfully) continue;
                    sum += tasks[i].Result;
                    sum += {|#0:tasks[j].Result|};
                }

                for (var i = 0; i < tasks.Length; i++)
                {
                    if (tasks[i].IsCompleted)
                    {
                        sum += tasks[i].Result;
                    }
                }

                if (tasks[0].IsCompleted)
                {
                    sum += tasks[0].Result;
                }

                for (var i = 0; i < tasks.Length - 1; i++)
                {
                    if (!tasks[i].IsCompleted) continue;
                    i++;
                    sum += {|#1:tasks[i].Result|};
                }

                for (var i = 0; i < tasks.Length; i++)
                {
                    if (!tasks[i].IsCompleted) continue;
                    tasks[i] = Task.Run(() => 1);
                    sum += {|#2:tasks[i].Result|};
                }

                return sum;
            }
        }
        """, For(framework), Tw1002(0, "Result"), Tw1002(1, "Result"), Tw1002(2, "Result"));

    // Orleans' membership probes: `for (var i = 0; i < tasks.Count; i++) if (tasks[i].Status != TaskStatus.RanToCompletion
    // || !tasks[i].GetAwaiter().GetResult()) failed.Add(members[i]);` over a List. A list changed by its own methods in
    // the loop (`RemoveAt` shifts the elements) or written through its indexer proves nothing; outside a loop, so does
    // a list any of whose methods the function calls.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task ListElementsCheckedByTheLoopIndex_AreComplete(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class Probes
        {
            async Task<List<int>> M(List<Task<bool>> tasks)
            {
                await Task.Yield();
                var failed = new List<int>();
                for (var i = 0; i < tasks.Count; i++)
                {
                    if (tasks[i].Status != TaskStatus.RanToCompletion || !tasks[i].GetAwaiter().GetResult())
                    {
                        failed.Add(i);
                    }
                }

                for (var i = 0; i < tasks.Count; i++)
                {
                    if (!tasks[i].IsCompleted) continue;
                    tasks.RemoveAt(0);
                    if ({|#0:tasks[i].Result|}) failed.Add(i);
                }

                for (var i = 0; i < tasks.Count; i++)
                {
                    if (!tasks[i].IsCompleted) continue;
                    tasks[i] = Task.Run(() => true);
                    if ({|#1:tasks[i].Result|}) failed.Add(i);
                }

                if (tasks[0].IsCompleted && {|#2:tasks[0].Result|}) failed.Add(0);
                tasks.Add(Task.FromResult(true));
                return failed;
            }
        }
        """, For(framework), Tw1002(0, "Result"), Tw1002(1, "Result"), Tw1002(2, "Result"));

    // Apache Ignite's lazy transaction: `internal long Id => _tx is { IsCompleted: true } ? _tx.Result.Id : -1;`
    // — a property pattern that asks for completion proves it as the property read does, and so does the
    // negated pattern that returns early. `IsCompleted: false`, a pattern on another task, and a status that is
    // not final prove nothing.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task PropertyPatternsOfCompletion_ProveIt(string framework) => VerifyTw1005.AnalyzerAsync("""
        using System.Threading.Tasks;

        class Tx { public long Id; }

        class LazyTransaction
        {
            private Task<Tx>? _tx;
            private Task<Tx>? _other;

            internal long Id => _tx is { IsCompleted: true } ? _tx.Result.Id : -1;

            internal long Succeeded => _tx is { IsCompletedSuccessfully: true, IsFaulted: false } ? _tx.Result.Id : -1;

            internal long Ran => _tx is { Status: TaskStatus.RanToCompletion } ? _tx.Result.Id : -1;

            internal long Early()
            {
                if (_tx is not { IsCompleted: true })
                {
                    return -1;
                }

                return _tx.Result.Id;
            }

            internal long NotDone => _tx is { IsCompleted: false } ? {|#0:_tx.Result|}.Id : -1;

            internal long Another => _other is { IsCompleted: true } ? {|#1:_tx!.Result|}.Id : -1;

            internal long Running => _tx is { Status: TaskStatus.Running } ? {|#2:_tx.Result|}.Id : -1;
        }
        """, For(framework),
        VerifyTw1005.Diagnostic(Descriptors.TW1005SyncOverAsync).WithLocation(0).WithArguments("Result", "property 'NotDone'", "a property cannot be async: turn it into an async method and await the task"),
        VerifyTw1005.Diagnostic(Descriptors.TW1005SyncOverAsync).WithLocation(1).WithArguments("Result", "property 'Another'", "a property cannot be async: turn it into an async method and await the task"),
        VerifyTw1005.Diagnostic(Descriptors.TW1005SyncOverAsync).WithLocation(2).WithArguments("Result", "property 'Running'", "a property cannot be async: turn it into an async method and await the task"));

    // Bedrock's receive loop: `if (!flush.IsCompleted) await flush;` then `flush.Result`: the branch taken
    // when the task is not complete waits for it, so past the `if` it is complete either way. A branch that
    // waits for another task, waits only conditionally, or an `else` that might skip it, proves nothing.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task GuardsThatWaitUnlessComplete_AreSilent(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System.Threading.Tasks;

        class C
        {
            async Task<int> Awaited(Task<int> flush)
            {
                if (!flush.IsCompleted)
                {
                    await flush.ConfigureAwait(false);
                }

                return flush.Result;
            }

            async Task<int> Waited(Task<int> flush)
            {
                await Task.Yield();
                if (!flush.IsCompleted) {|#3:flush.Wait()|};
                return flush.Result;
            }

            async Task<int> Other(Task<int> flush, Task<int> other)
            {
                if (!flush.IsCompleted)
                {
                    await other;
                }

                return {|#0:flush.Result|};
            }

            async Task<int> Conditionally(Task<int> flush, bool wait)
            {
                if (!flush.IsCompleted)
                {
                    if (wait) await flush;
                }

                return {|#1:flush.Result|};
            }

            async Task<int> ReplacedInTheBranch(Task<int> flush, Task<int> next)
            {
                if (!flush.IsCompleted)
                {
                    await flush;
                    flush = next;
                }

                return {|#4:flush.Result|};
            }

            async Task<int> WithElse(Task<int> flush)
            {
                if (!flush.IsCompleted)
                    await flush;
                else
                    flush = Task.FromResult(0).ContinueWith(t => 1);

                return {|#2:flush.Result|};
            }
        }
        """, For(framework),
        Tw1002(0, "Result", "async method 'Other'"), Tw1002(1, "Result", "async method 'Conditionally'"),
        Tw1002(2, "Result", "async method 'WithElse'"),
        // The wait itself blocks, and is reported; the read after it is not.
        Tw1002(3, "Wait", "async method 'Waited'"),
        Tw1002(4, "Result", "async method 'ReplacedInTheBranch'"));

    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task GuardsThatProveNothing_AreReported(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System.Threading.Tasks;

        class C
        {
            async Task<int> FaultedOrCanceled(Task<int> t)
            {
                await Task.Yield();
                if (t.IsFaulted || t.IsCanceled)
                {
                    return -1;
                }

                return {|#0:t.Result|};
            }

            async Task<int> GuardThatDoesNotLeave(Task<int> t, bool flag)
            {
                await Task.Yield();
                if (!t.IsCompleted)
                {
                    flag = false;
                }

                return {|#1:t.Result|};
            }

            async Task<int> NotRunning(Task<int> t)
            {
                await Task.Yield();
                if (t.Status != TaskStatus.Running) return {|#2:t.Result|};
                return 0;
            }

            async Task<int> LoopWithBreak(Task<int> t, bool flag)
            {
                while (!t.IsCompleted)
                {
                    if (flag) break;
                    await Task.Delay(1);
                }

                return {|#3:t.Result|};
            }
        }
        """, For(framework),
        Tw1002(0, "Result", "async method 'FaultedOrCanceled'"), Tw1002(1, "Result", "async method 'GuardThatDoesNotLeave'"),
        Tw1002(2, "Result", "async method 'NotRunning'"), Tw1002(3, "Result", "async method 'LoopWithBreak'"));

    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task EarlierUntimedWaits_FactoryLocals_RunSynchronously_AreSilent(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Task<int> a, Task<int> b, Task<int> c, Task<int> d)
            {
                await Task.Yield();
                {|#0:a.Wait()|};
                var x = a.Result;
                Task.WaitAll(b, c);
                var y = b.Result + c.GetAwaiter().GetResult();
                var e = new Task<int>(() => 1);
                e.RunSynchronously();
                var z = e.Result;
                Task<int> f = Task.FromResult(3);
                var w = f.Result;
                if (!{|#2:d.Wait(100)|}) return 0;
                return x + y + z + w + d.Result;
            }
        }
        """, For(framework), Tw1002(0, "Wait"), Tw1002(2, "Wait"));

    // libplctag's tag: `if (create.Task.Result != Status.Ok) { …; throw new X(create.Task.Result); }`. The
    // condition's read blocks until the task is complete, before either branch and what follows the `if`:
    // one finding, at the first read. A read in the right side of `&&` may not run: the simple flow analysis
    // does not follow it into the branch, and reports the second read too.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task AReadInAnIfCondition_CompletesTheTaskForWhatFollows(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(TaskCompletionSource<int> create, Task<int> other, bool check)
            {
                await Task.Yield();
                if ({|#0:create.Task.Result|} != 0)
                {
                    throw new InvalidOperationException(create.Task.Result.ToString());
                }
                else
                {
                    Console.WriteLine(create.Task.Result);
                }

                if (check && {|#1:other.Result|} > 0)
                {
                    return {|#2:other.Result|};
                }

                return create.Task.Result;
            }
        }
        """, For(framework), Tw1002(0, "Result"), Tw1002(1, "Result"), Tw1002(2, "Result"));

    // MassTransit's one-time setup payload: `_value.TrySetResult(true);` then each pending waiter is handed
    // `_value.Task`, whose `.Result` a helper reads. Once a Set/TrySet call on the source returns, its task is
    // complete (TrySet fails only when it already was). Set in a branch that may not run, on another source,
    // or not at all, or replaced by another source after it was set, and the read is reported; so is one set
    // in both branches of an if/else (each completing statement must come before the read on every path by
    // itself).
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task TheTaskOfACompletionSourceJustSet_IsComplete(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class Payload
        {
            private readonly TaskCompletionSource<bool> _value = new(TaskCreationOptions.RunContinuationsAsynchronously);
            private readonly TaskCompletionSource<bool> _other = new();

            async Task<bool> M(bool ready, Exception? error)
            {
                await Task.Yield();
                if (error is null)
                    _value.TrySetResult(true);
                else
                    _value.TrySetException(error);

                var a = {|#0:_value.Task.Result|};

                var source = new TaskCompletionSource<int>();
                source.SetResult(1);
                var b = source.Task.Result;

                var canceled = new TaskCompletionSource<int>();
                canceled.TrySetCanceled();
                var c = canceled.Task.Status;

                _other.TrySetResult(ready);
                var d = _other.Task.Result;

                var maybe = new TaskCompletionSource<int>();
                if (ready)
                    maybe.SetResult(2);
                var e = {|#1:maybe.Task.Result|};

                var unset = new TaskCompletionSource<int>();
                _other.SetResult(false);
                var f = {|#2:unset.Task.Result|};

                var replaced = new TaskCompletionSource<int>();
                replaced.SetResult(3);
                replaced = new TaskCompletionSource<int>();
                var g = {|#3:replaced.Task.Result|};

                return a && b + e + f + g > 0 && d;
            }
        }
        """, For(framework), Tw1002(0, "Result"), Tw1002(1, "Result"), Tw1002(2, "Result"), Tw1002(3, "Result"));

    // Akka.NET's channel scheduler: `readTask = await Task.WhenAny(readTasks)` at the end of a do body,
    // then `while (readTask.Result)`. WhenAny hands back the task that finished.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task TheTaskAnAwaitedWhenAnyReturns_IsComplete(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System.Threading.Tasks;

        class C
        {
            async Task M(Task<bool>[] reads, Task<int> a, Task<int> b)
            {
                Task<bool> read;
                do
                {
                    await Task.Yield();
                    read = await Task.WhenAny(reads).ConfigureAwait(false);
                }
                while (read.Result);

                var first = await Task.WhenAny(a, b);
                var sum = first.Result;

                Task<bool> skipped;
                do
                {
                    skipped = reads[0];
                    if (sum > 1)
                    {
                        continue;
                    }

                    skipped = await Task.WhenAny(reads);
                }
                while ({|#0:skipped.Result|});

                sum += (await Task.WhenAny(a, b)).Result;
                var pending = Task.WhenAny(a, b);
                var done = {|#1:pending.Result|};
            }
        }
        """, For(framework), Tw1002(0, "Result"), Tw1002(1, "Result"));

    // The Couchbase client's replica reads: `try { await first; } catch (AggregateException e) { throw new
    // X(e); }` then `return first.Result;`. Past a try whose every catch throws or returns (or that has
    // only a finally), the await ran to its end. A catch that falls through, a wait in the catch or
    // finally, or an await nested deeper in the try proves nothing.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task AfterAwaitInATryWhoseCatchesLeave_IsSilent(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Task<int> a, Task<int> b, Task<int> c, Task<int> d, Task<int> e, bool flag)
            {
                try
                {
                    await a.ConfigureAwait(false);
                }
                catch (AggregateException ex)
                {
                    throw new InvalidOperationException("unretrievable", ex);
                }
                catch (TimeoutException)
                {
                    return -1;
                }

                try { Console.WriteLine("sending"); await b; Console.WriteLine("sent"); } finally { Console.WriteLine("done"); }

                try { await c; } catch (Exception ex) { Console.WriteLine(ex); }

                try { if (flag) await d; } catch { throw; }

                try { await e; } catch { Console.WriteLine({|#3:e.Result|}); throw; }

                return a.Result + b.Result + {|#0:c.Result|} + {|#1:d.Result|} + e.Result + {|#2:Later(a).Result|};
            }

            static Task<int> Later(Task<int> t) => t;
        }
        """, For(framework), Tw1002(0, "Result"), Tw1002(1, "Result"), Tw1002(2, "Result"), Tw1002(3, "Result"));

    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task ReassignedAfterCompletion_IsReported(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System.Threading.Tasks;

        class C
        {
            static Task<int> G() => Task.Run(() => 1);

            async Task<int> M()
            {
                var t = G();
                await t;
                t = G();
                var first = {|#0:t.Result|};

                Task<int> f = Task.FromResult(1);
                f = G();
                var second = {|#1:f.Result|};

                var u = G();
                await u;
                for (var i = 0; i < 3; i++)
                {
                    first += {|#2:u.Result|};
                    u = G();
                }

                return first + second;
            }
        }
        """, For(framework), Tw1002(0, "Result"), Tw1002(1, "Result"), Tw1002(2, "Result"));

    // Npgsql's send: `if (sendTask.IsFaulted) sendTask.GetAwaiter().GetResult();` rethrows a finished
    // task's exception; faulted and canceled are final states.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task InsideAFaultedOrCanceledCheck_IsSilent(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Task<int> t, Task<int> u)
            {
                if (t.IsFaulted)
                    t.GetAwaiter().GetResult();
                if (t.IsFaulted || t.IsCanceled)
                    return t.Result;
                if (t.IsFaulted || u.IsCanceled)
                    return {|#0:t.Result|};
                await Task.Yield();
                return 0;
            }

            async Task<int> N(Task<int> t)
            {
                await Task.Yield();
                if (!t.IsFaulted)
                    return {|#1:t.Result|};
                return 0;
            }
        }
        """, For(framework), Tw1002(0, "Result"), Tw1002(1, "Result", "async method 'N'"));

    // gRPC targets netstandard2.0, where Task has no IsCompletedSuccessfully: it writes the extension
    // method `task.IsCompletedSuccessfully()` and reads `.Result` behind it. Newtonsoft.Json's copy, vendored by
    // Elastic APM and Exceptionless, is spelled `IsCompletedSucessfully()`.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task BehindACompletionCheckExtension_IsSilent(string framework) => VerifyTw1005.AnalyzerAsync("""
        using System.Threading.Tasks;

        static class CompatibilityHelpers
        {
            public static bool IsCompletedSuccessfully(this Task task) => task.Status == TaskStatus.RanToCompletion;
            public static bool IsCompletedSucessfully(this Task task) => task.Status == TaskStatus.RanToCompletion;
            public static bool LooksDone(this Task task) => task.Id > 0;
        }

        class Call
        {
            private readonly TaskCompletionSource<int> _callTcs = new TaskCompletionSource<int>();

            public int Status() => _callTcs.Task.IsCompletedSuccessfully() ? _callTcs.Task.Result : -1;

            public int Misspelled()
            {
                Task<int> task = _callTcs.Task;
                if (task.IsCompletedSucessfully())
                {
                    return task.Result;
                }

                return -1;
            }

            public int Guess() => _callTcs.Task.LooksDone() ? {|#0:_callTcs.Task.Result|} : -1;
        }
        """, For(framework),
        VerifyTw1005.Diagnostic(Descriptors.TW1005SyncOverAsync).WithLocation(0).WithArguments("Result", "synchronous method 'Guess'", "make it async and await the task"));

    // dotnet/diagnostics' router factory writes the same polyfill as a protected static helper,
    // `IsCompletedSuccessfully(Task t)`, and reads `ipcServerStreamTask.Result` behind it in async code. An
    // instance method of that name proves nothing about the task it is handed.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task BehindAStaticCompletionCheckHelper_IsSilent(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class RouterFactory
        {
            protected static bool IsCompletedSuccessfully(Task t) => t.Status == TaskStatus.RanToCompletion;

            protected bool IsCompleted(Task t) => t.Id > 0;

            public async Task<Stream> CreateAsync(Task<Stream> ipc, Task<Stream> tcp)
            {
                await Task.WhenAny(ipc, tcp).ConfigureAwait(false);
                if (IsCompletedSuccessfully(ipc))
                {
                    return ipc.Result;
                }

                if (IsCompleted(tcp))
                {
                    return {|#0:tcp.Result|};
                }

                return null;
            }
        }
        """, For(framework), Tw1002(0, "Result", "async method 'CreateAsync'"));

    // Npgsql's dual-path methods: `Flush(async: false).GetAwaiter().GetResult()` asks for the synchronous
    // path, which has run to the end when the call returns (TW1005 and TW4008 alike).
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task CallsThatAskForTheSynchronousPath_AreComplete(string framework) => VerifyTw1005.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Buffer
        {
            public async Task Flush(bool async, CancellationToken cancellationToken = default)
            {
                if (async)
                    await Task.Yield();
            }

            public void WriteTerminate()
            {
                Flush(false).GetAwaiter().GetResult();
                Flush(async: false, CancellationToken.None).Wait();
                var pending = Flush(false);
                pending.GetAwaiter().GetResult();
            }

            public void WriteAsyncPath(bool flag)
            {
                {|#0:Flush(true).GetAwaiter().GetResult()|};
                {|#1:Flush(flag).Wait()|};
            }
        }
        """, For(framework),
        VerifyTw1005.Diagnostic(Descriptors.TW1005SyncOverAsync).WithLocation(0).WithArguments("GetAwaiter().GetResult()", "synchronous method 'WriteAsyncPath'", "make it async and await the task"),
        VerifyTw1005.Diagnostic(Descriptors.TW1005SyncOverAsync).WithLocation(1).WithArguments("Wait", "synchronous method 'WriteAsyncPath'", "make it async and await the task"));

    // Discord.Net's UDP receive loop: `var task = await Task.WhenAny(closeTask, receiveTask); if (task ==
    // closeTask) break;` then `receiveTask.Result`. WhenAny of two hands back one that finished: when it
    // is not the one, it is the other. Of three tasks, or with the winner reassigned, nothing follows.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task TheOtherTaskOfATwoTaskWhenAny_IsComplete_WhenTheWinnerIsNotTheFirst(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System.Threading.Tasks;

        class C
        {
            async Task<int> Loop(Task close, Task<int> receive)
            {
                var sum = 0;
                while (true)
                {
                    var task = await Task.WhenAny(close, receive);
                    if (task == close)
                        break;
                    sum += receive.Result;
                }

                return sum;
            }

            async Task<int> NotEqual(Task close, Task<int> receive)
            {
                var winner = await Task.WhenAny(receive, close).ConfigureAwait(false);
                return winner != close ? receive.Result : 0;
            }

            async Task<int> OfThree(Task close, Task<int> receive, Task<int> third)
            {
                var any = await Task.WhenAny(close, receive, third);
                if (any == close)
                    return 0;
                return {|#0:receive.Result|};
            }

            async Task<int> Reassigned(Task close, Task<int> receive, Task<int> third)
            {
                var moved = await Task.WhenAny(close, receive);
                moved = third;
                if (moved != close)
                    return {|#1:receive.Result|};
                return 0;
            }
        }
        """, For(framework), Tw1002(0, "Result", "async method 'OfThree'"), Tw1002(1, "Result", "async method 'Reassigned'"));

    // Hazelcast's socket connect: `var task = await Task.WhenAny(connected.Task, timeoutTask).CfAwait();
    // if (task != timeoutTask) connected.Task.GetAwaiter().GetResult();` — `.CfAwait()` is an extension
    // like ConfigureAwait (it returns an awaitable, not a task), so the winner is still WhenAny's. An
    // extension that returns another task (`.WithTimeout()`) may hand back anything.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task TheWinnerOfAWhenAnyAwaitedThroughAConfigureAwaitLikeExtension_IsKnown(string framework) => VerifyTw1002.AnalyzerAsync("""
        using System;
        using System.Runtime.CompilerServices;
        using System.Threading.Tasks;

        static class TaskExtensions
        {
            public static ConfiguredTaskAwaitable<T> CfAwait<T>(this Task<T> task) => task.ConfigureAwait(false);
            public static Task<T> WithTimeout<T>(this Task<T> task) => task;
        }

        class Sockets
        {
            async Task Connect(TaskCompletionSource<object> connected, int timeout)
            {
                var timeoutTask = Task.Delay(timeout);
                var task = await Task.WhenAny(connected.Task, timeoutTask).CfAwait();
                if (task != timeoutTask)
                {
                    connected.Task.GetAwaiter().GetResult();
                    return;
                }

                var other = await Task.WhenAny(connected.Task, timeoutTask).WithTimeout();
                if (other != timeoutTask)
                {
                    {|#0:connected.Task.GetAwaiter().GetResult()|};
                }
            }
        }
        """, For(framework), Tw1002(0, "GetAwaiter().GetResult()", "async method 'Connect'"));

    // OpenTelemetry's MetricReader.Collect: `Task.WaitAny([tcs.Task, shutdown.Task], timeout) == 0 &&
    // tcs.Task.GetAwaiter().GetResult()` — WaitAny returned the index of a task that finished. The other
    // element, or another index, proves nothing.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task TheTaskAtTheIndexWaitAnyReturned_IsComplete(string framework) => VerifyTw1005.AnalyzerAsync("""
        using System.Threading.Tasks;

        class Reader
        {
            private readonly TaskCompletionSource<bool> _collection = new TaskCompletionSource<bool>();
            private readonly TaskCompletionSource<bool> _shutdown = new TaskCompletionSource<bool>();

            public bool Collect(int timeout)
                => Task.WaitAny([_collection.Task, _shutdown.Task], timeout) == 0 && _collection.Task.GetAwaiter().GetResult();

            public bool Array(int timeout)
            {
                if (Task.WaitAny(new Task[] { _collection.Task, _shutdown.Task }, timeout) != 1)
                {
                    return false;
                }

                return _shutdown.Task.Result;
            }

            public bool Other(int timeout)
                => Task.WaitAny([_collection.Task, _shutdown.Task], timeout) == 0 && {|#0:_shutdown.Task.Result|};
        }
        """, For(framework),
        VerifyTw1005.Diagnostic(Descriptors.TW1005SyncOverAsync).WithLocation(0).WithArguments("Result", "synchronous method 'Other'", "make it async and await the task"));

    // YARP's forwarder: `var tried = content?.ConsumptionTask.IsCompleted == true;` and later
    // `if (tried) content!.ConsumptionTask.Result`. A flag that holds a completion check proves it
    // where it is read, unless the flag or the task's variable is written again in the function.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task AFlagHoldingACompletionCheck_ProvesIt(string framework) => VerifyTw1005.AnalyzerAsync("""
        #nullable enable
        using System.Threading.Tasks;

        class Content { public Task<int> ConsumptionTask { get; } = Task.FromResult(0); }

        class Forwarder
        {
            public int Handle(Content? content, Task<int> other)
            {
                var tried = content?.ConsumptionTask.IsCompleted == true;
                var done = other.IsCompleted;
                var sum = 0;
                if (tried)
                {
                    sum += content!.ConsumptionTask.Result;
                }

                if (done)
                {
                    sum += other.Result;
                }

                return sum;
            }

            public int Stale(Task<int> task, Task<int> next)
            {
                var done = task.IsCompleted;
                task = next;
                return done ? {|#0:task.Result|} : 0;
            }

            public int Changed(Task<int> task)
            {
                var done = task.IsCompleted;
                done = true;
                return done ? {|#1:task.Result|} : 0;
            }
        }
        """, For(framework),
        VerifyTw1005.Diagnostic(Descriptors.TW1005SyncOverAsync).WithLocation(0).WithArguments("Result", "synchronous method 'Stale'", "make it async and await the task"),
        VerifyTw1005.Diagnostic(Descriptors.TW1005SyncOverAsync).WithLocation(1).WithArguments("Result", "synchronous method 'Changed'", "make it async and await the task"));

    // A call whose constant flag keeps it off the one path that starts work returns a finished task.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task CallsWhoseConstantsLeaveOnlyFinishedTasks_AreComplete(string framework) => VerifyTw1005.AnalyzerAsync("""
        using System.Threading.Tasks;

        class Cache
        {
            private Task<int> Load(bool refresh) => refresh ? Task.Run(() => 1) : Task.FromResult(0);

            public int Cached() => Load(refresh: false).Result;

            public int Fresh() => {|#0:Load(refresh: true).Result|};
        }
        """, For(framework),
        VerifyTw1005.Diagnostic(Descriptors.TW1005SyncOverAsync).WithLocation(0).WithArguments("Result", "synchronous method 'Fresh'", "make it async and await the task"));

    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task ContinuationAntecedent_AndCustomAwaiter_AreSilent(string framework) => VerifyTw1005.AnalyzerAsync("""
        using System;
        using System.Runtime.CompilerServices;
        using System.Threading.Tasks;

        class C
        {
            Task<int> Next(Task<int> t) => t.ContinueWith(previous => previous.Result + 1);

            Task<int> Same(Task<int> t) => t.ContinueWith(_ => t.Result * 2);

            Task<int> All(Task<int>[] tasks) => Task.Factory.ContinueWhenAll(tasks, done => done[0].Result);
        }

        readonly struct BothAwaiter : ICriticalNotifyCompletion
        {
            private readonly Task<int> _first;
            private readonly Task<int> _second;

            public BothAwaiter(Task<int> first, Task<int> second) { _first = first; _second = second; }

            public bool IsCompleted => _first.IsCompleted && _second.IsCompleted;

            public (int, int) GetResult() => (_first.Result, _second.GetAwaiter().GetResult());

            public void OnCompleted(Action continuation) => Task.WhenAll(_first, _second).ContinueWith(_ => continuation());

            public void UnsafeOnCompleted(Action continuation) => OnCompleted(continuation);
        }
        """, For(framework));

    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task SyncCode_AfterGuard_IsSilent_WithoutGuard_IsReported(string framework) => VerifyTw1005.AnalyzerAsync("""
        using System.Threading.Tasks;

        class C
        {
            int TryGet(Task<int> t)
            {
                if (!t.IsCompletedSuccessfully)
                {
                    return -1;
                }

                return t.Result;
            }

            int Get(Task<int> t) => {|#0:t.Result|};
        }
        """, For(framework),
        VerifyTw1005.Diagnostic(Descriptors.TW1005SyncOverAsync).WithLocation(0).WithArguments("Result", "synchronous method 'Get'", "make it async and await the task"));

    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task ThreadPoolWorkItem_AfterWaitAll_IsSilent(string framework) => VerifyTw3002.AnalyzerAsync("""
        using System.Threading.Tasks;

        class C
        {
            Task<int> M(Task<int> a, Task<int> b) => Task.Run(async () =>
            {
                await Task.WhenAll(a, b);
                return a.Result + b.Result;
            });
        }
        """, For(framework));
}
