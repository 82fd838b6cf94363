using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.Joins.ProcessNeverWaitedAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.Joins.ProcessNeverWaitedAnalyzer, Threadwise.Joins.ProcessNeverWaitedFixProvider>;

namespace Threadwise.Tests.Joins;

public class ProcessNeverWaitedTests
{
    private static DiagnosticResult Tw4006(int markup)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW4006ProcessNeverWaited).WithLocation(markup);

    [Fact]
    public Task StartedAndForgotten_IsFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Diagnostics;

        class C
        {
            void M()
            {
                {|#0:Process.Start("tool", "--version")|};
                var p = {|#1:Process.Start(new ProcessStartInfo("tool"))|};
                Console.WriteLine(p?.Id);
                var q = new Process { StartInfo = new ProcessStartInfo("tool") };
                {|#2:q.Start()|};
            }
        }
        """, Tw4006(0), Tw4006(1), Tw4006(2));

    [Fact]
    public Task WaitedDisposedOrHandedOn_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Diagnostics;
        using System.Threading.Tasks;

        class C
        {
            private Process? _child;

            async Task M()
            {
                var waited = Process.Start("tool");
                waited?.WaitForExit();

                var awaited = Process.Start("tool")!;
                await awaited.WaitForExitAsync();

                using var disposed = Process.Start("tool");
                using (var block = Process.Start("tool")) { }

                var watched = new Process { EnableRaisingEvents = true };
                watched.Exited += (s, e) => Console.WriteLine("done");
                watched.Start();

                _child = Process.Start("tool");
                var stored = Process.Start("tool");
                _child = stored;
                Track(Process.Start("tool"));
                var notStarted = new Process();
            }

            Process? Returned() => Process.Start("tool");
            static void Track(Process? p) { }
        }
        """);

    // Terminal.Gui's link view: `Process.Start(new ProcessStartInfo(url) { UseShellExecute = true });` opens
    // the URL with its associated application (perhaps a browser already running); waiting would block
    // until the user closes it. So does `Process.Start("open", url)` on macOS (`xdg-open` on Linux): the
    // launcher exits at once. Without UseShellExecute, with it false, another program, or with the process
    // kept, it is judged.
    [Fact]
    public Task ShellLaunchesAsStatements_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Diagnostics;

        class Link
        {
            void Open(string url)
            {
                Process.Start(new ProcessStartInfo(url) { UseShellExecute = true });
                var info = new ProcessStartInfo { FileName = url, UseShellExecute = true };
                Process.Start(info);
                Process.Start("open", url);
                Process.Start("xdg-open", url);
                {|#3:Process.Start("git", "pull")|};
                {|#0:Process.Start(new ProcessStartInfo(url) { UseShellExecute = false })|};
                {|#1:Process.Start(new ProcessStartInfo(url))|};
                var kept = {|#2:Process.Start(new ProcessStartInfo(url) { UseShellExecute = true })|};
            }
        }
        """, Tw4006(0), Tw4006(1), Tw4006(2), Tw4006(3));

    // MSAL opens the browser with `Process.Start(new ProcessStartInfo("cmd", $"/c start msedge {url}"))` on
    // Windows and `Process.Start("/usr/bin/open", url)` on macOS: `cmd /c start` and the launchers named by
    // path exit as soon as they hand the URL over. `cmd` running anything else, a launcher whose name is not
    // a constant, and the browser itself started directly are judged as before.
    [Fact]
    public Task LaunchersByPathAndCmdStart_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Diagnostics;

        class Browser
        {
            void Open(string url, string tool)
            {
                Process.Start(new ProcessStartInfo("cmd", $"/c start msedge {url}") { CreateNoWindow = true });
                Process.Start("cmd.exe", "/C START " + url);
                Process.Start("/usr/bin/open", url);
                Process.Start(@"C:\Windows\explorer.exe", url);
                Process.Start(new ProcessStartInfo("/usr/bin/xdg-open", url));
                {|#0:Process.Start(new ProcessStartInfo("cmd", $"/c del {url}"))|};
                {|#1:Process.Start(tool, url)|};
                {|#2:Process.Start("msedge", url)|};
                {|#3:Process.Start("/usr/bin/opener", url)|};
            }
        }
        """, Tw4006(0), Tw4006(1), Tw4006(2), Tw4006(3));

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Diagnostics;

        class C
        {
            void M()
            {
                Process.Start(;
                var p = new Process(
                p.Start();
                Missing.Start("x");
                Process.Start(new ProcessStartInfo( { UseShellExecute = });
                Process.Start(new Missing { UseShellExecute = true });
            }
        }
        """);

    [Fact]
    public Task Fix_DisposesAndWaits_AsyncAndSync() => VerifyFix.CodeFixAsync("""
        using System.Diagnostics;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task RunAsync(CancellationToken ct)
            {
                {|#0:Process.Start("tool")|};
            }

            void Run()
            {
                var p = {|#1:Process.Start("tool")|};
                System.Console.WriteLine(p?.Id);
                System.Console.WriteLine("done");
            }
        }
        """, """
        using System.Diagnostics;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task RunAsync(CancellationToken ct)
            {
                using var process = Process.Start("tool");
                if (process is not null)
                {
                    await process.WaitForExitAsync(ct);
                }
            }

            void Run()
            {
                using var p = Process.Start("tool");
                System.Console.WriteLine(p?.Id);
                p?.WaitForExit();
                System.Console.WriteLine("done");
            }
        }
        """, Tw4006(0), Tw4006(1));

    [Fact]
    public Task Fix_IsNotOffered_OutsideABlock() => VerifyFix.NoCodeFixAsync("""
        using System.Diagnostics;

        class C
        {
            void M(bool go)
            {
                if (go) {|#0:Process.Start("tool")|};
            }
        }
        """, Tw4006(0));
}
