using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.Joins.AsyncVoidMethodAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.Joins.AsyncVoidMethodAnalyzer, Threadwise.Joins.AsyncVoidMethodFixProvider>;

namespace Threadwise.Tests.Joins;

public class AsyncVoidMethodTests
{
    private static DiagnosticResult Tw4004(int markup, string name)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW4004AsyncVoidMethod).WithLocation(markup).WithArguments(name, "return Task");

    private static DiagnosticResult Tw4004Callback(int markup, string name)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW4004AsyncVoidMethod).WithLocation(markup)
            .WithArguments(name, "it is handed over as a callback that returns void, so catch its exceptions inside it (a try/catch around the body)");

    private static DiagnosticResult Tw4004Thread(int markup, string name)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW4004AsyncVoidMethod).WithLocation(markup)
            .WithArguments(name, "it is the start of a new Thread, which ends at the first await while the rest runs on the thread pool, unseen by the thread's IsAlive and Join: make it synchronous, or return Task and start it with Task.Run");

    // StackExchange.Exceptional's retry: `_retryThread = new Thread(TryFlushQueue); _retryThread.Start();` with
    // `private async void TryFlushQueue()` that sleeps and awaits in a loop. The thread ends at the first await,
    // so `_retryThread?.IsAlive` no longer says whether a retry loop runs: the message says so. Also through
    // `new ThreadStart(M)`; a method given to a Timer keeps the callback message.
    [Fact]
    public Task AsyncVoidThreadStarts_SayTheThreadEndsAtTheFirstAwait() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Store
        {
            private Thread _retry;
            private Timer _timer;

            void BeginRetry()
            {
                _retry = new Thread(TryFlushQueue);
                _retry.Start();
                new System.Threading.Thread(new ThreadStart(Drain)).Start();
                _timer = new Timer(Tick, null, 0, 1000);
            }

            private async void {|#0:TryFlushQueue|}()
            {
                while (true)
                {
                    Thread.Sleep(100);
                    await Task.Yield();
                }
            }

            private async void {|#1:Drain|}() => await Task.Delay(1);

            private async void {|#2:Tick|}(object state) => await Task.Delay(1);
        }
        """, Tw4004Thread(0, "TryFlushQueue"), Tw4004Thread(1, "Drain"), Tw4004Callback(2, "Tick"));

    [Fact]
    public Task AsyncVoidMethodsAndLocalFunctions_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        class C
        {
            public async void {|#0:Start|}() => await Task.Yield();
            private static async void {|#1:Log|}(string message) => await Task.Yield();

            void M()
            {
                Local();
                async void {|#2:Local|}() => await Task.Yield();
            }
        }
        """, Tw4004(0, "Start"), Tw4004(1, "Log"), Tw4004(2, "Local"));

    // `async void Forget(this ValueTask task) { await task; }` (MessagePipe): the sink whose one job is to
    // await the task it is given so its exceptions surface; `async void` is the point. A method that does
    // anything more, or awaits something other than its parameter, is reported.
    [Fact]
    public Task ForgetSinks_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        static class TaskExtensions
        {
            internal static async void Forget(this ValueTask task)
            {
                await task;
            }

            internal static async void Forget(this Task task) => await task.ConfigureAwait(false);

            internal static async void {|#0:ForgetLater|}(this Task task)
            {
                await Task.Yield();
                await task;
            }

            internal static async void {|#1:Other|}(Task task) => await Task.Delay(1);

            internal static async void SetResultAsync(Task<System.IDisposable> task, Holder holder) { holder.Value = await task; }

            internal static async void {|#2:Twice|}(Task<int> task, Holder holder) { holder.Count = await task + await task; }

            // AsyncAwaitBestPractices' SafeFireAndForget: the await of the given task is the whole of a try
            // whose catch hands the failure to a handler (and rethrows when the user asked for that).
            static bool _rethrow;

            internal static async void HandleSafeFireAndForget<TException>(Task task, bool onContext, System.Action<TException> onException)
                where TException : System.Exception
            {
                try
                {
                    await task.ConfigureAwait(onContext);
                }
                catch (TException e) when (onException is not null)
                {
                    onException(e);
                    if (_rethrow)
                        throw;
                }
            }

            internal static async void {|#3:HandleThenWork|}(Task task)
            {
                try
                {
                    await task;
                    await Task.Delay(1);
                }
                catch (System.InvalidOperationException) { }
            }
        }

        class Holder { public System.IDisposable Value; public int Count; }
        """, Tw4004(0, "ForgetLater"), Tw4004(1, "Other"), Tw4004(2, "Twice"), Tw4004(3, "HandleThenWork"));

    [Fact]
    public Task EventHandlersOverridesAndInterfaceImplementations_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class ClickEventArgs : EventArgs { }

        interface ICommand { void Execute(); }

        abstract class Base { public abstract void Run(); }

        class C : Base, ICommand
        {
            private async void OnClick(object sender, EventArgs e) => await Task.Yield();
            private async void OnCustom(object? sender, ClickEventArgs e) => await Task.Yield();
            public override async void Run() => await Task.Yield();
            public async void Execute() => await Task.Yield();
            async Task Fine() => await Task.Yield();
            void NotAsync() { }
        }
        """);

    [Fact]
    public Task SubscribedHandlers_AndWhollyGuardedBodies_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class Progress { public event Action<int>? Changed; }

        class C
        {
            C(Progress progress) { progress.Changed += OnChanged; }

            private async void OnChanged(int percent) => await Task.Delay(percent);

            private async void Refresh()
            {
                try
                {
                    await Task.Delay(10);
                }
                catch (Exception e)
                {
                    Console.Error.WriteLine(e);
                }
            }

            private async void {|#0:NarrowCatch|}()
            {
                try { await Task.Delay(10); }
                catch (InvalidOperationException) { }
            }
        }
        """, Tw4004(0, "NarrowCatch"));

    [Fact]
    public Task ArgumentChecks_ThenACatchAll_IsWhollyGuarded() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        #nullable enable
        static class Forget
        {
            public static async void Ignore(this Task task)
            {
                _ = task ?? throw new ArgumentNullException(nameof(task));
                try { await task.ConfigureAwait(false); }
                catch { }
            }

            public static async void {|#0:Late|}(this Task task)
            {
                await Task.Delay(1);
                try { await task; }
                catch { }
            }
        }

        // FluentFTP's folder monitor: a timer callback guarded by a catch-all, re-armed synchronously
        // after it. An await after the guard escapes it.
        class Monitor
        {
            private System.Threading.Timer? _timer;

            public void Start() => _timer = new System.Threading.Timer(Poll, null, 1000, System.Threading.Timeout.Infinite);

            private async void Poll(object? state)
            {
                try { await Task.Delay(10); }
                catch (Exception e) { Console.WriteLine(e.Message); }

                _timer?.Change(1000, System.Threading.Timeout.Infinite);
            }

            private async void {|#1:PollThenWait|}(object? state)
            {
                try { await Task.Delay(10); }
                catch (Exception e) { Console.WriteLine(e.Message); }

                await Task.Delay(10);
            }

            // Coravel's scheduler: an unguarded timer callback. It must stay void for TimerCallback,
            // so the message asks for a catch inside it, not for Task.
            public void Schedule() => _timer = new System.Threading.Timer(this.Tick, null, 0, 1000);

            private async void {|#2:Tick|}(object? state)
            {
                await Task.Delay(10);
            }
        }
        """, Tw4004(0, "Late"), Tw4004(1, "PollThenWait"), Tw4004Callback(2, "Tick"));

    // MonoTorrent's piece writer and HTTP tracker handler: no single guard around the body, but every
    // await sits in the try block of its own catch-all (inside an `if` or a `using` too). An await after
    // the tries, an `await foreach` outside them, or a narrower catch is still reported.
    [Fact]
    public Task EveryAwaitInTheTryOfACatchAll_IsWhollyGuarded() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Threading.Tasks;

        class Pieces
        {
            async void WritePiece(Func<Task> write, Func<Task<bool>> hash)
            {
                var block = 1;
                try { await write(); }
                catch (Exception e) { Console.WriteLine(e.Message); return; }

                Console.WriteLine(block);
                bool ok;
                try { ok = await hash(); }
                catch (Exception) { return; }

                Console.WriteLine(ok);
            }

            async void Respond(Func<Task> send, bool open)
            {
                using (var response = new MemoryStream())
                {
                    if (open)
                    {
                        try { await send(); }
                        catch { response.SetLength(0); }
                    }
                }
            }

            async void {|#0:ThenMore|}(Func<Task> first, Func<Task> second)
            {
                if (first != null)
                {
                    try { await first(); }
                    catch (Exception) { }
                }

                await second();
            }

            async void {|#1:Streams|}(Func<Task> first, IAsyncEnumerable<int> items)
            {
                if (first != null)
                {
                    try { await first(); }
                    catch (Exception) { }
                }

                await foreach (var item in items)
                    Console.WriteLine(item);
            }

            async void {|#2:Narrow|}(Func<Task> first)
            {
                if (first != null)
                {
                    try { await first(); }
                    catch (InvalidOperationException) { }
                }
            }
        }
        """, Tw4004(0, "ThenMore"), Tw4004(1, "Streams"), Tw4004(2, "Narrow"));

    // WorkflowCore's poller: `async void PollRunnables(object target) { await PollWorkflows(); await
    // PollEvents(); }` — each poll an async method of the project whose body is a try with a catch-all, so
    // the awaited tasks carry no failure. A callee that is not guarded, a virtual one (an override may not
    // catch), an argument that calls something, or synchronous code after the awaits can still throw. The timer
    // state unboxed into a local before the first await (`var m = (Manager)state;`) is no such code.
    [Fact]
    public Task AwaitsOfGuardedMethodsOnly_ThrowNothing() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Poller
        {
            private Timer _timer;

            public void Start()
            {
                _timer = new Timer(PollRunnables);
                _timer = new Timer(Unguarded);
                _timer = new Timer(Virtual);
                _timer = new Timer(Computed);
                _timer = new Timer(ThenWork);
                _timer = new Timer(Cycle);
                _timer = new Timer(Refresh);
                _timer = new Timer(RefreshUnguarded);
                _timer = new Timer(OnRenew, this, 0, 1000);
                _timer = new Timer(OnRenewAs, this, 0, 1000);
                _timer = new Timer(OnRenewLate, this, 0, 1000);
                _timer = new Timer(OnRenewComputed, this, 0, 1000);
            }

            // The Azure Service Bus client's token renewal: the timer state unboxed into a local, then one await of
            // a guarded method. An unboxing after an await, or a local computed by a call, can still throw.
            private static async void OnRenew(object state)
            {
                var poller = (Poller)state;
                await poller.PollEvents().ConfigureAwait(false);
            }

            private static async void OnRenewAs(object state)
            {
                var poller = state as Poller;
                await poller!.PollEvents();
            }

            private static async void {|#6:OnRenewLate|}(object state)
            {
                await Task.Yield();
                var poller = (Poller)state;
                await poller.PollEvents();
            }

            private static async void {|#7:OnRenewComputed|}(object state)
            {
                var poller = Find(state);
                await poller.PollEvents();
            }

            private static Poller Find(object state) => (Poller)state;

            private async void PollRunnables(object target)
            {
                await PollWorkflows();
                await PollEvents().ConfigureAwait(false);
            }

            // The Apollo client's timer callback: an expression body awaiting its guarded overload.
            private async void Refresh(object _) => await Refresh(false).ConfigureAwait(false);

            private async Task Refresh(bool first)
            {
                try { await Task.Delay(first ? 0 : 1); }
                catch (Exception e) { Console.WriteLine(e); }
            }

            private async void {|#5:RefreshUnguarded|}(object _) => await Fetch().ConfigureAwait(false);

            private async void {|#0:Unguarded|}(object target) { await PollWorkflows(); await Fetch(); }

            private async void {|#1:Virtual|}(object target) => await PollHook();

            private async void {|#2:Computed|}(object target) { await PollWith(Next()); }

            private async void {|#3:ThenWork|}(object target) { await PollWorkflows(); Console.WriteLine(Next()); }

            private async void {|#4:Cycle|}(object target) { await Ping(); }

            private async Task PollWorkflows()
            {
                var started = DateTime.UtcNow;
                try { await Task.Delay(1); }
                catch (Exception e) { Console.WriteLine(e); }
                finally { Console.WriteLine(started); }
            }

            private async Task PollEvents()
            {
                try { await Task.Delay(1); }
                catch (Exception e) { Console.WriteLine(e); }
            }

            private async Task PollWith(int n)
            {
                try { await Task.Delay(n); }
                catch (Exception) { }
            }

            protected virtual async Task PollHook()
            {
                try { await Task.Delay(1); }
                catch (Exception) { }
            }

            private async Task Fetch() => await Task.Delay(1);

            private async Task Ping() { await Pong(); }

            private async Task Pong() { await Ping(); }

            private static int Next() => 1;
        }
        """,
        Tw4004Callback(0, "Unguarded"), Tw4004Callback(1, "Virtual"), Tw4004Callback(2, "Computed"),
        Tw4004Callback(3, "ThenWork"), Tw4004Callback(4, "Cycle"), Tw4004Callback(5, "RefreshUnguarded"),
        Tw4004Callback(6, "OnRenewLate"), Tw4004Callback(7, "OnRenewComputed"));

    // Tmds.DBus's send pump: `try { await _sendSemaphore.WaitAsync(); while (…) { try { await SendAsync(…); }
    // catch (Exception) { … } } } finally { _sendSemaphore.Release(); }`. Waiting on a semaphore nothing
    // disposes, without a token or timeout, cannot fail; every other await is in a catch-all. A wait
    // with a token, or on a semaphore the type disposes (also `?.Dispose()`) or hands to another method, can.
    [Fact]
    public Task WaitOnASemaphoreNothingDisposes_ThrowsNothing() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Concurrent;
        using System.Threading;
        using System.Threading.Tasks;

        class Transport
        {
            private readonly SemaphoreSlim _sendSemaphore = new(1, 1);
            private readonly ConcurrentQueue<byte[]> _queue = new();

            public void Send(byte[] message) { _queue.Enqueue(message); SendPending(); Flush(); }

            private async void Flush()
            {
                await _sendSemaphore.WaitAsync();
                try { await WriteAsync(new byte[0]); }
                catch (Exception) { }
                finally { _sendSemaphore.Release(); }
            }

            public void Cancel(byte[] message, CancellationToken token) { _queue.Enqueue(message); SendUntil(token); }

            private async void SendPending()
            {
                try
                {
                    await this._sendSemaphore.WaitAsync().ConfigureAwait(false);
                    while (_queue.TryDequeue(out var message))
                    {
                        try { await WriteAsync(message); }
                        catch (Exception) { }
                    }
                }
                finally
                {
                    _sendSemaphore.Release();
                }
            }

            private async void {|#0:SendUntil|}(CancellationToken token)
            {
                await _sendSemaphore.WaitAsync(token);
                try { await WriteAsync(new byte[0]); }
                catch (Exception) { }
                finally { _sendSemaphore.Release(); }
            }

            private static Task WriteAsync(byte[] message) => Task.CompletedTask;
        }

        class Closing : IDisposable
        {
            private readonly SemaphoreSlim _gate = new(1, 1);

            public void Send() => Pump();

            private async void {|#1:Pump|}()
            {
                await _gate.WaitAsync();
                try { await Task.Delay(1); }
                catch (Exception) { }
                finally { _gate.Release(); }
            }

            public void Dispose() => _gate?.Dispose();
        }

        class HandedOn
        {
            private readonly SemaphoreSlim _gate = new(1, 1);

            public void Send() { Pump(); Keep(_gate); }

            private async void {|#2:Pump|}()
            {
                await _gate.WaitAsync();
                try { await Task.Delay(1); }
                catch (Exception) { }
                finally { _gate.Release(); }
            }

            private static void Keep(SemaphoreSlim gate) { }
        }
        """, Tw4004(0, "SendUntil"), Tw4004(1, "Pump"), Tw4004(2, "Pump"));

    // MonoTorrent's peer workers: `await MainLoop.SwitchToThreadpool();` (an awaiter whose GetResult is
    // empty) or `await Task.Yield();` first, then a body guarded by a catch-all. Resuming on another
    // thread cannot fail. An awaiter whose GetResult does something, an awaited task, or a switch whose
    // result is used is still an await outside the guard.
    [Fact]
    public Task ThreadSwitchBeforeTheGuard_IsWhollyGuarded() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Runtime.CompilerServices;
        using System.Threading;
        using System.Threading.Tasks;

        struct ToThreadPool : INotifyCompletion
        {
            public ToThreadPool GetAwaiter() => this;
            public bool IsCompleted => false;
            public void GetResult() { }
            public void OnCompleted(Action continuation) => ThreadPool.QueueUserWorkItem(_ => continuation());
        }

        struct Checked : INotifyCompletion
        {
            public Checked GetAwaiter() => this;
            public bool IsCompleted => false;
            public void GetResult() { if (Environment.HasShutdownStarted) throw new InvalidOperationException(); }
            public void OnCompleted(Action continuation) => ThreadPool.QueueUserWorkItem(_ => continuation());
        }

        class Peer
        {
            static ToThreadPool SwitchToThreadPool() => new ToThreadPool();

            async void Receive(Func<Task> receive)
            {
                if (receive is null)
                    return;

                await SwitchToThreadPool();
                try { await receive(); }
                catch { Console.WriteLine("closed"); }
            }

            async void Send(Func<Task> send)
            {
                await Task.Yield();
                while (true)
                {
                    try { await send(); }
                    catch (Exception e) { Console.WriteLine(e.Message); return; }
                }
            }

            async void {|#0:Checked|}(Func<Task> send)
            {
                await new Checked();
                try { await send(); }
                catch { }
            }

            async void {|#1:Delayed|}(Func<Task> send)
            {
                await Task.Delay(10);
                try { await send(); }
                catch { }
            }
        }
        """, Tw4004(0, "Checked"), Tw4004(1, "Delayed"));

    // A UDP client's receive loop and a TLS reader's pump: every iteration rents a buffer and runs its
    // awaits inside a try with a catch-all (the finally returns the buffer). Nothing asynchronous escapes.
    // A loop that awaits outside its try, or whose condition awaits, is reported.
    [Fact]
    public Task LoopWhoseEveryIterationIsGuarded_IsWhollyGuarded() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Buffers;
        using System.Threading.Tasks;

        class Receiver
        {
            private bool _open = true;

            private async void Receive(ArrayPool<byte> pool)
            {
                pool ??= ArrayPool<byte>.Shared;
                while (true)
                {
                    var buffer = pool.Rent(1024);
                    try
                    {
                        await Task.Delay(1);
                    }
                    catch (ObjectDisposedException)
                    {
                        break;
                    }
                    catch (Exception e)
                    {
                        Console.WriteLine(e.Message);
                    }
                    finally
                    {
                        pool.Return(buffer);
                    }
                }
            }

            private async void Pump()
            {
                for (;;)
                {
                    try { await Task.Delay(1); }
                    catch (Exception) { break; }
                }
            }

            private async void {|#0:AwaitsOutside|}()
            {
                while (_open)
                {
                    await Task.Delay(1);
                    try { await Task.Delay(1); }
                    catch (Exception) { break; }
                }
            }

            private async void {|#1:AwaitsInCondition|}()
            {
                while (await Next())
                {
                    try { await Task.Delay(1); }
                    catch (Exception) { break; }
                }
            }

            private static Task<bool> Next() => Task.FromResult(false);

            public void Start()
            {
                Receive(null!);
                Pump();
                AwaitsOutside();
                AwaitsInCondition();
            }
        }
        """, Tw4004(0, "AwaitsOutside"), Tw4004(1, "AwaitsInCondition"));

    // The Azure Relay client's timer callbacks: `catch (Exception e) when (!Fx.IsFatal(e))` handles every
    // failure but the fatal ones, which are meant to end the process (also `!e.IsFatal()`,
    // `!IsCriticalException(e)`). A negated filter of another name, one that tests something other than
    // the caught exception, or an un-negated one is narrower.
    [Fact]
    public Task ACatchAllThatLetsOnlyFatalExceptionsThrough_IsWhollyGuarded() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        static class Fx
        {
            public static bool IsFatal(Exception e) => e is OutOfMemoryException;
            public static bool IsCriticalException(Exception e) => e is StackOverflowException;
            public static bool IsExpected(Exception e) => e is TimeoutException;
        }

        static class ExceptionExtensions
        {
            public static bool IsFatal(this Exception e) => e is OutOfMemoryException;
        }

        class Renewer
        {
            private Exception _last;

            private async void OnRenewTimer()
            {
                try { await Task.Delay(1); }
                catch (Exception e) when (!Fx.IsFatal(e)) { Console.Error.WriteLine(e); }
            }

            private async void OnFlush()
            {
                try { await Task.Delay(1); }
                catch (Exception e) when (!e.IsFatal()) { Console.Error.WriteLine(e); }
            }

            private async void OnPing()
            {
                try { await Task.Delay(1); }
                catch (Exception e) when (!(Fx.IsCriticalException(e))) { Console.Error.WriteLine(e); }
            }

            private async void {|#0:OnExpected|}()
            {
                try { await Task.Delay(1); }
                catch (Exception e) when (!Fx.IsExpected(e)) { Console.Error.WriteLine(e); }
            }

            private async void {|#1:OnOther|}()
            {
                try { await Task.Delay(1); }
                catch (Exception e) when (!Fx.IsFatal(_last)) { Console.Error.WriteLine(e); }
            }

            private async void {|#2:OnPositive|}()
            {
                try { await Task.Delay(1); }
                catch (Exception e) when (Fx.IsFatal(e)) { Console.Error.WriteLine(e); }
            }
        }
        """, Tw4004(0, "OnExpected"), Tw4004(1, "OnOther"), Tw4004(2, "OnPositive"));

    // R3's queue workers: the catch lets only cancellation through (`when (ex is not
    // OperationCanceledException)`), the way the worker is told to stop. Any other filter is narrower.
    [Fact]
    public Task ACatchAllThatLetsOnlyCancellationThrough_IsWhollyGuarded() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Channels;
        using System.Threading.Tasks;

        class Worker
        {
            private readonly Channel<int> _channel = Channel.CreateUnbounded<int>();

            private async void RunQueueWorker()
            {
                var reader = _channel.Reader;
                try
                {
                    while (await reader.WaitToReadAsync()) { reader.TryRead(out _); }
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    Console.Error.WriteLine(ex);
                }
            }

            private async void RunOld()
            {
                try { await Task.Delay(1); }
                catch (Exception e) when (!(e is System.OperationCanceledException)) { Console.Error.WriteLine(e); }
            }

            private async void {|#0:RunFiltered|}()
            {
                try { await Task.Delay(1); }
                catch (Exception ex) when (ex is not TimeoutException) { Console.Error.WriteLine(ex); }
            }

            private async void {|#1:RunLogged|}()
            {
                try { await Task.Delay(1); }
                catch (Exception ex) when (Log(ex)) { }
            }

            private static bool Log(Exception ex) => true;
        }
        """, Tw4004(0, "RunFiltered"), Tw4004(1, "RunLogged"));

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        class C
        {
            async void {|#0:M|}(Missing m) { await m; }
            async void
        }
        """, Tw4004(0, "M"));

    // The guarded-loop question, asked of loops that are half-typed.
    [Fact]
    public Task BrokenGuardedLoops_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System;
        using System.Threading.Tasks;

        class C
        {
            private async void Receive()
            {
                while (
                {
                    try { await Task.Delay(1); }
                    catch (Exception) { }
                }
            }

            private async void {|#0:Pump|}()
            {
                for (;; await Next())
                {
                    try { await Task.Delay(1); }
                    catch { }
                }
            }
        }
        """,
        // The for loop awaits in its incrementor, outside the guard; the while loop without a condition
        // awaits nowhere outside its guarded body.
        Tw4004(0, "Pump"));

    // Guards under edit: a try without its catch yet, an await foreach over nothing, a half-typed filter.
    [Fact]
    public Task BrokenNestedGuards_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System;
        using System.Threading.Tasks;

        class C
        {
            private async void {|#0:NoCatchYet|}(Func<Task> a)
            {
                if (a != null)
                {
                    try { await a(); }
                }
            }

            private async void {|#1:Foreach|}(Func<Task> a)
            {
                if (a != null) { try { await a(); } catch { } }
                await foreach (var x in ) { }
            }

            private async void {|#2:Filtered|}(Func<Task> a)
            {
                if (a != null) { try { await a(); } catch (Exception e) when ( { } }
            }
        }
        """,
        // A filter that does not parse is no "only cancellation" filter: that catch is no catch-all.
        Tw4004(0, "NoCatchYet"), Tw4004(1, "Foreach"), Tw4004(2, "Filtered"));

    // Thread switches under edit: an await of nothing, of a missing method, of an awaiter without a body;
    // semaphore waits half-typed or on a missing field; awaits of guarded methods half-typed or of nothing.
    [Fact]
    public Task BrokenThreadSwitches_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System;
        using System.Runtime.CompilerServices;
        using System.Threading.Tasks;

        struct Half : INotifyCompletion
        {
            public Half GetAwaiter() => this;
            public bool IsCompleted => false;
            public void GetResult();
            public void OnCompleted(Action continuation) { }
        }

        class C
        {
            private async void {|#0:Empty|}()
            {
                await ;
                try { await Task.Delay(1); } catch { }
            }

            private async void {|#1:Missing|}()
            {
                await SwitchSomewhere();
                try { await Task.Delay(1); } catch { }
            }

            private async void {|#2:Bodiless|}()
            {
                await new Half();
                try { await Task.Delay(1); } catch { }
            }

            private System.Threading.SemaphoreSlim _gate = new(;

            private async void {|#3:Gate|}()
            {
                await _gate.WaitAsync(;
                try { await Task.Delay(1); } catch { }
            }

            private async void {|#4:Unknown|}()
            {
                await _missing.WaitAsync();
                try { await Task.Delay(1); } catch { }
                _gate?.Dispose(;
            }

            private async void {|#5:Polls|}() { await Guarded(; await Missing.Poll(); await Guarded(); }

            private async Task Guarded() { try { await Task.Delay(1); } catch { } }
        }
        """, Tw4004(0, "Empty"), Tw4004(1, "Missing"), Tw4004(2, "Bodiless"), Tw4004(3, "Gate"), Tw4004(4, "Unknown"), Tw4004(5, "Polls"));

    [Fact]
    public Task Fix_ReturnsTask_AndAsyncCallersAwait() => VerifyFix.CodeFixAsync("""
        using System.Threading.Tasks;

        class C
        {
            private async void {|#0:Save|}(int id)
            {
                await Task.Delay(id);
            }

            async Task Caller() { Save(1); }
        }
        """, """
        using System.Threading.Tasks;

        class C
        {
            private async Task Save(int id)
            {
                await Task.Delay(id);
            }

            async Task Caller() { await Save(1); }
        }
        """, Tw4004(0, "Save"));

    [Fact]
    public Task Fix_IsNotOffered_ForPublicMethodsOrMethodGroups() => VerifyFix.NoCodeFixAsync("""
        using System;
        using System.Threading.Tasks;

        public class C
        {
            public async void {|#0:Start|}() => await Task.Yield();
            private async void {|#1:Tick|}() => await Task.Yield();
            void Wire() { Action a = Tick; }

            // A sync caller would drop the new Task, and the exceptions async void surfaces would be lost.
            private async void {|#2:Save|}() => await Task.Yield();
            async Task AsyncCaller() { Save(); await Task.Yield(); }
            void SyncCaller() { Save(); }
        }
        """, Tw4004(0, "Start"), Tw4004(1, "Tick"), Tw4004(2, "Save"));

    [Fact]
    public Task Fix_ReturnsTask_ForInternalMethodUsedOnlyInThisFile() => VerifyFix.CodeFixAsync(new[] { """
        using System.Threading.Tasks;

        public class Uploader
        {
            internal async void {|#0:Upload|}(int id) => await Task.Delay(id);

            public async Task RunAsync() { Upload(1); await Task.Yield(); }
        }
        """, """
        class Unrelated { }
        """ }, new[] { """
        using System.Threading.Tasks;

        public class Uploader
        {
            internal async Task Upload(int id) => await Task.Delay(id);

            public async Task RunAsync() { await Upload(1); await Task.Yield(); }
        }
        """, """
        class Unrelated { }
        """ }, Tw4004(0, "Upload"));

    [Fact]
    public Task Fix_ReturnsTask_AndAwaitsCallersInOtherFiles() => VerifyFix.CodeFixAsync(new[] { """
        using System.Threading.Tasks;

        public class Uploader
        {
            internal async void {|#0:Upload|}(int id) => await Task.Delay(id);
        }
        """, """
        using System.Threading.Tasks;

        class Batch
        {
            public async Task RunAsync(Uploader uploader)
            {
                uploader.Upload(1);
                await Task.Yield();
            }
        }
        """ }, new[] { """
        using System.Threading.Tasks;

        public class Uploader
        {
            internal async Task Upload(int id) => await Task.Delay(id);
        }
        """, """
        using System.Threading.Tasks;

        class Batch
        {
            public async Task RunAsync(Uploader uploader)
            {
                await uploader.Upload(1);
                await Task.Yield();
            }
        }
        """ }, Tw4004(0, "Upload"));

    // In an executable no other assembly calls a public method: it is fixed like an internal one, with
    // its callers (here in the same and in another file) awaited. Overrides keep their signature.
    [Fact]
    public Task Fix_ReturnsTask_ForPublicMethodOfAnExecutable() => VerifyFix.CodeFixInExecutableAsync(new[] { """
        using System.Threading.Tasks;

        public class Uploader
        {
            public async void {|#0:Upload|}(int id) => await Task.Delay(id);

            public async Task AgainAsync() { Upload(2); await Task.Yield(); }
        }

        public static class Program
        {
            public static async Task Main() => await new Batch().RunAsync(new Uploader());
        }
        """, """
        using System.Threading.Tasks;

        public class Batch
        {
            public async Task RunAsync(Uploader uploader)
            {
                uploader.Upload(1);
                await Task.Yield();
            }
        }
        """ }, new[] { """
        using System.Threading.Tasks;

        public class Uploader
        {
            public async Task Upload(int id) => await Task.Delay(id);

            public async Task AgainAsync() { await Upload(2); await Task.Yield(); }
        }

        public static class Program
        {
            public static async Task Main() => await new Batch().RunAsync(new Uploader());
        }
        """, """
        using System.Threading.Tasks;

        public class Batch
        {
            public async Task RunAsync(Uploader uploader)
            {
                await uploader.Upload(1);
                await Task.Yield();
            }
        }
        """ }, Tw4004(0, "Upload"));

    // The caller in the other file is synchronous: it would drop the new task.
    [Fact]
    public Task Fix_IsNotOffered_ForInternalMethodCalledFromAnotherFile() => VerifyFix.NoCodeFixAsync(new[] { """
        using System.Threading.Tasks;

        public class Uploader
        {
            internal async void {|#0:Upload|}(int id) => await Task.Delay(id);
        }
        """, """
        class Caller
        {
            void Go(Uploader uploader) => uploader.Upload(1);
        }
        """ }, Tw4004(0, "Upload"));

    [Fact]
    public Task FixAll_LocalFunctionsAndMethods() => VerifyFix.CodeFixAsync("""
        using System.Threading.Tasks;

        class C
        {
            private async void {|#0:A|}() => await Task.Yield();

            async Task M()
            {
                A();
                Local();
                async void {|#1:Local|}() => await Task.Yield();
            }
        }
        """, """
        using System.Threading.Tasks;

        class C
        {
            private async Task A() => await Task.Yield();

            async Task M()
            {
                await A();
                await Local();
                async Task Local() => await Task.Yield();
            }
        }
        """, Tw4004(0, "A"), Tw4004(1, "Local"));
}
