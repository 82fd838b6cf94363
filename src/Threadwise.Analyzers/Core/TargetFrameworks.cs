using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Threadwise.Core;

/// <summary>
/// The other target frameworks of a project that builds the same source for several
/// (<c>&lt;TargetFrameworks&gt;netstandard2.0;net8.0&lt;/TargetFrameworks&gt;</c>, handed to analyzers by
/// the package's targets as <c>build_property.ThreadwiseTargetFrameworks</c>), and which awaitable or cancellable .NET methods they lack. A finding whose fix
/// calls such a method (an async twin, a token overload, <c>DisposeAsync</c>) would not compile on the
/// framework that lacks it: the maintainer of a library that multi-targets cannot take it without an
/// <c>#if</c>, and most dismiss it. The table (<c>FrameworkApis.txt</c>, written by
/// <c>build/frameworkapis</c> from the frameworks' reference assemblies) is read once per process, and only
/// when a multi-targeted project starts (its other frameworks are placed in it then); a project
/// with one target framework never reads it.
/// </summary>
internal sealed class TargetFrameworks
{
    // The package's targets copy $(TargetFrameworks) with commas: a `;` starts a comment in the
    // analyzer configuration the compiler reads, so build_property.TargetFrameworks arrives cut at the
    // first framework (dotnet/roslyn#51692).
    public const string TargetFrameworksKey = "build_property.ThreadwiseTargetFrameworks";
    public const string TargetFrameworkKey = "build_property.TargetFramework";

    private static readonly ConditionalWeakTable<Compilation, TargetFrameworks> Cache = new();
    private static readonly char[] Separators = { ',', ';' };
    private static readonly TargetFrameworks Single = new(0);
    private static readonly Lazy<Table> Apis = new(Table.Load, System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);

    // The table's frameworks (bits) the project's other target frameworks count as.
    private readonly int _others;

    private TargetFrameworks(int others) => _others = others;

    /// <summary>True when the project builds this source for another framework too.</summary>
    public bool IsMultiTargeted => _others != 0;

    public static TargetFrameworks For(Compilation compilation, AnalyzerOptions options)
        => Cache.GetValue(compilation, _ => Parse(options.AnalyzerConfigOptionsProvider.GlobalOptions));

    /// <summary>True when the method (an async twin or token overload a fix would call) is missing on
    /// another target framework of the project, and <paramref name="site"/> is not inside an
    /// <c>#if</c> on a framework symbol (code the maintainer has already limited to some frameworks).</summary>
    public bool LacksOnAnotherTarget(IMethodSymbol method, SyntaxNode site)
        => _others != 0 && LacksOnAny(method, _others) && !IsUnderFrameworkCondition(site);

    /// <summary>True when <paramref name="declaration"/> (a base-list entry, a member) of this project is
    /// compiled only under an <c>#if</c> on a framework symbol, so another target framework of the project
    /// lacks it, and <paramref name="site"/> is not limited by such an <c>#if</c> itself.</summary>
    public bool IsDeclaredOnlyForSomeTargets(SyntaxNode declaration, SyntaxNode site)
        => _others != 0 && IsUnderFrameworkCondition(declaration) && !IsUnderFrameworkCondition(site);

    private static TargetFrameworks Parse(AnalyzerConfigOptions options)
    {
        if (!options.TryGetValue(TargetFrameworksKey, out var list) || list.IndexOfAny(Separators) < 0)
        {
            return Single;
        }

        options.TryGetValue(TargetFrameworkKey, out var current);
        var others = 0;
        foreach (var entry in list.Split(Separators))
        {
            var framework = entry.Trim();
            if (framework.Length > 0 && !string.Equals(framework, current?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                others |= Apis.Value.BitOf(framework);
            }
        }

        return others == 0 ? Single : new TargetFrameworks(others);
    }

    // Missing on a framework when the method and every method it overrides are: a call bound to an
    // override the old framework lacks still compiles against the base method there. A method declared
    // in this compilation exists wherever this code does.
    private static bool LacksOnAny(IMethodSymbol method, int frameworks)
    {
        var table = Apis.Value;
        for (var m = (method.ReducedFrom ?? method).OriginalDefinition; m is not null; m = m.OverriddenMethod?.OriginalDefinition)
        {
            if (m.Locations.Length > 0 && m.Locations[0].IsInSource
                || m.GetDocumentationCommentId() is not { } id
                || !table.Missing.TryGetValue(id, out var missing))
            {
                return false;
            }

            frameworks &= missing;
            if (frameworks == 0)
            {
                return false;
            }
        }

        return true;
    }

    // Inside an active `#if`/`#elif`/`#else` branch whose condition (or an earlier one of its chain)
    // names a framework symbol (NET8_0_OR_GREATER, NETSTANDARD2_0, NETFRAMEWORK, NETCOREAPP, …).
    private static bool IsUnderFrameworkCondition(SyntaxNode site)
    {
        var root = site.SyntaxTree.GetRoot();
        if (!root.ContainsDirectives)
        {
            return false;
        }

        var position = site.SpanStart;
        var open = new Stack<bool>();
        for (var directive = root.GetFirstDirective(); directive is not null && directive.SpanStart < position; directive = directive.GetNextDirective())
        {
            switch (directive)
            {
                case IfDirectiveTriviaSyntax @if:
                    open.Push(NamesAFramework(@if.Condition));
                    break;
                case ElifDirectiveTriviaSyntax elif when open.Count > 0:
                    open.Push(open.Pop() | NamesAFramework(elif.Condition));
                    break;
                case EndIfDirectiveTriviaSyntax when open.Count > 0:
                    open.Pop();
                    break;
            }
        }

        foreach (var framework in open)
        {
            if (framework)
            {
                return true;
            }
        }

        return false;
    }

    private static bool NamesAFramework(ExpressionSyntax condition)
    {
        foreach (var node in condition.DescendantNodesAndSelf())
        {
            if (node is IdentifierNameSyntax name && IsFrameworkSymbol(name.Identifier.ValueText))
            {
                return true;
            }
        }

        return false;
    }

    // The SDK's symbols: NET, NET8_0, NET8_0_OR_GREATER, NET472, NETSTANDARD2_0, NETFRAMEWORK, NETCOREAPP3_1…
    // — not a symbol of the project's own that happens to start with NET (`NETWORKING`).
    private static bool IsFrameworkSymbol(string symbol)
        => symbol == "NET"
           || symbol.StartsWith("NETSTANDARD", StringComparison.Ordinal)
           || symbol.StartsWith("NETFRAMEWORK", StringComparison.Ordinal)
           || symbol.StartsWith("NETCOREAPP", StringComparison.Ordinal)
           || symbol.Length > 3 && symbol.StartsWith("NET", StringComparison.Ordinal) && char.IsDigit(symbol[3]);

    /// <summary>FrameworkApis.txt: a header naming the frameworks (the bits of the masks), then one
    /// method per line with the mask of the frameworks that have its type but not it.</summary>
    internal sealed class Table
    {
        private Table(string[] frameworks, Dictionary<string, int> missing)
        {
            Frameworks = frameworks;
            Missing = missing;
        }

        public string[] Frameworks { get; }

        public Dictionary<string, int> Missing { get; }

        public static Table Load()
        {
            using var stream = typeof(Table).Assembly.GetManifestResourceStream("Threadwise.Core.FrameworkApis.txt");
            if (stream is null)
            {
                return new Table(Array.Empty<string>(), new Dictionary<string, int>());
            }

            using var reader = new StreamReader(stream);
            return Parse(reader);
        }

        public static Table Parse(TextReader reader)
        {
            var frameworks = Array.Empty<string>();
            var missing = new Dictionary<string, int>(StringComparer.Ordinal);
            string? line;
            while ((line = reader.ReadLine()) is not null)
            {
                if (line.Length == 0 || line[0] == '#')
                {
                    continue;
                }

                var space = line.LastIndexOf(' ');
                if (line.StartsWith("frameworks ", StringComparison.Ordinal))
                {
                    frameworks = line.Substring("frameworks ".Length).Split(' ');
                }
                else if (space > 0 && int.TryParse(line.Substring(space + 1), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var mask))
                {
                    missing[line.Substring(0, space)] = mask;
                }
            }

            return new Table(frameworks, missing);
        }

        /// <summary>The bit of the table's framework a target framework moniker counts as: itself, or
        /// the newest one of its family not newer than it (net7.0 counts as net6.0, net471 as net462,
        /// netcoreapp2.1 as netstandard2.0), so a method is not assumed where it may be missing. One older than
        /// the table's (net45, netstandard1.x) or of a platform of its own counts as netstandard2.0, the oldest
        /// it knows.</summary>
        public int BitOf(string moniker)
        {
            var name = moniker.ToLowerInvariant();
            var dash = name.IndexOf('-');
            if (dash > 0)
            {
                name = name.Substring(0, dash); // net8.0-windows
            }

            var best = -1;
            var bestVersion = 0;
            var family = Family(name, out var version);
            for (var i = 0; i < Frameworks.Length; i++)
            {
                if (Family(Frameworks[i], out var candidate) == family && family is not null
                    && candidate <= version && candidate >= bestVersion)
                {
                    best = i;
                    bestVersion = candidate;
                }
            }

            if (best < 0)
            {
                best = Array.IndexOf(Frameworks, "netstandard2.0");
            }

            return best < 0 ? 0 : 1 << best;
        }

        // The family (netstandard, netframework, netcore) and a comparable version: 20 for 2.0, 472
        // for net472, 80 for net8.0. netcoreapp1.x/2.x count as netstandard2.0, their nearest subset.
        private static string? Family(string name, out int version)
        {
            version = 0;
            if (name.StartsWith("netstandard", StringComparison.Ordinal))
            {
                version = DottedVersion(name.Substring("netstandard".Length));
                return "netstandard";
            }

            if (name.StartsWith("netcoreapp", StringComparison.Ordinal))
            {
                version = DottedVersion(name.Substring("netcoreapp".Length));
                if (version < 30)
                {
                    version = 20;
                    return "netstandard";
                }

                return "netcore";
            }

            if (!name.StartsWith("net", StringComparison.Ordinal) || name.Length < 4)
            {
                return null;
            }

            var rest = name.Substring(3);
            if (rest.IndexOf('.') > 0)
            {
                version = DottedVersion(rest);
                return "netcore";
            }

            // net40, net462, net48: the .NET Framework, its digits read as 4.6.2 → 462.
            if (!int.TryParse(rest, NumberStyles.None, CultureInfo.InvariantCulture, out var digits))
            {
                return null;
            }

            version = rest.Length == 2 ? digits * 10 : digits;
            return "netframework";
        }

        private static int DottedVersion(string text)
        {
            var parts = text.Split('.');
            return parts.Length > 0 && int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var major)
                ? major * 10 + (parts.Length > 1 && int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var minor) ? Math.Min(minor, 9) : 0)
                : 0;
        }
    }
}
