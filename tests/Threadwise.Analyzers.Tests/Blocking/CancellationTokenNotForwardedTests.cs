using Microsoft.CodeAnalysis.Testing;
using Threadwise.Tests.Infrastructure;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.Blocking.CancellationTokenNotForwardedAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.Blocking.CancellationTokenNotForwardedAnalyzer, Threadwise.Blocking.CancellationTokenNotForwardedFixProvider>;

namespace Threadwise.Tests.Blocking;

public class CancellationTokenNotForwardedTests
{
    private static DiagnosticResult Tw1007(int markup, string call, string token)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW1007CancellationTokenNotForwarded).WithLocation(markup).WithArguments(call, token);

    // dotnet-gcdump's heap dumper polls: `while (true) { if (ct.IsCancellationRequested) break; if
    // (readerTask.Wait(100)) break; … }` — the loop sees cancellation within one timeout, which it chose. An
    // untimed wait, or a timed one in a loop that never looks at the token, is reported.
    [Fact]
    public Task TimedWaitsInALoopThatChecksTheToken_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Dumper
        {
            bool Dump(Task readerTask, CancellationToken ct)
            {
                while (true)
                {
                    if (ct.IsCancellationRequested)
                    {
                        return false;
                    }

                    if (readerTask.Wait(100))
                    {
                        return true;
                    }
                }
            }

            void Drain(Task readerTask, CancellationToken ct)
            {
                do
                {
                    ct.ThrowIfCancellationRequested();
                }
                while (!readerTask.Wait(250));
            }

            bool Untimed(Task readerTask, CancellationToken ct)
            {
                while (!ct.IsCancellationRequested)
                {
                    readerTask.{|#0:Wait|}();
                    return true;
                }

                return false;
            }

            void Unchecked(Task readerTask, CancellationToken ct)
            {
                while (!readerTask.{|#1:Wait|}(100))
                {
                }
            }
        }
        """, Tw1007(0, "Task.Wait", "ct"), Tw1007(1, "Task.Wait", "ct"));

    // DurableTask's `DelayWithCancellation`: `Task.WhenAny(Task.Delay(timeout), tcs.Task)` where the token's
    // registration completes `tcs` — built so to avoid an OperationCanceledException. The delay races a task
    // the token ends, as it does beside `Task.Delay(Infinite, token)`. A race with nothing the token ends, and a
    // delay awaited on its own, are reported.
    [Fact]
    public Task CallsRacedWithATaskTheTokenEnds_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        static class Utils
        {
            public static Task DelayWithCancellation(TimeSpan timeout, CancellationToken cancellationToken)
            {
                var tcs = new TaskCompletionSource<bool>();
                cancellationToken.Register(s => ((TaskCompletionSource<bool>)s).SetResult(true), tcs);
                return Task.WhenAny(Task.Delay(timeout), tcs.Task);
            }

            public static Task Captured(TimeSpan timeout, CancellationToken cancellationToken)
            {
                var stopped = new TaskCompletionSource<bool>();
                cancellationToken.Register(() => stopped.TrySetResult(true));
                return Task.WhenAny(Task.Delay(timeout), stopped.Task, Task.Delay(timeout + timeout));
            }

            public static Task WithInfinite(Task work, CancellationToken cancellationToken)
                => Task.WhenAny(work, Task.Delay(Timeout.Infinite, cancellationToken));

            public static Task Unraced(Task work, TimeSpan timeout, CancellationToken cancellationToken)
            {
                var other = new TaskCompletionSource<bool>();
                return Task.WhenAny(Task.{|#0:Delay|}(timeout), other.Task, work);
            }

            public static Task Alone(TimeSpan timeout, CancellationToken cancellationToken)
                => Task.{|#1:Delay|}(timeout);

            public static Task OtherToken(TimeSpan timeout, SemaphoreSlim gate, CancellationToken cancellationToken)
                => Task.WhenAny(Task.{|#2:Delay|}(timeout), gate.WaitAsync(CancellationToken.None));
        }
        """, Tw1007(0, "Task.Delay", "cancellationToken"), Tw1007(1, "Task.Delay", "cancellationToken"), Tw1007(2, "Task.Delay", "cancellationToken"));

    // Orleans' membership shutdown: "allow some minimum time for graceful shutdown" with `var gracePeriod =
    // Task.WhenAll(Task.Delay(grace), ct.WhenCancelled()); await Task.WhenAny(gracePeriod, stopping);` — the wait lasts
    // until the token is cancelled and the delay has passed; the token given to the delay would cut the minimum
    // short. Also through a local holding the token's task. Beside work that merely takes the token
    // (`WhenAll(Task.Delay(d), WorkAsync(ct))`, which still waits out the delay after a cancel) it is reported.
    [Fact]
    public Task DelaysJoinedWithTheTokensOwnTask_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        static class TokenExtensions
        {
            public static Task WhenCancelled(this CancellationToken token)
            {
                var tcs = new TaskCompletionSource<bool>();
                token.Register(() => tcs.TrySetResult(true));
                return tcs.Task;
            }
        }

        class Membership
        {
            private static readonly TimeSpan Grace = TimeSpan.FromSeconds(5);

            public async Task Stop(Task stopping, CancellationToken ct)
            {
                var gracePeriod = Task.WhenAll(Task.Delay(Grace), ct.WhenCancelled());
                await Task.WhenAny(gracePeriod, stopping);
            }

            public async Task StopHeld(Task stopping, CancellationToken ct)
            {
                var cancellationTask = ct.WhenCancelled();
                var gracePeriod = Task.WhenAll(Task.Delay(Grace), cancellationTask);
                await Task.WhenAny(gracePeriod, stopping);
            }

            public async Task Pause(CancellationToken ct)
                => await Task.WhenAll(Task.Delay(Grace), Task.Delay(Timeout.Infinite, ct));

            public async Task MinimumDuration(CancellationToken ct)
                => await Task.WhenAll(Task.{|#0:Delay|}(Grace), WorkAsync(ct));

            public async Task MinimumDurationHeld(CancellationToken ct)
            {
                var work = WorkAsync(ct);
                await Task.WhenAll(Task.{|#1:Delay|}(Grace), work);
            }

            private static Task WorkAsync(CancellationToken ct) => Task.Delay(1, ct);
        }
        """, Tw1007(0, "Task.Delay", "ct"), Tw1007(1, "Task.Delay", "ct"));

    // dotnet-etcd's lease keep-alive: `using (var call = client.LeaseKeepAlive(cancellationToken: ct))` then
    // `await call.RequestStream.WriteAsync(request)`. The call was created with the token and cancels its
    // pending writes with it; passing it again changes nothing. An object made without the token, one the
    // local may no longer hold, and the result of awaited work (which the token no longer governs) are reported.
    [Fact]
    public Task CallsOnAnObjectMadeWithTheToken_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        interface IStreamWriter<T>
        {
            Task WriteAsync(T message);
            Task WriteAsync(T message, CancellationToken cancellationToken);
        }

        sealed class DuplexCall : IDisposable
        {
            public IStreamWriter<int> RequestStream { get; }
            public void Dispose() { }
        }

        sealed class Response
        {
            public Task<int> ReadAsync() => ReadAsync(CancellationToken.None);
            public Task<int> ReadAsync(CancellationToken cancellationToken) => Task.FromResult(0);
        }

        sealed class Client
        {
            public DuplexCall KeepAlive(CancellationToken cancellationToken = default) => new();
            public Task<Response> GetAsync(CancellationToken cancellationToken) => Task.FromResult(new Response());
        }

        class C
        {
            async Task M(Client client, CancellationToken cancellationToken)
            {
                using (var call = client.KeepAlive(cancellationToken: cancellationToken))
                {
                    await call.RequestStream.WriteAsync(1);
                }

                var other = client.{|#0:KeepAlive|}();
                await other.RequestStream.{|#1:WriteAsync|}(2);

                var reassigned = client.KeepAlive(cancellationToken);
                reassigned = client.{|#2:KeepAlive|}();
                await reassigned.RequestStream.{|#3:WriteAsync|}(3);

                var response = await client.GetAsync(cancellationToken);
                await response.{|#4:ReadAsync|}();
            }
        }
        """,
        Tw1007(0, "Client.KeepAlive", "cancellationToken"),
        Tw1007(1, "IStreamWriter.WriteAsync", "cancellationToken"),
        Tw1007(2, "Client.KeepAlive", "cancellationToken"),
        Tw1007(3, "IStreamWriter.WriteAsync", "cancellationToken"),
        Tw1007(4, "Response.ReadAsync", "cancellationToken"));

    // Halibut, Stripe.net, GraphQL.Client: libraries built for netstandard2.0 (or net6.0) beside net8.0. The
    // token overloads of `ReadToEndAsync` (.NET 7) and `CopyToAsync(stream, token)` (.NET Core 2.1) are
    // missing on one of the frameworks: passing the token does not compile there without an #if. An
    // overload every framework has, one of the project's own, and code under a framework #if are reported;
    // an #if on a symbol of the project's own (NETWORKING) limits no framework.
    [Fact]
    public Task MultiTargeted_TokenOverloadMissingOnAnotherFramework_IsNotOffered() => VerifyAnalyzer.AnalyzerMultiTargetedAsync("""
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class Client
        {
            public Task SendAsync() => SendAsync(CancellationToken.None);
            public Task SendAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        }

        class C
        {
            async Task<string> M(StreamReader reader, Stream source, Stream target, Client client, CancellationToken cancellationToken)
            {
                await source.CopyToAsync(target);
                await source.{|#0:CopyToAsync|}(target, 81920);
                await client.{|#1:SendAsync|}();
                await Task.{|#2:Delay|}(10);
        #if NETSTANDARD2_0 || NET6_0
                await reader.ReadLineAsync();
        #else
                await reader.{|#3:ReadToEndAsync|}();
        #endif
        #if !NETWORKING
                await source.CopyToAsync(target);
        #endif
                return await reader.ReadToEndAsync();
            }
        }
        """, "netstandard2.0;net6.0;net8.0;net10.0",
        Tw1007(0, "Stream.CopyToAsync", "cancellationToken"),
        Tw1007(1, "Client.SendAsync", "cancellationToken"),
        Tw1007(2, "Task.Delay", "cancellationToken"),
        Tw1007(3, "StreamReader.ReadToEndAsync", "cancellationToken"));

    // net8.0 and net10.0 both have the .NET 7 overload: reported, as in a single-framework project; so is a
    // project whose only other framework is the one being compiled (a platform variant).
    [Theory]
    [InlineData("net8.0;net10.0")]
    [InlineData("net8.0")]
    public Task MultiTargeted_TokenOverloadOnEveryFramework_IsOffered(string frameworks) => VerifyAnalyzer.AnalyzerMultiTargetedAsync("""
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task<string> M(StreamReader reader, CancellationToken cancellationToken)
                => await reader.{|#0:ReadToEndAsync|}();
        }
        """, frameworks,
        Tw1007(0, "StreamReader.ReadToEndAsync", "cancellationToken"));

    // Swan's connection polls `_readTask.Wait(interval)` inside an async method: TW1002 reports the wait,
    // whose fix is `await`; blocking with the token instead is no fix. In a synchronous method the token
    // is what the wait lacks, and an awaited call keeps the finding.
    [Fact]
    public Task SynchronousWaitsInAsyncCode_AreLeftToTheBlockingRules() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Concurrent;
        using System.Threading;
        using System.Threading.Tasks;

        class Connection
        {
            private Task<int> _readTask;
            private readonly SemaphoreSlim _gate = new(1);
            private readonly ManualResetEventSlim _done = new();
            private readonly BlockingCollection<int> _queue = new();

            async Task<int> ReadAsync(CancellationToken cancellationToken)
            {
                if (_readTask.Wait(100))
                {
                    return _readTask.Result;
                }

                _gate.Wait(50);
                _done.Wait();
                _queue.Take();
                await Task.{|#0:Delay|}(10);
                return 0;
            }

            int Read(CancellationToken cancellationToken)
            {
                _readTask.{|#1:Wait|}(100);
                _gate.{|#2:Wait|}(50);
                return _queue.{|#3:Take|}();
            }
        }
        """,
        Tw1007(0, "Task.Delay", "cancellationToken"),
        Tw1007(1, "Task.Wait", "cancellationToken"),
        Tw1007(2, "SemaphoreSlim.Wait", "cancellationToken"),
        Tw1007(3, "BlockingCollection.Take", "cancellationToken"));

    // A connection host's `ConnectAsync(ct)` starts the loop that lives as long as the connection: `Task running =
    // host.RunAsync(); _ = ObserveCompletionAsync(running);` (found dogfooding a QUIC client host). The connect's token
    // must not stop it later. Work discarded (`_ = …`) or kept in a field the method does not read again is handed off
    // too. A task the method awaits, returns, combines with `WhenAll`, or keeps in a field it awaits, is reported.
    [Theory]
    [InlineData("net8")]
    [InlineData("net10")]
    public Task WorkTheMethodStartsAndNeverWaitsFor_IsNotOfferedTheToken(string framework) => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Host
        {
            public Task RunAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;
        }

        class Client
        {
            private readonly Host _host = new Host();
            private Task _loop = Task.CompletedTask;
            private Task _pending = Task.CompletedTask;

            public async Task ConnectAsync(CancellationToken cancellationToken)
            {
                Task running = _host.RunAsync();
                _ = ObserveAsync(running);
                _ = _host.RunAsync();
                _loop = _host.RunAsync();
                var tracked = _host.RunAsync();
                Track(tracked);
                await Task.Delay(1, cancellationToken);
            }

            public async Task AwaitedAsync(CancellationToken cancellationToken)
            {
                var work = _host.{|#0:RunAsync|}();
                await Task.WhenAll(work, _host.{|#1:RunAsync|}());
                _pending = _host.{|#2:RunAsync|}();
                await _pending;
                var observed = _host.{|#3:RunAsync|}();
                _ = ObserveAsync(observed);
                await observed;
            }

            public Task ReturnedAsync(CancellationToken cancellationToken)
            {
                var work = _host.{|#4:RunAsync|}();
                return work;
            }

            public void WaitedFor(CancellationToken cancellationToken)
            {
                var work = _host.{|#5:RunAsync|}();
                Task.WaitAll(work);
            }

            static async Task ObserveAsync(Task task) => await task;

            static void Track(Task task) { }
        }
        """, framework == "net10" ? References.Net100 : References.Net80,
        Tw1007(0, "Host.RunAsync", "cancellationToken"),
        Tw1007(1, "Host.RunAsync", "cancellationToken"),
        Tw1007(2, "Host.RunAsync", "cancellationToken"),
        Tw1007(3, "Host.RunAsync", "cancellationToken"),
        Tw1007(4, "Host.RunAsync", "cancellationToken"),
        Tw1007(5, "Host.RunAsync", "cancellationToken"));

    // eShop's RabbitMQ event bus: `StartAsync(ct) { _ = Task.Factory.StartNew(async () => { … await
    // connection.CreateChannelAsync(); … }); return Task.CompletedTask; }`. A hosted service's start token says
    // the start was aborted, and the host disposes its source when the start returns: the background work a
    // lambda there runs is stopped by StopAsync, not by that token. Calls made by the start itself, work it awaits
    // (`await Task.Run(…)`, `await Warm()`), and the same lambda in BackgroundService.ExecuteAsync (whose token is
    // the service's lifetime), are reported.
    [Theory]
    [InlineData("net8")]
    [InlineData("net10")]
    public Task HostedServiceStartToken_IsNotOfferedToWorkThatOutlivesTheStart(string framework) => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;
        using Microsoft.Extensions.Hosting;

        public interface IConnection
        {
            Task OpenAsync();
            Task OpenAsync(CancellationToken cancellationToken);
        }

        class EventBus(IConnection connection) : IHostedService
        {
            public async Task StartAsync(CancellationToken cancellationToken)
            {
                await connection.{|#0:OpenAsync|}();
                _ = Task.Factory.StartNew(async () =>
                {
                    await connection.OpenAsync();
                }, TaskCreationOptions.LongRunning);
                _ = Task.Run(Consume);
                await Task.Run(async () => await connection.{|#2:OpenAsync|}());
                await Warm();

                async Task Consume() => await connection.OpenAsync();
                async Task Warm() => await connection.{|#3:OpenAsync|}();
            }

            public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        }

        class ExplicitBus(IConnection connection) : IHostedService
        {
            Task IHostedService.StartAsync(CancellationToken cancellationToken)
            {
                _ = Task.Run(async () => await connection.OpenAsync());
                return Task.CompletedTask;
            }

            Task IHostedService.StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
        }

        class Worker(IConnection connection) : BackgroundService
        {
            protected override Task ExecuteAsync(CancellationToken stoppingToken)
                => Task.Run(async () => await connection.{|#1:OpenAsync|}());
        }
        """,
        (framework == "net10" ? References.Net100 : References.Net80)
            .AddPackages(System.Collections.Immutable.ImmutableArray.Create(new PackageIdentity("Microsoft.Extensions.Hosting.Abstractions", framework == "net10" ? "10.0.12" : "8.0.1"))),
        Tw1007(0, "IConnection.OpenAsync", "cancellationToken"),
        Tw1007(1, "IConnection.OpenAsync", "stoppingToken"),
        Tw1007(2, "IConnection.OpenAsync", "cancellationToken"),
        Tw1007(3, "IConnection.OpenAsync", "cancellationToken"));

    // gRPC's `IAsyncStreamWriter<T>.WriteAsync(message, token)` is a default interface member added beside the
    // abstract `WriteAsync(message)`; writers that predate it do not override it, and its default throws
    // NotSupportedException for a token that can be cancelled (found dogfooding EventStore's client, whose
    // calls already carry the token in their options). Such an overload is not offered; an abstract interface
    // overload, or a class's, is.
    [Fact]
    public Task DefaultInterfaceTokenOverload_IsNotOffered_AnAbstractOneIs() => VerifyAnalyzer.AnalyzerWithLibraryAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Appender
        {
            async Task AppendAsync(IStreamWriter<string> writer, ISender sender, CancellationToken cancellationToken)
            {
                await writer.WriteAsync("header");
                await sender.{|#0:SendAsync|}("header");
            }
        }
        """, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        public interface IStreamWriter<T>
        {
            Task WriteAsync(T message);

            Task WriteAsync(T message, CancellationToken cancellationToken)
            {
                if (cancellationToken.CanBeCanceled)
                {
                    throw new NotSupportedException();
                }

                return WriteAsync(message);
            }
        }

        public interface ISender
        {
            Task SendAsync(string message);
            Task SendAsync(string message, CancellationToken cancellationToken);
        }
        """, Tw1007(0, "ISender.SendAsync", "cancellationToken"));

    // dotnet/iot's GPIO segment: `Display(token) { Display(); _segment.Display(token); }` holds the display
    // until the token cancels. An overload that calls the tokenless method does more than make it
    // cancellable: passing the token to `Display()` would change what the call does. The usual shape, the
    // tokenless method forwarding to the token overload, is reported.
    [Fact]
    public Task OverloadThatWrapsTheTokenlessMethod_IsNotOffered() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Segment
        {
            public void Display(CancellationToken token)
            {
                Display();
                token.WaitHandle.WaitOne();
            }

            public Task DisplayAsync(CancellationToken token)
            {
                Display();
                {|#0:Write|}(1);
                return Task.CompletedTask;
            }

            private void Display() { }

            public void Write(int value) => Write(value, CancellationToken.None);

            public void Write(int value, CancellationToken token) { }
        }
        """, Tw1007(0, "Segment.Write", "token"));

    [Fact]
    public Task CallsThatCouldTakeTheToken_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class Store
        {
            public Task SaveAsync(string key, CancellationToken cancellationToken = default) => Task.CompletedTask;
        }

        static class Extensions
        {
            public static Task FlushAllAsync(this Store store, CancellationToken cancellationToken = default) => Task.CompletedTask;
        }

        class C
        {
            async Task M(Stream stream, byte[] buffer, Store store, SemaphoreSlim gate, CancellationToken ct)
            {
                await gate.{|#0:WaitAsync|}();
                await Task.{|#1:Delay|}(100);
                await stream.{|#2:ReadAsync|}(buffer, 0, buffer.Length);
                await store.{|#3:SaveAsync|}("k");
                await store.{|#4:FlushAllAsync|}();
                await Local();

                async Task Local() => await Task.{|#5:Delay|}(1);
            }

            Task Each(List<int> items) => Parallel.ForEachAsync(items, async (item, token) => await Task.{|#6:Delay|}(item));
        }
        """,
        Tw1007(0, "SemaphoreSlim.WaitAsync", "ct"),
        Tw1007(1, "Task.Delay", "ct"),
        Tw1007(2, "Stream.ReadAsync", "ct"),
        Tw1007(3, "Store.SaveAsync", "ct"),
        Tw1007(4, "Extensions.FlushAllAsync", "ct"),
        Tw1007(5, "Task.Delay", "ct"),
        Tw1007(6, "Task.Delay", "token"));

    // NPoco's dual path: `sync ? ExistsAsync(pk, true).RunSync() : await ExistsAsync(pk, false, token)`, and
    // `if (sync) { AbortTransaction(true).RunSync(); } else { await AbortTransaction(false, token); }`. The
    // synchronous branch serves the synchronous API; the asynchronous branch beside it is where the token
    // goes. A call in the asynchronous branch without the token is reported, and so is one in a branch of a
    // flag test that awaits itself (EventFlow's `if (idle) { await Task.Delay(100); continue; }`, PetaPoco's
    // `empty ? await BeginAsync() : await BeginAsync(level)`): no synchronous path.
    [Fact]
    public Task CallsInTheSynchronousBranchOfADualPath_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        static class TaskExtensions
        {
            public static T RunSync<T>(this Task<T> task) => task.GetAwaiter().GetResult();
        }

        class Database
        {
            internal Task<bool> ExistsAsync(int pk, bool sync, CancellationToken token = default) => Task.FromResult(sync);

            internal async Task<bool> IsNewAsync(int pk, bool sync, CancellationToken cancellationToken)
            {
                if (sync)
                {
                    return ExistsAsync(pk, true).RunSync();
                }
                else
                {
                    await Task.Yield();
                }

                return sync
                    ? !ExistsAsync(pk, true).RunSync()
                    : !await {|#0:ExistsAsync|}(pk, false);
            }

            internal async Task PopulateAsync(bool hasLevel, CancellationToken cancellationToken)
            {
                while (!cancellationToken.IsCancellationRequested)
                {
                    var idle = hasLevel;
                    if (idle)
                    {
                        await Task.{|#1:Delay|}(100);
                        continue;
                    }

                    var found = hasLevel ? await {|#2:ExistsAsync|}(1, false) : await {|#3:ExistsAsync|}(2, false);
                }
            }
        }
        """, Tw1007(0, "Database.ExistsAsync", "cancellationToken"), Tw1007(1, "Task.Delay", "cancellationToken"),
        Tw1007(2, "Database.ExistsAsync", "cancellationToken"), Tw1007(3, "Database.ExistsAsync", "cancellationToken"));

    // A dual path under edit: a "flag" of a missing type is no flag (the call is reported), and a branch
    // awaiting a call that does not bind.
    [Fact]
    public Task BrokenDualPaths_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Database
        {
            internal Task<bool> ExistsAsync(int pk, bool sync, CancellationToken token = default) => Task.FromResult(sync);

            internal async Task<bool> IsNewAsync(Missing sync, CancellationToken cancellationToken)
            {
                return sync ? {|#0:ExistsAsync|}(1, true).Result : await ExistsAsync(1, false, ;
            }
        }
        """, Tw1007(0, "Database.ExistsAsync", "cancellationToken"));

    [Fact]
    public Task TokenPassedAmbiguousOrOutOfReach_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Old
        {
            public Task RunAsync() => Task.CompletedTask;

            [Obsolete("use the other")]
            public Task RunAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            public Task SendAsync(int value) => Task.CompletedTask;

            private Task SendAsync(int value, CancellationToken cancellationToken) => Task.CompletedTask;

            public Task WithDefaults(int value = 0) => Task.CompletedTask;

            public Task WithDefaults(int value, CancellationToken cancellationToken) => Task.CompletedTask;
        }

        class C
        {
            async Task Passed(CancellationToken ct)
            {
                await Task.Delay(100, CancellationToken.None);
                await Task.Delay(100, ct);
                await Task.Delay(100, default(CancellationToken));
            }

            async Task NoToken() => await Task.Delay(100);

            // `return Task.Delay(0);` (Discord.Net's streams): the completed-task idiom waits for nothing;
            // given the token it would turn into a cancelled task.
            Task ZeroDelay(CancellationToken ct) => Task.Delay(0);

            Task ZeroSpan(CancellationToken ct) => Task.Delay(TimeSpan.Zero);

            async Task TwoTokens(CancellationToken a, CancellationToken b) => await Task.Delay(100);

            async Task Cleanup(SemaphoreSlim gate, CancellationToken ct)
            {
                try
                {
                    await Task.Delay(1, ct);
                }
                catch (OperationCanceledException)
                {
                    await Task.Delay(1);
                }
                finally
                {
                    await gate.WaitAsync();
                    gate.Release();
                }
            }

            Func<Task> Static(CancellationToken ct) => static () => Task.Delay(1);

            async Task NoUsableOverload(Old old, CancellationToken ct)
            {
                await old.RunAsync();
                await old.SendAsync(1);
                await old.WithDefaults();
            }
        }
        """);

    [Fact]
    public Task TheOverloadThatDropsTheToken_AndSchedulingCalls_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Channel
        {
            // The token overload delegating to the one without: passing the token would recurse.
            public Task CloseAsync(int code, CancellationToken cancellationToken) => CloseAsync(code);

            public Task CloseAsync(int code) => Task.CompletedTask;

            // An overload forwarding to another: which one gets the token was chosen here.
            public Task CloseAsync(int code, string text, CancellationToken cancellationToken) => CloseAsync(code);

            // A token given to Task.Run or StartNew only cancels the scheduling; a task cancelled
            // before it starts never runs its delegate.
            public Task StartAsync(CancellationToken cancellationToken)
            {
                var loop = Task.Run(Loop);
                var other = Task.Factory.StartNew(() => { });
                return Task.WhenAll(loop, other);
            }

            private Task Loop() => Task.CompletedTask;

            // The token given to TrySetCanceled is data (which token cancelled), not a way to stop the call.
            public void Cancel(TaskCompletionSource<int> tcs, CancellationToken cancellationToken)
                => cancellationToken.Register(() => tcs.TrySetCanceled());

            // Acquiring a using-scoped lock: the section is short; the waits inside take the token.
            public async Task AddAsync(Mutex mutex, bool sync, CancellationToken cancellationToken)
            {
                using (sync ? mutex.Lock() : await mutex.LockAsync().ConfigureAwait(false))
                {
                    await Task.Delay(1, cancellationToken);
                }

                using var held = await mutex.LockAsync();
            }
        }

        class Mutex
        {
            public System.IDisposable Lock(CancellationToken cancellationToken = default) => null!;

            public Task<System.IDisposable> LockAsync(CancellationToken cancellationToken = default) => Task.FromResult<System.IDisposable>(null!);
        }
        """);

    // An async iterator's [EnumeratorCancellation] token receives the enumerator's token: handing the
    // token to GetAsyncEnumerator or WithCancellation already cancels the call.
    [Fact]
    public Task AsyncStreamsCancelledThroughTheEnumerator_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Channels;
        using System.Threading.Tasks;

        class Queue
        {
            private readonly Channel<int> _queue = Channel.CreateUnbounded<int>();

            public IAsyncEnumerator<int> GetAsyncEnumerator(CancellationToken cancellationToken = default)
                => _queue.Reader.ReadAllAsync().GetAsyncEnumerator(cancellationToken);

            public async Task DrainAsync(CancellationToken cancellationToken)
            {
                await foreach (var item in _queue.Reader.ReadAllAsync().WithCancellation(cancellationToken))
                {
                }

                await foreach (var item in _queue.Reader.{|#0:ReadAllAsync|}())
                {
                }
            }
        }
        """,
        Tw1007(0, "ChannelReader.ReadAllAsync", "cancellationToken"));

    // A callback registered on the token runs once the token is cancelled: forwarding the token there
    // would cancel the clean-up at once. A callback registered on another token is still reported.
    [Fact]
    public Task CallbacksRegisteredOnTheToken_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Command
        {
            private volatile bool _running = true;

            public void Cancel() => _running = false;

            public async Task ExecuteAsync(CancellationToken cancellationToken, CancellationToken other)
            {
                await Task.Yield();
            }

            public async Task RunAsync(CancellationToken cancellationToken)
            {
                using var registration = cancellationToken.Register(state => Task.Run(async () =>
                {
                    while (_running)
                    {
                        Cancel();
                        await Task.Delay(1).ConfigureAwait(false);
                    }
                }), null);
                using var direct = cancellationToken.Register(() => Task.Delay(1).Wait());
                using var unrelated = CancellationToken.None.Register(() => Task.{|#2:Delay|}(1).{|#3:Wait|}());
                await Task.Run(async () => await Task.{|#0:Delay|}(1), CancellationToken.None);
            }

            public void Later(CancellationToken cancellationToken, CancellationTokenSource source)
            {
                source.Token.Register(() => Task.{|#1:Delay|}(1).{|#4:Wait|}());
            }
        }
        """,
        Tw1007(2, "Task.Delay", "cancellationToken"),
        Tw1007(3, "Task.Wait", "cancellationToken"),
        Tw1007(0, "Task.Delay", "cancellationToken"),
        Tw1007(1, "Task.Delay", "cancellationToken"),
        Tw1007(4, "Task.Wait", "cancellationToken"));

    // The MongoDB driver: a read loop handed, with the token, to a helper that enforces the timeout and
    // cancellation by closing the stream; a connect task kept in a local assigned in `#if` branches and
    // waited with the token; an abort on the way to rethrowing. Task.Run's token only cancels the
    // scheduling, and a lambda's own token is its to forward: those are still reported.
    [Fact]
    public Task DelegatesGovernedByACallGivenTheToken_WaitedTasks_AndCleanupBeforeThrow_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        static class Streams
        {
            public static Task ReadBytesAsync(Stream stream, byte[] buffer, int timeoutMs, CancellationToken cancellationToken)
                => WithTimeoutAsync(stream, async s =>
                {
                    var read = await s.ReadAsync(buffer, 0, buffer.Length).ConfigureAwait(false);
                    if (read == 0) throw new EndOfStreamException();
                }, timeoutMs, cancellationToken);

            private static Task WithTimeoutAsync(Stream stream, Func<Stream, Task> operation, int timeoutMs, CancellationToken cancellationToken)
                => operation(stream);

            public static void Connect(Func<Task> connect, CancellationToken cancellationToken)
            {
                Task connectTask;
                connectTask = connect();
                connectTask.Wait(cancellationToken);
            }

            public static async Task CopyAsync(Stream source, Stream destination, CancellationToken cancellationToken)
            {
                var buffer = new byte[10];
                while (true)
                {
                    Exception failure = null;
                    try { await source.ReadAsync(buffer, 0, 10, cancellationToken); }
                    catch (Exception ex) { failure = ex; }
                    if (failure != null)
                    {
                        try { await destination.FlushAsync(); } catch { }
                        throw failure;
                    }

                    await Task.Run(async () => await destination.{|#0:FlushAsync|}(), cancellationToken);
                    await WithTimeoutAsync(source, async s => await s.{|#2:FlushAsync|}(), 10, CancellationToken.None);
                    await Parallel.ForEachAsync(new[] { 1 }, cancellationToken, async (i, token) => await destination.{|#1:FlushAsync|}());
                }
            }
        }
        """,
        Tw1007(0, "Stream.FlushAsync", "cancellationToken"),
        Tw1007(2, "Stream.FlushAsync", "cancellationToken"),
        Tw1007(1, "Stream.FlushAsync", "token"));

    [Fact]
    public Task AZeroTimeoutPoll_IsNotFlagged_AWaitWithATimeoutIs() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;

        class Socket
        {
            private static readonly TimeSpan NoWait = TimeSpan.Zero;

            // A poll with a zero timeout returns at once: nothing to cancel.
            public bool TryReceive(int timeoutMillis, CancellationToken cancellationToken = default)
            {
                ProcessCommands(0, false);
                ProcessCommands(timeout: 0, throttle: true);
                Drain(NoWait);
                {|#0:ProcessCommands|}(timeoutMillis, false);
                return {|#1:Drain|}(TimeSpan.FromSeconds(1));
            }

            private void ProcessCommands(int timeout, bool throttle, CancellationToken cancellationToken = default) { }

            private bool Drain(TimeSpan timeout, CancellationToken cancellationToken = default) => true;
        }
        """,
        Tw1007(0, "Socket.ProcessCommands", "cancellationToken"),
        Tw1007(1, "Socket.Drain", "cancellationToken"));

    [Fact]
    public Task Fix_PassesTheToken_PositionallyOrByName() => VerifyFix.CodeFixAsync("""
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class Store
        {
            public Task SaveAsync(string key, bool flush = false, CancellationToken cancellationToken = default) => Task.CompletedTask;
        }

        class C
        {
            async Task M(Stream stream, byte[] buffer, Store store, CancellationToken ct)
            {
                await Task.{|#0:Delay|}(100);
                await stream.{|#1:ReadAsync|}(buffer, 0, buffer.Length);
                await store.{|#2:SaveAsync|}("k");
                await store.{|#3:SaveAsync|}("k", true);
            }
        }
        """, """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class Store
        {
            public Task SaveAsync(string key, bool flush = false, CancellationToken cancellationToken = default) => Task.CompletedTask;
        }

        class C
        {
            async Task M(Stream stream, byte[] buffer, Store store, CancellationToken ct)
            {
                await Task.Delay(100, ct);
                await stream.ReadAsync(buffer, 0, buffer.Length, ct);
                await store.SaveAsync("k", cancellationToken: ct);
                await store.SaveAsync("k", true, ct);
            }
        }
        """, Tw1007(0, "Task.Delay", "ct"), Tw1007(1, "Stream.ReadAsync", "ct"), Tw1007(2, "Store.SaveAsync", "ct"), Tw1007(3, "Store.SaveAsync", "ct"));

    // Socket.ConnectAsync's token overload returns ValueTask where the other returns Task (found
    // applying fixes to FluentFTP): awaited right there either works; handed to a method taking a
    // Task it would not compile. No fix there; the finding stays.
    [Fact]
    public Task Fix_IsWithheld_WhenTheTokenOverloadReturnsAnotherType_UnlessAwaitedThere() => VerifyFix.CodeFixAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Connector
        {
            public Task ConnectAsync(string host) => Task.CompletedTask;
            public ValueTask ConnectAsync(string host, CancellationToken cancellationToken) => default;
        }

        class C
        {
            async Task M(Connector connector, CancellationToken ct)
            {
                await connector.{|#0:ConnectAsync|}("a");
                await connector.{|#1:ConnectAsync|}("b").ConfigureAwait(false);
                await WithTimeout(connector.{|#2:ConnectAsync|}("c"));
            }

            static Task WithTimeout(Task task) => task;
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;

        class Connector
        {
            public Task ConnectAsync(string host) => Task.CompletedTask;
            public ValueTask ConnectAsync(string host, CancellationToken cancellationToken) => default;
        }

        class C
        {
            async Task M(Connector connector, CancellationToken ct)
            {
                await connector.ConnectAsync("a", ct);
                await connector.ConnectAsync("b", ct).ConfigureAwait(false);
                await WithTimeout(connector.{|#2:ConnectAsync|}("c"));
            }

            static Task WithTimeout(Task task) => task;
        }
        """,
        new[] { Tw1007(0, "Connector.ConnectAsync", "ct"), Tw1007(1, "Connector.ConnectAsync", "ct"), Tw1007(2, "Connector.ConnectAsync", "ct") },
        new[] { Tw1007(2, "Connector.ConnectAsync", "ct") });

    // Nito.AsyncEx's synchronous waits (vendored in Foundatio): the work was started with the token,
    // or the token is given to what waits on the stored task. Neither needs the token again.
    [Fact]
    public Task WorkAlreadyCancellable_OrWaitedWithTheToken_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        static class TaskExtensions
        {
            public static void WaitAndUnwrapException(this Task task) => task.GetAwaiter().GetResult();
            public static void WaitAndUnwrapException(this Task task, CancellationToken cancellationToken) => task.Wait(cancellationToken);
        }

        class AsyncEvent
        {
            public Task WaitAsync() => Task.CompletedTask;
            public Task WaitAsync(CancellationToken cancellationToken) => Task.CompletedTask;

            public void Wait(CancellationToken cancellationToken)
            {
                WaitAsync(cancellationToken).WaitAndUnwrapException();
            }

            public void WaitOrCancel(CancellationToken cancellationToken)
            {
                var wait = WaitAsync();
                if (wait.IsCompleted)
                    return;
                wait.WaitAndUnwrapException(cancellationToken);
            }

            public void WaitBlindly(CancellationToken cancellationToken)
            {
                {|#0:WaitAsync|}().{|#1:WaitAndUnwrapException|}();
            }
        }
        """, Tw1007(0, "AsyncEvent.WaitAsync", "cancellationToken"), Tw1007(1, "TaskExtensions.WaitAndUnwrapException", "cancellationToken"));

    [Fact]
    public Task Fix_FixAllAcrossDocuments() => VerifyFix.CodeFixAsync(
        new[]
        {
            """
            using System.Threading;
            using System.Threading.Tasks;

            class A { Task M(CancellationToken token) => Task.{|#0:Delay|}(1); }
            """,
            """
            using System.Threading;
            using System.Threading.Tasks;

            class B { async Task M(SemaphoreSlim s, CancellationToken token) { await s.{|#1:WaitAsync|}(); await Task.{|#2:Delay|}(2); } }
            """,
        },
        new[]
        {
            """
            using System.Threading;
            using System.Threading.Tasks;

            class A { Task M(CancellationToken token) => Task.Delay(1, token); }
            """,
            """
            using System.Threading;
            using System.Threading.Tasks;

            class B { async Task M(SemaphoreSlim s, CancellationToken token) { await s.WaitAsync(token); await Task.Delay(2, token); } }
            """,
        },
        Tw1007(0, "Task.Delay", "token"),
        Tw1007(1, "SemaphoreSlim.WaitAsync", "token"),
        Tw1007(2, "Task.Delay", "token"));

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken ct)
            {
                await Task.Delay(;
                await Missing.DoAsync();
                await Task.{|#0:Delay|}(1)
            }

            async Task N(CancellationToken ct, Unknown u) => await u.RunAsync();
        }
        """, Tw1007(0, "Task.Delay", "ct"));
}
