using System;
using System.Collections.Generic;
using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>A synchronous call that blocks, and its awaitable twin when it has one.</summary>
internal sealed class BlockingApi
{
    public BlockingApi(IMethodSymbol method, IMethodSymbol? twin, bool twinTakesToken)
    {
        Method = method;
        Twin = twin;
        TwinTakesToken = twinTakesToken;
    }

    public IMethodSymbol Method { get; }

    /// <summary><c>NameAsync</c> with the same parameters (plus, optionally, a trailing token).</summary>
    public IMethodSymbol? Twin { get; }

    /// <summary>The twin has one more parameter than the call: a trailing CancellationToken.</summary>
    public bool TwinTakesToken { get; }

    public string Display => Method.ContainingType.Name + "." + Method.Name;
}

/// <summary>
/// Is an invocation a blocking call, and what is its async twin? Twins are found by symbol, with
/// no list: a method named <c>NameAsync</c> on the same type, a base type, or (for instance calls)
/// an extension method in scope, with the same parameters optionally followed by a
/// <c>CancellationToken</c>, returning the awaitable form of the same result, and not obsolete.
/// Blocking APIs without a twin come from a short list. Results are cached per method symbol.
/// </summary>
internal sealed class BlockingCalls
{
    private static readonly ConditionalWeakTable<Compilation, BlockingCalls> Cache = new();

    // The BCL's blocking APIs that have no NameAsync twin. Kept short and documented (TW1004.md).
    private static readonly (string Type, string[] Members)[] NoTwinBlockingApis =
    {
        ("System.Threading.Thread", new[] { "Join" }),
        ("System.Threading.WaitHandle", new[] { "WaitOne", "WaitAll", "WaitAny" }),
        ("System.Threading.Monitor", new[] { "Wait" }),
        ("System.Collections.Concurrent.BlockingCollection`1", new[] { "Take", "Add" }),
        ("System.Threading.CountdownEvent", new[] { "Wait" }),
        ("System.Threading.Barrier", new[] { "SignalAndWait" }),
        ("System.Threading.ManualResetEventSlim", new[] { "Wait" }),
    };

    private static readonly BlockingApi NotBlocking = new(null!, null, false);

    private readonly Compilation _compilation;
    private readonly KnownSymbols _symbols;
    private readonly ImmutableDictionary<ISymbol, ImmutableHashSet<string>> _noTwinApis;
    private readonly ConcurrentDictionary<IMethodSymbol, BlockingApi> _byMethod = new(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<(IMethodSymbol, int), BlockingApi> _byExtensionScope = new();
    private readonly ConcurrentDictionary<SyntaxNode, int> _scopeKeys = new();
    private readonly ConcurrentDictionary<TwinLookup, ImmutableArray<ISymbol>> _twinLookups = new();
    private readonly ConcurrentDictionary<string, int> _scopeIds = new(StringComparer.Ordinal);
    private int _lastScopeId;
    private readonly ConcurrentDictionary<INamespaceSymbol, bool> _declaresExtensionHolders = new(SymbolEqualityComparer.Default);
    private readonly Lazy<ImmutableHashSet<string>> _extensionTwinStems;

    // 0 not asked yet, 1 yes, 2 no: asked once per compilation, only on the way to a finding.
    private int _completesPipeWritersSynchronously;

    private BlockingCalls(Compilation compilation)
    {
        _compilation = compilation;
        _symbols = KnownSymbols.For(compilation);
        var noTwin = ImmutableDictionary.CreateBuilder<ISymbol, ImmutableHashSet<string>>(SymbolEqualityComparer.Default);
        foreach (var (typeName, members) in NoTwinBlockingApis)
        {
            if (compilation.GetTypeByMetadataName(typeName) is { } type)
            {
                noTwin[type] = ImmutableHashSet.Create(members);
            }
        }

        _noTwinApis = noTwin.ToImmutable();
        _extensionTwinStems = new Lazy<ImmutableHashSet<string>>(() => ExtensionTwinStems(compilation));
    }

    /// <summary>"Get" for every source extension method named "GetAsync": the instance calls that
    /// may have an extension twin. Built once per compilation, on first need, from symbols only.</summary>
    private static ImmutableHashSet<string> ExtensionTwinStems(Compilation compilation)
    {
        var stems = ImmutableHashSet.CreateBuilder<string>(StringComparer.Ordinal);
        var pending = new Stack<INamespaceSymbol>();
        pending.Push(compilation.Assembly.GlobalNamespace);
        while (pending.Count > 0)
        {
            var current = pending.Pop();
            foreach (var nested in current.GetNamespaceMembers())
            {
                pending.Push(nested);
            }

            foreach (var type in current.GetTypeMembers())
            {
                if (!type.MightContainExtensionMethods)
                {
                    continue;
                }

                foreach (var member in type.GetMembers())
                {
                    if (member is IMethodSymbol { IsExtensionMethod: true, Name: var name }
                        && name.Length > "Async".Length
                        && name.EndsWith("Async", StringComparison.Ordinal))
                    {
                        stems.Add(name.Substring(0, name.Length - "Async".Length));
                    }
                }
            }
        }

        return stems.ToImmutable();
    }

    public static BlockingCalls For(Compilation compilation)
        => Cache.GetValue(compilation, static c => new BlockingCalls(c));

    /// <summary>The blocking API this invocation calls, or null when it does not block (including
    /// zero-timeout polls, in-memory streams, and the documented exclusions).</summary>
    public BlockingApi? GetBlockingApi(IInvocationOperation invocation, ThreadwiseOptions options, ISymbol containingSymbol)
        => GetBlockingApi(invocation, options, containingSymbol, inMemoryParameters: 0);

    /// <summary>As above, in a helper whose parameters set in <paramref name="inMemoryParameters"/> were
    /// handed in-memory streams by the caller being summarised.</summary>
    public BlockingApi? GetBlockingApi(IInvocationOperation invocation, ThreadwiseOptions options, ISymbol containingSymbol, int inMemoryParameters)
    {
        var method = invocation.TargetMethod;
        if (method.ReturnsVoid is false && _symbols.IsTaskType(method.ReturnType))
        {
            return null;
        }

        if (!_byMethod.TryGetValue(method, out var api))
        {
            api = _byMethod.GetOrAdd(method, Classify(method));
        }

        // A twin the caller cannot see is no twin (a private ReadAsync of another type).
        if (api.Twin is not null
            && containingSymbol.ContainingType is { } caller
            && !_compilation.IsSymbolAccessibleWithin(api.Twin, caller))
        {
            api = NotBlocking;
        }

        // A twin of the project that never runs asynchronously (`ScopeAsync(n) => new(Scope(n))`, the
        // Couchbase client's facades; NuGet's `GetFilesAsync() => Task.FromResult(GetFiles())` as the
        // receiver's class inherits it): awaiting it runs the very code the call beside it runs.
        if (api.Twin is { } sourceTwin
            && sourceTwin.Locations.Length > 0 && sourceTwin.Locations[0].IsInSource
            && SynchronousTwins.For(_compilation).NeverRunsAsynchronously(sourceTwin, invocation.Instance?.Type, System.Threading.CancellationToken.None))
        {
            api = NotBlocking;
        }

        // `cmd.ExecuteScalar()` on a SqliteCommand (NeoSmart's SqliteCache cleanup timer): Microsoft.Data.Sqlite's
        // async methods run synchronously, so the twin would block the same thread the same way.
        if (api.Twin is not null && _symbols.IsMicrosoftDataSqlite(invocation.Instance?.Type ?? method.ContainingType))
        {
            api = NotBlocking;
        }

        // `stream.Output.Complete()` in a project whose own PipeWriter classes override Complete and leave
        // CompleteAsync to the base class, which only calls Complete (IceRPC's transports, whose docs ask for a
        // Complete that does not block): on the writers the project hands out, the twin runs the same code.
        if (api.Twin is not null && IsPipeWriterComplete(method) && CompletesItsPipeWritersSynchronously())
        {
            api = NotBlocking;
        }

        if (ReferenceEquals(api, NotBlocking)
            && ThreadwiseOptions.Contains(options.BlockingApis, method))
        {
            api = new BlockingApi(method, null, false);
        }

        // Extension twins (EF Core's ToList -> ToListAsync) are looked up only for extension calls:
        // the lookup binds names in scope, which is the expensive part of this rule.
        // An instance call's twin may be an extension in scope (`client.Get()` / `client.GetAsync()`
        // from `static Task<T> GetAsync(this Client c)`): looked up only when a source extension of
        // that name exists.
        if (ReferenceEquals(api, NotBlocking)
            && (method.IsExtensionMethod || (!method.IsStatic && _extensionTwinStems.Value.Contains(method.Name)))
            && Receiver(invocation) is { Type: { } receiverType })
        {
            api = FindExtensionTwin(invocation, receiverType);
        }

        if (ReferenceEquals(api, NotBlocking)
            || Timeouts.HasZeroTimeout(invocation)
            // MemoryStream, StringReader and friends, and a stream or writer wrapped around one
            // (new CryptoStream(memory, ...)), complete synchronously: their async forms only add cost.
            || InMemoryStreams.IsInMemory(Receiver(invocation), _symbols, inMemoryParameters)
            // An object built over memory only (`new JsonTextReader(new StringReader(json)).Read()`, or over
            // an in-memory stream the summarised caller handed in) reads and writes memory.
            || InMemoryStreams.IsBuiltOverInMemoryStream(Receiver(invocation), _symbols, inMemoryParameters)
            || SerializesIntoMemory(invocation, inMemoryParameters)
            // `(await client.GetAsync(uri)).Content.ReadAsStream()`: HttpClient read the whole body already.
            || BufferedHttpContent.IsBuffered(Receiver(invocation), _symbols)
            || ReadsFromAnObjectOverMemory(invocation, inMemoryParameters)
            // Console.Out/Error/In, and `new StreamWriter(Console.OpenStandardOutput(), …)` kept in a private
            // field: their async forms write to the console the same synchronous way.
            || ConsoleStreams.IsConsole(Receiver(invocation), _symbols.Compilation)
            || IsInMemoryPipeCompletion(invocation)
            || FireAndForget.IsRequested(invocation)
            || IsTakenWhileAvailable(invocation)
            // A synchronous method taking a semaphore used as a lock blocks as little as `lock` does; in an
            // async method `await WaitAsync()` is right there, and the wait is reported.
            || (method.Name == "Wait"
                && AsyncContext.GetEnclosingFunction(invocation, containingSymbol) is not { IsAsync: true }
                && SemaphoreLocks.IsWaitOnALock(invocation, _symbols))
            // `_packets.Add(buffer)` where `_packets = []` or `new BlockingCollection<T>()`: only a bounded
            // collection that is full makes Add wait (found dogfooding DSharpPlus's UDP receive loop).
            || UnboundedCollections.IsAddThatCannotWait(invocation, _symbols)
            || ThreadwiseOptions.Contains(options.ExcludedApis, method))
        {
            return null;
        }

        return api;
    }

    // `switch (_signal.CurrentCount) { case 1: _signal.Wait(); break; }` or `if (_signal.CurrentCount > 0)
    // _signal.Wait();` (MedallionShell's pipe resets its signal that way, under its own lock): the
    // semaphore has a slot when the call is made, so Wait returns at once.
    private bool IsTakenWhileAvailable(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod.Name != "Wait"
            || !SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, _symbols.SemaphoreSlim)
            || SemaphoreOf(invocation.Instance) is not { } semaphore)
        {
            return false;
        }

        for (IOperation? child = invocation, parent = invocation.Parent; parent is not null; child = parent, parent = parent.Parent)
        {
            switch (parent)
            {
                case IConditionalOperation conditional when conditional.WhenTrue == child:
                    if (ChecksAFreeSlot(conditional.Condition, semaphore))
                    {
                        return true;
                    }

                    break;
                case ISwitchCaseOperation @case when @case.Parent is ISwitchOperation @switch && CountOf(@switch.Value) is { } counted
                                                     && SymbolEqualityComparer.Default.Equals(counted, semaphore):
                    return @case.Clauses.Length > 0 && AllPositive(@case.Clauses);
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
            }
        }

        return false;
    }

    private static ISymbol? SemaphoreOf(IOperation? operation) => operation?.WithoutConversions() switch
    {
        ILocalReferenceOperation local => local.Local,
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
        _ => null,
    };

    // `x.CurrentCount` → x.
    private static ISymbol? CountOf(IOperation operation)
        => operation.WithoutConversions() is IPropertyReferenceOperation { Property.Name: "CurrentCount", Instance: var instance } ? SemaphoreOf(instance) : null;

    // `x.CurrentCount > 0`, `>= 1`, `== 1`, `!= 0` (either side), or a conjunction holding one.
    private static bool ChecksAFreeSlot(IOperation condition, ISymbol semaphore)
    {
        if (condition.WithoutConversions() is not IBinaryOperation binary)
        {
            return false;
        }

        if (binary.OperatorKind == BinaryOperatorKind.ConditionalAnd)
        {
            return ChecksAFreeSlot(binary.LeftOperand, semaphore) || ChecksAFreeSlot(binary.RightOperand, semaphore);
        }

        var (count, bound, kind) = CountOf(binary.LeftOperand) is { } left
            ? (left, binary.RightOperand.ConstantValue, binary.OperatorKind)
            : (CountOf(binary.RightOperand), binary.LeftOperand.ConstantValue, Mirror(binary.OperatorKind));
        if (count is null || !SymbolEqualityComparer.Default.Equals(count, semaphore) || bound is not { HasValue: true, Value: int value })
        {
            return false;
        }

        return kind switch
        {
            BinaryOperatorKind.GreaterThan => value >= 0,
            BinaryOperatorKind.GreaterThanOrEqual or BinaryOperatorKind.Equals => value >= 1,
            BinaryOperatorKind.NotEquals => value == 0,
            _ => false,
        };
    }

    private static BinaryOperatorKind Mirror(BinaryOperatorKind kind) => kind switch
    {
        BinaryOperatorKind.LessThan => BinaryOperatorKind.GreaterThan,
        BinaryOperatorKind.LessThanOrEqual => BinaryOperatorKind.GreaterThanOrEqual,
        _ => kind,
    };

    private static bool AllPositive(System.Collections.Immutable.ImmutableArray<ICaseClauseOperation> clauses)
    {
        foreach (var clause in clauses)
        {
            if (clause is not ISingleValueCaseClauseOperation { Value.ConstantValue: { HasValue: true, Value: int value } } || value < 1)
            {
                return false;
            }
        }

        return true;
    }

    private BlockingApi Classify(IMethodSymbol method)
    {
        if (IsExcluded(method))
        {
            return NotBlocking;
        }

        if (FindTwin(method) is { } twin)
        {
            return OnlyThrows(method) || FireAndForgetForms.IsFireAndForget(method, _compilation, _symbols) ? NotBlocking : twin;
        }

        var definingType = (method.ReducedFrom ?? method).ContainingType?.OriginalDefinition;
        return definingType is not null
               && _noTwinApis.TryGetValue(definingType, out var members)
               && members.Contains(method.Name)
            ? new BlockingApi(method, null, false)
            : NotBlocking;
    }

    // `static T ThrowDisposed<T>() => throw new ObjectDisposedException(…);` beside a ThrowDisposedAsync
    // (Dapper's disposed reader): a method of this compilation whose whole body is a throw blocks on nothing.
    private static bool OnlyThrows(IMethodSymbol method)
    {
        method = (method.ReducedFrom ?? method).OriginalDefinition;
        if (method.IsAbstract || method.ContainingType?.TypeKind == TypeKind.Interface || method.DeclaringSyntaxReferences.Length != 1
            || method.DeclaringSyntaxReferences[0].GetSyntax() is not Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax declaration
            || (method.IsVirtual || method.IsOverride) && !method.IsSealed)
        {
            return false;
        }

        return declaration.ExpressionBody?.Expression is Microsoft.CodeAnalysis.CSharp.Syntax.ThrowExpressionSyntax
               || declaration.Body is { Statements.Count: 1 } body && body.Statements[0] is Microsoft.CodeAnalysis.CSharp.Syntax.ThrowStatementSyntax;
    }

    private BlockingApi? FindTwin(IMethodSymbol method)
    {
        var twinName = method.Name + "Async";
        for (var type = method.ContainingType; type is not null; type = type.BaseType)
        {
            // The names first: base types the compiler never looked into keep their members unloaded.
            if (SymbolFacts.Contains(type.MemberNames, twinName) && FindTwinAmong(method, type.GetMembers(twinName)) is { } found)
            {
                return found;
            }
        }

        if (method.ContainingType is { TypeKind: TypeKind.Interface } @interface)
        {
            foreach (var baseInterface in @interface.AllInterfaces)
            {
                if (FindTwinAmong(method, baseInterface.GetMembers(twinName)) is { } found)
                {
                    return found;
                }
            }
        }

        return null;
    }

    // Prefers the overload that takes a CancellationToken, so the fix can forward one.
    private BlockingApi? FindTwinAmong(IMethodSymbol method, ImmutableArray<ISymbol> candidates)
    {
        BlockingApi? found = null;
        foreach (var candidate in candidates)
        {
            if (candidate is IMethodSymbol twin
                && twin.IsStatic == method.IsStatic
                && IsTwin(method, twin, out var takesToken)
                && (found is null || (takesToken && !found.TwinTakesToken)))
            {
                found = new BlockingApi(method, twin, takesToken);
            }
        }

        return found;
    }

    // Extension twins depend on the usings and namespaces in scope, so they are cached per scope:
    // files with the same usings in the same namespace share one lookup (LookupSymbols is the
    // expensive part). An instance twin of an extension call is found here too (LookupSymbols on
    // the receiver type lists both).
    private BlockingApi FindExtensionTwin(IInvocationOperation invocation, ITypeSymbol receiverType)
    {
        var model = invocation.SemanticModel;
        if (model is null || IsExcluded(invocation.TargetMethod))
        {
            return NotBlocking;
        }

        var scope = ScopeKey(invocation.Syntax, model);
        var key = (invocation.TargetMethod, scope);
        if (_byExtensionScope.TryGetValue(key, out var cached))
        {
            return cached;
        }

        var method = invocation.TargetMethod;

        // The call is `receiver.M(args)`: an extension call's own `this` parameter is not an argument.
        var skip = method.IsExtensionMethod ? 1 : 0;
        var found = NotBlocking;
        foreach (var candidate in LookupTwins(model, invocation.Syntax.SpanStart, receiverType, method.Name + "Async", scope))
        {
            // An extension's twin may be an instance method of the receiver (`repo.Load()` from
            // `static T Load(this Repo r)`, and `repo.LoadAsync()` on Repo), and the reverse.
            if (candidate is IMethodSymbol twin
                && (twin.ReducedFrom is not null || (!twin.IsStatic && method.IsExtensionMethod))
                && IsTwin(method, twin, out var takesToken, skip)
                && (ReferenceEquals(found, NotBlocking) || (takesToken && !found.TwinTakesToken)))
            {
                found = new BlockingApi(method, twin, takesToken);
            }
        }

        return _byExtensionScope.GetOrAdd(key, found);
    }

    // What `receiver.NameAsync` can bind to in a scope does not depend on the call's own type
    // arguments: `Select<Order, int>` and `Select<Order, string>` on a List<Order> ask once.
    private ImmutableArray<ISymbol> LookupTwins(SemanticModel model, int position, ITypeSymbol receiverType, string twinName, int scope)
    {
        var key = new TwinLookup(twinName, receiverType, scope);
        return _twinLookups.TryGetValue(key, out var cached)
            ? cached
            : _twinLookups.GetOrAdd(key, model.LookupSymbols(position, receiverType, twinName, includeReducedExtensionMethods: true));
    }

    private readonly struct TwinLookup : IEquatable<TwinLookup>
    {
        private readonly string _name;
        private readonly ITypeSymbol _receiver;
        private readonly int _scope;

        public TwinLookup(string name, ITypeSymbol receiver, int scope)
        {
            _name = name;
            _receiver = receiver;
            _scope = scope;
        }

        public bool Equals(TwinLookup other)
            => _scope == other._scope && _name == other._name && SymbolEqualityComparer.IncludeNullability.Equals(_receiver, other._receiver);

        public override bool Equals(object? obj) => obj is TwinLookup other && Equals(other);

        public override int GetHashCode()
            => (((_name.GetHashCode() * 31) + SymbolEqualityComparer.IncludeNullability.GetHashCode(_receiver)) * 31) + _scope;
    }

    // The usings and namespace declarations around the node, as text: what decides which extension
    // methods are in scope. Inside a static class (which may declare private extensions) the class
    // is part of the scope. Scopes with the same text share one small number, so the per-call cache
    // hashes an int, not the usings' text.
    private int ScopeKey(SyntaxNode node, SemanticModel model)
    {
        SyntaxNode? scope = null;
        for (var current = node.Parent; current is not null && scope is null; current = current.Parent)
        {
            if (current is ClassDeclarationSyntax @class && @class.Modifiers.Any(SyntaxKind.StaticKeyword)
                || current is BaseNamespaceDeclarationSyntax or CompilationUnitSyntax)
            {
                scope = current;
            }
        }

        if (scope is null)
        {
            return 0;
        }

        return _scopeKeys.TryGetValue(scope, out var cached) ? cached : _scopeKeys.GetOrAdd(scope, _scopeIds.GetOrAdd(Describe(scope, model), _ => System.Threading.Interlocked.Increment(ref _lastScopeId)));
    }

    private string Describe(SyntaxNode scope, SemanticModel model)
    {
        var text = new System.Text.StringBuilder();
        for (var current = scope; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ClassDeclarationSyntax @class:
                    text.Append("class ").Append(@class.SyntaxTree.FilePath).Append(@class.SpanStart).Append(';');
                    break;
                case BaseNamespaceDeclarationSyntax @namespace:
                    DescribeNamespace(text, @namespace, model);
                    break;
                case CompilationUnitSyntax unit:
                    AppendUsings(text, unit.Usings);
                    if (DeclaresFileLocalTypes(unit.Members))
                    {
                        // `file static class` extensions are visible in this file only.
                        text.Append("file ").Append(unit.SyntaxTree.FilePath);
                    }

                    break;
            }
        }

        return text.ToString();
    }

    // A namespace declaration brings into scope the extension methods of the namespaces it names
    // (`namespace A.B` — A.B and A), and resolves its own usings relative to them. Without usings of its
    // own, only those namespaces that declare a type able to hold extension methods change what a lookup
    // finds: a project whose every folder is a namespace (`Orders`, `Billing` …) without extension classes
    // shares one lookup per set of file usings instead of one per namespace.
    private void DescribeNamespace(System.Text.StringBuilder text, BaseNamespaceDeclarationSyntax @namespace, SemanticModel model)
    {
        if (@namespace.Usings.Count > 0 || @namespace.Externs.Count > 0
            || model.GetDeclaredSymbol(@namespace) is not INamespaceSymbol declared
            || _compilation.GetCompilationNamespace(declared) is not { } merged)
        {
            text.Append("namespace ").Append(@namespace.Name.ToString()).Append(';');
            AppendUsings(text, @namespace.Usings);
            return;
        }

        for (var current = merged; current is { IsGlobalNamespace: false }; current = current.ContainingNamespace)
        {
            if (_declaresExtensionHolders.GetOrAdd(current, DeclaresExtensionHolder))
            {
                text.Append("extensions in ").Append(current.ToDisplayString()).Append(';');
            }
        }
    }

    private static bool DeclaresExtensionHolder(INamespaceSymbol @namespace)
    {
        foreach (var type in @namespace.GetTypeMembers())
        {
            if (type.MightContainExtensionMethods)
            {
                return true;
            }
        }

        return false;
    }

    private static bool DeclaresFileLocalTypes(SyntaxList<MemberDeclarationSyntax> members)
    {
        foreach (var member in members)
        {
            if (member is BaseNamespaceDeclarationSyntax @namespace ? DeclaresFileLocalTypes(@namespace.Members) : member.Modifiers.Any(SyntaxKind.FileKeyword))
            {
                return true;
            }
        }

        return false;
    }

    private static void AppendUsings(System.Text.StringBuilder text, SyntaxList<UsingDirectiveSyntax> usings)
    {
        foreach (var directive in usings)
        {
            text.Append(directive.ToString()).Append(';');
        }
    }

    /// <summary>The synchronous form of <paramref name="async"/>: a method of the same type named without
    /// <c>Async</c> whose twin it is (the same parameters, a trailing token aside, and the task's result type;
    /// not obsolete). Used in reverse by TW1005, which names it as the remedy for blocking on the async call.</summary>
    public IMethodSymbol? SynchronousFormOf(IMethodSymbol async)
    {
        if (async.ReducedFrom is not null
            || async.ContainingType is not { } type
            || !async.Name.EndsWith("Async", StringComparison.Ordinal)
            || async.Name.Length == "Async".Length)
        {
            return null;
        }

        foreach (var member in type.GetMembers(async.Name.Substring(0, async.Name.Length - "Async".Length)))
        {
            if (member is IMethodSymbol { MethodKind: MethodKind.Ordinary } candidate
                && candidate.IsStatic == async.IsStatic
                && !SymbolFacts.IsObsolete(candidate, _symbols)
                && IsTwin(candidate, async, out _))
            {
                return candidate;
            }
        }

        return null;
    }

    private bool IsTwin(IMethodSymbol method, IMethodSymbol twin, out bool takesToken, int skip = 0)
    {
        takesToken = false;
        if (SymbolEqualityComparer.Default.Equals(twin.OriginalDefinition, method.OriginalDefinition)
            || twin.Arity != method.Arity
            || SymbolFacts.IsObsolete(twin, _symbols))
        {
            return false;
        }

        if (twin.Arity > 0 && SymbolEqualityComparer.Default.Equals(twin, twin.ConstructedFrom))
        {
            // A generic twin whose constraints the call's type arguments do not meet would not compile.
            for (var i = 0; i < twin.TypeParameters.Length; i++)
            {
                if (!SatisfiesConstraints(twin.TypeParameters[i], method.TypeArguments[i]))
                {
                    return false;
                }
            }

            twin = twin.Construct(method.TypeArguments, method.TypeArgumentNullableAnnotations);
        }

        var count = method.Parameters.Length - skip;
        if (count < 0)
        {
            return false;
        }

        if (twin.Parameters.Length == count + 1
            && SymbolEqualityComparer.Default.Equals(twin.Parameters[count].Type, _symbols.CancellationToken))
        {
            takesToken = true;
        }
        else if (twin.Parameters.Length != count)
        {
            return false;
        }

        for (var i = 0; i < count; i++)
        {
            var parameter = method.Parameters[i + skip];
            if (parameter.RefKind != twin.Parameters[i].RefKind
                || !SymbolEqualityComparer.Default.Equals(parameter.Type, twin.Parameters[i].Type))
            {
                return false;
            }
        }

        return ReturnsAwaitableOf(twin.ReturnType, method);
    }

    // Conservative: what cannot be shown to satisfy a constraint does not.
    private static bool SatisfiesConstraints(ITypeParameterSymbol parameter, ITypeSymbol argument)
    {
        var argumentParameter = argument as ITypeParameterSymbol;
        if (parameter.HasReferenceTypeConstraint
            && !(argument.IsReferenceType || argumentParameter is { HasReferenceTypeConstraint: true }))
        {
            return false;
        }

        if ((parameter.HasValueTypeConstraint || parameter.HasUnmanagedTypeConstraint)
            && !(argument.IsValueType || argumentParameter is { HasValueTypeConstraint: true }))
        {
            return false;
        }

        if (parameter.HasConstructorConstraint
            && !(argument.IsValueType
                 || argumentParameter is { HasConstructorConstraint: true }
                 || argument is INamedTypeSymbol { IsAbstract: false } named && HasPublicParameterlessConstructor(named)))
        {
            return false;
        }

        foreach (var constraint in parameter.ConstraintTypes)
        {
            if (MentionsTypeParameter(constraint))
            {
                return false;
            }

            if (!InheritsOrImplements(argument, constraint))
            {
                return false;
            }
        }

        return true;
    }

    // `where T : IComparable<T>`: checking it needs the substitution; stay conservative.
    private static bool MentionsTypeParameter(ITypeSymbol type) => type switch
    {
        ITypeParameterSymbol => true,
        IArrayTypeSymbol array => MentionsTypeParameter(array.ElementType),
        INamedTypeSymbol named => System.Linq.Enumerable.Any(named.TypeArguments, MentionsTypeParameter),
        _ => false,
    };

    private static bool HasPublicParameterlessConstructor(INamedTypeSymbol type)
    {
        foreach (var constructor in type.InstanceConstructors)
        {
            if (constructor.Parameters.IsEmpty && constructor.DeclaredAccessibility == Accessibility.Public)
            {
                return true;
            }
        }

        return false;
    }

    private static bool InheritsOrImplements(ITypeSymbol type, ITypeSymbol constraint)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (SymbolEqualityComparer.Default.Equals(current, constraint))
            {
                return true;
            }
        }

        foreach (var implemented in type.AllInterfaces)
        {
            if (SymbolEqualityComparer.Default.Equals(implemented, constraint))
            {
                return true;
            }
        }

        if (type is ITypeParameterSymbol typeParameter)
        {
            foreach (var bound in typeParameter.ConstraintTypes)
            {
                if (InheritsOrImplements(bound, constraint))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // void -> Task/ValueTask; T -> Task<T>/ValueTask<T>.
    private bool ReturnsAwaitableOf(ITypeSymbol twinReturn, IMethodSymbol method)
    {
        if (twinReturn is not INamedTypeSymbol named)
        {
            return false;
        }

        var definition = named.OriginalDefinition;
        if (method.ReturnsVoid)
        {
            return SymbolEqualityComparer.Default.Equals(definition, _symbols.Task)
                   || SymbolEqualityComparer.Default.Equals(definition, _symbols.ValueTask);
        }

        return (SymbolEqualityComparer.Default.Equals(definition, _symbols.TaskOfT)
                || SymbolEqualityComparer.Default.Equals(definition, _symbols.ValueTaskOfT))
               && SymbolEqualityComparer.Default.Equals(named.TypeArguments[0], method.ReturnType);
    }

    // Pairs whose "twin" is no better, or is wrong to suggest (documented in TW1004.md):
    // task waits (TW1002/TW1003 own them), Dispose (the fix is `await using`), CancellationTokenSource.Cancel,
    // XmlReader/XmlWriter (their async methods throw unless the reader was created async), EF Core's
    // Add/AddRange (AddAsync exists only for special value generators), and a data reader's column
    // reads (IsDBNull, GetFieldValue: the row is buffered once ReadAsync returns; their async forms
    // help only under CommandBehavior.SequentialAccess).
    private bool IsExcluded(IMethodSymbol method)
    {
        var type = (method.ReducedFrom ?? method).ContainingType?.OriginalDefinition;
        if (type is null)
        {
            return true;
        }

        return method.Name == "Dispose"
               || SymbolEqualityComparer.Default.Equals(type, _symbols.Task)
               || SymbolEqualityComparer.Default.Equals(type, _symbols.TaskOfT)
               || SymbolEqualityComparer.Default.Equals(type, _symbols.ValueTask)
               || SymbolEqualityComparer.Default.Equals(type, _symbols.ValueTaskOfT)
               || (method.Name == "Cancel" && SymbolEqualityComparer.Default.Equals(type, _symbols.CancellationTokenSource))
               || KnownSymbols.IsOrDerivesFrom(type, _symbols.XmlReader)
               || KnownSymbols.IsOrDerivesFrom(type, _symbols.XmlWriter)
               || (method.Name is "Add" or "AddRange"
                   && (KnownSymbols.IsOrDerivesFrom(type, _symbols.EfDbSetOfT) || KnownSymbols.IsOrDerivesFrom(type, _symbols.EfDbContext)))
               || ColumnReads.IsColumnRead(method, _symbols)
               || SerializesInMemory(method);
    }

    // `byte[] Serialize<T>(T value)` beside `ValueTask<byte[]> SerializeAsync<T>(T value)` (FusionCache's
    // serializer interface): converting between an object and bytes or text in memory is CPU work, and
    // such async twins only wrap the synchronous result. A serializer handed a stream, reader or writer
    // does I/O and keeps its twin.
    private bool SerializesInMemory(IMethodSymbol method)
    {
        if (!(method.Name.StartsWith("Serialize", StringComparison.Ordinal) || method.Name.StartsWith("Deserialize", StringComparison.Ordinal))
            || IsIoType(method.ReturnType))
        {
            return false;
        }

        foreach (var parameter in method.Parameters)
        {
            if (IsIoType(parameter.Type))
            {
                return false;
            }
        }

        return true;
    }

    // `payload.Serialize(buffer)` where `buffer` is a new MemoryStream (Sentry's envelope items, whose
    // comment says there is no advantage in serializing in-memory objects asynchronously): a serializer
    // whose every stream, reader or writer argument is in memory does no I/O.
    // `hasher.ComputeHash(stream)` over a MemoryStream (xunit's unique-ID generator) is the same: the
    // types of System.Security.Cryptography compute, and read only what they are handed.
    // A parser or loader (`Parse…`, `Load…`) is the same: `JsonDocument.Parse(stream)` over the MemoryStream a
    // Utf8JsonWriter just filled (EventStore's projection client) parses memory.
    private bool SerializesIntoMemory(IInvocationOperation invocation, int inMemoryParameters)
    {
        var name = invocation.TargetMethod.Name;
        if (!(name.StartsWith("Serialize", StringComparison.Ordinal) || name.StartsWith("Deserialize", StringComparison.Ordinal)
              || name.StartsWith("Parse", StringComparison.Ordinal) || name.StartsWith("Load", StringComparison.Ordinal))
            && !IsCryptography(invocation.TargetMethod.ContainingType))
        {
            return false;
        }

        var intoMemory = false;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter || !IsIoType(parameter.Type))
            {
                continue;
            }

            if (!InMemoryStreams.IsInMemory(argument.Value, _symbols, inMemoryParameters))
            {
                return false;
            }

            intoMemory = true;
        }

        return intoMemory;
    }

    // `JObject.Load(reader, settings)` where `reader` is `new JsonTextReader(new StringReader(json))`
    // (Newtonsoft.Json's `JObject.Parse`, vendored by Exceptionless): the first argument is an object built
    // over in-memory readers or streams only, and no argument is a stream, reader or writer of its own.
    // What the call reads is memory.
    private bool ReadsFromAnObjectOverMemory(IInvocationOperation invocation, int inMemoryParameters)
    {
        if (invocation.Arguments.Length == 0)
        {
            return false;
        }

        IOperation? first = null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not { } parameter)
            {
                return false;
            }

            if (parameter.Ordinal == 0)
            {
                first = argument.Value;
            }
            else if (IsIoType(parameter.Type))
            {
                return false;
            }
        }

        return first is not null
               && !(first.WithoutConversions().Type is { } type && IsIoType(type))
               && InMemoryStreams.IsBuiltOverInMemoryStream(first, _symbols, inMemoryParameters);
    }

    private static bool IsCryptography(INamedTypeSymbol? type)
        => type?.ContainingNamespace is { Name: "Cryptography", ContainingNamespace: { Name: "Security", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    private bool IsIoType(ITypeSymbol type)
        => KnownSymbols.IsOrDerivesFrom(type, _symbols.Stream)
           || KnownSymbols.IsOrDerivesFrom(type, _symbols.TextReader)
           || KnownSymbols.IsOrDerivesFrom(type, _symbols.TextWriter);

    /// <summary>What the call is made on, as written (before any conversion to the parameter type):
    /// the instance, or an extension call's first argument.</summary>
    private static IOperation? Receiver(IInvocationOperation invocation)
    {
        var receiver = invocation.Instance is { } instance ? instance
            : invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value
            : null;
        while (receiver is IConversionOperation { IsImplicit: true } conversion)
        {
            receiver = conversion.Operand;
        }

        return receiver;
    }

    // `reader.Complete(ex)` marks a pipe reader done: nothing is flushed. `pipe.Writer.Complete()` on a
    // `System.IO.Pipelines.Pipe` (also through a local: `var writer = _pipe.Writer;`) signals the reader
    // in memory. Only a writer of another origin (a StreamPipeWriter flushes to its stream) may block
    // (found dogfooding Pipelines.Sockets.Unofficial).
    private static bool IsInMemoryPipeCompletion(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod is not { Name: "Complete", ContainingType: { } type } || !IsPipelines(type.ContainingNamespace))
        {
            return false;
        }

        if (type.Name == "PipeReader")
        {
            return true;
        }

        var receiver = Receiver(invocation);
        if (receiver is ILocalReferenceOperation { Local: var local } && LocalDeclarations.GetInitializer(local, receiver) is { } declaration
            && !LocalReferences.IsReassigned(declaration.Body, local))
        {
            receiver = declaration.Value.WithoutConversions();
        }

        return type.Name == "PipeWriter"
               && receiver is IPropertyReferenceOperation { Property.Name: "Writer", Instance.Type: { Name: "Pipe" } pipe }
               && IsPipelines(pipe.ContainingNamespace);
    }

    private static bool IsPipeWriterComplete(IMethodSymbol method)
        => method is { Name: "Complete", ContainingType: { Name: "PipeWriter" } type } && IsPipelines(type.ContainingNamespace);

    private bool CompletesItsPipeWritersSynchronously()
    {
        if (_completesPipeWritersSynchronously == 0)
        {
            var answer = PipeWriterCompletionConvention() ? 1 : 2;
            System.Threading.Interlocked.CompareExchange(ref _completesPipeWritersSynchronously, answer, 0);
        }

        return _completesPipeWritersSynchronously == 1;
    }

    // At least one PipeWriter class of the project overrides Complete, and none overrides CompleteAsync.
    private bool PipeWriterCompletionConvention()
    {
        var overridesComplete = false;
        foreach (var type in SourceImplementations.For(_compilation).Types(System.Threading.CancellationToken.None))
        {
            if (!DerivesFromPipeWriter(type))
            {
                continue;
            }

            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol { IsOverride: true, Name: "CompleteAsync" })
                {
                    return false;
                }

                overridesComplete |= member is IMethodSymbol { IsOverride: true, Name: "Complete" };
            }
        }

        return overridesComplete;
    }

    private static bool DerivesFromPipeWriter(INamedTypeSymbol type)
    {
        for (var current = type.BaseType; current is not null; current = current.BaseType)
        {
            if (current.Name == "PipeWriter" && IsPipelines(current.ContainingNamespace))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPipelines(INamespaceSymbol? ns)
        => ns is { Name: "Pipelines", ContainingNamespace: { Name: "IO", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

}
