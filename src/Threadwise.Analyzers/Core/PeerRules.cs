using System.Collections.Immutable;

namespace Threadwise.Core;

/// <summary>
/// The rules of other analyzers that report the same mistake as a Threadwise rule (the table in
/// docs/peer-rules.md; a test keeps the two equal). Code that disables one of them with
/// <c>#pragma warning disable</c> has said, in the code, that the mistake is intended there.
/// </summary>
internal static class PeerRules
{
    public static ImmutableDictionary<string, ImmutableArray<string>> ByRule { get; } = new (string Rule, string[] Peers)[]
    {
        ("TW1002", new[] { "VSTHRD103", "VSTHRD002", "AsyncFixer02", "MA0042", "S4462" }),
        ("TW1003", new[] { "VSTHRD103", "AsyncFixer02", "MA0042" }),
        ("TW1004", new[] { "VSTHRD103", "AsyncFixer02", "CA1849", "MA0042", "S6966" }),
        ("TW1005", new[] { "VSTHRD002", "MA0045", "S4462" }),
        ("TW1007", new[] { "CA2016", "MA0040" }),
        ("TW1008", new[] { "VSTHRD103", "CA1849", "MA0042" }),
        ("TW2004", new[] { "CA2002", "MA0064", "RCS1059", "S2551", "S2445" }),
        ("TW2006", new[] { "S2222" }),
        ("TW3005", new[] { "AsyncFixer05" }),
        ("TW4002", new[] { "CS4014", "VSTHRD110", "MA0134" }),
        ("TW4004", new[] { "VSTHRD100", "AsyncFixer03", "S3168" }),
        ("TW4005", new[] { "VSTHRD101", "AsyncFixer03" }),
        ("TW4007", new[] { "RCS1229", "MA0100" }),
        ("TW4008", new[] { "CA2012", "VSTHRD002" }),
    }.ToImmutableDictionary(entry => entry.Rule, entry => ImmutableArray.Create(entry.Peers));

    /// <summary>ReSharper's and Rider's inspections for the same mistakes, which code turns off with a
    /// comment (<c>// ReSharper disable once MethodSupportsCancellation</c>) instead of a pragma.</summary>
    public static ImmutableDictionary<string, ImmutableArray<string>> ReSharperByRule { get; } = new (string Rule, string[] Inspections)[]
    {
        ("TW1004", new[] { "MethodHasAsyncOverload", "MethodHasAsyncOverloadWithCancellation" }),
        ("TW1007", new[] { "MethodSupportsCancellation" }),
        ("TW1008", new[] { "UseAwaitUsing" }),
        ("TW2003", new[] { "InconsistentlySynchronizedField" }),
        ("TW4004", new[] { "AsyncVoidMethod" }),
        ("TW4005", new[] { "AsyncVoidLambda" }),
    }.ToImmutableDictionary(entry => entry.Rule, entry => ImmutableArray.Create(entry.Inspections));
}
