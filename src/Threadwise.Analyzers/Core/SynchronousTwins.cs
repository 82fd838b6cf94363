using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// An "async" twin of the project that never runs asynchronously: every body a call of it can reach
/// returns an already finished task wrapped around a synchronous result — <c>ScopeAsync(name) =&gt;
/// new(Scope(name))</c>, <c>ValueTask.FromResult(Collection(name))</c>, <c>Task.CompletedTask</c> —
/// or forwards to such a twin (also by awaiting it in an async body). The Couchbase client keeps such
/// facades beside its lookups. Awaiting the twin runs the same synchronous code as calling the
/// method beside it, so that call blocks on nothing the twin would avoid. Asked only of twins declared
/// in this compilation, once per twin; bodies bound from their declarations.
/// </summary>
internal sealed class SynchronousTwins
{
    private const int MaxDepth = 4;

    private static readonly ConditionalWeakTable<Compilation, SynchronousTwins> Cache = new();

    private readonly Compilation _compilation;
    private readonly KnownSymbols _symbols;
    private readonly ConcurrentDictionary<IMethodSymbol, bool> _answers = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<(IMethodSymbol Twin, INamedTypeSymbol Receiver), bool> _answersByReceiver = new(TwinReceiverComparer.Instance);

    private SynchronousTwins(Compilation compilation)
    {
        _compilation = compilation;
        _symbols = KnownSymbols.For(compilation);
    }

    public static SynchronousTwins For(Compilation compilation) => Cache.GetValue(compilation, static c => new SynchronousTwins(c));

    /// <summary>Every body a call of <paramref name="twin"/> reaches in this compilation finishes before it
    /// returns (at least one body, none that cannot be read).</summary>
    public bool NeverRunsAsynchronously(IMethodSymbol twin, CancellationToken cancellationToken)
    {
        twin = twin.OriginalDefinition;
        if (!SymbolEqualityComparer.Default.Equals(twin.ContainingAssembly, _compilation.Assembly))
        {
            return false;
        }

        return _answers.TryGetValue(twin, out var known)
            ? known
            : _answers.GetOrAdd(twin, IsSynchronous(twin, depth: 0, cancellationToken));
    }

    /// <summary>
    /// As <see cref="NeverRunsAsynchronously(IMethodSymbol, CancellationToken)"/>, for a call made on a
    /// receiver of class type <paramref name="receiverType"/>: only the bodies such a receiver can run count —
    /// the implementation it inherits and the overrides in classes derived from it. NuGet's
    /// <c>PackageReaderBase.GetFilesAsync() =&gt; Task.FromResult(GetFiles())</c> is what a
    /// <c>PackageArchiveReader</c> runs, although a plugin reader elsewhere overrides it with real I/O.
    /// </summary>
    public bool NeverRunsAsynchronously(IMethodSymbol twin, ITypeSymbol? receiverType, CancellationToken cancellationToken)
    {
        if (NeverRunsAsynchronously(twin, cancellationToken))
        {
            return true;
        }

        twin = twin.OriginalDefinition;
        if (receiverType is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } receiver
            || twin.IsStatic
            || twin.ContainingType?.TypeKind == TypeKind.Interface
            || !SymbolEqualityComparer.Default.Equals(twin.ContainingAssembly, _compilation.Assembly))
        {
            return false;
        }

        receiver = receiver.OriginalDefinition;
        var key = (twin, receiver);
        if (_answersByReceiver.TryGetValue(key, out var known))
        {
            return known;
        }

        return _answersByReceiver.GetOrAdd(key, AreSynchronous(BodiesFor(twin, receiver, cancellationToken), depth: 0, cancellationToken));
    }

    // The implementation `receiver` inherits (its own or a base class's) and the overrides below it.
    private List<IMethodSymbol> BodiesFor(IMethodSymbol twin, INamedTypeSymbol receiver, CancellationToken cancellationToken)
    {
        var bodies = new List<IMethodSymbol>();
        if (SourceImplementations.InheritedBy(receiver, twin) is { IsAbstract: false } inherited)
        {
            bodies.Add(inherited.OriginalDefinition);
        }

        if (receiver.IsSealed || receiver.TypeKind == TypeKind.Struct)
        {
            return bodies;
        }

        foreach (var body in SourceImplementations.For(_compilation).Of(twin, cancellationToken))
        {
            if (KnownSymbols.IsOrDerivesFrom(body.ContainingType?.BaseType, receiver) && !bodies.Contains(body, SymbolEqualityComparer.Default))
            {
                bodies.Add(body);
            }
        }

        return bodies;
    }

    private bool IsSynchronous(IMethodSymbol method, int depth, CancellationToken cancellationToken)
    {
        if (depth > MaxDepth || !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _compilation.Assembly))
        {
            return false;
        }

        var overridable = method.ContainingType?.TypeKind == TypeKind.Interface || method.IsAbstract || method.IsVirtual || method.IsOverride;
        var bodies = overridable ? SourceImplementations.For(_compilation).Of(method, cancellationToken) : new List<IMethodSymbol> { method };
        return AreSynchronous(bodies, depth, cancellationToken);
    }

    private bool AreSynchronous(List<IMethodSymbol> bodies, int depth, CancellationToken cancellationToken)
    {
        if (bodies.Count == 0)
        {
            return false;
        }

        // A body that only returns a finished task (`=> Task.CompletedTask`) is a null object or a stub
        // for work to come, not a facade over the synchronous method: one body must call something.
        var doesWork = false;
        foreach (var body in bodies)
        {
            if (!IsSynchronousBody(body.OriginalDefinition, depth, ref doesWork, cancellationToken))
            {
                return false;
            }
        }

        return doesWork;
    }

    private bool IsSynchronousBody(IMethodSymbol method, int depth, ref bool doesWork, CancellationToken cancellationToken)
    {
        if (method.DeclaringSyntaxReferences.Length != 1
            || method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not { } declaration
            || !_compilation.ContainsSyntaxTree(declaration.SyntaxTree))
        {
            return false;
        }

#pragma warning disable RS1030 // Another method's body, bound only for a twin beside a would-be finding; cached per twin.
        var model = _compilation.GetSemanticModel(declaration.SyntaxTree);
#pragma warning restore RS1030
        if (model.GetOperation(declaration, cancellationToken) is not IMethodBodyBaseOperation body)
        {
            return false;
        }

        // The body's own operations; a lambda or local function is not run by the body itself.
        var returns = 0;
        var pending = new Stack<IOperation>();
        pending.Push(body);
        while (pending.Count > 0)
        {
            var operation = pending.Pop();
            switch (operation)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    continue;
                case IAwaitOperation awaited when !IsAwaitOfSynchronousTwin(awaited, depth, cancellationToken):
                case IForEachLoopOperation { IsAsynchronous: true }:
                case IUsingOperation { IsAsynchronous: true }:
                case IUsingDeclarationOperation { IsAsynchronous: true }:
                    return false;
                case IInvocationOperation { TargetMethod.Name: not ("FromResult" or "FromException" or "FromCanceled" or "ConfigureAwait") }:
                    doesWork = true;
                    break;
                case IReturnOperation { ReturnedValue: { } value }:
                    returns++;
                    if (!method.IsAsync && !IsFinishedValue(value.WithoutConversions(), depth, cancellationToken))
                    {
                        return false;
                    }

                    break;
            }

            foreach (var child in operation.ChildOperations)
            {
                pending.Push(child);
            }
        }

        return method.IsAsync || returns > 0;
    }

    // `await DefaultScopeAsync().ConfigureAwait(false)`: a twin that itself never runs asynchronously.
    private bool IsAwaitOfSynchronousTwin(IAwaitOperation awaited, int depth, CancellationToken cancellationToken)
    {
        var operand = awaited.Operation.WithoutConversions();
        if (operand is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } instance })
        {
            operand = instance.WithoutConversions();
        }

        return operand is IInvocationOperation call && IsSynchronous(call.TargetMethod.OriginalDefinition, depth + 1, cancellationToken);
    }

    // `new ValueTask<T>(result)` (not over a task or a source), `default`, `Task.FromResult(…)`,
    // `ValueTask.FromResult(…)`, `Task.CompletedTask`, or a call of another twin that never runs asynchronously.
    private bool IsFinishedValue(IOperation value, int depth, CancellationToken cancellationToken)
    {
        if (KnownCompleteTasks.IsFinishedTaskValue(value, _symbols))
        {
            return true;
        }

        switch (value)
        {
            case IObjectCreationOperation { Constructor: { } constructor } creation
                when _symbols.IsValueTaskType(creation.Type):
                return constructor.Parameters.Length == 1
                       && !_symbols.IsTaskType(constructor.Parameters[0].Type)
                       && constructor.Parameters[0].Type.Name != "IValueTaskSource";
            case IDefaultValueOperation when _symbols.IsValueTaskType(value.Type):
                return true;
            case IInvocationOperation { TargetMethod: { IsStatic: true, Name: "FromResult" or "FromException" or "FromCanceled" } }:
                return false; // a factory of another task type
            case IInvocationOperation call:
                return IsSynchronous(call.TargetMethod.OriginalDefinition, depth + 1, cancellationToken);
            default:
                return false;
        }
    }

    private sealed class TwinReceiverComparer : IEqualityComparer<(IMethodSymbol Twin, INamedTypeSymbol Receiver)>
    {
        public static readonly TwinReceiverComparer Instance = new();

        public bool Equals((IMethodSymbol Twin, INamedTypeSymbol Receiver) x, (IMethodSymbol Twin, INamedTypeSymbol Receiver) y)
            => SymbolEqualityComparer.Default.Equals(x.Twin, y.Twin) && SymbolEqualityComparer.Default.Equals(x.Receiver, y.Receiver);

        public int GetHashCode((IMethodSymbol Twin, INamedTypeSymbol Receiver) key)
            => (SymbolEqualityComparer.Default.GetHashCode(key.Twin) * 397) ^ SymbolEqualityComparer.Default.GetHashCode(key.Receiver);
    }
}
