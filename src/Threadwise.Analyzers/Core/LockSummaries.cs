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
/// lock-order analysis (TW2005). Each method body is bound at most once per compilation, lazily;
/// the walk is bounded by <see cref="ThreadwiseOptions.MaxInterproceduralDepth"/> and stops at cycles.
/// </summary>
internal sealed class LockSummaries
{
    private static readonly ConditionalWeakTable<Compilation, LockSummaries> Cache = new();

    private readonly Compilation _compilation;
    private readonly ConcurrentDictionary<IMethodSymbol, ImmutableArray<(IFieldSymbol Lock, int Depth)>> _taken = new(SymbolEqualityComparer.Default);

    private LockSummaries(Compilation compilation) => _compilation = compilation;

    public static LockSummaries For(Compilation compilation)
        => Cache.GetValue(compilation, static c => new LockSummaries(c));

    /// <summary>The field locks <paramref name="method"/> takes, each with the number of calls it is
    /// away (1 = in the method's own body).</summary>
    public ImmutableArray<(IFieldSymbol Lock, int Depth)> LocksTakenBy(IMethodSymbol method, CancellationToken cancellationToken)
        => Get(method.OriginalDefinition, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), cancellationToken);

    /// <summary>A method of this compilation whose body is what runs when it is called.</summary>
    public bool IsFollowable(IMethodSymbol method)
        => method.MethodKind == MethodKind.Ordinary
           && !method.IsAbstract
           && (!(method.IsVirtual || method.IsOverride) || method.IsSealed || method.ContainingType.IsSealed)
           && SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _compilation.Assembly)
           && method.DeclaringSyntaxReferences.Length == 1;

    private ImmutableArray<(IFieldSymbol, int)> Get(IMethodSymbol method, HashSet<IMethodSymbol> inProgress, CancellationToken cancellationToken)
    {
        if (_taken.TryGetValue(method, out var cached))
        {
            return cached;
        }

        if (!inProgress.Add(method))
        {
            return ImmutableArray<(IFieldSymbol, int)>.Empty;
        }

        var result = ImmutableArray.CreateBuilder<(IFieldSymbol, int)>();
        if (Body(method, cancellationToken) is { } body)
        {
            foreach (var operation in body.Descendants())
            {
                if (operation is ILockOperation @lock && LockScope.LockSymbol(@lock.LockedValue) is IFieldSymbol field)
                {
                    result.Add((field, 1));
                }
                else if (operation is IInvocationOperation { TargetMethod: { } callee } && IsFollowable(callee))
                {
                    foreach (var (inner, depth) in Get(callee.OriginalDefinition, inProgress, cancellationToken))
                    {
                        if (depth < ThreadwiseOptions.MaxInterproceduralDepth)
                        {
                            result.Add((inner, depth + 1));
                        }
                    }
                }
            }
        }

        inProgress.Remove(method);
        return _taken.GetOrAdd(method, result.ToImmutable());
    }

    // RS1030: the callee's body usually lives in another tree; it is bound once per compilation.
#pragma warning disable RS1030
    private IOperation? Body(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        SyntaxNode? body = syntax is BaseMethodDeclarationSyntax declaration ? (SyntaxNode?)declaration.Body ?? declaration.ExpressionBody : null;
        return body is null ? null : _compilation.GetSemanticModel(body.SyntaxTree).GetOperation(body, cancellationToken);
    }
#pragma warning restore RS1030
}
