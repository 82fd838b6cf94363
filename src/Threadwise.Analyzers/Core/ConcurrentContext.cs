using System;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>The concurrency entry points a delegate can be handed to.</summary>
internal enum EntryPointKind
{
    TaskRun,
    TaskFactoryStartNew,
    NewTask,
    NewThread,
    QueueUserWorkItem,
    Timer,
    Parallel,
    Plinq,
    Configured,

    /// <summary>An async lambda projected into tasks that are awaited together:
    /// <c>await Task.WhenAll(xs.Select(async x => …))</c>.</summary>
    AsyncFanOut,
}

/// <summary>A delegate handed to a concurrency entry point, and how it will run.</summary>
internal readonly struct ConcurrentEntry
{
    public ConcurrentEntry(EntryPointKind kind, IOperation call, IOperation function, bool runsOnPool)
        : this(kind, call, function, runsOnPool, method: null, function.Syntax, sharesThis: true, via: null)
    {
    }

    private ConcurrentEntry(EntryPointKind kind, IOperation call, IOperation function, bool runsOnPool, IMethodSymbol? method, SyntaxNode functionSyntax, bool sharesThis, string? via, string? rival = null)
    {
        Rival = rival;
        Kind = kind;
        Call = call;
        Function = function;
        RunsOnPool = runsOnPool;
        Method = method;
        FunctionSyntax = functionSyntax;
        SharesThis = sharesThis;
        Via = via;
    }

    public EntryPointKind Kind { get; }

    /// <summary>The invocation, object creation or event subscription that receives the delegate.</summary>
    public IOperation Call { get; }

    /// <summary>The lambda or anonymous method (an <see cref="IAnonymousFunctionOperation"/>), or the
    /// method group (an <see cref="IMethodReferenceOperation"/>).</summary>
    public IOperation Function { get; }

    /// <summary>True when the delegate runs as a thread-pool work item (not on a dedicated thread,
    /// not as a <c>LongRunning</c> task).</summary>
    public bool RunsOnPool { get; }

    public bool IsValid => Call is not null;

    /// <summary>For code reached through a method (<see cref="ConcurrentReach"/>): that method; null for the delegate itself.</summary>
    public IMethodSymbol? Method { get; }

    /// <summary>The code whose own locals and parameters are not shared: the lambda, or the reached method's declaration.</summary>
    public SyntaxNode FunctionSyntax { get; }

    /// <summary>True when every run works on the same <c>this</c> (a lambda's, or a method called on
    /// <c>this</c>, a field or a captured variable), so instance fields of <c>this</c> are shared.
    /// False for <c>xs.ForEach(x => x.Process())</c>-like calls on an object per run.</summary>
    public bool SharesThis { get; }

    /// <summary>The methods between the delegate and the reached code, <c>Handle -> Store</c>; null for the delegate itself.</summary>
    public string? Via { get; }

    /// <summary>This entry, continued into <paramref name="method"/>.</summary>
    public ConcurrentEntry Through(IMethodSymbol method, bool sharesThis, SyntaxNode methodSyntax)
        => new(Kind, Call, Function, RunsOnPool, method, methodSyntax, sharesThis, Via is null ? method.Name : Via + " -> " + method.Name);

    /// <summary>
    /// True when several runs of the delegate can overlap: parallel loops, PLINQ, timers and
    /// configured entry points always (not <c>Parallel.Invoke</c>: each action runs once); a thread, task or work item only when it is started in a loop
    /// or from inside a lambda that runs repeatedly (per item, per event, per timer tick). A single <c>new Thread(() => list.Add(x))</c>
    /// joined before the list is read races with nothing.
    /// </summary>
    public bool RunsConcurrentlyWithItself
    {
        get
        {
            if (Kind is EntryPointKind.Plinq or EntryPointKind.Configured or EntryPointKind.AsyncFanOut
                || (Kind is EntryPointKind.Parallel && !IsParallelInvoke)
                || (Kind is EntryPointKind.Timer && !IsOneShotTimer && !HasAPeriodOfASecondOrMore))
            {
                return true;
            }

            for (var current = Call.Parent; current is not null; current = current.Parent)
            {
                if (current is ILoopOperation || (current is IAnonymousFunctionOperation outer && RunsRepeatedly(outer)))
                {
                    return true;
                }

                if (current is ILocalFunctionOperation)
                {
                    return false;
                }
            }

            return false;
        }
    }

    /// <summary>
    /// A lambda that starts work runs more than once when it is an event handler, a periodic timer's
    /// callback, or the body of a loop over items (<c>items.ForEach(i => Task.Run(…))</c>,
    /// <c>xs.Select(x => Task.Run(…))</c>, <c>Parallel.For</c>). A callback handed to any other method
    /// may run once (Cassandra's <c>timer.NewTimeout(_ => Task.Run(…))</c> is a one-shot timeout): in
    /// doubt, the work it starts is started once.
    /// </summary>
    private static bool RunsRepeatedly(IAnonymousFunctionOperation function)
    {
        var parent = function.Parent is IDelegateCreationOperation delegateCreation ? delegateCreation.Parent : function.Parent;
        return parent switch
        {
            IEventAssignmentOperation { Adds: true } => true,
            IArgumentOperation { Parent: IInvocationOperation invocation } => IsPerItem(invocation),
            IArgumentOperation { Parent: IObjectCreationOperation creation } => IsPeriodicThreadingTimer(creation),
            _ => false,
        };
    }

    private static bool IsPerItem(IInvocationOperation invocation)
    {
        if (invocation.TargetMethod.Name is "ForEach" or "ForEachAsync" or "For" || IsItems(invocation.Instance))
        {
            return true;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (IsItems(argument.Value))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsItems(IOperation? value)
    {
        var type = value?.WithoutConversions().Type;
        if (type is null || type.SpecialType == SpecialType.System_String)
        {
            return false;
        }

        if (type.SpecialType == SpecialType.System_Collections_IEnumerable || type is IArrayTypeSymbol)
        {
            return true;
        }

        foreach (var @interface in type.AllInterfaces)
        {
            if (@interface.SpecialType == SpecialType.System_Collections_IEnumerable)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsPeriodicThreadingTimer(IObjectCreationOperation creation)
        => creation.Type is INamedTypeSymbol { Name: "Timer", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } }
           && !Timeouts.IsInfinite(Timeouts.ArgumentFor(creation, "period"));

    /// <summary>
    /// <c>new Timer(callback, state, due, Timeout.Infinite)</c>: fires once. A callback that re-arms
    /// it with <c>Change(due, Timeout.Infinite)</c> when done never overlaps with itself.
    /// </summary>
    public bool IsOneShotTimer
        => Kind == EntryPointKind.Timer
           && Call is IObjectCreationOperation creation
           && Timeouts.IsInfinite(Timeouts.ArgumentFor(creation, "period"));

    /// <summary>
    /// <c>new Timer(Clean, null, 10_000, 10_000)</c>: its callbacks overlap only when one runs longer
    /// than the period (or the pool is starved that long). For a period of a second or more, a callback
    /// racing with itself is not what its maintainers would fix (BeetleX's buffer pool counts its
    /// clean-up ticks that way); races with the rest of the type still count.
    /// </summary>
    public bool HasAPeriodOfASecondOrMore
        => Kind == EntryPointKind.Timer
           && Call is IObjectCreationOperation creation
           && Timeouts.IsAtLeastASecond(Timeouts.ArgumentFor(creation, "period"));

    /// <summary><c>Parallel.Invoke(a, b)</c>: each action runs once, concurrently with the others, not with itself.</summary>
    public bool IsParallelInvoke
        => Kind == EntryPointKind.Parallel && Call is IInvocationOperation { TargetMethod.Name: "Invoke" };

    /// <summary>Where to report: the called member (<c>Task.Run</c>), not the whole call with its body.</summary>
    public Location CallLocation
        => Call.Syntax is InvocationExpressionSyntax invocation ? invocation.Expression.GetLocation()
            : Call.Syntax is ObjectCreationExpressionSyntax creation ? creation.Type.GetLocation()
            : Call.Syntax.GetLocation();

    /// <summary>The entry point by name, for messages: <c>Task.Run</c>, <c>Task.Factory.StartNew</c>,
    /// <c>new Timer</c>, <c>timer.Elapsed</c>. Built from identifiers and symbols, never the source
    /// text, so comments and line breaks inside the call never reach a message.</summary>
    public string CallName
        => (Via is null ? EntryName : EntryName + " -> " + Via) + (Rival is null ? string.Empty : "' and by '" + Rival);

    /// <summary>The member that races with work started once (see <see cref="ConcurrentReach.GetRacingWrite"/>);
    /// the messages' "in code run by '{entry}'" then reads "… by 'new Thread -> Drain' and by 'Enqueue'".</summary>
    public string? Rival { get; }

    public ConcurrentEntry WithRival(IMethodSymbol member)
        => new(Kind, Call, Function, RunsOnPool, Method, FunctionSyntax, SharesThis, Via,
            member.MethodKind == MethodKind.PropertySet && member.AssociatedSymbol is { } property ? property.Name : member.Name);

    private string EntryName
        => Call.Syntax switch
        {
            InvocationExpressionSyntax invocation => CallNames.Written(invocation.Expression) ?? MemberName(Call),
            BaseObjectCreationExpressionSyntax => "new " + (Call.Type?.Name ?? Kind.ToString()),
            AssignmentExpressionSyntax assignment => CallNames.Written(assignment.Left) ?? MemberName(Call),
            _ => Kind.ToString(),
        };

    private string MemberName(IOperation call) => call switch
    {
        IInvocationOperation invocation => invocation.TargetMethod.ContainingType.Name + "." + invocation.TargetMethod.Name,
        IEventAssignmentOperation { EventReference: IEventReferenceOperation reference } => reference.Event.ContainingType.Name + "." + reference.Event.Name,
        _ => Kind.ToString(),
    };
}

/// <summary>
/// Is this code run concurrently with its siblings, and is it on the thread pool? A lambda or
/// anonymous method is concurrent when it is handed to <c>Parallel.For/ForEach/ForEachAsync/Invoke</c>,
/// <c>Task.Run</c>, <c>Task.Factory.StartNew</c>, <c>new Task(...)</c>, <c>new Thread(...)</c>,
/// <c>ThreadPool.QueueUserWorkItem/UnsafeQueueUserWorkItem</c>, a <c>System.Threading.Timer</c>, a
/// <c>System.Timers.Timer.Elapsed</c> handler, a PLINQ operator on a <c>ParallelQuery</c>, or a method
/// listed in <c>threadwise.concurrent_entry_points</c>. Resolved once per compilation.
/// Code in methods handed over by name or called from such a lambda is answered by <see cref="ConcurrentReach"/>.
/// </summary>
internal sealed class ConcurrentContext
{
    private static readonly ConditionalWeakTable<Compilation, ConcurrentContext> Cache = new();

    /// <summary>Diagnostic property set when an access races with another member's write
    /// (<see cref="ConcurrentReach.GetRacingWrite"/>): fixing one side alone would leave the race,
    /// so the fixes stand back.</summary>
    public const string RacesWithProperty = "Threadwise.RacesWith";

    private static readonly ImmutableDictionary<string, string?> RacesWithProperties =
        ImmutableDictionary<string, string?>.Empty.Add(RacesWithProperty, "true");

    /// <summary>The properties for a TW2001/TW2002 diagnostic: the race marker, or none.</summary>
    public static ImmutableDictionary<string, string?>? PropertiesFor(FieldWrite? racing)
        => racing is null ? null : RacesWithProperties;

    private readonly Lazy<bool> _hasUiContext;
    private readonly Lazy<(INamedTypeSymbol? Grain, INamedTypeSymbol? SystemTarget)> _orleans;

    private ConcurrentContext(Compilation compilation)
    {
        Symbols = KnownSymbols.For(compilation);
        _hasUiContext = new Lazy<bool>(() => HasUiFramework(compilation));
        _orleans = new Lazy<(INamedTypeSymbol?, INamedTypeSymbol?)>(() => (compilation.GetTypeByMetadataName("Orleans.IGrainBase"), compilation.GetTypeByMetadataName("Orleans.Runtime.SystemTarget")));
    }

    // Orleans grains and system targets: a plain await resumes on the activation's own task scheduler, which runs
    // one turn at a time, as a UI thread does (found dogfooding Orleans' grain directory partition, whose
    // `Task.WhenAll` of snapshot transfers updates its dictionary from each). Asked only in a compilation that
    // references Orleans.
    private bool IsTurnBased(IOperation operation)
    {
        var (grain, systemTarget) = _orleans.Value;
        if ((grain is null && systemTarget is null)
            || operation.SemanticModel?.GetEnclosingSymbol(operation.Syntax.SpanStart)?.ContainingType is not { } type)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            if (Is(current, systemTarget))
            {
                return true;
            }
        }

        foreach (var contract in type.AllInterfaces)
        {
            if (Is(contract, grain))
            {
                return true;
            }
        }

        return false;
    }

    // WinForms, WPF, MAUI, Avalonia: continuations of a plain await go back to the UI thread, one at a time.
    private static bool HasUiFramework(Compilation compilation)
        => compilation.GetTypeByMetadataName("System.Windows.Forms.Control") is not null
           || compilation.GetTypeByMetadataName("System.Windows.Threading.Dispatcher") is not null
           || compilation.GetTypeByMetadataName("Microsoft.Maui.Controls.Application") is not null
           || compilation.GetTypeByMetadataName("Avalonia.Threading.Dispatcher") is not null;

    public KnownSymbols Symbols { get; }

    public static ConcurrentContext For(Compilation compilation)
        => Cache.GetValue(compilation, static c => new ConcurrentContext(c));

    /// <summary>The entry point that <paramref name="function"/> (a lambda or anonymous method) is handed to, if any.</summary>
    public ConcurrentEntry GetEntryPoint(IAnonymousFunctionOperation function, ThreadwiseOptions options)
        => GetEntryPointOf(function, options);

    /// <summary>The entry point a method group (<c>Task.Run(Poll)</c>, <c>new Timer(Refresh, …)</c>) is handed to, if any.</summary>
    public ConcurrentEntry GetEntryPoint(IMethodReferenceOperation methodGroup, ThreadwiseOptions options)
        => GetEntryPointOf(methodGroup, options);

    private ConcurrentEntry GetEntryPointOf(IOperation function, ThreadwiseOptions options)
    {
        IOperation current = function;
        var parent = function.Parent;
        // params arrays (Parallel.Invoke(a, b)) wrap each delegate in an array creation.
        while (parent is IDelegateCreationOperation or IConversionOperation or IParenthesizedOperation or IArrayInitializerOperation or IArrayCreationOperation)
        {
            current = parent;
            parent = parent.Parent;
        }

        if (parent is IEventAssignmentOperation { Adds: true, EventReference: IEventReferenceOperation { Event: { Name: "Elapsed" } @event } }
            && SymbolEqualityComparer.Default.Equals(@event.ContainingType, Symbols.TimersTimer))
        {
            return new ConcurrentEntry(EntryPointKind.Timer, parent, function, runsOnPool: true);
        }

        if (parent is not IArgumentOperation argument)
        {
            return default;
        }

        switch (argument.Parent)
        {
            case IInvocationOperation invocation when IsAsyncFanOut(invocation, function):
                return new ConcurrentEntry(EntryPointKind.AsyncFanOut, invocation, function, runsOnPool: false);
            case IInvocationOperation invocation:
                return Classify(invocation, invocation.TargetMethod, function, options);
            case IObjectCreationOperation creation when creation.Constructor is { } constructor:
                return ClassifyCreation(creation, constructor, function);
            default:
                return default;
        }
    }

    /// <summary>
    /// The innermost enclosing lambda of <paramref name="operation"/> that is handed to an entry
    /// point, looking outward through nested lambdas (a plain lambda inside a <c>Task.Run</c> body
    /// still runs on that task); default when there is none within the member.
    /// </summary>
    public ConcurrentEntry GetEnclosingEntryPoint(IOperation operation, ThreadwiseOptions options)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is not IAnonymousFunctionOperation function)
            {
                continue;
            }

            if (GetEntryPoint(function, options) is { IsValid: true } entry)
            {
                return entry;
            }

            if (IsHandedToAScheduler(function))
            {
                return default;
            }
        }

        return default;
    }

    // `Task.Run(() => _executor.Push(() => { _messages.Remove(id); … }))` (MassTransit's batch consumer, whose
    // executor runs one pushed function at a time): an async function handed to a method of this compilation
    // that returns a task schedules it there — the method decides where and when the body runs, not the
    // lambda around the call. Framework methods (LINQ, `List.ForEach`) run a plain lambda in place and are
    // looked through, as are lambdas that are invoked or stored.
    private bool IsHandedToAScheduler(IAnonymousFunctionOperation function)
        => function.Parent is IDelegateCreationOperation { Type: INamedTypeSymbol { DelegateInvokeMethod.ReturnType: var returned }, Parent: IArgumentOperation { Parent: IInvocationOperation { TargetMethod: var scheduler } } }
           && Symbols.IsTaskType(returned)
           && Symbols.IsTaskType(scheduler.ReturnType)
           && function.SemanticModel?.Compilation is { } compilation
           && SymbolEqualityComparer.Default.Equals(scheduler.ContainingAssembly, compilation.Assembly);

    /// <summary>
    /// The shared variable <paramref name="reference"/> names when the code around the operation of
    /// <paramref name="context"/> holds no lock and runs concurrently with itself — or, for work
    /// started once, with another member of its type that writes (<paramref name="mutation"/>:
    /// mutates) the same field unguarded, which is then <c>RacingWrite</c>. The question TW2001 and
    /// TW2002 both ask. Default (no entry) otherwise.
    /// </summary>
    public (ConcurrentEntry Entry, ISymbol? Shared, FieldWrite? RacingWrite) GetUnsynchronizedShared(OperationAnalysisContext context, IOperation reference, bool mutation, ThreadwiseOptions options)
    {
        var operation = context.Operation;
        var entry = GetEnclosingEntryPoint(operation, options);
        ConcurrentReach? reach = null;
        if (!entry.IsValid
            && ConcurrentReach.EnclosingMethod(operation, context.ContainingSymbol) is { } method
            && SharedVariables.MayBeShared(reference, method)
            && !LockScope.IsAnyLockHeld(operation))
        {
            // Not inside an entry-point lambda: a method handed over by name, or called from one.
            reach = ConcurrentReach.For(context.Compilation, context.Options);
            entry = reach.GetEntry(method, operation.SemanticModel, context.CancellationToken);
        }

        if (!entry.IsValid
            || SharedVariables.GetShared(reference, entry, Symbols) is not { } shared
            || LockScope.IsAnyLockHeld(operation))
        {
            return default;
        }

        if (entry.Kind == EntryPointKind.AsyncFanOut && !RunsAfterAnAwait(operation, entry))
        {
            return default;
        }

        if (entry.RunsConcurrentlyWithItself
            || (entry.IsParallelInvoke && entry.Method is null && SharedVariables.IsWrittenByAnotherAction(entry, shared)))
        {
            return (entry, shared, null);
        }

        if (shared is IFieldSymbol field
            && (reach ?? ConcurrentReach.For(context.Compilation, context.Options)).GetRacingWrite(field, mutation, entry, operation.SemanticModel, context.CancellationToken) is { } racing)
        {
            return (entry.WithRival(racing.Member), shared, racing);
        }

        return default;
    }

    private ConcurrentEntry Classify(IInvocationOperation invocation, IMethodSymbol method, IOperation function, ThreadwiseOptions options)
    {
        var type = method.ContainingType?.OriginalDefinition;
        if (type is null)
        {
            return default;
        }

        if (Is(type, Symbols.Task) && method.Name == "Run")
        {
            return new ConcurrentEntry(EntryPointKind.TaskRun, invocation, function, runsOnPool: true);
        }

        if ((Is(type, Symbols.TaskFactory) || Is(type, Symbols.TaskFactoryOfT)) && method.Name == "StartNew")
        {
            return new ConcurrentEntry(EntryPointKind.TaskFactoryStartNew, invocation, function, runsOnPool: !IsLongRunning(invocation));
        }

        if (Is(type, Symbols.ThreadPool) && method.Name is "QueueUserWorkItem" or "UnsafeQueueUserWorkItem")
        {
            return new ConcurrentEntry(EntryPointKind.QueueUserWorkItem, invocation, function, runsOnPool: true);
        }

        if (Is(type, Symbols.Parallel) && method.Name is "For" or "ForEach" or "ForEachAsync" or "Invoke")
        {
            return new ConcurrentEntry(EntryPointKind.Parallel, invocation, function, runsOnPool: true);
        }

        if (Is(type, Symbols.ParallelEnumerable) && IsOnParallelQuery(invocation))
        {
            return new ConcurrentEntry(EntryPointKind.Plinq, invocation, function, runsOnPool: true);
        }

        if (ThreadwiseOptions.Contains(options.ConcurrentEntryPoints, method))
        {
            return new ConcurrentEntry(EntryPointKind.Configured, invocation, function, runsOnPool: false);
        }

        return default;
    }

    private ConcurrentEntry ClassifyCreation(IObjectCreationOperation creation, IMethodSymbol constructor, IOperation function)
    {
        var type = constructor.ContainingType.OriginalDefinition;
        if (Is(type, Symbols.Thread))
        {
            return new ConcurrentEntry(EntryPointKind.NewThread, creation, function, runsOnPool: false);
        }

        if (Is(type, Symbols.ThreadingTimer))
        {
            return new ConcurrentEntry(EntryPointKind.Timer, creation, function, runsOnPool: true);
        }

        if (Is(type, Symbols.Task) || Is(type, Symbols.TaskOfT))
        {
            return new ConcurrentEntry(EntryPointKind.NewTask, creation, function, runsOnPool: !IsLongRunning(creation));
        }

        return default;
    }

    // `Task.WhenAll(xs.Select(async x => …))`, also through `.ToList()`/`.ToArray()` or a local
    // that is then passed to WhenAll/WhenAny in the same function.
    private bool IsAsyncFanOut(IInvocationOperation select, IOperation function)
    {
        if (function is not (IAnonymousFunctionOperation { Symbol.IsAsync: true } or IMethodReferenceOperation { Method.IsAsync: true })
            || select.TargetMethod.Name != "Select"
            || !Is(select.TargetMethod.ContainingType?.OriginalDefinition, Symbols.Enumerable))
        {
            return false;
        }

        IOperation current = select;
        for (var steps = 0; steps < 4; steps++)
        {
            var parent = current.Parent;
            while (parent is IConversionOperation or IParenthesizedOperation)
            {
                current = parent;
                parent = parent.Parent;
            }

            switch (parent)
            {
                case IArgumentOperation { Parent: IInvocationOperation consumer } when IsWhenAllOrAny(consumer):
                    return true;
                case IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "ToList" or "ToArray" } materialize }:
                    current = materialize;
                    continue;
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: { } local } } initializer:
                    return IsPassedToWhenAll(local, initializer);
                default:
                    return false;
            }
        }

        return false;
    }

    private bool IsWhenAllOrAny(IInvocationOperation invocation)
        => invocation.TargetMethod.Name is "WhenAll" or "WhenAny"
           && Is(invocation.TargetMethod.ContainingType?.OriginalDefinition, Symbols.Task);

    /// <summary>
    /// <c>foreach (var x in xs) tasks.Add(HandleAsync(x)); await Task.WhenAll(tasks);</c>: the
    /// <c>Task.WhenAll</c> that awaits the tasks started by <paramref name="call"/> together, when
    /// the call is made in a loop and added to a local list; null otherwise.
    /// </summary>
    public IInvocationOperation? AwaitedTogether(IInvocationOperation call)
    {
        if (call.Parent is not IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "Add", Instance: ILocalReferenceOperation { Local: { } list } } add }
            || !Symbols.IsTaskType(call.Type)
            || !IsInLoop(add))
        {
            return null;
        }

        return WhenAllOf(list, add);
    }

    private static bool IsInLoop(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ILoopOperation:
                    return true;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
            }
        }

        return false;
    }

    private bool IsPassedToWhenAll(ILocalSymbol local, IOperation declaration) => WhenAllOf(local, declaration) is not null;

    private IInvocationOperation? WhenAllOf(ILocalSymbol local, IOperation declaration)
    {
        foreach (var operation in FunctionRoot(declaration).Descendants())
        {
            if (operation is ILocalReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Local, local)
                && Outermost(reference).Parent is IArgumentOperation { Parent: IInvocationOperation consumer }
                && IsWhenAllOrAny(consumer))
            {
                return consumer;
            }
        }

        return null;

        static IOperation Outermost(IOperation operation)
        {
            while (operation.Parent is IConversionOperation or IParenthesizedOperation)
            {
                operation = operation.Parent;
            }

            return operation;
        }
    }

    /// <summary>
    /// For async fan-out: true when <paramref name="operation"/> runs after an await of its lambda,
    /// when the tasks are already running side by side (before it, each lambda runs synchronously
    /// inside <c>Select</c>, one after the other). In a project with a UI framework, and in an Orleans
    /// grain or system target, only an await with <c>ConfigureAwait(false)</c> counts: a plain await
    /// resumes on the UI thread (the activation's scheduler), one continuation at a time.
    /// </summary>
    private bool RunsAfterAnAwait(IOperation operation, ConcurrentEntry entry)
    {
        // In a reached method (`xs.Select(HandleAsync)`), the await must be the method's own: code
        // before its first await runs synchronously in the caller, one call after another.
        var function = entry.Method is null ? entry.Function : FunctionRoot(operation);
        var start = operation.Syntax.SpanStart;
        var resumesOnOneThread = _hasUiContext.Value || IsTurnBased(operation);
        foreach (var candidate in function.Descendants())
        {
            if (candidate is IAwaitOperation awaited
                && awaited.Syntax.Span.End <= start
                && !AsyncContext.IsInNestedFunction(awaited, function)
                && (!resumesOnOneThread || IsConfigureAwaitFalse(awaited.Operation)))
            {
                return true;
            }
        }

        return false;
    }

    private static IOperation FunctionRoot(IOperation operation)
    {
        while (operation.Parent is { } parent)
        {
            if (parent is ILocalFunctionOperation or IAnonymousFunctionOperation)
            {
                return parent;
            }

            operation = parent;
        }

        return operation;
    }

    private static bool IsConfigureAwaitFalse(IOperation awaited)
        => awaited.WithoutConversions() is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Arguments: { Length: 1 } arguments }
           && arguments[0].Value.ConstantValue is { HasValue: true, Value: false };

    // PLINQ operators take the ParallelQuery as their first argument; Enumerable's do not.
    private bool IsOnParallelQuery(IInvocationOperation invocation)
        => invocation.Arguments.Length > 0
           && invocation.Arguments[0].Value.Type is INamedTypeSymbol first
           && (Is(first.OriginalDefinition, Symbols.ParallelQueryOfT) || first.Name == "ParallelQuery");

    /// <summary>True when a <c>TaskCreationOptions</c> argument includes <c>LongRunning</c>.</summary>
    public bool IsLongRunning(IOperation call) => IsLongRunning(call, Symbols);

    /// <summary>As <see cref="IsLongRunning(IOperation)"/>, for callers without a context.</summary>
    public static bool IsLongRunning(IOperation call, KnownSymbols symbols)
    {
        var arguments = call switch
        {
            IInvocationOperation invocation => invocation.Arguments,
            IObjectCreationOperation creation => creation.Arguments,
            _ => default,
        };
        if (arguments.IsDefault)
        {
            return false;
        }

        foreach (var argument in arguments)
        {
            if (SymbolEqualityComparer.Default.Equals(argument.Value.Type, symbols.TaskCreationOptions)
                && argument.Value.ConstantValue is { HasValue: true, Value: int flags }
                && (flags & (int)System.Threading.Tasks.TaskCreationOptions.LongRunning) != 0)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Is(ITypeSymbol? type, INamedTypeSymbol? known)
        => known is not null && SymbolEqualityComparer.Default.Equals(type, known);
}
