using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.Blocking.SyncOverAsyncAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.Blocking.SyncOverAsyncAnalyzer, Threadwise.Blocking.SyncOverAsyncCodeFixProvider>;
using VerifyTw3002 = Threadwise.Tests.Infrastructure.Verify<Threadwise.ThreadPool.BlockingInThreadPoolWorkItemAnalyzer>;

namespace Threadwise.Tests.Blocking;

public class SyncOverAsyncTests
{
    private static DiagnosticResult Tw1005(int markup, string wait, string method)
        => Tw1005(markup, wait, $"synchronous method '{method}'", "make it async and await the task");

    private static DiagnosticResult Tw1005(int markup, string wait, string where, string remedy)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW1005SyncOverAsync).WithLocation(markup).WithArguments(wait, where, remedy);

    // The WebJobs SDK's singleton listener: `LockTimer.Elapsed += OnLockTimer;` with `void OnLockTimer(object
    // sender, ElapsedEventArgs e) => TryAcquireLock().GetAwaiter().GetResult();`. A private method used only as a
    // work item of the pool is TW3002's finding, at the reference that hands it over; TW1005 does not report the
    // same wait again. A callback also called directly, or one callers outside the type can reach, is reported.
    private const string PoolCallbacks = """
        using System.Threading;
        using System.Threading.Tasks;
        using System.Timers;

        public class SingletonListener
        {
            private readonly System.Timers.Timer _lockTimer = new(1000);
            private System.Threading.Timer? _renew;

            public void Start()
            {
                _lockTimer.Elapsed += OnLockTimer;
                _renew = new System.Threading.Timer(Renew, null, 0, 1000);
                ThreadPool.QueueUserWorkItem(Drain);
                _lockTimer.Elapsed += Mixed;
                _lockTimer.Elapsed += Reachable;
            }

            public void Retry() => Mixed(this, null!);

            private void OnLockTimer(object? sender, ElapsedEventArgs e) => TryAcquireLock().GetAwaiter().GetResult();

            private void Renew(object? state) => TryAcquireLock().Wait();

            private void Drain(object? state) => TryAcquireLock().Wait();

            private void Mixed(object? sender, ElapsedEventArgs e) => {|#0:TryAcquireLock().Wait()|};

            public void Reachable(object? sender, ElapsedEventArgs e) => {|#1:TryAcquireLock().Wait()|};

            private async Task TryAcquireLock() => await Task.Delay(1);
        }
        """;

    [Fact]
    public Task WaitsInPoolCallbacks_AreLeftToTw3002() => VerifyAnalyzer.AnalyzerAsync(PoolCallbacks,
        Tw1005(0, "Wait", "Mixed"), Tw1005(1, "Wait", "Reachable"));

    [Fact]
    public Task WaitsInPoolCallbacks_AreReportedByTw3002() => VerifyTw3002.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;
        using System.Timers;

        public class SingletonListener
        {
            private readonly System.Timers.Timer _lockTimer = new(1000);
            private System.Threading.Timer? _renew;

            public void Start()
            {
                _lockTimer.Elapsed += {|#0:OnLockTimer|};
                _renew = new System.Threading.Timer({|#1:Renew|}, null, 0, 1000);
                ThreadPool.QueueUserWorkItem({|#2:Drain|});
            }

            private void OnLockTimer(object? sender, ElapsedEventArgs e) => {|#10:TryAcquireLock().GetAwaiter().GetResult()|};

            private void Renew(object? state) => {|#11:TryAcquireLock().Wait()|};

            private void Drain(object? state) => {|#12:TryAcquireLock().Wait()|};

            private async Task TryAcquireLock() => await Task.Delay(1);
        }
        """,
        Tw3002At(0, 10, "GetAwaiter().GetResult()", "_lockTimer.Elapsed"), Tw3002At(1, 11, "Wait", "new Timer"),
        Tw3002At(2, 12, "Wait", "ThreadPool.QueueUserWorkItem"));

    private static DiagnosticResult Tw3002At(int markup, int blocking, string wait, string call)
        => VerifyTw3002.Diagnostic(Descriptors.TW3002BlockingInThreadPoolWorkItem).WithLocation(markup).WithLocation(blocking).WithArguments(wait, call, "");

    [Fact]
    public Task BlockingWaitsInSyncMembers_AreReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        class C
        {
            private readonly Task<int> _load = Task.Run(() => 1);

            C(Task t) { {|#0:t.Wait()|}; }

            int Value => {|#1:_load.Result|};

            public void Save(Task t, Task[] all)
            {
                {|#2:t.GetAwaiter().GetResult()|};
                {|#3:Task.WaitAll(all)|};
                var first = {|#4:Task.WaitAny(all)|};
            }
        }
        """,
        Tw1005(0, "Wait", "constructor 'C'", "a constructor cannot be async: move the wait into an async factory method and await it there"),
        Tw1005(1, "Result", "property 'Value'", "a property cannot be async: turn it into an async method and await the task"),
        Tw1005(2, "GetAwaiter().GetResult()", "Save"), Tw1005(3, "Task.WaitAll", "Save"), Tw1005(4, "Task.WaitAny", "Save"));

    // nacos' cache entries: `private string LoadFromDisk(…) => ReadAsync(…).GetAwaiter().GetResult();` called
    // only from the constructors. "Make it async" leaves the constructor nothing to await with, so the message
    // sends the user to the constructor. A helper also called by a method keeps the usual remedy.
    [Fact]
    public Task HelpersOnlyConstructorsCall_AreSentToTheConstructor() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        class CacheData
        {
            private readonly string _content;

            public CacheData(string name) => _content = LoadFromDisk(name);

            public CacheData(string name, string tenant) => _content = LoadFromDisk(name + tenant);

            private string LoadFromDisk(string name) => {|#0:ReadAsync(name).GetAwaiter().GetResult()|};

            private string Load(string name) => {|#1:ReadAsync(name).Result|};

            public string Reload(string name) => Load(name);

            public CacheData(int id) => _content = Load(id.ToString());

            private static async Task<string> ReadAsync(string name) { await Task.Yield(); return name; }
        }
        """,
        Tw1005(0, "GetAwaiter().GetResult()", "synchronous method 'LoadFromDisk'",
            "it runs only from constructor 'CacheData', which cannot be async: move the wait into an async factory method and await it there"),
        Tw1005(1, "Result", "Load"));

    // QuestDB's TCP sender connects in its constructor with `socket.ConnectAsync(host, port).Wait()` where
    // `socket.Connect(host, port)` exists: the message names the synchronous form (same type, the name without
    // "Async", the same parameters but a trailing token, the task's result type). A twin that returns another
    // type, or none, keeps the usual remedy.
    [Fact]
    public Task WaitsOnAnAsyncCallWithASynchronousForm_NameIt() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Net.Sockets;
        using System.Threading.Tasks;

        class Store
        {
            public Task<long> CountAsync() => Task.FromResult(0L);
            public int Count() => 0;
            public Task<string> LoadAsync() => Task.FromResult("");
        }

        class Sender
        {
            private readonly Socket _socket = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);

            public Sender(string host, int port) => {|#0:_socket.ConnectAsync(host, port).Wait()|};

            string Read(string path) => {|#1:File.ReadAllTextAsync(path).Result|};

            long Count(Store store) => {|#2:store.CountAsync().Result|};

            string Load(Store store) => {|#3:store.LoadAsync().GetAwaiter().GetResult()|};
        }
        """,
        Tw1005(0, "Wait", "constructor 'Sender'", "'Socket.Connect' does the same work synchronously: call it instead of blocking on the task"),
        Tw1005(1, "Result", "synchronous method 'Read'", "'File.ReadAllText' does the same work synchronously: call it instead of blocking on the task"),
        Tw1005(2, "Result", "Count"),
        Tw1005(3, "GetAwaiter().GetResult()", "Load"));

    // In a project built for several frameworks a framework method may be missing on another target
    // (`HttpClient.Send` exists from net5): only the project's own synchronous forms are named there.
    [Fact]
    public Task MultiTargeted_OnlyTheProjectsOwnSynchronousFormsAreNamed() => VerifyAnalyzer.AnalyzerMultiTargetedAsync("""
        using System.Net.Http;
        using System.Threading.Tasks;

        class Store
        {
            public Task<string> LoadAsync() => Task.FromResult("");
            public string Load() => "";
        }

        class Client
        {
            HttpResponseMessage Get(HttpClient client, HttpRequestMessage request) => {|#0:client.SendAsync(request).Result|};

            string Load(Store store) => {|#1:store.LoadAsync().Result|};
        }
        """, "netstandard2.0;net8.0",
        Tw1005(0, "Result", "Get"),
        Tw1005(1, "Result", "synchronous method 'Load'", "'Store.Load' does the same work synchronously: call it instead of blocking on the task"));

    // Duende's token management: `private readonly Scheme _configScheme = GetConfigScheme(options.Value, provider);`
    // in a class with a primary constructor, the static helper blocking on `GetDefaultChallengeSchemeAsync()`.
    // A field or property initializer runs in the constructor: the message sends the user there. A helper a
    // lambda in an initializer calls runs whenever the lambda does, and keeps the usual remedy.
    [Fact]
    public Task HelpersOnlyInitializersCall_AreSentToTheConstructor() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        interface IProvider { Task<string> GetDefaultAsync(); }

        class Configure(IProvider provider)
        {
            private readonly string _scheme = GetScheme(provider);
            public string Fallback { get; } = GetFallback(provider);
            private readonly Func<string> _later = () => GetLater(provider);

            private static string GetScheme(IProvider provider) => {|#0:provider.GetDefaultAsync().GetAwaiter().GetResult()|};
            private static string GetFallback(IProvider provider) => {|#1:provider.GetDefaultAsync().Result|};
            private static string GetLater(IProvider provider) => {|#2:provider.GetDefaultAsync().Result|};
        }
        """,
        Tw1005(0, "GetAwaiter().GetResult()", "synchronous method 'GetScheme'",
            "it runs only from constructor 'Configure', which cannot be async: move the wait into an async factory method and await it there"),
        Tw1005(1, "Result", "synchronous method 'GetFallback'",
            "it runs only from constructor 'Configure', which cannot be async: move the wait into an async factory method and await it there"),
        Tw1005(2, "Result", "GetLater"));

    // MySqlConnector's core: `ClearPoolsAsync(IOBehavior.Synchronous, ct).GetAwaiter().GetResult()` asks a
    // dual-path method for its synchronous path, so the task is complete when it returns. So is a bool
    // named for the synchronous path given `true`. The asynchronous member, or `sync: false`, is real
    // sync-over-async.
    [Fact]
    public Task WaitOnACallThatAsksForTheSynchronousPath_IsNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        enum IOBehavior { Synchronous, Asynchronous }

        class Pool
        {
            static Task ClearAsync(IOBehavior ioBehavior, CancellationToken ct) => Task.CompletedTask;
            static Task<int> ReadAsync(bool synchronous) => Task.FromResult(1);

            public static void OnShutDown()
            {
                ClearAsync(IOBehavior.Synchronous, CancellationToken.None).GetAwaiter().GetResult();
                var n = ReadAsync(synchronous: true).Result;
            }

            public static void Blocks()
            {
                {|#0:ClearAsync(IOBehavior.Asynchronous, CancellationToken.None).GetAwaiter().GetResult()|};
                var n = {|#1:ReadAsync(false).Result|};
            }
        }
        """, Tw1005(0, "GetAwaiter().GetResult()", "Blocks"), Tw1005(1, "Result", "Blocks"));

    [Fact]
    public Task MainLambdasAsyncCodeAndCompleteTasks_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Linq;
        using System.Threading.Tasks;

        class Program
        {
            static void Main(string[] args) => Run().Wait();

            static Task Run() => Task.CompletedTask;

            int Sync(Task<int> t, Task<int>[] all)
            {
                Func<int> later = () => t.Result;
                var results = all.Select(x => x.Result).Sum();
                var ready = Task.FromResult(1).Result;
                var polled = t.Wait(0);
                return t.IsCompleted ? t.Result : ready + results;
            }

            async Task<int> Async(Task<int> t) => await t;
        }
        """);

    [Fact]
    public Task SynchronousContracts_AsyncPairs_AndBoundedWaits_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        interface IStore { int Count(); }

        sealed class Connection : IDisposable, IAsyncDisposable, IStore
        {
            public void Dispose() => DisposeAsync().AsTask().GetAwaiter().GetResult();

            public ValueTask DisposeAsync() => default;

            public int Count() => CountAsync().Result;

            int Helper(Task<int> t) => {|#0:t.Result|};

            public Task<int> CountAsync() => Task.FromResult(1);

            public string Load(string path) => LoadAsync(path).GetAwaiter().GetResult();

            public Task<string> LoadAsync(string path) => File.ReadAllTextAsync(path);

            public bool TryFlush(Task flush) => flush.Wait(TimeSpan.FromSeconds(1));

            public bool FlushAll(Task[] all) => Task.WaitAll(all, 500);

            // A sleep in the form netstandard1.x code writes: no continuation to deadlock on.
            public void Pause(int ms) => Task.Delay(ms).Wait();
        }

        class Worker : IDisposable
        {
            private readonly CancellationTokenSource _cts = new();
            private readonly Task _loop = Task.CompletedTask;

            public void Dispose() { Dispose(true); GC.SuppressFinalize(this); }

            // The dispose pattern's synchronous half joins the worker before freeing what it uses.
            protected virtual void Dispose(bool disposing)
            {
                if (disposing)
                {
                    _cts.Cancel();
                    _loop.Wait();
                }
            }
        }

        class Base { public virtual int Read() => 0; }

        class Derived : Base { public override int Read() => Task.Run(() => 1).Result; }
        """, Tw1005(0, "Result", "Helper"));

    // Akka.NET's circuit breaker pairs `WithCircuitBreaker` (returns a task) with
    // `WithSyncCircuitBreaker`: "Sync" names the synchronous half as "Async" names the other.
    [Fact]
    public Task SyncNamedHalfOfAPair_IsNotReported_OtherSyncNamesAre() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        public class Breaker
        {
            public Task WithCircuitBreaker(Action body) => Task.Run(body);

            public Task<T> WithCircuitBreaker<T>(Func<T> body) => Task.Run(body);

            public void WithSyncCircuitBreaker(Action body) => WithCircuitBreaker(body).GetAwaiter().GetResult();

            public T WithSyncCircuitBreaker<T>(Func<T> body) => WithCircuitBreaker(body).Result;

            public int Count() => 0;

            public int CountSync() => {|#0:Task.Run(() => 1).Result|};

            public void Synchronize() => {|#1:Task.Delay(1).ContinueWith(_ => { }).Wait()|};

            public void Synchronize(int times) { }
        }
        """, Tw1005(0, "Result", "CountSync"), Tw1005(1, "Wait", "Synchronize"));

    // ARSoft.Tools.Net's DNS server starts a worker per transport, `_workers = transports.Select(t => Task.Run(…)).ToArray()`,
    // and `Stop()` cancels, then `Task.WaitAll(_workers)`: the same join, of several pool workers. An array
    // of started tasks counts too; one holding a task from elsewhere, or a join without the stop signal, is
    // reported.
    [Fact]
    public Task StopAndJoinOfSeveralPoolWorkers_IsNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        public class Server
        {
            private readonly CancellationTokenSource _cts = new();
            private Task[] _workers;
            private Task[] _pair;
            private Task[] _mixed;

            public void Start(string[] transports, Task handed)
            {
                _workers = transports.Select(t => Task.Run(() => Listen(t, _cts.Token))).ToArray();
                _pair = new[] { Task.Run(() => { }), Task.Factory.StartNew(() => { }) };
                _mixed = new[] { Task.Run(() => { }), handed };
            }

            private static void Listen(string transport, CancellationToken token) { }

            public void Stop()
            {
                _cts.Cancel();
                Task.WaitAll(_workers);
                Task.WaitAll(_pair);
                {|#0:Task.WaitAll(_mixed)|};
            }

            public void Drain()
            {
                {|#1:Task.WaitAll(_workers)|};
            }
        }
        """, Tw1005(0, "Task.WaitAll", "Stop"), Tw1005(1, "Task.WaitAll", "Drain"));

    // Gelf's message processor: `Stop() { _messageBuffer.Complete(); _processorTask.Wait(); }`, FluentModbus's
    // server: `_cts?.Cancel(); … _task?.Wait();`. The worker is told to finish, then joined; it was started
    // with Task.Run (or holds the finished placeholder it starts as), so no synchronization context can
    // deadlock the join. Without the stop signal first,
    // or on a task the field may get from elsewhere, the wait is reported.
    [Fact]
    public Task StopAndJoinOfAPoolWorker_IsNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;
        using System.Collections.Concurrent;

        public class Processor
        {
            private readonly BlockingCollection<int> _buffer = new();
            private readonly Task _processorTask;
            private Task _consumerTask = Task.CompletedTask;
            private CancellationTokenSource _cts;
            private Task _serverTask;
            private Task _handedTask;

            public Processor(Task handed)
            {
                _processorTask = Task.Run(() => { foreach (var item in _buffer.GetConsumingEnumerable()) { } });
                _handedTask = handed;
            }

            public void Start()
            {
                _cts = new CancellationTokenSource();
                _serverTask = Task.Factory.StartNew(() => { }, _cts.Token);
            }

            public void Stop()
            {
                _buffer.CompleteAdding();
                _processorTask.Wait();
            }

            public void StartConsumer() => _consumerTask = Task.Run(() => { });

            public void StopConsumer()
            {
                _buffer.CompleteAdding();
                _consumerTask.Wait();
            }

            protected virtual void StopServer()
            {
                _cts?.Cancel();
                _serverTask?.Wait();
            }

            public void Flush()
            {
                {|#0:_processorTask.Wait()|};
            }

            public void StopHanded()
            {
                _cts.Cancel();
                {|#1:_handedTask.Wait()|};
            }
        }
        """, Tw1005(0, "Wait", "Flush"), Tw1005(1, "Wait", "StopHanded"));

    // FFMpegCore's `ProcessSynchronously` beside `ProcessAsynchronously`: the words spelled out name a pair
    // too. A "Synchronously" name whose "Asynchronously" namesake returns no task, or that has none, is no pair
    // (an internal one is reported; a public "…Synchronously" is named for blocking, see
    // PublicMethodsNamedToBlock_AreNotReported).
    [Fact]
    public Task SynchronouslyNamedHalfBesideAnAsynchronouslyNamedHalf_IsNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        public class Processor
        {
            public async Task<bool> ProcessAsynchronously() { await Task.Yield(); return true; }

            public bool ProcessSynchronously() => ProcessAsynchronously().GetAwaiter().GetResult();

            public int CountAsynchronous() => 0;

            public int CountSynchronous() => {|#0:Task.Run(() => 1).Result|};

            internal int ReadSynchronously() => {|#1:Task.Run(() => 1).Result|};
        }
        """, Tw1005(0, "Result", "CountSynchronous"), Tw1005(1, "Result", "ReadSynchronously"));

    // FusionCache's `RunSyncActionWithTimeout` beside `RunAsyncActionWithTimeoutAsync`: "Sync" in place
    // of "Async" names the synchronous half too. A "Sync" name whose "Async" namesake returns no task is
    // no pair.
    [Fact]
    public Task SyncNamedHalfBesideAnAsyncNamedHalf_IsNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        static class RunUtils
        {
            public static async Task RunAsyncActionWithTimeoutAsync(Func<Task> action, TimeSpan timeout) => await action();

            public static Task<int> RunAsyncFunc(Func<Task<int>> func) => func();

            public static int RunAsyncCount() => 0;

            public static void RunSyncActionWithTimeout(Action action, TimeSpan timeout)
                => RunAsyncActionWithTimeoutAsync(() => Task.Run(action), timeout).GetAwaiter().GetResult();

            public static int RunSyncFunc(Func<int> func) => RunAsyncFunc(() => Task.Run(func)).Result;

            public static int RunSyncCount() => {|#0:Task.Run(() => 1).Result|};
        }
        """, Tw1005(0, "Result", "RunSyncCount"));

    // The APM pattern: `EndX(IAsyncResult)` waits for the operation by contract (Azure AMQP's internal
    // `EndAsyncResult<T>(IAsyncResult r) => ((Task<T>)r).Result`). An internal method named otherwise, or
    // an End method that waits on another task, is reported.
    [Fact]
    public Task AsyncResultEndMethods_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        static class Apm
        {
            internal static T EndAsyncResult<T>(IAsyncResult asyncResult) => ((Task<T>)asyncResult).Result;

            internal static void EndOpen(IAsyncResult result) => ((Task)result).GetAwaiter().GetResult();

            internal static T Finish<T>(IAsyncResult asyncResult) => {|#0:((Task<T>)asyncResult).Result|};

            internal static int EndCount(IAsyncResult result, Task<int> other) => {|#1:other.Result|};
        }

        // SSH.NET's `EndExecute`: the task behind the IAsyncResult, through TaskToAsyncResult.Unwrap.
        public class Command
        {
            private TaskCompletionSource<string> _tcs;

            public string EndExecute(IAsyncResult asyncResult)
            {
                var executeTask = TaskToAsyncResult.Unwrap(asyncResult);
                executeTask.GetAwaiter().GetResult();
                return "";
            }

            private string Finish(IAsyncResult asyncResult) => TaskToAsyncResult.Unwrap(asyncResult).Wait(1) ? "" : {|#2:_tcs.Task.Result|};
        }
        """, Tw1005(0, "Result", "Finish"), Tw1005(1, "Result", "EndCount"), Tw1005(2, "Result", "Finish"));

    // A helper that only synchronous contracts call (directly or through other such helpers) can
    // become async only if the contract does: the user cannot act there. A helper that any other
    // member calls, a lambda calls, or another assembly may call is still reported.
    [Fact]
    public Task HelpersOfSynchronousContracts_AreNotReported_OtherHelpersAre() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        public interface IPerformer { object Perform(Func<Task<object>> job); }

        public sealed class Performer : IPerformer
        {
            public object Perform(Func<Task<object>> job) => Invoke(job);

            private object Invoke(Func<Task<object>> job) => OnScheduler(job);

            private object OnScheduler(Func<Task<object>> job) => job().GetTaskLikeResult();

            public object Run(Func<Task<object>> job) => Shared(job);

            public object Perform2(Func<Task<object>> job) => Shared(job);

            private object Shared(Func<Task<object>> job) => {|#0:Start(job).Result|};

            private object FromLambda(Func<Task<object>> job) => {|#1:Start(job).Result|};

            public Func<object> Later(Func<Task<object>> job) => () => FromLambda(job);

            public object Exposed(Func<Task<object>> job) => {|#2:Start(job).Result|};

            private static Task<object> Start(Func<Task<object>> job) => Task.Run(job);
        }

        internal static class TaskExtensions
        {
            internal static object GetTaskLikeResult(this Task<object> task) => task.GetAwaiter().GetResult();
        }
        """, Tw1005(0, "Result", "Shared"), Tw1005(1, "Result", "FromLambda"), Tw1005(2, "Result", "Exposed"));

    // `Run(Func<TState, ValueTask<TResult>> action, TState state)`: a bridge that runs the async work
    // it is handed and blocks on it is a sync-over-async API by design; making it async would undo
    // it. A wait on anything else in the same method, or on a reassigned local, is still reported.
    [Fact]
    public Task BridgesThatBlockOnTheDelegateTheyAreHanded_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        static class SyncBridge
        {
            internal static TResult Run<TState, TResult>(Func<TState, ValueTask<TResult>> action, TState state)
            {
                var task = action(state);
                if (!task.IsCompleted)
                {
                    return task.AsTask().GetAwaiter().GetResult();
                }

                return task.GetAwaiter().GetResult();
            }

            private static T RunSync<T>(Func<Task<T>> work) => work().GetAwaiter().GetResult();

            private static void RunSync(Func<Task> work) => work.Invoke().Wait();

            private static int NotTheDelegate(Func<Task<int>> work)
            {
                var task = work();
                task = Other();
                return {|#0:task.Result|} + {|#1:Other().Result|};
            }

            private static Task<int> Other() => Task.Run(() => 1);
        }
        """, Tw1005(0, "Result", "NotTheDelegate"), Tw1005(1, "Result", "NotTheDelegate"));

    // Microsoft.Testing.Platform's `GetMinimumExpectedTests` reads `IsMinimumExpectedTestsOptionValidAsync(…).Result`,
    // a private helper returning `cond ? ValidationResult.InvalidTask(msg) : ValidationResult.ValidTask` — a
    // Task<T> computed synchronously, complete when the call returns. A helper with any path that does work, an
    // async or virtual one, a settable static task, or a placeholder returning a constant is reported.
    [Fact]
    public Task HelpersThatReturnFinishedResults_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        sealed class ValidationResult
        {
            private ValidationResult(bool valid) => IsValid = valid;

            public bool IsValid { get; }

            public static Task<ValidationResult> ValidTask { get; } = Task.FromResult(new ValidationResult(true));

            public static Task<ValidationResult> Current { get; set; } = Task.FromResult(new ValidationResult(true));

            public static Task<ValidationResult> InvalidTask(string message) => Task.FromResult(new ValidationResult(false));
        }

        class Options
        {
            public static int Minimum(string[] args) => IsValidAsync(args).Result.IsValid ? 1 : 0;

            public static int Partly(string[] args) => {|#0:MixedAsync(args).Result|}.IsValid ? 1 : 0;

            public static int Remote(string[] args) => {|#1:FetchAsync(args).Result|}.IsValid ? 1 : 0;

            public int Overridable(string[] args) => {|#2:CheckAsync(args).Result|}.IsValid ? 1 : 0;

            public static int Settable(string[] args) => {|#3:CurrentAsync(args).Result|}.IsValid ? 1 : 0;

            public static int Total() => {|#4:PlaceholderAsync().Result|};

            private static Task<int> PlaceholderAsync() => Task.FromResult(0);

            private static Task<ValidationResult> IsValidAsync(string[] args)
            {
                if (args.Length == 0)
                {
                    return ValidationResult.InvalidTask("none");
                }

                return args.Length != 1 ? ValidationResult.InvalidTask("one") : ValidationResult.ValidTask;
            }

            private static Task<ValidationResult> MixedAsync(string[] args)
                => args.Length == 0 ? ValidationResult.ValidTask : FetchAsync(args);

            private static async Task<ValidationResult> FetchAsync(string[] args)
            {
                await Task.Yield();
                return ValidationResult.ValidTask.Result;
            }

            protected virtual Task<ValidationResult> CheckAsync(string[] args) => ValidationResult.ValidTask;

            private static Task<ValidationResult> CurrentAsync(string[] args) => ValidationResult.Current;
        }
        """,
        Tw1005(0, "Result", "Partly"), Tw1005(1, "Result", "Remote"), Tw1005(2, "Result", "Overridable"), Tw1005(3, "Result", "Settable"),
        Tw1005(4, "Result", "Total"));

    // Microsoft.Testing.Platform's server host reports an unhandled exception with
    // `DisplayAsync(…).GetAwaiter().GetResult()` in its `AppDomain.UnhandledException` and
    // `TaskScheduler.UnobservedTaskException` handlers: the events are synchronous and the process may end as
    // soon as the handler returns. A handler of another event, or a method of that shape with another result,
    // is reported.
    [Fact]
    public Task LastChanceExceptionHandlers_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        sealed class Host
        {
            public void Start()
            {
                AppDomain.CurrentDomain.UnhandledException += OnUnhandledException;
                TaskScheduler.UnobservedTaskException += OnUnobservedTaskException;
                AppDomain.CurrentDomain.FirstChanceException += (_, _) => { };
            }

            private void OnUnhandledException(object sender, UnhandledExceptionEventArgs e)
                => DisplayAsync(e.ExceptionObject.ToString()).GetAwaiter().GetResult();

            private void OnUnobservedTaskException(object sender, UnobservedTaskExceptionEventArgs e)
            {
                e.SetObserved();
                DisplayAsync(e.Exception.ToString()).GetAwaiter().GetResult();
            }

            private void OnOtherEvent(object sender, EventArgs e)
                => {|#0:DisplayAsync("other").GetAwaiter().GetResult()|};

            private bool Report(object sender, UnhandledExceptionEventArgs e)
                => {|#1:DisplayAsync("report").Result|};

            private static Task<bool> DisplayAsync(string text) => Task.Run(() => text.Length > 0);
        }
        """, Tw1005(0, "GetAwaiter().GetResult()", "OnOtherEvent"), Tw1005(1, "Result", "Report"));

    // dotnet-etcd's `AsyncHelper.RunSync(Func<Task> func)`: `factory.StartNew(() => { …; return func(); }).Unwrap()
    // .GetAwaiter().GetResult()` runs the handed-in work on the pool and blocks on it — a bridge like the one
    // above. `Task.Run(() => func()).Result` is the same. A pool lambda that returns other work, or that can
    // return either, is reported.
    [Fact]
    public Task BridgesThatRunTheDelegateOnThePool_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Globalization;
        using System.Threading;
        using System.Threading.Tasks;

        internal static class AsyncHelper
        {
            private static readonly TaskFactory Factory = new(CancellationToken.None, TaskCreationOptions.None, TaskContinuationOptions.None, TaskScheduler.Default);

            public static void RunSync(Func<Task> func)
            {
                var culture = CultureInfo.CurrentCulture;
                Factory.StartNew(() =>
                {
                    Thread.CurrentThread.CurrentCulture = culture;
                    return func();
                }).Unwrap().GetAwaiter().GetResult();
            }

            public static T RunSync<T>(Func<Task<T>> func) => Task.Run(() => func()).Result;

            public static int NotHandedIn(Func<Task<int>> func) => {|#0:Task.Run(() => Other()).Result|};

            public static int Either(Func<Task<int>> func, bool other)
                => {|#1:Factory.StartNew(() => { if (other) { return Other(); } return func(); }).Unwrap().Result|};

            private static Task<int> Other() => Task.Run(() => 1);
        }
        """, Tw1005(0, "Result", "NotHandedIn"), Tw1005(1, "Result", "Either"));

    // LibUsbDotNet's transfer-queue reader: `Task.Factory.StartNew(TransferQueueRead, token, LongRunning, Default)`,
    // whose body waits for the first of its transfers. A long-running task runs on a thread of its own, like
    // `new Thread(…)`. Without LongRunning it runs on the pool: TW3002's finding when that is its only use, and
    // reported here when the method is also called directly.
    [Fact]
    public Task WaitsInTheBodyOfALongRunningTask_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        internal sealed class Reader
        {
            private readonly CancellationTokenSource _cts = new();
            private readonly List<Task> _transfers = new();

            public void Start()
            {
                Task.Factory.StartNew(TransferQueueRead, _cts.Token, TaskCreationOptions.LongRunning, TaskScheduler.Default);
                Task.Factory.StartNew(Pump, _cts.Token, TaskCreationOptions.None, TaskScheduler.Default);
            }

            private Task TransferQueueRead()
            {
                while (!_cts.IsCancellationRequested)
                {
                    Task.WhenAny(_transfers).Wait(_cts.Token);
                }

                return Task.CompletedTask;
            }

            public void PumpNow() => Pump();

            private void Pump() => {|#0:Task.WhenAny(_transfers).Wait(_cts.Token)|};
        }
        """, Tw1005(0, "Wait", "Pump"));

    // The MongoDB driver's server monitor: `new Thread(new ParameterizedThreadStart(ThreadStart))` whose
    // body (through a helper or two) waits on a heartbeat task. Blocking on a thread of its own stalls no
    // pool thread and no synchronization context. The same helper also called from elsewhere, or a body
    // also handed to Task.Run, is still reported.
    [Fact]
    public Task WaitsOnlyADedicatedThreadMakes_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        internal sealed class Heartbeat
        {
            private readonly TaskCompletionSource<bool> _tcs = new TaskCompletionSource<bool>();

            public Task Task => _tcs.Task;

            public void Wait(CancellationToken cancellationToken) => _tcs.Task.Wait(cancellationToken);

            public void WaitToo(CancellationToken cancellationToken) => {|#0:_tcs.Task.Wait(cancellationToken)|};
        }

        internal sealed class Monitor
        {
            private Thread _thread;

            public void Start(CancellationToken token)
            {
                _thread = new Thread(new ParameterizedThreadStart(ThreadStart)) { IsBackground = true };
                _thread.Start(token);

                void ThreadStart(object state) => MonitorServer((CancellationToken)state);
            }

            public void StartOther(CancellationToken token)
            {
                new Thread(Loop).Start();
                new Thread(Worker).Start();
                Task.Run(Pooled);
            }

            private void MonitorServer(CancellationToken token)
            {
                while (!token.IsCancellationRequested)
                {
                    new Heartbeat().Wait(token);
                }
            }

            private void Loop() => {|#2:new Heartbeat().Task.Wait()|};

            private void Worker() => new Heartbeat().Task.Wait();

            private void Pooled() => new Heartbeat().WaitToo(default);

            public void Direct(Task work) => {|#1:work.Wait()|};

            private void Shared() => Loop();

            // TickerQ's workers: `new Thread(() => WorkerLoop(id))`, a lambda that only calls the method.
            public void StartWorkers(int count)
            {
                for (var id = 0; id < count; id++)
                {
                    var workerId = id;
                    new Thread(() => WorkerLoop(workerId)) { IsBackground = true }.Start();
                    new Thread(() => { Log(); Busy(workerId); }).Start();
                }
            }

            private void WorkerLoop(int workerId) => Task.Run(async () => await Task.Delay(workerId)).GetAwaiter().GetResult();

            private void Busy(int workerId) => {|#3:Task.Delay(workerId).ContinueWith(_ => { }).Wait()|};

            private void Log() { }
        }
        """, Tw1005(0, "Wait", "WaitToo"), Tw1005(2, "Wait", "Loop"), Tw1005(1, "Wait", "Direct"), Tw1005(3, "Wait", "Busy"));

    // A private helper whose every caller passes a task known complete there (after an IsCompleted
    // check, as a continuation's antecedent) reads a result, not a wait; one caller that passes a
    // running task, or a reassigned parameter, makes it a wait again.
    [Fact]
    public Task ParametersCompleteAtEveryCall_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Forwarder
        {
            private readonly TaskCompletionSource<int> _proxy = new();

            public void ForwardSuccess(Task<int> attempt)
            {
                if (attempt.IsCompleted)
                {
                    Forward(attempt);
                }
                else
                {
                    attempt.ContinueWith(static (done, state) => ((Forwarder)state!).Forward(done), this, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
                }
            }

            private void Forward(Task<int> attempt)
            {
                if (attempt.IsFaulted) _proxy.TrySetException(attempt.Exception!.InnerExceptions);
                else _proxy.TrySetResult(attempt.GetAwaiter().GetResult());
            }

            public void Early(Task<int> attempt)
            {
                if (attempt.IsCompleted) Relay(attempt);
                Relay(attempt);
            }

            private int Relay(Task<int> attempt) => {|#0:attempt.Result|};

            public void Replaced(Task<int> attempt)
            {
                if (attempt.IsCompleted) Swap(attempt);
            }

            private int Swap(Task<int> attempt)
            {
                attempt = Task.Run(() => 1);
                return {|#1:attempt.Result|};
            }
        }
        """, Tw1005(0, "Result", "Relay"), Tw1005(1, "Result", "Swap"));

    // The Cassandra driver's socket: `stream.ReadAsync(…).ContinueWith(OnReceive, …)`, where the method
    // group receives the antecedent, complete when it runs. Handed to anything else, or called with a
    // running task too, the read is a wait again.
    [Fact]
    public Task ContinuationMethodGroups_ReadACompleteAntecedent() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading.Tasks;

        class Socket
        {
            private readonly byte[] _buffer = new byte[16];

            public void Receive(Stream stream)
            {
                stream.ReadAsync(_buffer, 0, _buffer.Length).ContinueWith(OnReceive, TaskContinuationOptions.ExecuteSynchronously);
                stream.ReadAsync(_buffer, 0, _buffer.Length).ContinueWith(OnMixed);
                OnMixed(stream.ReadAsync(_buffer, 0, 1));
                Func<Task<int>, int> handler = OnHandedOver;
            }

            protected void OnReceive(Task<int> read) => Console.WriteLine(read.Result);

            private void OnMixed(Task<int> read) => Console.WriteLine({|#0:read.Result|});

            private int OnHandedOver(Task<int> read) => {|#1:read.Result|};
        }
        """, Tw1005(0, "Result", "OnMixed"), Tw1005(1, "Result", "OnHandedOver"));

    // Orleans' placement service: `AddressWaitingMessages(workItem)`, called only inside `if (workItem.Result.IsCompleted)`,
    // blocks on `completedWorkItem.Result` through a local. The one task member of a parameter is complete when every
    // call hands an object whose task member is known complete there. A call with a running item, or an object with
    // two task members, is reported.
    [Fact]
    public Task TaskMembersOfParametersCompleteAtEveryCall_AreComplete() => VerifyAnalyzer.AnalyzerAsync("""
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

                    Running(workItem);
                }

                if (pair.First.IsCompleted)
                {
                    Either(pair);
                }
            }

            private void AddressWaitingMessages(WorkItem completedWorkItem)
            {
                var resultTask = completedWorkItem.Result;
                var address = resultTask.GetAwaiter().GetResult();
                completedWorkItem.Messages.Add(address);
            }

            private void Peek(WorkItem item) => item.Messages.Add(item.Result.Result);

            private void Running(WorkItem item) => item.Messages.Add({|#0:item.Result.Result|});

            private void Either(TwoTasks pair) => pair.Messages().Add({|#1:pair.First.Result|});
        }

        internal static class PairExtensions
        {
            public static List<string> Messages(this TwoTasks pair) => new();
        }
        """, Tw1005(0, "Result", "Running"), Tw1005(1, "Result", "Either"));

    // Wait helpers block on the task their caller hands in: blocking is their contract. A guard on a
    // property chain (`_holder.Current.IsCompleted`) proves the same chain complete.
    [Fact]
    public Task WaitHelpers_AndGuardedPropertyChains_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        public static class Blocking
        {
            public static void WaitUnwrapped(this Task task) => task.GetAwaiter().GetResult();

            public static T ResultOf<T>(Task<T> task)
            {
                task.Wait();
                return task.Result;
            }

            // Not public: a helper whose fix can make it async and reach its callers.
            internal static void Hidden(Task task) => {|#1:task.Wait()|};

            // Not public but named for waiting (the Event Hubs client's copy of Nito's helpers): waiting on the
            // handed-in task is what it is for. A task of its own is still reported.
            internal static void WaitAndUnwrapException(this Task task) => task.GetAwaiter().GetResult();

            internal static void WaitWithoutException(this Task task)
            {
                try { task.Wait(); } catch (AggregateException) { }
            }

            private static readonly Task Warmup = Task.Run(() => { });

            internal static void WaitForWarmup() => {|#2:Warmup.Wait()|};
        }

        class Holder { public Task<int> Current { get; set; } = Task.FromResult(0); }

        class Cache
        {
            private readonly Holder _holder = new();
            private readonly Task<int> _load = Task.Run(() => 1);

            public int Peek()
            {
                if (!_holder.Current.IsCompleted) throw new InvalidOperationException("not yet");
                return _holder.Current.Result;
            }

            public int Load() => {|#0:_load.Result|};
        }
        """, Tw1005(0, "Result", "Load"), Tw1005(1, "Wait", "Hidden"), Tw1005(2, "Wait", "WaitForWarmup"));

    // LazyCache's `protected virtual T GetValueFromLazy<T>(object item)`: the cached item the caller hands
    // in is matched as a `Task<T>` or an `AsyncLazy<T>` (a `Lazy<Task<T>>`) and waited on — still the
    // caller's task. A task the method starts itself, a private helper, or a pattern variable of a field is
    // reported.
    [Fact]
    public Task TasksMatchedOutOfAHandedInItem_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class AsyncLazy<T> : Lazy<Task<T>>
        {
            public AsyncLazy(Func<Task<T>> factory) : base(factory) { }
        }

        public class CachingService
        {
            private object _cached;

            protected virtual T GetValueFromLazy<T>(object item)
            {
                switch (item)
                {
                    case Lazy<T> lazy:
                        return lazy.Value;
                    case AsyncLazy<T> asyncLazy:
                        return asyncLazy.Value.ConfigureAwait(false).GetAwaiter().GetResult();
                    case Task<T> task:
                        return task.Result;
                }

                return item is ValueTask<T> { IsCompleted: false } pending ? pending.AsTask().Result : default;
            }

            public T Unwrap<T>(object item) => item is Task<T> t ? t.Result : (T)item;

            public T Cached<T>() => _cached is Task<T> t ? {|#0:t.Result|} : default;

            public T Fresh<T>(object item) => item is Func<Task<T>> start ? {|#1:start().Result|} : default;

            private T Helper<T>(object item) => item is Task<T> t ? {|#2:t.Result|} : default;

            public T Nested<T>(Holder<T> holder) => holder is { Current: Task<T> inner } ? {|#3:inner.Result|} : default;
        }

        public class Holder<T> { public object Current { get; set; } }
        """,
        Tw1005(0, "Result", "Cached"),
        Tw1005(1, "Result", "Fresh"),
        Tw1005(2, "Result", "Helper"),
        Tw1005(3, "Result", "Nested"));

    // FluentScheduler's `public static void StopAndBlock()`: a public method named for blocking (`Block`,
    // `Wait`, `Synchronously` as words: JasperFx's `RunJasperFxCommandsSynchronously`) has blocking as its contract. A private one, or `Awaiter`/`Blocked` look-alikes, is
    // reported.
    [Fact]
    public Task PublicMethodsNamedToBlock_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        public static class JobManager
        {
            private static Task[] _running = new Task[0];
            private static Task _current = Task.CompletedTask;

            public static void StopAndBlock() => Task.WaitAll(_running);

            public static void WaitForExit() => _current.Wait();

            public static int GetBlockingCount() => Task.FromResult(1).Result + _running.Length;

            public static void DrainWaiting() => _current.GetAwaiter().GetResult();

            public static int RunCommandsSynchronously(string[] args) => Task.FromResult(args.Length).GetAwaiter().GetResult() + Run(args).GetAwaiter().GetResult();

            private static Task<int> Run(string[] args) => Task.FromResult(args.Length);

            public static void SynchronouslyNamed() => _current.Wait();

            public static void Desynchronously() => {|#5:_current.Wait()|};

            private static void StopSynchronously() => {|#6:_current.Wait()|};

            public static void UseAwaiter() => {|#0:_current.GetAwaiter().GetResult()|};

            public static void Blocked() => {|#1:_current.Wait()|};

            private static void WaitPrivately() => {|#2:_current.Wait()|};
        }

        public abstract class Command
        {
            public abstract Task<int> Task { get; }

            public int Result => Task.GetAwaiter().GetResult();

            internal int InternalResult => {|#3:Task.GetAwaiter().GetResult()|};

            public int Outcome => {|#4:Task.Result|};
        }
        """,
        Tw1005(0, "GetAwaiter().GetResult()", "UseAwaiter"),
        Tw1005(1, "Wait", "Blocked"),
        Tw1005(2, "Wait", "WaitPrivately"),
        Tw1005(3, "GetAwaiter().GetResult()", "property 'InternalResult'", "a property cannot be async: turn it into an async method and await the task"),
        Tw1005(4, "Result", "property 'Outcome'", "a property cannot be async: turn it into an async method and await the task"),
        Tw1005(5, "Wait", "Desynchronously"),
        Tw1005(6, "Wait", "StopSynchronously"));

    // SharpZipLib's deflater: `Deflate() => DeflateSyncOrAsync(false, null).GetAwaiter().GetResult()`,
    // where the async method awaits only under `if (ct.HasValue)`. With `null` no await is reachable: the
    // task is complete when it returns. A token, an unguarded await, or a guard the method reassigns is
    // reported.
    [Fact]
    public Task AsyncMethodsKeptOffEveryAwaitByTheirArguments_AreComplete() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        public class DeflaterStream
        {
            private readonly Stream _base = Stream.Null;
            private readonly byte[] _buffer = new byte[16];

            protected void Deflate() => DeflateSyncOrAsync(false, null).GetAwaiter().GetResult();

            protected void Finish() => FinishSyncOrAsync(null).GetAwaiter().GetResult();

            protected void FinishWithToken(CancellationToken token) => {|#0:DeflateSyncOrAsync(false, token).GetAwaiter().GetResult()|};

            protected void Always() => {|#1:AlwaysAwaits(null).GetAwaiter().GetResult()|};

            protected void Stubborn() => {|#2:Reassigns(null).GetAwaiter().GetResult()|};

            private async Task DeflateSyncOrAsync(bool flushing, CancellationToken? ct)
            {
                while (flushing || _buffer.Length > 0)
                {
                    if (ct.HasValue)
                    {
                        await _base.WriteAsync(_buffer, 0, 1, ct.Value).ConfigureAwait(false);
                    }
                    else
                    {
                        _base.Write(_buffer, 0, 1);
                    }

                    break;
                }
            }

            private async Task FinishSyncOrAsync(object state)
            {
                if (state is null)
                {
                    _base.Flush();
                }
                else
                {
                    await _base.FlushAsync();
                }
            }

            private async Task AlwaysAwaits(CancellationToken? ct)
            {
                if (ct != null)
                {
                    await _base.FlushAsync(ct.Value);
                }

                await Task.Yield();
            }

            private async Task Reassigns(CancellationToken? ct)
            {
                ct = CancellationToken.None;
                if (ct.HasValue)
                {
                    await _base.FlushAsync(ct.Value);
                }
            }
        }
        """,
        Tw1005(0, "GetAwaiter().GetResult()", "FinishWithToken"),
        Tw1005(1, "GetAwaiter().GetResult()", "Always"),
        Tw1005(2, "GetAwaiter().GetResult()", "Stubborn"));

    // dotnet-monitor's controllers: `InvokeService(() => Task.FromResult(serviceCall()), logger).Result`, where the
    // async overload's only await is `return await serviceCall();` — handed a finished task, it goes on at once
    // and the method returns complete ("convert to Task and safely convert back"). A lambda that starts work,
    // another await in the method, or a delegate parameter the method reassigns is reported.
    [Fact]
    public Task AsyncMethodsAwaitingOnlyAFinishedDelegate_AreComplete() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        public static class Controllers
        {
            public static string Invoke(Func<string> call) => Invoke(() => Task.FromResult(call()), "log").Result;

            public static string InvokeConfigured(Func<string> call) => Configured(() => Task.FromResult(call())).GetAwaiter().GetResult();

            public static void Run() => Configured2(() => Task.CompletedTask).Wait();

            public static string Started(Func<Task<string>> call) => {|#0:Invoke(() => call(), "log").Result|};

            public static string Yielding(Func<string> call) => {|#1:Yields(() => Task.FromResult(call())).Result|};

            public static string Swapped(Func<string> call) => {|#2:Swaps(() => Task.FromResult(call())).Result|};

            public static async Task<string> Invoke(Func<Task<string>> serviceCall, string log)
            {
                try
                {
                    return await serviceCall();
                }
                catch (InvalidOperationException) when (log.Length > 0)
                {
                    return log;
                }
            }

            private static async Task<string> Configured(Func<Task<string>> call) => await call.Invoke().ConfigureAwait(false);

            private static async Task Configured2(Func<Task> call) => await call().ConfigureAwait(false);

            private static async Task<string> Yields(Func<Task<string>> call)
            {
                var value = await call();
                await Task.Yield();
                return value;
            }

            private static async Task<string> Swaps(Func<Task<string>> call)
            {
                call = () => Task.Run(() => "late");
                return await call();
            }
        }
        """,
        Tw1005(0, "Result", "Started"),
        Tw1005(1, "Result", "Yielding"),
        Tw1005(2, "Result", "Swapped"));

    // A stop-and-join and a "Synchronously" pair under edit: a worker field assigned an incomplete
    // Task.Run is no proven pool start (the join is reported), a stop signal on a missing member, a
    // namesake of an unknown type.
    [Fact]
    public Task BrokenStopAndJoinAndSpelledPairs_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading.Tasks;

        public class Processor
        {
            private Task _worker = Task.Run(;
            private Missing _buffer;

            public void Stop()
            {
                _buffer.Complete();
                _worker?{|#0:.Wait()|};
            }

            public Unknown ProcessAsynchronously() => null;

            public bool ProcessSynchronously() => ProcessAsynchronously().GetAwaiter().GetResult();
        }
        """, Tw1005(0, "Wait", "Stop"));

    // Roslyn throws building the operation of an array holding a call whose lambda lost its parenthesis
    // (found by the fuzz test on the several-workers join): the field's value is unknown, and the join is
    // reported.
    [Fact]
    public Task BrokenArrayOfWorkers_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        public class Server
        {
            private readonly CancellationTokenSource _cts = new();
            private Task[] _pair;

            public void Start() => _pair = new[] { Task.Run() => { }), Task.Factory.StartNew(() => { }) };

            public void Stop()
            {
                _cts.Cancel();
                {|#0:Task.WaitAll(_pair)|};
            }
        }
        """, Tw1005(0, "Task.WaitAll", "Stop"));

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading.Tasks;

        class C
        {
            void M(Task<int> t, Missing m)
            {
                var a = m.Result;
                t.Wait(
                var b = {|#0:t.Result|};
            }
        }
        """, Tw1005(0, "Result", "M"));

    [Fact]
    public Task Fix_MakesPrivateMethodAsync_AndUpdatesCallers() => VerifyFix.CodeFixAsync("""
        using System.Threading.Tasks;

        class C
        {
            private Task<string> _fetch = Task.FromResult("x");

            // Loads the length.
            private int Load()
            {
                return {|#0:_fetch.Result|}.Length;
            }

            void Store(Task t) => {|#1:t.Wait()|};

            async Task<int> AsyncCaller() => Load() + 1;
        }
        """, """
        using System.Threading.Tasks;

        class C
        {
            private Task<string> _fetch = Task.FromResult("x");

            // Loads the length.
            private async Task<int> Load()
            {
                return (await _fetch).Length;
            }

            async Task Store(Task t) => await t;

            async Task<int> AsyncCaller() => await Load() + 1;
        }
        """,
        new[] { Tw1005(0, "Result", "Load"), Tw1005(1, "Wait", "Store") },
        Array.Empty<DiagnosticResult>());

    // A synchronous caller would have to block on the new task: the wait only moves up a level, and
    // under a SynchronizationContext the awaited continuation then needs the very thread the caller
    // blocks (found applying fixes to DotNetty: a constructor ended up blocking on Setup()). Not offered.
    [Fact]
    public Task Fix_IsNotOffered_WhenACallerWouldHaveToBlock() => VerifyFix.NoCodeFixAsync("""
        using System.Threading.Tasks;

        public class C
        {
            public C(Task pending) => Flush(pending);

            private void Flush(Task pending)
            {
                {|#0:pending.Wait()|};
            }

            public async Task CloseAsync(Task pending)
            {
                await Task.Yield();
                Flush(pending);
            }
        }
        """, Tw1005(0, "Wait", "Flush"));

    [Fact]
    public Task Fix_IsNotOffered_WhenSignatureCannotChange() => VerifyFix.NoCodeFixAsync("""
        using System;
        using System.Threading.Tasks;

        public class C
        {
            private readonly Task _t = Task.CompletedTask;

            public void Public() => {|#0:_t.Wait()|};
            private void OnClick(object sender, EventArgs e) => {|#3:_t.Wait()|};
            private void UsedAsDelegate() => {|#4:_t.Wait()|};
            private void WithOut(out int x) { x = 1; {|#5:_t.Wait()|}; }
            private void All(Task[] all) => {|#7:Task.WaitAll(all)|};

            void Wire() { Action a = UsedAsDelegate; }
        }
        """,
        Tw1005(0, "Wait", "Public"), Tw1005(3, "Wait", "OnClick"),
        Tw1005(4, "Wait", "UsedAsDelegate"), Tw1005(5, "Wait", "WithOut"), Tw1005(7, "Task.WaitAll", "All"));

    [Fact]
    public Task Fix_MakesInternalMethodAsync_WhenNoOtherFileNamesIt() => VerifyFix.CodeFixAsync(new[] { """
        using System.Threading.Tasks;

        public class Store
        {
            private readonly Task<int> _size = Task.FromResult(3);

            internal int Measure() => {|#0:_size.Result|} * 2;

            public async Task<int> TotalAsync() => Measure() + 1;
        }
        """, """
        class Other
        {
            public int Count() => 1;
        }
        """ }, new[] { """
        using System.Threading.Tasks;

        public class Store
        {
            private readonly Task<int> _size = Task.FromResult(3);

            internal async Task<int> Measure() => await _size * 2;

            public async Task<int> TotalAsync() => await Measure() + 1;
        }
        """, """
        class Other
        {
            public int Count() => 1;
        }
        """ }, Tw1005(0, "Result", "Measure"));

    [Fact]
    public Task Fix_UpdatesCallersInOtherFiles_ForInternalMethod() => VerifyFix.CodeFixAsync(new[] { """
        using System.Threading.Tasks;

        public class Store
        {
            private readonly Task<int> _size = Task.FromResult(3);

            internal int Measure() => {|#0:_size.Result|} * 2;

            public async Task<int> TwiceAsync() => Measure() * 2;
        }
        """, """
        using System.Threading.Tasks;

        class Report
        {
            public async Task<int> PrintAsync(Store store) => store.Measure() + 1;

            public string Name() => nameof(Store.Measure);
        }
        """ }, new[] { """
        using System.Threading.Tasks;

        public class Store
        {
            private readonly Task<int> _size = Task.FromResult(3);

            internal async Task<int> Measure() => await _size * 2;

            public async Task<int> TwiceAsync() => await Measure() * 2;
        }
        """, """
        using System.Threading.Tasks;

        class Report
        {
            public async Task<int> PrintAsync(Store store) => await store.Measure() + 1;

            public string Name() => nameof(Store.Measure);
        }
        """ }, Tw1005(0, "Result", "Measure"));

    [Fact]
    public Task FixAll_ConvertsMethodsWithCallersInOtherFiles_AndLocalOnesTogether() => VerifyFix.CodeFixAsync(new[] { """
        using System.Threading.Tasks;

        class Store
        {
            private readonly Task<int> _size = Task.FromResult(3);

            internal int Measure() => {|#0:_size.Result|};

            private int Local() => {|#1:_size.Result|} + 1;

            internal async Task<int> BothAsync() => Local() + Measure();
        }
        """, """
        using System.Threading.Tasks;

        class Report
        {
            private readonly Task _flushed = Task.CompletedTask;

            internal void Flush() => {|#2:_flushed.Wait()|};

            public async Task<int> PrintAsync(Store store)
            {
                Flush();
                return store.Measure();
            }
        }
        """ }, new[] { """
        using System.Threading.Tasks;

        class Store
        {
            private readonly Task<int> _size = Task.FromResult(3);

            internal async Task<int> Measure() => await _size;

            private async Task<int> Local() => await _size + 1;

            internal async Task<int> BothAsync() => await Local() + await Measure();
        }
        """, """
        using System.Threading.Tasks;

        class Report
        {
            private readonly Task _flushed = Task.CompletedTask;

            internal async Task Flush() => await _flushed;

            public async Task<int> PrintAsync(Store store)
            {
                await Flush();
                return await store.Measure();
            }
        }
        """ }, Tw1005(0, "Result", "Measure"), Tw1005(1, "Result", "Local"), Tw1005(2, "Wait", "Flush"));

    [Fact]
    public Task Fix_IsNotOffered_WhenACallerInAnotherFileWouldHaveToBlock() => VerifyFix.NoCodeFixAsync(new[] { """
        using System.Threading.Tasks;

        class Store
        {
            private readonly Task _saved = Task.CompletedTask;

            internal void Save() => {|#0:_saved.Wait()|};
        }
        """, """
        public class Report
        {
            internal Report(object store) { }

            public void Close() => new Store().Save();
        }
        """ }, Tw1005(0, "Wait", "Save"));

    [Fact]
    public Task Fix_IsNotOffered_ForInternalMethodUsedAsAMethodGroupInAnotherFile() => VerifyFix.NoCodeFixAsync(new[] { """
        using System.Threading.Tasks;

        public class Store
        {
            private readonly Task<int> _size = Task.FromResult(3);

            internal int Measure() => {|#0:_size.Result|} * 2;
        }
        """, """
        using System;

        class Report
        {
            public Func<int> Later(Store store) => store.Measure;
        }
        """ }, Tw1005(0, "Result", "Measure"));

    [Fact]
    public Task Fix_IsNotOffered_ForInternalMethodOfAnAssemblyWithFriends() => VerifyFix.NoCodeFixAsync("""
        using System.Runtime.CompilerServices;
        using System.Threading.Tasks;

        [assembly: InternalsVisibleTo("Store.Tests")]

        public class Store
        {
            private readonly Task<int> _size = Task.FromResult(3);

            // A test assembly may call it: its signature is not this document's to change.
            internal int Measure() => {|#0:_size.Result|} * 2;

            protected internal int Weigh() => {|#1:_size.Result|};
        }
        """, Tw1005(0, "Result", "Measure"), Tw1005(1, "Result", "Weigh"));

    [Fact]
    public Task FixAll_ConvertsEachMethodOnce() => VerifyFix.CodeFixAsync("""
        using System.Threading.Tasks;

        class C
        {
            private int Sum(Task<int> a, Task<int> b)
            {
                var x = {|#0:a.Result|};
                var y = {|#1:b.Result|};
                return x + y;
            }

            private void Other(Task t) { {|#2:t.Wait()|}; }

            async Task Caller(Task<int> a, Task t)
            {
                var s = Sum(a, a);
                Other(t);
            }
        }
        """, """
        using System.Threading.Tasks;

        class C
        {
            private async Task<int> Sum(Task<int> a, Task<int> b)
            {
                var x = await a;
                var y = await b;
                return x + y;
            }

            private async Task Other(Task t) { await t; }

            async Task Caller(Task<int> a, Task t)
            {
                var s = await Sum(a, a);
                await Other(t);
            }
        }
        """,
        new[] { Tw1005(0, "Result", "Sum"), Tw1005(1, "Result", "Sum"), Tw1005(2, "Wait", "Other") },
        Array.Empty<DiagnosticResult>());

    [Fact]
    public Task SynchronousPathOfATaskReturningMethod_IsNotReported_ButAPlainWaitIs() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class Context { public bool IsSynchronous { get; set; } }

        static class Delays
        {
            // The caller asked for synchronous execution: block, hand back a completed task.
            public static Task DelayAsync(TimeSpan delay, Context context)
            {
                if (context.IsSynchronous)
                {
                    Task.Delay(delay).GetAwaiter().GetResult();
                    return Task.CompletedTask;
                }

                return Task.Delay(delay);
            }

            // Both paths end in the task; the synchronous one waits for it first.
            public static Task Execute(Task task, Context context)
            {
                if (context.IsSynchronous && !task.IsCompleted)
                {
                    task.GetAwaiter().GetResult();
                }

                return task;
            }

            // No flag: an ordinary blocking wait in a task-returning method.
            public static Task Plain(Task task, bool log)
            {
                if (log && task != null)
                {
                    Console.WriteLine("waiting");
                }

                {|#0:task.Wait()|};
                return Task.CompletedTask;
            }

            // A flag whose other path neither awaits nor returns a task: still reported.
            public static int Count(Task<int> task, bool fast)
            {
                if (fast)
                {
                    return {|#1:task.Result|};
                }

                return 0;
            }
        }
        """, Tw1005(0, "Wait", "Plain"), Tw1005(1, "Result", "Count"));

    // A Task-backed ValueTask (an async ValueTask method of the default builder, or a method that only
    // forwards one or a finished one) read synchronously is a sync-over-async wait like a task's; TW4008
    // leaves it here.
    [Fact]
    public Task TaskBackedValueTasks_AreWaitsLikeTasks() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        class Service
        {
            async ValueTask<int> CountAsync()
            {
                await Task.Yield();
                return 1;
            }

            ValueTask<int> Forward(bool none) => none ? default : CountAsync();

            int Total() => {|#0:CountAsync().Result|};

            int ForwardedTotal() => {|#1:Forward(false).Result|};
        }
        """, Tw1005(0, "Result", "Total"), Tw1005(1, "Result", "ForwardedTotal"));
}
