using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.NonAtomicUpdateAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.NonAtomicUpdateAnalyzer, Threadwise.SharedState.GuardWithLockFixProvider>;

namespace Threadwise.Tests.SharedState;

public class NonAtomicUpdateLockFixTests
{
    private static DiagnosticResult Tw2001(int markup, string name, string entry)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW2001NonAtomicUpdate).WithLocation(markup).WithArguments(name, entry);

    [Fact]
    public Task MoreEntryPoints_AreFollowed() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private int _count;

            async Task M(int[] items, System.Timers.Timer timer)
            {
                foreach (var item in items)
                {
                    new Task(() => {|#0:_count++|}).Start();
                    ThreadPool.UnsafeQueueUserWorkItem(_ => {|#2:_count++|}, null);
                }

                timer.Elapsed += (s, e) => {|#1:_count++|};
                await Parallel.ForEachAsync(items, async (x, ct) => { {|#3:_count++|}; await Task.Yield(); });
            }
        }
        """,
        Tw2001(0, "_count", "new Task"), Tw2001(1, "_count", "timer.Elapsed"),
        Tw2001(2, "_count", "ThreadPool.UnsafeQueueUserWorkItem"), Tw2001(3, "_count", "Parallel.ForEachAsync"));

    [Fact]
    public Task LockFix_GuardsOtherTypes_WithOneGatePerField() => VerifyFix.CodeFixAsync("""
        using System.Threading.Tasks;

        class C
        {
            private double _sum;
            private decimal _total;

            void M(int[] items)
            {
                Parallel.ForEach(items, x =>
                {
                    {|#0:_sum += x|};
                    {|#1:_total *= 2|};
                });
            }
        }
        """, """
        using System.Threading.Tasks;

        class C
        {
            private readonly object _totalLock = new();
            private readonly object _sumLock = new();
            private double _sum;
            private decimal _total;

            void M(int[] items)
            {
                Parallel.ForEach(items, x =>
                {
                    lock (_sumLock)
                    {
                        _sum += x;
                    }
                    lock (_totalLock)
                    {
                        _total *= 2;
                    }
                });
            }
        }
        """, Tw2001(0, "_sum", "Parallel.ForEach"), Tw2001(1, "_total", "Parallel.ForEach"));

    [Fact]
    public Task LockFix_IsNotOffered_WhereInterlockedApplies() => VerifyFix.NoCodeFixAsync("""
        using System.Threading.Tasks;

        class C
        {
            private int _count;
            void M() => Parallel.For(0, 10, i => {|#0:_count++|});
        }
        """, Tw2001(0, "_count", "Parallel.For"));
}
