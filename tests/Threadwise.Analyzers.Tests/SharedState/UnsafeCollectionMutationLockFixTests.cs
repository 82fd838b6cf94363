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

    [Fact]
    public Task LockFix_ALocalCollectionIsItsOwnLock_ExpressionLambdasGetABlockBody() => VerifyFix.CodeFixAsync("""
        using System.Collections.Generic;
        using System.Linq;
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

            int Distinct(int[] items)
            {
                var seen = new HashSet<int>();
                return items.AsParallel().Where(x => {|#2:seen.Add(x)|}).Count();
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Linq;
        using System.Threading.Tasks;

        class C
        {
            private readonly object _fieldLock = new();
            private readonly List<int> _field = new();

            int M(int[] items)
            {
                var results = new List<int>();
                Parallel.ForEach(items, x => { lock (results) { results.Add(x); } });
                Parallel.ForEach(items, x => { lock (_fieldLock) { _field.Add(x); } });
                return results[0];
            }

            int Distinct(int[] items)
            {
                var seen = new HashSet<int>();
                return items.AsParallel().Where(x => { lock (seen) { return seen.Add(x); } }).Count();
            }
        }
        """, Tw2002(0, "results", "List", "Parallel.ForEach"), Tw2002(1, "_field", "List", "Parallel.ForEach"), Tw2002(2, "seen", "HashSet", "items.AsParallel().Where"));

    [Fact]
    public Task LockFix_AReassignedLocalGetsAGate() => VerifyFix.CodeFixAsync("""
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            List<int> M(int[] items, bool fresh)
            {
                var results = new List<int>();
                if (fresh) results = new List<int>(items.Length);
                Parallel.ForEach(items, x =>
                {
                    {|#0:results.Add(x)|};
                });
                return results;
            }
        }
        """, """
        using System.Collections.Generic;
        using System.Threading.Tasks;

        class C
        {
            private readonly object _resultsLock = new();

            List<int> M(int[] items, bool fresh)
            {
                var results = new List<int>();
                if (fresh) results = new List<int>(items.Length);
                Parallel.ForEach(items, x =>
                {
                    lock (_resultsLock)
                    {
                        results.Add(x);
                    }
                });
                return results;
            }
        }
        """, Tw2002(0, "results", "List", "Parallel.ForEach"));
}
