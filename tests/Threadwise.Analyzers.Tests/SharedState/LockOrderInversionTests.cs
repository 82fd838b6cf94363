using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.LockOrderInversionAnalyzer>;

namespace Threadwise.Tests.SharedState;

public class LockOrderInversionTests
{
    private static DiagnosticResult Tw2005(int markup, int other, string inner, string outer, string where)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW2005LockOrderInversion).WithLocation(markup).WithLocation(other).WithArguments(inner, outer, where);

    [Fact]
    public Task NestedLocksInOppositeOrders_AreFlaggedAtBothSites() => VerifyAnalyzer.AnalyzerAsync("""
        class Bank
        {
            private readonly object _accounts = new();
            private readonly object _audit = new();

            void Transfer()
            {
                lock (_accounts)
                {
                    lock ({|#0:_audit|}) { }
                }
            }

            void Report()
            {
                lock (_audit)
                {
                    lock ({|#1:_accounts|}) { }
                }
            }
        }
        """,
        Tw2005(0, 1, "_audit", "_accounts", "Test0.cs:18"),
        Tw2005(1, 0, "_accounts", "_audit", "Test0.cs:10"));

    [Fact]
    public Task InversionThroughACall_IsFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        class Bank
        {
            private readonly object _a = new();
            private readonly object _b = new();

            void One()
            {
                lock (_a) { {|#0:TakeB()|}; }
            }

            void TakeB() { lock (_b) { } }

            void Two()
            {
                lock (_b) { lock ({|#1:_a|}) { } }
            }
        }
        """,
        Tw2005(0, 1, "_b", "_a", "Test0.cs:15"),
        Tw2005(1, 0, "_a", "_b", "Test0.cs:8"));

    // DiskQueue's queue: its constructor takes the static `_configLock` and reads the queue, which takes the
    // instance `_writerLock`; `HardDelete` takes `_writerLock` and then `Dispose`, which takes `_configLock`.
    // The object under construction is not shared yet: nobody else can hold its `_writerLock`, so the
    // constructor orders nothing. The same order from an ordinary method, or a lock of another object
    // taken in the constructor, is reported.
    [Fact]
    public Task InstanceLocksOfTheObjectUnderConstruction_OrderNothing() => VerifyAnalyzer.AnalyzerAsync("""
        class Queue
        {
            private static readonly object _configLock = new();
            private static readonly object _registry = new();
            private readonly object _writerLock = new();
            private readonly Queue _other;

            public Queue(Queue other)
            {
                _other = other;
                lock (_configLock)
                {
                    LockAndRead();
                    lock (_writerLock) { }
                }

                lock (_configLock)
                {
                    lock ({|#0:other._writerLock|}) { }
                }
            }

            private void LockAndRead()
            {
                lock (_writerLock) { }
            }

            public void HardDelete()
            {
                lock (_writerLock)
                {
                    {|#1:Dispose()|};
                }
            }

            public void Dispose()
            {
                lock (_configLock) { }
            }
        }
        """,
        Tw2005(0, 1, "_writerLock", "_configLock", "Test0.cs:32"),
        Tw2005(1, 0, "_configLock", "_writerLock", "Test0.cs:19"));

    // An async method called under a lock runs under it only up to its first await: a lock it takes
    // after that (here, in a catch after the awaits) is taken once the caller has let go. One taken
    // before its first await is nested, and inverts the order.
    [Fact]
    public Task AsyncCalleesHoldTheCallersLockOnlyUntilTheirFirstAwait() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class Client
        {
            private readonly object _clientGate = new();
            private readonly object _sessionGate = new();
            private Task? _connecting;

            public void Connect()
            {
                lock (_clientGate) { _connecting = RunAsync(); }
            }

            public void Reconnect()
            {
                lock (_clientGate) { _connecting = {|#0:PrepareAsync()|}; }
            }

            public void OnSessionEvent()
            {
                lock (_sessionGate)
                {
                    lock ({|#1:_clientGate|}) { }
                }
            }

            private async Task RunAsync()
            {
                try
                {
                    await Task.Delay(1);
                }
                catch (Exception)
                {
                    lock (_sessionGate) { }
                }
            }

            private async Task PrepareAsync()
            {
                lock (_sessionGate) { }
                await Task.Delay(1);
            }
        }
        """,
        Tw2005(0, 1, "_sessionGate", "_clientGate", "Test0.cs:24"),
        Tw2005(1, 0, "_clientGate", "_sessionGate", "Test0.cs:17"));

    [Fact]
    public Task ConsistentOrderAndLocalLocks_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        class Bank
        {
            private readonly object _a = new();
            private readonly object _b = new();

            void One() { lock (_a) { lock (_b) { } } }
            void Two() { lock (_a) { lock (_b) { } } }

            static void Transfer(object from, object to)
            {
                lock (from) { lock (to) { } }
            }
        }
        """);

    // A constructor taking locks of an object whose fields do not resolve.
    [Fact]
    public Task BrokenConstructorLocks_DoNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        class Queue
        {
            private static readonly object _config = new();
            private readonly object _writer = new();

            public Queue(Missing other)
            {
                lock (_config)
                {
                    lock (other._writer) { }
                    lock (_missing) { }
                    Read(;
                }
            }

            private void Read() { lock (_writer) { } }
        }
        """);

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        class C
        {
            private readonly object _a = new();
            void M() { lock (_a) { lock (missing) { Recurse(); } } }
            void Recurse() { Recurse(); lock ( }
        }
        """);

    // Each class names its lock `mu` (the NATS client shape): the message tells them apart by type.
    [Fact]
    public Task LocksOfTheSameNameInTwoClasses_AreNamedByType() => VerifyAnalyzer.AnalyzerAsync("""
        class Connection
        {
            internal readonly object mu = new();

            internal void Send(Subscription s)
            {
                lock (mu) { }
            }

            internal void Deliver(Subscription s)
            {
                lock (mu)
                {
                    lock ({|#1:s.mu|}) { }
                }
            }
        }

        class Subscription
        {
            internal readonly object mu = new();
            private readonly Connection _conn = new();

            public void Start()
            {
                lock (mu)
                {
                    {|#0:_conn.Send(this)|};
                }
            }
        }
        """,
        Tw2005(1, 0, "Subscription.mu", "Connection.mu", "Test0.cs:28"),
        Tw2005(0, 1, "Connection.mu", "Subscription.mu", "Test0.cs:14"));

    // Rx's timer queue: `lock (StaticGate) { lock (Gate) { Evaluate(); } }` where Evaluate takes
    // StaticGate again. Re-entering a lock the thread holds adds no order, so StaticGate -> Gate is the
    // only order and nothing is inverted. Taking the inner lock first somewhere else still is.
    [Fact]
    public Task ReenteringAHeldLock_AddsNoOrder() => VerifyAnalyzer.AnalyzerAsync("""
        class TimerQueue
        {
            private static readonly object Gate = new object();
            private static readonly object StaticGate = new object();

            static void ScheduleLongTerm()
            {
                lock (StaticGate)
                {
                    lock (Gate) { }
                }
            }

            static void ClockChanged()
            {
                lock (StaticGate)
                {
                    lock (Gate)
                    {
                        Evaluate();
                        lock (StaticGate) { }
                    }
                }
            }

            static void Evaluate()
            {
                lock (StaticGate) { }
            }
        }

        class Inverted
        {
            private static readonly object A = new object();
            private static readonly object B = new object();

            static void First()
            {
                lock (A)
                {
                    lock ({|#0:B|})
                    {
                        lock (A) { }
                    }
                }
            }

            static void Second()
            {
                lock (B)
                {
                    lock ({|#1:A|}) { }
                }
            }
        }
        """,
        Tw2005(0, 1, "B", "A", "Test0.cs:52"),
        Tw2005(1, 0, "A", "B", "Test0.cs:41"));
}
