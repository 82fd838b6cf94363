using System.Collections.Immutable;
using System.Text.RegularExpressions;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Testing;
using Threadwise.Configuration;
using Threadwise.Core;
using Threadwise.Joins;
using Threadwise.SharedState;
using Threadwise.Tests.Infrastructure;

namespace Threadwise.Tests.Configuration;

public class PeerPragmaSuppressorTests
{
    // A finding inside `#pragma warning disable` of a peer rule for the same mistake is suppressed
    // (still listed, with the reason); before the pragma, after its restore, or under an unrelated
    // pragma it is not.
    [Theory]
    [InlineData("net8")]
    [InlineData("net10")]
    public async Task FindingsWhereAPeerRuleIsDisabled_AreSuppressed(string framework)
    {
        var diagnostics = await RunAsync(framework, """
            using System.Threading.Tasks;

            class C
            {
                void M()
                {
                    Task.Delay(1);
            #pragma warning disable MA0134 // fire and forget on purpose
                    Task.Delay(2);
            #pragma warning restore MA0134
                    Task.Delay(3);
            #pragma warning disable 4014, CA1000
                    Task.Delay(4);
            #pragma warning restore 4014
            #pragma warning disable CA2012
                    Task.Delay(5);
                }
            }
            """);

        var byLine = diagnostics.Where(d => d.Id == "TW4002")
            .ToDictionary(d => d.Location.GetLineSpan().StartLinePosition.Line + 1, d => d.IsSuppressed);
        Assert.Equal(new Dictionary<int, bool> { [7] = false, [9] = true, [11] = false, [13] = true, [16] = false }, byLine);
    }

    // ReSharper and Rider turn their inspections off with comments: Halibut's queue waits with
    // `// ReSharper disable once MethodSupportsCancellation` (and a comment line saying why) above the call.
    // `disable once` covers the line after the comment lines; `disable … restore` a region; `All` every
    // inspection. Another inspection's name, or a line further down, is no suppression; half-typed
    // comments are none either.
    [Theory]
    [InlineData("net8")]
    [InlineData("net10")]
    public async Task FindingsWhereReSharperDisablesTheSameInspection_AreSuppressed(string framework)
    {
        var diagnostics = await RunAsync(framework, """
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task M(SemaphoreSlim gate, CancellationToken token)
                {
                    await Task.WhenAll(
                        // ReSharper disable once MethodSupportsCancellation
                        // a token here would keep a registration alive
                        gate.WaitAsync(),
                        Task.Delay(1, token));
                    await gate.WaitAsync();
                    // ReSharper disable once MethodSupportsCancellation
                    var x = 1;
                    await gate.WaitAsync();
                    // ReSharper disable MethodSupportsCancellation
                    await gate.WaitAsync();
                    // ReSharper restore MethodSupportsCancellation
                    await gate.WaitAsync();
                    // ReSharper disable once UnusedVariable
                    await gate.WaitAsync();
                    // ReSharper disable once All
                    await gate.WaitAsync();
                    // ReSharper disable once
                    await gate.WaitAsync();
                    // ReSharper
                    await gate.WaitAsync();
                }
            }
            """, new Threadwise.Blocking.CancellationTokenNotForwardedAnalyzer());

        var byLine = diagnostics.Where(d => d.Id == "TW1007")
            .ToDictionary(d => d.Location.GetLineSpan().StartLinePosition.Line + 1, d => d.IsSuppressed);
        Assert.Equal(
            new Dictionary<int, bool> { [11] = true, [13] = false, [16] = false, [18] = true, [20] = false, [22] = false, [24] = true, [26] = false, [28] = false },
            byLine);
    }

    // ReSharper's attribute form: KeyedSemaphores marks its spin-then-await lock methods
    // `[SuppressMessage("ReSharper", "MethodHasAsyncOverload")]`. The inspection's name as the check id
    // suppresses the finding in that member; another inspection's name, or another member, does not.
    [Theory]
    [InlineData("net8")]
    [InlineData("net10")]
    public async Task FindingsInAMemberWhereReSharperSuppressesTheSameInspection_AreSuppressed(string framework)
    {
        var diagnostics = await RunAsync(framework, """
            using System.Diagnostics.CodeAnalysis;
            using System.Threading;
            using System.Threading.Tasks;

            class Keyed
            {
                [SuppressMessage("ReSharper", "MethodHasAsyncOverload")]
                async Task LockAsync(SemaphoreSlim semaphore)
                {
                    await Task.Yield();
                    semaphore.Wait();
                }

                [SuppressMessage("ReSharper", "InconsistentNaming")]
                async Task OtherAsync(SemaphoreSlim semaphore)
                {
                    await Task.Yield();
                    semaphore.Wait();
                }

                async Task PlainAsync(SemaphoreSlim semaphore)
                {
                    await Task.Yield();
                    semaphore.Wait();
                }
            }
            """, new Threadwise.Blocking.BlockingApiInAsyncCodeAnalyzer());

        var byLine = diagnostics.Where(d => d.Id == "TW1004")
            .ToDictionary(d => d.Location.GetLineSpan().StartLinePosition.Line + 1, d => d.IsSuppressed);
        Assert.Equal(new Dictionary<int, bool> { [11] = true, [18] = false, [24] = false }, byLine);
    }

    // Pragmas being typed: no list, an empty or half-written list, a directive at the end of the file,
    // an unterminated method. The suppressor must not throw, and a finding under a pragma that names
    // no peer rule stays unsuppressed.
    [Fact]
    public async Task BrokenPragmasAndCode_DoNotCrash()
    {
        var diagnostics = await RunAsync("net8", """
            using System.Threading.Tasks;

            class C
            {
                void M()
                {
            #pragma warning disable
            #pragma warning restore
            #pragma warning disable MA01
                    Task.Delay(1);
            #pragma warning disable ,
                    Task.Delay(2);
            #pragma warning disable CS
                    Task.Delay(3)
                }

                void N(
            #pragma warning disable VSTHRD110
            """);

        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        Assert.All(diagnostics.Where(d => d.Id == "TW4002"), d => Assert.False(d.IsSuppressed));
        Assert.Contains(diagnostics, d => d.Id == "TW4002");
    }

    [Fact]
    public void ThePeerTable_MatchesTheDocs()
    {
        var documented = new Dictionary<string, string[]>();
        foreach (var line in File.ReadLines(Path.Combine(RepoPaths.Root, "docs", "peer-rules.md")))
        {
            var row = Regex.Match(line, @"^\| \[(TW\d{4})\]\(rules/TW\d{4}\.md\)[^|]*\| (.*) \|$");
            if (row.Success && row.Groups[2].Value != "—")
            {
                documented[row.Groups[1].Value] = Regex.Matches(row.Groups[2].Value, @"([A-Za-z]+\d+) \(").Select(m => m.Groups[1].Value).ToArray();
            }
        }

        Assert.Equal(
            documented.OrderBy(e => e.Key).Select(e => e.Key + ": " + string.Join(",", e.Value)),
            PeerRules.ByRule.OrderBy(e => e.Key).Select(e => e.Key + ": " + string.Join(",", e.Value)));
    }

    [Fact]
    public void TheReSharperTable_MatchesTheDocs()
    {
        var documented = new Dictionary<string, string>();
        foreach (var line in File.ReadLines(Path.Combine(RepoPaths.Root, "docs", "peer-rules.md")))
        {
            var row = Regex.Match(line, @"^\| (TW\d{4}) \| ([A-Za-z, ]+) \|$");
            if (row.Success)
            {
                documented[row.Groups[1].Value] = row.Groups[2].Value;
            }
        }

        Assert.Equal(
            documented.OrderBy(e => e.Key).Select(e => e.Key + ": " + e.Value),
            PeerRules.ReSharperByRule.OrderBy(e => e.Key).Select(e => e.Key + ": " + string.Join(", ", e.Value)));
    }

    // Roslynator's RCS1059 (avoid locking on a publicly accessible instance) is TW2004's mistake
    // (found dogfooding Proto.Actor, which disables it around a deliberate `lock (this)`).
    [Fact]
    public async Task LockOnThis_UnderRoslynatorsPragma_IsSuppressed()
    {
        var diagnostics = await RunAsync("net10", """
            public class Context
            {
                private object _extras;

                public object Extras()
                {
            #pragma warning disable RCS1059
                    lock (this)
            #pragma warning restore RCS1059
                    {
                        return _extras ??= new object();
                    }
                }
            }

            public class Other
            {
                public void M()
                {
                    lock (this) { }
                }
            }
            """, new LockOnUnsafeObjectAnalyzer());

        var byLine = diagnostics.Where(d => d.Id == "TW2004")
            .ToDictionary(d => d.Location.GetLineSpan().StartLinePosition.Line + 1, d => d.IsSuppressed);
        Assert.Equal(new Dictionary<int, bool> { [8] = true, [20] = false }, byLine);
    }

    // Elastic.Transport's `EnsureCompleted(this ValueTask<T> task)` reads the ValueTask with
    // `GetAwaiter().GetResult()` under `#pragma warning disable VSTHRD002`: VS Threading reports that read as
    // a synchronous wait, so the maintainer has said it is intended, and TW4008's finding is suppressed.
    // The same read without the pragma is not.
    [Fact]
    public async Task ValueTaskRead_UnderVsThreadingsSyncWaitPragma_IsSuppressed()
    {
        var diagnostics = await RunAsync("net10", """
            using System.Threading.Tasks;

            static class TaskExtensions
            {
                public static T EnsureCompleted<T>(this ValueTask<T> task)
                {
            #pragma warning disable VSTHRD002 // Avoid problematic synchronous waits
                    return task.GetAwaiter().GetResult();
            #pragma warning restore VSTHRD002
                }

                public static T Read<T>(this ValueTask<T> task) => task.GetAwaiter().GetResult();
            }
            """, new ValueTaskMisuseAnalyzer());

        var byLine = diagnostics.Where(d => d.Id == "TW4008")
            .ToDictionary(d => d.Location.GetLineSpan().StartLinePosition.Line + 1, d => d.IsSuppressed);
        Assert.Equal(new Dictionary<int, bool> { [8] = true, [12] = false }, byLine);
    }

    // Silverback's `SafeWait` helpers carry `[SuppressMessage("Usage", "VSTHRD002:Avoid problematic synchronous waits",
    // Justification = "Reviewed")]`: the maintainer reviewed the wait for VS Threading's rule, which reports the same
    // mistake as TW1005. On the method or the type around it (positional or named check id)
    // the finding is suppressed; an attribute for an unrelated rule, or on another member, suppresses nothing.
    // (A helper named for waiting, as `SafeWait` is, is no finding at all now; `Finish` stands in for one.)
    [Theory]
    [InlineData("net8")]
    [InlineData("net10")]
    public async Task FindingsUnderAPeerSuppressMessage_AreSuppressed(string framework)
    {
        var diagnostics = await RunAsync(framework, """
            using System.Diagnostics.CodeAnalysis;
            using System.Threading.Tasks;

            static class TaskExtensions
            {
                [SuppressMessage("Usage", "VSTHRD002:Avoid problematic synchronous waits", Justification = "Reviewed")]
                public static void Finish(this Task task) => task.GetAwaiter().GetResult();

                [System.Diagnostics.CodeAnalysis.SuppressMessageAttribute("Usage", checkId: "MA0045")]
                public static int Named(this Task<int> task) => task.Result;

                [SuppressMessage("Design", "CA1000:Do not declare static members on generic types")]
                public static void Unrelated(this Task task) => task.Wait();

                [SuppressMessage("Usage", "VSTHRD002")]
                public static void Other() { }

                public static void Plain(this Task task) => task.Wait();
            }

            [SuppressMessage("Usage", "VSTHRD002")]
            class Reviewed
            {
                void M(Task task) => task.Wait();
            }
            """, new Threadwise.Blocking.SyncOverAsyncAnalyzer());

        var byLine = diagnostics.Where(d => d.Id == "TW1005")
            .ToDictionary(d => d.Location.GetLineSpan().StartLinePosition.Line + 1, d => d.IsSuppressed);
        Assert.Equal(new Dictionary<int, bool> { [7] = true, [10] = true, [13] = false, [18] = false, [24] = true }, byLine);
    }

    // Attributes being typed: no arguments, one argument, a check id that is not a string, an empty string.
    [Fact]
    public async Task BrokenSuppressMessageAttributes_DoNotCrash()
    {
        var diagnostics = await RunAsync("net8", """
            using System.Diagnostics.CodeAnalysis;
            using System.Threading.Tasks;

            static class C
            {
                [SuppressMessage(]
                public static void A(Task t) => t.Wait();
                [SuppressMessage("Usage", ]
                public static void B(Task t) => t.Wait();
                [SuppressMessage("Usage", 42)]
                public static void D(Task t) => t.Wait();
                [SuppressMessage("Usage", "")]
                public static void E(Task t) => t.Wait();
                [SuppressMessage]
                public static void F(Task t) => t.Wait(
            """, new Threadwise.Blocking.SyncOverAsyncAnalyzer());

        Assert.DoesNotContain(diagnostics, d => d.Id == "AD0001");
        Assert.All(diagnostics.Where(d => d.Id == "TW1005"), d => Assert.False(d.IsSuppressed));
        Assert.Contains(diagnostics, d => d.Id == "TW1005");
    }

    private static async Task<ImmutableArray<Diagnostic>> RunAsync(string framework, string source, DiagnosticAnalyzer? analyzer = null)
    {
        var assemblies = framework == "net10" ? References.Net100 : References.Net80;
        var references = await assemblies.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        var compilation = CSharpCompilation.Create(
            "Test",
            new[] { CSharpSyntaxTree.ParseText(source, path: "Test.cs") },
            references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var analyzers = ImmutableArray.Create<DiagnosticAnalyzer>(analyzer ?? new TaskDroppedAnalyzer(), new PeerPragmaSuppressor());
        var exceptions = new List<Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty),
            (exception, _, _) => { lock (exceptions) { exceptions.Add(exception); } },
            concurrentAnalysis: false,
            logAnalyzerExecutionTime: false,
            reportSuppressedDiagnostics: true);
        var diagnostics = await compilation.WithAnalyzers(analyzers, options).GetAnalyzerDiagnosticsAsync(CancellationToken.None);
        Assert.Empty(exceptions);
        return diagnostics;
    }
}
