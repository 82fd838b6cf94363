using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
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

    /// <summary>Each helper's declaration, then the blocking call: the diagnostic's additional
    /// locations, so the IDE and SARIF viewers can walk the chain.</summary>
    public IEnumerable<Location> Locations()
    {
        foreach (var helper in Helpers)
        {
            if (!helper.Locations.IsEmpty && helper.Locations[0].IsInSource)
            {
                yield return helper.Locations[0];
            }
        }

        if (LeafLocation.IsInSource)
        {
            yield return LeafLocation;
        }
    }

    /// <summary><c>Load -> ReadConfig -> File.ReadAllText (Config.cs:42)</c>: plain ASCII, so build
    /// logs and terminals in any code page show it.</summary>
    public string Describe()
    {
        var parts = new List<string>(Helpers.Length + 1);
        foreach (var helper in Helpers)
        {
            parts.Add(helper.Name);
        }

        parts.Add(Leaf);
        var span = LeafLocation.GetLineSpan();
        return string.Join(" -> ", parts) + " (" + Path.GetFileName(span.Path) + ":" + (span.StartLinePosition.Line + 1) + ")";
    }
}

/// <summary>
/// Per-method summaries for the interprocedural rules: "may this synchronous method of the
/// compilation block, and through which chain?". Each method's body is bound and walked at most
/// once per compilation, lazily, when some async code first calls it; chains are bounded by
/// <see cref="ThreadwiseOptions.MaxInterproceduralDepth"/> and a method is visited once per walk.
/// </summary>
internal sealed class MethodSummaries
{
    private static readonly ConditionalWeakTable<Compilation, MethodSummaries> Cache = new();

    private readonly Compilation _compilation;
    private readonly AnalyzerOptions _options;
    private readonly TaskWaits _waits;
    private readonly BlockingCalls _blockingCalls;
    private readonly ConcurrentDictionary<Helper, Facts> _facts = new();
    private readonly ConcurrentDictionary<IMethodSymbol, bool> _iterators = new(SymbolEqualityComparer.Default);

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
        // The assembly first: most calls go to the framework, and that answers them at once.
        => SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _compilation.Assembly)
           && method.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction
           && !method.IsAsync
           && !method.IsAbstract
           && !method.IsExtern
           && (!(method.IsVirtual || method.IsOverride) || method.IsSealed || method.ContainingType.IsSealed)
           && method.ContainingType.TypeKind != TypeKind.Interface
           && !_waits.Symbols.IsTaskType(method.ReturnType)
           && method.DeclaringSyntaxReferences.Length == 1;

    /// <summary>The shortest blocking chain starting at the helper <paramref name="call"/> calls, with
    /// the arguments it hands over (an in-memory stream for a stream parameter), or null. A
    /// breadth-first walk over each method's cached direct facts (its first blocking call, else the
    /// helpers it calls, in source order): the first chain found is the shortest, ties go to the
    /// earliest call in source order, and the answer does not depend on which caller asked first.
    /// Calling an iterator runs none of its body, so such a call blocks on nothing.</summary>
    public BlockingChain? GetBlockingChain(IInvocationOperation call, CancellationToken cancellationToken)
        => IsIterator(call.TargetMethod, cancellationToken)
            ? null
            : GetBlockingChain(HelperCalledBy(call, caller: null), cancellationToken);

    /// <summary>The shortest blocking chain starting at <paramref name="method"/>, given no in-memory
    /// streams, or null.</summary>
    public BlockingChain? GetBlockingChain(IMethodSymbol method, CancellationToken cancellationToken)
        => GetBlockingChain(new Helper(method.OriginalDefinition, 0, Flags.None), cancellationToken);

    private BlockingChain? GetBlockingChain(Helper start, CancellationToken cancellationToken)
    {
        var parents = new Dictionary<Helper, Helper?> { [start] = null };
        var frontier = new List<Helper> { start };
        for (var depth = 1; depth <= ThreadwiseOptions.MaxInterproceduralDepth && frontier.Count > 0; depth++)
        {
            var next = new List<Helper>();
            foreach (var current in frontier)
            {
                cancellationToken.ThrowIfCancellationRequested();
                var facts = FactsOf(current, cancellationToken);
                if (facts.Leaf is { } leaf)
                {
                    return new BlockingChain(PathTo(current, parents), leaf, facts.LeafLocation!);
                }

                foreach (var callee in facts.Callees)
                {
                    if (!parents.ContainsKey(callee))
                    {
                        parents[callee] = current;
                        next.Add(callee);
                    }
                }
            }

            frontier = next;
        }

        return null;
    }

    private static ImmutableArray<IMethodSymbol> PathTo(Helper last, Dictionary<Helper, Helper?> parents)
    {
        var path = new List<IMethodSymbol>();
        for (Helper? current = last; current is { } helper; current = parents[helper])
        {
            path.Add(helper.Method);
        }

        path.Reverse();
        return path.ToImmutableArray();
    }

    private Facts FactsOf(Helper helper, CancellationToken cancellationToken)
    {
        if (_facts.TryGetValue(helper, out var cached))
        {
            return cached;
        }

        return _facts.GetOrAdd(helper, Compute(helper, cancellationToken));
    }

    private Facts Compute(Helper helper, CancellationToken cancellationToken)
    {
        var method = helper.Method;
        var body = GetBody(method, cancellationToken);
        if (body is null)
        {
            return Facts.None;
        }

        var options = ThreadwiseOptions.For(_options, body.Syntax.SyntaxTree);
        var callees = ImmutableArray.CreateBuilder<Helper>();
        var flags = helper.Flags.IsEmpty ? helper.Flags : helper.Flags.Without(ParametersAssignedIn(body));
        var owner = new Helper(helper.Method, helper.InMemoryParameters, flags);
        foreach (var operation in DescendantsOutsideNestedFunctions(body, flags))
        {
            // Clean-up on the way to an exception (`stream.Close(); throw …;`) is not what the helper
            // does when it works; TW1004 leaves it alone in async code, and so does the summary.
            // So is the back-off of a spin lock (`while (CompareExchange(ref _held, 1, 0) != 0) SpinWait(++n);`).
            if (DirectBlockingCall(operation, options, owner, cancellationToken) is { } leaf && !operation.IsCleanupBeforeThrow() && !operation.IsSpinBackoff())
            {
                return new Facts(leaf, operation.Syntax.GetLocation(), ImmutableArray<Helper>.Empty);
            }

            // A helper handed a zero timeout (`AcquireLock(key, TimeSpan.Zero)`) polls, at any depth,
            // as it does when the async caller hands it the zero itself.
            if (operation is IInvocationOperation { TargetMethod: { } callee } call
                && IsAnalyzableHelper(callee)
                && !ColumnReads.IsColumnRead(callee, _waits.Symbols)
                && !IsIterator(callee, cancellationToken) // runs only when enumerated
                && !operation.IsCleanupBeforeThrow()
                && !operation.IsSpinBackoff()
                && !Timeouts.HasZeroTimeout(call)
                // `new PacketReader(bytes).ReadInt()` in a helper, as in the async caller itself.
                && !InMemoryStreams.IsBuiltOverInMemoryStream(call.Instance, _waits.Symbols, owner.InMemoryParameters))
            {
                callees.Add(HelperCalledBy(call, owner));
            }
        }

        return new Facts(null, null, callees.ToImmutable());
    }

    // A helper returning a sequence is called from many bodies: its syntax is read once.
    private bool IsIterator(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (!MethodBodies.ReturnsASequence(method))
        {
            return false;
        }

        method = method.OriginalDefinition;
        return _iterators.TryGetValue(method, out var known) ? known : _iterators.GetOrAdd(method, MethodBodies.IsIterator(method, cancellationToken));
    }

    /// <summary>What a method does itself: its first blocking call, or the helpers it calls.</summary>
    private sealed class Facts
    {
        public static readonly Facts None = new(null, null, ImmutableArray<Helper>.Empty);

        public Facts(string? leaf, Location? leafLocation, ImmutableArray<Helper> callees)
        {
            Leaf = leaf;
            LeafLocation = leafLocation;
            Callees = callees;
        }

        public string? Leaf { get; }

        public Location? LeafLocation { get; }

        public ImmutableArray<Helper> Callees { get; }
    }

    /// <summary>A helper as a caller hands it over: the method, and which of its parameters (a bit per
    /// ordinal) hold in-memory streams, readers or writers. `Parse(new StringReader(text))` reads
    /// memory; `Parse(new StreamReader(path))` reads a file: the same body, two summaries.</summary>
    private readonly struct Helper : System.IEquatable<Helper>
    {
        public Helper(IMethodSymbol method, int inMemoryParameters, Flags flags)
        {
            Method = method;
            InMemoryParameters = inMemoryParameters;
            Flags = flags;
        }

        public IMethodSymbol Method { get; }

        public int InMemoryParameters { get; }

        /// <summary>The bool parameters the caller gives a constant: `Commit()` with `bool spinWait =
        /// false` never reaches the wait under `if (!spinWait) return;`.</summary>
        public Flags Flags { get; }

        public bool Equals(Helper other)
            => InMemoryParameters == other.InMemoryParameters && Flags.Equals(other.Flags) && SymbolEqualityComparer.Default.Equals(Method, other.Method);

        public override bool Equals(object? obj) => obj is Helper other && Equals(other);

        public override int GetHashCode() => (((SymbolEqualityComparer.Default.GetHashCode(Method) * 31) + InMemoryParameters) * 31) + Flags.GetHashCode();
    }

    /// <summary>A bit per parameter ordinal: which bool parameters hold a known constant, and its value;
    /// which task parameters hold a task the caller knows is complete; and one <c>System.Type</c>
    /// parameter handed <c>typeof(X)</c>, with X.</summary>
    private readonly struct Flags : System.IEquatable<Flags>
    {
        public static readonly Flags None = new(0, 0);

        public Flags(int known, int values, int typeOrdinal = -1, ITypeSymbol? type = null, int completeTasks = 0)
        {
            Known = known;
            Values = values & known;
            TypeOrdinal = type is null ? -1 : typeOrdinal;
            Type = TypeOrdinal < 0 ? null : type;
            CompleteTasks = completeTasks;
        }

        public int Known { get; }

        public int Values { get; }

        public int TypeOrdinal { get; }

        public ITypeSymbol? Type { get; }

        public int CompleteTasks { get; }

        public bool IsEmpty => Known == 0 && Type is null && CompleteTasks == 0;

        public bool? ValueOf(IParameterSymbol parameter)
            => parameter.Ordinal < 32 && (Known & (1 << parameter.Ordinal)) != 0 ? (Values & (1 << parameter.Ordinal)) != 0 : null;

        public ITypeSymbol? TypeOf(IParameterSymbol parameter) => parameter.Ordinal == TypeOrdinal ? Type : null;

        public bool IsComplete(IParameterSymbol parameter) => parameter.Ordinal < 32 && (CompleteTasks & (1 << parameter.Ordinal)) != 0;

        public Flags Without(int parameters)
            => new(Known & ~parameters, Values, TypeOrdinal is >= 0 and < 32 && (parameters & (1 << TypeOrdinal)) != 0 ? -1 : TypeOrdinal, Type, CompleteTasks & ~parameters);

        public bool Equals(Flags other)
            => Known == other.Known && Values == other.Values && TypeOrdinal == other.TypeOrdinal && CompleteTasks == other.CompleteTasks && SymbolEqualityComparer.Default.Equals(Type, other.Type);

        public override bool Equals(object? obj) => obj is Flags other && Equals(other);

        public override int GetHashCode() => (((((Known * 397) ^ Values) * 31) + CompleteTasks) * 31) + SymbolEqualityComparer.Default.GetHashCode(Type);
    }

    // The helper a call reaches, with what the call hands it: in-memory streams, constant bools (a
    // literal, an omitted optional parameter's default, or a flag of the caller that is itself known),
    // and a closed `typeof(X)` for a System.Type parameter.
    private Helper HelperCalledBy(IInvocationOperation call, Helper? caller)
    {
        var known = 0;
        var values = 0;
        var typeOrdinal = -1;
        ITypeSymbol? type = null;
        var completeTasks = 0;
        foreach (var argument in call.Arguments)
        {
            if (type is null && KnownTypeArgument(argument, caller) is { } handed)
            {
                (typeOrdinal, type) = (argument.Parameter!.Ordinal, handed);
                continue;
            }

            if (IsCompleteTaskArgument(argument, caller))
            {
                completeTasks |= 1 << argument.Parameter!.Ordinal;
                continue;
            }

            if (argument.Parameter is not { Type.SpecialType: SpecialType.System_Boolean, RefKind: RefKind.None, Ordinal: < 32 and var ordinal })
            {
                continue;
            }

            var value = argument.Value.ConstantValue is { HasValue: true, Value: bool constant }
                ? constant
                : argument.Value is IParameterReferenceOperation { Parameter: var passed } && caller is { } owner
                  && SymbolEqualityComparer.Default.Equals(passed.ContainingSymbol, owner.Method)
                    ? owner.Flags.ValueOf(passed)
                    : null;
            if (value is { } isTrue)
            {
                known |= 1 << ordinal;
                values |= isTrue ? 1 << ordinal : 0;
            }
        }

        var inMemory = InMemoryStreams.InMemoryArguments(call, _waits.Symbols, caller?.InMemoryParameters ?? 0);
        return new Helper(call.TargetMethod.OriginalDefinition, inMemory, new Flags(known, values, typeOrdinal, type, completeTasks));
    }

    // `Deserialize(response, typeof(Authorizations))` (the OpenAPI generator's client, found dogfooding
    // the InfluxDB client): a System.Type parameter handed a closed `typeof(X)`, or the caller's own known
    // one. Decides `if (type == typeof(Stream)) { …write a file… }` in the helper.
    private ITypeSymbol? KnownTypeArgument(IArgumentOperation argument, Helper? caller)
    {
        if (argument.Parameter is not { RefKind: RefKind.None, Ordinal: < 32 } parameter
            || !SymbolEqualityComparer.Default.Equals(parameter.Type, _waits.Symbols.Type))
        {
            return null;
        }

        return argument.Value switch
        {
            ITypeOfOperation { TypeOperand: var operand } when IsClosed(operand) => operand,
            IParameterReferenceOperation { Parameter: var passed } when caller is { } owner && SymbolEqualityComparer.Default.Equals(passed.ContainingSymbol, owner.Method)
                => owner.Flags.TypeOf(passed),
            _ => null,
        };
    }

    // Garnet's `if (result.IsCompletedSuccessfully) n += BlockingWait(result);` with
    // `BlockingWait(ValueTask<T> t) => t.GetAwaiter().GetResult()`: the helper blocks on what it is
    // handed, and it is handed a finished task (or the caller's own parameter that was).
    private bool IsCompleteTaskArgument(IArgumentOperation argument, Helper? caller)
    {
        if (argument.Parameter is not { RefKind: RefKind.None, Ordinal: < 32 } parameter)
        {
            return false;
        }

        // `if (workItem.Result.IsCompleted) AddressWaitingMessages(workItem);` (Orleans' placement service): an object
        // whose one task member is known complete at the call; the helper's wait on that member is then no wait.
        if (!_waits.Symbols.IsTaskType(parameter.Type))
        {
            return parameter.Type.TypeKind is TypeKind.Class or TypeKind.Struct
                   && KnownCompleteTasks.IsTaskMemberKnownComplete(argument.Value, _waits.Symbols);
        }

        return argument.Value.WithoutConversions() is IParameterReferenceOperation { Parameter: var passed } && caller is { } owner
               && SymbolEqualityComparer.Default.Equals(passed.ContainingSymbol, owner.Method)
            ? owner.Flags.IsComplete(passed)
            : KnownCompleteTasks.IsKnownComplete(argument.Value, _waits.Symbols);
    }

    // No type parameter anywhere in it: `typeof(T)` may be any type, `typeof(List<T>)` too.
    private static bool IsClosed(ITypeSymbol type)
    {
        switch (type)
        {
            case ITypeParameterSymbol or IErrorTypeSymbol:
                return false;
            case IArrayTypeSymbol array:
                return IsClosed(array.ElementType);
            case INamedTypeSymbol named:
                foreach (var argument in named.TypeArguments)
                {
                    if (!IsClosed(argument))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return true;
        }
    }

    // `spinWait = true;` or `ref spinWait` in the body: the caller's constant no longer decides.
    private static int ParametersAssignedIn(IOperation body)
    {
        var assigned = 0;
        foreach (var operation in body.Descendants())
        {
            var target = operation switch
            {
                IAssignmentOperation assignment => assignment.Target,
                IArgumentOperation { Parameter.RefKind: not RefKind.None } argument => argument.Value,
                _ => null,
            };
            if (target is IParameterReferenceOperation { Parameter.Ordinal: < 32 and var ordinal })
            {
                assigned |= 1 << ordinal;
            }
        }

        return assigned;
    }

    // The value of a condition made of known flags, `!`, `&&` and `||`; null when anything else decides.
    private static bool? Evaluate(IOperation condition, Flags flags)
    {
        switch (condition)
        {
            case IParameterReferenceOperation { Parameter: var parameter }:
                return flags.ValueOf(parameter);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } comparison
                when SameTypeAs(comparison.LeftOperand, comparison.RightOperand, flags) is { } same:
                return comparison.OperatorKind == BinaryOperatorKind.Equals ? same : !same;
            case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: var operand }:
                return !Evaluate(operand, flags);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and:
                var (left, right) = (Evaluate(and.LeftOperand, flags), Evaluate(and.RightOperand, flags));
                return left == false || right == false ? false : left == true && right == true ? true : null;
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } or:
                var (first, second) = (Evaluate(or.LeftOperand, flags), Evaluate(or.RightOperand, flags));
                return first == true || second == true ? true : first == false && second == false ? false : null;
            default:
                return null;
        }
    }

    // `type == typeof(Stream)` with the type parameter known: two closed types are the same Type object
    // exactly when they are the same type.
    private static bool? SameTypeAs(IOperation left, IOperation right, Flags flags)
    {
        if (flags.Type is null)
        {
            return null;
        }

        var (parameter, other) = left.WithoutConversions() is IParameterReferenceOperation reference ? (reference, right.WithoutConversions()) : (right.WithoutConversions() as IParameterReferenceOperation, left.WithoutConversions());
        return parameter is not null && flags.TypeOf(parameter.Parameter) is { } known && other is ITypeOfOperation { TypeOperand: var operand } && IsClosed(operand)
            ? SymbolEqualityComparer.Default.Equals(known, operand)
            : null;
    }

    // `if (!spinWait) return;` with spinWait known false: what follows in the block does not run.
    private static bool LeavesFor(IOperation statement, Flags flags)
        => statement is IConditionalOperation { WhenFalse: null, WhenTrue: var whenTrue } conditional
           && Evaluate(conditional.Condition, flags) == true
           && Leaves(whenTrue);

    private static bool Leaves(IOperation statement) => statement switch
    {
        IReturnOperation or IThrowOperation => true,
        IExpressionStatementOperation { Operation: IThrowOperation } => true,
        IBlockOperation { Operations: { Length: > 0 } operations } => Leaves(operations[operations.Length - 1]),
        _ => false,
    };

    private bool IsHandedComplete(IOperation task, Helper owner)
        => !owner.Flags.IsEmpty
           && (task.WithoutConversions() is IParameterReferenceOperation { Parameter: var parameter }
               ? parameter
               : KnownCompleteTasks.ParameterWhoseTaskMemberIs(task, _waits.Symbols)) is { } handed
           && SymbolEqualityComparer.Default.Equals(handed.ContainingSymbol, owner.Method)
           && owner.Flags.IsComplete(handed);

    /// <summary>What TW1001–TW1004 would report if this operation were in async code.</summary>
    private string? DirectBlockingCall(IOperation operation, ThreadwiseOptions options, Helper owner, CancellationToken cancellationToken)
    {
        if (_waits.TryGetWait(operation, out var wait))
        {
            return (wait.Task is { } task && (IsHandedComplete(task, owner) || KnownCompleteTasks.IsKnownComplete(task, _waits.Symbols)))
                   || SingleFlight.IsJoin(wait, _waits.Symbols)
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
            return DebugOnlyCode.IsWaitForDebugger(invocation) ? null : "Thread.Sleep";
        }

        return _blockingCalls.GetBlockingApi(invocation, options, owner.Method, owner.InMemoryParameters) is { } api
               && !(api.Twin is not null && IsVisiblyNonBlocking(invocation, owner, cancellationToken))
            ? api.Display
            : null;
    }

    // A method of this compilation beside its async twin whose own body blocks on nothing, at the
    // configured depth: `GetSession(id) => _sessions.GetValueOrDefault(id)` next to a GetSessionAsync that
    // waits for the session to appear is a lookup, not a wait (found dogfooding PuppeteerSharp). Such
    // twins may call each other, so the look inside is nested at most twice per thread; deeper, the
    // twin counts as blocking, as before.
    [System.ThreadStatic]
    private static int _twinChecks;

    /// <summary>For TW1004: the call goes to a method of this compilation beside its async twin whose
    /// body, looked into like a helper's, blocks on nothing.</summary>
    public bool IsVisiblyNonBlocking(IInvocationOperation call, CancellationToken cancellationToken)
        => IsVisiblyNonBlocking(call, null, cancellationToken);

    private bool IsVisiblyNonBlocking(IInvocationOperation call, Helper? owner, CancellationToken cancellationToken)
    {
        if (!IsAnalyzableHelper(call.TargetMethod) || _twinChecks >= 2)
        {
            return false;
        }

        _twinChecks++;
        try
        {
            return !CallsWhatItCannotSee(call.TargetMethod.OriginalDefinition, cancellationToken)
                   && GetBlockingChain(HelperCalledBy(call, owner), cancellationToken) is null;
        }
        finally
        {
            _twinChecks--;
        }
    }

    // A call in the body that the summary cannot look into: a method of this compilation that is an
    // interface, virtual or async method (SSH.NET's `FlushWriteBuffer` calls `_session.RequestWrite(…,
    // wait)` on its session interface, whose implementation waits), or a delegate (WatsonTcp's
    // `Handle(q) => OnRequest(q)` runs whatever callback the user registered).
    private bool CallsWhatItCannotSee(IMethodSymbol method, CancellationToken cancellationToken)
    {
        if (GetBody(method, cancellationToken) is not { } body)
        {
            return true;
        }

        foreach (var operation in body.Descendants())
        {
            if (operation is IInvocationOperation { TargetMethod: { } callee }
                && (callee.MethodKind == MethodKind.DelegateInvoke
                    || SymbolEqualityComparer.Default.Equals(callee.ContainingAssembly, _compilation.Assembly) && !IsAnalyzableHelper(callee)))
            {
                return true;
            }
        }

        return false;
    }

    // RS1030: the helper's body usually lives in another tree than the call being analyzed, and is
    // bound here once per compilation (the summary is cached), never once per call site.
    private IOperation? GetBody(IMethodSymbol method, CancellationToken cancellationToken)
        => MethodBodies.Bind(method, _compilation, cancellationToken);

    private static IEnumerable<IOperation> DescendantsOutsideNestedFunctions(IOperation root, Flags flags)
    {
        // Pre-order, in source order, so the chain names the first blocking call of a body. Branches
        // the caller's constant flags rule out are skipped.
        var stack = new Stack<IOperation>();
        var children = new List<IOperation>();
        stack.Push(root);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            yield return current;
            children.Clear();
            if (!flags.IsEmpty && current is IConditionalOperation conditional && Evaluate(conditional.Condition, flags) is { } value)
            {
                children.Add(conditional.Condition);
                if ((value ? conditional.WhenTrue : conditional.WhenFalse) is { } taken)
                {
                    children.Add(taken);
                }
            }
            else
            {
                foreach (var child in current.ChildOperations)
                {
                    if (child is not (IAnonymousFunctionOperation or ILocalFunctionOperation))
                    {
                        children.Add(child);
                    }

                    if (!flags.IsEmpty && current is IBlockOperation && LeavesFor(child, flags))
                    {
                        break;
                    }
                }
            }

            for (var i = children.Count - 1; i >= 0; i--)
            {
                stack.Push(children[i]);
            }
        }
    }
}
