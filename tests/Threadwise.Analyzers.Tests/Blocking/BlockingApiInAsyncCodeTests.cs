using Microsoft.CodeAnalysis.Testing;
using Threadwise.Tests.Infrastructure;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.Blocking.BlockingApiInAsyncCodeAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.Blocking.BlockingApiInAsyncCodeAnalyzer, Threadwise.Blocking.BlockingApiInAsyncCodeFixProvider>;

namespace Threadwise.Tests.Blocking;

public class BlockingApiInAsyncCodeTests
{
    private const string NoTwin = "; it has no awaitable form, so move the wait off the async path or use an async primitive";

    private static DiagnosticResult Tw1004(int markup, string api, string where, string? twin)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW1004BlockingApiInAsyncCode)
            .WithLocation(markup)
            .WithArguments(api, where, twin is null ? NoTwin : $"; use 'await {twin}' instead");

    private static DiagnosticResult TwinIsCaller(int markup, string api, string where)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW1004BlockingApiInAsyncCode)
            .WithLocation(markup)
            .WithArguments(api, where, "; its awaitable form is the method this call is in, so do the asynchronous work here instead");

    // NeoSmart's SqliteCache: `cmd.ExecuteScalar()` on a SqliteCommand in async code. Microsoft.Data.Sqlite runs its
    // async methods synchronously (its documentation says to avoid them), so the twin would block the same way.
    // The same call on a variable typed DbCommand, which may hold another provider's command, is reported.
    [Theory]
    [InlineData("net8")]
    [InlineData("net10")]
    public Task MicrosoftDataSqliteCalls_AreNotReported_OtherProvidersAre(string framework) => VerifyAnalyzer.AnalyzerAsync("""
        using System.Data.Common;
        using System.Threading.Tasks;
        using Microsoft.Data.Sqlite;

        class Cache
        {
            async Task<long> RemoveExpired(SqliteConnection connection, DbCommand other)
            {
                await Task.Yield();
                connection.Open();
                using var command = connection.CreateCommand();
                command.CommandText = "DELETE FROM cache WHERE expiry < @now";
                var removed = (long)command.ExecuteScalar()!;
                using var reader = command.ExecuteReader();
                while (reader.Read()) { }
                return removed + (long){|#0:other.ExecuteScalar()|}!;
            }
        }
        """,
        (framework == "net10" ? References.Net100 : References.Net80)
            .AddPackages(System.Collections.Immutable.ImmutableArray.Create(new PackageIdentity("Microsoft.Data.Sqlite.Core", framework == "net10" ? "10.0.11" : "8.0.30"))),
        Tw1004(0, "DbCommand.ExecuteScalar", "async method 'RemoveExpired'", "DbCommand.ExecuteScalarAsync"));

    // DurableTask's session state: `var state = await Utils.GetDecompressedStreamAsync(raw);` returns the
    // MemoryStream it filled (or null) on every path, and the state is read from it. A method of the project
    // that hands out only memory — awaited or called directly — is a memory stream's factory. One that can
    // hand out a file is reported.
    [Fact]
    public Task StreamsFromMethodsThatHandOutOnlyMemory_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading.Tasks;

        static class Utils
        {
            public static async Task<Stream> DecompressAsync(Stream input)
            {
                if (input == null)
                {
                    return null;
                }

                var output = new MemoryStream();
                await input.CopyToAsync(output);
                output.Position = 0;
                return output;
            }

            public static Stream Buffer(byte[] bytes) => new MemoryStream(bytes);

            public static Stream Open(string path, bool buffered) => buffered ? new MemoryStream() : File.OpenRead(path);
        }

        class C
        {
            async Task<int> M(Stream raw, string path)
            {
                var state = await Utils.DecompressAsync(raw);
                var read = state.Read(new byte[4], 0, 4);
                var buffer = Utils.Buffer(new byte[4]);
                read += buffer.Read(new byte[4], 0, 4);
                var file = Utils.Open(path, buffered: false);
                read += {|#0:file.Read(new byte[4], 0, 4)|};
                return read;
            }
        }
        """, Tw1004(0, "Stream.Read", "async method 'M'", "Stream.ReadAsync"));

    // Microsoft.Testing.Platform's SystemConsole keeps `new StreamWriter(Console.OpenStandardOutput(), …)` in a
    // private static field: like Console.Out, its async forms end in the same synchronous console write. A
    // writer over a file, or one kept in a member other code can assign, is reported.
    [Fact]
    public Task WritersOverTheConsole_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading.Tasks;

        sealed class ConsoleOut
        {
            private static readonly StreamWriter Writer;
            private readonly StreamWriter _file = new StreamWriter("log.txt");
            public StreamWriter Shared = new StreamWriter(Console.OpenStandardError());

            static ConsoleOut() => Writer = new StreamWriter(stream: Console.OpenStandardOutput(), encoding: Console.Out.Encoding, bufferSize: 256, leaveOpen: true) { AutoFlush = true };

            async Task M()
            {
                Writer.WriteLine("x");
                var error = new StreamWriter(Console.OpenStandardError());
                error.WriteLine("y");
                {|#0:_file.WriteLine("f")|};
                {|#1:Shared.WriteLine("s")|};
                await Task.Yield();
            }
        }
        """,
        Tw1004(0, "StreamWriter.WriteLine", "async method 'M'", "StreamWriter.WriteLineAsync"),
        Tw1004(1, "StreamWriter.WriteLine", "async method 'M'", "StreamWriter.WriteLineAsync"));

    // A library built for net462 and net8.0: File.ReadAllTextAsync and XDocument.LoadAsync are missing on
    // the .NET Framework, so the twin cannot be called there without an #if. A twin every framework has
    // (Stream.ReadAsync) and code under a framework #if are reported.
    [Fact]
    public Task MultiTargeted_TwinMissingOnAnotherFramework_IsNotFlagged() => VerifyAnalyzer.AnalyzerMultiTargetedAsync("""
        using System.IO;
        using System.Threading.Tasks;
        using System.Xml.Linq;

        class C
        {
            async Task<int> M(string path, Stream stream)
            {
                await Task.Yield();
                var text = File.ReadAllText(path);
                var document = XDocument.Load(stream);
                var read = {|#0:stream.Read(new byte[8], 0, 8)|};
        #if !NETFRAMEWORK
                text = {|#1:File.ReadAllText(path)|};
        #endif
                return text.Length + read + document.Root.Name.LocalName.Length;
            }
        }
        """, "net462;net8.0;net10.0",
        Tw1004(0, "Stream.Read", "async method 'M'", "Stream.ReadAsync"),
        Tw1004(1, "File.ReadAllText", "async method 'M'", "File.ReadAllTextAsync"));

    // ---- the dual sync/async path, twins that are not twins -----------------------------------

    // WatsonTcp runs whichever user callback is registered: `if (OnRequestAsync != null) r = await
    // HandleAsync(q); else if (OnRequest != null) r = Handle(q);`. The code picks between the two forms
    // of the call on purpose, whatever the condition. A branch whose sibling awaits something else is
    // reported.
    [Fact]
    public Task BlockingFormBesideItsAwaitedTwin_IsSilent() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class Callbacks
        {
            public Func<string, Task<string>> OnRequestAsync;
            public Func<string, string> OnRequest;
            public string Handle(string q) => OnRequest(q);
            public Task<string> HandleAsync(string q) => OnRequestAsync(q);
        }

        class Client
        {
            private readonly Callbacks _callbacks = new();

            async Task<string> ReceiveAsync(string q)
            {
                string r = null;
                if (_callbacks.OnRequestAsync != null)
                {
                    r = await _callbacks.HandleAsync(q).ConfigureAwait(false);
                }
                else if (_callbacks.OnRequest != null)
                {
                    r = _callbacks.Handle(q);
                }

                var s = _callbacks.OnRequestAsync != null ? await _callbacks.HandleAsync(q) : _callbacks.Handle(q);
                if (q.Length > 0)
                {
                    await Task.Delay(1);
                }
                else
                {
                    r = {|#0:_callbacks.Handle(q)|};
                }

                return r + s;
            }
        }
        """, Tw1004(0, "Callbacks.Handle", "async method 'ReceiveAsync'", "Callbacks.HandleAsync"));

    // KeyedSemaphores: "wait synchronously for a little bit to try to avoid a Task allocation, then wait
    // asynchronously" — `if (!semaphore.Wait(_spin, ct)) await semaphore.WaitAsync(ct);` and `!s.Wait(_spin) &&
    // !await s.WaitAsync(rest)`. A timed wait whose failure awaits the twin on the same receiver is a bounded,
    // chosen fast path. The same timed wait answered by a return, by awaiting another semaphore or by starting a
    // lambda that awaits, an untimed wait before the await, and a constant wait of a second or more, are reported.
    [Fact]
    public Task TimedWaitWhoseFailureAwaitsTheTwinOnTheSameReceiver_IsSilent() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Keyed
        {
            private readonly SemaphoreSlim _semaphore = new(1, 1);
            private readonly SemaphoreSlim _other = new(1, 1);
            private readonly TimeSpan _spin = TimeSpan.FromMilliseconds(10);

            async ValueTask LockAsync(CancellationToken ct)
            {
                if (!_semaphore.Wait(_spin, ct))
                {
                    await _semaphore.WaitAsync(ct);
                }
            }

            async ValueTask<bool> TryLockAsync(SemaphoreSlim semaphore, TimeSpan timeout, CancellationToken ct)
            {
                if (!semaphore.Wait(_spin, ct) && !await semaphore.WaitAsync(timeout - _spin, ct).ConfigureAwait(false))
                {
                    return false;
                }

                return semaphore.Wait(10) || await semaphore.WaitAsync(timeout);
            }

            async ValueTask<bool> NotAFastPathAsync(CancellationToken ct)
            {
                if (!{|#0:_semaphore.Wait(_spin, ct)|})
                {
                    return false;
                }

                if (!{|#1:_semaphore.Wait(_spin, ct)|})
                {
                    await _other.WaitAsync(ct);
                }

                {|#2:_semaphore.Wait(ct)|};
                await _semaphore.WaitAsync(ct);
                if (!{|#3:_semaphore.Wait(TimeSpan.FromSeconds(30))|})
                {
                    await _semaphore.WaitAsync(ct);
                }

                if (!{|#4:_semaphore.Wait(_spin, ct)|})
                {
                    _ = Task.Run(async () => await _semaphore.WaitAsync(ct));
                }

                return true;
            }
        }
        """,
        Tw1004(0, "SemaphoreSlim.Wait", "async method 'NotAFastPathAsync'", "SemaphoreSlim.WaitAsync"),
        Tw1004(1, "SemaphoreSlim.Wait", "async method 'NotAFastPathAsync'", "SemaphoreSlim.WaitAsync"),
        Tw1004(2, "SemaphoreSlim.Wait", "async method 'NotAFastPathAsync'", "SemaphoreSlim.WaitAsync"),
        Tw1004(3, "SemaphoreSlim.Wait", "async method 'NotAFastPathAsync'", "SemaphoreSlim.WaitAsync"),
        Tw1004(4, "SemaphoreSlim.Wait", "async method 'NotAFastPathAsync'", "SemaphoreSlim.WaitAsync"));

    // Silverback's return-value handlers: `switch (executionFlow) { case ExecutionFlow.Async: await
    // handler.HandleAsync(…); break; case ExecutionFlow.Sync: handler.Handle(…); break; }`. Another section of
    // the switch awaits the twin: the synchronous section is the synchronous caller's path. A section whose
    // siblings await something else is reported.
    [Fact]
    public Task BlockingFormInASwitchSectionBesideItsAwaitedTwin_IsSilent() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading.Tasks;

        enum ExecutionFlow { Async, Sync }

        interface IHandler
        {
            void Handle(object value);
            Task HandleAsync(object value);
        }

        class Service
        {
            async Task<bool> HandleAsync(IHandler handler, object value, ExecutionFlow flow, string path)
            {
                switch (flow)
                {
                    case ExecutionFlow.Async:
                        await handler.HandleAsync(value).ConfigureAwait(false);
                        break;
                    case ExecutionFlow.Sync:
                        handler.Handle(value);
                        break;
                    default:
                        throw new ArgumentOutOfRangeException(nameof(flow));
                }

                switch (flow)
                {
                    case ExecutionFlow.Async:
                        await Task.Delay(1);
                        break;
                    default:
                        {|#0:File.WriteAllText(path, "x")|};
                        break;
                }

                return true;
            }
        }
        """, Tw1004(0, "File.WriteAllText", "async method 'HandleAsync'", "File.WriteAllTextAsync"));

    // Flurl raises each event on its handlers "sync first, then async": `handler.Handle(type, call); await
    // handler.HandleAsync(type, call);`. An extension point (interface, abstract or virtual) with both forms,
    // each called in turn on the same receiver: the synchronous call is the user's synchronous hook. The twin
    // awaited on another receiver, or not right beside the call, is no such pair; nor is a concrete method
    // (CallsQueuedOnAPipelineClient_AreNotBlocking keeps `client.HMSet(…); await client.HMSetAsync(…);` reported).
    [Fact]
    public Task BlockingFormRightBesideItsAwaitedTwinOnTheSameReceiver_IsSilent() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.IO;
        using System.Threading.Tasks;

        interface IEventHandler
        {
            void Handle(int type);
            Task HandleAsync(int type);
        }

        class Client
        {
            async Task RaiseAsync(List<IEventHandler> handlers, int type)
            {
                foreach (var handler in handlers)
                {
                    handler.Handle(type);
                    await handler.HandleAsync(type);
                }
            }

            async Task FlushAsync(Stream a, Stream b, IEventHandler handler)
            {
                {|#0:a.Flush()|};
                await b.FlushAsync();
                {|#1:handler.Handle(1)|};
                await Task.Delay(1);
                await handler.HandleAsync(1);
            }
        }
        """,
        Tw1004(0, "Stream.Flush", "async method 'FlushAsync'", "Stream.FlushAsync"),
        Tw1004(1, "IEventHandler.Handle", "async method 'FlushAsync'", "IEventHandler.HandleAsync"));

    // Discord.Net's gateway decompresses each frame with `_decompressor.CopyTo(decompressed)`, where
    // `_decompressor = new DeflateStream(_compressed, …)` and `_compressed` is a MemoryStream: a private
    // stream field that every assignment in its type fills with an in-memory stream reads memory. One
    // also assigned a network stream, or handed to `ref`, is reported.
    [Fact]
    public Task PrivateStreamFieldsOverMemory_AreNotBlocking() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.IO.Compression;
        using System.Threading;
        using System.Threading.Tasks;

        class Gateway
        {
            private MemoryStream _compressed;
            private DeflateStream _decompressor;
            private Stream _mixed = new MemoryStream();
            private Stream _swapped = new MemoryStream();

            void Connect(Stream network)
            {
                _compressed = new MemoryStream();
                _decompressor = new DeflateStream(_compressed, CompressionMode.Decompress);
                _mixed = network;
                Interlocked.Exchange(ref _swapped, new MemoryStream());
            }

            void Disconnect() => _decompressor = null;

            async Task ReceiveAsync(byte[] data)
            {
                await Task.Yield();
                using var decompressed = new MemoryStream();
                _decompressor.CopyTo(decompressed);
                {|#0:_mixed.CopyTo(decompressed)|};
                {|#1:_swapped.CopyTo(decompressed)|};
            }
        }
        """,
        Tw1004(0, "Stream.CopyTo", "async method 'ReceiveAsync'", "Stream.CopyToAsync"),
        Tw1004(1, "Stream.CopyTo", "async method 'ReceiveAsync'", "Stream.CopyToAsync"));

    // A transport copies an error body with `var s = bytes == null ? Stream.Null : new MemoryStream(bytes);`:
    // each arm is memory or the null stream, whose reads and writes do nothing. An arm that may be the network
    // stream is reported.
    [Fact]
    public Task ConditionalOfMemoryAndTheNullStream_IsNotBlocking() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class Transport
        {
            async Task CopyAsync(byte[]? bytes, Stream network, Stream destination)
            {
                await Task.Yield();
                var body = bytes == null ? Stream.Null : new MemoryStream(bytes);
                body.CopyTo(destination);
                var writer = bytes == null ? TextWriter.Null : new StringWriter();
                writer.Flush();
                var either = bytes == null ? network : new MemoryStream(bytes);
                {|#0:either.CopyTo(destination)|};
            }
        }
        """, Tw1004(0, "Stream.CopyTo", "async method 'CopyAsync'", "Stream.CopyToAsync"));

    // A private stream field's answer does not depend on who asked first: `_outer` wraps `_inner` three deep,
    // `_inner` wraps a MemoryStream twice. Asked through `_outer` first, `_inner` used to be judged with what
    // was left of the outer chain's budget, cached as unknown, and then reported where it is used directly.
    [Fact]
    public Task PrivateStreamFieldAnswers_DoNotDependOnWhoAskedFirst() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.IO.Compression;
        using System.Threading.Tasks;

        class Codec
        {
            private readonly Stream _outer;
            private readonly Stream _inner;

            public Codec()
            {
                _inner = new BufferedStream(new BufferedStream(new MemoryStream()));
                _outer = new GZipStream(new BufferedStream(new BufferedStream(_inner)), CompressionMode.Compress);
            }

            async Task WriteAsync(byte[] data)
            {
                await Task.Yield();
                _outer.Write(data, 0, data.Length);
                _inner.Write(data, 0, data.Length);
            }
        }
        """);

    // A serializer's `Serialize<T>(T)` beside `SerializeAsync<T>(T)` converts in memory (FusionCache's
    // serializer interface, whose async forms wrap the synchronous result): no blocking form, and
    // neither is one handed only in-memory streams (Sentry serializes envelope items into a new
    // MemoryStream). One that writes to a file's stream or reads from a text reader parameter is.
    [Fact]
    public Task InMemorySerializers_AreNotBlocking_StreamSerializersAre() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading.Tasks;

        public interface ISerializer
        {
            byte[] Serialize<T>(T value);
            ValueTask<byte[]> SerializeAsync<T>(T value);
            T Deserialize<T>(byte[] data);
            ValueTask<T> DeserializeAsync<T>(byte[] data);
            string SerializeToText<T>(T value);
            Task<string> SerializeToTextAsync<T>(T value);
            void Serialize<T>(Stream destination, T value);
            Task SerializeAsync<T>(Stream destination, T value);
            T Deserialize<T>(TextReader source);
            Task<T> DeserializeAsync<T>(TextReader source);
        }

        class Cache
        {
            async Task SetAsync(ISerializer serializer, Stream file, TextReader source, int value)
            {
                await Task.Yield();
                var copy = serializer.Deserialize<int>(serializer.Serialize(value));
                var text = serializer.SerializeToText(copy);
                var buffer = new MemoryStream();
                serializer.Serialize(buffer, copy);
                serializer.Deserialize<int>(new StringReader(text));
                {|#0:serializer.Serialize(file, copy)|};
                var back = {|#1:serializer.Deserialize<int>(source)|};
            }
        }
        """,
        Tw1004(0, "ISerializer.Serialize", "async method 'SetAsync'", "ISerializer.SerializeAsync"),
        Tw1004(1, "ISerializer.Deserialize", "async method 'SetAsync'", "ISerializer.DeserializeAsync"));

    // EventStore's projection client writes a value into a MemoryStream with a Utf8JsonWriter, rewinds it and
    // returns `JsonDocument.Parse(stream)`: parsing or loading from memory reads memory. The same parse of a
    // stream parameter, or of a network stream, is reported.
    [Fact]
    public Task ParsersAndLoadersOverMemory_AreNotBlocking_OverOtherStreamsTheyAre() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Net.Sockets;
        using System.Text.Json;
        using System.Threading.Tasks;

        class Projections
        {
            async Task<JsonDocument> GetStateAsync(byte[] value, Stream response, NetworkStream network)
            {
                await Task.Yield();
                await using var stream = new MemoryStream();
                await using var writer = new Utf8JsonWriter(stream);
                writer.WriteStringValue("x");
                await writer.FlushAsync();
                stream.Position = 0;
                var document = JsonDocument.Parse(stream);
                using var copy = JsonDocument.Parse(new MemoryStream(value));
                using var other = {|#0:JsonDocument.Parse(response)|};
                using var remote = {|#1:JsonDocument.Parse(network)|};
                return document;
            }
        }
        """,
        Tw1004(0, "JsonDocument.Parse", "async method 'GetStateAsync'", "JsonDocument.ParseAsync"),
        Tw1004(1, "JsonDocument.Parse", "async method 'GetStateAsync'", "JsonDocument.ParseAsync"));

    // `if (timeout.IsZero || IsSynchronous) return Wait(timeout);` then the await: the branch runs on
    // the async path only when the wait is a zero-timeout poll. `||` with anything else is no dual path.
    [Fact]
    public Task DualPathThatAlsoTakesAZeroTimeout_IsSilent_OtherOrsAreNot() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        readonly struct TimeoutValue
        {
            public TimeoutValue(TimeSpan value) => Value = value;
            public TimeSpan Value { get; }
            public bool IsZero => Value == TimeSpan.Zero;
            public static implicit operator TimeoutValue(TimeSpan value) => new(value);
        }

        class Gate
        {
            [ThreadStatic] private static bool _sync;
            public static bool IsSynchronous => _sync;

            public bool Wait(TimeSpan timeout) { System.Threading.Thread.Sleep(1); return true; }
            public Task<bool> WaitAsync(TimeSpan timeout) => Task.FromResult(true);

            public async ValueTask<bool> AcquireAsync(TimeoutValue timeout)
            {
                if (timeout.IsZero || IsSynchronous)
                {
                    return Wait(timeout.Value);
                }

                return await WaitAsync(timeout.Value);
            }

            public async ValueTask<bool> AcquireAsync(int millisecondsTimeout)
            {
                if (IsSynchronous || millisecondsTimeout == 0)
                {
                    return Wait(TimeSpan.FromMilliseconds(millisecondsTimeout));
                }

                return await WaitAsync(TimeSpan.FromMilliseconds(millisecondsTimeout));
            }

            public async ValueTask<bool> NotAZeroTest(TimeSpan timeout, bool hurry)
            {
                if (hurry || IsSynchronous)
                {
                    return {|#0:Wait(timeout)|};
                }

                return await WaitAsync(timeout);
            }
        }
        """, Tw1004(0, "Gate.Wait", "async method 'NotAZeroTest'", "Gate.WaitAsync"));

    // MessagePipe's IAsyncPublisher: `Publish` beside `PublishAsync`, where every implementation in the
    // project hands the message to its handlers without waiting (`HandleAsync(…).Forget()`): a
    // fire-and-forget entry point, not a blocking twin. An interface whose implementation blocks, or
    // just does synchronous work, keeps its twin.
    [Fact]
    public Task VoidMethodsWhoseEveryImplementationFiresAndForgets_AreNotBlocking() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        public interface IHandler { ValueTask HandleAsync(string message, CancellationToken cancellationToken); }

        public interface IAsyncPublisher
        {
            void Publish(string message, CancellationToken cancellationToken = default);
            ValueTask PublishAsync(string message, CancellationToken cancellationToken = default);
        }

        public interface IStore
        {
            void Save(string item);
            Task SaveAsync(string item);
        }

        static class Extensions
        {
            internal static async void Forget(this ValueTask task) => await task;
        }

        sealed class Broker : IAsyncPublisher
        {
            private readonly BrokerCore _core = new BrokerCore();

            public void Publish(string message, CancellationToken cancellationToken) => _core.Publish(message, cancellationToken);

            public ValueTask PublishAsync(string message, CancellationToken cancellationToken) => _core.PublishAsync(message, cancellationToken);
        }

        sealed class BrokerCore
        {
            private readonly IHandler[] _handlers = new IHandler[0];

            public void Publish(string message, CancellationToken cancellationToken)
            {
                foreach (var handler in _handlers)
                {
                    handler.HandleAsync(message, cancellationToken).Forget();
                }
            }

            public async ValueTask PublishAsync(string message, CancellationToken cancellationToken)
            {
                foreach (var handler in _handlers)
                {
                    await handler.HandleAsync(message, cancellationToken);
                }
            }
        }

        sealed class Store : IStore
        {
            public void Save(string item) => SaveAsync(item).Wait();
            public Task SaveAsync(string item) => Task.CompletedTask;
        }

        sealed class MemoryStore : IStore
        {
            public void Save(string item) { }
            public Task SaveAsync(string item) => Task.CompletedTask;
        }

        class Worker
        {
            public async Task RunAsync(IAsyncPublisher publisher, IStore store)
            {
                publisher.Publish("m", CancellationToken.None);
                {|#0:store.Save("m")|};
                await Task.Yield();
            }
        }
        """, Tw1004(0, "IStore.Save", "async method 'RunAsync'", "IStore.SaveAsync"));

    // MonoTorrent's HTTP stream: the accept loop hands each request to `async void HandleContext(ctx)`,
    // which awaits HandleContextAsync inside a try. An async void method returns at its first await: it
    // is the fire-and-forget form of its twin, and awaiting the twin would serialise the requests. A
    // synchronous void method of the same shape that waits is still reported.
    [Fact]
    public Task AsyncVoidMethodsBesideTheirTwin_AreNotBlocking() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class Server
        {
            public Func<Task<string>> Accept;

            async void HandleContext(string context)
            {
                try { await HandleContextAsync(context); }
                catch (Exception) { }
            }

            Task HandleContextAsync(string context) => Task.Delay(context.Length);

            void Respond(string context) => RespondAsync(context).Wait();
            Task RespondAsync(string context) => Task.Delay(context.Length);

            async Task ListenAsync()
            {
                while (true)
                {
                    var context = await Accept();
                    HandleContext(context);
                    {|#0:Respond(context)|};
                }
            }
        }
        """, Tw1004(0, "Server.Respond", "async method 'ListenAsync'", "Server.RespondAsync"));

    // Serilog's periodic batching sink: `protected virtual async Task EmitBatchAsync(events) { EmitBatch(events); }`
    // beside `protected virtual void EmitBatch(events) { }`, documented "override either, not both". The
    // async default delegating to its overridable synchronous twin is the bridge of that pair: a subclass
    // picks which one to override. The same call from a method that is not virtual is async over sync,
    // and is reported.
    [Fact]
    public Task VirtualAsyncDefaultCallingItsVirtualSyncTwin_IsSilent() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        public abstract class BatchingSink
        {
            protected virtual void EmitBatch(IEnumerable<string> events) { }

            protected virtual async Task EmitBatchAsync(IEnumerable<string> events)
            {
                EmitBatch(events);
                await Task.Yield();
            }

            protected abstract void OnEmpty();

            protected virtual Task OnEmptyAsync()
            {
                OnEmpty();
                return Task.CompletedTask;
            }
        }

        public class Exporter
        {
            public virtual void Export(string item) { }

            public async Task ExportAsync(string item)
            {
                {|#0:Export(item)|};
                await Task.Yield();
            }
        }
        """, TwinIsCaller(0, "Exporter.Export", "async method 'ExportAsync'"));

    // Dapper's disposed reader: `ThrowDisposed<T>() => throw …` beside `ThrowDisposedAsync<T>()`. A
    // method whose whole body is a throw blocks on nothing, whatever its name's twin.
    [Fact]
    public Task MethodsThatOnlyThrow_AreNotBlocking() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class DisposedReader
        {
            private static T ThrowDisposed<T>() => throw new ObjectDisposedException("reader");

            private static async Task<T> ThrowDisposedAsync<T>()
            {
                var result = ThrowDisposed<T>();
                await Task.Yield();
                return result;
            }

            private static void Fail() { throw new InvalidOperationException(); }

            private static Task FailAsync() => Task.CompletedTask;

            private static void Close() { System.Threading.Thread.Sleep(1); Console.WriteLine("closing"); }

            private static Task CloseAsync() => Task.CompletedTask;

            public async Task RunAsync()
            {
                Fail();
                {|#0:Close()|};
                await Task.Yield();
            }
        }
        """, Tw1004(0, "DisposedReader.Close", "async method 'RunAsync'", "DisposedReader.CloseAsync"));

    [Fact]
    public Task DualSyncAsyncPath_IsSilent_OtherBranches_AreNot() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class Channel
        {
            private readonly SemaphoreSlim _signal = new(0);
            private readonly bool _useAsync;

            private async Task<int> WaitCoreAsync(bool sync, CancellationToken ct)
            {
                if (sync) _signal.Wait(ct); else await _signal.WaitAsync(ct);
                var n = !_useAsync ? File.ReadAllText("a").Length : (await File.ReadAllTextAsync("a")).Length;
                if (!sync)
                {
                    await _signal.WaitAsync(ct);
                }
                else
                {
                    _signal.Wait(ct);
                }

                return n;
            }

            private async Task FlushCoreAsync(bool sync, Stream stream)
            {
                if (sync)
                {
                    stream.Flush();
                    return;
                }

                await stream.FlushAsync();
            }

            private async Task NotAFlag(string path, Stream stream)
            {
                if (File.Exists(path)) {|#0:stream.Flush()|}; else await stream.FlushAsync();
                if (path.Length > 0)
                {
                    {|#1:stream.Flush()|};
                }

                await Task.Yield();
            }
        }
        """,
        Tw1004(0, "Stream.Flush", "async method 'NotAFlag'", "Stream.FlushAsync"),
        Tw1004(1, "Stream.Flush", "async method 'NotAFlag'", "Stream.FlushAsync"));

    // A mode enum instead of a bool (MySqlConnector's IOBehavior): compared with its Synchronous or
    // Asynchronous member it only picks the path. An enum that picks what to do is no dual path.
    [Fact]
    public Task DualPathPickedByAModeEnum_IsSilent_OtherEnumsAreNot() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Net;
        using System.Threading;
        using System.Threading.Tasks;

        enum IOBehavior { Synchronous, Asynchronous }
        enum Target { File, Network }

        class Pool
        {
            private readonly SemaphoreSlim _slots = new(4);

            public async Task<IPAddress[]> OpenAsync(IOBehavior ioBehavior, string host, CancellationToken ct)
            {
                if (ioBehavior == IOBehavior.Asynchronous)
                    await _slots.WaitAsync(ct);
                else
                    _slots.Wait(ct);

                if (ioBehavior != IOBehavior.Synchronous)
                {
                    await _slots.WaitAsync(ct);
                }
                else
                {
                    if (host.Length > 0)
                    {
                        _slots.Wait(ct);
                    }
                }

                return ioBehavior == IOBehavior.Asynchronous
                    ? await Dns.GetHostAddressesAsync(host)
                    : Dns.GetHostAddresses(host);
            }

            public async Task FlushAsync(Target target, Stream stream)
            {
                if (target == Target.File) {|#0:stream.Flush()|}; else await stream.FlushAsync();
            }
        }
        """,
        Tw1004(0, "Stream.Flush", "async method 'FlushAsync'", "Stream.FlushAsync"));

    // The async twin does its own asynchronous part, then calls the synchronous twin for the shared
    // tail. Nothing can be suggested, so the finding needs a blocking call the summary can name.
    [Fact]
    public Task TwinThatIsTheCaller_HandingOverToANonBlockingTail_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading.Tasks;

        interface IPool
        {
            void Return(Source source);
        }

        sealed class Source : IAsyncDisposable
        {
            private int _count;

            public void Reset() => _count = 0;

            public ValueTask DisposeAsync() => default;
        }

        static class Multiplexer
        {
            public static async ValueTask ReturnAsync(IPool pool, Source source)
            {
                await source.DisposeAsync().ConfigureAwait(false);
                Return(pool, source);
            }

            public static void Return(IPool pool, Source source)
            {
                source.Reset();
                pool.Return(source);
            }

            public static async Task SaveAsync(string path)
            {
                await Task.Yield();
                {|#0:Save(path)|};
            }

            public static void Save(string path) => Write(path);

            private static void Write(string path) => File.WriteAllText(path, "");
        }
        """, TwinIsCaller(0, "Multiplexer.Save", "async method 'SaveAsync'"));

    // PetaPoco's `BeginTransactionAsync`: `if (_connection is DbConnection async) { await …Async(); } else {
    // BeginTransaction(); }` — the async method does its asynchronous work in the other branch and falls
    // back to its synchronous twin where the connection has no async API. A twin call with no awaiting
    // branch beside it, or beside a branch that awaits only inside a lambda, is reported.
    [Fact]
    public Task TwinThatIsTheCaller_AsTheFallbackBesideTheAsyncPath_IsNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Data;
        using System.Data.Common;
        using System.Threading;
        using System.Threading.Tasks;

        class Database
        {
            private IDbConnection _connection;
            private IDbTransaction _transaction;

            public void BeginTransaction() { Thread.Sleep(1); _transaction = _connection.BeginTransaction(); }

            public async Task BeginTransactionAsync(CancellationToken token)
            {
                if (_connection is DbConnection asyncConnection)
                {
                    _transaction = await asyncConnection.BeginTransactionAsync(token);
                }
                else
                {
                    BeginTransaction();
                }
            }

            private bool _flag;

            public void Commit() { Thread.Sleep(1); }

            public async Task CommitAsync()
            {
                await Task.Yield();
                if (_flag)
                {
                    {|#0:Commit()|};
                }
                else
                {
                    Func<Task> later = async () => await Task.Yield();
                }
            }

            public void Close() { Thread.Sleep(1); }

            public async Task CloseAsync()
            {
                await Task.Yield();
                {|#1:Close()|};
            }
        }
        """, TwinIsCaller(0, "Database.Commit", "async method 'CommitAsync'"), TwinIsCaller(1, "Database.Close", "async method 'CloseAsync'"));

    // Insight.Database's `MergeAsync(this IDataReader reader, …)`: `if (reader is not DbDataReader) return
    // reader.Merge(items);` then the awaiting path. The extension twin of the call (declared in another class,
    // found through its reduced form) is the method it sits in: never suggested, and here the fallback before the async path. Without
    // the awaiting path after it, the call is reported as calling its own awaitable form.
    [Fact]
    public Task ExtensionTwinThatIsTheCaller_IsNeverSuggested_AndItsEarlyFallbackIsNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        public static partial class ReaderExtensions
        {
            public static int Merge(this TextReader reader) { Thread.Sleep(1); return 0; }

            public static async Task<int> MergeAsync(this TextReader reader)
            {
                if (reader is not StreamReader stream)
                {
                    return reader.Merge();
                }

                await stream.ReadLineAsync();
                return 1;
            }

            public static int Count(this TextReader reader) { Thread.Sleep(1); return 0; }

            public static async Task<int> CountAsync(this TextReader reader)
            {
                await Task.Yield();
                return {|#0:reader.Count()|};
            }

            public static async Task<IEnumerable<T>> CombineAsync<T>(this TextReader reader, IEnumerable<T> items)
            {
                await Task.Yield();
                return {|#1:reader.Combine(items)|};
            }
        }

        public static class ReaderSyncExtensions
        {
            public static IEnumerable<T> Combine<T>(this TextReader reader, IEnumerable<T> items) { Thread.Sleep(1); return items; }
        }
        """, TwinIsCaller(0, "ReaderExtensions.Count", "async method 'CountAsync'"), TwinIsCaller(1, "ReaderSyncExtensions.Combine", "async method 'CombineAsync'"));

    // The fallback beside the awaiting path while it is written: a type test on a missing type, an early
    // return without its value.
    [Fact]
    public Task BrokenFallbacksBesideTheAsyncPath_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Database
        {
            public void Begin() { Thread.Sleep(1); }

            public async Task BeginAsync(Missing connection)
            {
                if (connection is Unknown fast)
                {
                    await fast.BeginAsync(;
                }
                else
                {
                    Begin();
                }

                if (connection == null) return Begin(;
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task TwinThatIsTheMethodAroundTheLambda_IsNotSuggested() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class Store
        {
            public void Save() { System.Threading.Thread.Sleep(1); }

            public Task SaveAsync()
            {
                Func<Task> run = async () =>
                {
                    await Task.Yield();
                    {|#0:Save()|};
                };
                return run();
            }
        }
        """, TwinIsCaller(0, "Store.Save", "async lambda"));

    // PuppeteerSharp's connection: `GetSession(id) => _sessions.GetValueOrDefault(id)` beside a
    // GetSessionAsync that waits for the session to appear. A method of the project beside its twin is
    // looked into: a lookup blocks on nothing. One that blocks, calls an interface method of the project
    // or runs a callback is still reported.
    [Fact]
    public Task ProjectMethodsBesideTheirTwinThatBlockOnNothing_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        interface ITransport { void Send(string message); }

        class Connection
        {
            private readonly Dictionary<string, object> _sessions = new();
            private readonly ITransport _transport;
            public Func<string, string> OnRequest;

            public Connection(ITransport transport) => _transport = transport;

            internal object GetSession(string id) => _sessions.GetValueOrDefault(id);
            internal Task<object> GetSessionAsync(string id) => Task.FromResult(_sessions.GetValueOrDefault(id));

            internal void Send(string message) => _transport.Send(message);
            internal Task SendAsync(string message) => Task.CompletedTask;

            internal string Handle(string q) => OnRequest(q);
            internal Task<string> HandleAsync(string q) => Task.FromResult(q);

            internal void Flush() => Thread.Sleep(10);
            internal Task FlushAsync() => Task.Delay(10);

            async Task ProcessAsync(string id)
            {
                await Task.Yield();
                GetSession(id);
                {|#0:Send(id)|};
                {|#1:Handle(id)|};
                {|#2:Flush()|};
            }
        }
        """,
        Tw1004(0, "Connection.Send", "async method 'ProcessAsync'", "Connection.SendAsync"),
        Tw1004(1, "Connection.Handle", "async method 'ProcessAsync'", "Connection.HandleAsync"),
        Tw1004(2, "Connection.Flush", "async method 'ProcessAsync'", "Connection.FlushAsync"));

    // A generic twin whose constraints the call's type arguments do not meet is no twin: the
    // suggestion would not compile.
    [Fact]
    public Task GenericTwinWithUnmetConstraints_IsNotATwin() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        interface IEntity { }
        class Order : IEntity { }
        struct Point { }

        class Store
        {
            public T Load<T>() { System.Threading.Thread.Sleep(1); return default!; }
            public Task<T> LoadAsync<T>() where T : class, IEntity, new() => Task.FromResult(new T());

            async Task M()
            {
                var point = Load<Point>();
                var text = Load<string>();
                var order = {|#0:Load<Order>()|};
                await Task.Yield();
            }
        }
        """, Tw1004(0, "Store.Load", "async method 'M'", "Store.LoadAsync"));

    [Fact]
    public Task ZeroTimeoutsNamedOnce_AreNonBlockingPolls() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Poller
        {
            private static readonly TimeSpan NoWait = TimeSpan.Zero;
            private readonly int _poll = 0;
            private const int Immediately = 0;
            private readonly int _wait = 50;

            async Task M(SemaphoreSlim gate)
            {
                const int zero = 0;
                gate.Wait(NoWait);
                gate.Wait(_poll);
                gate.Wait(Immediately);
                gate.Wait(zero);
                {|#0:gate.Wait(_wait)|};
                await Task.Yield();
            }
        }
        """, Tw1004(0, "SemaphoreSlim.Wait", "async method 'M'", "SemaphoreSlim.WaitAsync"));

    // amqpnetlite's `CloseInternalAsync` registers for the close, then calls `CloseInternal(0, error)`:
    // a time to wait, named so (`waitMilliseconds`, `millisecondsToWait`), of zero does not wait. A library
    // timeout by another name is not read: zero means "forever" for some (a socket's ReceiveTimeout).
    [Fact]
    public Task ZeroTimeToWaitOfALibraryMethod_IsNotBlocking() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        public class Link
        {
            public void Close(int waitMilliseconds) { System.Threading.Thread.Sleep(1); }
            public async Task CloseAsync(int waitMilliseconds) => await Task.Delay(1);
            public void Flush(int millisecondsToWait) { System.Threading.Thread.Sleep(1); }
            public async Task FlushAsync(int millisecondsToWait) => await Task.Delay(1);
            public void Receive(int timeoutMs) { System.Threading.Thread.Sleep(1); }
            public async Task ReceiveAsync(int timeoutMs) => await Task.Delay(1);

        }

        class Client
        {
            async Task M(Link link)
            {
                await Task.Yield();
                link.Close(0);
                link.Flush(millisecondsToWait: 0);
                {|#0:link.Close(100)|};
                {|#1:link.Receive(0)|};
            }
        }
        """,
        Tw1004(0, "Link.Close", "async method 'M'", "Link.CloseAsync"),
        Tw1004(1, "Link.Receive", "async method 'M'", "Link.ReceiveAsync"));

    // A semaphore used as a lock (see TW1006's helpers) is still reported when an async method takes it
    // with Wait(): `await WaitAsync()` is right there.
    [Fact]
    public Task SemaphoreUsedAsALock_TakenWithWaitInAsyncCode_IsFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Store
        {
            private readonly SemaphoreSlim _gate = new(1, 1);
            private int _count;

            async Task<int> CountAsync()
            {
                await Task.Yield();
                {|#0:_gate.Wait()|};
                try { return _count; }
                finally { _gate.Release(); }
            }
        }
        """, Tw1004(0, "SemaphoreSlim.Wait", "async method 'CountAsync'", "SemaphoreSlim.WaitAsync"));

    // NeoSmart's AsyncLock: `if (timeout == TimeSpan.Zero) { _reentrancy.Wait(timeout); … }` — the timeout
    // the enclosing `if` has just tested equal to zero, never written in the method, is a poll too. Under
    // the else branch, after a write, or tested against another value, it may wait.
    [Fact]
    public Task ZeroTimeoutsTestedByTheEnclosingIf_AreNonBlockingPolls() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class Lock
        {
            private readonly SemaphoreSlim _reentrancy = new(1, 1);

            async Task<bool> TryObtainAsync(TimeSpan timeout, int millisecondsTimeout)
            {
                if (timeout == TimeSpan.Zero)
                {
                    _reentrancy.Wait(timeout);
                    _reentrancy.Release();
                    return true;
                }
                else
                {
                    {|#0:_reentrancy.Wait(timeout)|};
                }

                if (0 == millisecondsTimeout && timeout > TimeSpan.Zero)
                    _reentrancy.Wait(millisecondsTimeout);

                if (millisecondsTimeout == 1)
                    {|#1:_reentrancy.Wait(millisecondsTimeout)|};

                await Task.Yield();
                return false;
            }

            async Task Reassigned(TimeSpan timeout)
            {
                if (timeout == TimeSpan.Zero)
                {
                    {|#2:_reentrancy.Wait(timeout)|};
                }

                timeout = TimeSpan.FromSeconds(1);
                await Task.Yield();
            }
        }
        """,
        Tw1004(0, "SemaphoreSlim.Wait", "async method 'TryObtainAsync'", "SemaphoreSlim.WaitAsync"),
        Tw1004(1, "SemaphoreSlim.Wait", "async method 'TryObtainAsync'", "SemaphoreSlim.WaitAsync"),
        Tw1004(2, "SemaphoreSlim.Wait", "async method 'Reassigned'", "SemaphoreSlim.WaitAsync"));

    // ---- twins found by lookup, no list -------------------------------------------------------

    [Fact]
    public Task BclApisWithTwins_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Data.Common;
        using System.Diagnostics;
        using System.IO;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(string path, Stream stream, StreamReader reader, TextWriter writer, HttpClient client,
                         SemaphoreSlim gate, Process process, DbCommand command, CancellationToken ct)
            {
                var text = {|#0:File.ReadAllText(path)|};
                {|#1:File.WriteAllBytes(path, new byte[1])|};
                var buffer = new byte[16];
                var read = {|#2:stream.Read(buffer, 0, buffer.Length)|};
                {|#3:stream.Flush()|};
                var all = {|#4:reader.ReadToEnd()|};
                {|#5:writer.WriteLine("x")|};
                using var response = {|#6:client.Send(new HttpRequestMessage())|};
                {|#7:gate.Wait()|};
                var entered = {|#8:gate.Wait(100)|};
                {|#9:gate.Wait(ct)|};
                {|#10:process.WaitForExit()|};
                var rows = {|#11:command.ExecuteNonQuery()|};
                await Task.Yield();
            }
        }
        """,
        Tw1004(0, "File.ReadAllText", "async method 'M'", "File.ReadAllTextAsync"),
        Tw1004(1, "File.WriteAllBytes", "async method 'M'", "File.WriteAllBytesAsync"),
        Tw1004(2, "Stream.Read", "async method 'M'", "Stream.ReadAsync"),
        Tw1004(3, "Stream.Flush", "async method 'M'", "Stream.FlushAsync"),
        Tw1004(4, "StreamReader.ReadToEnd", "async method 'M'", "StreamReader.ReadToEndAsync"),
        Tw1004(5, "TextWriter.WriteLine", "async method 'M'", "TextWriter.WriteLineAsync"),
        Tw1004(6, "HttpClient.Send", "async method 'M'", "HttpClient.SendAsync"),
        Tw1004(7, "SemaphoreSlim.Wait", "async method 'M'", "SemaphoreSlim.WaitAsync"),
        Tw1004(8, "SemaphoreSlim.Wait", "async method 'M'", "SemaphoreSlim.WaitAsync"),
        Tw1004(9, "SemaphoreSlim.Wait", "async method 'M'", "SemaphoreSlim.WaitAsync"),
        Tw1004(10, "Process.WaitForExit", "async method 'M'", "Process.WaitForExitAsync"),
        Tw1004(11, "DbCommand.ExecuteNonQuery", "async method 'M'", "DbCommand.ExecuteNonQueryAsync"));

    [Fact]
    public Task UserTypesAndExtensionTwins_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        class Repository
        {
            public int Load(int id) { System.Threading.Thread.Sleep(1); return id; }
            public Task<int> LoadAsync(int id, CancellationToken cancellationToken = default) => Task.FromResult(id);
            public static void Save(string s) { System.Threading.Thread.Sleep(1); }
            public static ValueTask SaveAsync(string s) => default;
        }

        static class QueryExtensions
        {
            public static Task<List<T>> ToListAsync<T>(this IQueryable<T> source, CancellationToken cancellationToken = default)
                => Task.FromResult(source.ToList());
        }

        class C
        {
            async Task M(Repository repository, IQueryable<int> query)
            {
                var x = {|#0:repository.Load(1)|};
                {|#1:Repository.Save("a")|};
                var list = {|#2:query.ToList()|};
                Func<Task> lambda = async () => {|#3:Repository.Save("b")|};
                _ = Local();
                await Task.Yield();

                async Task Local() { {|#4:repository.Load(2)|}; await Task.Yield(); }
            }
        }
        """,
        Tw1004(0, "Repository.Load", "async method 'M'", "Repository.LoadAsync"),
        Tw1004(1, "Repository.Save", "async method 'M'", "Repository.SaveAsync"),
        Tw1004(2, "Enumerable.ToList", "async method 'M'", "QueryExtensions.ToListAsync"),
        Tw1004(3, "Repository.Save", "async lambda", "Repository.SaveAsync"),
        Tw1004(4, "Repository.Load", "async local function 'Local'", "Repository.LoadAsync"));

    [Fact]
    public Task InstanceCallsWithExtensionTwins_AndExtensionCallsWithInstanceTwins_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Client
        {
            public string Get(string path) { System.Threading.Thread.Sleep(1); return path; }
            public string Head(string path) { System.Threading.Thread.Sleep(1); return path; }
        }

        class Repo
        {
            public Task<int> CountAsync(CancellationToken cancellationToken = default) => Task.FromResult(0);
        }

        static class ClientExtensions
        {
            public static Task<string> GetAsync(this Client client, string path, CancellationToken cancellationToken = default) => Task.FromResult(path);

            // Not a twin: other parameters.
            public static Task<string> HeadAsync(this Client client, int retries) => Task.FromResult("");

            public static int Count(this Repo repo) { System.Threading.Thread.Sleep(1); return 0; }
        }

        class C
        {
            async Task M(Client client, Repo repo)
            {
                var a = {|#0:client.Get("/")|};
                var b = client.Head("/");
                var n = {|#1:repo.Count()|};
                await Task.Yield();
            }
        }
        """,
        Tw1004(0, "Client.Get", "async method 'M'", "ClientExtensions.GetAsync"),
        Tw1004(1, "ClientExtensions.Count", "async method 'M'", "Repo.CountAsync"));

    [Fact]
    public Task Fix_UsesExtensionAndInstanceTwins() => VerifyFix.CodeFixAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Client
        {
            public string Get(string path) { System.Threading.Thread.Sleep(1); return path; }
        }

        class Repo
        {
            public Task<int> CountAsync(CancellationToken cancellationToken = default) => Task.FromResult(0);
        }

        static class ClientExtensions
        {
            public static Task<string> GetAsync(this Client client, string path, CancellationToken cancellationToken = default) => Task.FromResult(path);

            public static int Count(this Repo repo) { System.Threading.Thread.Sleep(1); return 0; }
        }

        class C
        {
            async Task M(Client client, Repo repo, CancellationToken token)
            {
                var a = {|#0:client.Get("/")|};
                var n = {|#1:repo.Count()|};
            }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;

        class Client
        {
            public string Get(string path) { System.Threading.Thread.Sleep(1); return path; }
        }

        class Repo
        {
            public Task<int> CountAsync(CancellationToken cancellationToken = default) => Task.FromResult(0);
        }

        static class ClientExtensions
        {
            public static Task<string> GetAsync(this Client client, string path, CancellationToken cancellationToken = default) => Task.FromResult(path);

            public static int Count(this Repo repo) { System.Threading.Thread.Sleep(1); return 0; }
        }

        class C
        {
            async Task M(Client client, Repo repo, CancellationToken token)
            {
                var a = await client.GetAsync("/", token);
                var n = await repo.CountAsync(token);
            }
        }
        """,
        Tw1004(0, "Client.Get", "async method 'M'", "ClientExtensions.GetAsync"),
        Tw1004(1, "ClientExtensions.Count", "async method 'M'", "Repo.CountAsync"));

    [Fact]
    public Task BlockingApisWithoutTwin_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Concurrent;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Thread thread, WaitHandle handle, Mutex mutex, WaitHandle[] handles, object gate,
                         BlockingCollection<int> queue, CountdownEvent countdown, Barrier barrier, ManualResetEventSlim signal)
            {
                {|#0:thread.Join()|};
                {|#1:handle.WaitOne()|};
                {|#2:mutex.WaitOne(1000)|};
                {|#3:WaitHandle.WaitAll(handles)|};
                {|#4:Monitor.Wait(gate)|};
                var item = {|#5:queue.Take()|};
                {|#6:queue.Add(1)|};
                {|#7:countdown.Wait()|};
                {|#8:barrier.SignalAndWait()|};
                {|#9:signal.Wait()|};
                await Task.Yield();
            }
        }
        """,
        Tw1004(0, "Thread.Join", "async method 'M'", null),
        Tw1004(1, "WaitHandle.WaitOne", "async method 'M'", null),
        Tw1004(2, "WaitHandle.WaitOne", "async method 'M'", null),
        Tw1004(3, "WaitHandle.WaitAll", "async method 'M'", null),
        Tw1004(4, "Monitor.Wait", "async method 'M'", null),
        Tw1004(5, "BlockingCollection.Take", "async method 'M'", null),
        Tw1004(6, "BlockingCollection.Add", "async method 'M'", null),
        Tw1004(7, "CountdownEvent.Wait", "async method 'M'", null),
        Tw1004(8, "Barrier.SignalAndWait", "async method 'M'", null),
        Tw1004(9, "ManualResetEventSlim.Wait", "async method 'M'", null));

    // Only a bounded BlockingCollection that is full makes Add wait. A receive loop adding to its own
    // `[]` or `new BlockingCollection<T>()` never blocks there; a bounded one, a parameter (its capacity
    // unknown) or a field another type may replace is reported.
    [Fact]
    public Task AddToAnUnboundedBlockingCollection_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Concurrent;
        using System.Threading.Tasks;

        class Receiver
        {
            private BlockingCollection<byte[]> Packets { get; }
            private readonly BlockingCollection<int> _queued = new(new ConcurrentQueue<int>());
            private readonly BlockingCollection<int> _bounded = new(boundedCapacity: 10);
            internal BlockingCollection<int> Shared = new();

            public Receiver() => Packets = [];

            async Task Loop(BlockingCollection<int> given)
            {
                var local = new BlockingCollection<int>();
                await Task.Yield();
                Packets.Add(new byte[1]);
                _queued.Add(1);
                local.Add(1);
                {|#0:_bounded.Add(1)|};
                {|#1:given.Add(1)|};
                {|#2:Shared.Add(1)|};
            }
        }
        """,
        Tw1004(0, "BlockingCollection.Add", "async method 'Loop'", null),
        Tw1004(1, "BlockingCollection.Add", "async method 'Loop'", null),
        Tw1004(2, "BlockingCollection.Add", "async method 'Loop'", null));

    // ARSoft.Tools.Net's parallel DNS queries hand `results = new BlockingCollection<T>()` to a private
    // helper per server, from a lambda (`servers.Select(s => SendAsync(s, results))`): every call passes an
    // unbounded collection, so the helper's Add never waits. A helper one caller hands a bounded
    // collection, one that assigns its parameter, and a public one (callers elsewhere) are reported.
    [Fact]
    public Task AddToAParameterEveryCallerFillsUnbounded_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Concurrent;
        using System.Linq;
        using System.Threading.Tasks;

        public class Client
        {
            public Task QueryAsync(string[] servers)
            {
                var results = new BlockingCollection<string>();
                var bounded = new BlockingCollection<string>(4);
                var tasks = servers.Select(s => SendAsync(s, results)).ToList();
                tasks.Add(ForwardAsync(results));
                tasks.Add(MixedAsync(results));
                tasks.Add(MixedAsync(bounded));
                tasks.Add(ReplacedAsync(results));
                return Task.WhenAll(tasks);
            }

            private async Task SendAsync(string server, BlockingCollection<string> results)
            {
                await Task.Yield();
                results.Add(server);
            }

            private async Task ForwardAsync(BlockingCollection<string> results)
            {
                await SendAsync("x", results);
                results.Add("y");
            }

            private async Task MixedAsync(BlockingCollection<string> results)
            {
                await Task.Yield();
                {|#0:results.Add("z")|};
            }

            private async Task ReplacedAsync(BlockingCollection<string> results)
            {
                await Task.Yield();
                results = new BlockingCollection<string>(1);
                {|#1:results.Add("w")|};
            }

            public async Task PublicAsync(BlockingCollection<string> results)
            {
                await Task.Yield();
                {|#2:results.Add("v")|};
            }
        }
        """,
        Tw1004(0, "BlockingCollection.Add", "async method 'MixedAsync'", null),
        Tw1004(1, "BlockingCollection.Add", "async method 'ReplacedAsync'", null),
        Tw1004(2, "BlockingCollection.Add", "async method 'PublicAsync'", null));

    // The Couchbase client keeps "async" facades beside its lookups: `ScopeAsync(n) => new(Scope(n))`,
    // `ValueTask.FromResult(Collection(n))`, one forwarding to another, an async one awaiting only such
    // facades. Awaiting them runs the same synchronous code, so the lookup beside them is not reported.
    // A twin that really awaits (in any implementation), one over a task, and one that is only a stub
    // (`=> Task.CompletedTask` everywhere: work to come, not a facade) still are.
    [Fact]
    public Task CallBesideATwinThatNeverRunsAsynchronously_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Concurrent;
        using System.Threading;
        using System.Threading.Tasks;

        public interface IScope { string Collection(string name); ValueTask<string> CollectionAsync(string name); }

        public interface IBucket
        {
            IScope Scope(string name);
            ValueTask<IScope> ScopeAsync(string name);
            IScope DefaultScope();
            ValueTask<IScope> DefaultScopeAsync();
            string Collection(string name);
            ValueTask<string> CollectionAsync(string name);
            IScope Load();
            Task<IScope> LoadAsync();
            void Flush();
            Task FlushAsync();
            string Peek();
            ValueTask<string> PeekAsync();
        }

        sealed class Scope : IScope
        {
            public string Collection(string name) => name;
            public ValueTask<string> CollectionAsync(string name) => new ValueTask<string>(Collection(name));
        }

        abstract class BucketBase : IBucket
        {
            private readonly ConcurrentDictionary<string, IScope> _scopes = new();
            private readonly Task<string> _peeked = Task.Run(() => "x");

            public IScope Scope(string name) => _scopes.GetOrAdd(name, _ => new Scope());
            public ValueTask<IScope> ScopeAsync(string name) => new(Scope(name));
            public IScope DefaultScope() => Scope("_default");
            public ValueTask<IScope> DefaultScopeAsync() => ScopeAsync("_default");
            public string Collection(string name) => DefaultScope().Collection(name);
            public async ValueTask<string> CollectionAsync(string name)
            {
                var scope = await DefaultScopeAsync().ConfigureAwait(false);
                return await scope.CollectionAsync(name).ConfigureAwait(false);
            }
            public IScope Load() => Scope("loaded");
            public abstract Task<IScope> LoadAsync();
            public void Flush() { }
            public Task FlushAsync() => Task.CompletedTask;
            public string Peek() => _peeked.Result;
            public ValueTask<string> PeekAsync() => new(_peeked);
        }

        sealed class LocalBucket : BucketBase
        {
            public override Task<IScope> LoadAsync() => Task.FromResult(Load());
        }

        sealed class RemoteBucket : BucketBase
        {
            public override async Task<IScope> LoadAsync() { await Task.Delay(10); return Load(); }
        }

        class Transactions
        {
            async Task<string> GetAsync(IBucket bucket, IScope scope)
            {
                await Task.Yield();
                var a = bucket.Scope("s").Collection("c");
                var b = bucket.DefaultScope();
                var c = bucket.Collection("c");
                var d = scope.Collection("c");
                var e = {|#0:bucket.Load()|};
                {|#1:bucket.Flush()|};
                var f = {|#2:bucket.Peek()|};
                return a + b + c + d + e + f;
            }
        }
        """,
        Tw1004(0, "IBucket.Load", "async method 'GetAsync'", "IBucket.LoadAsync"),
        Tw1004(1, "IBucket.Flush", "async method 'GetAsync'", "IBucket.FlushAsync"),
        Tw1004(2, "IBucket.Peek", "async method 'GetAsync'", "IBucket.PeekAsync"));

    // NuGet's package readers: `PackageReaderBase.GetFilesAsync() => Task.FromResult(GetFiles())`, which the
    // zip reader inherits, while a plugin reader overrides it with real I/O. On a receiver whose class runs
    // the synchronous wrapper — inherited, or a sealed class's own — awaiting the twin runs the same code.
    // Typed as the base, as a class a subclass overrides with real work, or as the interface (a call through it
    // runs the plugin reader's override, not the base's wrapper that implements the interface), the call may
    // reach the asynchronous body and is reported.
    [Fact]
    public Task TwinTheReceiversClassRunsSynchronously_IsNoTwin() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.IO;
        using System.Threading.Tasks;

        public interface IReader { IEnumerable<string> GetFiles(); Task<IEnumerable<string>> GetFilesAsync(); }

        public abstract class ReaderBase : IReader
        {
            public abstract IEnumerable<string> GetFiles();
            public virtual Task<IEnumerable<string>> GetFilesAsync() => Task.FromResult(GetFiles());
            public virtual string GetIdentity() => "id";
            public virtual Task<string> GetIdentityAsync() => Task.FromResult(GetIdentity());
        }

        public class ArchiveReader : ReaderBase
        {
            public override IEnumerable<string> GetFiles() => File.ReadAllLines("a");
        }

        public sealed class SealedArchiveReader : ReaderBase
        {
            public override IEnumerable<string> GetFiles() => File.ReadAllLines("b");
            public override Task<string> GetIdentityAsync() => Task.FromResult(GetIdentity());
        }

        public class FolderReader : ReaderBase
        {
            public override IEnumerable<string> GetFiles() => File.ReadAllLines("c");
        }

        public sealed class RemoteFolderReader : FolderReader
        {
            public override async Task<IEnumerable<string>> GetFilesAsync() { await Task.Delay(1); return new[] { "r" }; }
        }

        public sealed class PluginReader : ReaderBase
        {
            public override IEnumerable<string> GetFiles() => File.ReadAllLines("d");
            public override async Task<IEnumerable<string>> GetFilesAsync() { await Task.Delay(1); return new[] { "r" }; }
        }

        class Extractor
        {
            async Task<int> M(ArchiveReader archive, SealedArchiveReader sealedArchive, FolderReader folder, ReaderBase any, IReader reader)
            {
                await Task.Yield();
                var n = 0;
                foreach (var f in archive.GetFiles()) n++;
                foreach (var f in sealedArchive.GetFiles()) n++;
                var id = archive.GetIdentity() + sealedArchive.GetIdentity();
                foreach (var f in {|#0:folder.GetFiles()|}) n++;
                foreach (var f in {|#1:any.GetFiles()|}) n++;
                foreach (var f in {|#2:reader.GetFiles()|}) n++;
                return n + id.Length;
            }
        }
        """,
        Tw1004(0, "FolderReader.GetFiles", "async method 'M'", "ReaderBase.GetFilesAsync"),
        Tw1004(1, "ReaderBase.GetFiles", "async method 'M'", "ReaderBase.GetFilesAsync"),
        Tw1004(2, "IReader.GetFiles", "async method 'M'", "IReader.GetFilesAsync"));

    // The receiver's class question, asked where the class derives from a type that does not bind, where the
    // inherited wrapper is half-typed, and where the receiver does not bind.
    [Fact]
    public Task BrokenReceiverClasses_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Collections.Generic;
        using System.IO;
        using System.Threading.Tasks;

        public abstract class ReaderBase
        {
            public virtual IEnumerable<string> GetFiles() => File.ReadAllLines("x");
            public virtual Task<IEnumerable<string>> GetFilesAsync() => Task.FromResult(GetFiles(;
        }

        public class ArchiveReader : ReaderBase, Missing { }
        public class Orphan : MissingBase { public IEnumerable<string> GetFiles() => File.ReadAllLines("y"); }

        class Extractor
        {
            async Task M(ArchiveReader archive, Orphan orphan)
            {
                await Task.Yield();
                archive.GetFiles();
                orphan.GetFiles();
                missing.GetFiles();
            }
        }
        """);

    // The twin question, asked where an implementation is half-typed: in doubt, the twin is asynchronous.
    [Fact]
    public Task BrokenTwinBodies_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading.Tasks;

        public interface IBucket { string Scope(string name); ValueTask<string> ScopeAsync(string name); }

        sealed class Bucket : IBucket
        {
            public string Scope(string name) => name;
            public ValueTask<string> ScopeAsync(string name) => new(Missing(name);
        }

        class User
        {
            async Task M(IBucket bucket) { await Task.Yield(); var s = {|#0:bucket.Scope("x")|}; }
        }
        """,
        Tw1004(0, "IBucket.Scope", "async method 'M'", "IBucket.ScopeAsync"));

    // The Azure Relay client's web-socket helper: `ReadMessageAsync(socket, buffer, destination, token)`
    // writes each fragment with `destination.Write(…)`, and its one caller passes `Stream body = null; if
    // (hasBody) body = new MemoryStream(size);`. A stream parameter of a method only the assembly calls,
    // never reassigned, that every call hands memory, is memory. A public method, a caller that passes a
    // file, a parameter the method reassigns, or a method also used as a method group is reported.
    [Fact]
    public Task StreamParameterEveryCallFillsWithMemory_IsInMemory() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading.Tasks;

        static class Utility
        {
            internal static async Task<int> ReadMessageAsync(Func<Task<byte[]>> receive, Stream destination)
            {
                var fragment = await receive();
                destination.Write(fragment, 0, fragment.Length);
                return fragment.Length;
            }

            internal static async Task CopyAsync(Func<Task<byte[]>> receive, Stream destination)
            {
                var fragment = await receive();
                {|#0:destination.Write(fragment, 0, fragment.Length)|};
            }

            internal static async Task GroupAsync(Func<Task<byte[]>> receive, Stream destination)
            {
                var fragment = await receive();
                {|#3:destination.Write(fragment, 0, fragment.Length)|};
            }

            internal static async Task ReassignedAsync(Func<Task<byte[]>> receive, Stream destination)
            {
                var fragment = await receive();
                destination ??= File.OpenWrite("x");
                {|#2:destination.Write(fragment, 0, fragment.Length)|};
            }
        }

        public static class PublicUtility
        {
            public static async Task PublicAsync(Func<Task<byte[]>> receive, Stream destination)
            {
                var fragment = await receive();
                {|#1:destination.Write(fragment, 0, fragment.Length)|};
            }
        }

        class Connection
        {
            async Task ReceiveAsync(Func<Task<byte[]>> receive, bool hasBody)
            {
                Stream body = null;
                if (hasBody)
                {
                    body = new MemoryStream(4096);
                    await Utility.ReadMessageAsync(receive, body);
                }

                await Utility.ReadMessageAsync(receive, new MemoryStream());
                await Utility.CopyAsync(receive, new MemoryStream());
                await Utility.CopyAsync(receive, File.OpenWrite("log"));
                await PublicUtility.PublicAsync(receive, new MemoryStream());
                await Utility.ReassignedAsync(receive, new MemoryStream());
                await Utility.GroupAsync(receive, new MemoryStream());
                Func<Func<Task<byte[]>>, Stream, Task> later = Utility.GroupAsync;
            }
        }
        """,
        Tw1004(0, "Stream.Write", "async method 'CopyAsync'", "Stream.WriteAsync"),
        Tw1004(1, "Stream.Write", "async method 'PublicAsync'", "Stream.WriteAsync"),
        Tw1004(2, "Stream.Write", "async method 'ReassignedAsync'", "Stream.WriteAsync"),
        Tw1004(3, "Stream.Write", "async method 'GroupAsync'", "Stream.WriteAsync"));

    // The Firebird provider's blob: `internal sealed class GdsBlob : BlobBase` overrides `GetSegmentAsync(Stream)`,
    // which the internal base calls with its MemoryStream. Calls of the base dispatch to the override, and
    // no other assembly can make them. An override of a public base, or one an interface hands out, may be
    // called from anywhere: reported.
    [Fact]
    public Task StreamParameterOfAnOverrideEveryCallFillsWithMemory_IsInMemory() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading.Tasks;

        internal abstract class BlobBase
        {
            public async Task<byte[]> ReadAsync()
            {
                using (var ms = new MemoryStream())
                {
                    await GetSegmentAsync(ms);
                    return ms.ToArray();
                }
            }

            public abstract Task GetSegmentAsync(Stream stream);
        }

        internal sealed class GdsBlob : BlobBase
        {
            public override async Task GetSegmentAsync(Stream stream)
            {
                var buffer = await Task.FromResult(new byte[4]);
                stream.Write(buffer, 0, buffer.Length);
            }
        }

        public abstract class PublicBlob
        {
            public async Task FillAsync() => await GetSegmentAsync(new MemoryStream());

            public abstract Task GetSegmentAsync(Stream stream);
        }

        internal sealed class PublicGdsBlob : PublicBlob
        {
            public override async Task GetSegmentAsync(Stream stream)
            {
                var buffer = await Task.FromResult(new byte[4]);
                {|#0:stream.Write(buffer, 0, buffer.Length)|};
            }
        }

        internal interface ISegments { Task GetSegmentAsync(Stream stream); }

        internal sealed class InterfaceBlob : BlobBase, ISegments
        {
            public override async Task GetSegmentAsync(Stream stream)
            {
                var buffer = await Task.FromResult(new byte[4]);
                {|#1:stream.Write(buffer, 0, buffer.Length)|};
            }
        }
        """,
        Tw1004(0, "Stream.Write", "async method 'GetSegmentAsync'", "Stream.WriteAsync"),
        Tw1004(1, "Stream.Write", "async method 'GetSegmentAsync'", "Stream.WriteAsync"));

    // The stream-parameter question, asked where a call of the method is half-typed: in doubt, not memory.
    [Fact]
    public Task BrokenCallsOfAStreamParameterMethod_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System;
        using System.IO;
        using System.Threading.Tasks;

        static class Utility
        {
            internal static async Task CopyAsync(Func<Task<byte[]>> receive, Stream destination)
            {
                var fragment = await receive();
                {|#0:destination.Write(fragment, 0, fragment.Length)|};
            }
        }

        class Connection
        {
            async Task ReceiveAsync(Func<Task<byte[]>> receive)
            {
                await Utility.CopyAsync(receive, new MemoryStream());
                await Utility.CopyAsync(receive, missing);
            }
        }
        """,
        Tw1004(0, "Stream.Write", "async method 'CopyAsync'", "Stream.WriteAsync"));

    // A "used in test only" internal constructor that injects the queue (the Neo4j driver's connection
    // pool): nothing in the assembly calls it, so the queue is always the unbounded one. Called in any
    // form — `new`, target-typed `new(…)`, `this(…)`, a derived class's `base(…)`, through an alias — or
    // public, its assignment counts again.
    [Fact]
    public Task AssignmentInAnUncalledInternalConstructor_DoesNotCount() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Concurrent;
        using System.Threading.Tasks;
        using Aliased = ViaAlias;

        class Pool
        {
            private readonly BlockingCollection<int> _idle = new();
            public Pool() { }
            // Used in test only
            internal Pool(string name, BlockingCollection<int> idle = null) : this() => _idle = idle ?? new BlockingCollection<int>();
            async Task Release() { await Task.Yield(); _idle.Add(1); }
        }

        class CalledByNew
        {
            private readonly BlockingCollection<int> _idle = new();
            internal CalledByNew(BlockingCollection<int> idle) => _idle = idle;
            async Task Release() { await Task.Yield(); {|#0:_idle.Add(1)|}; }
        }

        class CalledTargetTyped
        {
            private readonly BlockingCollection<int> _idle = new();
            internal CalledTargetTyped(BlockingCollection<int> idle) => _idle = idle;
            async Task Release() { await Task.Yield(); {|#1:_idle.Add(1)|}; }
        }

        class CalledByThis
        {
            private readonly BlockingCollection<int> _idle = new();
            public CalledByThis() : this(new BlockingCollection<int>(1)) { }
            internal CalledByThis(BlockingCollection<int> idle) => _idle = idle;
            async Task Release() { await Task.Yield(); {|#2:_idle.Add(1)|}; }
        }

        class CalledByBase
        {
            private readonly BlockingCollection<int> _idle = new();
            internal CalledByBase(BlockingCollection<int> idle) => _idle = idle;
            async Task Release() { await Task.Yield(); {|#3:_idle.Add(1)|}; }
        }

        class Derived : CalledByBase
        {
            public Derived() : base(new BlockingCollection<int>(1)) { }
        }

        class ViaAlias
        {
            private readonly BlockingCollection<int> _idle = new();
            internal ViaAlias(BlockingCollection<int> idle) => _idle = idle;
            async Task Release() { await Task.Yield(); {|#4:_idle.Add(1)|}; }
        }

        class PublicOne
        {
            private readonly BlockingCollection<int> _idle = new();
            public PublicOne(BlockingCollection<int> idle) => _idle = idle;
            async Task Release() { await Task.Yield(); {|#5:_idle.Add(1)|}; }
        }

        class Factory
        {
            CalledByNew A() => new CalledByNew(new BlockingCollection<int>(1));
            CalledTargetTyped B() => new(new BlockingCollection<int>(1));
            object C() => new Aliased(new BlockingCollection<int>(1));
        }
        """,
        Tw1004(0, "BlockingCollection.Add", "async method 'Release'", null),
        Tw1004(1, "BlockingCollection.Add", "async method 'Release'", null),
        Tw1004(2, "BlockingCollection.Add", "async method 'Release'", null),
        Tw1004(3, "BlockingCollection.Add", "async method 'Release'", null),
        Tw1004(4, "BlockingCollection.Add", "async method 'Release'", null),
        Tw1004(5, "BlockingCollection.Add", "async method 'Release'", null));

    // The "is this collection unbounded" question, asked where its creation or assignment is half-typed.
    [Fact]
    public Task BrokenBlockingCollections_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Collections.Concurrent;
        using System.Threading.Tasks;

        class Receiver
        {
            private BlockingCollection<int> Packets { get; }
            private readonly BlockingCollection<int> _other = new(;

            public Receiver() => Packets = Missing.Create();

            async Task Loop()
            {
                await Task.Yield();
                {|#0:Packets.Add(1)|};
                _other.Add(1);
            }
        }
        """,
        // An assignment that does not bind proves nothing; a creation left half-typed binds to the
        // parameterless constructor.
        Tw1004(0, "BlockingCollection.Add", "async method 'Loop'", null));

    // A call of the internal constructor that does not bind yet (an argument missing) is still a call.
    [Fact]
    public Task BrokenCallOfAnInternalConstructor_CountsAsACall() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Collections.Concurrent;
        using System.Threading.Tasks;

        class Pool
        {
            private readonly BlockingCollection<int> _idle = new();
            internal Pool(BlockingCollection<int> idle, int size) => _idle = idle;
            async Task Release() { await Task.Yield(); {|#0:_idle.Add(1)|}; }
        }

        class User
        {
            object Make() => new Pool(new BlockingCollection<int>(1));
        }
        """,
        Tw1004(0, "BlockingCollection.Add", "async method 'Release'", null));

    // ---- false-positive traps ------------------------------------------------------------------

    [Fact]
    public Task LookAlikesAndKnownTraps_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;
        using System.Xml;

        namespace Microsoft.EntityFrameworkCore
        {
            public class DbSet<T> { public void Add(T item) { } public ValueTask AddAsync(T item, CancellationToken ct = default) => default; }
            public class DbContext { public void AddRange(params object[] items) { } public Task AddRangeAsync(params object[] items) => Task.CompletedTask; }
        }

        class Store
        {
            public void Refresh() { System.Threading.Thread.Sleep(1); }
            public Task RefreshAsync(int id) => Task.CompletedTask;        // parameters differ
            public int Count() { System.Threading.Thread.Sleep(1); return 0; }
            public Task CountAsync() => Task.CompletedTask;                // result lost
            public void Old() { System.Threading.Thread.Sleep(1); }
            [Obsolete] public Task OldAsync() => Task.CompletedTask;       // obsolete twin
            public Task Fresh() => Task.CompletedTask;                     // already awaitable
            public Task FreshAsync() => Task.CompletedTask;
        }

        class Other
        {
            public void Hidden() { System.Threading.Thread.Sleep(1); }
            private Task HiddenAsync() => Task.CompletedTask;              // not visible to callers
        }

        class C
        {
            void Sync(string path) => File.ReadAllText(path);

            async Task M(Store store, Other other, SemaphoreSlim gate, Thread thread, MemoryStream memory, StringReader text,
                         Microsoft.EntityFrameworkCore.DbSet<int> set, Microsoft.EntityFrameworkCore.DbContext db,
                         CancellationTokenSource cts, Stream stream, XmlReader xml)
            {
                store.Refresh();
                store.Count();
                store.Old();
                await store.Fresh();
                other.Hidden();
                var got = gate.Wait(0);
                var gotToo = gate.Wait(TimeSpan.Zero);
                var ended = thread.Join(0);
                memory.Read(new byte[4], 0, 4);
                memory.Flush();
                text.ReadToEnd();
                set.Add(1);
                db.AddRange(1, 2);
                cts.Cancel();
                stream.Dispose();
                xml.Read();
                Action later = () => File.ReadAllText("x");
                Console.Out.WriteLine("progress");
                Console.Error.WriteLine("warning");
                await Task.Yield();
            }
        }
        """);

    // Flushing a wrapper around a memory stream writes into memory; around a file it is I/O.
    [Fact]
    public Task WrappersOfInMemoryStreams_AreNotFlagged_WrappersOfFilesAre() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Security.Cryptography;
        using System.Threading.Tasks;

        class Codec
        {
            async Task Encrypt(byte[] bytes, ICryptoTransform encryptor, FileStream file)
            {
                using var destination = new MemoryStream();
                var crypto = new CryptoStream(destination, encryptor, CryptoStreamMode.Write);
                await crypto.WriteAsync(bytes, 0, bytes.Length);
                crypto.FlushFinalBlock();

                var toFile = new CryptoStream(file, encryptor, CryptoStreamMode.Write);
                await toFile.WriteAsync(bytes, 0, bytes.Length);
                {|#0:toFile.FlushFinalBlock()|};
            }
        }
        """, Tw1004(0, "CryptoStream.FlushFinalBlock", "async method 'Encrypt'", "CryptoStream.FlushFinalBlockAsync"));

    // MimeKit's MemoryBlockStream (used throughout MailKit) keeps its bytes in memory blocks; a stream
    // of the same shape in another namespace, which may spill to another stream, is not known to be in memory.
    [Fact]
    public Task MimeKitMemoryBlockStream_IsInMemory() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading.Tasks;

        namespace MimeKit.IO
        {
            public class MemoryBlockStream : MemoryLikeStream { }
        }

        public class MemoryLikeStream : Stream
        {
            private Stream? _spill;
            public override bool CanRead => true;
            public override bool CanSeek => true;
            public override bool CanWrite => true;
            public override long Length => 0;
            public override long Position { get; set; }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => 0;
            public override long Seek(long offset, SeekOrigin origin) => 0;
            public override void SetLength(long value) { }
            public override void Write(byte[] buffer, int offset, int count) { }
        }

        class Pop3
        {
            async Task Copy(Stream data, byte[] buffer)
            {
                var blocks = new MimeKit.IO.MemoryBlockStream();
                int read;
                while ((read = await data.ReadAsync(buffer, 0, buffer.Length)) > 0)
                {
                    blocks.Write(buffer, 0, read);
                }

                var other = new MemoryLikeStream();
                {|#0:other.Write(buffer, 0, 1)|};
            }
        }
        """, Tw1004(0, "MemoryLikeStream.Write", "async method 'Copy'", "Stream.WriteAsync"));

    // MailKit's and FluentFTP's proxy clients: clean-up on the way to an exception (a catch that
    // rethrows, a branch or switch section that ends by throwing) runs once. A catch that recovers (a
    // fallback read), or a loop that may repeat the call, is reported.
    [Fact]
    public Task CleanupBeforeARethrow_IsNotFlagged_ARecoveringCatchIs() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Net.Sockets;
        using System.Threading.Tasks;

        class Proxy
        {
            async Task<Stream> ConnectAsync(Socket socket, string host)
            {
                try
                {
                    await socket.ConnectAsync(host, 80);
                    return new NetworkStream(socket, true);
                }
                catch
                {
                    if (socket.Connected)
                        socket.Disconnect(false);
                    socket.Dispose();
                    throw;
                }
            }

            // FluentFTP's SOCKS proxy: close, then throw, in a branch or a switch section.
            async Task NegotiateAsync(Stream stream, byte[] buffer, int kind)
            {
                var read = await stream.ReadAsync(buffer, 0, 2);
                if (read != 2)
                {
                    stream.Close();
                    throw new IOException("short reply");
                }

                switch (kind)
                {
                    case 0:
                        break;
                    default:
                        stream.Close();
                        throw new NotSupportedException("method " + kind);
                }

                while (read-- > 0)
                {
                    {|#1:stream.Flush()|};
                    if (read == 5) throw new IOException("loop");
                }
            }

            // Validate-then-throw at the end: the read is the working path, not clean-up.
            async Task<int> ParseAsync(string path)
            {
                await Task.Yield();
                var text = {|#2:File.ReadAllText(path)|};
                if (int.TryParse(text, out var value))
                {
                    return value;
                }

                throw new FormatException(path);
            }

            async Task<string> LoadAsync(string path, string cache)
            {
                try
                {
                    return await File.ReadAllTextAsync(path);
                }
                catch (IOException)
                {
                    return {|#0:File.ReadAllText(cache)|};
                }
            }
        }
        """, Tw1004(0, "File.ReadAllText", "async method 'LoadAsync'", "File.ReadAllTextAsync"), Tw1004(1, "Stream.Flush", "async method 'NegotiateAsync'", "Stream.FlushAsync"), Tw1004(2, "File.ReadAllText", "async method 'ParseAsync'", "File.ReadAllTextAsync"));

    // A data reader's column reads work on the buffered row; moving to the next row is I/O.
    [Fact]
    public Task DataReaderColumnReads_AreNotFlagged_RowReadsAre() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Data.Common;
        using System.Threading.Tasks;

        class Store
        {
            async Task<int> M(DbCommand command)
            {
                using var reader = await command.ExecuteReaderAsync();
                var total = 0;
                while ({|#0:reader.Read()|})
                {
                    total += reader.IsDBNull(0) ? 0 : reader.GetFieldValue<int>(0);
                }

                return total;
            }
        }
        """, Tw1004(0, "DbDataReader.Read", "async method 'M'", "DbDataReader.ReadAsync"));

    [Fact]
    public Task ExcludedApisOption_SilencesMethodsAndTypes() => VerifyAnalyzer.AnalyzerWithConfigAsync("""
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(string path, SemaphoreSlim gate)
            {
                File.ReadAllText(path);
                gate.Wait();
                var bytes = {|#0:File.ReadAllBytes(path)|};
                await Task.Yield();
            }
        }
        """,
        "threadwise.excluded_apis = M:System.IO.File.ReadAllText(System.String), T:System.Threading.SemaphoreSlim",
        Tw1004(0, "File.ReadAllBytes", "async method 'M'", "File.ReadAllBytesAsync"));

    [Fact]
    public Task BlockingApisOption_AddsMethods_AndBadValuesAreIgnored() => VerifyAnalyzer.AnalyzerWithConfigAsync("""
        using System.Threading.Tasks;

        class Legacy { public void Pump() { } }

        class C
        {
            async Task M(Legacy legacy)
            {
                {|#0:legacy.Pump()|};
                await Task.Yield();
            }
        }
        """,
        "threadwise.blocking_apis = M:Legacy.Pump, not-an-id, M:No.Such.Method\nthreadwise.excluded_apis = ,,, 42\nthreadwise.interprocedural_depth = lots",
        Tw1004(0, "Legacy.Pump", "async method 'M'", null));

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Missing missing)
            {
                File.ReadAllText(;
                missing.Read();
                File.NoSuchMethod("x");
                var x = {|#0:File.ReadAllText("ok")|};
                File.ReadAllText(
            }

            async Task Polls(System.Threading.SemaphoreSlim gate, System.TimeSpan timeout)
            {
                if (timeout == ) {|#1:gate.Wait(timeout)|};
                if (timeout == System.TimeSpan.Zero && ) gate.Wait(timeout);
                if (missing == 0) gate.Wait(missing);
                await Task.Yield();
            }
        }
        """, Tw1004(0, "File.ReadAllText", "async method 'M'", "File.ReadAllTextAsync"),
        Tw1004(1, "SemaphoreSlim.Wait", "async method 'Polls'", "SemaphoreSlim.WaitAsync"));

    // ---- fix -----------------------------------------------------------------------------------

    [Fact]
    public Task Fix_AwaitsTheTwin_ForwardingTheToken() => VerifyFix.CodeFixAsync("""
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(string path, Stream stream, StreamReader reader, SemaphoreSlim gate, CancellationToken ct)
            {
                var text = {|#0:File.ReadAllText(path)|}; // read
                var buffer = new byte[16];
                var read = {|#1:stream.Read(buffer, 0, buffer.Length)|};
                var length = {|#2:reader.ReadToEnd()|}.Length;
                {|#3:gate.Wait()|};
                return text.Length + read + length;
            }
        }
        """, """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(string path, Stream stream, StreamReader reader, SemaphoreSlim gate, CancellationToken ct)
            {
                var text = await File.ReadAllTextAsync(path, ct); // read
                var buffer = new byte[16];
                var read = await stream.ReadAsync(buffer, 0, buffer.Length, ct);
                var length = (await reader.ReadToEndAsync(ct)).Length;
                await gate.WaitAsync(ct);
                return text.Length + read + length;
            }
        }
        """,
        Tw1004(0, "File.ReadAllText", "async method 'M'", "File.ReadAllTextAsync"),
        Tw1004(1, "Stream.Read", "async method 'M'", "Stream.ReadAsync"),
        Tw1004(2, "StreamReader.ReadToEnd", "async method 'M'", "StreamReader.ReadToEndAsync"),
        Tw1004(3, "SemaphoreSlim.Wait", "async method 'M'", "SemaphoreSlim.WaitAsync"));

    // A method that writes ConfigureAwait(false) (library code, MailKit's convention) gets new awaits
    // that keep it: one await capturing the caller's context would deadlock callers that block on the
    // method under a SynchronizationContext. A method without the convention gets plain awaits.
    [Fact]
    public Task Fix_KeepsTheMethodsConfigureAwaitConvention() => VerifyFix.CodeFixAsync("""
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> Copy(Stream source, Stream target, byte[] buffer, CancellationToken ct)
            {
                int total = 0, n;
                while ((n = await source.ReadAsync(buffer, 0, buffer.Length, ct).ConfigureAwait(false)) > 0)
                {
                    {|#0:target.Write(buffer, 0, n)|};
                    total += n;
                }

                return total + {|#1:source.Read(buffer, 0, 1)|};
            }

            async Task Plain(Stream target, byte[] buffer)
            {
                await Task.Yield();
                {|#2:target.Write(buffer, 0, 1)|};
            }
        }
        """, """
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> Copy(Stream source, Stream target, byte[] buffer, CancellationToken ct)
            {
                int total = 0, n;
                while ((n = await source.ReadAsync(buffer, 0, buffer.Length, ct).ConfigureAwait(false)) > 0)
                {
                    await target.WriteAsync(buffer, 0, n, ct).ConfigureAwait(false);
                    total += n;
                }

                return total + await source.ReadAsync(buffer, 0, 1, ct).ConfigureAwait(false);
            }

            async Task Plain(Stream target, byte[] buffer)
            {
                await Task.Yield();
                await target.WriteAsync(buffer, 0, 1);
            }
        }
        """,
        Tw1004(0, "Stream.Write", "async method 'Copy'", "Stream.WriteAsync"),
        Tw1004(1, "Stream.Read", "async method 'Copy'", "Stream.ReadAsync"),
        Tw1004(2, "Stream.Write", "async method 'Plain'", "Stream.WriteAsync"));

    // The types the user-twin fix test calls, the same before and after the fix.
    private const string FixTypes = """
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        class Repository
        {
            public int Load(int id, bool fresh = false) { System.Threading.Thread.Sleep(1); return id; }
            public Task<int> LoadAsync(int id, bool fresh = false, CancellationToken cancellationToken = default) => Task.FromResult(id);
            public static void Save<T>(T item) { System.Threading.Thread.Sleep(1); }
            public static Task SaveAsync<T>(T item) => Task.CompletedTask;
        }

        static class QueryExtensions
        {
            public static Task<List<T>> ToListAsync<T>(this IQueryable<T> source, CancellationToken cancellationToken = default)
                => Task.FromResult(source.ToList());
        }

        """;

    [Fact]
    public Task Fix_UserTwins_NamedArguments_AndExtensions() => VerifyFix.CodeFixAsync(FixTypes + """
        class C
        {
            async Task M(Repository repository, IQueryable<int> query, CancellationToken token)
            {
                var a = {|#0:repository.Load(1)|};
                var b = {|#1:repository.Load(id: 2, fresh: true)|};
                {|#2:Repository.Save<int>(3)|};
                var list = {|#3:query.ToList()|};
            }
        }
        """, FixTypes + """
        class C
        {
            async Task M(Repository repository, IQueryable<int> query, CancellationToken token)
            {
                var a = await repository.LoadAsync(1, cancellationToken: token);
                var b = await repository.LoadAsync(id: 2, fresh: true, cancellationToken: token);
                await Repository.SaveAsync<int>(3);
                var list = await query.ToListAsync(token);
            }
        }
        """,
        Tw1004(0, "Repository.Load", "async method 'M'", "Repository.LoadAsync"),
        Tw1004(1, "Repository.Load", "async method 'M'", "Repository.LoadAsync"),
        Tw1004(2, "Repository.Save", "async method 'M'", "Repository.SaveAsync"),
        Tw1004(3, "Enumerable.ToList", "async method 'M'", "QueryExtensions.ToListAsync"));

    [Fact]
    public Task Fix_IsNotOffered_ForRecursionIntoItself_NoTwin_OrInsideLock() => VerifyFix.NoCodeFixAsync("""
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class Reader
        {
            private readonly object _gate = new();

            public int Read() { System.Threading.Thread.Sleep(1); return 0; }

            // Inside ReadAsync, calling Read: the twin is this very method.
            public async Task<int> ReadAsync()
            {
                await Task.Yield();
                return {|#0:Read()|};
            }

            async Task M(Thread thread, string path)
            {
                {|#1:thread.Join()|};
                lock (_gate)
                {
                    {|#2:File.ReadAllText(path)|};
                }

                await Task.Yield();
            }
        }
        """,
        TwinIsCaller(0, "Reader.Read", "async method 'ReadAsync'"),
        Tw1004(1, "Thread.Join", "async method 'M'", null),
        Tw1004(2, "File.ReadAllText", "async method 'M'", "File.ReadAllTextAsync"));

    // MySqlConnector's `WriteToServerAsync(IOBehavior ioBehavior, …)` serves the synchronous API too,
    // which blocks on its task: a plain `await` would make the synchronous path do asynchronous I/O and
    // block on it. The fix awaits on the async side of whatever names the path: a mode enum, a bool
    // named for the async side, or one named for the sync side.
    [Fact]
    public Task Fix_InAMethodWithAPathParameter_AwaitsOnTheAsyncSideOnly() => VerifyFix.CodeFixAsync("""
        using System.IO;
        using System.Threading.Tasks;

        enum IOBehavior { Synchronous, Asynchronous }

        class BulkCopy
        {
            async Task<int> WriteAsync(IOBehavior ioBehavior, string path, Stream stream)
            {
                var text = {|#0:File.ReadAllText(path)|};
                {|#1:stream.Flush()|};
                await Task.Yield();
                return text.Length;
            }

            async Task<int> ReadAsync(bool sync, string path)
            {
                await Task.Yield();
                return {|#2:File.ReadAllText(path)|}.Length;
            }
        }
        """, """
        using System.IO;
        using System.Threading.Tasks;

        enum IOBehavior { Synchronous, Asynchronous }

        class BulkCopy
        {
            async Task<int> WriteAsync(IOBehavior ioBehavior, string path, Stream stream)
            {
                var text = (ioBehavior == IOBehavior.Asynchronous ? await File.ReadAllTextAsync(path) : File.ReadAllText(path));
                if (ioBehavior == IOBehavior.Asynchronous)
                    await stream.FlushAsync();
                else
                    stream.Flush();
                await Task.Yield();
                return text.Length;
            }

            async Task<int> ReadAsync(bool sync, string path)
            {
                await Task.Yield();
                return (!sync ? (await File.ReadAllTextAsync(path)) : File.ReadAllText(path)).Length;
            }
        }
        """,
        Tw1004(0, "File.ReadAllText", "async method 'WriteAsync'", "File.ReadAllTextAsync"),
        Tw1004(1, "Stream.Flush", "async method 'WriteAsync'", "Stream.FlushAsync"),
        Tw1004(2, "File.ReadAllText", "async method 'ReadAsync'", "File.ReadAllTextAsync"));

    [Fact]
    public Task FixAll_AcrossDocuments() => VerifyFix.CodeFixAsync(
        new[]
        {
            """
            using System.IO;
            using System.Threading.Tasks;

            class A
            {
                async Task One(string p) { {|#0:File.ReadAllText(p)|}; {|#1:File.Delete(p)|}; {|#2:File.WriteAllText(p, "x")|}; }
            }
            """,
            """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            class B
            {
                async Task Two(Stream s, CancellationToken ct) => {|#3:s.Flush()|};
            }
            """,
        },
        new[]
        {
            """
            using System.IO;
            using System.Threading.Tasks;

            class A
            {
                async Task One(string p) { await File.ReadAllTextAsync(p); {|#1:File.Delete(p)|}; await File.WriteAllTextAsync(p, "x"); }
            }
            """,
            """
            using System.IO;
            using System.Threading;
            using System.Threading.Tasks;

            class B
            {
                async Task Two(Stream s, CancellationToken ct) => await s.FlushAsync(ct);
            }
            """,
        },
        Tw1004(0, "File.ReadAllText", "async method 'One'", "File.ReadAllTextAsync"),
        Tw1004(2, "File.WriteAllText", "async method 'One'", "File.WriteAllTextAsync"),
        Tw1004(3, "Stream.Flush", "async method 'Two'", "Stream.FlushAsync"));
    [Fact]
    public Task ExtensionTwins_AreLookedUpPerScope_FileLocalOnesStayInTheirFile() => VerifyAnalyzer.AnalyzerAsync(
        new[]
        {
            """
            using System.Threading.Tasks;

            namespace App
            {
                public static class RepoExtensions
                {
                    public static int Load(this Repo repo) { System.Threading.Thread.Sleep(1); return 0; }
                }

                public class Repo { }

                file static class LocalTwins
                {
                    public static Task<int> LoadAsync(this Repo repo) => Task.FromResult(0);
                }

                class A
                {
                    async Task M(Repo repo)
                    {
                        var n = {|#0:repo.Load()|};
                        await Task.Yield();
                    }
                }
            }
            """,
            """
            using System.Threading.Tasks;

            namespace App
            {
                class B
                {
                    async Task M(Repo repo)
                    {
                        var n = repo.Load();
                        await Task.Yield();
                    }
                }
            }
            """,
            """
            using System.Threading.Tasks;

            namespace App.Loading
            {
                public static class SharedTwins
                {
                    public static Task<int> LoadAsync(this Repo repo) => Task.FromResult(0);
                }
            }

            namespace App.Loading
            {
                class D
                {
                    async Task M(Repo repo)
                    {
                        var n = {|#1:repo.Load()|};
                        await Task.Yield();
                    }
                }
            }
            """,
        },
        null,
        Tw1004(0, "RepoExtensions.Load", "async method 'M'", "LocalTwins.LoadAsync"),
        Tw1004(1, "RepoExtensions.Load", "async method 'M'", "SharedTwins.LoadAsync"));

    // Files whose namespaces hold no extension classes share one lookup per set of usings; a namespace
    // inside one that holds extensions is its own scope, and so is one with usings of its own (`using
    // Twins;` means Billing.Twins in Billing and Shop.Twins in Shop).
    [Fact]
    public Task ExtensionTwins_OfEnclosingNamespaces_AreFound_SiblingNamespacesShareNoTwin() => VerifyAnalyzer.AnalyzerAsync(
        new[]
        {
            """
            using System.Threading.Tasks;

            namespace Shop
            {
                public class Repo { }

                public static class RepoExtensions
                {
                    public static int Load(this Repo repo) { System.Threading.Thread.Sleep(1); return 0; }
                }
            }

            namespace Shop.Twins
            {
                public static class LoadTwins
                {
                    public static Task<int> LoadAsync(this Repo repo) => Task.FromResult(0);
                }
            }

            namespace Billing.Twins
            {
                public class Invoice { }
            }
            """,
            """
            using System.Threading.Tasks;
            using Shop;

            namespace Orders;

            class A
            {
                async Task M(Repo repo)
                {
                    var n = repo.Load();
                    await Task.Yield();
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using Shop;

            namespace Shop.Twins.Consumers;

            class B
            {
                async Task M(Repo repo)
                {
                    var n = {|#0:repo.Load()|};
                    await Task.Yield();
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using Shop;

            namespace Billing;

            class C
            {
                async Task M(Repo repo)
                {
                    var n = repo.Load();
                    await Task.Yield();
                }
            }
            """,
            """
            using System.Threading.Tasks;
            using Shop;

            namespace Billing
            {
                using Twins;

                class D
                {
                    async Task M(Repo repo)
                    {
                        var n = repo.Load();
                        await Task.Yield();
                    }
                }
            }

            namespace Shop
            {
                using Twins;

                class E
                {
                    async Task M(Repo repo)
                    {
                        var n = {|#1:repo.Load()|};
                        await Task.Yield();
                    }
                }
            }
            """,
        },
        null,
        Tw1004(0, "RepoExtensions.Load", "async method 'M'", "LoadTwins.LoadAsync"),
        Tw1004(1, "RepoExtensions.Load", "async method 'M'", "LoadTwins.LoadAsync"));

    // StackExchange.Redis shape: a synchronous call told to fire and forget returns at once.
    [Fact]
    public Task FireAndForgetCalls_DoNotBlock_OtherCallsDo() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        [Flags] public enum CommandFlags { None = 0, HighPriority = 1, FireAndForget = 2 }

        public interface IDatabase
        {
            bool StringSet(string key, string value, CommandFlags flags = CommandFlags.None);
            Task<bool> StringSetAsync(string key, string value, CommandFlags flags = CommandFlags.None);
        }

        class Cache
        {
            async Task M(IDatabase db, CommandFlags flags)
            {
                db.StringSet("a", "1", CommandFlags.FireAndForget);
                db.StringSet("a", "1", flags: flags | CommandFlags.FireAndForget);
                {|#0:db.StringSet("a", "1", CommandFlags.HighPriority)|};
                {|#1:db.StringSet("a", "1", flags)|};
                await Task.Yield();
            }
        }
        """,
        Tw1004(0, "IDatabase.StringSet", "async method 'M'", "IDatabase.StringSetAsync"),
        Tw1004(1, "IDatabase.StringSet", "async method 'M'", "IDatabase.StringSetAsync"));

    // FreeRedis's PipelineHook (a RedisClient in pipeline mode): `pipe.HMSet(…)` queues the command and
    // returns; `await pipe.HMSetAsync(…)` would wait for a pipeline nobody has ended yet.
    [Fact]
    public Task CallsQueuedOnAPipelineClient_AreNotBlocking() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        class RedisClient
        {
            public long HMSet(string key, string field, object value) { System.Threading.Thread.Sleep(1); return 0; }
            public Task<long> HMSetAsync(string key, string field, object value) => Task.FromResult(0L);

            public class PipelineHook : RedisClient
            {
                public object[] EndPipe() => new object[0];
            }
        }

        class ClientPipe : RedisClient { }

        class Repository
        {
            async Task SaveAsync(RedisClient client, RedisClient.PipelineHook pipe, ClientPipe other, string key)
            {
                if (pipe != null) pipe.HMSet(key, "f", 1);
                other.HMSet(key, "f", 1);
                {|#0:client.HMSet(key, "f", 1)|};
                await client.HMSetAsync(key, "f", 1);
            }
        }
        """, Tw1004(0, "RedisClient.HMSet", "async method 'SaveAsync'", "RedisClient.HMSetAsync"));

    // Npgsql's read buffer: `async ? await s.ReadAsync(…) : s.Read(…)` inside an async local function;
    // the branch that awaits is the await itself (it was once taken for a nested function).
    [Fact]
    public Task DualPathInsideALocalFunction_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading.Tasks;

        class Buffer
        {
            private readonly Stream _underlying;
            private readonly byte[] _bytes = new byte[16];

            internal Buffer(Stream underlying) => _underlying = underlying;

            internal ValueTask Ensure(int count, bool async)
            {
                return EnsureLong(this, count, async);

                static async ValueTask EnsureLong(Buffer buffer, int count, bool async)
                {
                    while (count > 0)
                    {
                        var read = async
                            ? await buffer._underlying.ReadAsync(buffer._bytes, 0, count).ConfigureAwait(false)
                            : buffer._underlying.Read(buffer._bytes, 0, count);
                        Func<Task<int>> later = async () =>
                        {
                            await Task.Yield();
                            return {|#0:buffer._underlying.Read(buffer._bytes, 0, 1)|};
                        };
                        count -= read;
                    }
                }
            }
        }
        """, Tw1004(0, "Stream.Read", "async lambda", "Stream.ReadAsync"));

    // A method serving both kinds of callers (`bool async`): the fix keeps its synchronous path
    // synchronous and awaits only on the async side (found applying fixes to Npgsql, where the plain
    // fix made `async: false` callers wait on real asynchronous I/O).
    [Fact]
    public Task Fix_InADualPathMethod_AwaitsOnTheAsyncSideOnly() => VerifyFix.CodeFixAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class Provider
        {
            async Task<string> Read(bool async, StreamReader reader, Stream stream)
            {
                var text = {|#0:reader.ReadToEnd()|};
                {|#1:stream.Flush()|};
                await Task.Yield();
                return text;
            }
        }
        """, """
        using System.IO;
        using System.Threading.Tasks;

        class Provider
        {
            async Task<string> Read(bool async, StreamReader reader, Stream stream)
            {
                var text = (async ? await reader.ReadToEndAsync() : reader.ReadToEnd());
                if (async)
                    await stream.FlushAsync();
                else
                    stream.Flush();
                await Task.Yield();
                return text;
            }
        }
        """, Tw1004(0, "StreamReader.ReadToEnd", "async method 'Read'", "StreamReader.ReadToEndAsync"), Tw1004(1, "Stream.Flush", "async method 'Read'", "Stream.FlushAsync"));

    // gRPC's server decompresses each message through `new ReadOnlySequenceStream(messageData)`, its own
    // Stream over a ReadOnlySequence<byte>: a stream class of the project that holds only memory, numbers,
    // flags and cached read tasks, and opens nothing, reads memory. One with a path, an inner stream or a
    // delegate in a field, one with a string auto-property, one that calls File, or one derived from a stream of a referenced assembly other
    // than Stream itself is reported.
    [Fact]
    public Task StreamClassesOfTheProjectOverMemory_AreInMemory() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Buffers;
        using System.IO;
        using System.Threading.Tasks;

        interface ICompressionProvider
        {
            Stream CreateDecompressionStream(Stream stream);
        }

        abstract class ReadOnlyStream : Stream
        {
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => throw new NotSupportedException();
            public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
            public override void Flush() { }
            public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
            public override void SetLength(long value) => throw new NotSupportedException();
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }

        sealed class SequenceStream : ReadOnlyStream
        {
            private static readonly Task<int> Zero = Task.FromResult(0);
            private Task<int>? _lastRead;
            private readonly ReadOnlySequence<byte> _sequence;
            private SequencePosition _position;
            public bool Disposed { get; private set; }

            public SequenceStream(ReadOnlySequence<byte> sequence) { _sequence = sequence; _position = sequence.Start; }

            public override int Read(byte[] buffer, int offset, int count)
            {
                var rest = _sequence.Slice(_position);
                var n = (int)Math.Min(count, rest.Length);
                rest.Slice(0, n).CopyTo(buffer.AsSpan(offset, n));
                _position = _sequence.GetPosition(n, _position);
                return n;
            }
        }

        sealed class PooledStream : ReadOnlyStream
        {
            private readonly ArrayPool<byte> _pool = ArrayPool<byte>.Shared;
            private byte[] _rented;
            private int _length, _read;

            public PooledStream(int size) => _rented = _pool.Rent(size);

            public override int Read(byte[] buffer, int offset, int count) => 0;
        }

        sealed class FileChunkStream : ReadOnlyStream
        {
            private readonly string _path;
            public FileChunkStream(string path) => _path = path;
            public override int Read(byte[] buffer, int offset, int count) => 0;
        }

        sealed class LiteralFileStream : ReadOnlyStream
        {
            private int _offset;
            public override int Read(byte[] buffer, int offset, int count) => File.ReadAllBytes("data.bin").Length - _offset;
        }

        sealed class WrappingStream : ReadOnlyStream
        {
            private readonly Stream _inner;
            public WrappingStream(Stream inner) => _inner = inner;
            public override int Read(byte[] buffer, int offset, int count) => _inner.Read(buffer, offset, count);
        }

        sealed class CallbackStream : ReadOnlyStream
        {
            private readonly Func<int> _next = () => 0;
            public override int Read(byte[] buffer, int offset, int count) => _next();
        }

        sealed class NamedStream : ReadOnlyStream
        {
            public string Name { get; set; } = "log.bin";
            public override int Read(byte[] buffer, int offset, int count) => 0;
        }

        sealed class LogFile : FileStream
        {
            private int _count;
            public LogFile() : base("log.bin", FileMode.Open) { }
        }

        class Reader
        {
            async Task<byte[]> Decompress(ICompressionProvider provider, ReadOnlySequence<byte> data, Stream network)
            {
                await Task.Yield();
                var output = new MemoryStream();
                using (var decompressed = provider.CreateDecompressionStream(new SequenceStream(data)))
                {
                    decompressed.CopyTo(output);
                }

                new SequenceStream(data).CopyTo(output);
                new PooledStream(16).CopyTo(output);
                {|#0:new FileChunkStream("a").CopyTo(output)|};
                {|#1:new LiteralFileStream().CopyTo(output)|};
                {|#2:new WrappingStream(network).CopyTo(output)|};
                {|#3:new CallbackStream().CopyTo(output)|};
                {|#4:new LogFile().CopyTo(output)|};
                {|#5:new NamedStream().CopyTo(output)|};
                return output.ToArray();
            }
        }
        """,
        Tw1004(0, "Stream.CopyTo", "async method 'Decompress'", "Stream.CopyToAsync"),
        Tw1004(1, "Stream.CopyTo", "async method 'Decompress'", "Stream.CopyToAsync"),
        Tw1004(2, "Stream.CopyTo", "async method 'Decompress'", "Stream.CopyToAsync"),
        Tw1004(3, "Stream.CopyTo", "async method 'Decompress'", "Stream.CopyToAsync"),
        Tw1004(4, "Stream.CopyTo", "async method 'Decompress'", "Stream.CopyToAsync"),
        Tw1004(5, "Stream.CopyTo", "async method 'Decompress'", "Stream.CopyToAsync"));

    // gRPC decompresses a message with `provider.CreateDecompressionStream(new MemoryStream(data))`: a
    // stream a factory wraps around memory, and nothing else, is in memory too.
    [Fact]
    public Task StreamsAFactoryWrapsAroundMemory_AreInMemory() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.IO.Compression;
        using System.Threading.Tasks;

        interface ICompressionProvider
        {
            Stream CreateDecompressionStream(Stream stream);
        }

        class Reader
        {
            async Task<byte[]> Decompress(ICompressionProvider provider, byte[] data, Stream network)
            {
                await Task.Yield();
                var output = new MemoryStream();
                using (var decompressed = provider.CreateDecompressionStream(new MemoryStream(data)))
                {
                    decompressed.CopyTo(output);
                }

                using (var fromNetwork = provider.CreateDecompressionStream(network))
                {
                    {|#0:fromNetwork.CopyTo(output)|};
                }

                return output.ToArray();
            }
        }
        """, Tw1004(0, "Stream.CopyTo", "async method 'Decompress'", "Stream.CopyToAsync"));

    // Pipelines.Sockets.Unofficial completes its in-memory pipes in async loops: a Pipe's writer signals
    // its reader in memory, and completing a reader flushes nothing. A writer of unknown origin (a
    // StreamPipeWriter flushes to its stream) is reported.
    [Fact]
    public Task CompletingInMemoryPipes_IsNotBlocking() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO.Pipelines;
        using System.Threading.Tasks;

        // System.IO.Pipelines is a package, not in the reference assemblies: its shape, declared here.
        namespace System.IO.Pipelines
        {
            public abstract class PipeReader
            {
                public abstract void Complete(Exception exception = null);
                public virtual ValueTask CompleteAsync(Exception exception = null) => default;
            }

            public abstract class PipeWriter
            {
                public abstract void Complete(Exception exception = null);
                public virtual ValueTask CompleteAsync(Exception exception = null) => default;
            }

            public interface IDuplexPipe
            {
                PipeReader Input { get; }
                PipeWriter Output { get; }
            }

            public sealed class Pipe
            {
                public PipeReader Reader => null;
                public PipeWriter Writer => null;
            }
        }

        class Connection
        {
            private readonly Pipe _receive = new Pipe();

            async Task ReceiveAsync(IDuplexPipe transport, Exception error)
            {
                await Task.Yield();
                _receive.Writer.Complete(error);
                _receive.Reader.Complete();
                var writer = _receive.Writer;
                writer.Complete();
                transport.Input.Complete(error);
                {|#0:transport.Output.Complete(error)|};
            }
        }
        """, Tw1004(0, "PipeWriter.Complete", "async method 'ReceiveAsync'", "PipeWriter.CompleteAsync"));

    // System.IO.Pipelines is in the net10 reference assemblies (a package before): these run there.
    // IceRPC's transports: the project's own PipeWriter classes override Complete and leave CompleteAsync to the
    // base class, which only calls Complete, and its docs ask for a Complete that does not block. On the writers
    // the project hands out CompleteAsync runs the same code. A project with a writer that overrides CompleteAsync
    // (completing may flush) is reported.
    private const string ProjectPipeWriters = """
        using System;
        using System.IO.Pipelines;
        using System.Threading.Tasks;

        interface IMultiplexedStream
        {
            PipeWriter Output { get; }
        }

        abstract class SlicPipeWriter : PipeWriter
        {
            public override void Complete(Exception exception = null) { }
        }

        abstract class QuicPipeWriter : PipeWriter
        {
            public override void Complete(Exception exception = null) { }
            /*ASYNC*/
        }

        class Connection
        {
            async Task DisposeAsync(IMultiplexedStream stream)
            {
                await Task.Yield();
                /*CALL*/;
            }
        }
        """;

    [Fact]
    public Task CompletingWritersOfAProjectWhoseWritersCompleteSynchronously_IsNotBlocking() => VerifyAnalyzer.AnalyzerAsync(
        ProjectPipeWriters.Replace("/*ASYNC*/", "").Replace("/*CALL*/", "stream.Output.Complete()"), References.Net100);

    [Fact]
    public Task CompletingWritersOfAProjectWhoseWriterFlushesAsynchronously_IsBlocking() => VerifyAnalyzer.AnalyzerAsync(
        ProjectPipeWriters
            .Replace("/*ASYNC*/", "public override async ValueTask CompleteAsync(Exception exception = null) => await Task.Yield();")
            .Replace("/*CALL*/", "{|#0:stream.Output.Complete()|}"),
        References.Net100,
        Tw1004(0, "PipeWriter.Complete", "async method 'DisposeAsync'", "PipeWriter.CompleteAsync"));

    [Fact]
    public Task CompletingWritersOfAProjectWithoutWritersOfItsOwn_IsBlocking() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO.Pipelines;
        using System.Threading.Tasks;

        class Connection
        {
            async Task DisposeAsync(PipeWriter output)
            {
                await Task.Yield();
                {|#0:output.Complete()|};
            }
        }
        """,
        References.Net100,
        Tw1004(0, "PipeWriter.Complete", "async method 'DisposeAsync'", "PipeWriter.CompleteAsync"));

    // HttpClient's GetAsync/SendAsync/PostAsync read the whole body before their task completes (Technitium's
    // DNS server API client: `ReadAsStream` right after `await _httpClient.SendAsync(request, token)`), unless
    // asked for ResponseHeadersRead; HttpMessageInvoker.SendAsync (a handler's or invoker's) does not buffer.
    [Fact]
    public Task ReadingContentHttpClientBuffered_IsNotBlocking() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Net.Http;
        using System.Threading;
        using System.Threading.Tasks;

        class ApiClient
        {
            private readonly HttpClient _client = new HttpClient();

            async Task<Stream> SendAsync(HttpRequestMessage request, CancellationToken token)
            {
                HttpResponseMessage response = await _client.SendAsync(request, token);
                return response.Content.ReadAsStream(token);
            }

            async Task<Stream> GetAsync(string uri)
            {
                using var response = await _client.GetAsync(uri, HttpCompletionOption.ResponseContentRead).ConfigureAwait(false);
                return (await _client.PostAsync(uri, null)).Content.ReadAsStream();
            }

            async Task<Stream> StreamedAsync(string uri)
            {
                var response = await _client.GetAsync(uri, HttpCompletionOption.ResponseHeadersRead);
                return {|#0:response.Content.ReadAsStream()|};
            }

            async Task<Stream> ReassignedAsync(string uri, HttpResponseMessage other)
            {
                var response = await _client.GetAsync(uri);
                response = other;
                return {|#1:response.Content.ReadAsStream()|};
            }

            async Task<Stream> InvokerAsync(HttpMessageInvoker invoker, HttpRequestMessage request)
            {
                var response = await invoker.SendAsync(request, CancellationToken.None);
                return {|#2:response.Content.ReadAsStream()|};
            }
        }
        """,
        Tw1004(0, "HttpContent.ReadAsStream", "async method 'StreamedAsync'", "HttpContent.ReadAsStreamAsync"),
        Tw1004(1, "HttpContent.ReadAsStream", "async method 'ReassignedAsync'", "HttpContent.ReadAsStreamAsync"),
        Tw1004(2, "HttpContent.ReadAsStream", "async method 'InvokerAsync'", "HttpContent.ReadAsStreamAsync"));
}
