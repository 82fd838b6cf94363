using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.NonAtomicUpdateAnalyzer>;
using VerifyInterlocked = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.NonAtomicUpdateAnalyzer, Threadwise.SharedState.NonAtomicUpdateFixProvider>;
using VerifyLock = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.NonAtomicUpdateAnalyzer, Threadwise.SharedState.GuardWithLockFixProvider>;

namespace Threadwise.Tests.SharedState;

/// <summary>TW2001 beyond variables: shared array elements, auto-properties of shared objects,
/// and check-then-act on a shared variable.</summary>
public class MoreLostUpdatesTests
{
    private static DiagnosticResult Tw2001(int markup, string name, string entry)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW2001NonAtomicUpdate).WithLocation(markup).WithArguments(name, entry);

    [Fact]
    public Task SharedArrayElements_WithAnIndexRunsShare_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        class C
        {
            private readonly long[] _histogram = new long[16];

            int[] M(string[] words)
            {
                var counts = new int[10];
                Parallel.ForEach(words, w => {|#0:counts[w.Length % 10]++|});
                Parallel.ForEach(words, w => {|#1:_histogram[w.Length & 15] += 1|});
                return counts;
            }
        }
        """,
        Tw2001(0, "counts", "Parallel.ForEach"), Tw2001(1, "_histogram", "Parallel.ForEach"));

    [Fact]
    public Task ArraySlotsOwnedByOneRun_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        class C
        {
            double[] M(int n)
            {
                var results = new double[n];
                var squares = new int[n];
                Parallel.For(0, n, i => results[i] += i * 0.5);
                Parallel.For(0, n, i => { var slot = i; squares[slot]++; });
                Parallel.For(0, n, i => { var own = new int[4]; own[i % 4]++; });
                return results;
            }
        }
        """);

    [Fact]
    public Task AutoPropertiesOfSharedObjects_AreFlagged_ComputedOnesAreNot() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Stats
        {
            private int _safe;
            public int Total { get; set; }
            public static int Runs { get; set; }
            public int Safe { get => _safe; set => Interlocked.Exchange(ref _safe, value); }
        }

        class C
        {
            void M(int[] items, Stats stats)
            {
                Parallel.ForEach(items, x => {|#0:stats.Total += x|});
                Parallel.ForEach(items, x => {|#1:Stats.Runs++|});
                Parallel.ForEach(items, x => stats.Safe++);
                Parallel.ForEach(items, x => new Stats().Total++);
            }
        }
        """,
        Tw2001(0, "Total", "Parallel.ForEach"), Tw2001(1, "Runs", "Parallel.ForEach"));

    [Fact]
    public Task CheckThenAct_OnASharedVariable_IsFlaggedAtTheWrite() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        class C
        {
            private long _latest;

            int M(int[] values)
            {
                var max = int.MinValue;
                Parallel.ForEach(values, v =>
                {
                    if (v > max)
                    {
                        {|#0:max = v|};
                    }

                    if (_latest < v) {|#1:_latest = v|};
                });
                return max;
            }
        }
        """,
        Tw2001(0, "max", "Parallel.ForEach"), Tw2001(1, "_latest", "Parallel.ForEach"));

    [Fact]
    public Task CheckThenAct_Lookalikes_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        class C
        {
            private object? _cache;
            private readonly object _gate = new();

            int M(int[] values)
            {
                var max = int.MinValue;
                var seen = 0;
                Parallel.ForEach(values, v =>
                {
                    if (_cache == null) _cache = new object();
                    lock (_gate) { if (v > max) max = v; }
                    var localMax = 0;
                    if (v > localMax) localMax = v;
                    if (v > max) seen = v; else max = v;
                });
                foreach (var v in values)
                {
                    if (v > max) max = v;
                }

                return max + seen;
            }
        }
        """);

    [Fact]
    public Task InterlockedFix_OnAnArrayElement() => VerifyInterlocked.CodeFixAsync("""
        using System.Threading.Tasks;

        class C
        {
            int[] M(string[] words)
            {
                var counts = new int[10];
                Parallel.ForEach(words, w => {|#0:counts[w.Length % 10]++|});
                return counts;
            }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            int[] M(string[] words)
            {
                var counts = new int[10];
                Parallel.ForEach(words, w => Interlocked.Increment(ref counts[w.Length % 10]));
                return counts;
            }
        }
        """, Tw2001(0, "counts", "Parallel.ForEach"));

    [Fact]
    public Task InterlockedFix_IsNotOffered_ForAProperty() => VerifyInterlocked.NoCodeFixAsync("""
        using System.Threading.Tasks;

        class Stats { public int Total { get; set; } }

        class C
        {
            void M(int[] items, Stats stats) => Parallel.ForEach(items, x => {|#0:stats.Total++|});
        }
        """, Tw2001(0, "Total", "Parallel.ForEach"));

    [Fact]
    public Task LockFix_GuardsTheWholeCheckThenAct() => VerifyLock.CodeFixAsync("""
        using System.Threading.Tasks;

        class C
        {
            private int _max;

            void M(int[] values)
            {
                Parallel.ForEach(values, v =>
                {
                    if (v > _max)
                    {
                        {|#0:_max = v|};
                    }
                });
            }
        }
        """, """
        using System.Threading.Tasks;

        class C
        {
            private readonly object _maxLock = new();
            private int _max;

            void M(int[] values)
            {
                Parallel.ForEach(values, v =>
                {
                    lock (_maxLock)
                    {
                        if (v > _max)
                        {
                            _max = v;
                        }
                    }
                });
            }
        }
        """, Tw2001(0, "_max", "Parallel.ForEach"));
}
