using Threadwise.Blocking;
using Threadwise.Tests.Infrastructure;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.Blocking.ThreadSleepInAsyncCodeAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.Blocking.ThreadSleepInAsyncCodeAnalyzer, Threadwise.Blocking.ThreadSleepInAsyncCodeFixProvider>;

namespace Threadwise.Tests.Blocking;

public class ThreadSleepInAsyncCodeTests
{
    private static Microsoft.CodeAnalysis.Testing.DiagnosticResult Tw1001(int markup, string where)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW1001ThreadSleepInAsyncCode).WithLocation(markup).WithArguments(where);

    // ---- each async form is flagged -------------------------------------------------------

    // `while (!Debugger.IsAttached) Thread.Sleep(100);` waits for a person to attach a debugger: a debugging
    // aid, not a wait the async code should make otherwise. Other sleeps are reported.
    [Fact]
    public Task WaitForADebugger_IsNotReported() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Diagnostics;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                while (!Debugger.IsAttached)
                {
                    Thread.Sleep(100);
                }

                {|#0:Thread.Sleep(5)|};
                await Task.Yield();
            }
        }
        """, Tw1001(0, "async method 'M'"));

    [Fact]
    public Task AsyncMethod_IsFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task LoadAsync()
            {
                {|#0:Thread.Sleep(100)|};
                await Task.Yield();
            }
        }
        """, Tw1001(0, "async method 'LoadAsync'"));

    [Fact]
    public Task AsyncVoidAndValueTaskMethods_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async void OnClick() => {|#0:Thread.Sleep(1)|};
            async ValueTask<int> CountAsync() { {|#1:Thread.Sleep(2)|}; return 1; }
        }
        """, Tw1001(0, "async method 'OnClick'"), Tw1001(1, "async method 'CountAsync'"));

    [Fact]
    public Task AsyncLambda_IsFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                Func<Task> work = async () => { {|#0:Thread.Sleep(100)|}; await Task.Yield(); };
                Func<int, Task> expressionBodied = async ms => {|#1:Thread.Sleep(ms)|};
            }
        }
        """, Tw1001(0, "async lambda"), Tw1001(1, "async lambda"));

    [Fact]
    public Task AsyncAnonymousMethod_IsFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                Func<Task> work = async delegate { {|#0:Thread.Sleep(100)|}; await Task.Yield(); };
            }
        }
        """, Tw1001(0, "async anonymous method"));

    [Fact]
    public Task AsyncLocalFunction_IsFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M()
            {
                _ = PollAsync();

                async Task PollAsync()
                {
                    {|#0:Thread.Sleep(100)|};
                    await Task.Yield();
                }
            }
        }
        """, Tw1001(0, "async local function 'PollAsync'"));

    [Fact]
    public Task AsyncIterator_IsFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async IAsyncEnumerable<int> ReadAsync()
            {
                for (var i = 0; i < 3; i++)
                {
                    {|#0:Thread.Sleep(10)|};
                    yield return i;
                }

                await Task.Yield();
            }
        }
        """, Tw1001(0, "async method 'ReadAsync'"));

    [Fact]
    public Task AsyncTopLevelStatements_AreFlagged()
    {
        var test = new Microsoft.CodeAnalysis.CSharp.Testing.CSharpAnalyzerTest<ThreadSleepInAsyncCodeAnalyzer, Microsoft.CodeAnalysis.Testing.DefaultVerifier>
        {
            TestCode = """
                using System.Threading;
                using System.Threading.Tasks;

                {|#0:Thread.Sleep(100)|};
                await Task.Yield();
                """,
            ReferenceAssemblies = References.Net80,
        };
        test.TestState.OutputKind = Microsoft.CodeAnalysis.OutputKind.ConsoleApplication;
        test.ExpectedDiagnostics.Add(Tw1001(0, "async top-level statements"));
        return test.RunAsync();
    }

    [Fact]
    public Task TimeSpanOverloadQualifiedAndUsingStaticForms_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;
        using static System.Threading.Thread;

        class C
        {
            async Task M()
            {
                {|#0:System.Threading.Thread.Sleep(TimeSpan.FromSeconds(1))|};
                {|#1:Sleep(5)|};
                await Task.Yield();
            }
        }
        """, Tw1001(0, "async method 'M'"), Tw1001(1, "async method 'M'"));

    [Fact]
    public Task SleepInsideSyncLambdaInsideAsyncLambda_IsNotFlaggedButOuterIs() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            Func<Task> M() => async () =>
            {
                Action inner = () => Thread.Sleep(1);
                {|#0:Thread.Sleep(2)|};
                await Task.Yield();
            };
        }
        """, Tw1001(0, "async lambda"));

    // ---- correct forms and look-alikes stay silent -----------------------------------------

    // A spin lock taken in async code backs off with `Thread.Sleep(1)` between retries of its
    // compare-exchange: that is lock acquisition, like `lock`, not a timed wait. A loop that sleeps until
    // a flag changes is a wait.
    [Fact]
    public Task SpinLockBackoff_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Gate
        {
            private int _held;
            private volatile bool _ready;

            async Task RunAsync()
            {
                await Task.Yield();
                while (Interlocked.CompareExchange(ref _held, 1, 0) != 0)
                    Thread.Sleep(1);
                _held = 0;
                while (!_ready)
                    {|#0:Thread.Sleep(1)|};
            }
        }
        """, Tw1001(0, "async method 'RunAsync'"));

    // Spin loops under edit: a missing condition, an exchange of an unknown type, a missing method.
    [Fact]
    public Task BrokenSpinLoops_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class Gate
        {
            private int _held;

            async Task RunAsync()
            {
                await Task.Yield();
                while ()
                    {|#0:Thread.Sleep(1)|};
                while (Interlocked.CompareExchange(ref _missing, 1, 0) != 0)
                    {|#2:Thread.Sleep(1)|};
                while (Interlock.CompareExchange(ref _held, 1, 0) != 0)
                    {|#1:Thread.Sleep(1)|};
            }
        }
        """,
        // An exchange that does not bind is no spin loop: reported like any other sleep.
        Tw1001(0, "async method 'RunAsync'"), Tw1001(1, "async method 'RunAsync'"), Tw1001(2, "async method 'RunAsync'"));

    [Fact]
    public Task SyncCode_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void Sync() => Thread.Sleep(100);

            // Returns a task but is not async: the caller is the one that blocks, and it is not
            // async code that is held up here.
            Task NotAsync() { Thread.Sleep(100); return Task.CompletedTask; }

            async Task SyncLambdaAndLocalFunctionInsideAsync()
            {
                Action a = () => Thread.Sleep(1);
                Action b = delegate { Thread.Sleep(1); };
                Func<Task> c = () => { Thread.Sleep(1); return Task.CompletedTask; };
                Local();
                await Task.Run(() => Thread.Sleep(1));

                void Local() => Thread.Sleep(1);
            }

            async Task CorrectForm()
            {
                await Task.Delay(100);
            }
        }
        """);

    [Fact]
    public Task SleepZero_MethodGroupAndOtherThreadType_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        namespace MyLib
        {
            static class Thread
            {
                public static void Sleep(int milliseconds) { }
            }

            class C
            {
                async Task M()
                {
                    Thread.Sleep(100);
                    System.Threading.Thread.Sleep(0);
                    Action<int> later = System.Threading.Thread.Sleep;
                    await Task.Yield();
                }
            }
        }
        """);

    [Fact]
    public Task BrokenCode_DoesNotCrashOrReport() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task A() { Thread.Sleep(; }
            async Task B() { Thread.Sleep("soon"); }
            async Task C2() { Thread.Sleep(1, 2); }
            async Task D() { Thraed.Sleep(1); }
            async Task E() { UnknownType.Sleep(1); await Task.Yield(); }
            async Task F() { Thread.Sleep(
        }
        """);

    [Fact]
    public Task BrokenCodeElsewhere_StillFlagsTheSleep() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(Missing m)
            {
                {|#0:Thread.Sleep(10)|};
                m.DoesNotExist();
            }
        }
        """, Tw1001(0, "async method 'M'"));

    [Fact]
    public Task NoThreadType_DoesNotCrash() => VerifyAnalyzer.AnalyzerAsync("""
        class C
        {
            async System.Threading.Tasks.Task M() { await System.Threading.Tasks.Task.Yield(); }
        }
        """);

    // ---- the fix -----------------------------------------------------------------------------

    [Fact]
    public Task Fix_AwaitsTaskDelay_KeepingArgumentAndTrivia() => VerifyFix.CodeFixAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(TimeSpan pause)
            {
                // wait for the service
                {|#0:Thread.Sleep(100)|}; // then go on
                {|#1:Thread.Sleep(pause)|};
                {|#2:Thread.Sleep(millisecondsTimeout: 5)|};
            }
        }
        """, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(TimeSpan pause)
            {
                // wait for the service
                await Task.Delay(100); // then go on
                await Task.Delay(pause);
                await Task.Delay(5);
            }
        }
        """,
        Tw1001(0, "async method 'M'"), Tw1001(1, "async method 'M'"), Tw1001(2, "async method 'M'"));

    [Fact]
    public Task Fix_ForwardsCancellationTokenParameter() => VerifyFix.CodeFixAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken cancellationToken)
            {
                {|#0:Thread.Sleep(TimeSpan.FromMilliseconds(10))|};
            }
        }
        """, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationToken cancellationToken)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(10), cancellationToken);
            }
        }
        """, Tw1001(0, "async method 'M'"));

    [Fact]
    public Task Fix_ForwardsOnlyLocalsAlreadyDeclared() => VerifyFix.CodeFixAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationTokenSource source)
            {
                {|#0:Thread.Sleep(1)|};
                var token = source.Token;
                {|#1:Thread.Sleep(2)|};
            }
        }
        """, """
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M(CancellationTokenSource source)
            {
                await Task.Delay(1);
                var token = source.Token;
                await Task.Delay(2, token);
            }
        }
        """, Tw1001(0, "async method 'M'"), Tw1001(1, "async method 'M'"));

    [Fact]
    public Task Fix_PrefersInnermostTokenAndRespectsStaticLambdas() => VerifyFix.CodeFixAsync("""
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(CancellationToken outer)
            {
                Func<CancellationToken, Task> a = async inner => {|#0:Thread.Sleep(1)|};
                Func<Task> b = async () => {|#1:Thread.Sleep(2)|};
                Func<Task> c = static async () => {|#2:Thread.Sleep(3)|};
            }
        }
        """, """
        using System;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(CancellationToken outer)
            {
                Func<CancellationToken, Task> a = async inner => await Task.Delay(1, inner);
                Func<Task> b = async () => await Task.Delay(2, outer);
                Func<Task> c = static async () => await Task.Delay(3);
            }
        }
        """, Tw1001(0, "async lambda"), Tw1001(1, "async lambda"), Tw1001(2, "async lambda"));

    [Fact]
    public Task Fix_AddsTasksUsingWhenMissing() => VerifyFix.CodeFixAsync("""
        class C
        {
            async System.Threading.Tasks.Task M()
            {
                {|#0:System.Threading.Thread.Sleep(10)|};
            }
        }
        """, """
        using System.Threading.Tasks;

        class C
        {
            async System.Threading.Tasks.Task M()
            {
                await Task.Delay(10);
            }
        }
        """, Tw1001(0, "async method 'M'"));

    // A method that also serves synchronous callers (a path parameter): `await Task.Delay` outside the
    // async branch would make their path wait on a timer task they block on; no fix, the finding stays.
    [Fact]
    public Task Fix_IsNotOffered_InAMethodWithAPathParameter() => VerifyFix.NoCodeFixAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        enum IOBehavior { Synchronous, Asynchronous }

        class C
        {
            async Task M(IOBehavior ioBehavior)
            {
                {|#0:Thread.Sleep(10)|};
                await Task.Yield();
            }
        }
        """, Tw1001(0, "async method 'M'"));

    [Fact]
    public Task Fix_IsNotOfferedInsideLock() => VerifyFix.NoCodeFixAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly object _gate = new();

            async Task M()
            {
                lock (_gate)
                {
                    {|#0:Thread.Sleep(10)|};
                }

                await Task.Yield();
            }
        }
        """, Tw1001(0, "async method 'M'"));

    [Fact]
    public Task FixAll_FixesEveryOccurrenceAcrossDocuments() => VerifyFix.CodeFixAsync(
        new[]
        {
            """
            using System.Threading;
            using System.Threading.Tasks;

            class A
            {
                async Task One(CancellationToken ct) { {|#0:Thread.Sleep(1)|}; {|#1:Thread.Sleep(2)|}; }
                async Task Two() { {|#2:Thread.Sleep(3)|}; }
            }
            """,
            """
            using System.Threading;

            class B
            {
                async System.Threading.Tasks.Task Three() { {|#3:Thread.Sleep(4)|}; }
            }
            """,
        },
        new[]
        {
            """
            using System.Threading;
            using System.Threading.Tasks;

            class A
            {
                async Task One(CancellationToken ct) { await Task.Delay(1, ct); await Task.Delay(2, ct); }
                async Task Two() { await Task.Delay(3); }
            }
            """,
            """
            using System.Threading;
            using System.Threading.Tasks;

            class B
            {
                async System.Threading.Tasks.Task Three() { await Task.Delay(4); }
            }
            """,
        },
        Tw1001(0, "async method 'One'"), Tw1001(1, "async method 'One'"), Tw1001(2, "async method 'Two'"), Tw1001(3, "async method 'Three'"));
}
