using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.Joins.TasksNeverAwaitedAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.Joins.TasksNeverAwaitedAnalyzer, Threadwise.Joins.TasksNeverAwaitedFixProvider>;

namespace Threadwise.Tests.Joins;

public class TasksNeverAwaitedTests
{
    private static DiagnosticResult Tw4003(int markup, string name)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW4003TasksNeverAwaited).WithLocation(markup).WithArguments(name);

    [Fact]
    public Task CollectedAndForgotten_IsFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            Task<int> FetchAsync(int i) => Task.FromResult(i);

            void M(int[] ids)
            {
                var {|#0:tasks = new List<Task>()|};
                for (var i = 0; i < 3; i++)
                {
                    tasks.Add(Task.Run(() => { }));
                }

                var {|#1:fetches = ids.Select(FetchAsync).ToList()|};
                var {|#2:array = new Task[2]|};
                array[0] = Task.Delay(1);
                var {|#3:literal = new[] { Task.Delay(1), Task.Delay(2) }|};
                System.Console.WriteLine(tasks.Count + array.Length);
            }
        }
        """, Tw4003(0, "tasks"), Tw4003(1, "fetches"), Tw4003(2, "array"), Tw4003(3, "literal"));

    [Fact]
    public Task AwaitedPassedReturnedStoredOrEmpty_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            private List<Task> _pending = new();

            async Task M()
            {
                var awaited = new List<Task> { Task.Delay(1) };
                await Task.WhenAll(awaited);

                var waited = new List<Task>();
                waited.Add(Task.Delay(1));
                Task.WaitAll(waited.ToArray());

                var iterated = new List<Task>();
                iterated.Add(Task.Delay(1));
                foreach (var t in iterated) await t;

                var stored = new List<Task>();
                stored.Add(Task.Delay(1));
                _pending = stored;

                var empty = new List<Task>();
                var captured = new List<Task>();
                captured.Add(Task.Delay(1));
                System.Func<Task> later = () => Task.WhenAll(captured);
            }

            List<Task> Returned() { var list = new List<Task>(); list.Add(Task.Delay(1)); return list; }
        }
        """);

    [Fact]
    public Task EachElementAwaitedOrContinued_IsNotFlagged_CountOnly_Is() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            Task<int> FetchAsync(int i) => Task.FromResult(i);

            async Task<int> Sum(int n)
            {
                var pending = new Task<int>[n];
                for (var i = 0; i < n; i++) pending[i] = FetchAsync(i);
                var sum = 0;
                for (var i = 0; i < n; i++) sum += await pending[i].ConfigureAwait(false);
                return sum;
            }

            Task<int> Chain(int n)
            {
                var steps = new List<Task<int>>();
                for (var i = 0; i < n; i++) steps.Add(FetchAsync(i));
                var last = steps[0].ContinueWith(t => t.Result + 1);
                return last;
            }

            int Counted(int n)
            {
                var {|#0:started = new List<Task<int>>()|};
                for (var i = 0; i < n; i++) started.Add(FetchAsync(i));
                return started.Count;
            }
        }
        """, Tw4003(0, "started"));

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                var tasks = new List<Task>(;
                tasks.Add(Missing());
                List<Task> x = 
            }
        }
        """);

    [Fact]
    public Task Fix_AwaitsWhenAll_AfterTheLastAdd() => VerifyFix.CodeFixAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            async Task M(int n)
            {
                var {|#0:tasks = new List<Task>()|};
                for (var i = 0; i < n; i++)
                {
                    tasks.Add(Task.Delay(i));
                }

                System.Console.WriteLine("started");
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            async Task M(int n)
            {
                var tasks = new List<Task>();
                for (var i = 0; i < n; i++)
                {
                    tasks.Add(Task.Delay(i));
                }

                await Task.WhenAll(tasks);
                System.Console.WriteLine("started");
            }
        }
        """, Tw4003(0, "tasks"));

    [Fact]
    public Task Fix_IsNotOfferedInSyncCode() => VerifyFix.NoCodeFixAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                var {|#0:tasks = new List<Task>()|};
                tasks.Add(Task.Delay(1));
            }
        }
        """, Tw4003(0, "tasks"));

    [Fact]
    public Task FixAll_AwaitsEveryCollection() => VerifyFix.CodeFixAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                var {|#0:a = new List<Task>()|};
                a.Add(Task.Delay(1));
                var {|#1:b = new[] { Task.Delay(2) }|};
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                var a = new List<Task>();
                a.Add(Task.Delay(1));
                await Task.WhenAll(a);
                var b = new[] { Task.Delay(2) };
                await Task.WhenAll(b);
            }
        }
        """, Tw4003(0, "a"), Tw4003(1, "b"));
}
