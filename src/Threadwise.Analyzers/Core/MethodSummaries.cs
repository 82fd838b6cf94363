using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>How a synchronous helper blocks: the helpers it goes through, then the blocking call.</summary>
internal sealed class BlockingChain
{
    public BlockingChain(ImmutableArray<IMethodSymbol> helpers, string leaf, Location leafLocation)
    {
        Helpers = helpers;
        Leaf = leaf;
        LeafLocation = leafLocation;
    }

    /// <summary>The helper methods, outermost first.</summary>
    public ImmutableArray<IMethodSymbol> Helpers { get; }

    /// <summary>The blocking call at the end, e.g. <c>File.ReadAllText</c>.</summary>
    public string Leaf { get; }

    public Location LeafLocation { get; }

    /// <summary><c>Load → ReadConfig → File.ReadAllText (Config.cs:42)</c>.</summary>
    public string Describe()
    {
        var parts = new List<string>(Helpers.Length + 1);
        foreach (var helper in Helpers)
        {
            parts.Add(helper.Name);
        }

        parts.Add(Leaf);
        var span = LeafLocation.GetLineSpan();
        return string.Join(" → ", parts) + " (" + Path.GetFileName(span.Path) + ":" + (span.StartLinePosition.Line + 1) + ")";
    }
}

/// <summary>
/// Per-method summaries for the interprocedural rules: "may this synchronous method of the
/// compilation block, and through which chain?". Each method's body is bound and walked at most
/// once per compilation, lazily, when some async code first calls it; chains are bounded by
/// <see cref="ThreadwiseOptions.MaxInterproceduralDepth"/> and cycles end the walk.
/// </summary>
internal sealed class MethodSummaries
{
    private static readonly ConditionalWeakTable<Compilation, MethodSummaries> Cache = new();
    private static readonly BlockingChain NoChain = new(ImmutableArray<IMethodSymbol>.Empty, string.Empty, Location.None);

    private readonly Compilation _compilation;
    private readonly AnalyzerOptions _options;
    private readonly TaskWaits _waits;
    private readonly BlockingCalls _blockingCalls;
    private readonly ConcurrentDictionary<IMethodSymbol, BlockingChain> _chains = new(SymbolEqualityComparer.Default);

    private MethodSummaries(Compilation compilation, AnalyzerOptions options)
    {
        _compilation = compilation;
        _options = options;
        _waits = TaskWaits.For(compilation);
        _blockingCalls = BlockingCalls.For(compilation);
    }

    public static MethodSummaries For(Compilation compilation, AnalyzerOptions options)
        => Cache.GetValue(compilation, c => new MethodSummaries(c, options));

    /// <summary>A synchronous, non-overridable method or local function declared in this compilation,
    /// whose body is therefore what runs when it is called.</summary>
    public bool IsAnalyzableHelper(IMethodSymbol method)
        => method.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction
           && !method.IsAsync
           && !method.IsAbstract
           && !method.IsExtern
           && (!(method.IsVirtual || method.IsOverride) || method.IsSealed || method.ContainingType.IsSealed)
           && method.ContainingType.TypeKind != TypeKind.Interface
           && !_waits.Symbols.IsTaskType(method.ReturnType)
           && SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _compilation.Assembly)
           && method.DeclaringSyntaxReferences.Length == 1;

    /// <summary>The shortest blocking chain starting at <paramref name="method"/>, or null.</summary>
    public BlockingChain? GetBlockingChain(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var chain = Get(method.OriginalDefinition, new HashSet<IMethodSymbol>(SymbolEqualityComparer.Default), cancellationToken);
        return ReferenceEquals(chain, NoChain) ? null : chain;
    }

    private BlockingChain Get(IMethodSymbol method, HashSet<IMethodSymbol> inProgress, CancellationToken cancellationToken)
    {
        if (_chains.TryGetValue(method, out var cached))
        {
            return cached;
        }

        // A cycle: the method is already being summarized further up this walk.
        if (!inProgress.Add(method))
        {
            return NoChain;
        }

        var chain = Compute(method, inProgress, cancellationToken);
        inProgress.Remove(method);
        return _chains.GetOrAdd(method, chain);
    }

    private BlockingChain Compute(IMethodSymbol method, HashSet<IMethodSymbol> inProgress, CancellationToken cancellationToken)
    {
        var body = GetBody(method, cancellationToken);
        if (body is null)
        {
            return NoChain;
        }

        var options = ThreadwiseOptions.For(_options, body.Syntax.SyntaxTree);
        var callees = new List<IMethodSymbol>();
        foreach (var operation in DescendantsOutsideNestedFunctions(body))
        {
            if (DirectBlockingCall(operation, options, method) is { } leaf)
            {
                return new BlockingChain(ImmutableArray.Create(method), leaf, operation.Syntax.GetLocation());
            }

            if (operation is IInvocationOperation { TargetMethod: { } callee } && IsAnalyzableHelper(callee))
            {
                callees.Add(callee.OriginalDefinition);
            }
        }

        BlockingChain? best = null;
        foreach (var callee in callees)
        {
            var chain = Get(callee, inProgress, cancellationToken);
            if (!ReferenceEquals(chain, NoChain)
                && chain.Helpers.Length < ThreadwiseOptions.MaxInterproceduralDepth
                && (best is null || chain.Helpers.Length < best.Helpers.Length))
            {
                best = chain;
            }
        }

        return best is null ? NoChain : new BlockingChain(best.Helpers.Insert(0, method), best.Leaf, best.LeafLocation);
    }

    /// <summary>What TW1001–TW1004 would report if this operation were in async code.</summary>
    private string? DirectBlockingCall(IOperation operation, ThreadwiseOptions options, IMethodSymbol owner)
    {
        if (_waits.TryGetWait(operation, out var wait))
        {
            return wait.Task is { } task && KnownCompleteTasks.IsKnownComplete(task, _waits.Symbols)
                ? null
                : wait.IsOnSingleTask ? "Task." + wait.Display : wait.Display;
        }

        if (operation is not IInvocationOperation invocation)
        {
            return null;
        }

        var method = invocation.TargetMethod;
        if (method.Name == "Sleep"
            && SymbolEqualityComparer.Default.Equals(method.ContainingType, _waits.Symbols.Thread)
            && invocation.Arguments.Length == 1
            && invocation.Arguments[0].Value.ConstantValue is not { HasValue: true, Value: 0 })
        {
            return "Thread.Sleep";
        }

        return _blockingCalls.GetBlockingApi(invocation, options, owner) is { } api ? api.Display : null;
    }

    // RS1030: the helper's body usually lives in another tree than the call being analyzed, and is
    // bound here once per compilation (the summary is cached), never once per call site.
#pragma warning disable RS1030
    private IOperation? GetBody(IMethodSymbol method, CancellationToken cancellationToken)
    {
        var syntax = method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
        SyntaxNode? body = syntax switch
        {
            BaseMethodDeclarationSyntax declaration => (SyntaxNode?)declaration.Body ?? declaration.ExpressionBody,
            LocalFunctionStatementSyntax local => (SyntaxNode?)local.Body ?? local.ExpressionBody,
            _ => null,
        };
        if (body is null)
        {
            return null;
        }

        var model = _compilation.GetSemanticModel(body.SyntaxTree);
        return model.GetOperation(body, cancellationToken);
    }
#pragma warning restore RS1030

    private static IEnumerable<IOperation> DescendantsOutsideNestedFunctions(IOperation root)
    {
        // Pre-order, in source order, so the chain names the first blocking call of a body.
        var stack = new Stack<IOperation>();
        var children = new List<IOperation>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            yield return current;
            children.Clear();
            foreach (var child in current.ChildOperations)
            {
                if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                {
                    children.Add(child);
                }
            }

            for (var i = children.Count - 1; i >= 0; i--)
            {
                stack.Push(children[i]);
            }
        }
    }
}
