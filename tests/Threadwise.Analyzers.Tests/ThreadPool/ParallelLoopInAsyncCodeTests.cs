using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.ThreadPool.ParallelLoopInAsyncCodeAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.ThreadPool.ParallelLoopInAsyncCodeAnalyzer, Threadwise.ThreadPool.ParallelLoopInAsyncCodeFixProvider>;

namespace Threadwise.Tests.ThreadPool;

public class ParallelLoopInAsyncCodeTests
{
    private static DiagnosticResult Tw3003(int markup, string call, string where)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW3003ParallelLoopInAsyncCode).WithLocation(markup).WithArguments(call, where);

    [Fact]
    public Task ParallelLoopsAndPlinq_InAsyncCode_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            async Task M(int[] items)
            {
                {|#0:Parallel.For|}(0, 10, i => { });
                {|#1:Parallel.ForEach|}(items, i => { });
                {|#2:Parallel.Invoke|}(() => { }, () => { });
                var squares = items.AsParallel().Select(i => i * i).{|#3:ToList|}();
                items.AsParallel().{|#4:ForAll|}(i => { });
                Func<Task> lambda = async () => {|#5:Parallel.For|}(0, 1, i => { });
                await Task.Yield();
            }
        }
        """,
        Tw3003(0, "Parallel.For", "async method 'M'"), Tw3003(1, "Parallel.ForEach", "async method 'M'"), Tw3003(2, "Parallel.Invoke", "async method 'M'"),
        Tw3003(3, "ParallelEnumerable.ToList", "async method 'M'"), Tw3003(4, "ParallelEnumerable.ForAll", "async method 'M'"),
        Tw3003(5, "Parallel.For", "async lambda"));

    [Fact]
    public Task SyncCodeAndAsyncForms_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            void Sync(int[] items) => Parallel.ForEach(items, i => { });

            async Task M(int[] items)
            {
                await Parallel.ForEachAsync(items, async (i, ct) => await Task.Yield());
                await Task.Run(() => Parallel.For(0, 10, i => { }));
                var query = items.AsParallel().Select(i => i * 2);
                var sequential = items.Select(i => i).ToList();
            }
        }
        """);

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading.Tasks;

        class C
        {
            async Task M(int[] items)
            {
                Parallel.For(0, ;
                Parallel.ForEach(Missing, i => { });
                await Task.Yield();
            }
        }
        """);

    [Fact]
    public Task Fix_ForEachBecomesForEachAsync_OthersRunOnTaskRun() => VerifyFix.CodeFixAsync("""
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(int[] items)
            {
                {|#0:Parallel.ForEach|}(items, item => Work(item));
                {|#1:Parallel.For|}(0, 10, i => Work(i));
                var list = items.AsParallel().Select(i => i * 2).{|#2:ToList|}();
                return list.Count;
            }

            static void Work(int i) { }
        }
        """, """
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(int[] items)
            {
                await Parallel.ForEachAsync(items, (item, cancellationToken) =>
                {
                    Work(item);
                    return ValueTask.CompletedTask;
                });
                await Task.Run(() => Parallel.For(0, 10, i => Work(i)));
                var list = await Task.Run(() => items.AsParallel().Select(i => i * 2).ToList());
                return list.Count;
            }

            static void Work(int i) { }
        }
        """,
        Tw3003(0, "Parallel.ForEach", "async method 'M'"), Tw3003(1, "Parallel.For", "async method 'M'"), Tw3003(2, "ParallelEnumerable.ToList", "async method 'M'"));
}
