using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>
/// TW2005: lock A taken while holding B in one place, and B while holding A in another, directly or
/// through calls. Needs the whole compilation, so it reports at compilation end (builds and
/// full-solution analysis). Only locks on fields are compared: a field names the same lock
/// everywhere, a local or parameter does not. Calls made while a lock is held are only recorded as
/// they are seen; their callees are followed at compilation end, and only when the compilation
/// takes at least two distinct field locks — code that never nests locks costs next to nothing.
/// </summary>
// Its own analyzer, not hosted by ThreadwiseRules: it reports at compilation end, and IDEs leave an
// analyzer with any compilation-end rule out of live (as-you-type) analysis.
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LockOrderInversionAnalyzer : ThreadwiseAnalyzer
{
    public LockOrderInversionAnalyzer()
        : base(Descriptors.TW2005LockOrderInversion)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var edges = new ConcurrentBag<Edge>();
        var callsUnderLock = new ConcurrentBag<CallUnderLock>();
        var fieldLocks = new ConcurrentDictionary<IFieldSymbol, byte>(SymbolEqualityComparer.Default);
        var summaries = LockSummaries.For(context.Compilation);
        context.RegisterOperationAction(c => CollectNestedLock(c, edges, fieldLocks), OperationKind.Lock);
        context.RegisterOperationAction(c => CollectCallUnderLock(c, callsUnderLock, summaries), OperationKind.Invocation);
        context.RegisterCompilationEndAction(c =>
        {
            // An inversion needs two locks: with fewer, no callee is ever bound.
            if (fieldLocks.Count >= 2)
            {
                FollowCalls(callsUnderLock, edges, summaries, c.CancellationToken);
                ReportInversions(c, edges);
            }
        });
    }

    private static void CollectNestedLock(OperationAnalysisContext context, ConcurrentBag<Edge> edges, ConcurrentDictionary<IFieldSymbol, byte> fieldLocks)
    {
        var @lock = (ILockOperation)context.Operation;
        if (LockScope.LockSymbol(@lock.LockedValue) is not IFieldSymbol inner)
        {
            return;
        }

        fieldLocks.TryAdd(inner, 0);
        if (!LockScope.IsAnyLockHeld(@lock))
        {
            return;
        }

        var held = LockScope.HeldLocks(@lock).ToList();
        if (held.Contains(inner, SymbolEqualityComparer.Default))
        {
            // Taken again while already held (`lock (A) { lock (B) { lock (A) … } }`): a re-entry, no new order.
            return;
        }

        if (@lock.LockedValue.WithoutConversions() is IFieldReferenceOperation { Instance: IInstanceReferenceOperation }
            && ObjectUnderConstruction(@lock, context.ContainingSymbol) is { } constructed
            && IsLockOf(inner, constructed))
        {
            return;
        }

        foreach (var outer in held)
        {
            if (outer is IFieldSymbol outerField)
            {
                edges.Add(new Edge(outerField, inner, @lock.LockedValue.Syntax.GetLocation()));
            }
        }
    }

    private static void CollectCallUnderLock(OperationAnalysisContext context, ConcurrentBag<CallUnderLock> calls, LockSummaries summaries)
    {
        var invocation = (IInvocationOperation)context.Operation;
        if (!summaries.IsFollowable(invocation.TargetMethod) || !LockScope.IsAnyLockHeld(invocation))
        {
            return;
        }

        List<IFieldSymbol>? heldLocks = null;
        foreach (var held in LockScope.HeldLocks(invocation))
        {
            if (held is IFieldSymbol field)
            {
                (heldLocks ??= new List<IFieldSymbol>()).Add(field);
            }
        }

        if (heldLocks is null)
        {
            return;
        }

        var depth = ThreadwiseOptions.For(context.Options, invocation.Syntax.SyntaxTree).InterproceduralDepth;
        var constructed = invocation.Instance is null or IInstanceReferenceOperation ? ObjectUnderConstruction(invocation, context.ContainingSymbol) : null;
        calls.Add(new CallUnderLock(heldLocks, invocation.TargetMethod, invocation.Syntax.GetLocation(), depth, constructed));
    }

    // `PersistentQueueImpl(…) { lock (_configLock) { …; LockAndReadQueue(); } }` where LockAndReadQueue takes
    // `_writerLock` (DiskQueue): the object being constructed is not shared yet, so no other thread can hold
    // its own instance locks — taking them under another lock orders nothing. The type whose instance
    // constructor the operation runs in directly (not in a lambda, which may run later).
    private static INamedTypeSymbol? ObjectUnderConstruction(IOperation operation, ISymbol containingSymbol)
    {
        if (containingSymbol is not IMethodSymbol { MethodKind: MethodKind.Constructor, ContainingType: { } type })
        {
            return null;
        }

        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return null;
            }
        }

        return type;
    }

    private static bool IsLockOf(IFieldSymbol inner, INamedTypeSymbol constructed)
        => !inner.IsStatic && SymbolEqualityComparer.Default.Equals(inner.ContainingType.OriginalDefinition, constructed.OriginalDefinition);

    private static void FollowCalls(ConcurrentBag<CallUnderLock> calls, ConcurrentBag<Edge> edges, LockSummaries summaries, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var call in calls)
        {
            foreach (var (inner, _) in summaries.LocksTakenBy(call.Callee, call.Depth, cancellationToken))
            {
                // A callee that takes a lock the caller already holds re-enters it: no new order.
                if (call.HeldLocks.Contains(inner, SymbolEqualityComparer.Default)
                    || (call.Constructed is { } constructed && IsLockOf(inner, constructed)))
                {
                    continue;
                }

                foreach (var outer in call.HeldLocks)
                {
                    edges.Add(new Edge(outer, inner, call.Location));
                }
            }
        }
    }

    private static void ReportInversions(CompilationAnalysisContext context, ConcurrentBag<Edge> edges)
    {
        var firstByPair = new Dictionary<(IFieldSymbol, IFieldSymbol), Edge>(new PairComparer());
        foreach (var edge in edges)
        {
            var key = (edge.Outer, edge.Inner);
            if (!firstByPair.TryGetValue(key, out var existing) || Compare(edge.Location, existing.Location) < 0)
            {
                firstByPair[key] = edge;
            }
        }

        foreach (var edge in firstByPair.Values)
        {
            if (firstByPair.TryGetValue((edge.Inner, edge.Outer), out var opposite))
            {
                var span = opposite.Location.GetLineSpan();
                var where = Path.GetFileName(span.Path) + ":" + (span.StartLinePosition.Line + 1);
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.TW2005LockOrderInversion,
                    edge.Location,
                    new[] { opposite.Location },
                    LockName(edge.Inner, edge.Outer),
                    LockName(edge.Outer, edge.Inner),
                    where));
            }
        }
    }

    // Two fields of the same name (each class's `mu`) are told apart by their types.
    private static string LockName(IFieldSymbol field, IFieldSymbol other)
        => field.Name == other.Name && field.ContainingType is { } type ? type.Name + "." + field.Name : field.Name;

    private static int Compare(Location a, Location b)
    {
        var byPath = string.CompareOrdinal(a.SourceTree?.FilePath, b.SourceTree?.FilePath);
        return byPath != 0 ? byPath : a.SourceSpan.Start.CompareTo(b.SourceSpan.Start);
    }

    private sealed class CallUnderLock
    {
        public CallUnderLock(List<IFieldSymbol> heldLocks, IMethodSymbol callee, Location location, int depth, INamedTypeSymbol? constructed)
        {
            Constructed = constructed;
            HeldLocks = heldLocks;
            Callee = callee;
            Location = location;
            Depth = depth;
        }

        public List<IFieldSymbol> HeldLocks { get; }

        public IMethodSymbol Callee { get; }

        public Location Location { get; }

        public int Depth { get; }

        /// <summary>The type whose constructor makes the call on the object it is building; null elsewhere.</summary>
        public INamedTypeSymbol? Constructed { get; }
    }

    private sealed class Edge
    {
        public Edge(IFieldSymbol outer, IFieldSymbol inner, Location location)
        {
            Outer = outer;
            Inner = inner;
            Location = location;
        }

        public IFieldSymbol Outer { get; }

        public IFieldSymbol Inner { get; }

        public Location Location { get; }
    }

    private sealed class PairComparer : IEqualityComparer<(IFieldSymbol, IFieldSymbol)>
    {
        public bool Equals((IFieldSymbol, IFieldSymbol) x, (IFieldSymbol, IFieldSymbol) y)
            => SymbolEqualityComparer.Default.Equals(x.Item1, y.Item1) && SymbolEqualityComparer.Default.Equals(x.Item2, y.Item2);

        public int GetHashCode((IFieldSymbol, IFieldSymbol) obj)
            => (SymbolEqualityComparer.Default.GetHashCode(obj.Item1) * 31) + SymbolEqualityComparer.Default.GetHashCode(obj.Item2);
    }
}
