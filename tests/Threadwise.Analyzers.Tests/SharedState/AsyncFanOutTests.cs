using Microsoft.CodeAnalysis.Testing;
using VerifyCollection = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.UnsafeCollectionMutationAnalyzer>;
using VerifyUpdate = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.NonAtomicUpdateAnalyzer>;

namespace Threadwise.Tests.SharedState;

/// <summary>Async lambdas projected into tasks awaited together run side by side after their first await.</summary>
public class AsyncFanOutTests
{
    private static DiagnosticResult Tw2001(int markup, string name, string entry)
        => VerifyUpdate.Diagnostic(Descriptors.TW2001NonAtomicUpdate).WithLocation(markup).WithArguments(name, entry);

    [Fact]
    public Task UpdatesAfterTheFirstAwait_AreFlagged() => VerifyUpdate.AnalyzerAsync("""
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            private long _bytes;

            async Task<int> M(string[] urls)
            {
                var done = 0;
                await Task.WhenAll(urls.Select(async url =>
                {
                    done++;
                    await Task.Delay(10);
                    {|#0:done++|};
                    {|#1:_bytes += url.Length|};
                }));

                var tasks = urls.Select(async url => { await Task.Yield(); {|#2:done--|}; }).ToList();
                await Task.WhenAll(tasks);
                await Task.WhenAny(urls.Select(async url => { await Task.Delay(1).ConfigureAwait(false); {|#3:done++|}; }).ToArray());
                return done;
            }
        }
        """,
        Tw2001(0, "done", "urls.Select"), Tw2001(1, "_bytes", "urls.Select"), Tw2001(2, "done", "urls.Select"), Tw2001(3, "done", "urls.Select"));

    [Fact]
    public Task CollectionsFilledAfterAnAwait_AreFlagged_OwnListsAreNot() => VerifyCollection.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            async Task<List<string>> M(string[] urls)
            {
                var results = new List<string>();
                await Task.WhenAll(urls.Select(async url =>
                {
                    var mine = new List<string>();
                    await Task.Delay(10);
                    mine.Add(url);
                    {|#0:results.Add(url)|};
                }));
                return results;
            }
        }
        """,
        VerifyCollection.Diagnostic(Descriptors.TW2002UnsafeCollectionMutation).WithLocation(0).WithArguments("results", "List", "urls.Select"));

    [Fact]
    public Task SequentialAwaits_AndProjectionsNotAwaitedTogether_AreNotFlagged() => VerifyUpdate.AnalyzerAsync("""
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            async Task<int> M(string[] urls)
            {
                var done = 0;
                foreach (var url in urls)
                {
                    await Task.Delay(10);
                    done++;
                }

                // Before the first await each lambda runs synchronously inside Select, one at a time.
                await Task.WhenAll(urls.Select(async url => { done++; await Task.Delay(10); }));

                // Not awaited together: a lazy projection, run by a sequential loop.
                foreach (var task in urls.Select(async url => { await Task.Delay(1); done++; }))
                {
                    await task;
                }

                return done;
            }
        }
        """);

    [Fact]
    public Task WithAUiFramework_OnlyConfigureAwaitFalseMakesItConcurrent() => VerifyUpdate.AnalyzerAsync("""
        using System.Linq;
        using System.Threading.Tasks;

        namespace System.Windows.Forms { public class Control { } }

        class C
        {
            async Task<int> M(string[] urls)
            {
                var done = 0;
                await Task.WhenAll(urls.Select(async url => { await Task.Delay(10); done++; }));
                await Task.WhenAll(urls.Select(async url => { await Task.Delay(10).ConfigureAwait(false); {|#0:done++|}; }));
                return done;
            }
        }
        """,
        Tw2001(0, "done", "urls.Select"));
    // Orleans' grain directory partition (a system target) starts snapshot transfers in a loop and awaits them with
    // `Task.WhenAll`; each writes `_directory[id] = entry` after its awaits. A plain await in a grain or system target
    // resumes on the activation's scheduler, one turn at a time, as on a UI thread: only code after
    // `ConfigureAwait(false)` runs on the pool. A class that is neither is reported as before.
    [Fact]
    public Task InOrleansGrainsAndSystemTargets_OnlyConfigureAwaitFalseMakesItConcurrent() => VerifyCollection.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        namespace Orleans { public interface IGrainBase { } }
        namespace Orleans.Runtime { public abstract class SystemTarget { } }

        class Partition : Orleans.Runtime.SystemTarget
        {
            private readonly Dictionary<int, string> _directory = new();

            async Task Transfer(int[] owners)
            {
                var tasks = new List<Task>();
                foreach (var owner in owners) tasks.Add(TransferSnapshotAsync(owner));
                await Task.WhenAll(tasks);
                tasks.Clear();
                foreach (var owner in owners) tasks.Add(TransferOnThePoolAsync(owner));
                await Task.WhenAll(tasks);
            }

            private async Task TransferSnapshotAsync(int owner)
            {
                await Task.Delay(1);
                _directory[owner] = "snapshot";
            }

            private async Task TransferOnThePoolAsync(int owner)
            {
                await Task.Delay(1).ConfigureAwait(false);
                {|#0:_directory[owner] = "pool"|};
            }
        }

        class CounterGrain : Orleans.IGrainBase
        {
            private readonly List<int> _seen = new();

            async Task Fan(int[] ids)
            {
                var tasks = new List<Task>();
                foreach (var id in ids) tasks.Add(RecordAsync(id));
                await Task.WhenAll(tasks);
            }

            private async Task RecordAsync(int id)
            {
                await Task.Delay(1);
                _seen.Add(id);
            }
        }

        class PlainService
        {
            private readonly List<int> _seen = new();

            async Task Fan(int[] ids)
            {
                var tasks = new List<Task>();
                foreach (var id in ids) tasks.Add(RecordAsync(id));
                await Task.WhenAll(tasks);
            }

            private async Task RecordAsync(int id)
            {
                await Task.Delay(1);
                {|#1:_seen.Add(id)|};
            }
        }
        """,
        VerifyCollection.Diagnostic(Descriptors.TW2002UnsafeCollectionMutation).WithLocation(0).WithArguments("_directory", "Dictionary", "Task.WhenAll -> TransferOnThePoolAsync"),
        VerifyCollection.Diagnostic(Descriptors.TW2002UnsafeCollectionMutation).WithLocation(1).WithArguments("_seen", "List", "Task.WhenAll -> RecordAsync"));

    [Fact]
    public Task AsyncMethodsStartedTogether_RaceAfterTheirFirstAwait() => VerifyUpdate.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        class Crawler
        {
            private int _fetched;
            private int _parsed;
            private int _stored;
            private int _started;

            async Task Crawl(string[] urls)
            {
                await Task.WhenAll(urls.Select(FetchAsync));
                await Task.WhenAll(urls.Select(async url => await ParseAsync(url)));

                var tasks = new List<Task>();
                foreach (var url in urls)
                {
                    tasks.Add(StoreAsync(url));
                }

                await Task.WhenAll(tasks);
            }

            private async Task FetchAsync(string url)
            {
                _started++;
                await Task.Delay(10);
                {|#0:_fetched++|};
            }

            private async Task ParseAsync(string url)
            {
                await Task.Yield();
                {|#1:_parsed += url.Length|};
            }

            private async Task StoreAsync(string url)
            {
                await Task.Delay(1);
                {|#2:_stored++|};
            }
        }
        """,
        Tw2001(0, "_fetched", "urls.Select -> FetchAsync"), Tw2001(1, "_parsed", "urls.Select -> ParseAsync"), Tw2001(2, "_stored", "Task.WhenAll -> StoreAsync"));

    [Fact]
    public Task AsyncMethodsAwaitedOneByOne_AreNotConcurrent() => VerifyUpdate.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class Crawler
        {
            private int _fetched;
            private int _stored;

            async Task Crawl(string[] urls)
            {
                foreach (var url in urls)
                {
                    await FetchAsync(url);
                }

                var tasks = new List<Task>();
                foreach (var url in urls)
                {
                    tasks.Add(StoreAsync(url));
                }

                foreach (var task in tasks)
                {
                    await task;
                }
            }

            private async Task FetchAsync(string url)
            {
                await Task.Delay(10);
                _fetched++;
            }

            private async Task StoreAsync(string url)
            {
                await Task.Delay(1);
                _stored++;
            }
        }
        """);
}
