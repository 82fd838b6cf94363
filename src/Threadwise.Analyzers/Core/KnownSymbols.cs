using System.Runtime.CompilerServices;
using System.Threading;
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
        "System.Threading.Tasks.Task",
        "System.Threading.Tasks.Task`1",
        "System.Threading.Tasks.ValueTask",
        "System.Threading.Tasks.ValueTask`1",
        "System.TimeSpan",
    };

    private readonly Compilation _compilation;
    private readonly object?[] _slots = new object?[MetadataNames.Length];

    private KnownSymbols(Compilation compilation) => _compilation = compilation;

    public static KnownSymbols For(Compilation compilation)
        => Cache.GetValue(compilation, static c => new KnownSymbols(c));

    public INamedTypeSymbol? Thread => Get(KnownType.Thread);

    public INamedTypeSymbol? CancellationToken => Get(KnownType.CancellationToken);

    public INamedTypeSymbol? Task => Get(KnownType.Task);

    public INamedTypeSymbol? TaskOfT => Get(KnownType.TaskOfT);

    public INamedTypeSymbol? ValueTask => Get(KnownType.ValueTask);

    public INamedTypeSymbol? ValueTaskOfT => Get(KnownType.ValueTaskOfT);

    public INamedTypeSymbol? TimeSpan => Get(KnownType.TimeSpan);

    private INamedTypeSymbol? Get(KnownType type)
    {
        var index = (int)type;
        var value = Volatile.Read(ref _slots[index]);
        if (value is null)
        {
            // Racing threads resolve the same symbol; whichever publishes first wins.
            value = (object?)_compilation.GetTypeByMetadataName(MetadataNames[index]) ?? Missing;
            value = Interlocked.CompareExchange(ref _slots[index], value, null) ?? value;
        }

        return value as INamedTypeSymbol;
    }

    private enum KnownType
    {
        Thread,
        CancellationToken,
        Task,
        TaskOfT,
        ValueTask,
        ValueTaskOfT,
        TimeSpan,
    }
}
