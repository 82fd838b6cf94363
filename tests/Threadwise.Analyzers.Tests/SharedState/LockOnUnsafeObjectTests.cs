using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.LockOnUnsafeObjectAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.LockOnUnsafeObjectAnalyzer, Threadwise.SharedState.LockOnUnsafeObjectFixProvider>;

namespace Threadwise.Tests.SharedState;

public class LockOnUnsafeObjectTests
{
    private static DiagnosticResult Tw2004(int markup, string what)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW2004LockOnUnsafeObject).WithLocation(markup).WithArguments(what);

    [Fact]
    public Task UnsafeLockObjects_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading;

        class C
        {
            private object _replaceable = new();
            public readonly object Exposed = new();
            private int _number;

            void M(string name, Thread thread)
            {
                lock ({|#0:this|}) { }
                lock ({|#1:typeof(C)|}) { }
                lock ({|#2:"key"|}) { }
                lock ({|#3:name|}) { }
                lock ({|#4:_replaceable|}) { }
                lock ({|#5:Exposed|}) { }
                lock ({|#6:(object)_number|}) { }
                lock ({|#7:new object()|}) { }
                lock ({|#8:GetType()|}) { }
                lock ({|#9:thread|}) { }
            }
        }
        """,
        Tw2004(0, "'this'"), Tw2004(1, "a typeof(...) object"), Tw2004(2, "a string (strings are interned and shared)"),
        Tw2004(3, "a string (strings are interned and shared)"), Tw2004(4, "the non-readonly field '_replaceable'"),
        Tw2004(5, "the non-private field 'Exposed'"), Tw2004(6, "a boxed value type (a new object each time)"),
        Tw2004(7, "a new object created for this lock alone"), Tw2004(8, "a Type object"), Tw2004(9, "a Thread object"));

    [Fact]
    public Task PrivateReadonlyObjects_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        class C
        {
            private readonly object _gate = new();
            private static readonly object s_gate = new();

            void M(object parameter)
            {
                lock (_gate) { }
                lock (s_gate) { }
                var local = new object();
                lock (local) { }
            }
        }
        """);

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        class C
        {
            void M()
            {
                lock (missing) { }
                lock ( { }
                lock
            }
        }
        """);

    [Fact]
    public Task Fix_AddsOneGatePerClass_StaticWhereNeeded() => VerifyFix.CodeFixAsync("""
        class C
        {
            private int _x;

            void A() { lock ({|#0:this|}) { _x++; } }
            void B() { lock ({|#1:this|}) { _x--; } }
            static void S() { lock ({|#2:typeof(C)|}) { } }
        }
        """, """
        class C
        {
            private static readonly object s_gate = new();
            private readonly object _gate = new();
            private int _x;

            void A() { lock (_gate) { _x++; } }
            void B() { lock (_gate) { _x--; } }
            static void S() { lock (s_gate) { } }
        }
        """, Tw2004(0, "'this'"), Tw2004(1, "'this'"), Tw2004(2, "a typeof(...) object"));
}
