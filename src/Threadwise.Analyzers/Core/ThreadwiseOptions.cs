using System;
using System.Collections.Immutable;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Threadwise.Core;

/// <summary>
/// The <c>threadwise.*</c> options of .editorconfig / .globalconfig for one syntax tree, parsed
/// once per options instance (the host hands out the same instance for every tree that shares a
/// configuration) and never per node. A value that cannot be parsed falls back to the default.
/// </summary>
internal sealed class ThreadwiseOptions
{
    public const string ConcurrentEntryPointsKey = "threadwise.concurrent_entry_points";
    public const string BlockingApisKey = "threadwise.blocking_apis";
    public const string ExcludedApisKey = "threadwise.excluded_apis";
    public const string InterproceduralDepthKey = "threadwise.interprocedural_depth";

    public const int DefaultInterproceduralDepth = 3;
    public const int MaxInterproceduralDepth = 8;

    private static readonly ConditionalWeakTable<AnalyzerConfigOptions, ThreadwiseOptions> Cache = new();
    private static readonly char[] Separators = { ',', ' ', '\t', ';' };

    public static readonly ThreadwiseOptions Default = new(
        ImmutableHashSet<string>.Empty, ImmutableHashSet<string>.Empty, ImmutableHashSet<string>.Empty, DefaultInterproceduralDepth, ImmutableArray<(string, string)>.Empty);

    private ThreadwiseOptions(
        ImmutableHashSet<string> concurrentEntryPoints,
        ImmutableHashSet<string> blockingApis,
        ImmutableHashSet<string> excludedApis,
        int interproceduralDepth,
        ImmutableArray<(string Key, string Value)> invalidValues)
    {
        ConcurrentEntryPoints = concurrentEntryPoints;
        BlockingApis = blockingApis;
        ExcludedApis = excludedApis;
        InterproceduralDepth = interproceduralDepth;
        InvalidValues = invalidValues;
    }

    /// <summary>Documentation-comment IDs of extra methods whose delegate arguments run concurrently.</summary>
    public ImmutableHashSet<string> ConcurrentEntryPoints { get; }

    /// <summary>Documentation-comment IDs of extra methods (or types, <c>T:</c>) that block.</summary>
    public ImmutableHashSet<string> BlockingApis { get; }

    /// <summary>Documentation-comment IDs of methods (or types, <c>T:</c>) never to flag.</summary>
    public ImmutableHashSet<string> ExcludedApis { get; }

    /// <summary>How many helper methods deep TW1006 (and TW2005) follow calls.</summary>
    public int InterproceduralDepth { get; }

    /// <summary>Options that were set but could not be parsed: (key, value).</summary>
    public ImmutableArray<(string Key, string Value)> InvalidValues { get; }

    public static ThreadwiseOptions For(AnalyzerOptions options, SyntaxTree tree)
        => Cache.GetValue(options.AnalyzerConfigOptionsProvider.GetOptions(tree), static o => Parse(o));

    /// <summary>The options of .globalconfig files, which apply to every tree.</summary>
    public static ThreadwiseOptions ForGlobal(AnalyzerOptions options)
        => Cache.GetValue(options.AnalyzerConfigOptionsProvider.GlobalOptions, static o => Parse(o));

    /// <summary>Each ID list with the key it was read from.</summary>
    public ImmutableArray<(string Key, ImmutableHashSet<string> Ids)> IdLists
        => ImmutableArray.Create(
            (ConcurrentEntryPointsKey, ConcurrentEntryPoints),
            (BlockingApisKey, BlockingApis),
            (ExcludedApisKey, ExcludedApis));

    /// <summary>True when the call's method, or its containing type, is in <paramref name="ids"/>.</summary>
    public static bool Contains(ImmutableHashSet<string> ids, IMethodSymbol method)
    {
        if (ids.IsEmpty)
        {
            return false;
        }

        var definition = (method.ReducedFrom ?? method).OriginalDefinition;
        return ids.Contains(definition.GetDocumentationCommentId() ?? string.Empty)
               || ids.Contains(definition.ContainingType?.GetDocumentationCommentId() ?? string.Empty);
    }

    private static ThreadwiseOptions Parse(AnalyzerConfigOptions options)
    {
        var invalid = ImmutableArray.CreateBuilder<(string, string)>();
        var depth = DefaultInterproceduralDepth;
        if (options.TryGetValue(InterproceduralDepthKey, out var depthText))
        {
            if (int.TryParse(depthText.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed)
                && parsed is >= 1 and <= MaxInterproceduralDepth)
            {
                depth = parsed;
            }
            else
            {
                invalid.Add((InterproceduralDepthKey, depthText));
            }
        }

        return new ThreadwiseOptions(
            ParseIds(options, ConcurrentEntryPointsKey, invalid),
            ParseIds(options, BlockingApisKey, invalid),
            ParseIds(options, ExcludedApisKey, invalid),
            depth,
            invalid.ToImmutable());
    }

    // Documentation-comment IDs: "M:Ns.Type.Method(System.String)" or "T:Ns.Type". Anything else is
    // reported as invalid and skipped; the rest of the list still applies.
    private static ImmutableHashSet<string> ParseIds(AnalyzerConfigOptions options, string key, ImmutableArray<(string, string)>.Builder invalid)
    {
        if (!options.TryGetValue(key, out var text))
        {
            return ImmutableHashSet<string>.Empty;
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            invalid.Add((key, text));
            return ImmutableHashSet<string>.Empty;
        }

        var ids = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        foreach (var part in text.Split(Separators, StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.Length > 2 && (part.StartsWith("M:", StringComparison.Ordinal) || part.StartsWith("T:", StringComparison.Ordinal)))
            {
                ids.Add(part);
            }
            else
            {
                invalid.Add((key, part));
            }
        }

        return ids.ToImmutable();
    }
}
