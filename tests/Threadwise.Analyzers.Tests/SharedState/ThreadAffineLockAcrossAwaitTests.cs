using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.ThreadAffineLockAcrossAwaitAnalyzer>;

namespace Threadwise.Tests.SharedState;

public class ThreadAffineLockAcrossAwaitTests
{
    private static DiagnosticResult Tw2007(int markup, string name)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW2007ThreadAffineLockAcrossAwait).WithLocation(markup).WithArguments(name);

    [Fact]
    public Task ThreadAffineLocksAcrossAwait_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly object _gate = new();
            private readonly ReaderWriterLockSlim _rw = new();
            private readonly Mutex _mutex = new();

            async Task M()
            {
                {|#0:Monitor.Enter(_gate)|};
                try { await Task.Delay(1); }
                finally { Monitor.Exit(_gate); }

                {|#1:_rw.EnterReadLock()|};
                await Task.Yield();
                _rw.ExitReadLock();

                {|#2:_mutex.WaitOne()|};
                await Task.Yield();
                _mutex.ReleaseMutex();
            }
        }
        """, Tw2007(0, "_gate"), Tw2007(1, "_rw"), Tw2007(2, "_mutex"));

    [Fact]
    public Task SemaphoreSlimSyncCodeAndNoAwaitInBetween_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            private readonly object _gate = new();
            private readonly SemaphoreSlim _semaphore = new(1, 1);

            async Task M()
            {
                await _semaphore.WaitAsync();
                try { await Task.Delay(1); }
                finally { _semaphore.Release(); }

                Monitor.Enter(_gate);
                try { Work(); }
                finally { Monitor.Exit(_gate); }
                await Task.Yield();
            }

            void Sync()
            {
                Monitor.Enter(_gate);
                try { Work(); }
                finally { Monitor.Exit(_gate); }
            }

            static void Work() { }
        }
        """);

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task M()
            {
                Monitor.Enter(;
                await ;
                Monitor.Exit(missing);
            }
        }
        """);
}
