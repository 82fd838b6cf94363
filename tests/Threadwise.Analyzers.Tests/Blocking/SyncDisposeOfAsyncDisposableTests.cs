using System.Collections.Immutable;
using Microsoft.CodeAnalysis.Testing;
using Threadwise.Tests.Infrastructure;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.Blocking.SyncDisposeOfAsyncDisposableAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.Blocking.SyncDisposeOfAsyncDisposableAnalyzer, Threadwise.Blocking.SyncDisposeOfAsyncDisposableFixProvider>;

namespace Threadwise.Tests.Blocking;

public class SyncDisposeOfAsyncDisposableTests
{
    private const string AwaitUsing = "use 'await using' or 'await DisposeAsync()'";

    private static DiagnosticResult Tw1008(int markup, string type, string how, string where = "async method 'M'", string remedy = AwaitUsing)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW1008SyncDisposeOfAsyncDisposable).WithLocation(markup).WithArguments(type, how, where, remedy);

    private static string FlushFirst(string local)
        => $"'await using' does not compile on every target framework of the project, so flush it first with 'await {local}.FlushAsync()'";

    private const string Connection = """

        sealed class Connection : System.IDisposable, System.IAsyncDisposable
        {
            public void Dispose() { }
            public System.Threading.Tasks.ValueTask DisposeAsync() => default;
            public System.Threading.Tasks.Task SendAsync() => System.Threading.Tasks.Task.CompletedTask;
        }
        """;

    public static TheoryData<string> Frameworks => new() { "net8", "net10" };

    // A library built for netstandard2.0 and net8.0 (RepoDB's readers, NuGet's files): Stream's and
    // DbDataReader's DisposeAsync do not exist on netstandard2.0, so `await using` would not compile there
    // without an #if. A type of the project's own keeps the finding (its DisposeAsync is in the source, on
    // every framework), and so does code already limited to newer frameworks by an #if.
    [Fact]
    public Task MultiTargeted_AsyncDisposeMissingOnAnotherFramework_IsNotFlagged() => VerifyAnalyzer.AnalyzerMultiTargetedAsync("""
        using System.Data.Common;
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task M(string path, DbCommand command)
            {
                using var file = File.OpenWrite(path);
                await file.WriteAsync(new byte[1], 0, 1);
                using (var reader = await command.ExecuteReaderAsync())
                {
                    await reader.ReadAsync();
                }

                {|#0:using|} var connection = new Connection();
                await connection.SendAsync();
        #if !NETSTANDARD2_0
                {|#1:using|} var modern = File.OpenWrite(path);
                await modern.WriteAsync(new byte[1], 0, 1);
        #endif
            }
        }
        """ + Connection, "netstandard2.0;net8.0;net10.0",
        Tw1008(0, "Connection", "'using'"), Tw1008(1, "FileStream", "'using'"));

    // AngleSharp's `ToCssAsync(this IStyleFormattable style, Stream stream)`, built for netstandard2.0 and newer:
    // `using var writer = new StreamWriter(stream); await style.ToCssAsync(writer);`. TextWriter has no
    // DisposeAsync on netstandard2.0, but the dispose blocks on its flush, which `await writer.FlushAsync()`
    // at the end of the scope does first on every framework. A scope already ending with that flush, or
    // ending by leaving, a writer without a local to name, and one the scope closes itself (NetSparkle's
    // `write.Close()` in each branch, where a later flush would throw), are not reported.
    [Fact]
    public Task MultiTargeted_WritersAreToldToFlushFirst() => VerifyAnalyzer.AnalyzerMultiTargetedAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class Css
        {
            async Task Write(Stream stream, string css)
            {
                {|#0:using|} var writer = new StreamWriter(stream);
                await writer.WriteAsync(css);
            }

            async Task WriteBlock(Stream stream, string css)
            {
                {|#1:using|} (var output = new StreamWriter(stream))
                    await output.WriteAsync(css);
            }

            async Task Flushed(Stream stream, string css)
            {
                using (var writer = new StreamWriter(stream))
                {
                    await writer.WriteAsync(css);
                    await writer.FlushAsync().ConfigureAwait(false);
                }
            }

            async Task<int> Returns(Stream stream, string css)
            {
                using var writer = new StreamWriter(stream);
                await writer.WriteAsync(css);
                return css.Length;
            }

            async Task Unnamed(Stream stream)
            {
                using (new StreamWriter(stream))
                {
                    await Task.Yield();
                }
            }

            async Task Closed(Stream stream, string script, bool windows)
            {
                using (var write = new StreamWriter(stream))
                {
                    if (windows)
                    {
                        await write.WriteAsync(script);
                        write.Close();
                    }
                    else
                    {
                        await write.WriteAsync(script.Replace("\r\n", "\n"));
                        write.Close();
                    }
                }
            }
        }
        """, "netstandard2.0;net8.0",
        Tw1008(0, "StreamWriter", "'using'", "async method 'Write'", FlushFirst("writer")),
        Tw1008(1, "StreamWriter", "'using'", "async method 'WriteBlock'", FlushFirst("output")));

    [Fact]
    public Task MultiTargeted_FlushFirstFix_EndsTheScopeWithAnAwaitedFlush() => VerifyFix.CodeFixMultiTargetedAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class Css
        {
            async Task Write(Stream stream, string css)
            {
                {|#0:using|} var writer = new StreamWriter(stream);
                await writer.WriteAsync(css);
            }

            async Task WriteBlock(Stream stream, string css)
            {
                {|#1:using|} (var output = new StreamWriter(stream))
                    await output.WriteAsync(css);
            }

            async Task Configured(Stream stream, string css)
            {
                {|#2:using|} (var writer = new StreamWriter(stream))
                {
                    await writer.WriteAsync(css).ConfigureAwait(false);
                }
            }
        }
        """, """
        using System.IO;
        using System.Threading.Tasks;

        class Css
        {
            async Task Write(Stream stream, string css)
            {
                using var writer = new StreamWriter(stream);
                await writer.WriteAsync(css);
                await writer.FlushAsync();
            }

            async Task WriteBlock(Stream stream, string css)
            {
                using (var output = new StreamWriter(stream))
                {
                    await output.WriteAsync(css);
                    await output.FlushAsync();
                }
            }

            async Task Configured(Stream stream, string css)
            {
                using (var writer = new StreamWriter(stream))
                {
                    await writer.WriteAsync(css).ConfigureAwait(false);
                    await writer.FlushAsync().ConfigureAwait(false);
                }
            }
        }
        """, "netstandard2.0;net8.0",
        Tw1008(0, "StreamWriter", "'using'", "async method 'Write'", FlushFirst("writer")),
        Tw1008(1, "StreamWriter", "'using'", "async method 'WriteBlock'", FlushFirst("output")),
        Tw1008(2, "StreamWriter", "'using'", "async method 'Configured'", FlushFirst("writer")));

    // Writers in code under edit, in a multi-targeted project: a using without its body, a declaration cut off,
    // a flush still being typed, a type that does not bind. Nothing throws and none is reported (a using still
    // being typed has no place for the flush yet); a complete one beside them is.
    [Fact]
    public Task MultiTargeted_BrokenWriterCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeMultiTargetedAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class Css
        {
            async Task NoBody(Stream stream)
            {
                using (var writer = new StreamWriter(stream))
            }

            async Task CutOff(Stream stream)
            {
                using var writer = new StreamWriter(
            }

            async Task Typing(Stream stream, string css)
            {
                using var writer = new StreamWriter(stream);
                await writer.WriteAsync(css);
                await writer.FlushAsync(
            }

            async Task Complete(Stream stream, string css)
            {
                {|#0:using|} var writer = new StreamWriter(stream);
                await writer.WriteAsync(css);
            }

            async Task Unknown(Stream stream)
            {
                using var writer = new Missing(stream);
                await writer.WriteAsync("x");
            }
        }
        """, "netstandard2.0;net8.0",
        Tw1008(0, "StreamWriter", "'using'", "async method 'Complete'", FlushFirst("writer")));

    // Microsoft.Testing.Platform's `interface IFileStream : IDisposable #if NETCOREAPP , IAsyncDisposable #endif`:
    // a type of the project that is async-disposable only under a framework #if cannot be `await using`-ed in
    // code every framework compiles. Declared without the #if, or used under one, it is reported.
    [Fact]
    public Task MultiTargeted_AsyncDisposableOnlyUnderAnIf_IsNotFlagged() => VerifyAnalyzer.AnalyzerMultiTargetedAsync("""
        using System;
        using System.IO;
        using System.Threading.Tasks;

        interface IFileStream : IDisposable
        #if !NETSTANDARD2_0
            , IAsyncDisposable
        #endif
        {
            Stream Stream { get; }
        }

        interface IChannel : IDisposable, IAsyncDisposable
        {
            Task SendAsync();
        }

        sealed class LoggedFileStream : IFileStream
        {
            public Stream Stream => Stream.Null;
            public void Dispose() { }
        #if !NETSTANDARD2_0
            public ValueTask DisposeAsync() => default;
        #endif
        }

        class C
        {
            async Task M(Func<IFileStream> open, IChannel channel, LoggedFileStream logged)
            {
                using (IFileStream file = open())
                {
                    await file.Stream.WriteAsync(new byte[1], 0, 1);
                }

                logged.Dispose();
                await channel.SendAsync();
                {|#0:channel.Dispose()|};
        #if !NETSTANDARD2_0
                {|#1:using|} IFileStream modern = open();
                await modern.Stream.WriteAsync(new byte[1], 0, 1);
        #endif
            }
        }
        """, "netstandard2.0;net8.0",
        Tw1008(0, "IChannel", "'Dispose()'"), Tw1008(1, "IFileStream", "'using'"));

    // Every framework of the project has the async dispose: reported as in a single-framework project.
    [Fact]
    public Task MultiTargeted_AsyncDisposeOnEveryFramework_IsFlagged() => VerifyAnalyzer.AnalyzerMultiTargetedAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task M(string path)
            {
                {|#0:using|} var file = File.OpenWrite(path);
                await file.WriteAsync(new byte[1], 0, 1);
            }
        }
        """, "netstandard2.1 ; net8.0;net10.0",
        Tw1008(0, "FileStream", "'using'"));

    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task SynchronousDisposeInAsyncCode_IsFlagged(string framework) => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task M(string path)
            {
                {|#0:using|} (var connection = new Connection())
                {
                    await connection.SendAsync();
                }

                {|#1:using|} var file = File.OpenWrite(path);
                await file.WriteAsync(new byte[1]);
                var other = new Connection();
                await other.SendAsync();
                {|#2:other.Dispose()|};
            }
        }
        """ + Connection, framework == "net10" ? References.Net100 : References.Net80,
        Tw1008(0, "Connection", "'using'"), Tw1008(1, "FileStream", "'using'"), Tw1008(2, "Connection", "'Dispose()'"));

    [Fact]
    public Task ExemptTypes_SyncCode_AwaitUsing_AndLocks_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly object _gate = new();

            async Task M(CancellationToken token, Connection shared)
            {
                using var buffer = new MemoryStream();
                using var text = new StringWriter();
                using var registration = token.Register(() => { });
                using var timer = new Timer(_ => { });
                await using var connection = new Connection();
                await Task.Yield();
                lock (_gate)
                {
                    using var inLock = new Connection();
                    shared.Dispose();
                }
            }

            void Sync()
            {
                using var connection = new Connection();
                connection.Dispose();
            }
        }
        """ + Connection);

    // dotnet-monitor's egress: `using Stream file = new FileStream(…); await action(file, token); await
    // file.FlushAsync(token);` and `using (var writer = new BinaryWriter(stdin, Encoding.UTF8, leaveOpen: true)) {
    // …; writer.Flush(); }` end their scope by flushing the very object, so the dispose has nothing left to write.
    // A flush earlier in the scope, a flush of another object, and a class of the project's own (its async
    // dispose may do more) are reported.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task FrameworkStreamsFlushedAtTheEndOfTheirScope_AreNotFlagged(string framework) => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Text;
        using System.Threading;
        using System.Threading.Tasks;

        class Egress
        {
            async Task Write(Func<Stream, CancellationToken, Task> action, string path, CancellationToken token)
            {
                using Stream file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.Read);
                await action(file, token);
                await file.FlushAsync(token).ConfigureAwait(false);
            }

            async Task Header(Stream stdin, CancellationToken token)
            {
                using (BinaryWriter writer = new BinaryWriter(stdin, Encoding.UTF8, leaveOpen: true))
                {
                    writer.Write(1);
                    writer.Flush();
                }

                await stdin.FlushAsync(token);
            }

            async Task Json(Stream stream, CancellationToken token)
            {
                using var json = new System.Text.Json.Utf8JsonWriter(stream);
                json.WriteStartObject();
                json.WriteEndObject();
                await json.FlushAsync(token);
            }

            async Task JsonUnflushed(Stream stream)
            {
                {|#3:using|} var json = new System.Text.Json.Utf8JsonWriter(stream);
                json.WriteStartObject();
                await stream.FlushAsync();
                json.WriteEndObject();
            }

            async Task LeavesFirst(string path, bool done, CancellationToken token)
            {
                {|#4:using|} var file = File.Create(path);
                await file.WriteAsync(new byte[1], 0, 1, token);
                if (done)
                {
                    return;
                }

                await file.FlushAsync(token);
            }

            async Task Early(Func<Stream, CancellationToken, Task> action, string path, CancellationToken token)
            {
                {|#0:using|} Stream file = new FileStream(path, FileMode.Create);
                await file.FlushAsync(token);
                await action(file, token);
            }

            async Task Other(Stream stdin, string path, CancellationToken token)
            {
                {|#1:using|} var file = File.Create(path);
                await file.WriteAsync(new byte[1], 0, 1, token);
                await stdin.FlushAsync(token);
            }

            async Task Own(string path, CancellationToken token)
            {
                {|#2:using|} var log = new LogStream(path);
                await log.WriteAsync(new byte[1], 0, 1, token);
                await log.FlushAsync(token);
            }
        }

        sealed class LogStream : FileStream
        {
            public LogStream(string path) : base(path, FileMode.Create) { }

            public override async ValueTask DisposeAsync() { await Task.Delay(1); await base.DisposeAsync(); }
        }
        """, framework == "net10" ? References.Net100 : References.Net80,
        Tw1008(0, "FileStream", "'using'", "async method 'Early'"), Tw1008(1, "FileStream", "'using'", "async method 'Other'"), Tw1008(2, "LogStream", "'using'", "async method 'Own'"),
        Tw1008(3, "Utf8JsonWriter", "'using'", "async method 'JsonUnflushed'"), Tw1008(4, "FileStream", "'using'", "async method 'LeavesFirst'"));

    // EnumerableAsyncProcessor's `using var rateLimiter = new TokenBucketRateLimiter(…)` in an async method: the
    // in-box limiters' DisposeAsync only calls Dispose(true), so `await using` would change nothing. A variable
    // typed as the abstract RateLimiter may hold any limiter, and is reported.
    // The limiters ship as a package (and in ASP.NET Core's shared framework), not in Microsoft.NETCore.App.
    [Theory]
    [InlineData("net8")]
    [InlineData("net10")]
    public Task InBoxRateLimiters_AreNotFlagged_TheAbstractTypeIs(string framework) => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.RateLimiting;
        using System.Threading.Tasks;

        class Pool
        {
            async Task Run(Func<RateLimiter> make)
            {
                using var tokens = new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
                {
                    TokenLimit = 1, TokensPerPeriod = 1, ReplenishmentPeriod = TimeSpan.FromSeconds(1),
                });
                using var concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions { PermitLimit = 1 });
                using var fixedWindow = new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions { PermitLimit = 1, Window = TimeSpan.FromSeconds(1) });
                using var sliding = new SlidingWindowRateLimiter(new SlidingWindowRateLimiterOptions { PermitLimit = 1, Window = TimeSpan.FromSeconds(1), SegmentsPerWindow = 2 });
                {|#0:using|} var any = make();
                using var lease = await tokens.AcquireAsync(1);
            }
        }
        """,
        (framework == "net10" ? References.Net100 : References.Net80)
            .AddPackages(ImmutableArray.Create(new PackageIdentity("System.Threading.RateLimiting", "10.0.12"))),
        Tw1008(0, "RateLimiter", "'using'", "async method 'Run'"));

    // Storage abstractions hand out streams to read (a file store's `GetFileStreamAsync(path,
    // StreamMode.Read)`, a data bus's `OpenRead(id)`, `Read(id)`), or streams the method only reads from
    // (`RetrieveAsync(id)` then copied from, wrapped in a reader — also by a factory, NuGet's
    // `XmlReader.Create(stream, settings)`): nothing is buffered to flush, so the
    // synchronous dispose waits on nothing. A stream written through, opened to write, handed to another
    // method or repositioned stays reported.
    [Fact]
    public Task StreamsOpenedForReading_AreNotFlagged_UnlessWrittenThrough() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        enum StreamMode { Read, Write }

        interface IStore
        {
            Task<Stream> GetFileStreamAsync(string path, StreamMode mode, CancellationToken token = default);
            Task<Stream> OpenRead(string id);
            Stream Read(string id);
            Task<Stream> OpenWriteAsync(string id);
            Task<Stream> RetrieveAsync(string id);
            void Save(Stream stream);
        }

        static class TaskExtensions
        {
            public static System.Runtime.CompilerServices.ConfiguredTaskAwaitable<T> AnyContext<T>(this Task<T> task) => task.ConfigureAwait(false);
        }

        class C
        {
            async Task<string> Silent(IStore store, Stream target)
            {
                using var byMode = await store.GetFileStreamAsync("a", StreamMode.Read).AnyContext();
                if (byMode is null) return null;
                using var byName = await store.OpenRead("b");
                await byName.CopyToAsync(target);
                using (var sync = store.Read("c"))
                {
                    await sync.CopyToAsync(target);
                }

                using var retrieved = await store.RetrieveAsync("d");
                if (retrieved == null || retrieved.Length == 0) return null;
                await retrieved.CopyToAsync(target);
                using var parsed = await store.RetrieveAsync("g");
                await System.Text.Json.JsonSerializer.DeserializeAsync<int[]>(parsed);
                using var wrapped = await store.RetrieveAsync("e");
                using var reader = new StreamReader(wrapped);
                await reader.ReadToEndAsync();
                using var xml = await store.RetrieveAsync("x");
                using var xmlReader = System.Xml.XmlReader.Create(xml, new System.Xml.XmlReaderSettings { IgnoreComments = true });
                xmlReader.Read();
                var disposedByHand = await store.OpenRead("h");
                await disposedByHand.CopyToAsync(target);
                disposedByHand.Dispose();
                return await new StreamReader(byMode).ReadToEndAsync();
            }

            async Task Flagged(IStore store, Stream source)
            {
                {|#0:using|} var written = await store.GetFileStreamAsync("a", StreamMode.Write);
                await source.CopyToAsync(written);
                {|#1:using|} var readModeButWritten = await store.OpenRead("b");
                await readModeButWritten.WriteAsync(new byte[1]);
                {|#2:using|} var copyTarget = store.Read("c");
                await source.CopyToAsync(copyTarget);
                {|#3:using|} var opened = await store.OpenWriteAsync("d");
                await opened.FlushAsync();
                {|#4:using|} var handedOn = await store.RetrieveAsync("e");
                store.Save(handedOn);
                {|#5:using|} var rewound = await store.RetrieveAsync("f");
                rewound.Position = 0;
                var writtenByHand = await store.OpenRead("i");
                await writtenByHand.WriteAsync(new byte[1]);
                {|#6:writtenByHand.Dispose()|};
            }
        }
        """,
        Tw1008(0, "Stream", "'using'", "async method 'Flagged'"), Tw1008(1, "Stream", "'using'", "async method 'Flagged'"),
        Tw1008(2, "Stream", "'using'", "async method 'Flagged'"), Tw1008(3, "Stream", "'using'", "async method 'Flagged'"),
        Tw1008(4, "Stream", "'using'", "async method 'Flagged'"), Tw1008(5, "Stream", "'using'", "async method 'Flagged'"),
        Tw1008(6, "Stream", "'Dispose()'", "async method 'Flagged'"));

    // NuGet's file locks: `FileStream? fs = null; … fs = acquire(path); … finally { if (fs != null) fs.Dispose(); }`
    // — a stream obtained after its declaration and never written has nothing to flush. Written through,
    // reassigned from another variable, or handed on, it is reported.
    [Fact]
    public Task StreamsObtainedLaterAndNeverWritten_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading.Tasks;

        class Locks
        {
            async Task<T> Silent<T>(string path, Func<string, FileStream> acquire, Func<Task<T>> action)
            {
                while (true)
                {
                    FileStream? fs = null;
                    try
                    {
                        fs = acquire(path);
                        return await action();
                    }
                    catch (IOException)
                    {
                        await Task.Delay(10);
                    }
                    finally
                    {
                        if (fs != null)
                        {
                            fs.Dispose();
                        }
                    }
                }
            }

            async Task Flagged(string path, FileStream shared, Action<Stream> save)
            {
                FileStream? written = null;
                written = new FileStream(path, FileMode.Create);
                await written.WriteAsync(new byte[1]);
                {|#0:written.Dispose()|};
                FileStream? borrowed = null;
                borrowed = shared;
                {|#1:borrowed.Dispose()|};
                FileStream? handed = null;
                handed = File.Create(path);
                save(handed);
                {|#2:handed.Dispose()|};
            }
        }
        """,
        Tw1008(0, "FileStream", "'Dispose()'", "async method 'Flagged'"), Tw1008(1, "FileStream", "'Dispose()'", "async method 'Flagged'"),
        Tw1008(2, "FileStream", "'Dispose()'", "async method 'Flagged'"));

    // `using (var file = File.OpenWrite(p)) using (var writer = new StreamWriter(file))`: the writer's
    // dispose flushes and closes the file, so after `await using` on the writer the file's own dispose
    // does nothing: one finding, on the writer. A writer told to leave the stream open does not close it.
    [Fact]
    public Task StreamClosedByItsWriter_IsReportedOnlyOnTheWriter() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Text;
        using System.Threading.Tasks;

        class C
        {
            async Task Nested(string path, string text)
            {
                using (var file = File.OpenWrite(path))
                {
                    {|#0:using|} (var writer = new StreamWriter(file, Encoding.UTF8))
                    {
                        await writer.WriteAsync(text);
                    }
                }
            }

            async Task Declarations(string path, string text)
            {
                using var destination = File.OpenWrite(path);
                {|#1:using|} var writer = new StreamWriter(destination, Encoding.UTF8);
                await writer.WriteAsync(text);
            }

            async Task LeftOpen(string path, string text)
            {
                {|#2:using|} var destination = File.OpenWrite(path);
                {|#3:using|} (var writer = new StreamWriter(destination, Encoding.UTF8, 1024, true))
                {
                    await writer.WriteAsync(text);
                }

                await destination.WriteAsync(new byte[1]);
            }
        }
        """,
        Tw1008(0, "StreamWriter", "'using'", "async method 'Nested'"), Tw1008(1, "StreamWriter", "'using'", "async method 'Declarations'"),
        Tw1008(2, "FileStream", "'using'", "async method 'LeftOpen'"), Tw1008(3, "StreamWriter", "'using'", "async method 'LeftOpen'"));

    // MailKit shapes: a stream or writer class that does not override DisposeAsync inherits one that
    // only calls Dispose(), so `await using` would block the same way; the exact type must be known
    // (created here, or sealed). A catch clause that abandons a failed stream is error-path cleanup.
    [Fact]
    public Task WrappersWithoutTheirOwnAsyncDispose_AndErrorPathCleanup_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading.Tasks;

        class ProgressStream : Stream
        {
            public ProgressStream(Stream inner) { }
            public override bool CanRead => false;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => 0;
            public override long Position { get; set; }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => 0;
            public override long Seek(long offset, SeekOrigin origin) => 0;
            public override void SetLength(long value) { }
            public override void Write(byte[] buffer, int offset, int count) { }
        }

        sealed class CountingStream : ProgressStream
        {
            public CountingStream() : base(Stream.Null) { }
        }

        class FlushingStream : ProgressStream
        {
            public FlushingStream(Stream inner) : base(inner) { }
            public override ValueTask DisposeAsync() => default;
        }

        class C
        {
            async Task M(Stream network, CountingStream counter, Stream unknown, Stream failed)
            {
                if (await failed.ReadAsync(new byte[1]) == 0)
                {
                    failed.Dispose();
                    throw new IOException("closed");
                }

                using (var progress = new ProgressStream(network))
                {
                    await progress.WriteAsync(new byte[1]);
                }

                var local = new ProgressStream(network);
                await local.FlushAsync();
                local.Dispose();
                counter.Dispose();

                try
                {
                    await network.FlushAsync();
                }
                catch (IOException)
                {
                    network.Dispose();
                    throw;
                }

                {|#0:using|} (var flushing = new FlushingStream(network))
                {
                    await flushing.FlushAsync();
                }

                await unknown.FlushAsync();
                {|#1:unknown.Dispose()|};
            }
        }
        """, Tw1008(0, "FlushingStream", "'using'"), Tw1008(1, "Stream", "'Dispose()'"));

    // GridFS's upload stream: a stream class of the project, handed out by its own factory, whose
    // every implementation in the project inherits Stream's DisposeAsync (which calls Dispose): `await
    // using` would dispose it the same way. `this.Dispose()` inside it likewise. A project class one of
    // whose subclasses declares DisposeAsync is still reported.
    [Fact]
    public Task ProjectStreamsWhoseEveryImplementationInheritsStreamsAsyncDispose_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading.Tasks;

        public abstract class StreamBase : Stream
        {
            public override bool CanRead => false;
            public override bool CanSeek => false;
            public override bool CanWrite => true;
            public override long Length => 0;
            public override long Position { get; set; }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => 0;
            public override long Seek(long offset, SeekOrigin origin) => 0;
            public override void SetLength(long value) { }
            public override void Write(byte[] buffer, int offset, int count) { }
        }

        public abstract class UploadStream : StreamBase
        {
            public async Task CloseAsync()
            {
                await FlushAsync();
                Dispose();
            }
        }

        internal sealed class ChunkedUploadStream : UploadStream { }

        public abstract class DownloadStream : StreamBase { }

        internal sealed class BufferedDownloadStream : DownloadStream
        {
            public override ValueTask DisposeAsync() => default;
        }

        class Bucket
        {
            public Task<UploadStream> OpenUploadStreamAsync() => Task.FromResult<UploadStream>(new ChunkedUploadStream());

            public Task<DownloadStream> OpenDownloadStreamAsync() => Task.FromResult<DownloadStream>(new BufferedDownloadStream());

            async Task M()
            {
                using (var destination = await OpenUploadStreamAsync())
                {
                    await destination.WriteAsync(new byte[1]);
                }

                {|#0:using|} (var source = await OpenDownloadStreamAsync())
                {
                    await source.ReadAsync(new byte[1]);
                }
            }
        }
        """, Tw1008(0, "DownloadStream", "'using'"));

    // Nerdbank.Streams' Substream: DisposeAsync writes its trailer, then calls `this.Dispose()` for the
    // synchronous clean-up; `await DisposeAsync()` there would call itself. The same call in another
    // async method of the type is still reported.
    [Fact]
    public Task DisposeOfItselfInItsOwnAsyncDispose_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading.Tasks;

        class Framed : IDisposable, IAsyncDisposable
        {
            private readonly Stream _inner;

            public Framed(Stream inner) => _inner = inner;

            public void Dispose() { }

            public async ValueTask DisposeAsync()
            {
                await _inner.FlushAsync();
                this.Dispose();
            }

            protected virtual async ValueTask DisposeAsyncCore()
            {
                await Task.Yield();
                Dispose();
            }

            public async Task CloseAsync()
            {
                await _inner.FlushAsync();
                {|#0:Dispose()|};
            }
        }
        """, Tw1008(0, "Framed", "'Dispose()'", "async method 'CloseAsync'"));

    // Orleans' silo health monitor: `DisposeAsync() { Dispose(); if (_runTask is { } t) await t; }` and
    // `StopAsync(ct) { Dispose(); if (_runTask is { } t) await t.WaitAsync(ct); }` — the type's own DisposeAsync
    // starts with that Dispose() and only adds the wait, which StopAsync does its own way. A method that does not
    // await after it, or a type whose DisposeAsync does asynchronous work before its Dispose(), is reported.
    [Fact]
    public Task DisposeOfItselfBeforeItsOwnWait_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading;
        using System.Threading.Tasks;

        class HealthMonitor : IDisposable, IAsyncDisposable
        {
            private readonly CancellationTokenSource _stopping = new();
            private Task? _runTask;

            public void Start() => _runTask = Task.Run(() => Task.Delay(-1, _stopping.Token));

            public void Dispose() => _stopping.Cancel();

            public async ValueTask DisposeAsync()
            {
                Dispose();
                if (_runTask is { } task) await task;
            }

            public async Task StopAsync(CancellationToken ct)
            {
                Dispose();
                if (_runTask is { } task) await task.WaitAsync(ct);
            }

            public async Task AbandonAsync()
            {
                await Task.Yield();
                {|#0:Dispose()|};
            }
        }

        class FlushingMonitor : IDisposable, IAsyncDisposable
        {
            private readonly Stream _log = Stream.Null;

            public void Dispose() => _log.Dispose();

            public async ValueTask DisposeAsync()
            {
                await _log.FlushAsync();
                Dispose();
            }

            public async Task StopAsync(CancellationToken ct)
            {
                {|#1:Dispose()|};
                await Task.Delay(1, ct);
            }
        }
        """,
        Tw1008(0, "HealthMonitor", "'Dispose()'", "async method 'AbandonAsync'"),
        Tw1008(1, "FlushingMonitor", "'Dispose()'", "async method 'StopAsync'"));

    // WampSharp's connection implements both interfaces explicitly: its `IAsyncDisposable.DisposeAsync`
    // completes the send queue, awaits it, then calls `this.Dispose()`, the type's own clean-up hook.
    [Fact]
    public Task DisposeOfItselfInAnExplicitAsyncDispose_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        abstract class Connection : IDisposable, IAsyncDisposable
        {
            private readonly TaskCompletionSource<bool> _drained = new();

            void IDisposable.Dispose() => Dispose();

            protected abstract void Dispose();

            async ValueTask IAsyncDisposable.DisposeAsync()
            {
                await _drained.Task.ConfigureAwait(false);
                this.Dispose();
            }

            public async Task CloseAsync()
            {
                await _drained.Task.ConfigureAwait(false);
                {|#0:this.Dispose()|};
            }
        }
        """, Tw1008(0, "Connection", "'Dispose()'", "async method 'CloseAsync'"));

    // A stream or writer wrapped around an in-memory stream writes into memory on dispose; one wrapped
    // around a file does not.
    [Fact]
    public Task WrappersOfInMemoryStreams_AreExempt_WrappersOfFilesAreNot() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.IO.Compression;
        using System.Security.Cryptography;
        using System.Threading.Tasks;

        class Codec
        {
            async Task<byte[]> Encrypt(byte[] bytes, ICryptoTransform encryptor)
            {
                using var destination = new MemoryStream();
                using var crypto = new CryptoStream(destination, encryptor, CryptoStreamMode.Write);
                await crypto.WriteAsync(bytes, 0, bytes.Length);
                using (var zip = new GZipStream(new MemoryStream(bytes), CompressionMode.Decompress))
                {
                    await zip.CopyToAsync(destination);
                }

                return destination.ToArray();
            }

            async Task Save(FileStream file, byte[] bytes)
            {
                await file.FlushAsync();
                {|#0:using|} var zip = new GZipStream(file, CompressionLevel.Optimal);
                await zip.WriteAsync(bytes, 0, bytes.Length);
            }
        }
        """, Tw1008(0, "GZipStream", "'using'", "async method 'Save'"));

    // MedallionShell copies an embedded resource to a file: the resource stream is read from the loaded
    // assembly image (typed as Stream); the FileStream it writes is reported.
    [Fact]
    public Task ManifestResourceStreams_AreExempt_TheFileWrittenIsNot() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Reflection;
        using System.Threading.Tasks;

        class Deployer
        {
            async Task M(string path)
            {
                using (var resource = typeof(Deployer).Assembly.GetManifestResourceStream("Signaler.exe"))
                {|#0:using|} (var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true))
                {
                    await resource.CopyToAsync(file).ConfigureAwait(false);
                }

                using var again = Assembly.GetExecutingAssembly().GetManifestResourceStream("x");
                await again.CopyToAsync(Stream.Null);
            }
        }
        """, Tw1008(0, "FileStream", "'using'"));

    // Discord.Net's gateway: `using (var reader = new StringReader(text)) using (var json = new
    // JsonReader(reader))` — an object of any type built over in-memory readers or streams only
    // closes memory when disposed. Built over a file, or over a stream parameter, it is reported.
    [Fact]
    public Task ObjectsBuiltOverInMemoryReaders_AreExempt() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading.Tasks;

        sealed class JsonReader : IDisposable, IAsyncDisposable
        {
            private readonly TextReader _reader;
            public JsonReader(TextReader reader) => _reader = reader;
            public void Dispose() => _reader.Dispose();
            public async ValueTask DisposeAsync() { await Task.Yield(); _reader.Dispose(); }
        }

        class Gateway
        {
            async Task M(string text, Stream network)
            {
                await Task.Yield();
                using (var reader = new StringReader(text))
                using (var json = new JsonReader(reader))
                {
                }

                var parser = new JsonReader(new StringReader(text));
                parser.Dispose();
                {|#0:using|} var remote = new JsonReader(new StreamReader(network));
            }
        }
        """, Tw1008(0, "JsonReader", "'using'"));

    // Json.NET's JsonReader implements IAsyncDisposable explicitly with `Dispose(true); return
    // default;` — over a pipe's stream, `await using` would close it the same way (found dogfooding
    // StreamJsonRpc). Its JsonWriter flushes asynchronously there and stays reported.
    [Theory]
    [MemberData(nameof(Frameworks))]
    public Task JsonNetReaders_AreExempt_WritersAreNot(string framework) => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading.Tasks;

        namespace Newtonsoft.Json
        {
            public abstract class JsonReader : IDisposable, IAsyncDisposable
            {
                public void Dispose() { }
                ValueTask IAsyncDisposable.DisposeAsync() { Dispose(); return default; }
            }

            public class JsonTextReader : JsonReader
            {
                public JsonTextReader(TextReader reader) { }
            }

            public abstract class JsonWriter : IDisposable, IAsyncDisposable
            {
                public void Dispose() { }
                async ValueTask IAsyncDisposable.DisposeAsync() => await Task.Yield();
            }

            public class JsonTextWriter : JsonWriter
            {
                public JsonTextWriter(TextWriter writer) { }
            }
        }

        class Formatter
        {
            async Task<int> M(Stream pipe)
            {
                await Task.Yield();
                using (var reader = new Newtonsoft.Json.JsonTextReader(new StreamReader(pipe)))
                {
                }

                Newtonsoft.Json.JsonReader again = new Newtonsoft.Json.JsonTextReader(new StreamReader(pipe));
                again.Dispose();
                {|#0:using|} var writer = new Newtonsoft.Json.JsonTextWriter(new StreamWriter(pipe));
                return 0;
            }
        }
        """, framework == "net10" ? References.Net100 : References.Net80, Tw1008(0, "JsonTextWriter", "'using'"));

    // ADO.NET: a command's async dispose does nothing more (exempt, also for provider subclasses); a
    // reader may drain rows and a connection may talk to the server (reported).
    [Fact]
    public Task AdoNetCommands_AreExempt_ReadersAndConnectionsAreNot() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Data.Common;
        using System.Threading.Tasks;

        class Store
        {
            async Task M(DbConnection connection, DbCommand prepared)
            {
                using var command = connection.CreateCommand();
                using (var again = connection.CreateCommand())
                {
                    await again.ExecuteNonQueryAsync();
                }

                {|#0:using|} var reader = await command.ExecuteReaderAsync();
                await reader.ReadAsync();
                prepared.Dispose();
                {|#1:connection.Dispose()|};
            }
        }
        """, Tw1008(0, "DbDataReader", "'using'"), Tw1008(1, "DbConnection", "'Dispose()'"));

    // A provider's reader or connection class from a referenced assembly that does not override
    // DisposeAsync (Microsoft.Data.SqlClient's and Microsoft.Data.Sqlite's): ADO.NET's base DisposeAsync only
    // calls Dispose, so `await using` would close it the same synchronous way. A provider class that
    // overrides it (Npgsql's reader), and a variable typed by the ADO.NET base, are reported.
    [Fact]
    public Task ProviderClassesWithoutAnAsyncDispose_AreNotReported() => VerifyAnalyzer.AnalyzerWithLibraryAsync("""
        using System.Data.Common;
        using System.Threading.Tasks;
        using Provider;

        class Store
        {
            async Task M(PlainCommand command, DrainingCommand draining, PlainConnection connection, DbConnection anyConnection)
            {
                using (var reader = await command.ExecuteReaderAsync())
                {
                    await reader.ReadAsync();
                }

                {|#0:using|} var drained = await draining.ExecuteReaderAsync();
                await drained.ReadAsync();
                using var transaction = connection.BeginTransaction();
                connection.Dispose();
                {|#1:anyConnection.Dispose()|};
            }
        }
        """, """
        using System;
        using System.Data;
        using System.Data.Common;
        using System.Threading;
        using System.Threading.Tasks;

        namespace Provider
        {
            public class PlainReader : DbDataReader
            {
                public override object this[int ordinal] => null!;
                public override object this[string name] => null!;
                public override int Depth => 0;
                public override int FieldCount => 0;
                public override bool HasRows => false;
                public override bool IsClosed => false;
                public override int RecordsAffected => 0;
                public override bool GetBoolean(int ordinal) => false;
                public override byte GetByte(int ordinal) => 0;
                public override long GetBytes(int ordinal, long dataOffset, byte[]? buffer, int bufferOffset, int length) => 0;
                public override char GetChar(int ordinal) => ' ';
                public override long GetChars(int ordinal, long dataOffset, char[]? buffer, int bufferOffset, int length) => 0;
                public override string GetDataTypeName(int ordinal) => "";
                public override DateTime GetDateTime(int ordinal) => default;
                public override decimal GetDecimal(int ordinal) => 0;
                public override double GetDouble(int ordinal) => 0;
                public override System.Collections.IEnumerator GetEnumerator() => null!;
                public override Type GetFieldType(int ordinal) => typeof(object);
                public override float GetFloat(int ordinal) => 0;
                public override Guid GetGuid(int ordinal) => default;
                public override short GetInt16(int ordinal) => 0;
                public override int GetInt32(int ordinal) => 0;
                public override long GetInt64(int ordinal) => 0;
                public override string GetName(int ordinal) => "";
                public override int GetOrdinal(string name) => 0;
                public override string GetString(int ordinal) => "";
                public override object GetValue(int ordinal) => null!;
                public override int GetValues(object[] values) => 0;
                public override bool IsDBNull(int ordinal) => false;
                public override bool NextResult() => false;
                public override bool Read() => false;
            }

            public sealed class DrainingReader : PlainReader
            {
                public override ValueTask DisposeAsync() => default;
            }

            public sealed class PlainCommand
            {
                public Task<PlainReader> ExecuteReaderAsync() => Task.FromResult(new PlainReader());
            }

            public sealed class DrainingCommand
            {
                public Task<DrainingReader> ExecuteReaderAsync() => Task.FromResult(new DrainingReader());
            }

            public sealed class PlainTransaction : DbTransaction
            {
                public override IsolationLevel IsolationLevel => IsolationLevel.ReadCommitted;
                protected override DbConnection? DbConnection => null;
                public override void Commit() { }
                public override void Rollback() { }
            }

            public class PlainConnection : DbConnection
            {
                public override string ConnectionString { get; set; } = "";
                public override string Database => "";
                public override string DataSource => "";
                public override string ServerVersion => "";
                public override ConnectionState State => ConnectionState.Closed;
                public override void ChangeDatabase(string databaseName) { }
                public override void Close() { }
                public override void Open() { }
                public new PlainTransaction BeginTransaction() => new PlainTransaction();
                protected override DbTransaction BeginDbTransaction(IsolationLevel isolationLevel) => new PlainTransaction();
                protected override DbCommand CreateDbCommand() => null!;
            }
        }
        """, Tw1008(0, "DrainingReader", "'using'"), Tw1008(1, "DbConnection", "'Dispose()'"));

    // Dotmim.Sync's CloseConnectionAsync: `if (connection.State == ConnectionState.Closed) connection.Dispose();`,
    // also in a `finally` after `await connection.CloseAsync()`. A connection known closed has nothing left
    // to close. A test of another state, of another connection, or a dispose outside the guarded branch is
    // reported.
    [Fact]
    public Task DisposeOfAConnectionKnownClosed_IsNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Data;
        using System.Data.Common;
        using System.Threading.Tasks;

        class Orchestrator
        {
            async Task CloseAsync(DbConnection connection, DbConnection other)
            {
                if (connection != null && connection.State == ConnectionState.Closed)
                {
                    connection.Dispose();
                    return;
                }

                try
                {
                    await connection.CloseAsync();
                }
                finally
                {
                    if (connection != null && ConnectionState.Closed == connection.State)
                        connection.Dispose();
                }

                if (connection.State == ConnectionState.Open)
                {
                    {|#0:connection.Dispose()|};
                }

                if (other.State == ConnectionState.Closed)
                {
                    {|#1:connection.Dispose()|};
                }

                if (connection.State == ConnectionState.Closed || other.State == ConnectionState.Closed)
                {
                    {|#2:connection.Dispose()|};
                }
            }
        }
        """, Tw1008(0, "DbConnection", "'Dispose()'", "async method 'CloseAsync'"), Tw1008(1, "DbConnection", "'Dispose()'", "async method 'CloseAsync'"),
        Tw1008(2, "DbConnection", "'Dispose()'", "async method 'CloseAsync'"));

    // `using var runner = await OpenAsync(); await using (runner.ConfigureAwait(false)) { … }` (Dotmim.Sync's
    // orchestrators): the `await using` statement of the same scope disposes the object asynchronously
    // first; the synchronous dispose at the end finds it disposed. One under an `if` may not run.
    [Fact]
    public Task LocalsAlsoAwaitUsedInTheirScope_AreNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        sealed class Runner : IDisposable, IAsyncDisposable
        {
            public void Dispose() { }
            public ValueTask DisposeAsync() => default;
        }

        class Orchestrator
        {
            Task<Runner> OpenAsync() => Task.FromResult(new Runner());

            async Task M(bool pooled)
            {
                using var runner = await OpenAsync();
                await using (runner.ConfigureAwait(false))
                {
                    await Task.Yield();
                }

                using (var other = await OpenAsync())
                await using (other)
                {
                    await Task.Yield();
                }

                {|#0:using|} var maybe = await OpenAsync();
                if (pooled)
                {
                    await using (maybe.ConfigureAwait(false))
                    {
                    }
                }

                {|#1:using|} var late = await OpenAsync();
                var unrelated = await OpenAsync();
                await using (unrelated.ConfigureAwait(false))
                {
                }
            }
        }
        """, Tw1008(0, "Runner", "'using'"), Tw1008(1, "Runner", "'using'"));

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                using (var x = new Missing()) { await Task.Yield(); }
                using var
                new Connection().Dispose(
            }
        }
        """ + Connection);

    // MonoTorrent's web-seed connection: a private `DataStream` that only ever holds an HTTP response
    // stream (`ReadAsStreamAsync`), a project stream without its own async dispose, or null, and is only
    // read from, disposed synchronously in async code: nothing is buffered to flush, as for such a local.
    // A member that is written through, that can hold a file opened to write, or that other types can
    // assign is reported.
    [Fact]
    public Task MembersThatOnlyHoldStreamsOpenedForReading_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Net.Http;
        using System.Threading.Tasks;

        class EmptyStream : Stream
        {
            public override bool CanRead => true;
            public override bool CanSeek => false;
            public override bool CanWrite => false;
            public override long Length => 0;
            public override long Position { get; set; }
            public override void Flush() { }
            public override int Read(byte[] buffer, int offset, int count) => 0;
            public override long Seek(long offset, SeekOrigin origin) => 0;
            public override void SetLength(long value) { }
            public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        }

        class WebSeed
        {
            private readonly HttpClient _client = new();
            private Stream DataStream { get; set; }
            private Stream _log;
            private Stream _copy;
            public Stream Shared;

            public async Task OpenAsync(Uri uri, bool empty)
            {
                DataStream = empty ? null : await (await _client.GetAsync(uri)).Content.ReadAsStreamAsync();
                if (DataStream == null)
                    DataStream = new EmptyStream();
                _log = File.OpenWrite("log");
                _copy = await _client.GetStreamAsync(uri);
                Shared = await _client.GetStreamAsync(uri);
            }

            public async Task<int> ReceiveAsync(byte[] buffer)
            {
                var read = await DataStream.ReadAsync(buffer, 0, buffer.Length);
                if (read == 0)
                {
                    DataStream.Dispose();
                    DataStream = null;
                }

                await _copy.CopyToAsync(_log);
                await _log.WriteAsync(buffer, 0, read);
                {|#0:_log.Dispose()|};
                {|#1:Shared.Dispose()|};
                {|#2:_copy.Dispose()|};
                return read;
            }

            public async Task CloseAsync()
            {
                using (DataStream)
                    await Task.Yield();
                {|#3:using|} (_log)
                    await Task.Yield();
            }
        }
        """,
        // `_copy` is only read from here, but nothing says its producer opened it for reading.
        Tw1008(0, "Stream", "'Dispose()'", "async method 'ReceiveAsync'"),
        Tw1008(1, "Stream", "'Dispose()'", "async method 'ReceiveAsync'"),
        Tw1008(2, "Stream", "'Dispose()'", "async method 'ReceiveAsync'"),
        Tw1008(3, "Stream", "'using'", "async method 'CloseAsync'"));

    // Members under edit: an assignment that does not bind, a mention in a half-typed call.
    // Code under edit: an `await using` of the local half written, a state test on a missing member (it
    // proves nothing: still reported), a provider class that does not resolve.
    [Fact]
    public Task BrokenAwaitUsesClosedTestsAndProviderClasses_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Data;
        using System.Data.Common;
        using System.Threading.Tasks;

        class C
        {
            async Task M(DbConnection connection, Missing provider)
            {
                using var runner = await Open();
                await using (runner.
                if (connection.State == ConnectionState.)
                    {|#0:connection.Dispose()|};
                if (connection.State == Missing.Closed)
                    {|#1:connection.Dispose()|};
                using var reader = await provider.ExecuteReaderAsync();
            }

            Task<Unknown> Open() => null;
        }
        """, Tw1008(0, "DbConnection", "'Dispose()'"), Tw1008(1, "DbConnection", "'Dispose()'"));

    [Fact]
    public Task BrokenStreamMembers_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            private Stream _data;

            async Task OpenAsync() => _data = await Missing.OpenReadAsync(;

            async Task M()
            {
                await _data.ReadAsync(new byte[1], 0, );
                {|#0:_data.Dispose()|};
            }
        }
        """,
        // An assignment that does not bind proves nothing about what the member holds.
        Tw1008(0, "Stream", "'Dispose()'"));

    // The read-only and closed-by-a-writer questions, asked of streams whose producers and uses are half-typed.
    [Fact]
    public Task BrokenStreamUses_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Stream target)
            {
                using var read = await Missing.OpenReadAsync(;
                await read.CopyToAsync(target);
                {|#0:using|} var file = File.OpenWrite("p");
                {|#1:using|} var writer = new StreamWriter(file, );
                await writer.WriteAsync("x");
                {|#2:using|} var other = File.OpenWrite("q");
                other.Missing();
            }
        }
        """,
        // A stream of an unknown type is left alone; a writer whose creation does not bind closes nothing
        // for sure; a call that does not bind is no read.
        Tw1008(0, "FileStream", "'using'"), Tw1008(1, "StreamWriter", "'using'"), Tw1008(2, "FileStream", "'using'"));

    [Fact]
    public Task Fix_AwaitUsing_AndDisposeAsync_KeepingConfigureAwait() => VerifyFix.CodeFixAsync("""
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                // open
                {|#0:using|} (var connection = new Connection())
                {
                    await connection.SendAsync();
                }

                {|#1:using|} var second = new Connection();
                await second.SendAsync();
            }

            async Task Library(Connection connection)
            {
                await connection.SendAsync().ConfigureAwait(false);
                {|#2:connection.Dispose()|}; // done
            }
        }
        """ + Connection, """
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                // open
                await using (var connection = new Connection())
                {
                    await connection.SendAsync();
                }

                await using var second = new Connection();
                await second.SendAsync();
            }

            async Task Library(Connection connection)
            {
                await connection.SendAsync().ConfigureAwait(false);
                await connection.DisposeAsync().ConfigureAwait(false); // done
            }
        }
        """ + Connection,
        Tw1008(0, "Connection", "'using'"), Tw1008(1, "Connection", "'using'"), Tw1008(2, "Connection", "'Dispose()'", "async method 'Library'"));

    // Quartz and the MongoDB driver write `.ConfigureAwait(false)` everywhere: the dispose must not
    // capture the context either, and `await using (x.ConfigureAwait(false))` changes x's type, so the
    // resource goes into a plain local and `await using` holds its configured disposable.
    [Fact]
    public Task Fix_ConfiguredUsing_KeepsTheResourceInALocal() => VerifyFix.CodeFixAsync("""
        #nullable enable
        using System.Threading.Tasks;

        class C
        {
            async Task M(Factory factory)
            {
                {|#0:using|} var connection = new Connection();
                await connection.SendAsync().ConfigureAwait(false);

                // the second connection
                {|#1:using|} (var second = await factory.OpenAsync().ConfigureAwait(false))
                {
                    await second.SendAsync().ConfigureAwait(false);
                }

                {|#2:using|} (factory.Create())
                {
                    await Task.Delay(1).ConfigureAwait(false);
                }
            }
        }

        class Factory
        {
            public Task<Connection> OpenAsync() => Task.FromResult(new Connection());
            public Connection Create() => new Connection();
        }
        """ + Connection, """
        #nullable enable
        using System.Threading.Tasks;

        class C
        {
            async Task M(Factory factory)
            {
                var connection = new Connection();
                await using var connectionDisposal = connection.ConfigureAwait(false);
                await connection.SendAsync().ConfigureAwait(false);

                // the second connection
                var second = await factory.OpenAsync().ConfigureAwait(false);
                await using (second.ConfigureAwait(false))
                {
                    await second.SendAsync().ConfigureAwait(false);
                }

                await using (factory.Create().ConfigureAwait(false))
                {
                    await Task.Delay(1).ConfigureAwait(false);
                }
            }
        }

        class Factory
        {
            public Task<Connection> OpenAsync() => Task.FromResult(new Connection());
            public Connection Create() => new Connection();
        }
        """ + Connection, Tw1008(0, "Connection", "'using'"), Tw1008(1, "Connection", "'using'"), Tw1008(2, "Connection", "'using'"));

    // `using` skips a null resource, a configured disposable of null throws: no fix where the resource
    // may be null (or nullability is unknown), nor where moving the variable out would clash with a
    // later declaration of its name.
    [Fact]
    public Task Fix_ConfiguredUsing_IsNotOffered_ForMaybeNullResourcesOrClashingNames() => VerifyFix.NoCodeFixAsync("""
        #nullable enable
        using System.Threading.Tasks;

        class C
        {
            async Task M(Factory factory)
            {
                {|#0:using|} var found = factory.Find();
                await Task.Delay(1).ConfigureAwait(false);
                {|#1:using|} (var second = new Connection())
                {
                    await second.SendAsync().ConfigureAwait(false);
                }

                foreach (var second in new int[0]) { }
            }

        #nullable disable
            async Task Unknown(Factory factory)
            {
                {|#2:using|} var made = factory.Create();
                await made.SendAsync().ConfigureAwait(false);
            }
        }

        class Factory
        {
            public Connection? Find() => null;
            public Connection Create() => new Connection();
        }
        """ + Connection, Tw1008(0, "Connection", "'using'"), Tw1008(1, "Connection", "'using'"), Tw1008(2, "Connection", "'using'", "async method 'Unknown'"));

    [Fact]
    public Task FilesOpenedOnlyForReading_AreNotReported_WrittenFilesAre() => VerifyAnalyzer.AnalyzerAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class Replay
        {
            async Task M(string path)
            {
                using var read = File.OpenRead(path);
                using (var shared = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read))
                {
                    await read.CopyToAsync(shared);
                }

                using var opened = File.Open(path, FileMode.Open, FileAccess.Read, FileShare.Read);
                {|#0:using|} var written = File.OpenWrite(path);
                {|#1:using|} var both = new FileStream(path, FileMode.Open);
                {|#2:using|} var openedForWriting = File.Open(path, FileMode.Open, FileAccess.ReadWrite);
                await written.WriteAsync(new byte[1]);
            }
        }
        """, Tw1008(0, "FileStream", "'using'"), Tw1008(1, "FileStream", "'using'"), Tw1008(2, "FileStream", "'using'"));

    // Npgsql's dual-path readers: `if (async) await reader.DisposeAsync(); else reader.Dispose();` — the
    // synchronous branch is the synchronous API's path, its async twin is right beside it.
    [Fact]
    public Task TheSynchronousBranchOfADualPath_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.IO;
        using System.Threading.Tasks;

        class Reader : IDisposable, IAsyncDisposable
        {
            public void Dispose() { }
            public ValueTask DisposeAsync() => default;
        }

        class Command
        {
            async Task<int> Execute(bool async, Reader reader, Stream stream)
            {
                try
                {
                    await Task.Yield();
                    return 1;
                }
                finally
                {
                    if (async)
                        await reader.DisposeAsync().ConfigureAwait(false);
                    else
                        reader.Dispose();
                }
            }

            async Task M(Reader reader)
            {
                await Task.Yield();
                {|#0:reader.Dispose()|};
            }
        }
        """, Tw1008(0, "Reader", "'Dispose()'"));

    // MySqlConnector's IOBehavior methods: one async method serves the synchronous API too, so a
    // `using` outside any branch is right for both callers; `await using` would make the synchronous
    // path asynchronous. A parameter that only names a path (a bool `async`/`sync`, a mode enum with a
    // Synchronous member) says so; other bool and enum parameters (`synchronized`) do not.
    [Fact]
    public Task UsingInAMethodThatTakesAPathParameter_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        enum IOBehavior { Synchronous, Asynchronous }
        enum Behavior { Default, SchemaOnly }

        class Reader : IDisposable, IAsyncDisposable
        {
            public void Dispose() { }
            public ValueTask DisposeAsync() => default;
        }

        class Command
        {
            async Task<int> ExecuteAsync(IOBehavior ioBehavior, Func<Task<Reader>> open)
            {
                using var reader = await open();
                return 1;
            }

            async Task<int> ExecuteAsync(bool isAsync, Func<Task<Reader>> open)
            {
                var reader = await open();
                reader.Dispose();
                return 1;
            }

            async Task<int> M(Behavior behavior, bool leaveOpen, bool synchronized, Func<Task<Reader>> open)
            {
                {|#0:using|} var reader = await open();
                var other = await open();
                {|#1:other.Dispose()|};
                return 1;
            }
        }
        """, Tw1008(0, "Reader", "'using'"), Tw1008(1, "Reader", "'Dispose()'"));
}
