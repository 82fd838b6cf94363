using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.UnsafeCollectionMutationAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.UnsafeCollectionMutationAnalyzer, Threadwise.SharedState.UnsafeCollectionMutationFixProvider>;

namespace Threadwise.Tests.SharedState;

public class UnsafeCollectionMutationTests
{
    private static DiagnosticResult Tw2002(int markup, string name, string type, string entry)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW2002UnsafeCollectionMutation).WithLocation(markup).WithArguments(name, type, entry);

    [Fact]
    public Task SharedCollectionsMutatedConcurrently_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            private readonly Dictionary<string, int> _cache = new();
            private static readonly HashSet<int> s_seen = new();

            void M(int[] items)
            {
                var results = new List<int>();
                var queue = new Queue<int>();
                Parallel.ForEach(items, x =>
                {
                    {|#0:results.Add(x)|};
                    {|#1:_cache[x.ToString()] = x|};
                    {|#2:s_seen.Add(x)|};
                    {|#3:queue.Enqueue(x)|};
                });
                for (var i = 0; i < 2; i++)
                {
                    Task.Run(() => {|#4:results.Clear()|});
                }

                var single = new List<int>();
                var consumer = new System.Threading.Thread(() => single.Add(1));
                consumer.Start();
                consumer.Join();
            }
        }
        """,
        Tw2002(0, "results", "List", "Parallel.ForEach"), Tw2002(1, "_cache", "Dictionary", "Parallel.ForEach"),
        Tw2002(2, "s_seen", "HashSet", "Parallel.ForEach"), Tw2002(3, "queue", "Queue", "Parallel.ForEach"), Tw2002(4, "results", "List", "Task.Run"));

    // Coyote's `using (SynchronizedSection.Enter(gate))` (a struct whose creation enters a Monitor) and the
    // async locks libraries use (`using (await _mutex.LockAsync())`, `using var _ = _rw.WriterLock();`):
    // a `using` whose resource is a call named for taking a lock scope holds a lock for its body. A using
    // of anything else, a scope call nested as an argument, a pool's lease (`Acquire()` on a type not named
    // for a lock), and code after the scope are not guarded.
    [Fact]
    public Task UsingScopesOfAsyncAndCustomLocks_GuardTheirBody() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;
        using System.IO;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        sealed class AsyncLock
        {
            private readonly SemaphoreSlim _s = new(1, 1);
            public async Task<IDisposable> LockAsync() { await _s.WaitAsync(); return new Releaser(_s); }
            public IDisposable WriterLock() { _s.Wait(); return new Releaser(_s); }
            private sealed class Releaser : IDisposable
            {
                private readonly SemaphoreSlim _s;
                public Releaser(SemaphoreSlim s) => _s = s;
                public void Dispose() => _s.Release();
            }
        }

        readonly struct Section : IDisposable
        {
            private readonly object _gate;
            private Section(object gate) { _gate = gate; Monitor.Enter(gate); }
            public static Section Enter(object gate) => new Section(gate);
            public void Dispose() => Monitor.Exit(_gate);
        }

        static class Trace
        {
            public static IDisposable Begin(string name) => new MemoryStream();
            public static IDisposable Wrap(IDisposable inner) => inner;
        }

        sealed class BufferPool
        {
            public IDisposable Acquire() => new MemoryStream();
        }

        class C
        {
            private readonly List<int> _items = new();
            private readonly AsyncLock _mutex = new();
            private readonly object _gate = new();

            public async Task M(int[] xs)
            {
                await Task.WhenAll(xs.Select(async x =>
                {
                    await Task.Yield();
                    using (await _mutex.LockAsync().ConfigureAwait(false))
                    {
                        _items.Add(x);
                    }

                    using var held = _mutex.WriterLock();
                    _items.Remove(x);
                }));
                Parallel.ForEach(xs, x =>
                {
                    using (Section.Enter(_gate))
                    {
                        _items.Add(x);
                    }

                    using (Trace.Begin("add"))
                    {
                        {|#0:_items.Add(x)|};
                    }

                    using (Trace.Wrap(_mutex.WriterLock()))
                    {
                        {|#1:_items.Add(x)|};
                    }

                    using (_pool.Acquire())
                    {
                        {|#3:_items.Add(x)|};
                    }

                    {|#2:_items.Clear()|};
                });
            }

            private readonly BufferPool _pool = new();
        }
        """,
        Tw2002(0, "_items", "List", "Parallel.ForEach"), Tw2002(1, "_items", "List", "Parallel.ForEach"), Tw2002(3, "_items", "List", "Parallel.ForEach"),
        Tw2002(2, "_items", "List", "Parallel.ForEach"));

    // A batch consumer offloads `_executor.Push(() => { _messages.Remove(id); … })` with Task.Run; its executor
    // runs one pushed function at a time. An async function handed to a task-returning method of this
    // compilation runs where that method schedules it, not in the Task.Run around the call. A plain lambda
    // given to a framework method (List.ForEach runs it in place), one given to a method that returns no task,
    // and code beside the hand-off are still in the Task.Run.
    [Fact]
    public Task FunctionHandedToAProjectScheduler_IsNotInTheEnclosingWorkItem() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class Executor
        {
            public Task Push(Func<Task> work) => work();
            public void Post(Action work) => work();
        }

        class BatchConsumer
        {
            private readonly Dictionary<Guid, int> _messages = new();
            private readonly List<int> _sizes = new();
            private readonly Executor _executor = new();

            public void Remove(Guid id)
            {
                for (var i = 0; i < 2; i++)
                {
                    Task.Run(() => _executor.Push(() =>
                    {
                        _messages.Remove(id);
                        return Task.CompletedTask;
                    }));
                    Task.Run(() => _executor.Post(() => {|#0:_messages.Remove(id)|}));
                    Task.Run(() =>
                    {
                        new List<int> { 1 }.ForEach(size => {|#1:_sizes.Add(size)|});
                        {|#2:_messages.Clear()|};
                        return _executor.Push(async () => { await Task.Yield(); _sizes.Clear(); });
                    });
                }
            }
        }
        """,
        Tw2002(0, "_messages", "Dictionary", "Task.Run"), Tw2002(1, "_sizes", "List", "Task.Run"), Tw2002(2, "_messages", "Dictionary", "Task.Run"));

    [Fact]
    public Task LocalGuardedConcurrentAndReadOnly_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            private readonly object _gate = new();

            void M(int[] items, List<int> shared)
            {
                var bag = new ConcurrentBag<int>();
                var dict = new ConcurrentDictionary<int, int>();
                Parallel.ForEach(items, x =>
                {
                    var mine = new List<int>();
                    mine.Add(x);
                    bag.Add(x);
                    dict[x] = x;
                    lock (_gate) { shared.Add(x); }
                    var count = shared.Count;
                    var contains = shared.Contains(x);
                });

                foreach (var x in items) { shared.Add(x); }
            }
        }
        """);

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            void M(int[] items)
            {
                var list = new List<int>(;
                Parallel.ForEach(items, x => list.Add();
                Parallel.ForEach(items, x => missing.Add(x));
            }
        }
        """);

    [Fact]
    public Task Fix_SwitchesLocalsToConcurrentCollections() => VerifyFix.CodeFixAsync("""
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            int M(int[] items)
            {
                var results = new List<int>();
                Dictionary<int, string> names = new Dictionary<int, string>();
                Parallel.ForEach(items, x =>
                {
                    {|#0:results.Add(x * 2)|};
                    {|#1:names[x] = x.ToString()|};
                    {|#2:names.TryAdd(-x, "neg")|};
                });

                foreach (var r in results) { }
                return results.Count + names.Count + results.Sum();
            }
        }
        """, """
        using System.Collections.Concurrent;
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            int M(int[] items)
            {
                var results = new ConcurrentBag<int>();
                ConcurrentDictionary<int, string> names = new ConcurrentDictionary<int, string>();
                Parallel.ForEach(items, x =>
                {
                    results.Add(x * 2);
                    names[x] = x.ToString();
                    names.TryAdd(-x, "neg");
                });

                foreach (var r in results) { }
                return results.Count + names.Count + results.Sum();
            }
        }
        """,
        Tw2002(0, "results", "List", "Parallel.ForEach"), Tw2002(1, "names", "Dictionary", "Parallel.ForEach"), Tw2002(2, "names", "Dictionary", "Parallel.ForEach"));

    [Fact]
    public Task Fix_IsNotOffered_WhenAUseIsIncompatible() => VerifyFix.NoCodeFixAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            private readonly List<int> _field = new();

            int M(int[] items)
            {
                var results = new List<int>();
                Parallel.ForEach(items, x => {|#0:results.Add(x)|});
                Parallel.ForEach(items, x => {|#1:_field.Add(x)|});
                return results[0];
            }
        }
        """, Tw2002(0, "results", "List", "Parallel.ForEach"), Tw2002(1, "_field", "List", "Parallel.ForEach"));
}
