using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.CompilerServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// Which methods of a type run as (part of) a concurrent delegate: a method group handed to an
/// entry point (<c>Task.Run(Poll)</c>, <c>new Timer(Refresh, …)</c>, <c>timer.Elapsed += OnElapsed</c>,
/// <c>Parallel.ForEach(paths, IndexFile)</c>), a method that an entry-point lambda calls
/// (<c>Parallel.ForEach(xs, x => Handle(x))</c>), and the methods those call on the same object, to
/// <c>threadwise.interprocedural_depth</c>.
/// <para>
/// Reach is computed per type, lazily, once per compilation, from the entry points the type's own
/// declarations (all partial parts) hand over; only methods of that type are followed. A call made
/// while a lock is held is not followed (the callee runs under the lock), nor a call into a nested
/// lambda (it may run elsewhere), nor a virtual call (another body may run).
/// </para>
/// </summary>
internal sealed class ConcurrentReach
{
    private static readonly ConditionalWeakTable<Compilation, ConcurrentReach> Cache = new();

    private readonly Compilation _compilation;
    private readonly AnalyzerOptions _options;
    private readonly ConcurrentContext _concurrency;
    // Per type, the methods its entry points reach. Built once by one thread and only read after: a
    // plain dictionary (an immutable one costs a tree insertion per method).
    private readonly ConcurrentDictionary<INamedTypeSymbol, IReadOnlyDictionary<IMethodSymbol, ConcurrentEntry>> _types = new(SymbolEqualityComparer.Default);

    private static readonly IReadOnlyDictionary<IMethodSymbol, ConcurrentEntry> NoneReached = new Dictionary<IMethodSymbol, ConcurrentEntry>(SymbolEqualityComparer.Default);
    private readonly ConcurrentDictionary<INamedTypeSymbol, ImmutableArray<FieldWrite>> _writes = new(SymbolEqualityComparer.Default);

    private ConcurrentReach(Compilation compilation, AnalyzerOptions options)
    {
        _compilation = compilation;
        _options = options;
        _concurrency = ConcurrentContext.For(compilation);
    }

    public static ConcurrentReach For(Compilation compilation, AnalyzerOptions options)
        => Cache.GetValue(compilation, c => new ConcurrentReach(c, options));

    /// <summary>
    /// How <paramref name="method"/> (an ordinary method or local function) runs concurrently: the
    /// entry point that reaches it, with <see cref="ConcurrentEntry.Via"/> naming the methods in
    /// between. Default when no entry point of its type reaches it.
    /// </summary>
    public ConcurrentEntry GetEntry(IMethodSymbol method, SemanticModel? current, CancellationToken cancellationToken)
    {
        var type = method.ContainingType?.OriginalDefinition;
        if (type is null || !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, _compilation.Assembly))
        {
            return default;
        }

        var reached = _types.TryGetValue(type, out var cached) ? cached : _types.GetOrAdd(type, Compute(type, current, cancellationToken));
        return reached.TryGetValue(method.OriginalDefinition, out var entry) ? entry : default;
    }

    /// <summary>
    /// For work started once on its own thread, task, work item or timer (so it does not race with
    /// itself): an unguarded write (<paramref name="mutation"/> false: assignment, <c>++</c>,
    /// <c>+=</c>) or mutation (true: <c>Add</c>, <c>Remove</c>, indexer set on a non-thread-safe
    /// collection) of <paramref name="field"/> by another member of its type that callers outside the
    /// type can run while the work runs. Null when there is none. Not counted: constructors, the
    /// member that starts the work, the work's own methods, <c>Dispose</c>, members that join or wait
    /// (they run after the work), writes under a lock or in nested lambdas, volatile fields.
    /// </summary>
    public FieldWrite? GetRacingWrite(IFieldSymbol field, bool mutation, ConcurrentEntry entry, SemanticModel? current, CancellationToken cancellationToken)
    {
        var type = field.ContainingType?.OriginalDefinition;
        if (type is null
            || field.IsVolatile
            || !RunsBesideItsStarter(entry)
            || !SymbolEqualityComparer.Default.Equals(field.ContainingAssembly, _compilation.Assembly))
        {
            return null;
        }

        var writes = _writes.TryGetValue(type, out var cached) ? cached : _writes.GetOrAdd(type, CollectWrites(type, current, cancellationToken));
        if (writes.IsEmpty)
        {
            return null;
        }

        var starter = Starter(entry);
        var reached = _types.TryGetValue(type, out var known) ? known : _types.GetOrAdd(type, Compute(type, current, cancellationToken));
        foreach (var write in writes)
        {
            if (write.Mutation == mutation
                && SymbolEqualityComparer.Default.Equals(write.Field, field.OriginalDefinition)
                && !SymbolEqualityComparer.Default.Equals(write.Member, starter)
                && !reached.ContainsKey(write.Member))
            {
                return write;
            }
        }

        return null;
    }

    // The starter returns while the work runs: a dedicated thread, a task, a work item, a timer.
    // (A Parallel loop or PLINQ query finishes before its caller goes on.)
    private static bool RunsBesideItsStarter(ConcurrentEntry entry)
        => entry.Kind is EntryPointKind.NewThread or EntryPointKind.TaskRun or EntryPointKind.TaskFactoryStartNew
            or EntryPointKind.NewTask or EntryPointKind.QueueUserWorkItem or EntryPointKind.Timer;

    private static IMethodSymbol? Starter(ConcurrentEntry entry)
    {
        var symbol = entry.Call.SemanticModel?.GetEnclosingSymbol(entry.Call.Syntax.SpanStart);
        while (symbol is IMethodSymbol { MethodKind: MethodKind.AnonymousFunction or MethodKind.LocalFunction })
        {
            symbol = symbol.ContainingSymbol;
        }

        return (symbol as IMethodSymbol)?.OriginalDefinition;
    }

#pragma warning disable RS1030 // A partial type's other parts live in other trees; bound once per compilation, only when work started once touches a field.
    private ImmutableArray<FieldWrite> CollectWrites(INamedTypeSymbol type, SemanticModel? current, CancellationToken cancellationToken)
    {
        var symbols = _concurrency.Symbols;
        var writes = ImmutableArray.CreateBuilder<FieldWrite>();
        foreach (var member in type.GetMembers())
        {
            if (member is not IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.PropertySet, DeclaredAccessibility: not Accessibility.Private, IsAbstract: false } method
                || method.Name is "Dispose" or "DisposeAsync"
                || method.DeclaringSyntaxReferences.Length != 1)
            {
                continue;
            }

            var syntax = method.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);
            if (ModelFor(syntax.SyntaxTree, current).GetOperation(syntax, cancellationToken) is not { } body
                || JoinsOrWaits(body))
            {
                continue;
            }

            foreach (var operation in body.Descendants())
            {
                if (WrittenField(operation, symbols) is { } written
                    && !AsyncContext.IsInNestedFunction(operation, body)
                    && !LockScope.IsAnyLockHeld(operation))
                {
                    writes.Add(new FieldWrite(written.Field, method, written.Mutation, operation.Syntax.GetLocation()));
                }
            }
        }

        return writes.ToImmutable();
    }
#pragma warning restore RS1030

    private static (IFieldSymbol Field, bool Mutation)? WrittenField(IOperation operation, KnownSymbols symbols)
    {
        switch (operation)
        {
            case IAssignmentOperation { Target: IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } collection } }
                when OwnField(collection) is { } field && symbols.IsUnsafeCollection(field.Type):
                return (field, true);
            case IAssignmentOperation assignment when OwnField(assignment.Target) is { } field:
                return (field, false);
            case IIncrementOrDecrementOperation update when OwnField(update.Target) is { } field:
                return (field, false);
            case IInvocationOperation { Instance: { } receiver } invocation
                when SharedVariables.CollectionMutators.Contains(invocation.TargetMethod.Name)
                     && OwnField(receiver) is { } field
                     && symbols.IsUnsafeCollection(field.Type):
                return (field, true);
            default:
                return null;
        }
    }

    // A field of this object, or a static field: what the started work shares with the type's members.
    private static IFieldSymbol? OwnField(IOperation reference)
        => reference.WithoutConversions() is IFieldReferenceOperation { Field: { IsConst: false } field } fieldReference
           && (field.IsStatic || fieldReference.Instance.IsThis())
            ? field.OriginalDefinition
            : null;

    private static bool JoinsOrWaits(IOperation body)
    {
        foreach (var operation in body.Descendants())
        {
            if (operation is IInvocationOperation { TargetMethod.Name: "Join" or "Wait" or "WaitAll" } && !AsyncContext.IsInNestedFunction(operation, body))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// The method an operation belongs to for reach: its local function, else its member. Null
    /// inside a lambda that is not itself an entry point: such a lambda may run anywhere later
    /// (a continuation, an event handler), not necessarily on the method's thread.
    /// </summary>
    public static IMethodSymbol? EnclosingMethod(IOperation operation, ISymbol containingSymbol)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation:
                    return null;
                case ILocalFunctionOperation local:
                    return local.Symbol;
            }
        }

        return containingSymbol as IMethodSymbol;
    }

    // RS1030: a partial type's other parts live in other trees; each is bound once per compilation.
#pragma warning disable RS1030
    private IReadOnlyDictionary<IMethodSymbol, ConcurrentEntry> Compute(INamedTypeSymbol type, SemanticModel? current, CancellationToken cancellationToken)
    {
        var seeds = new List<ConcurrentEntry>();
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax(cancellationToken);
            var options = ThreadwiseOptions.For(_options, declaration.SyntaxTree);
            var anyCall = !options.ConcurrentEntryPoints.IsEmpty;
            SemanticModel? model = null;
            foreach (var expression in Candidates(declaration, anyCall, cancellationToken))
            {
                if (!MayReachMembersOf(expression, type))
                {
                    continue;
                }

                model ??= ModelFor(declaration.SyntaxTree, current);
                AddSeeds(model.GetOperation(expression, cancellationToken), type, options, seeds);
            }
        }

        if (seeds.Count == 0)
        {
            return NoneReached;
        }

        // Entries that run concurrently with themselves win, so a method reached both ways is
        // judged by the way that races.
        var ordered = new List<ConcurrentEntry>(seeds.Count);
        ordered.AddRange(seeds.FindAll(s => s.RunsConcurrentlyWithItself));
        ordered.AddRange(seeds.FindAll(s => !s.RunsConcurrentlyWithItself));
        return Follow(ordered, type, current, cancellationToken);
    }

    private Dictionary<IMethodSymbol, ConcurrentEntry> Follow(List<ConcurrentEntry> seeds, INamedTypeSymbol type, SemanticModel? current, CancellationToken cancellationToken)
    {
        var reached = new Dictionary<IMethodSymbol, ConcurrentEntry>(SymbolEqualityComparer.Default);
        var frontier = new List<ConcurrentEntry>();
        foreach (var seed in seeds)
        {
            if (!reached.ContainsKey(seed.Method!))
            {
                reached[seed.Method!] = seed;
                frontier.Add(seed);
            }
        }

        var depth = ThreadwiseOptions.For(_options, type.DeclaringSyntaxReferences[0].SyntaxTree).InterproceduralDepth;
        for (var level = 1; level < depth && frontier.Count > 0; level++)
        {
            var next = new List<ConcurrentEntry>();
            foreach (var caller in frontier)
            {
                cancellationToken.ThrowIfCancellationRequested();
                if (Body(caller.Method!, current, cancellationToken) is not { } body)
                {
                    continue;
                }

                foreach (var call in UnlockedCalls(body))
                {
                    var callee = call.TargetMethod.OriginalDefinition;
                    if (IsFollowable(callee, type) && (callee.IsStatic || call.Instance?.WithoutConversions() is IInstanceReferenceOperation) && !reached.ContainsKey(callee))
                    {
                        var entry = caller.Through(callee, callee.IsStatic || caller.SharesThis, Syntax(callee, cancellationToken));
                        reached[callee] = entry;
                        next.Add(entry);
                    }
                }
            }

            frontier = next;
        }

        return reached;
    }

    private void AddSeeds(IOperation? operation, INamedTypeSymbol type, ThreadwiseOptions options, List<ConcurrentEntry> seeds)
    {
        switch (operation)
        {
            case IMethodReferenceOperation reference
                when IsFollowable(reference.Method.OriginalDefinition, type)
                     && _concurrency.GetEntryPoint(reference, options) is { IsValid: true } entry:
                seeds.Add(entry.Through(reference.Method.OriginalDefinition, reference.Method.IsStatic || IsSameObject(reference.Instance), Syntax(reference.Method, default)));
                break;

            // foreach (var x in xs) tasks.Add(HandleAsync(x)); await Task.WhenAll(tasks);
            case IInvocationOperation call
                when IsFollowable(call.TargetMethod.OriginalDefinition, type)
                     && call.TargetMethod.IsAsync
                     && _concurrency.AwaitedTogether(call) is { } whenAll:
                seeds.Add(new ConcurrentEntry(EntryPointKind.AsyncFanOut, whenAll, call, runsOnPool: false)
                    .Through(call.TargetMethod.OriginalDefinition, call.TargetMethod.IsStatic || IsSameObject(call.Instance), Syntax(call.TargetMethod, default)));
                break;

            case IAnonymousFunctionOperation function
                when _concurrency.GetEntryPoint(function, options) is { IsValid: true } entry:
                foreach (var call in UnlockedCalls(function.Body))
                {
                    var callee = call.TargetMethod.OriginalDefinition;
                    if (IsFollowable(callee, type))
                    {
                        var sharesThis = callee.IsStatic || IsSameObject(call.Instance) || IsCaptured(call.Instance, function.Syntax);
                        seeds.Add(entry.Through(callee, sharesThis, Syntax(callee, default)));
                    }
                }

                break;
        }
    }

    // Words one of which every entry point's text holds: `Task.Run(`, `StartNew`, `Parallel.For…`,
    // `AsParallel`, `new Thread(`, `new Timer(`, `.Elapsed +=`, `new(`, and `WhenAll`/`WhenAny` for async
    // fan-out (its seeds, a `Select` or `tasks.Add(…Async(…))`, are in the member that awaits them).
    // `new(` is a target-typed creation (`Timer Start() => new(Tick, null, 0, 100);`).
    // Words end in `(` where the entry point is a call or creation, so a `Task` return type or a
    // `Timer` field is not a hit.
    private static readonly string[] EntryWords = { "Run(", "Run<", "StartNew", "QueueUserWorkItem", "Parallel", "Thread(", "Timer(", "Task(", "Elapsed", "WhenAll", "WhenAny", "new(" };

    private static readonly SourceWordIndex EntryWordIndex = new(EntryWords, wholeWords: false);

    private static readonly string[] EntryStems = Array.ConvertAll(EntryWords, w => w.TrimEnd('(', '<'));

    /// <summary>Whether a type declaration's text names an entry point at all (a thread, timer, pool
    /// item, `Parallel`, fan-out): one lookup in the tree's word index.</summary>
    public static bool MayStartWork(SyntaxNode declaration, CancellationToken cancellationToken)
    {
        foreach (var _ in EntryWordTokens(declaration, cancellationToken))
        {
            return true;
        }

        return false;
    }

    // Each hit of an entry word in the declaration, as its token and the word's index; hits inside
    // a comment or a longer word's trivia are skipped, and so are calls and creations written without
    // arguments (`private readonly object _gate = new();`, the commonest hit of `new(`): they hand
    // nothing over, and looking them up would cost a token search each.
    private static IEnumerable<(int Word, SyntaxToken Token)> EntryWordTokens(SyntaxNode declaration, CancellationToken cancellationToken)
    {
        var span = declaration.Span;
        var hits = EntryWordIndex.Positions(declaration.SyntaxTree, cancellationToken);
        var text = declaration.SyntaxTree.GetText(cancellationToken);
        for (var w = 0; w < EntryWords.Length; w++)
        {
            var positions = hits[w];
            var opensArguments = EntryWords[w][EntryWords[w].Length - 1] == '(';
            for (var i = SourceWordIndex.FirstAtOrAfter(positions, span.Start); i < positions.Length && positions[i] < span.End; i++)
            {
                var after = positions[i] + EntryWords[w].Length;
                if (opensArguments && after < text.Length && text[after] == ')')
                {
                    continue;
                }

                var token = declaration.FindToken(positions[i]);
                if (token.Text.Contains(EntryStems[w]))
                {
                    yield return (w, token);
                }
            }
        }
    }

    /// <summary>
    /// The expressions of a type declaration that may hand work to an entry point. The tree's text is
    /// searched once for <see cref="EntryWords"/> (<see cref="SourceWordIndex"/>) and only the syntax
    /// around each hit in the type is looked at, so the bulk of the type is never walked; a
    /// <c>WhenAll</c>/<c>WhenAny</c> hit walks its member. With configured entry points (any call may
    /// be one) the whole declaration is walked.
    /// </summary>
    private static IEnumerable<ExpressionSyntax> Candidates(SyntaxNode declaration, bool anyCall, CancellationToken cancellationToken)
    {
        if (anyCall)
        {
            return Walk(declaration, declaration, anyCall);
        }

        var found = new List<ExpressionSyntax>();
        var seen = new HashSet<SyntaxNode>();
        foreach (var (w, token) in EntryWordTokens(declaration, cancellationToken))
        {
            if (EntryWords[w] is "WhenAll" or "WhenAny")
            {
                if (token.Parent?.FirstAncestorOrSelf<SyntaxNode>(n => n is MemberDeclarationSyntax or LocalFunctionStatementSyntax) is { } member && seen.Add(member))
                {
                    found.AddRange(Walk(member, declaration, anyCall));
                }

                continue;
            }

            // The calls, creations and `+=` around the word, up to its statement (a PLINQ operator
            // sits above `AsParallel()` in the chain): their arguments are the candidates.
            for (var node = token.Parent; node is not null && node != declaration && node is not (StatementSyntax or MemberDeclarationSyntax); node = node.Parent)
            {
                if (node is InvocationExpressionSyntax or BaseObjectCreationExpressionSyntax or AssignmentExpressionSyntax && seen.Add(node))
                {
                    AddArguments(node, anyCall, found);
                }
            }
        }

        return found;
    }

    // Before binding: only a candidate that names a method of the type (or may name a local function)
    // can reach one. Most lambdas handed over (`Task.Run(() => _count++)`) call none and are judged
    // by their own body, not by reach.
    private static bool MayReachMembersOf(ExpressionSyntax candidate, INamedTypeSymbol type)
    {
        var names = type.MemberNames;
        switch (candidate)
        {
            case AnonymousFunctionExpressionSyntax function:
                foreach (var node in function.Body.DescendantNodesAndSelf())
                {
                    if (node is InvocationExpressionSyntax { Expression: var called }
                        && (called is IdentifierNameSyntax or GenericNameSyntax || (Name(called) is { } name && SymbolFacts.Contains(names, name))))
                    {
                        return true; // an unqualified call may be a local function; a qualified one names a member
                    }
                }

                return false;
            case InvocationExpressionSyntax started:
                return Name(started.Expression) is { } startedName && (SymbolFacts.Contains(names, startedName) || started.Expression is IdentifierNameSyntax);
            default:
                return Name(candidate) is { } groupName && (SymbolFacts.Contains(names, groupName) || candidate is IdentifierNameSyntax or GenericNameSyntax);
        }
    }

    private static void AddArguments(SyntaxNode owner, bool anyCall, List<ExpressionSyntax> found)
    {
        var arguments = owner switch
        {
            InvocationExpressionSyntax invocation => invocation.ArgumentList.Arguments,
            BaseObjectCreationExpressionSyntax { ArgumentList: { } list } => list.Arguments,
            _ => default,
        };
        foreach (var argument in arguments)
        {
            if (IsHandedOver(argument.Expression, anyCall))
            {
                found.Add(argument.Expression);
            }
        }

        if (owner is AssignmentExpressionSyntax assignment && IsHandedOver(assignment.Right, anyCall))
        {
            found.Add(assignment.Right);
        }
    }

    private static IEnumerable<ExpressionSyntax> Walk(SyntaxNode root, SyntaxNode declaration, bool anyCall)
    {
        foreach (var node in root.DescendantNodes(n => n == declaration || n is not BaseTypeDeclarationSyntax))
        {
            if (node is ExpressionSyntax expression && IsHandedOver(expression, anyCall))
            {
                yield return expression;
            }
        }
    }

    // `this`, a field of `this` or a static field: the same object for every run of the delegate.
    private static bool IsSameObject(IOperation? instance)
        => instance?.WithoutConversions() switch
        {
            null => true,
            IInstanceReferenceOperation self => self.IsThis(),
            IFieldReferenceOperation { Field.IsStatic: true } => true,
            IFieldReferenceOperation { Instance: var owner } => owner.IsThis(),
            _ => false,
        };

    // A local or parameter declared outside the lambda: captured, so shared by its runs.
    private static bool IsCaptured(IOperation? instance, SyntaxNode function)
    {
        var symbol = instance?.WithoutConversions() switch
        {
            ILocalReferenceOperation local => (ISymbol)local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            _ => null,
        };
        return symbol is not null && SharedVariables.DeclaredOutside(symbol, function);
    }

    // Calls in this body, not inside nested lambdas or local function declarations, made while no lock is held.
    private static IEnumerable<IInvocationOperation> UnlockedCalls(IOperation body)
    {
        var stack = new Stack<IOperation>();
        stack.Push(body);
        while (stack.Count > 0)
        {
            var current = stack.Pop();
            foreach (var child in current.ChildOperations)
            {
                if (child is IAnonymousFunctionOperation or ILocalFunctionOperation)
                {
                    continue;
                }

                if (child is IInvocationOperation invocation && !LockScope.IsAnyLockHeld(invocation))
                {
                    yield return invocation;
                }

                stack.Push(child);
            }
        }
    }

    // The analysis driver's own model for the tree being analyzed: its bound bodies are reused,
    // not bound a second time. Other trees (other parts of a partial type) get the compilation's.
    private SemanticModel ModelFor(SyntaxTree tree, SemanticModel? current)
        => current is not null && current.SyntaxTree == tree ? current : _compilation.GetSemanticModel(tree);

    private static bool IsFollowable(IMethodSymbol method, INamedTypeSymbol type)
        => method.MethodKind is MethodKind.Ordinary or MethodKind.LocalFunction
           && !method.IsAbstract
           && !method.IsExtern
           && (!(method.IsVirtual || method.IsOverride) || method.IsSealed || method.ContainingType.IsSealed)
           && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, type)
           && method.DeclaringSyntaxReferences.Length == 1;

    private static SyntaxNode Syntax(IMethodSymbol method, CancellationToken cancellationToken)
        => method.OriginalDefinition.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken);

    private IOperation? Body(IMethodSymbol method, SemanticModel? current, CancellationToken cancellationToken)
    {
        var syntax = Syntax(method, cancellationToken);
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

        var operation = ModelFor(body.SyntaxTree, current).GetOperation(syntax, cancellationToken);
        return operation is ILocalFunctionOperation localFunction ? localFunction.Body : operation;
    }
#pragma warning restore RS1030

    private static readonly HashSet<string> EntryMethodNames = new()
    {
        "Run", "StartNew", "QueueUserWorkItem", "UnsafeQueueUserWorkItem", "For", "ForEach", "ForEachAsync", "Invoke",
    };

    private static readonly HashSet<string> EntryTypeNames = new() { "Thread", "Timer", "Task" };

    /// <summary>
    /// A cheap syntactic filter before binding: a lambda, anonymous method or possible method group
    /// passed to <c>Task.Run</c>-like calls written with their owner (or to any call when entry points
    /// are configured), as the first argument of <c>new Thread/Timer/Task</c>, or added to an
    /// <c>Elapsed</c> event; an async lambda or <c>…Async</c> method group given to <c>Select</c>; a
    /// <c>…Async</c> call added to a list in a loop.
    /// </summary>
    private static bool IsHandedOver(ExpressionSyntax expression, bool anyCall)
    {
        // `tasks.Add(HandleAsync(x))` in a loop: a task started per item, awaited together later.
        if (expression is InvocationExpressionSyntax started)
        {
            return started.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax add } }
                   && Name(add.Expression) == "Add"
                   && EndsWithAsync(Name(started.Expression))
                   && IsInLoop(add);
        }

        if (expression is not (AnonymousFunctionExpressionSyntax or IdentifierNameSyntax or MemberAccessExpressionSyntax or GenericNameSyntax))
        {
            return false;
        }

        // `xs.Select(async x => …)`, `xs.Select(HandleAsync)`: async fan-out when awaited together.
        if (expression.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax select } }
            && Name(select.Expression) == "Select"
            && !IsOnAsParallel(select.Expression))
        {
            return expression is AnonymousFunctionExpressionSyntax function
                ? function.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword)
                : EndsWithAsync(Name(expression));
        }

        switch (expression.Parent)
        {
            case AssignmentExpressionSyntax assignment when assignment.IsKind(SyntaxKind.AddAssignmentExpression) && assignment.Right == expression:
                return Name(assignment.Left) == "Elapsed";
            case ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation } }:
                return anyCall || IsEntryCall(invocation.Expression) || IsOnAsParallel(invocation.Expression);
            case ArgumentSyntax { Parent: ArgumentListSyntax { Parent: ObjectCreationExpressionSyntax creation } arguments } argument:
                return arguments.Arguments[0] == argument && EntryTypeNames.Contains(Name(creation.Type) ?? string.Empty);
            case ArgumentSyntax { Parent: ArgumentListSyntax { Parent: ImplicitObjectCreationExpressionSyntax } arguments } argument:
                return arguments.Arguments[0] == argument;
            default:
                return false;
        }
    }

    // `Task.Run`, `Task.Factory.StartNew`, `ThreadPool.QueueUserWorkItem`, `Parallel.ForEach`: the
    // owner is written before the name (a `handler.Invoke(…)` or `list.ForEach(…)` is not bound).
    private static bool IsEntryCall(ExpressionSyntax called)
        => called is MemberAccessExpressionSyntax { Expression: var owner } access
           && EntryMethodNames.Contains(access.Name.Identifier.ValueText)
           && Name(owner) is "Task" or "Factory" or "ThreadPool" or "Parallel";

    private static bool EndsWithAsync(string? name) => name is not null && name.EndsWith("Async", System.StringComparison.Ordinal);

    private static bool IsInLoop(SyntaxNode node)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ForStatementSyntax or CommonForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax:
                    return true;
                case MemberDeclarationSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax:
                    return false;
            }
        }

        return false;
    }

    private static string? Name(SyntaxNode node) => node switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        GenericNameSyntax generic => generic.Identifier.ValueText,
        MemberAccessExpressionSyntax access => Name(access.Name),
        QualifiedNameSyntax qualified => Name(qualified.Right),
        AliasQualifiedNameSyntax alias => Name(alias.Name),
        MemberBindingExpressionSyntax binding => Name(binding.Name),
        _ => null,
    };

    // `paths.AsParallel().Where(…).Select(Parse)`: a PLINQ operator somewhere after AsParallel.
    private static bool IsOnAsParallel(ExpressionSyntax called)
    {
        for (var current = (called as MemberAccessExpressionSyntax)?.Expression; current is not null;)
        {
            if (current is InvocationExpressionSyntax invocation)
            {
                if (Name(invocation.Expression) is "AsParallel")
                {
                    return true;
                }

                current = (invocation.Expression as MemberAccessExpressionSyntax)?.Expression;
            }
            else
            {
                current = (current as MemberAccessExpressionSyntax)?.Expression;
            }
        }

        return false;
    }
}

/// <summary>An unguarded write or mutation of a field by a member of its type.</summary>
internal sealed class FieldWrite
{
    public FieldWrite(IFieldSymbol field, IMethodSymbol member, bool mutation, Location location)
    {
        Field = field;
        Member = member;
        Mutation = mutation;
        Location = location;
    }

    public IFieldSymbol Field { get; }

    public IMethodSymbol Member { get; }

    public bool Mutation { get; }

    public Location Location { get; }
}
