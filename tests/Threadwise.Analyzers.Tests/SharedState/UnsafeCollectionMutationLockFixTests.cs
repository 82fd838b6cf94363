using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.UnsafeCollectionMutationAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.SharedState.UnsafeCollectionMutationAnalyzer, Threadwise.SharedState.GuardWithLockFixProvider>;

namespace Threadwise.Tests.SharedState;

public class UnsafeCollectionMutationLockFixTests
{
    private static DiagnosticResult Tw2002(int markup, string name, string type, string entry)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW2002UnsafeCollectionMutation).WithLocation(markup).WithArguments(name, type, entry);

    [Fact]
    public Task LockFix_GuardsFieldMutations_StaticGateInStaticMembers() => VerifyFix.CodeFixAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            private readonly List<int> _seen = new();
            private static readonly Queue<int> s_pending = new();

            void M(int[] items) => Parallel.ForEach(items, x => { {|#0:_seen.Add(x)|}; });

            static void S(int[] items) => Parallel.ForEach(items, x => { {|#1:s_pending.Enqueue(x)|}; });
        }
        """, """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            private static readonly object s_pendingLock = new();
            private readonly object _seenLock = new();
            private readonly List<int> _seen = new();
            private static readonly Queue<int> s_pending = new();

            void M(int[] items) => Parallel.ForEach(items, x => { lock (_seenLock) { _seen.Add(x); } });

            static void S(int[] items) => Parallel.ForEach(items, x => { lock (s_pendingLock) { s_pending.Enqueue(x); } });
        }
        """, Tw2002(0, "_seen", "List", "Parallel.ForEach"), Tw2002(1, "s_pending", "Queue", "Parallel.ForEach"));
}
