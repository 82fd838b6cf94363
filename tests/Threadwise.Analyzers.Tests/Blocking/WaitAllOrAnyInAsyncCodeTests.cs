using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.Blocking.WaitAllOrAnyInAsyncCodeAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.Blocking.WaitAllOrAnyInAsyncCodeAnalyzer, Threadwise.Blocking.WaitAllOrAnyInAsyncCodeFixProvider>;

namespace Threadwise.Tests.Blocking;

public class WaitAllOrAnyInAsyncCodeTests
{
    private static DiagnosticResult Tw1003(int markup, string wait, string where, string instead)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW1003WaitAllOrAnyInAsyncCode).WithLocation(markup).WithArguments(wait, where, instead);

    [Fact]
    public Task WaitAllAndWaitAny_InAsyncForms_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Task a, Task b, Task[] all, CancellationToken ct)
            {
                {|#0:Task.WaitAll(a, b)|};
                {|#1:Task.WaitAll(all, ct)|};
                var finished = {|#2:Task.WaitAll(all, 1000)|};
                var index = {|#3:Task.WaitAny(a, b)|};
                Func<Task> lambda = async () => {|#4:Task.WaitAny(all)|};
                await Task.Yield();
            }
        }
        """,
        Tw1003(0, "Task.WaitAll", "async method 'M'", "Task.WhenAll"),
        Tw1003(1, "Task.WaitAll", "async method 'M'", "Task.WhenAll"),
        Tw1003(2, "Task.WaitAll", "async method 'M'", "Task.WhenAll"),
        Tw1003(3, "Task.WaitAny", "async method 'M'", "Task.WhenAny"),
        Tw1003(4, "Task.WaitAny", "async lambda", "Task.WhenAny"));

    [Fact]
    public Task SyncCode_PollsAndLookAlikes_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        static class Jobs { public static void WaitAll(params Task[] tasks) { } }

        class C
        {
            void Sync(Task a, Task b) => Task.WaitAll(a, b);

            async Task M(Task[] all, WaitHandle[] handles)
            {
                var ready = Task.WaitAny(all, 0);
                var none = Task.WaitAll(all, System.TimeSpan.Zero);
                Jobs.WaitAll(all);
                await Task.WhenAll(all);
            }
        }
        """);

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading.Tasks;

        class C
        {
            async Task M(Task a)
            {
                Task.WaitAll(a, ;
                Task.WaitAny(Missing);
                Task.WaitAll(
            }
        }
        """);

    [Fact]
    public Task Fix_WaitAllBecomesWhenAll_WaitAnyKeepsIndex() => VerifyFix.CodeFixAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Task a, Task b, Task[] all, List<Task> list)
            {
                {|#0:Task.WaitAll(a, b)|}; // both
                {|#1:System.Threading.Tasks.Task.WaitAll(list.ToArray())|};
                {|#2:Task.WaitAny(a, b)|};
                var index = {|#3:Task.WaitAny(all)|};
                return index;
            }
        }
        """, """
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Task a, Task b, Task[] all, List<Task> list)
            {
                await Task.WhenAll(a, b); // both
                await System.Threading.Tasks.Task.WhenAll(list.ToArray());
                await Task.WhenAny(a, b);
                var index = Array.IndexOf(all, await Task.WhenAny(all));
                return index;
            }
        }
        """,
        Tw1003(0, "Task.WaitAll", "async method 'M'", "Task.WhenAll"),
        Tw1003(1, "Task.WaitAll", "async method 'M'", "Task.WhenAll"),
        Tw1003(2, "Task.WaitAny", "async method 'M'", "Task.WhenAny"),
        Tw1003(3, "Task.WaitAny", "async method 'M'", "Task.WhenAny"));

    [Fact]
    public Task Fix_IsNotOfferedWhenMeaningWouldChange() => VerifyFix.NoCodeFixAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(Task a, Task b, Task[] all, CancellationToken ct)
            {
                var finished = {|#0:Task.WaitAll(all, 1000)|};
                {|#1:Task.WaitAll(all, ct)|};
                var index = {|#2:Task.WaitAny(a, b)|};
                await Task.Yield();
                return finished ? index : -1;
            }
        }
        """,
        Tw1003(0, "Task.WaitAll", "async method 'M'", "Task.WhenAll"),
        Tw1003(1, "Task.WaitAll", "async method 'M'", "Task.WhenAll"),
        Tw1003(2, "Task.WaitAny", "async method 'M'", "Task.WhenAny"));

    [Fact]
    public Task FixAll_FixesEveryOccurrence() => VerifyFix.CodeFixAsync(
        new[]
        {
            """
            using System.Threading.Tasks;

            class A
            {
                async Task One(Task a, Task b) { {|#0:Task.WaitAll(a)|}; {|#1:Task.WaitAny(b)|}; }
            }
            """,
            """
            using System.Threading.Tasks;

            class B
            {
                async Task Two(Task[] all) => {|#2:Task.WaitAll(all)|};
            }
            """,
        },
        new[]
        {
            """
            using System.Threading.Tasks;

            class A
            {
                async Task One(Task a, Task b) { await Task.WhenAll(a); await Task.WhenAny(b); }
            }
            """,
            """
            using System.Threading.Tasks;

            class B
            {
                async Task Two(Task[] all) => await Task.WhenAll(all);
            }
            """,
        },
        Tw1003(0, "Task.WaitAll", "async method 'One'", "Task.WhenAll"),
        Tw1003(1, "Task.WaitAny", "async method 'One'", "Task.WhenAny"),
        Tw1003(2, "Task.WaitAll", "async method 'Two'", "Task.WhenAll"));
}
