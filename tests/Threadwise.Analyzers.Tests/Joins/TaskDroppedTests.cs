using Microsoft.CodeAnalysis.Testing;
using Threadwise.Tests.Infrastructure;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.Joins.TaskDroppedAnalyzer>;
using VerifyAwait = Threadwise.Tests.Infrastructure.Verify<Threadwise.Joins.TaskDroppedAnalyzer, Threadwise.Joins.TaskDroppedAwaitFixProvider>;
using VerifyDiscard = Threadwise.Tests.Infrastructure.Verify<Threadwise.Joins.TaskDroppedAnalyzer, Threadwise.Joins.TaskDroppedDiscardFixProvider>;
using VerifyBest = Threadwise.Tests.Infrastructure.Verify<Threadwise.Joins.TaskDroppedAnalyzer, Threadwise.Joins.TaskDroppedFixProvider>;

namespace Threadwise.Tests.Joins;

public class TaskDroppedTests
{
    private static DiagnosticResult Tw4002(int markup, string type, string method)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW4002TaskDropped).WithLocation(markup).WithArguments(type, method);

    // CacheManager's Redis handle: `var tran = db.CreateTransaction(); tran.HashSetAsync(…); committed =
    // tran.Execute();` (StackExchange.Redis). A queued command's task completes when the batch runs, so
    // awaiting it first would wait forever. The same call on a batch that is never executed here, or
    // executed before the command is queued, or on another object, is reported.
    [Fact]
    public Task CommandsQueuedOnABatchExecutedLater_AreNotDropped() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        public interface IBatch
        {
            Task<bool> HashSetAsync(string key, string field, string value);
            Task<long> IncrementAsync(string key);
            bool Execute();
            Task<bool> ExecuteAsync();
        }

        public interface IDatabase
        {
            IBatch CreateTransaction();
            Task<bool> HashSetAsync(string key, string field, string value);
        }

        class RedisHandle
        {
            public bool Update(IDatabase db, string key)
            {
                var tran = db.CreateTransaction();
                tran.HashSetAsync(key, "value", "v");
                tran.IncrementAsync(key + ":version");
                return tran.Execute();
            }

            public async Task UpdateAsync(IBatch batch, string key)
            {
                batch.HashSetAsync(key, "value", "v");
                if (!await batch.ExecuteAsync())
                    return;
            }

            public bool NotExecuted(IDatabase db, IBatch other, string key)
            {
                var tran = db.CreateTransaction();
                {|#0:tran.HashSetAsync(key, "value", "v")|};
                {|#1:db.HashSetAsync(key, "value", "v")|};
                var executed = other.Execute();
                {|#2:other.IncrementAsync(key)|};
                return executed;
            }
        }
        """,
        Tw4002(0, "Task", "tran.HashSetAsync"),
        Tw4002(1, "Task", "db.HashSetAsync"),
        Tw4002(2, "Task", "other.IncrementAsync"));

    // Hangfire.Redis's write-only transaction: each operation queues on the `_transaction` field, and
    // `Commit` executes it; its fetched job hands a fresh transaction to `RemoveFromFetchedListAsync(tran)`,
    // which queues two commands, then executes it. A field nothing in its type executes, and a helper one
    // of whose callers never executes what it hands over, are reported.
    [Fact]
    public Task CommandsQueuedOnABatchExecutedElsewhere_AreNotDropped() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        public interface IBatch
        {
            Task<bool> KeyExpireAsync(string key);
            Task<long> ListRemoveAsync(string key);
            bool Execute();
        }

        public interface IDatabase
        {
            IBatch CreateTransaction();
        }

        class WriteOnlyTransaction
        {
            private readonly IBatch _transaction;
            private readonly IBatch _log;

            public WriteOnlyTransaction(IBatch transaction, IBatch log) { _transaction = transaction; _log = log; }

            public void ExpireJob(string id)
            {
                _transaction.KeyExpireAsync("job:" + id);
                this._transaction.KeyExpireAsync("job:" + id + ":state");
                {|#0:_log.KeyExpireAsync(id)|};
            }

            public void Commit() => this._transaction.Execute();
        }

        class FetchedJob
        {
            private readonly IDatabase _redis;

            public FetchedJob(IDatabase redis) => _redis = redis;

            public void Requeue()
            {
                var transaction = _redis.CreateTransaction();
                RemoveFromFetchedList(transaction);
                transaction.Execute();
            }

            public void Remove()
            {
                var transaction = _redis.CreateTransaction();
                RemoveFromFetchedList(transaction);
                transaction.Execute();
                Clear(transaction);
            }

            private void RemoveFromFetchedList(IBatch batch) => batch.ListRemoveAsync("dequeued");

            private void Clear(IBatch batch) => {|#1:batch.ListRemoveAsync("dequeued")|};
        }
        """,
        Tw4002(0, "Task", "_log.KeyExpireAsync"),
        Tw4002(1, "Task", "batch.ListRemoveAsync"));

    // `Task.Run(Execute);` in a static constructor, `Task.Factory.StartNew(loop)` in Start(), a
    // `Register(() => Task.Run(…))` callback: synchronous code that hands work to the pool says "in the
    // background" as plainly as `_ =`. In async code (and an async lambda) it may be a forgotten await.
    [Fact]
    public Task OffloadsFromSynchronousCode_AreNotDropped() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Warden
        {
            private readonly TaskFactory _factory = new TaskFactory();
            private readonly TaskFactory<int> _typed = new TaskFactory<int>();

            static Warden() => Task.Run(Execute);

            private static async Task Execute() { while (true) await Task.Delay(1000); }

            public void Start(CancellationToken token)
            {
                Task.Factory.StartNew(() => Thread.Sleep(1), TaskCreationOptions.LongRunning);
                _factory.StartNew(() => { });
                _typed.StartNew(() => 1);
                token.Register(() => Task.Run(() => { }));
                Task.Factory.StartNew(Execute, CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default).Unwrap();
                Action later = async () => { {|#0:Task.Run(() => { })|}; await Task.Yield(); };
                Action unwrapped = async () => { {|#1:Task.Factory.StartNew(Execute).Unwrap()|}; await Task.Yield(); };
            }
        }
        """, Tw4002(0, "Task", "Task.Run"), Tw4002(1, "Task", "Unwrap"));

    // WampSharp's proxies and reflection helpers name methods through expression trees
    // (`Method.Get((IProxy p) => p.PublishAsync(default))`): nothing there runs, so nothing is dropped.
    // The same call in a lambda compiled to a delegate runs, and is reported.
    [Fact]
    public Task CallsInsideExpressionTrees_AreNotDropped() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Linq.Expressions;
        using System.Reflection;
        using System.Threading.Tasks;

        interface IProxy { Task<long> PublishAsync(object options); }

        static class Method
        {
            public static MethodInfo Get<T>(Expression<Action<T>> call) => ((MethodCallExpression)call.Body).Method;
            public static MethodInfo Get(Expression<Action> call) => ((MethodCallExpression)call.Body).Method;
        }

        class Generator
        {
            private static readonly MethodInfo Publish = Method.Get((IProxy proxy) => proxy.PublishAsync(default));
            private static readonly MethodInfo Delay = Method.Get(() => Task.Delay(default(int)));
            private static readonly Expression<Action<IProxy>> Stored = (proxy) => proxy.PublishAsync(null);

            public void Run(IProxy proxy)
            {
                Action<IProxy> compiled = p => {|#0:p.PublishAsync(null)|};
                compiled(proxy);
            }
        }
        """, Tw4002(0, "Task", "p.PublishAsync"));

    [Fact]
    public Task DroppedTasks_InSyncAndAsyncCode_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class C
        {
            Task SaveAsync() => Task.CompletedTask;
            ValueTask<int> CountAsync() => new(1);
            C? Next => null;

            void Sync(Task t)
            {
                t.ContinueWith(_ => { }); // a continuation registered for its effect: not reported
                {|#3:SaveAsync()|};
                {|#4:Next?.SaveAsync()|};
            }

            async Task Async()
            {
                {|#0:Task.Run(() => { })|};
                {|#1:Task.Factory.StartNew(() => { })|};
                {|#5:SaveAsync()|};
                {|#6:CountAsync()|};
                {|#7:Task.Delay(1).ConfigureAwait(false)|};
                await Task.Yield();
            }
        }
        """,
        Tw4002(0, "Task", "Task.Run"), Tw4002(1, "Task", "Task.Factory.StartNew"), Tw4002(3, "Task", "SaveAsync"),
        Tw4002(4, "Task", "Next?.SaveAsync"), Tw4002(5, "Task", "SaveAsync"), Tw4002(6, "ValueTask", "CountAsync"),
        Tw4002(7, "Task", "Task.Delay"));

    // Channel handlers close the channel on a timeout or a protocol error without waiting (DotNetty), an
    // actor system's `Abort()` starts its termination (Akka.NET): teardown from code that cannot await,
    // whose failure the object handles and the caller could do nothing about. Inside a try that catches,
    // the code wants the failure, which the dropped task carries past the catch; and in async code the
    // close may be a forgotten await. Other verbs (`Closed…`, `Stopwatch…`, `Send…`) are not teardown.
    [Theory]
    [InlineData("net8")]
    [InlineData("net10")]
    public Task TeardownDroppedInSynchronousCode_IsNotFlagged_UnlessATryCatchesOrAwaitIsPossible(string framework) => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        interface IChannel
        {
            Task CloseAsync();
            Task ShutdownGracefullyAsync(TimeSpan quiet);
            ValueTask DisconnectAsync();
            Task Terminate();
            Task FinalTerminate();
            Task ForceDisconnectAsync();
            Task ClosedAsync();
            Task DisposableAsync();
            Task StopwatchAsync();
            Task SendAsync();
        }

        class Handler
        {
            void OnTimeout(IChannel channel)
            {
                channel.CloseAsync();
                channel.ShutdownGracefullyAsync(TimeSpan.Zero);
                channel.DisconnectAsync();
                channel.Terminate();
                channel.FinalTerminate();
                channel.ForceDisconnectAsync();
                Action later = () => channel.CloseAsync();
            }

            void Start(IChannel channel)
            {
                try
                {
                    {|#0:channel.Terminate()|};
                }
                catch (Exception)
                {
                    channel.CloseAsync();
                }
                finally
                {
                    channel.CloseAsync();
                }
            }

            void NotTeardown(IChannel channel)
            {
                {|#1:channel.ClosedAsync()|};
                {|#2:channel.StopwatchAsync()|};
                {|#3:channel.SendAsync()|};
                {|#5:channel.DisposableAsync()|};
            }

            async Task OnTimeoutAsync(IChannel channel)
            {
                {|#4:channel.CloseAsync()|};
                await Task.Yield();
            }
        }
        """, framework == "net10" ? References.Net100 : References.Net80,
        Tw4002(0, "Task", "channel.Terminate"), Tw4002(1, "Task", "channel.ClosedAsync"), Tw4002(2, "Task", "channel.StopwatchAsync"),
        Tw4002(3, "Task", "channel.SendAsync"), Tw4002(4, "Task", "channel.CloseAsync"), Tw4002(5, "Task", "channel.DisposableAsync"));

    // PubNub's effect dispatcher: `void FireAndForget(IHandler handler, Invocation invocation) {
    // handler.Run(invocation); }` drops the task because its name says so to every caller. A lambda
    // inside such a helper, an async helper (it could await), and names where "Forget" is not a whole
    // word (`Forgetful`) are reported.
    [Fact]
    public Task DropInAHelperNamedForForgetting_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        interface IHandler { Task Run(int invocation); }

        static class Dispatcher
        {
            static void FireAndForget(IHandler handler, int invocation)
            {
                handler.Run(invocation);
            }

            static void Forget_Quietly(IHandler handler) => handler.Run(1);

            static void Dispatch(IHandler handler)
            {
                void ForgetIt() => handler.Run(2);
                ForgetIt();
                {|#0:handler.Run(3)|};
            }

            static void ForgetLater(IHandler handler)
            {
                Action later = () => {|#1:handler.Run(4)|};
            }

            static async Task FireAndForgetAsync(IHandler handler)
            {
                {|#2:handler.Run(5)|};
                await Task.Yield();
            }

            static void Forgetful(IHandler handler)
            {
                {|#3:handler.Run(6)|};
            }
        }
        """, Tw4002(0, "Task", "handler.Run"), Tw4002(1, "Task", "handler.Run"), Tw4002(2, "Task", "handler.Run"), Tw4002(3, "Task", "handler.Run"));

    // A listener's synchronous `Start()` that calls its own `async Task AcceptLoop() { while (true) { …
    // await socket.AcceptAsync() … } }` starts a service loop, as plainly as `Task.Run(AcceptLoop)` would.
    // A method that works and returns (a drain loop over a queue, a single send) is reported, and so is the
    // same start inside a try that catches, or in async code.
    [Fact]
    public Task ServiceLoopStartedFromSynchronousCode_IsNotDropped() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;
        using System.Net.Sockets;
        using System.Threading;
        using System.Threading.Tasks;

        class Listener
        {
            private readonly Socket _socket = new(SocketType.Stream, ProtocolType.Tcp);
            private readonly Queue<int> _pending = new();
            private readonly CancellationTokenSource _stop = new();
            private bool _running;

            public void Start()
            {
                AcceptLoop();
                ReceivePump(_stop.Token);
                Worker();
                TickLoop();
                {|#0:Drain()|};
                {|#1:SendOnce()|};
                try
                {
                    {|#2:AcceptLoop()|};
                }
                catch (SocketException)
                {
                }
            }

            public async Task StartAsync()
            {
                {|#3:AcceptLoop()|};
                await Task.Yield();
            }

            private async Task AcceptLoop()
            {
                while (true)
                {
                    try
                    {
                        var client = await _socket.AcceptAsync();
                        client.Dispose();
                    }
                    catch (ObjectDisposedException)
                    {
                        return;
                    }
                }
            }

            // `while (await timer.WaitForNextTickAsync())`: a PeriodicTimer ticks until it is disposed.
            private readonly PeriodicTimer _timer = new(TimeSpan.FromSeconds(1));

            private async Task TickLoop()
            {
                while (await _timer.WaitForNextTickAsync().ConfigureAwait(false))
                {
                    await Task.Delay(1);
                }
            }

            private async Task ReceivePump(CancellationToken token)
            {
                try
                {
                    while (!token.IsCancellationRequested)
                    {
                        await Task.Delay(10, token);
                    }
                }
                catch (OperationCanceledException)
                {
                }
            }

            private async Task Worker()
            {
                for (;;)
                {
                    await Task.Delay(10);
                    if (!_running) break;
                }
            }

            private async Task Drain()
            {
                while (_pending.Count > 0)
                {
                    await Task.Delay(_pending.Dequeue());
                }
            }

            private async Task SendOnce() => await Task.Delay(1);
        }
        """,
        Tw4002(0, "Task", "Drain"), Tw4002(1, "Task", "SendOnce"), Tw4002(2, "Task", "AcceptLoop"), Tw4002(3, "Task", "AcceptLoop"));

    // Mono.Nat's `ParseMessage` drops `searcher.HandleMessageReceived(…)`, which dispatches to `protected
    // abstract Task HandleMessageReceived(…)` of an internal class: one override is async and wholly
    // guarded, the other returns `Task.CompletedTask` (also reached through its internal ISearcher). No other
    // assembly can add an override, so the task cannot fault. With an override or interface implementation
    // that can fault, a public (derivable) base, or only stubs, it is reported.
    [Fact]
    public Task TasksOfAnInternalHierarchyThatCannotFault_DroppedFromSynchronousCode_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        interface ISearcher
        {
            Task Handle(byte[] message);
        }

        interface IRisky
        {
            Task Handle(byte[] message);
        }

        class Plain : IRisky
        {
            public Task Handle(byte[] message) => Task.Delay(message.Length);
        }

        abstract class Searcher : ISearcher
        {
            public Task Handle(byte[] message) => HandleMessageReceived(message, external: true);
            protected abstract Task HandleMessageReceived(byte[] message, bool external);
        }

        class UpnpSearcher : Searcher
        {
            protected override async Task HandleMessageReceived(byte[] message, bool external)
            {
                try { await Task.Delay(message.Length); }
                catch (Exception e) { Console.WriteLine(e); }
            }
        }

        class PmpSearcher : Searcher
        {
            protected override Task HandleMessageReceived(byte[] message, bool external)
            {
                if (message.Length != 12)
                    return Task.CompletedTask;
                Console.WriteLine(external);
                return Task.CompletedTask;
            }
        }

        abstract class Risky
        {
            public abstract Task Handle(byte[] message);
        }

        class Careful : Risky
        {
            public override async Task Handle(byte[] message)
            {
                try { await Task.Delay(1); } catch (Exception) { }
            }
        }

        class Careless : Risky
        {
            public override async Task Handle(byte[] message) => await Task.Delay(message.Length);
        }

        public abstract class Open
        {
            public virtual async Task Handle(byte[] message)
            {
                try { await Task.Delay(1); } catch (Exception) { }
            }
        }

        abstract class Stub
        {
            public abstract Task Handle(byte[] message);
        }

        class Empty : Stub
        {
            public override Task Handle(byte[] message) => Task.CompletedTask;
        }

        static class Nat
        {
            public static void ParseMessage(Searcher searcher, ISearcher any, IRisky plain, Risky risky, Open open, Stub stub, byte[] message)
            {
                searcher.Handle(message);
                any.Handle(message);
                {|#3:plain.Handle(message)|};
                {|#0:risky.Handle(message)|};
                {|#1:open.Handle(message)|};
                {|#2:stub.Handle(message)|};
            }
        }
        """, Tw4002(0, "Task", "risky.Handle"), Tw4002(1, "Task", "open.Handle"), Tw4002(2, "Task", "stub.Handle"), Tw4002(3, "Task", "plain.Handle"));

    // DotnetSpider's image storage: `public override Task InitializeAsync() { base.InitializeAsync(); …; return
    // Task.CompletedTask; }`. A `base.` call runs that very body — the base storage's, which creates a folder
    // and returns a finished task — whatever overrides exist. A virtual call of the same method may reach an
    // override that faults, and is reported.
    [Fact]
    public Task BaseCallOfSynchronousWorkBehindATask_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading.Tasks;

        abstract class Flow
        {
            public abstract Task InitializeAsync();
        }

        class FileStorage : Flow
        {
            protected string Folder { get; private set; }

            public override Task InitializeAsync()
            {
                Folder = Path.GetTempPath();
                return Task.CompletedTask;
            }
        }

        class ImageStorage : FileStorage
        {
            public override Task InitializeAsync()
            {
                base.InitializeAsync();
                return Task.CompletedTask;
            }

            public void Reset(FileStorage other)
            {
                {|#0:other.InitializeAsync()|};
            }
        }
        """, Tw4002(0, "Task", "other.InitializeAsync"));

    // Azure IoT's HTTP helper drops `AddCustomHeaders(request, headers)` in a synchronous lambda: a private
    // method that adds the headers, then returns its `TaskHelpers.CompletedTask` (a static readonly field
    // holding `Task.FromResult(false)`). It works synchronously behind a task-shaped signature: failures
    // are thrown at the call, and its task always completes. A stub that only returns a finished task,
    // a field that holds another task, and the same drop in async code are reported.
    [Fact]
    public Task SynchronousWorkBehindATask_DroppedFromSynchronousCode_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        static class TaskHelpers
        {
            public static readonly Task CompletedTask = Task.FromResult(false);
            public static readonly Task Pending = Task.Delay(1000);
        }

        class Helper
        {
            public void Prepare(List<string> request, IDictionary<string, string> headers)
            {
                AddHeaders(request, headers);
                AddHeadersThenWait(request, headers);
                {|#0:Later(request)|};
                {|#1:Pending(request)|};
            }

            public async Task PrepareAsync(List<string> request, IDictionary<string, string> headers)
            {
                {|#2:AddHeaders(request, headers)|};
                await Task.Yield();
            }

            private static Task AddHeaders(List<string> request, IDictionary<string, string> headers)
            {
                foreach (var header in headers)
                {
                    request.Add(header.Key);
                }

                return TaskHelpers.CompletedTask;
            }

            private static Task AddHeadersThenWait(List<string> request, IDictionary<string, string> headers)
            {
                request.Clear();
                return Task.CompletedTask;
            }

            private static Task Later(List<string> request)
            {
                return TaskHelpers.CompletedTask;
            }

            private static Task Pending(List<string> request)
            {
                request.Clear();
                return TaskHelpers.Pending;
            }
        }
        """, Tw4002(0, "Task", "Later"), Tw4002(1, "Task", "Pending"), Tw4002(2, "Task", "AddHeaders"));

    // A push client notifies its user's callbacks with `Task.Run(() => Safe.Execute(callback))`, where
    // Safe.Execute awaits the callback inside a catch-all: the task Task.Run returns for a task-returning
    // delegate is that task, so it cannot fault either, and a synchronous caller that drops it loses nothing.
    // The same for an async lambda wholly guarded and for such a method given by name. A synchronous
    // delegate, an unguarded async lambda, a call of a method that can fault, a token that can cancel the
    // offload, and the same drop in async code are reported.
    [Fact]
    public Task OffloadsThatCannotFault_DroppedFromSynchronousCode_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        static class Safe
        {
            public static async Task Execute(Func<Task> action)
            {
                try
                {
                    await action();
                }
                catch (Exception e)
                {
                    Console.WriteLine(e);
                }
            }

            public static async Task ExecuteUnguarded(Func<Task> action) => await action();
        }

        class Notifier
        {
            private readonly Func<Task> _callback;

            public Notifier(Func<Task> callback) => _callback = callback;

            private Task Notify(Func<Task> action)
            {
                try
                {
                    return Task.Run(() => Safe.Execute(action));
                }
                catch (Exception e)
                {
                    Console.WriteLine(e);
                }

                return Task.CompletedTask;
            }

            private Task NotifyGuarded() => Task.Run(async () =>
            {
                try
                {
                    await _callback();
                }
                catch (Exception e)
                {
                    Console.WriteLine(e);
                }
            });

            private Task NotifyByName() => Task.Run(GuardedAsync);

            private async Task GuardedAsync()
            {
                try
                {
                    await _callback();
                }
                catch (Exception e)
                {
                    Console.WriteLine(e);
                }
            }

            private Task NotifySync() => Task.Run(() => Save());

            private Task NotifyUnguarded() => Task.Run(async () => await _callback());

            private Task NotifyRisky() => Task.Run(() => Safe.ExecuteUnguarded(_callback));

            private Task NotifyCancellable(CancellationToken token) => Task.Run(() => Safe.Execute(_callback), token);

            private void Save() => Console.WriteLine("saved");

            public void Activated(CancellationToken token)
            {
                Notify(_callback);
                NotifyGuarded();
                NotifyByName();
                {|#0:NotifySync()|};
                {|#1:NotifyUnguarded()|};
                {|#2:NotifyRisky()|};
                {|#3:NotifyCancellable(token)|};
            }

            public async Task ActivatedAsync()
            {
                {|#4:Notify(_callback)|};
                await Task.Yield();
            }
        }
        """,
        Tw4002(0, "Task", "NotifySync"), Tw4002(1, "Task", "NotifyUnguarded"), Tw4002(2, "Task", "NotifyRisky"),
        Tw4002(3, "Task", "NotifyCancellable"), Tw4002(4, "Task", "Notify"));

    // A synchronous Produce fires its "started" event and moves on; the event's FireAsync returns
    // Task.WhenAll over each handler's task with a logging continuation (or a completed task from the
    // catch): it cannot fault, so dropping it loses no exception and sync code has nothing to wait with.
    // A task that can fault (a handler's own task), or the same drop in async code, is reported.
    [Fact]
    public Task TasksThatCannotFault_DroppedFromSynchronousCode_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        class Event<T>
        {
            private readonly List<Func<T, Task>> _handlers = new();

            internal Task FireAsync(T arg) => Task.WhenAll(_handlers.Select(h => Process(h, arg)));

            internal Task FireFirstAsync(T arg) => _handlers[0](arg);

            private static Task Process(Func<T, Task> handler, T arg)
            {
                try
                {
                    return handler(arg).ContinueWith(t => Console.WriteLine(t.Exception));
                }
                catch (Exception e)
                {
                    Console.WriteLine(e);
                    return Task.CompletedTask;
                }
            }
        }

        class Events
        {
            private readonly Event<string> _started = new();

            public Task FireStartedAsync(string message) => _started.FireAsync(message);

            public Task FireFirstAsync(string message) => _started.FireFirstAsync(message);

            public async Task NotifyAsync(string message)
            {
                try
                {
                    await FireFirstAsync(message);
                }
                catch (Exception e)
                {
                    Console.WriteLine(e);
                }
            }

            public async Task NotifyOrThrowAsync(string message)
            {
                try
                {
                    await FireFirstAsync(message);
                }
                catch (InvalidOperationException e)
                {
                    Console.WriteLine(e);
                }
            }
        }

        class Producer
        {
            private readonly Events _events = new();

            public void Produce(string message)
            {
                _events.FireStartedAsync(message);
                {|#0:_events.FireFirstAsync(message)|};
                _events.NotifyAsync(message);
                {|#2:_events.NotifyOrThrowAsync(message)|};
                try
                {
                    _events.FireStartedAsync(message);
                }
                catch (InvalidOperationException)
                {
                }
            }

            public async Task ProduceAsync(string message)
            {
                {|#1:_events.FireStartedAsync(message)|};
                await Task.Yield();
            }
        }
        """, Tw4002(0, "Task", "_events.FireFirstAsync"), Tw4002(1, "Task", "_events.FireStartedAsync"), Tw4002(2, "Task", "_events.NotifyOrThrowAsync"));

    [Fact]
    public Task AwaitedStoredDiscardedAndStoredElements_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private Task _current = Task.CompletedTask;

            Task SaveAsync() => Task.CompletedTask;
            void Log() { }
            int Count() => 1;

            async Task M(ConcurrentDictionary<string, Task> cache, Queue<Task> queue)
            {
                await SaveAsync();
                _ = SaveAsync();
                var kept = SaveAsync();
                _current = SaveAsync();
                Log();
                Count();
                Interlocked.Exchange(ref _current, Task.CompletedTask);
                cache.GetOrAdd("k", _ => SaveAsync());
                queue.Dequeue();
                await kept;
            }

            Task Returned() => SaveAsync();
        }
        """);

    // A GetAwaiter whose result is no awaiter (no INotifyCompletion) does not make a value awaitable.
    [Fact]
    public Task GetAwaiterWithoutAnAwaiter_IsNotATask() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Runtime.CompilerServices;
        using System.Threading.Tasks;

        struct Snapshot { public int GetResult() => 0; public bool IsCompleted => true; }

        class Builder
        {
            public Builder Add(int x) => this;
            public Snapshot GetAwaiter() => default;
        }

        struct RealAwaiter : INotifyCompletion
        {
            public bool IsCompleted => true;
            public void GetResult() { }
            public void OnCompleted(Action continuation) => continuation();
        }

        class Job { public RealAwaiter GetAwaiter() => default; }

        class C
        {
            Job Start() => new();

            void M(Builder builder)
            {
                builder.Add(1);
                {|#0:Start()|};
            }
        }
        """, Tw4002(0, "Job", "Start"));

    [Fact]
    public Task ContinuationRegisteredForItsEffect_IsNotADroppedTask() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Waiter
        {
            void OnCancel(Task<int> pending, CancellationTokenSource cts)
            {
                pending.ContinueWith(t => cts.Cancel(), TaskContinuationOptions.OnlyOnCanceled);
                pending.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
        """);

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                Task.Run(;
                Missing.RunAsync();
                Task.Delay(
            }
        }
        """);

    // Batches under edit: an Execute that does not bind, one on an unknown receiver, a half-typed call.
    [Fact]
    public Task BrokenBatches_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading.Tasks;

        interface IBatch { Task<bool> SetAsync(string key); }

        class C
        {
            void M(IBatch batch, IBatch other)
            {
                {|#0:batch.SetAsync("k")|};
                batch.Execute();
                {|#1:other.SetAsync("k")|};
                missing.Execute(;
            }
        }
        """,
        // `batch.Execute()` does not bind to a method, so nothing proves the batch runs later.
        Tw4002(0, "Task", "batch.SetAsync"), Tw4002(1, "Task", "other.SetAsync"));

    // Hand-off helpers and forgetting helpers whose bodies or names are half-typed.
    // Batches kept in a field or handed to a helper, a base call and a finished-task field, while edited.
    [Fact]
    public Task BrokenBatchFieldsHelpersAndBaseCalls_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading.Tasks;

        class Store : Missing
        {
            private readonly IBatch _transaction;
            private static readonly Task Done = Task.FromResult(;

            public void Expire(string key)
            {
                _transaction.KeyExpireAsync(key);
                Queue(_transaction, );
                base.InitializeAsync();
                Helper();
            }

            public void Commit() => _transaction.Execute(;

            private void Queue(IBatch batch, string key) => batch.KeyExpireAsync(key);

            private Task Helper() { Done.ToString(); return Done; }
        }
        """);

    [Fact]
    public Task BrokenHandOffAndForgettingHelpers_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading.Tasks;

        static class Helpers
        {
            public static Task<bool> SetAsync<T>(this TaskCompletionSource<T> source, T result)
                => Task.Run(() => source.TrySetResult(result);

            public static Task<bool> CancelAsync<T>(this TaskCompletionSource<T> source)
            {
                return Task.Run(;
            }

            public static Task Missing<T>(this TaskCompletionSource<T> source) => Nowhere(source);

            static void FireAndForget(TaskCompletionSource<int> source { source.SetAsync(1); }

            static void Forget(TaskCompletionSource<int> source)
            {
                source.CancelAsync();
                source.Missing();
            }
        }
        """);

    // The questions asked of would-be findings in synchronous code — is the callee a service loop, can its
    // task fault — bind callee bodies that may be half-typed.
    [Fact]
    public Task BrokenCallees_OfDropsInSynchronousCode_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            private readonly List<int> _items = new();

            void Start()
            {
                {|#0:Loop()|};
                {|#1:Fire()|};
                {|#2:Select()|};
                Unknown();
            }

            async Task Loop()
            {
                while (Missing.Running)
                {
                    await Task.Delay(
                }
            }

            Task Fire() => Task.WhenAll(_items.Select(i => ));

            Task Select() => Task.WhenAll(_items.Select(i => Missing.Handle(i)));

            Task Unknown() => Missing.FireAsync().ContinueWith(;

            void Dispatch(Handler handler, Half half) { {|#3:handler.Handle()|}; {|#4:half.Handle()|}; }
        }

        abstract class Handler { public abstract Task Handle(); }
        class Broken : Handler { public override async Task Handle() { try { await Missing.Go(; } catch { } } }
        class Other : Handler { public override Task Handle() => Missing.Run(); }
        abstract class Half { public abstract Task Handle(; }
        class HalfImpl : Half { public override Task Handle() => }
        """,
        // A loop whose condition does not bind, a lambda without a body, a call that does not bind: none is
        // known to be a service loop or a task that cannot fault. A half-typed ContinueWith still reads as one.
        // Overrides that do not bind (a call of nothing) or lack a body are not known not to fault.
        Tw4002(0, "Task", "Loop"), Tw4002(1, "Task", "Fire"), Tw4002(2, "Task", "Select"),
        Tw4002(3, "Task", "handler.Handle"), Tw4002(4, "Task", "half.Handle"));

    // The exported provider: one equivalence key (the rule's) applies await in async code and the
    // discard in sync code, so one `dotnet format analyzers` run fixes both.
    [Fact]
    public Task BestFix_AwaitsInAsyncCode_DiscardsInSyncCode_UnderOneKey() => VerifyBest.CodeFixAsync("""
        using System.Threading.Tasks;

        class C
        {
            Task SaveAsync() => Task.CompletedTask;

            async Task Async() { {|#0:SaveAsync()|}; }

            void Sync() { {|#1:SaveAsync()|}; }
        }
        """, """
        using System.Threading.Tasks;

        class C
        {
            Task SaveAsync() => Task.CompletedTask;

            async Task Async() { await SaveAsync(); }

            void Sync() { _ = SaveAsync(); }
        }
        """, Tw4002(0, "Task", "SaveAsync"), Tw4002(1, "Task", "SaveAsync"));

    // Discord.Net's `_audioConnectPromise?.TrySetCanceledAsync();`: awaiting it would await null when
    // the field is null (and throw), where the statement did nothing. The best fix discards instead.
    [Fact]
    public Task BestFix_DiscardsACallThroughConditionalAccess_InAsyncCode() => VerifyBest.CodeFixAsync("""
        using System.Threading.Tasks;

        class Promise { public Task CancelAsync() => Task.CompletedTask; }

        class C
        {
            private Promise _promise;

            async Task Async()
            {
                {|#0:_promise?.CancelAsync()|};
                await Task.Yield();
            }
        }
        """, """
        using System.Threading.Tasks;

        class Promise { public Task CancelAsync() => Task.CompletedTask; }

        class C
        {
            private Promise _promise;

            async Task Async()
            {
                _ = _promise?.CancelAsync();
                await Task.Yield();
            }
        }
        """, Tw4002(0, "Task", "_promise?.CancelAsync"));

    [Fact]
    public Task AwaitFix_InAsyncCode() => VerifyAwait.CodeFixAsync("""
        using System.Threading.Tasks;

        class C
        {
            Task SaveAsync() => Task.CompletedTask;

            async Task M()
            {
                {|#0:SaveAsync()|}; // save
                {|#1:Task.Run(() => 1)|};
            }
        }
        """, """
        using System.Threading.Tasks;

        class C
        {
            Task SaveAsync() => Task.CompletedTask;

            async Task M()
            {
                await SaveAsync(); // save
                await Task.Run(() => 1);
            }
        }
        """, Tw4002(0, "Task", "SaveAsync"), Tw4002(1, "Task", "Task.Run"));

    [Fact]
    public Task AwaitFix_IsNotOfferedInSyncCode() => VerifyAwait.NoCodeFixAsync("""
        using System.Threading.Tasks;

        class C
        {
            void M() { {|#0:Task.Delay(1)|}; }
        }
        """, Tw4002(0, "Task", "Task.Delay"));

    [Fact]
    public Task DiscardFix_Everywhere_WithFixAll() => VerifyDiscard.CodeFixAsync(
        new[]
        {
            """
            using System.Threading.Tasks;

            class A
            {
                internal static Task Send(int n) => Task.CompletedTask;

                void M() { {|#0:Send(1)|}; {|#1:Send(4)|}; {|#3:Send(3).ConfigureAwait(false)|}; }
            }
            """,
            """
            using System.Threading.Tasks;

            class B
            {
                async Task N() { {|#2:A.Send(2)|}; await Task.Yield(); }
            }
            """,
        },
        new[]
        {
            """
            using System.Threading.Tasks;

            class A
            {
                internal static Task Send(int n) => Task.CompletedTask;

                void M() { _ = Send(1); _ = Send(4); _ = Send(3); }
            }
            """,
            """
            using System.Threading.Tasks;

            class B
            {
                async Task N() { _ = A.Send(2); await Task.Yield(); }
            }
            """,
        },
        Tw4002(0, "Task", "Send"), Tw4002(1, "Task", "Send"), Tw4002(2, "Task", "A.Send"), Tw4002(3, "Task", "Send"));

    // FluentFTP's upload: `while (pos < len) { Task.Delay(50); }` in synchronous code spins instead of
    // waiting. `_ =` would declare that bug intended, so a dropped delay gets no discard; in async code
    // the await fix (which is what was meant) is still offered.
    [Fact]
    public Task DroppedDelay_GetsNoDiscard_ButTheAwaitInAsyncCode() => VerifyBest.CodeFixAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class Upload
        {
            void Drain(Stream stream)
            {
                while (stream.Position < stream.Length)
                {
                    {|#0:Task.Delay(50)|};
                }
            }

            async Task DrainAsync(Stream stream)
            {
                {|#1:Task.Delay(50)|};
                await stream.FlushAsync();
            }
        }
        """, """
        using System.IO;
        using System.Threading.Tasks;

        class Upload
        {
            void Drain(Stream stream)
            {
                while (stream.Position < stream.Length)
                {
                    {|#0:Task.Delay(50)|};
                }
            }

            async Task DrainAsync(Stream stream)
            {
                await Task.Delay(50);
                await stream.FlushAsync();
            }
        }
        """, new[] { Tw4002(0, "Task", "Task.Delay"), Tw4002(1, "Task", "Task.Delay") }, new[] { Tw4002(0, "Task", "Task.Delay") });

    // Completing a TaskCompletionSource off the poll thread is fire-and-forget by design; work that
    // does anything else besides is still a dropped task.
    [Fact]
    public Task CompletionHandOffs_AreNotDropped_OtherWorkIs() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Poller
        {
            async Task OnEvent(object result, int error, TaskCompletionSource<int> typed)
            {
                await Task.Yield();
                if (error != 0)
                {
                    Task.Run(() => ((TaskCompletionSource<string>)result).TrySetException(new InvalidOperationException("failed " + error)));
                    return;
                }

                Task.Run(() => typed.TrySetResult(error));
                Task.Run(() => { typed.TrySetCanceled(); });
                Task.Factory.StartNew(() => typed.SetResult(1), CancellationToken.None, TaskCreationOptions.None, TaskScheduler.Default);
                {|#0:Task.Run(() => { Console.WriteLine(error); typed.TrySetResult(error); })|};
                {|#1:Task.Run(() => { })|};
            }
        }
        """, Tw4002(0, "Task", "Task.Run"), Tw4002(1, "Task", "Task.Run"));

    // Discord.Net's `TrySetResultAsync(this TaskCompletionSource<T> source, T result) => Task.Run(() =>
    // source.TrySetResult(result));`: a helper whose one statement returns a completion hand-off is one
    // too, dropped in synchronous or async code. A helper that also does other work, an overridable
    // one (an override may do anything), and one with more than the return are reported.
    [Theory]
    [InlineData("net8")]
    [InlineData("net10")]
    public Task CompletionHandOffHelpers_AreNotDropped(string framework) => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        static class CompletionExtensions
        {
            public static Task<bool> TrySetResultAsync<T>(this TaskCompletionSource<T> source, T result)
                => Task.Run(() => source.TrySetResult(result));

            public static Task<bool> TrySetCanceledAsync<T>(this TaskCompletionSource<T> source)
            {
                return Task.Run(() => source.TrySetCanceled());
            }

            public static Task SetAndLogAsync<T>(this TaskCompletionSource<T> source, T result)
                => Task.Run(() => { Console.WriteLine(result); source.TrySetResult(result); });

            public static Task LoggedHandOffAsync<T>(this TaskCompletionSource<T> source, T result)
            {
                Console.WriteLine(result);
                return Task.Run(() => source.TrySetResult(result));
            }
        }

        class Promises
        {
            public virtual Task<bool> ReleaseAsync(TaskCompletionSource<bool> source) => Task.Run(() => source.TrySetResult(true));
        }

        class Guild
        {
            private TaskCompletionSource<bool> _downloader = new();
            private TaskCompletionSource<bool> _audio = new();

            internal void CompleteDownload()
            {
                _downloader.TrySetResultAsync(true);
            }

            internal async Task DisconnectAsync(Promises promises)
            {
                _audio?.TrySetCanceledAsync();
                {|#0:_audio.SetAndLogAsync(false)|};
                {|#1:_audio.LoggedHandOffAsync(false)|};
                {|#2:promises.ReleaseAsync(_audio)|};
                await Task.Yield();
            }
        }
        """, framework == "net10" ? References.Net100 : References.Net80,
        Tw4002(0, "Task", "_audio.SetAndLogAsync"), Tw4002(1, "Task", "_audio.LoggedHandOffAsync"), Tw4002(2, "Task", "promises.ReleaseAsync"));

    // DotNetty's pool: the scheduled work is handed a TaskCompletionSource whose Task the caller
    // awaits or returns; the scheduling handle the call returns has nothing more to tell. A source
    // whose Task nobody here reads gives no such proof.
    [Fact]
    public Task WorkThatReportsThroughAHandedCompletionSource_IsNotDropped() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class Executor
        {
            public Task Schedule(Action<object, object> action, object context, object state, TimeSpan delay) => Task.CompletedTask;
        }

        class Pool
        {
            private readonly Executor _executor = new Executor();
            private TaskCompletionSource<bool> _closed = new TaskCompletionSource<bool>();

            public async Task<bool> ReleaseAsync(object channel)
            {
                var promise = new TaskCompletionSource<bool>();
                _executor.Schedule(Release, channel, promise, TimeSpan.Zero);
                return await promise.Task;
            }

            public Task CloseAsync()
            {
                _executor.Schedule(Close, this, _closed, TimeSpan.Zero);
                return _closed.Task;
            }

            public void Leave(object channel)
            {
                var promise = new TaskCompletionSource<bool>();
                {|#0:_executor.Schedule(Release, channel, promise, TimeSpan.Zero)|};
            }

            private static void Release(object channel, object promise) => ((TaskCompletionSource<bool>)promise).TrySetResult(true);

            private static void Close(object pool, object promise) => ((TaskCompletionSource<bool>)promise).TrySetResult(true);
        }
        """, Tw4002(0, "Task", "_executor.Schedule"));

    // MailKit's dual-path handlers: `Task Handler(…, bool doAsync)` called with doAsync = false runs
    // synchronously and returns a completed task; dropping it drops nothing. `true`, a variable, or a
    // flag of another name proves nothing.
    [Fact]
    public Task CallsThatAskForTheSynchronousPath_AreNotDropped() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        delegate Task ContinuationHandler(object engine, string text, bool doAsync);

        class Command
        {
            public ContinuationHandler Handler { get; set; }

            public void Step(string text, bool flag)
            {
                Handler(this, text, false);
                Send(text, isAsync: false);
                {|#0:Handler(this, text, true)|};
                {|#1:Handler(this, text, flag)|};
                {|#2:Retry(text, false)|};
            }

            private Task Send(string text, bool isAsync) => Task.CompletedTask;

            private Task Retry(string text, bool force) => Task.CompletedTask;
        }
        """, Tw4002(0, "Task", "Handler"), Tw4002(1, "Task", "Handler"), Tw4002(2, "Task", "Retry"));

    // The NATS v1 client's `unsubscribe(sub, 0, drain: false, 0)`: `var task = CompletedTask.Get(); … if
    // (drain) task = Task.Run(…); … return task;`, where `CompletedTask.Get()` is a source helper returning
    // `Task.CompletedTask`. With `drain: false` the returned local keeps its finished start. `true`, an
    // `else` that starts work, a local that starts unfinished, a helper that takes arguments, a local no
    // constant decides (a stub), and one a lambda reassigns are reported.
    [Fact]
    public Task ReturnedLocalsTheConstantsKeepFinished_AreNotDropped() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        static class CompletedTask
        {
            internal static Task Get() => Task.CompletedTask;

            internal static Task Of(int value)
            {
                return Task.CompletedTask;
            }
        }

        class Connection
        {
            private readonly object _mu = new object();

            internal Task Unsubscribe(int sid, bool drain)
            {
                var task = CompletedTask.Get();
                lock (_mu)
                {
                    if (drain)
                    {
                        task = Task.Run(() => Drain(sid));
                    }
                }

                return task;
            }

            internal Task Either(bool drain)
            {
                Task task = CompletedTask.Get();
                if (drain) task = Task.Run(() => Drain(1));
                else task = Task.Delay(1);
                return task;
            }

            internal Task StartsUnfinished(bool drain)
            {
                var task = Task.Run(() => Drain(2));
                if (drain) task = Task.CompletedTask;
                return task;
            }

            internal Task ThroughAnArgument(bool drain)
            {
                var task = CompletedTask.Of(3);
                if (drain) task = Task.Run(() => Drain(3));
                return task;
            }

            internal Task Stub(bool drain)
            {
                var task = CompletedTask.Get();
                return task;
            }

            internal Task Captured(bool drain)
            {
                var task = CompletedTask.Get();
                System.Action restart = () => task = Task.Run(() => Drain(4));
                restart();
                if (drain) task = Task.Run(() => Drain(4));
                return task;
            }

            private static void Drain(int sid) { }
        }

        class Subscription
        {
            public void Unsubscribe(Connection c)
            {
                c.Unsubscribe(1, false);
                {|#0:c.Unsubscribe(1, true)|};
                {|#1:c.Either(false)|};
                {|#2:c.StartsUnfinished(false)|};
                {|#3:c.ThroughAnArgument(false)|};
                {|#4:c.Stub(false)|};
                {|#5:c.Captured(false)|};
            }
        }
        """,
        Tw4002(0, "Task", "c.Unsubscribe"), Tw4002(1, "Task", "c.Either"), Tw4002(2, "Task", "c.StartsUnfinished"),
        Tw4002(3, "Task", "c.ThroughAnArgument"), Tw4002(4, "Task", "c.Stub"), Tw4002(5, "Task", "c.Captured"));

    // Returned locals and finished-task helpers cut mid-expression.
    [Fact]
    public Task BrokenReturnedLocals_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading.Tasks;

        static class CompletedTask
        {
            internal static Task Get() => ;
            internal static Task Half() { return Task.; }
        }

        class Connection
        {
            internal Task Unsubscribe(bool drain)
            {
                var task = CompletedTask.Get(;
                if (drain) task = ;
                return task;
            }

            internal Task Other(bool drain)
            {
                var task = CompletedTask.Half();
                if (drain) { task = Task.Run(() => { }); }
                return tas;
            }

            public void Run()
            {
                {|#0:Unsubscribe(false)|};
                {|#1:Other(false)|};
            }
        }
        """,
        // Half-typed returns and helpers prove nothing.
        Tw4002(0, "Task", "Unsubscribe"), Tw4002(1, "Task", "Other"));

    // `TryRemove(key, disposeKey: false)` where the method starts work only under `if (disposeKey)` and
    // otherwise returns Task.CompletedTask: the constant keeps the call on paths that return finished
    // tasks. The flag given `true`, a variable, a flag the method reassigns, a virtual method, or a stub
    // that returns a finished task whatever it is given (it stands for work to come) is still reported.
    [Fact]
    public Task CallsWhoseConstantsLeaveOnlyFinishedTasks_AreNotDropped() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class Queue
        {
            public void Remove(IAsyncDisposable key, bool flag)
            {
                TryRemove(key, disposeKey: false);
                TryRemoveArrow(key, false);
                Nested(key, dispose: false, wait: true);
                {|#0:TryRemove(key, disposeKey: true)|};
                {|#1:TryRemove(key, flag)|};
                {|#2:Reassigns(key, false)|};
                {|#3:Virtual(key, false)|};
                {|#4:Nested(key, dispose: true, wait: true)|};
                {|#5:Stub(key, false)|};
            }

            private Task TryRemove(IAsyncDisposable key, bool disposeKey)
            {
                if (key is not null)
                {
                    if (disposeKey)
                    {
                        return Task.Run(() => key.DisposeAsync().AsTask());
                    }
                }

                return Task.CompletedTask;
            }

            private Task TryRemoveArrow(IAsyncDisposable key, bool disposeKey)
                => disposeKey ? key.DisposeAsync().AsTask() : Task.FromResult(0);

            private Task Nested(IAsyncDisposable key, bool dispose, bool wait)
            {
                if (!dispose || !wait)
                {
                    return key is null ? Task.CompletedTask : Task.FromResult(1);
                }
                else
                {
                    return key.DisposeAsync().AsTask();
                }
            }

            private static Task Stub(IAsyncDisposable key, bool disposeKey) => Task.CompletedTask;

            private Task Reassigns(IAsyncDisposable key, bool disposeKey)
            {
                disposeKey = !disposeKey;
                return disposeKey ? key.DisposeAsync().AsTask() : Task.CompletedTask;
            }

            protected virtual Task Virtual(IAsyncDisposable key, bool disposeKey)
                => disposeKey ? key.DisposeAsync().AsTask() : Task.CompletedTask;
        }
        """, Tw4002(0, "Task", "TryRemove"), Tw4002(1, "Task", "TryRemove"), Tw4002(2, "Task", "Reassigns"), Tw4002(3, "Task", "Virtual"), Tw4002(4, "Task", "Nested"), Tw4002(5, "Task", "Stub"));

    // MonoTorrent's disk manager: `Tick(delta, false)` where `ReusableTask Tick(int delta, bool wait)` returns
    // `wait ? processTask : ReusableTask.CompletedTask`: the finished value of the method's own task-like
    // return type counts like Task.CompletedTask. Another type's CompletedTask proves nothing.
    [Fact]
    public Task CompletedValueOfTheOwnTaskLikeType_CountsAsFinished() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Runtime.CompilerServices;
        using System.Threading.Tasks;

        public readonly struct Pending
        {
            public static Pending CompletedTask => default;
            public Awaiter GetAwaiter() => default;

            public readonly struct Awaiter : INotifyCompletion
            {
                public bool IsCompleted => true;
                public void GetResult() { }
                public void OnCompleted(Action continuation) => continuation();
            }
        }

        public readonly struct Other
        {
            public static Pending CompletedTask => default;
        }

        class Disk
        {
            public void Tick(int delta)
            {
                Tick(delta, false);
                {|#0:Tick(delta, true)|};
                {|#1:Borrowed(delta, false)|};
            }

            private Pending Tick(int delta, bool wait)
            {
                Pending processing = Process(delta);
                return wait ? processing : Pending.CompletedTask;
            }

            private Pending Borrowed(int delta, bool wait)
                => wait ? Process(delta) : Other.CompletedTask;

            private Pending Process(int delta) => default;
        }
        """, Tw4002(0, "Pending", "Tick"), Tw4002(1, "Pending", "Borrowed"));

    [Fact]
    public Task FireAndForgetCalls_AndHelpersReturningTheirOwnArgument_AreNotDropped() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        [Flags] public enum CommandFlags { None = 0, HighPriority = 1, FireAndForget = 2 }

        public interface IDatabase
        {
            bool StringSet(string key, string value, CommandFlags flags = CommandFlags.None);
            Task<bool> StringSetAsync(string key, string value, CommandFlags flags = CommandFlags.None);
        }

        static class TaskExtensions
        {
            // Observes the task's exceptions and hands the same task back.
            public static Task ObserveErrors(this Task task)
            {
                task.ContinueWith(t => _ = t.Exception, TaskContinuationOptions.OnlyOnFaulted);
                return task;
            }

            public static Task<T> Observed<T>(this Task<T> task) => task;

            // Return new work, not their argument.
            public static Task Then(this Task task) => Task.WhenAll(task, Task.Delay(1));

            public static Task Chained(this Task task)
            {
                task = task.ContinueWith(_ => { });
                return task;
            }
        }

        class Cache
        {
            void M(IDatabase db, Task pending)
            {
                db.StringSetAsync("a", "1", CommandFlags.FireAndForget);
                db.StringSetAsync("a", "1", CommandFlags.HighPriority | CommandFlags.FireAndForget);
                pending.ObserveErrors();
                db.StringSetAsync("a", "1").Observed();
                {|#0:db.StringSetAsync("a", "1")|};
                {|#1:pending.Then()|};
                {|#2:pending.Chained()|};
            }
        }
        """, Tw4002(0, "Task", "db.StringSetAsync"), Tw4002(1, "Task", "pending.Then"), Tw4002(2, "Task", "pending.Chained"));

    // vs-threading's guards, `Requires.NotNull(joinableTask, nameof(joinableTask));` — `T NotNull<T>(T value, …)`
    // from a referenced assembly — hand back the variable they were given: the caller already holds that task.
    // So does a helper of the project that returns the task of a completion source it was handed
    // (`FollowCancelableTaskToCompletionHelper(tcs, inner)` ends in `return tcs.Task;`). A task created in
    // the guard's argument, a generic method whose result is not its parameter's type, and a helper
    // returning a source it creates are reported.
    [Fact]
    public Task GuardsAndHelpersHandingBackWhatTheCallerHolds_AreNotDropped() => VerifyAnalyzer.AnalyzerWithLibraryAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        static class Helpers
        {
            public static Task<T> Follow<T>(TaskCompletionSource<T> tcs, Task<T> inner)
            {
                inner.ContinueWith(t => tcs.TrySetResult(t.Result), TaskContinuationOptions.OnlyOnRanToCompletion);
                return tcs.Task;
            }

            public static Task<T> Fresh<T>(TaskCompletionSource<T> tcs) => new TaskCompletionSource<T>().Task;
        }

        class Factory
        {
            private readonly Task _pending = Task.CompletedTask;
            private Task Current => _pending;

            async Task<int> M(Task joinable, TaskCompletionSource<int> tcs, Task<int> inner)
            {
                Requires.NotNull(joinable, nameof(joinable));
                Requires.NotNull(_pending, "pending");
                Requires.NotNull(Current, "current");
                var local = inner;
                Requires.NotNull(local, "local");
                Helpers.Follow(tcs, inner);
                {|#0:Requires.NotNull(StartAsync(), "started")|};
                {|#1:Requires.Wrap(joinable)|};
                {|#2:Helpers.Fresh(tcs)|};
                return await inner;
            }

            static Task StartAsync() => Task.Delay(1);
        }
        """, """
        using System.Threading.Tasks;

        public static class Requires
        {
            public static T NotNull<T>(T value, string name) where T : class => value ?? throw new System.ArgumentNullException(name);
            public static Task<T> Wrap<T>(T value) => Task.FromResult(value);
        }
        """,
        Tw4002(0, "Task", "Requires.NotNull"), Tw4002(1, "Task", "Requires.Wrap"), Tw4002(2, "Task", "Helpers.Fresh"));

    // The hand-back questions, asked where the guard does not bind, its argument is missing, the helper's
    // returned source is half-typed or does not bind, and a local copy of a source field is half-written:
    // in doubt, the task is reported.
    [Fact]
    public Task BrokenGuardsAndHandBacks_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading.Tasks;

        static class Helpers
        {
            public static Task<T> Follow<T>(TaskCompletionSource<T> tcs) => tcs.;
            public static Task<T> Other<T>(TaskCompletionSource<T> tcs) { return missing.Task; }
            public static T Same<T>(T value) => value;
        }

        class Event
        {
            private TaskCompletionSource<bool> _source = new();
            public Task SetAsync() { TaskCompletionSource<bool>? tcs = ; tcs.TrySetResult(true); return tcs.Task; }
            public Task ResetAsync() { var tcs = this.; return tcs.Task; }
            public void Set() { {|#2:SetAsync()|}; {|#3:ResetAsync()|}; }
        }

        class Factory
        {
            void M(Task joinable, TaskCompletionSource<int> tcs)
            {
                Requires.NotNull(joinable, nameof(joinable));
                Helpers.Same(joinable;
                Helpers.Same();
                {|#0:Helpers.Follow(tcs)|};
                {|#1:Helpers.Other(tcs)|};
            }
        }
        """, Tw4002(0, "Task", "Helpers.Follow"), Tw4002(1, "Task", "Helpers.Other"), Tw4002(2, "Task", "SetAsync"), Tw4002(3, "Task", "ResetAsync"));

    [Fact]
    public Task LifecycleTasksTheObjectKeeps_AreNotDropped_NewWorkIs() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class ProcessorState
        {
            private readonly object _lock = new object();
            private readonly TaskCompletionSource<bool> _stopped = new TaskCompletionSource<bool>();
            private Task _haltTask = Task.CompletedTask;
            private Task _disposeTask;
            private bool _disposed;

            // Hands out the task the object keeps; a later caller gets the same one.
            public Task Dispose()
            {
                lock (_lock)
                {
                    if (_disposed)
                    {
                        return _disposeTask;
                    }

                    _disposed = true;
                    _disposeTask = Halt();
                    return _disposeTask;
                }
            }

            public Task Halt() => _disposed ? this._haltTask : HaltCore();

            private Task HaltCore()
            {
                _haltTask = Task.WhenAll(_haltTask, Task.Delay(1));
                return _haltTask;
            }

            public Task Stopped() => _stopped.Task;

            // New work each call.
            public Task Flush() => Task.Run(() => { });

            // A local hides the field: the returned task is new.
            public Task Restart()
            {
                var _haltTask = Task.Delay(1);
                return _haltTask;
            }

            public virtual Task Overridable() => _haltTask;
        }

        class Processor : IDisposable
        {
            private readonly ProcessorState _state = new ProcessorState();

            public void Dispose()
            {
                _state.Dispose();
                _state.Halt();
                _state.Stopped();
                {|#0:_state.Flush()|};
                {|#1:_state.Restart()|};
                {|#2:_state.Overridable()|};
            }
        }
        """, Tw4002(0, "Task", "_state.Flush"), Tw4002(1, "Task", "_state.Restart"), Tw4002(2, "Task", "_state.Overridable"));

    // Orleans' BatchWorker: `Notify()` drops `Start()`, which does `var task = …; currentWorkCycle = task;
    // task.ContinueWith(…); return task;` — the object keeps the task it hands out. A local stored only on some
    // paths, assigned again after the store, or a different local stored, proves nothing.
    [Fact]
    public Task LocalsStoredInAFieldBeforeTheReturn_AreKept() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        class BatchWorker
        {
            private readonly object _lock = new object();
            private Task? _current;
            private bool _trace;

            public void Notify()
            {
                lock (_lock)
                {
                    Start();
                    this.StartThis();
                    {|#0:StartSometimes()|};
                    {|#1:StartTwice()|};
                    {|#2:StartOther()|};
                }
            }

            private Task Start()
            {
                var task = Task.Run(() => Work());
                _current = task;
                task.ContinueWith(_ => Work());
                return task;
            }

            private Task StartThis()
            {
                var task = Task.Run(() => Work());
                this._current = task;
                return task;
            }

            private Task StartSometimes()
            {
                var task = Task.Run(() => Work());
                if (_trace)
                {
                    _current = task;
                }

                return task;
            }

            private Task StartTwice()
            {
                var task = Task.Run(() => Work());
                _current = task;
                task = Task.Run(() => Work());
                return task;
            }

            private Task StartOther()
            {
                var task = Task.Run(() => Work());
                var other = Task.Run(() => Work());
                _current = other;
                return task;
            }

            private void Work() { }
        }
        """, Tw4002(0, "Task", "StartSometimes"), Tw4002(1, "Task", "StartTwice"), Tw4002(2, "Task", "StartOther"));

    // vs-threading's AsyncManualResetEvent: `public void Set() => this.SetAsync();` where SetAsync copies the
    // completion-source field into a local under a lock, completes it and returns `tcs.Task` — the task the
    // event keeps and hands to every waiter. A local that is also given a new source, or is a parameter's
    // copy, proves nothing.
    [Fact]
    public Task LocalCopiesOfAKeptCompletionSource_AreNotDropped() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        class ManualResetEvent
        {
            private readonly object _sync = new();
            private TaskCompletionSource<bool> _source = new();

            public Task WaitAsync() => _source.Task;

            public Task SetAsync()
            {
                TaskCompletionSource<bool>? tcs = null;
                lock (_sync)
                {
                    tcs = this._source;
                }

                tcs.TrySetResult(true);
                return tcs.Task;
            }

            public Task ResetAsync()
            {
                var tcs = _source;
                if (tcs.Task.IsCompleted)
                {
                    tcs = new TaskCompletionSource<bool>();
                }

                return tcs.Task;
            }

            public void Set() => SetAsync();

            public void Reset()
            {
                {|#0:ResetAsync()|};
            }
        }
        """, Tw4002(0, "Task", "ResetAsync"));

    // Akka.NET's `task.PipeTo(Self)` sends the outcome, failure included, to an actor and returns a
    // detached task: dropping it is how the API is used.
    [Fact]
    public Task AkkaPipeTo_IsNotDropped() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        namespace Akka.Actor
        {
            public interface ICanTell { void Tell(object message); }

            public static class PipeToSupport
            {
                public static async Task PipeTo<T>(this Task<T> task, ICanTell recipient)
                {
                    try { recipient.Tell(await task); }
                    catch (System.Exception e) { recipient.Tell(e); }
                }
            }
        }

        namespace App
        {
            using Akka.Actor;

            static class Other
            {
                public static Task PipeTo<T>(Task<T> task, ICanTell recipient) => Task.Delay(1);
                public static Task Forward<T>(this Task<T> task, ICanTell recipient) => Task.Delay(1);
            }

            class Actor
            {
                void Receive(ICanTell self, Task<int> lookup)
                {
                    lookup.PipeTo(self);
                    PipeToSupport.PipeTo(lookup, self);
                    {|#0:Other.PipeTo(lookup, self)|};
                    {|#1:lookup.Forward(self)|};
                }
            }
        }
        """, Tw4002(0, "Task", "Other.PipeTo"), Tw4002(1, "Task", "lookup.Forward"));

    // Rx's `task.ContinueWithState(action, state, token);`: a helper that returns `task.ContinueWith(…)`
    // registers a continuation like ContinueWith itself. So does any extension of your source on a task
    // that takes the code to run after it — SignalR's client schedules its polling and reconnects with
    // `TaskAsyncHelper.Delay(d).Then(() => Reconnect())` and `next.Finally(OnAfterPoll, state)`, whose
    // returns are the antecedent, a finished task or a continuation. A helper on a task without a delegate
    // (a timeout), a static helper that is not an extension, and an extension of another type are reported.
    [Fact]
    public Task HelpersThatReturnAContinuation_AreNotDropped() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        static class TaskExtensions
        {
            public static Task ContinueWithState<TState>(this Task task, Action<Task, TState> action, TState state, CancellationToken token)
                => task.ContinueWith((t, o) => action(t, (TState)o!), state, token);

            public static Task ThenRun(this Task task, Action action)
            {
                if (task.IsCompleted)
                {
                    return Task.Run(action);
                }

                return task.ContinueWith(_ => action());
            }

            public static Task Finally(this Task task, Action<object> next, object state)
            {
                switch (task.Status)
                {
                    case TaskStatus.Faulted:
                        next(state);
                        return task;
                    default:
                        return task.ContinueWith(_ => next(state));
                }
            }

            public static Task WithTimeout(this Task task, TimeSpan timeout) => Task.WhenAny(task, Task.Delay(timeout));

            public static Task After(Task task, Action action) => task.IsCompleted ? Task.Run(action) : task.ContinueWith(_ => action());

            public static Task Then(this Action action, Task task) => task.IsCompleted ? Task.Run(action) : task.ContinueWith(_ => action());
        }

        class Observer
        {
            void OnNext(Task task, CancellationToken token, Action poll)
            {
                task.ContinueWithState((t, self) => self.Done(t), this, token);
                task.ThenRun(() => { });
                Task.Delay(10).ThenRun(poll);
                task.Finally(state => Done((Task)state), task);
                {|#0:task.WithTimeout(TimeSpan.FromSeconds(1))|};
                {|#1:TaskExtensions.After(task, poll)|};
                {|#2:poll.Then(task)|};
            }

            void Done(Task t) { }
        }
        """, Tw4002(0, "Task", "task.WithTimeout"), Tw4002(1, "Task", "TaskExtensions.After"), Tw4002(2, "Task", "poll.Then"));

    // Fleck's sockets take success and error callbacks and also return the task: the failure goes to the
    // error callback, so the task has nothing more to tell. So does a helper whose every return is such a
    // call. A success callback alone, a null error callback, or a helper with another return is reported.
    [Fact]
    public Task CallsThatHandAnErrorCallback_AreNotDropped() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading.Tasks;

        interface ISocket
        {
            Task Send(byte[] buffer, Action callback, Action<Exception> error);
            Task Receive(byte[] buffer, Action<int> callback, Action<IOException> error, int offset = 0);
            Task Flush(Action callback);
        }

        class Connection
        {
            private readonly ISocket _socket;

            public Connection(ISocket socket) => _socket = socket;

            private Task SendBytes(byte[] bytes, Action done = null)
                => _socket.Send(bytes, () => done?.Invoke(), e => OnError(e));

            private Task SendOrFail(byte[] bytes)
            {
                if (bytes.Length == 0)
                {
                    return Task.FromException(new InvalidOperationException());
                }

                return SendBytes(bytes);
            }

            public void Start(byte[] buffer)
            {
                _socket.Receive(buffer, r => { }, OnError);
                SendBytes(buffer, Start2);
                SendBytes(buffer);
                {|#0:_socket.Flush(() => { })|};
                {|#1:_socket.Send(buffer, () => { }, null)|};
                {|#2:SendOrFail(buffer)|};
            }

            private void Start2() { }

            private void OnError(Exception e) { }
        }
        """, Tw4002(0, "Task", "_socket.Flush"), Tw4002(1, "Task", "_socket.Send"), Tw4002(2, "Task", "SendOrFail"));

    // socket.io-client-csharp: `Task.Run(StartPingAsync).ConfigureAwait(false);` in a synchronous handler
    // drops what Task.Run returns, an offload from synchronous code. Another call wrapped the same way is
    // judged, and named, as itself.
    [Fact]
    public Task ConfigureAwaitAsAStatement_IsJudgedByTheCallInside() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        class Adapter
        {
            bool HandleConnected()
            {
                Task.Run(StartPingAsync).ConfigureAwait(false);
                {|#0:SendAsync().ConfigureAwait(false)|};
                return true;
            }

            async Task RunAsync()
            {
                await Task.Yield();
                {|#1:Task.Run(StartPingAsync).ConfigureAwait(false)|};
            }

            Task StartPingAsync() => Task.Delay(1);

            Task SendAsync() => Task.Delay(1);
        }
        """, Tw4002(0, "Task", "SendAsync"), Tw4002(1, "Task", "Task.Run"));
}
