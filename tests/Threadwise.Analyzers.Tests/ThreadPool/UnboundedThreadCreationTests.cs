using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.ThreadPool.UnboundedThreadCreationAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.ThreadPool.UnboundedThreadCreationAnalyzer, Threadwise.ThreadPool.UnboundedThreadCreationFixProvider>;

namespace Threadwise.Tests.ThreadPool;

public class UnboundedThreadCreationTests
{
    private static DiagnosticResult Tw3004(int markup)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW3004UnboundedThreadCreation).WithLocation(markup);

    [Fact]
    public Task ThreadPerItem_IsFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading;

        class C
        {
            void M(List<string> urls, int n)
            {
                foreach (var url in urls)
                {
                    var t = {|#0:new Thread(() => Fetch(url))|};
                    t.Start();
                }

                for (var i = 0; i < n; i++)
                {
                    {|#1:new Thread(() => Fetch(urls[i]))|}.Start();
                }

                while (n-- > 0)
                {
                    var t = {|#2:new Thread(() => Fetch("y"))|};
                    t.Start();
                }
            }

            static void Fetch(string url) { }
        }
        """, Tw3004(0), Tw3004(1), Tw3004(2));

    [Fact]
    public Task FixedSmallLoopsNotStartedOrOutsideLoops_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading;

        class C
        {
            void M(List<string> urls)
            {
                for (var i = 0; i < 2; i++)
                {
                    new Thread(() => Fetch("x")).Start();
                }

                var threads = new List<Thread>();
                foreach (var url in urls)
                {
                    threads.Add(new Thread(() => Fetch(url)));
                }

                var single = new Thread(() => Fetch("z"));
                single.Start();
            }

            static void Fetch(string url) { }
        }
        """);

    // A pool of identical workers (FASTER's completion threads): the loop hands no item to a thread.
    [Fact]
    public Task WorkerPoolOfConfiguredSize_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading;

        class C
        {
            public static int NumCompletionThreads = 1;

            void Start(int workers)
            {
                for (int i = 0; i < NumCompletionThreads; i++)
                {
                    var thread = new Thread(() => Work()) { IsBackground = true };
                    thread.Start();
                }

                for (var i = 0; i < Environment.ProcessorCount; i++)
                {
                    new Thread(Work).Start();
                }

                for (var w = 0; w < workers; w++)
                {
                    new Thread(Work).Start();
                }
            }

            static void Work() { }
        }
        """);

    // Thread-per-connection servers (Telepathy): each iteration waits for a client, then starts its loops.
    [Fact]
    public Task ThreadPerAcceptedConnection_IsNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Net;
        using System.Net.Sockets;
        using System.Threading;

        class Server
        {
            void Listen(TcpListener listener, Socket socket, HttpListener http)
            {
                while (true)
                {
                    TcpClient client = listener.AcceptTcpClient();
                    var receive = new Thread(() => Receive(client)) { IsBackground = true };
                    receive.Start();
                }
            }

            void Listen(Socket socket)
            {
                while (socket.IsBound)
                {
                    var peer = socket.Accept();
                    new Thread(() => peer.Close()).Start();
                }
            }

            void Listen(HttpListener http)
            {
                while (http.IsListening)
                {
                    var context = http.GetContext();
                    new Thread(() => context.Response.Close()).Start();
                }
            }

            static void Receive(TcpClient client) { }
        }
        """);

    // Look-alikes: a for loop handing out items by index, and a while loop whose Accept is not a socket's.
    [Fact]
    public Task IndexedItemsAndOtherAccepts_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading;

        class Inbox { public string Accept() => ""; }

        class C
        {
            void M(string[] urls, Inbox inbox)
            {
                for (var i = 0; i < urls.Length; i++)
                {
                    var url = urls[i];
                    {|#0:new Thread(() => Fetch(url))|}.Start();
                }

                while (true)
                {
                    var next = inbox.Accept();
                    {|#1:new Thread(() => Fetch(next))|}.Start();
                }
            }

            static void Fetch(string url) { }
        }
        """, Tw3004(0), Tw3004(1));

    // CSRedis's subscriptions: one thread per node, each running `while (IsUnsubscribed == false)` until
    // the subscription ends. Long-lived loops that Parallel.ForEach cannot replace (it would never
    // return). A thread that does finite work per item, or loops on a condition of its own, is reported.
    [Fact]
    public Task ThreadsRunningServiceLoops_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Collections.Generic;
        using System.Threading;

        class Subscriptions
        {
            private volatile bool _stopped;

            public bool IsUnsubscribed { get; set; }

            public void Start(List<string> channels)
            {
                foreach (var channel in channels)
                {
                    new Thread(Subscribe).Start(channel);
                }

                foreach (var channel in channels)
                {
                    new Thread(() => { while (!_stopped) { Thread.Sleep(10); } }).Start();
                }

                foreach (var channel in channels)
                {
                    new Thread(() => Pump(channel)).Start();
                }

                foreach (var channel in channels)
                {
                    {|#0:new Thread(() => Fetch(channel))|}.Start();
                }

                foreach (var channel in channels)
                {
                    {|#1:new Thread(Drain)|}.Start(channel);
                }
            }

            private void Subscribe(object state)
            {
                while (IsUnsubscribed == false)
                {
                    Thread.Sleep(100);
                }
            }

            private void Pump(string channel)
            {
                while (true)
                {
                    Thread.Sleep(100);
                }
            }

            private void Fetch(string channel) { }

            private void Drain(object state)
            {
                var left = 10;
                while (left > 0)
                {
                    left--;
                }
            }
        }
        """, Tw3004(0), Tw3004(1));

    // A per-item thread whose body's loop condition is being written; a "flag" of a missing type is no
    // stop flag, so that thread is reported.
    [Fact]
    public Task BrokenServiceLoopBodies_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Collections.Generic;
        using System.Threading;

        class Subscriptions
        {
            public Missing IsUnsubscribed { get; set; }

            public void Start(List<string> channels)
            {
                foreach (var channel in channels)
                {
                    {|#0:new Thread(Subscribe)|}.Start(channel);
                    new Thread(() => { while (Unknown == ) { } }).Start();
                }
            }

            private void Subscribe(object state)
            {
                while (IsUnsubscribed == false) { }
            }
        }
        """, Tw3004(0));

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        using System.Threading;

        class C
        {
            void M(string[] urls)
            {
                foreach (var url in urls)
                {
                    var t = new Thread(;
                    t.Start();
                }
            }
        }
        """);

    [Fact]
    public Task Fix_ThreadPerItemBecomesBoundedParallelForEach() => VerifyFix.CodeFixAsync("""
        using System.Collections.Generic;
        using System.Threading;

        class C
        {
            void M(List<string> urls, List<Thread> started)
            {
                foreach (var url in urls)
                {
                    var t = {|#0:new Thread(() => Fetch(url))|};
                    t.Start();
                    started.Add(t);
                }
            }

            static void Fetch(string url) { }
        }
        """, """
        using System;
        using System.Collections.Generic;
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            void M(List<string> urls, List<Thread> started)
            {
                Parallel.ForEach(urls, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount }, url => Fetch(url));
            }

            static void Fetch(string url) { }
        }
        """, Tw3004(0));

    [Fact]
    public Task Fix_IsNotOffered_WhenTheLoopDoesMore() => VerifyFix.NoCodeFixAsync("""
        using System.Collections.Generic;
        using System.Threading;

        class C
        {
            void M(List<string> urls)
            {
                foreach (var url in urls)
                {
                    System.Console.WriteLine(url);
                    var t = {|#0:new Thread(() => Fetch(url))|};
                    t.Start();
                }
            }

            static void Fetch(string url) { }
        }
        """, Tw3004(0));
}
