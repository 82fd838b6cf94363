using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace Threadwise.Core;

/// <summary>
/// The BCL types the rules compare against, resolved at most once per compilation and shared by
/// every Threadwise analyzer running on it. Each type is resolved on first use, so a compilation
/// that never asks for <c>Process</c> never pays for looking it up.
/// </summary>
internal sealed class KnownSymbols
{
    // Keyed weakly by compilation: the entry goes away with the compilation, so nothing outlives
    // the IDE's snapshot, and every analyzer of one compilation shares one set of lookups.
    private static readonly ConditionalWeakTable<Compilation, KnownSymbols> Cache = new();

    private static readonly object Missing = new();

    private static readonly string[] MetadataNames =
    {
        "System.Threading.Thread",
        "System.Threading.CancellationToken",
        "System.Threading.CancellationTokenSource",
        "System.Threading.Tasks.Task",
        "System.Threading.Tasks.Task`1",
        "System.Threading.Tasks.ValueTask",
        "System.Threading.Tasks.ValueTask`1",
        "System.Runtime.CompilerServices.TaskAwaiter",
        "System.Runtime.CompilerServices.TaskAwaiter`1",
        "System.Runtime.CompilerServices.ValueTaskAwaiter",
        "System.Runtime.CompilerServices.ValueTaskAwaiter`1",
        "System.Runtime.CompilerServices.ConfiguredTaskAwaitable+ConfiguredTaskAwaiter",
        "System.Runtime.CompilerServices.ConfiguredTaskAwaitable`1+ConfiguredTaskAwaiter",
        "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable+ConfiguredValueTaskAwaiter",
        "System.Runtime.CompilerServices.ConfiguredValueTaskAwaitable`1+ConfiguredValueTaskAwaiter",
        "System.TimeSpan",
        "System.ObsoleteAttribute",
        "System.Threading.WaitHandle",
        "System.Threading.Monitor",
        "System.Collections.Concurrent.BlockingCollection`1",
        "System.Threading.CountdownEvent",
        "System.Threading.Barrier",
        "System.Threading.ManualResetEventSlim",
        "System.IO.MemoryStream",
        "System.IO.UnmanagedMemoryStream",
        "System.IO.StringReader",
        "System.IO.StringWriter",
        "System.Xml.XmlReader",
        "System.Xml.XmlWriter",
        "Microsoft.EntityFrameworkCore.DbSet`1",
        "Microsoft.EntityFrameworkCore.DbContext",
        "System.Diagnostics.Process",
        "System.Collections.Generic.List`1",
        "System.Threading.Tasks.Parallel",
        "System.Threading.Interlocked",
        "System.Threading.Volatile",
        "System.EventArgs",
        "System.Collections.IEnumerable",
        "System.Linq.Enumerable",
        "System.Threading.Tasks.TaskFactory",
        "System.Threading.Tasks.TaskFactory`1",
        "System.Threading.Tasks.TaskCreationOptions",
        "System.Threading.ThreadPool",
        "System.Threading.Timer",
        "System.Timers.Timer",
        "System.Linq.ParallelEnumerable",
        "System.Linq.ParallelQuery`1",
        "System.Threading.SemaphoreSlim",
        "System.Threading.ReaderWriterLockSlim",
        "System.Threading.Mutex",
        "System.Threading.SpinLock",
        "System.Threading.Lock",
        "System.ThreadStaticAttribute",
        "System.Collections.Generic.Dictionary`2",
        "System.Collections.Generic.HashSet`1",
        "System.Collections.Generic.Queue`1",
        "System.Collections.Generic.Stack`1",
        "System.Collections.Generic.SortedDictionary`2",
        "System.Collections.Generic.SortedSet`1",
        "System.Collections.Generic.LinkedList`1",
        "System.Collections.Generic.SortedList`2",
        "System.Type",
        "System.Threading.Tasks.TaskStatus",
        "System.Runtime.CompilerServices.INotifyCompletion",
        "System.IAsyncDisposable",
        "System.Threading.CancellationTokenRegistration",
        "System.Threading.Tasks.TaskCompletionSource",
        "System.Threading.Tasks.TaskCompletionSource`1",
        "System.IO.File",
        "System.IO.FileStream",
        "System.IO.FileAccess",
        "System.Data.Common.DbCommand",
        "System.Data.Common.DbBatch",
        "System.Data.Common.DbDataReader",
        "System.Data.Common.DbConnection",
        "System.Data.Common.DbTransaction",
        "System.IO.Stream",
        "System.IO.TextWriter",
        "System.IO.TextReader",
        "MimeKit.IO.MemoryBlockStream",
        "Newtonsoft.Json.JsonReader",
        "Akka.Actor.PipeToSupport",
        "System.Net.Http.HttpClient",
        "System.Net.Http.HttpResponseMessage",
        "System.Net.Http.HttpCompletionOption",
        "System.Linq.Expressions.Expression`1",
        "System.Threading.RateLimiting.ConcurrencyLimiter",
        "System.Threading.RateLimiting.TokenBucketRateLimiter",
        "System.Threading.RateLimiting.FixedWindowRateLimiter",
        "System.Threading.RateLimiting.SlidingWindowRateLimiter",
        "Microsoft.Data.Sqlite.SqliteConnection",
        "Microsoft.Data.Sqlite.SqliteCommand",
        "Microsoft.Data.Sqlite.SqliteDataReader",
        "Microsoft.Data.Sqlite.SqliteTransaction",
        "Microsoft.Data.Sqlite.SqliteBlob",
        "System.Buffers.ReadOnlySequence`1",
        "System.SequencePosition",
        "System.Memory`1",
        "System.ReadOnlyMemory`1",
        "System.ArraySegment`1",
        "System.Buffers.ArrayPool`1",
        "System.Buffers.MemoryPool`1",
        "System.Buffers.IMemoryOwner`1",
    };

    private readonly Compilation _compilation;
    private readonly object?[] _slots = new object?[MetadataNames.Length];

    private KnownSymbols(Compilation compilation) => _compilation = compilation;

    public static KnownSymbols For(Compilation compilation)
        => Cache.GetValue(compilation, static c => new KnownSymbols(c));

    /// <summary>The compilation these symbols were resolved in.</summary>
    public Compilation Compilation => _compilation;

    public INamedTypeSymbol? Thread => Get(KnownType.Thread);

    public INamedTypeSymbol? CancellationToken => Get(KnownType.CancellationToken);

    public INamedTypeSymbol? CancellationTokenSource => Get(KnownType.CancellationTokenSource);

    public INamedTypeSymbol? Task => Get(KnownType.Task);

    public INamedTypeSymbol? TaskOfT => Get(KnownType.TaskOfT);

    public INamedTypeSymbol? ValueTask => Get(KnownType.ValueTask);

    public INamedTypeSymbol? ValueTaskOfT => Get(KnownType.ValueTaskOfT);

    public INamedTypeSymbol? TaskAwaiter => Get(KnownType.TaskAwaiter);

    public INamedTypeSymbol? TaskAwaiterOfT => Get(KnownType.TaskAwaiterOfT);

    public INamedTypeSymbol? ValueTaskAwaiter => Get(KnownType.ValueTaskAwaiter);

    public INamedTypeSymbol? ValueTaskAwaiterOfT => Get(KnownType.ValueTaskAwaiterOfT);

    public INamedTypeSymbol? ConfiguredTaskAwaiter => Get(KnownType.ConfiguredTaskAwaiter);

    public INamedTypeSymbol? ConfiguredTaskAwaiterOfT => Get(KnownType.ConfiguredTaskAwaiterOfT);

    public INamedTypeSymbol? ConfiguredValueTaskAwaiter => Get(KnownType.ConfiguredValueTaskAwaiter);

    public INamedTypeSymbol? ConfiguredValueTaskAwaiterOfT => Get(KnownType.ConfiguredValueTaskAwaiterOfT);

    public INamedTypeSymbol? TimeSpan => Get(KnownType.TimeSpan);

    public INamedTypeSymbol? ObsoleteAttribute => Get(KnownType.ObsoleteAttribute);

    public INamedTypeSymbol? WaitHandle => Get(KnownType.WaitHandle);

    public INamedTypeSymbol? Monitor => Get(KnownType.Monitor);

    public INamedTypeSymbol? BlockingCollectionOfT => Get(KnownType.BlockingCollectionOfT);

    public INamedTypeSymbol? CountdownEvent => Get(KnownType.CountdownEvent);

    public INamedTypeSymbol? Barrier => Get(KnownType.Barrier);

    public INamedTypeSymbol? ManualResetEventSlim => Get(KnownType.ManualResetEventSlim);

    public INamedTypeSymbol? MemoryStream => Get(KnownType.MemoryStream);

    public INamedTypeSymbol? UnmanagedMemoryStream => Get(KnownType.UnmanagedMemoryStream);

    public INamedTypeSymbol? StringReader => Get(KnownType.StringReader);

    public INamedTypeSymbol? StringWriter => Get(KnownType.StringWriter);

    public INamedTypeSymbol? XmlReader => Get(KnownType.XmlReader);

    public INamedTypeSymbol? XmlWriter => Get(KnownType.XmlWriter);

    public INamedTypeSymbol? EfDbSetOfT => Get(KnownType.EfDbSetOfT);

    public INamedTypeSymbol? EfDbContext => Get(KnownType.EfDbContext);

    public INamedTypeSymbol? Process => Get(KnownType.Process);

    public INamedTypeSymbol? ListOfT => Get(KnownType.ListOfT);

    public INamedTypeSymbol? Parallel => Get(KnownType.Parallel);

    public INamedTypeSymbol? Interlocked => Get(KnownType.Interlocked);

    public INamedTypeSymbol? Volatile => Get(KnownType.Volatile);

    public INamedTypeSymbol? EventArgs => Get(KnownType.EventArgs);

    public INamedTypeSymbol? IEnumerable => Get(KnownType.IEnumerable);

    public INamedTypeSymbol? Enumerable => Get(KnownType.Enumerable);

    public INamedTypeSymbol? TaskFactory => Get(KnownType.TaskFactory);

    public INamedTypeSymbol? TaskFactoryOfT => Get(KnownType.TaskFactoryOfT);

    public INamedTypeSymbol? TaskCreationOptions => Get(KnownType.TaskCreationOptions);

    public INamedTypeSymbol? ThreadPool => Get(KnownType.ThreadPool);

    public INamedTypeSymbol? ThreadingTimer => Get(KnownType.ThreadingTimer);

    public INamedTypeSymbol? TimersTimer => Get(KnownType.TimersTimer);

    public INamedTypeSymbol? ParallelEnumerable => Get(KnownType.ParallelEnumerable);

    public INamedTypeSymbol? ParallelQueryOfT => Get(KnownType.ParallelQueryOfT);

    public INamedTypeSymbol? SemaphoreSlim => Get(KnownType.SemaphoreSlim);

    public INamedTypeSymbol? ReaderWriterLockSlim => Get(KnownType.ReaderWriterLockSlim);

    public INamedTypeSymbol? Mutex => Get(KnownType.Mutex);

    public INamedTypeSymbol? SpinLock => Get(KnownType.SpinLock);

    public INamedTypeSymbol? ThreadingLock => Get(KnownType.ThreadingLock);

    public INamedTypeSymbol? ThreadStaticAttribute => Get(KnownType.ThreadStaticAttribute);

    public INamedTypeSymbol? DictionaryOfKV => Get(KnownType.DictionaryOfKV);

    public INamedTypeSymbol? HashSetOfT => Get(KnownType.HashSetOfT);

    public INamedTypeSymbol? QueueOfT => Get(KnownType.QueueOfT);

    public INamedTypeSymbol? StackOfT => Get(KnownType.StackOfT);

    public INamedTypeSymbol? SortedDictionaryOfKV => Get(KnownType.SortedDictionaryOfKV);

    public INamedTypeSymbol? SortedSetOfT => Get(KnownType.SortedSetOfT);

    public INamedTypeSymbol? LinkedListOfT => Get(KnownType.LinkedListOfT);

    public INamedTypeSymbol? SortedListOfKV => Get(KnownType.SortedListOfKV);

    public INamedTypeSymbol? Type => Get(KnownType.Type);

    public INamedTypeSymbol? TaskStatus => Get(KnownType.TaskStatus);

    public INamedTypeSymbol? INotifyCompletion => Get(KnownType.INotifyCompletion);

    public INamedTypeSymbol? IAsyncDisposable => Get(KnownType.IAsyncDisposable);

    public INamedTypeSymbol? CancellationTokenRegistration => Get(KnownType.CancellationTokenRegistration);

    public INamedTypeSymbol? TaskCompletionSource => Get(KnownType.TaskCompletionSource);

    public INamedTypeSymbol? TaskCompletionSourceOfT => Get(KnownType.TaskCompletionSourceOfT);

    public INamedTypeSymbol? File => Get(KnownType.File);

    public INamedTypeSymbol? FileStream => Get(KnownType.FileStream);

    public INamedTypeSymbol? FileAccess => Get(KnownType.FileAccess);

    public INamedTypeSymbol? DbCommand => Get(KnownType.DbCommand);

    public INamedTypeSymbol? DbBatch => Get(KnownType.DbBatch);

    public INamedTypeSymbol? DbDataReader => Get(KnownType.DbDataReader);

    public INamedTypeSymbol? DbConnection => Get(KnownType.DbConnection);

    public INamedTypeSymbol? DbTransaction => Get(KnownType.DbTransaction);

    public INamedTypeSymbol? Stream => Get(KnownType.Stream);

    public INamedTypeSymbol? TextWriter => Get(KnownType.TextWriter);

    public INamedTypeSymbol? TextReader => Get(KnownType.TextReader);

    /// <summary>MimeKit's in-memory stream (blocks of memory, no I/O), used throughout MailKit.</summary>
    public INamedTypeSymbol? MimeKitMemoryBlockStream => Get(KnownType.MimeKitMemoryBlockStream);

    /// <summary>Json.NET's reader: its (explicit) <c>DisposeAsync</c> only calls <c>Dispose(true)</c>.</summary>
    public INamedTypeSymbol? NewtonsoftJsonReader => Get(KnownType.NewtonsoftJsonReader);

    /// <summary>Akka.NET's <c>task.PipeTo(actor)</c>: sends the outcome to an actor and returns a detached task.</summary>
    public INamedTypeSymbol? AkkaPipeToSupport => Get(KnownType.AkkaPipeToSupport);

    public INamedTypeSymbol? HttpClient => Get(KnownType.HttpClient);

    public INamedTypeSymbol? HttpResponseMessage => Get(KnownType.HttpResponseMessage);

    public INamedTypeSymbol? HttpCompletionOption => Get(KnownType.HttpCompletionOption);

    public INamedTypeSymbol? ExpressionOfT => Get(KnownType.ExpressionOfT);

    /// <summary>The in-box rate limiters (sealed), whose <c>DisposeAsync</c> only calls <c>Dispose(true)</c>.</summary>
    public bool IsInBoxRateLimiter(ITypeSymbol? type)
        => type is INamedTypeSymbol { TypeKind: TypeKind.Class, IsSealed: true } named
           && (SymbolEqualityComparer.Default.Equals(named, Get(KnownType.ConcurrencyLimiter))
               || SymbolEqualityComparer.Default.Equals(named, Get(KnownType.TokenBucketRateLimiter))
               || SymbolEqualityComparer.Default.Equals(named, Get(KnownType.FixedWindowRateLimiter))
               || SymbolEqualityComparer.Default.Equals(named, Get(KnownType.SlidingWindowRateLimiter)));

    /// <summary>A Microsoft.Data.Sqlite class (connection, command, reader, transaction, blob) or one derived from
    /// it: SQLite has no asynchronous I/O, and the provider's async methods run synchronously (its documentation
    /// says to avoid them).</summary>
    public bool IsMicrosoftDataSqlite(ITypeSymbol? type)
        => type is INamedTypeSymbol { TypeKind: TypeKind.Class }
           && (IsOrDerivesFrom(type, Get(KnownType.SqliteConnection))
               || IsOrDerivesFrom(type, Get(KnownType.SqliteCommand))
               || IsOrDerivesFrom(type, Get(KnownType.SqliteDataReader))
               || IsOrDerivesFrom(type, Get(KnownType.SqliteTransaction))
               || IsOrDerivesFrom(type, Get(KnownType.SqliteBlob)));

    /// <summary>True for <c>Task</c>, <c>Task&lt;T&gt;</c>, <c>ValueTask</c> and <c>ValueTask&lt;T&gt;</c>.</summary>
    public bool IsTaskType(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol named)
        {
            return false;
        }

        var definition = named.OriginalDefinition;
        return SymbolEqualityComparer.Default.Equals(definition, Task)
               || SymbolEqualityComparer.Default.Equals(definition, TaskOfT)
               || SymbolEqualityComparer.Default.Equals(definition, ValueTask)
               || SymbolEqualityComparer.Default.Equals(definition, ValueTaskOfT);
    }

    /// <summary>A BCL collection that is not safe for concurrent mutation (<c>List&lt;T&gt;</c>, <c>Dictionary&lt;K,V&gt;</c>, …).</summary>
    public bool IsUnsafeCollection(ITypeSymbol? type)
    {
        if (type is not INamedTypeSymbol { IsGenericType: true } named)
        {
            return false;
        }

        var definition = named.OriginalDefinition;
        return Is(definition, ListOfT) || Is(definition, DictionaryOfKV) || Is(definition, HashSetOfT)
               || Is(definition, QueueOfT) || Is(definition, StackOfT) || Is(definition, SortedDictionaryOfKV)
               || Is(definition, SortedSetOfT) || Is(definition, LinkedListOfT) || Is(definition, SortedListOfKV);

        static bool Is(ITypeSymbol definition, INamedTypeSymbol? known) => SymbolEqualityComparer.Default.Equals(definition, known);
    }

    /// <summary><c>ValueTask</c> or <c>ValueTask&lt;T&gt;</c>.</summary>
    public bool IsValueTaskType(ITypeSymbol? type)
        => type is INamedTypeSymbol named
           && (SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, ValueTask)
               || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, ValueTaskOfT));

    /// <summary>True when <paramref name="type"/> is <paramref name="candidate"/> or derives from it.</summary>
    public static bool IsOrDerivesFrom(ITypeSymbol? type, INamedTypeSymbol? candidate)
    {
        if (candidate is null)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current.OriginalDefinition, candidate))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>A value that only holds or hands out memory: <c>ReadOnlySequence&lt;T&gt;</c>, <c>SequencePosition</c>,
    /// <c>Memory&lt;T&gt;</c>, <c>ReadOnlyMemory&lt;T&gt;</c>, <c>ArraySegment&lt;T&gt;</c>, and the pools and owners
    /// such memory comes from (<c>ArrayPool&lt;T&gt;</c>, <c>MemoryPool&lt;T&gt;</c>, <c>IMemoryOwner&lt;T&gt;</c>).</summary>
    public bool IsMemoryHolder(ITypeSymbol? type)
    {
        if (type?.OriginalDefinition is not INamedTypeSymbol definition)
        {
            return false;
        }

        for (var known = KnownType.ReadOnlySequenceOfT; known <= KnownType.MemoryOwnerOfT; known++)
        {
            if (SymbolEqualityComparer.Default.Equals(definition, Get(known)))
            {
                return true;
            }
        }

        return false;
    }

    private INamedTypeSymbol? Get(KnownType type)
    {
        var index = (int)type;
        var value = System.Threading.Volatile.Read(ref _slots[index]);
        if (value is null)
        {
            // Racing threads resolve the same symbol; whichever publishes first wins.
            value = (object?)_compilation.GetTypeByMetadataName(MetadataNames[index]) ?? Missing;
            value = System.Threading.Interlocked.CompareExchange(ref _slots[index], value, null) ?? value;
        }

        return value as INamedTypeSymbol;
    }

    // In the order of MetadataNames.
    private enum KnownType
    {
        Thread,
        CancellationToken,
        CancellationTokenSource,
        Task,
        TaskOfT,
        ValueTask,
        ValueTaskOfT,
        TaskAwaiter,
        TaskAwaiterOfT,
        ValueTaskAwaiter,
        ValueTaskAwaiterOfT,
        ConfiguredTaskAwaiter,
        ConfiguredTaskAwaiterOfT,
        ConfiguredValueTaskAwaiter,
        ConfiguredValueTaskAwaiterOfT,
        TimeSpan,
        ObsoleteAttribute,
        WaitHandle,
        Monitor,
        BlockingCollectionOfT,
        CountdownEvent,
        Barrier,
        ManualResetEventSlim,
        MemoryStream,
        UnmanagedMemoryStream,
        StringReader,
        StringWriter,
        XmlReader,
        XmlWriter,
        EfDbSetOfT,
        EfDbContext,
        Process,
        ListOfT,
        Parallel,
        Interlocked,
        Volatile,
        EventArgs,
        IEnumerable,
        Enumerable,
        TaskFactory,
        TaskFactoryOfT,
        TaskCreationOptions,
        ThreadPool,
        ThreadingTimer,
        TimersTimer,
        ParallelEnumerable,
        ParallelQueryOfT,
        SemaphoreSlim,
        ReaderWriterLockSlim,
        Mutex,
        SpinLock,
        ThreadingLock,
        ThreadStaticAttribute,
        DictionaryOfKV,
        HashSetOfT,
        QueueOfT,
        StackOfT,
        SortedDictionaryOfKV,
        SortedSetOfT,
        LinkedListOfT,
        SortedListOfKV,
        Type,
        TaskStatus,
        INotifyCompletion,
        IAsyncDisposable,
        CancellationTokenRegistration,
        TaskCompletionSource,
        TaskCompletionSourceOfT,
        File,
        FileStream,
        FileAccess,
        DbCommand,
        DbBatch,
        DbDataReader,
        DbConnection,
        DbTransaction,
        Stream,
        TextWriter,
        TextReader,
        MimeKitMemoryBlockStream,
        NewtonsoftJsonReader,
        AkkaPipeToSupport,
        HttpClient,
        HttpResponseMessage,
        HttpCompletionOption,
        ExpressionOfT,
        ConcurrencyLimiter,
        TokenBucketRateLimiter,
        FixedWindowRateLimiter,
        SlidingWindowRateLimiter,
        SqliteConnection,
        SqliteCommand,
        SqliteDataReader,
        SqliteTransaction,
        SqliteBlob,
        ReadOnlySequenceOfT,
        SequencePosition,
        MemoryOfT,
        ReadOnlyMemoryOfT,
        ArraySegmentOfT,
        ArrayPoolOfT,
        MemoryPoolOfT,
        MemoryOwnerOfT,
    }
}
