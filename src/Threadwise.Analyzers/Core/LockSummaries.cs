using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// "Which field locks does this method take, directly or through the methods it calls?" — for
/// lock-order analysis (TW2005). Per method, only the direct facts are cached (the field locks its
/// body takes, the followable methods it calls), each body bound at most once per compilation; the
/// transitive answer is a breadth-first walk over those facts, bounded in depth. That makes the
/// answer independent of the order in which concurrent callers ask (a cached transitive summary cut
/// at a recursion cycle would not be), and a body that neither locks nor calls is never bound.
/// </summary>
internal sealed class LockSummaries
{
    private static readonly ConditionalWeakTable<Compilation, LockSummaries> Cache = new();

    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<IMethodSymbol, Facts> _facts = new(SymbolEqualityComparer.Default);

    private LockSummaries(Compilation compilation) => _compilation = compilation;

    public static LockSummaries For(Compilation compilation)
        => Cache.GetValue(compilation, static c => new LockSummaries(c));

    /// <summary>The field locks <paramref name="method"/> takes, each with the smallest number of
    /// calls it is away (1 = in the method's own body), up to <paramref name="maxDepth"/>.</summary>
    public List<(IFieldSymbol Lock, int Depth)> LocksTakenBy(IMethodSymbol method, int maxDepth, CancellationToken cancellationToken)
    {
        var result = new List<(IFieldSymbol, int)>();
        var seenLocks = new HashSet<IFieldSymbol>(SymbolEqualityComparer.Default);
        var visited = new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default) { method.OriginalDefinition };
        var frontier = new List<IMethodSymbol> { method.OriginalDefinition };
        for (var depth = 1; depth <= maxDepth && frontier.Count > 0; depth++)
        {
            var next = new List<IMethodSymbol>();
            foreach (var current in frontier)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var facts = FactsOf(current, cancellationToken);
                foreach (var field in facts.Locks)
                {
                    if (seenLocks.Add(field))
                    {
                        result.Add((field, depth));
                    }
                }

                foreach (var callee in facts.Callees)
                {
                    if (visited.Add(callee))
                    {
                        next.Add(callee);
                    }
                }
            }

            frontier = next;
        }

        return result;
    }

    /// <summary>A method of this compilation whose body is what runs when it is called.</summary>
    public bool IsFollowable(IMethodSymbol method)
        => method.MethodKind == MethodKind.Ordinary
           && !method.IsAbstract
           && (!(method.IsVirtual || method.IsOverride) || method.IsSealed || method.ContainingType.IsSealed)
           && SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _compilation.Assembly)
           && method.DeclaringSyntaxReferences.Length == 1;

    private Facts FactsOf(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (_facts.TryGetValue(method, out var cached))
        {
            return cached;
        }

        var locks = ImmutableArray.CreateBuilder<IFieldSymbol>();
        var callees = ImmutableArray.CreateBuilder<IMethodSymbol>();
        if (Body(method, cancellationToken) is { } body)
        {
            var runsUntil = method.IsAsync ? EndOfFirstAwait(body) : int.MaxValue;
            foreach (var operation in body.Descendants())
            {
                if (operation.Syntax.SpanStart >= runsUntil)
                {
                    continue;
                }

                if (operation is ILockOperation @lock && LockScope.LockSymbol(@lock.LockedValue) is IFieldSymbol field)
                {
                    locks.Add(field);
                }
                else if (operation is IInvocationOperation { TargetMethod: { } callee } && IsFollowable(callee))
                {
                    callees.Add(callee.OriginalDefinition);
                }
            }
        }

        return _facts.GetOrAdd(method, new Facts(locks.ToImmutable(), callees.ToImmutable()));
    }

    // `lock (_gate) { _connecting = ConnectAsync(); }` (Tmds.Ssh's client): an async method runs on its
    // caller's thread, under the caller's locks, only up to its first await; what comes after runs
    // later, after the caller has let go. Text order stands in for run order (a lock reached before
    // the first await only on a path that skips it is missed, which keeps the rule quiet, not loud).
    private static int EndOfFirstAwait(IOperation body)
    {
        foreach (var operation in body.Descendants())
        {
            if (operation is IAwaitOperation or IUsingOperation { IsAsynchronous: true } or IForEachLoopOperation { IsAsynchronous: true }
                && !AsyncContext.IsInNestedFunction(operation, body))
            {
                return operation is IAwaitOperation ? operation.Syntax.Span.End : operation.Syntax.SpanStart;
            }
        }

        return int.MaxValue;
    }

    // RS1030: the callee's body usually lives in another tree; it is bound once per compilation, and
    // only when its syntax holds a lock statement or a call (nothing else can take a lock).
    private IOperation? Body(IMethodSymbol method, CancellationToken cancellationToken)
        => MethodBodies.Syntax(method, cancellationToken) is { Parent: BaseMethodDeclarationSyntax } body && MayTakeALock(body)
            ? MethodBodies.Bind(body, _compilation, cancellationToken)
            : null;

    private static bool MayTakeALock(SyntaxNode body)
    {
        foreach (var node in body.DescendantNodes())
        {
            if (node is LockStatementSyntax or InvocationExpressionSyntax)
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Facts
    {
        public Facts(ImmutableArray<IFieldSymbol> locks, ImmutableArray<IMethodSymbol> callees)
        {
            Locks = locks;
            Callees = callees;
        }

        public ImmutableArray<IFieldSymbol> Locks { get; }

        public ImmutableArray<IMethodSymbol> Callees { get; }
    }
}
