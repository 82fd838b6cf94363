using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// Is a task known to be complete where it is waited on? Then <c>.Result</c> does not block and
/// there is nothing to report. Known complete, on every path to the wait:
/// <list type="bullet">
/// <item><c>Task.FromResult/FromException/FromCanceled</c>, <c>Task.CompletedTask</c>, or a local
/// last assigned one of them;</item>
/// <item>a task awaited earlier (alone or in an awaited <c>Task.WhenAll</c>; also directly in a
/// <c>try</c> block whose every catch throws or returns), waited earlier without
/// a timeout (<c>Wait()</c>, <c>Task.WaitAll</c>, <c>.Result</c>), or run with <c>RunSynchronously</c>;</item>
/// <item>a wait inside a completion check (<c>if (t.IsCompleted)</c>, <c>t.Wait(timeout) &amp;&amp; …</c>,
/// <c>case TaskStatus.RanToCompletion:</c>) or after a guard that leaves unless the task is complete
/// (<c>if (!t.IsCompleted) return;</c>, <c>while (!t.IsCompleted) …</c>);</item>
/// <item>the winner of <c>await Task.WhenAny(t, cancel.Task); token.ThrowIfCancellationRequested();</c>;</item>
/// <item>a read of the content of a response <c>HttpClient</c> buffered (<c>response.Content.ReadAsStringAsync()</c>);</item>
/// <item>a continuation's antecedent, and a custom awaiter's <c>GetResult</c>.</item>
/// </list>
/// A reassignment of the variable between the completing statement and the wait resets it. The
/// flow analysis is syntactic and deliberately simple: what it cannot prove is not complete.
/// </summary>
internal static class KnownCompleteTasks
{
    // TaskStatus.RanToCompletion, Canceled and Faulted: the statuses of a finished task.
    private const int FirstFinalStatus = 5;
    private const int LastFinalStatus = 7;

    public static bool IsKnownComplete(IOperation task, KnownSymbols symbols)
    {
        task = Unwrap(task);
        if (IsCompleteValue(task, symbols))
        {
            return true;
        }

        var target = ReferencedSymbol(task);
        IOperation? path = null;
        if (target is null && task is IMemberReferenceOperation member && IsPath(task))
        {
            // `_lazy._instance.Value`: a chain of fields and properties, compared link by link.
            target = member.Member;
            path = task;
        }
        else if (target is null && ElementOf(task) is { } collectionOfElement && IsStableElement(task, collectionOfElement))
        {
            // `if (!tasks[i].IsCompletedSuccessfully) continue; var winner = tasks[i].Result;` (Orleans' directory
            // hand-off, and its membership probes over a List): the same element, by the same loop index, compared
            // as a path from the array or list.
            target = ReferencedSymbol(collectionOfElement);
            path = target is null ? null : task;
        }

        var collection = ElementSourceCollection(task, out var elementMember);
        if (target is null && collection is null)
        {
            return false;
        }

        var subject = new Subject(target, collection, symbols, path, elementMember);
        return IsInsideCompletionCheck(task, subject)
               || IsContinuationAntecedent(task, subject, symbols)
               || IsInCustomAwaiterGetResult(task, symbols)
               || IsCompletedByEarlierStatement(task, subject);
    }

    /// <summary>Strips conversions, parentheses and <c>ConfigureAwait(...)</c>.</summary>
    /// <summary>
    /// A parameter of a method only this compilation can call, never reassigned in it, that every
    /// call passes a task known complete there: <c>if (attempt.IsCompleted) Forward(attempt);</c> and
    /// <c>attempt.ContinueWith(t => Forward(t))</c>, or that is handed to a task's <c>ContinueWith</c> as
    /// a method group (its first parameter is then the antecedent). Expensive (binds the callers' trees): ask it only
    /// for would-be findings.
    /// </summary>
    public static bool IsCompleteAtEveryCall(IOperation task, IMethodSymbol method, KnownSymbols symbols, Compilation compilation, System.Threading.CancellationToken cancellationToken)
    {
        // `var resultTask = completedWorkItem.Result;` (Orleans' placement service): the task member of a parameter,
        // complete when every call hands an object whose task member is known complete there.
        var holder = ParameterWhoseTaskMemberIs(task, symbols);
        var viaMember = holder is not null;
        if ((holder ?? (Unwrap(task) as IParameterReferenceOperation)?.Parameter) is not { } parameter
            || !SymbolEqualityComparer.Default.Equals(parameter.ContainingSymbol, method)
            || parameter.RefKind != RefKind.None
            || method.IsVirtual || method.IsAbstract || method.IsOverride
            || SymbolFacts.IsVisibleOutsideAssembly(method)
            || LocalReferences.IsParameterAssigned(parameter, task))
        {
            return false;
        }

        // Uses as a continuation are skipped and counted: a method used only that way still qualifies.
        var continuations = 0;
        if (CallSites.InTheCompilation(method, compilation, (name, model) => IsContinuationOfItsParameter(name, model, parameter, symbols) && ++continuations > 0, cancellationToken) is not { } calls
            || calls.Count + continuations == 0)
        {
            return false;
        }

        foreach (var call in calls)
        {
            if (ArgumentFor(call.Invocation, parameter.Ordinal) is not { } argument
                || !(viaMember ? IsTaskMemberKnownComplete(argument, symbols) : IsKnownComplete(argument, symbols)))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>
    /// <c>completedWorkItem.Result</c>, or a local initialised with it and not assigned again: the one task-typed
    /// field or property of a parameter's type, read from the parameter. Returns that parameter.
    /// </summary>
    public static IParameterSymbol? ParameterWhoseTaskMemberIs(IOperation task, KnownSymbols symbols)
    {
        var value = Unwrap(task);
        if (value is ILocalReferenceOperation { Local: var local }
            && LocalDeclarations.GetInitializer(local, value) is { } declaration
            && !LocalReferences.IsReassigned(declaration.Body, local))
        {
            value = Unwrap(declaration.Value);
        }

        return value is IMemberReferenceOperation { Instance: IParameterReferenceOperation { Parameter: { RefKind: RefKind.None } parameter }, Member: var member }
               && value is IFieldReferenceOperation or IPropertyReferenceOperation { Arguments.IsEmpty: true }
               && SymbolEqualityComparer.Default.Equals(SingleTaskMember(parameter.Type, symbols), member.OriginalDefinition)
               && !AssignsMemberOf(AsyncContext.GetFunctionBody(value), parameter, member)
            ? parameter
            : null;
    }

    // `item.Result = Next();` anywhere in the function: the member may hold another task by the time it is read.
    private static bool AssignsMemberOf(IOperation body, IParameterSymbol parameter, ISymbol member)
    {
        foreach (var operation in body.Descendants())
        {
            if (operation is IAssignmentOperation { Target: IMemberReferenceOperation { Instance: IParameterReferenceOperation { Parameter: var owner }, Member: var written } }
                && SymbolEqualityComparer.Default.Equals(owner, parameter)
                && SymbolEqualityComparer.Default.Equals(written.OriginalDefinition, member.OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// At a call, the argument (a local, parameter or field) holds an object whose one task member is known complete
    /// there: <c>if (workItem.Result.IsCompleted) AddressWaitingMessages(workItem);</c>.
    /// </summary>
    public static bool IsTaskMemberKnownComplete(IOperation argument, KnownSymbols symbols)
    {
        var holder = Unwrap(argument);
        if (ReferencedSymbol(holder) is null
            || SingleTaskMember(holder.Type, symbols) is not { } member
            || AsyncContext.GetFunctionBody(argument) is not { } body)
        {
            return false;
        }

        // The member read somewhere in the function, as a path to compare the checks with.
        foreach (var operation in body.Descendants())
        {
            if (operation is IMemberReferenceOperation { Instance: { } instance } read
                && SymbolEqualityComparer.Default.Equals(read.Member.OriginalDefinition, member)
                && SamePath(instance, holder))
            {
                var subject = new Subject(read.Member, null, symbols, read);
                return IsInsideCompletionCheck(argument, subject) || IsCompletedByEarlierStatement(argument, subject);
            }
        }

        return false;
    }

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<ITypeSymbol, System.Runtime.CompilerServices.StrongBox<ISymbol?>> TaskMembers = new();

    // The one instance field or argument-less property of the type (or its bases) whose type is a Task, or null when
    // there is none or more than one. Asked of every class argument of a summarised call: cached per type.
    private static ISymbol? SingleTaskMember(ITypeSymbol? type, KnownSymbols symbols)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } named || named.SpecialType != SpecialType.None)
        {
            return null;
        }

        var definition = named.OriginalDefinition;
        if (TaskMembers.TryGetValue(definition, out var known))
        {
            return known.Value;
        }

        var value = FindSingleTaskMember(definition, symbols);
        return TaskMembers.GetValue(definition, _ => new System.Runtime.CompilerServices.StrongBox<ISymbol?>(value)).Value;
    }

    private static ISymbol? FindSingleTaskMember(ITypeSymbol type, KnownSymbols symbols)
    {
        ISymbol? found = null;
        for (var current = type as INamedTypeSymbol; current is not null && current.SpecialType != SpecialType.System_Object; current = current.BaseType)
        {
            foreach (var member in current.GetMembers())
            {
                var memberType = member switch
                {
                    IFieldSymbol { IsStatic: false, IsImplicitlyDeclared: false } field => field.Type,
                    IPropertySymbol { IsStatic: false, IsIndexer: false } property => property.Type,
                    _ => null,
                };

                if (memberType is not null && symbols.IsTaskType(memberType))
                {
                    if (found is not null)
                    {
                        return null;
                    }

                    found = member.OriginalDefinition;
                }
            }
        }

        return found;
    }

    // `readTask.ContinueWith(OnReceive, …)` with `void OnReceive(Task<int> readTask)` (the Cassandra
    // driver's socket): a method group handed to a task's ContinueWith as the continuation receives
    // the antecedent, which is complete, as its first parameter.
    private static bool IsContinuationOfItsParameter(Microsoft.CodeAnalysis.CSharp.Syntax.SimpleNameSyntax name, SemanticModel model, IParameterSymbol parameter, KnownSymbols symbols)
    {
        if (parameter.Ordinal != 0)
        {
            return false;
        }

        var group = name.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.MemberAccessExpressionSyntax access && access.Name == name ? (SyntaxNode)access : name;
        return group.Parent is Microsoft.CodeAnalysis.CSharp.Syntax.ArgumentSyntax { Parent.Parent: Microsoft.CodeAnalysis.CSharp.Syntax.InvocationExpressionSyntax continueWith } argument
               && model.GetOperation(continueWith) is IInvocationOperation { TargetMethod.Name: "ContinueWith", Instance: { } antecedent } operation
               && symbols.IsTaskType(antecedent.Type)
               && operation.Arguments.Length > 0
               && operation.Arguments[0].Syntax == argument;
    }

    private static IOperation? ArgumentFor(IInvocationOperation invocation, int ordinal)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Ordinal == ordinal && argument.ArgumentKind == ArgumentKind.Explicit)
            {
                return argument.Value;
            }
        }

        return null;
    }

    public static IOperation Unwrap(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    continue;
                case IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } instance }:
                    operation = instance;
                    continue;
                default:
                    return operation;
            }
        }
    }

    // `Task.FromResult(…)`; `await Task.WhenAny(…)`: the task WhenAny hands back is the one that
    // finished; `Flush(async: false)`: a dual-path method asked for its synchronous path ran to the end;
    // `TryRemove(key, disposeKey: false)`: the constant keeps the call off its only path that starts work;
    // `IsValidAsync(option, args)` whose every return is `Task.FromResult(…)` or such a helper: computed already;
    // `InvokeService(() => Task.FromResult(x), log)` whose only awaits await that delegate: ran to its end;
    // `response.Content.ReadAsStringAsync()` of a response HttpClient read whole: the body is in memory.
    private static bool IsCompleteValue(IOperation value, KnownSymbols symbols)
        => IsCompletedFactory(value, symbols)
           || BufferedHttpContent.IsReadOfBufferedContent(value, symbols)
           || (value is IInvocationOperation call && (SyncAsyncBranches.AsksForTheSynchronousPath(call) || CompleteForArguments.ReturnsACompleteTask(call) || CompleteForArguments.RunsNoAwait(call) || CompleteForArguments.AwaitsOnlyFinishedDelegates(call)
                                                   || SynchronousResults.ReturnsAFinishedResult(call, symbols)))
           || (value is IAwaitOperation awaited
               && AwaitedTask(awaited.Operation, symbols) is IInvocationOperation { TargetMethod: { Name: "WhenAny", IsStatic: true } whenAny }
               && SymbolEqualityComparer.Default.Equals(whenAny.ContainingType, symbols.Task));

    // The task under `.ConfigureAwait(false)` or an extension wrapper of the same kind — a method on a
    // task that returns an awaitable other than a task (Hazelcast's `.CfAwait()`, Foundatio's
    // `.AnyContext()`): awaiting it gives the task's own result.
    private static IOperation AwaitedTask(IOperation awaited, KnownSymbols symbols)
    {
        var current = Unwrap(awaited);
        if (current is IInvocationOperation { TargetMethod: { IsExtensionMethod: true } wrapper, Arguments: { Length: > 0 } arguments }
            && !symbols.IsTaskType(wrapper.ReturnType)
            && !symbols.IsValueTaskType(wrapper.ReturnType)
            && Unwrap(arguments[0].Value) is { } task
            && symbols.IsTaskType(task.Type))
        {
            return task;
        }

        return current;
    }

    /// <summary><c>Task.CompletedTask</c>, <c>Task.FromResult(…)</c>, <c>FromException</c>, <c>FromCanceled</c>
    /// (also of <c>ValueTask</c>): a task finished when it is made.</summary>
    public static bool IsFinishedTaskValue(IOperation value, KnownSymbols symbols) => IsCompletedFactory(Unwrap(value), symbols);

    public static bool IsCompletedFactory(IOperation task, KnownSymbols symbols)
    {
        var (member, type) = task switch
        {
            IInvocationOperation { TargetMethod: { IsStatic: true } method } => (method.Name, method.ContainingType),
            IPropertyReferenceOperation { Property: { IsStatic: true } property } => (property.Name, property.ContainingType),
            _ => (null, null),
        };

        return member is "FromResult" or "FromException" or "FromCanceled" or "CompletedTask"
               && type is not null
               && (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, symbols.Task)
                   || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, symbols.ValueTask)
                   || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, symbols.ValueTaskOfT));
    }

    private static ISymbol? ReferencedSymbol(IOperation operation) => Unwrap(operation) switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
        _ => null,
    };

    // The array of `tasks[i]`, or the list (any one-argument indexer's owner) of `list[i]`.
    private static IOperation? ElementOf(IOperation operation) => operation switch
    {
        IArrayElementReferenceOperation element => element.ArrayReference,
        IPropertyReferenceOperation { Property.IsIndexer: true, Arguments.Length: 1, Instance: { } list } => list,
        _ => null,
    };

    private static System.Collections.Immutable.ImmutableArray<IOperation> IndicesOf(IOperation element) => element switch
    {
        IArrayElementReferenceOperation array => array.Indices,
        IPropertyReferenceOperation indexer => System.Collections.Immutable.ImmutableArray.CreateRange(indexer.Arguments, argument => (IOperation)argument.Value),
        _ => System.Collections.Immutable.ImmutableArray<IOperation>.Empty,
    };

    // `tasks[i]` of a local, parameter or field array or list, indexed by constants or by the variable of a `for`
    // loop around it that the loop's body never writes: within one round it names one element. (A call that
    // mutates an array it is handed is not seen, as for any variable.)
    private static bool IsStableElement(IOperation element, IOperation collection)
    {
        if (ReferencedSymbol(collection) is not { } collectionSymbol)
        {
            return false;
        }

        // A list can also be changed by its own methods (`Insert`, `RemoveAt`, `Clear`) while the loop runs.
        if (element is IPropertyReferenceOperation && CallsMethodsOf(collectionSymbol, element))
        {
            return false;
        }

        foreach (var index in IndicesOf(element))
        {
            if (Unwrap(index).ConstantValue.HasValue)
            {
                continue;
            }

            if (Unwrap(index) is not ILocalReferenceOperation { Local: var local } || !IsUnwrittenForVariable(local, element))
            {
                return false;
            }
        }

        return true;
    }

    // An instance method of the collection called in the `for` loop around the element, or anywhere in the function
    // when there is no such loop (`tasks.RemoveAt(0)` shifts the elements).
    private static bool CallsMethodsOf(ISymbol collection, IOperation use)
    {
        IOperation scope = AsyncContext.GetFunctionBody(use);
        for (var current = use.Parent; current is not null; current = current.Parent)
        {
            if (current is IForLoopOperation loop)
            {
                scope = loop;
                break;
            }
        }

        foreach (var descendant in scope.Descendants())
        {
            if (descendant is IInvocationOperation { Instance: { } receiver } && SymbolEqualityComparer.Default.Equals(ReferencedSymbol(receiver), collection))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsUnwrittenForVariable(ILocalSymbol local, IOperation use)
    {
        for (var current = use.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }

            if (current is IForLoopOperation loop && System.Linq.Enumerable.Contains(loop.Locals, local, SymbolEqualityComparer.Default))
            {
                foreach (var descendant in loop.Body.Descendants())
                {
                    if (IsWriteOf(descendant, local)
                        || descendant is IIncrementOrDecrementOperation { Target: var stepped } && SymbolEqualityComparer.Default.Equals(ReferencedSymbol(stepped), local))
                    {
                        return false;
                    }
                }

                return true;
            }
        }

        return false;
    }

    // A chain of locals, parameters, `this`, fields and argument-less properties (`a?.B` reads `a`).
    private static bool IsPath(IOperation operation) => Unwrap(operation) switch
    {
        ILocalReferenceOperation or IParameterReferenceOperation or IInstanceReferenceOperation => true,
        IConditionalAccessInstanceOperation instance => ConditionalReceiver(instance) is { } receiver && IsPath(receiver),
        IFieldReferenceOperation field => field.Instance is null || IsPath(field.Instance),
        IPropertyReferenceOperation property => property.Arguments.IsEmpty && (property.Instance is null || IsPath(property.Instance)),
        _ => false,
    };

    private static bool SamePath(IOperation a, IOperation b)
    {
        a = Unwrap(a);
        b = Unwrap(b);
        if (a is IConditionalAccessInstanceOperation conditionalA && ConditionalReceiver(conditionalA) is { } receiverA)
        {
            a = Unwrap(receiverA);
        }

        if (b is IConditionalAccessInstanceOperation conditionalB && ConditionalReceiver(conditionalB) is { } receiverB)
        {
            b = Unwrap(receiverB);
        }

        return (a, b) switch
        {
            (ILocalReferenceOperation x, ILocalReferenceOperation y) => SymbolEqualityComparer.Default.Equals(x.Local, y.Local),
            (IParameterReferenceOperation x, IParameterReferenceOperation y) => SymbolEqualityComparer.Default.Equals(x.Parameter, y.Parameter),
            (IInstanceReferenceOperation, IInstanceReferenceOperation) => true,
            (IArrayElementReferenceOperation x, IArrayElementReferenceOperation y) => SamePath(x.ArrayReference, y.ArrayReference) && SameIndices(x.Indices, y.Indices),
            (IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } xs } x, IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } ys } y)
                => SymbolEqualityComparer.Default.Equals(x.Property, y.Property) && SamePath(xs, ys) && SameIndices(IndicesOf(x), IndicesOf(y)),
            (IMemberReferenceOperation x, IMemberReferenceOperation y) when x is IFieldReferenceOperation or IPropertyReferenceOperation
                => SymbolEqualityComparer.Default.Equals(x.Member, y.Member)
                   && (x.Instance is null ? y.Instance is null : y.Instance is not null && SamePath(x.Instance, y.Instance)),
            _ => false,
        };
    }

    private static bool SameIndices(System.Collections.Immutable.ImmutableArray<IOperation> a, System.Collections.Immutable.ImmutableArray<IOperation> b)
    {
        if (a.Length != b.Length)
        {
            return false;
        }

        for (var i = 0; i < a.Length; i++)
        {
            var (x, y) = (Unwrap(a[i]), Unwrap(b[i]));
            var same = x.ConstantValue.HasValue
                ? y.ConstantValue.HasValue && Equals(x.ConstantValue.Value, y.ConstantValue.Value)
                : x is ILocalReferenceOperation left && y is ILocalReferenceOperation right && SymbolEqualityComparer.Default.Equals(left.Local, right.Local);
            if (!same)
            {
                return false;
            }
        }

        return true;
    }

    // In `content?.ConsumptionTask`, what the `?.` tests: the receiver of the conditional access that
    // holds this instance in its WhenNotNull part.
    private static IOperation? ConditionalReceiver(IConditionalAccessInstanceOperation instance)
    {
        IOperation child = instance;
        for (var current = instance.Parent; current is not null; child = current, current = current.Parent)
        {
            if (current is IConditionalAccessOperation access && access.WhenNotNull == child)
            {
                return access.Operation;
            }
        }

        return null;
    }

    // tasks[i], the variable of `foreach (var t in tasks)`, or an element LINQ picks (`tasks.First(t =>
    // !t.Result.Success)`, found dogfooding CryptoExchange.Net): complete when `tasks` was awaited as a whole.
    // Also the task member of an element: `foreach (var (key, task) in keyed) … task.Result` or `foreach (var item
    // in keyed) … item.Task.Result` (the MCP SDK's input requests): complete when a projection of `keyed` onto
    // that member was awaited as a whole (`Task.WhenAll(Array.ConvertAll(keyed, k => k.Task))`).
    private static ISymbol? ElementSourceCollection(IOperation task, out ISymbol? elementMember)
    {
        elementMember = null;
        if (task is IMemberReferenceOperation { Member: IFieldSymbol or IPropertySymbol, Instance: ILocalReferenceOperation item } member
            && ForEachOver(item.Local, task) is { } itemLoop
            && itemLoop.LoopControlVariable is IVariableDeclaratorOperation)
        {
            elementMember = ElementMember(member.Member);
            return ReferencedSymbol(itemLoop.Collection);
        }

        if (task is ILocalReferenceOperation deconstructed
            && ForEachOver(deconstructed.Local, task) is { LoopControlVariable: IDeclarationExpressionOperation { Expression: ITupleOperation tuple } } tupleLoop
            && tupleLoop.Collection.WithoutConversions().Type is { } collectionType
            && ElementType(collectionType) is INamedTypeSymbol { IsTupleType: true } elementType)
        {
            for (var i = 0; i < tuple.Elements.Length && i < elementType.TupleElements.Length; i++)
            {
                if (tuple.Elements[i] is ILocalReferenceOperation { IsDeclaration: true } declared
                    && SymbolEqualityComparer.Default.Equals(declared.Local, deconstructed.Local))
                {
                    elementMember = ElementMember(elementType.TupleElements[i]);
                    return ReferencedSymbol(tupleLoop.Collection);
                }
            }

            return null;
        }

        switch (task)
        {
            case IArrayElementReferenceOperation element:
                return ReferencedSymbol(element.ArrayReference);
            case IInvocationOperation { TargetMethod: { Name: "First" or "FirstOrDefault" or "Last" or "LastOrDefault" or "Single" or "SingleOrDefault" or "ElementAt" or "ElementAtOrDefault", IsExtensionMethod: true } picker, Arguments: { Length: > 0 } picked }
                when picker.ContainingType is { Name: "Enumerable", ContainingNamespace: { Name: "Linq", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } }:
                return ReferencedSymbol(Unwrap(picked[0].Value));
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance }:
                return ReferencedSymbol(instance);
            case ILocalReferenceOperation local:
                for (var current = task.Parent; current is not null; current = current.Parent)
                {
                    if (current is IForEachLoopOperation loop
                        && loop.LoopControlVariable is IVariableDeclaratorOperation declarator
                        && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local.Local))
                    {
                        return ReferencedSymbol(loop.Collection);
                    }

                    if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                    {
                        break;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    // The foreach loop (around `use`, in the same function) whose iteration declares `local`.
    private static IForEachLoopOperation? ForEachOver(ILocalSymbol local, IOperation use)
    {
        for (var current = use.Parent; current is not null; current = current.Parent)
        {
            if (current is IForEachLoopOperation loop && System.Linq.Enumerable.Contains(loop.Locals, local, SymbolEqualityComparer.Default))
            {
                return loop;
            }

            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return null;
            }
        }

        return null;
    }

    // A tuple element's field stands for its position: `k.Task` and the second name of `var (key, task)`.
    private static ISymbol ElementMember(ISymbol member)
        => member is IFieldSymbol { CorrespondingTupleField: { } position } ? position : member;

    private static ITypeSymbol? ElementType(ITypeSymbol collection)
        => collection switch
        {
            IArrayTypeSymbol array => array.ElementType,
            INamedTypeSymbol { TypeArguments.Length: 1 } generic => generic.TypeArguments[0],
            _ => null,
        };

    // ---- checks around the wait ----------------------------------------------------------------

    // if (t.IsCompleted) { ... t.Result ... }, t.IsCompletedSuccessfully ? t.Result : ...,
    // !t.IsCompleted || t.Result, case TaskStatus.RanToCompletion: ...
    private static bool IsInsideCompletionCheck(IOperation task, Subject subject)
    {
        if (subject.Target is null)
        {
            return false;
        }

        IOperation child = task;
        for (var current = task.Parent; current is not null; child = current, current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda when !subject.IsElement && KeepsItsValueInside(lambda, subject.Target):
                    break;
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
                case IConditionalOperation conditional when conditional.WhenTrue == child && subject.Asserted(conditional.Condition):
                case IConditionalOperation conditional2 when conditional2.WhenFalse == child && subject.Denied(conditional2.Condition):
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } both when both.RightOperand == child && subject.Asserted(both.LeftOperand):
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } either when either.RightOperand == child && subject.Denied(either.LeftOperand):
                case ISwitchCaseOperation section when section.Parent is ISwitchOperation @switch && subject.IsStatus(@switch.Value) && AllFinal(section, subject):
                case ISwitchExpressionArmOperation arm when arm.Value == child && arm.Parent is ISwitchExpressionOperation expression
                                                             && subject.IsStatus(expression.Value) && subject.IsFinalStatusPattern(arm.Pattern):
                    return true;
            }
        }

        return false;
    }

    // `if (pool.TryGetValue(key, out task) && task.IsCompleted) Task.Run(() => task.Result.MarkFaulty());`
    // (ARSoft.Tools.Net's connection pool): a lambda created under the check runs later, but a task never
    // stops being complete, so it still sees a complete task — as long as the captured local or parameter
    // holds the same one: written nowhere after the lambda, in no nested function, and in no loop around
    // the lambda (the next round would hand the lambda another task).
    private static bool KeepsItsValueInside(IAnonymousFunctionOperation lambda, ISymbol? target)
    {
        if (target is not (ILocalSymbol or IParameterSymbol { RefKind: RefKind.None }))
        {
            return false;
        }

        var root = (IOperation)lambda;
        while (root.Parent is not null)
        {
            root = root.Parent;
        }

        foreach (var operation in root.Descendants())
        {
            if (IsWriteOf(operation, target)
                && (operation.Syntax.SpanStart > lambda.Syntax.SpanStart
                    || AsyncContext.IsInNestedFunction(operation, root)
                    || IsInLoopAround(operation, lambda)))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsInLoopAround(IOperation write, IOperation lambda)
    {
        for (var current = lambda.Parent; current is not null; current = current.Parent)
        {
            if (current is ILoopOperation && current.Syntax.Span.Contains(write.Syntax.Span))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AllFinal(ISwitchCaseOperation section, Subject subject)
    {
        foreach (var clause in section.Clauses)
        {
            var final = clause switch
            {
                ISingleValueCaseClauseOperation single => subject.IsFinalStatus(single.Value),
                IPatternCaseClauseOperation { Guard: null } pattern => subject.IsFinalStatusPattern(pattern.Pattern),
                _ => false,
            };
            if (!final)
            {
                return false;
            }
        }

        return section.Clauses.Length > 0;
    }

    // t.ContinueWith(antecedent => antecedent.Result), t.ContinueWith(_ => t.Result),
    // Task.Factory.ContinueWhenAll(tasks, done => done[0].Result).
    private static bool IsContinuationAntecedent(IOperation task, Subject subject, KnownSymbols symbols)
    {
        for (var current = task.Parent; current is not null; current = current.Parent)
        {
            if (current is not IAnonymousFunctionOperation lambda)
            {
                continue;
            }

            if (lambda.EnclosingArgument() is not { Parent: IInvocationOperation continuation })
            {
                continue;
            }

            if (!IsContinuationMethod(continuation.TargetMethod, symbols) || lambda.Symbol.Parameters.Length == 0)
            {
                continue;
            }

            var antecedent = lambda.Symbol.Parameters[0];
            if (SymbolEqualityComparer.Default.Equals(subject.Target, antecedent)
                || SymbolEqualityComparer.Default.Equals(subject.Collection, antecedent))
            {
                return true;
            }

            if (continuation.TargetMethod.Name == "ContinueWith"
                && continuation.Instance is { } instance
                && subject.Target is not null
                && SymbolEqualityComparer.Default.Equals(ReferencedSymbol(instance), subject.Target))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsContinuationMethod(IMethodSymbol method, KnownSymbols symbols)
    {
        var type = method.ContainingType?.OriginalDefinition;
        return method.Name switch
        {
            "ContinueWith" => SymbolEqualityComparer.Default.Equals(type, symbols.Task) || SymbolEqualityComparer.Default.Equals(type, symbols.TaskOfT),
            "ContinueWhenAll" or "ContinueWhenAny" => SymbolEqualityComparer.Default.Equals(type, symbols.TaskFactory) || SymbolEqualityComparer.Default.Equals(type, symbols.TaskFactoryOfT),
            _ => false,
        };
    }

    // An awaiter's GetResult runs after its IsCompleted said yes or its continuation fired.
    private static bool IsInCustomAwaiterGetResult(IOperation task, KnownSymbols symbols)
    {
        if (symbols.INotifyCompletion is not { } notifyCompletion)
        {
            return false;
        }

        var root = task;
        while (root.Parent is not null)
        {
            if (root.Parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }

            root = root.Parent;
        }

        return root.SemanticModel?.GetEnclosingSymbol(task.Syntax.SpanStart) is IMethodSymbol { Name: "GetResult", ContainingType: { } awaiter }
               && SymbolFacts.Implements(awaiter, notifyCompletion);
    }

    // ---- statements before the wait --------------------------------------------------------------

    private static bool IsCompletedByEarlierStatement(IOperation task, Subject subject)
    {
        var body = AsyncContext.GetFunctionBody(task);
        var waitSyntax = task.Syntax;
        foreach (var descendant in body.Descendants())
        {
            if (descendant.Syntax.Span.End > waitSyntax.SpanStart)
            {
                continue;
            }

            if (!Completes(descendant, subject)
                || AsyncContext.IsInNestedFunction(descendant, body)
                || !Dominates(descendant.Syntax, waitSyntax))
            {
                continue;
            }

            if (!IsWrittenBetween(body, subject, descendant.Syntax, waitSyntax))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Completes(IOperation operation, Subject subject)
    {
        switch (operation)
        {
            case IAwaitOperation awaited:
                return subject.IsAwaitedBy(Unwrap(awaited.Operation))
                       || (AwaitingHelpers.AwaitedArgument(Unwrap(awaited.Operation), subject.Symbols) is { } handed && subject.IsAwaitedBy(Unwrap(handed)))
                       || subject.WinsWhenAnyUnlessCanceled(awaited);
            case IInvocationOperation invocation:
                return subject.IsWaitedBy(invocation) || AssertsCompletion(invocation, subject);
            case IPropertyReferenceOperation { Property.Name: "Result", Instance: { } instance } property
                when subject.Symbols.IsTaskType(property.Property.ContainingType):
                return subject.Is(instance);
            case ISimpleAssignmentOperation assignment:
                return subject.Is(assignment.Target) && IsCompleteValue(Unwrap(assignment.Value), subject.Symbols);
            case IVariableDeclaratorOperation { Initializer.Value: { } value } declarator:
                return SymbolEqualityComparer.Default.Equals(declarator.Symbol, subject.Target)
                       && IsCompleteValue(Unwrap(value), subject.Symbols);
            case IConditionalOperation { IsRef: false } guard when guard.Syntax is IfStatementSyntax:
                return (subject.Denied(guard.Condition) && (guard.WhenTrue.AlwaysLeaves() || guard.WhenFalse is null && WaitsForIt(guard.WhenTrue, subject)))
                       || (guard.WhenFalse is { } whenFalse && subject.Asserted(guard.Condition) && whenFalse.AlwaysLeaves());
            case IWhileLoopOperation loop when loop.Condition is { } condition:
                return subject.Denied(condition) && !BreaksOut(loop);
            default:
                return false;
        }
    }

    // `ValueTask<QuicListener> task = QuicListener.ListenAsync(…); Debug.Assert(task.IsCompleted); _listener =
    // task.Result;` (IceRPC's QUIC listener, whose comment says the call completes synchronously): the assertion
    // states the invariant the author relies on, and debug builds check it. `Debug.Assert` and `Trace.Assert` of
    // the completion check only; an assertion of anything else proves nothing.
    private static bool AssertsCompletion(IInvocationOperation invocation, Subject subject)
        => invocation.TargetMethod is { Name: "Assert", IsStatic: true, ContainingType: { Name: "Debug" or "Trace" } type }
           && type.ContainingNamespace is { Name: "Diagnostics", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } }
           && invocation.Arguments.Length > 0
           && subject.Asserted(invocation.Arguments[0].Value);

    // `if (!flush.IsCompleted) await flush;` (or `flush.Wait();`): the branch that runs when the task is not
    // complete waits for it as one of its own statements, so past the `if` it is complete either way
    // (found dogfooding Bedrock's socket receive loop).
    // A statement after the wait that gives the variable another task (`await t; t = Next();`) undoes it.
    // The wait may sit in a `using` block of the branch (`using (var cancel = new CancellableTask(token))
    // { await Task.WhenAny(pending, cancel.Task); token.ThrowIfCancellationRequested(); }`).
    private static bool WaitsForIt(IOperation branch, Subject subject)
    {
        var statements = branch is IBlockOperation block ? block.Operations : System.Collections.Immutable.ImmutableArray.Create(branch);
        for (var i = 0; i < statements.Length; i++)
        {
            if (statements[i] is IExpressionStatementOperation { Operation: var expression } && Completes(expression, subject)
                || statements[i] is IUsingOperation { Body: var body } && WaitsForIt(body, subject))
            {
                return !WritesAfter(statements, i + 1, subject.Target ?? subject.Collection);
            }
        }

        return false;
    }

    private static bool WritesAfter(System.Collections.Immutable.ImmutableArray<IOperation> statements, int start, ISymbol? written)
    {
        for (var i = start; i < statements.Length; i++)
        {
            foreach (var descendant in statements[i].DescendantsAndSelf())
            {
                if (IsWriteOf(descendant, written))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool BreaksOut(ILoopOperation loop)
    {
        foreach (var descendant in loop.Body.DescendantsAndSelf())
        {
            if (descendant is IBranchOperation branch && SymbolEqualityComparer.Default.Equals(branch.Target, loop.ExitLabel))
            {
                return true;
            }
        }

        return false;
    }

    // A write to the variable after the completing statement and before the wait, or anywhere in a
    // loop around the wait that does not also hold the completing statement, undoes it.
    private static bool IsWrittenBetween(IOperation body, Subject subject, SyntaxNode from, SyntaxNode wait)
    {
        var written = subject.Target ?? subject.Collection;
        var root = subject.PathRoot; // `tcs = new …` between `tcs.SetResult(1)` and `tcs.Task.Result`
        foreach (var descendant in body.Descendants())
        {
            if (!IsWriteOf(descendant, written) && !IsWriteOf(descendant, root))
            {
                continue;
            }

            var span = descendant.Syntax.Span;
            if (span.Start >= from.Span.End && span.End <= wait.SpanStart)
            {
                return true;
            }

            if (IsInLoopAroundWaitOnly(descendant.Syntax, from, wait))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsWriteOf(IOperation operation, ISymbol? symbol)
    {
        if (symbol is null)
        {
            return false;
        }

        return operation switch
        {
            // `tasks[j] = Next();` replaces an element of `tasks`: whichever one was known complete may be gone.
            IAssignmentOperation assignment => SymbolEqualityComparer.Default.Equals(ReferencedSymbol(assignment.Target), symbol)
                                               || (ElementOf(assignment.Target) is { } collection && SymbolEqualityComparer.Default.Equals(ReferencedSymbol(collection), symbol)),
            IArgumentOperation { Parameter.RefKind: RefKind.Out or RefKind.Ref } argument => SymbolEqualityComparer.Default.Equals(ReferencedSymbol(argument.Value), symbol),
            _ => false,
        };
    }

    private static bool IsInLoopAroundWaitOnly(SyntaxNode write, SyntaxNode from, SyntaxNode wait)
    {
        for (var current = wait.Parent; current is not null; current = current.Parent)
        {
            if (current is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax)
            {
                return false;
            }

            if (current is WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or ForEachStatementSyntax
                && current.Span.Contains(write.Span))
            {
                return !current.Span.Contains(from.Span);
            }
        }

        return false;
    }

    // Syntactic dominance, deliberately simple: the completing operation is evaluated unconditionally
    // by its statement, and that statement sits in a block (or switch section) that also holds the
    // wait, before it.
    private static bool Dominates(SyntaxNode completing, SyntaxNode waitSyntax)
    {
        SyntaxNode child = completing;
        var current = completing is StatementSyntax ? completing : completing.Parent;
        for (; current is not null; child = current, current = current.Parent)
        {
            switch (current)
            {
                case ConditionalExpressionSyntax conditional when child != conditional.Condition:
                case BinaryExpressionSyntax binary when child == binary.Right
                                                        && binary.Kind() is SyntaxKind.LogicalAndExpression or SyntaxKind.LogicalOrExpression or SyntaxKind.CoalesceExpression:
                case ConditionalAccessExpressionSyntax access when child == access.WhenNotNull:
                case SwitchExpressionSyntax:
                    return false;
                case IfStatementSyntax guard when child == guard.Condition:
                    // `if (create.Task.Result != Status.Ok) { …; throw new X(create.Task.Result); }` (libplctag's
                    // tag): the condition runs before either branch, and before what follows the `if`.
                    return guard.Span.Contains(waitSyntax.Span)
                           || (guard.Parent is BlockSyntax or SwitchSectionSyntax && guard.Parent.Span.Contains(waitSyntax.Span));
                case StatementSyntax statement when statement.Parent is BlockSyntax { Parent: DoStatementSyntax loop } body
                                                    && loop.Condition.Span.Contains(waitSyntax.Span):
                    // `do { …; t = await Task.WhenAny(ts); } while (t.Result);`: the body runs before
                    // every test of the condition, unless a `continue` skips its rest.
                    return !ContinuesEarly(body);
                case StatementSyntax statement when statement.Parent is BlockSyntax { Parent: TryStatementSyntax attempt } tryBody
                                                    && tryBody == attempt.Block
                                                    && !tryBody.Span.Contains(waitSyntax.Span)
                                                    && EveryCatchLeaves(attempt):
                    // `try { await t; } catch (AggregateException e) { throw new X(e); }` then `t.Result`
                    // (the Couchbase client's replica reads): past the try, the statement ran to its end.
                    // The try statement itself now stands where the completing statement stood.
                    if (attempt.Span.Contains(waitSyntax.Span))
                    {
                        return false; // in a catch or finally
                    }

                    current = tryBody;
                    continue;
                case StatementSyntax statement when statement.Parent is BlockSyntax or SwitchSectionSyntax or GlobalStatementSyntax:
                    var scope = statement.Parent is GlobalStatementSyntax global ? global.Parent! : statement.Parent;
                    return scope.Span.Contains(waitSyntax.Span) && !statement.Span.Contains(waitSyntax.Span);
                case StatementSyntax:
                    return false;
            }
        }

        return false;
    }

    // Each catch ends by throwing or returning: no path out of the try skips the rest of its block.
    private static bool EveryCatchLeaves(TryStatementSyntax attempt)
    {
        foreach (var handler in attempt.Catches)
        {
            if (handler.Block.Statements.LastOrDefault() is not (ThrowStatementSyntax or ReturnStatementSyntax))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ContinuesEarly(BlockSyntax body)
    {
        foreach (var node in body.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax
                                                              or WhileStatementSyntax or DoStatementSyntax or ForStatementSyntax or ForEachStatementSyntax)))
        {
            if (node is ContinueStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The task being asked about: a variable, the collection it was taken from, or both.</summary>
    private sealed class Subject
    {
        private readonly IOperation? _path;

        public Subject(ISymbol? target, ISymbol? collection, KnownSymbols symbols, IOperation? path, ISymbol? elementMember = null)
        {
            _path = path;
            Target = target;
            Collection = collection;
            Symbols = symbols;
            _elementMember = elementMember;
        }

        private readonly ISymbol? _elementMember;

        public ISymbol? Target { get; }

        /// <summary>The variable a path like <c>tcs.Task</c> or <c>_lazy._instance.Value</c> starts from
        /// (a local, a parameter, or a field of this object): writing it replaces the whole path.</summary>
        public ISymbol? PathRoot
        {
            get
            {
                for (var link = _path is null ? null : Unwrap(_path); link is not null; link = link is IMemberReferenceOperation { Instance: { } instance } ? Unwrap(instance) : null)
                {
                    if (ReferencedSymbol(link) is { } symbol)
                    {
                        return symbol;
                    }
                }

                return null;
            }
        }

        public ISymbol? Collection { get; }

        /// <summary>The subject is an element of an array (<c>tasks[i]</c>): a lambda that captures the index may
        /// see another element by the time it runs.</summary>
        public bool IsElement => _path is not null && ElementOf(_path) is not null;

        public KnownSymbols Symbols { get; }

        public bool Is(IOperation operation)
            => Target is not null
               && (_path is not null ? SamePath(operation, _path) : SymbolEqualityComparer.Default.Equals(ReferencedSymbol(operation), Target));

        private bool IsCollection(IOperation operation)
            => Collection is not null
               && (_elementMember is null
                   ? SymbolEqualityComparer.Default.Equals(ReferencedSymbol(operation), Collection)
                   : IsProjectionOfCollection(operation));

        // `Array.ConvertAll(keyed, k => k.Task)`, `keyed.Select(k => k.Task)` (also `.ToArray()`/`.ToList()` of
        // it): every element's task member, the one the loop reads.
        private bool IsProjectionOfCollection(IOperation operation)
        {
            operation = Unwrap(operation);
            if (operation is IInvocationOperation { TargetMethod.Name: "ToArray" or "ToList", Arguments.Length: 1 } materialized
                && SymbolEqualityComparer.Default.Equals(materialized.TargetMethod.ContainingType, Symbols.Enumerable))
            {
                operation = Unwrap(materialized.Arguments[0].Value);
            }

            if (operation is not IInvocationOperation { Arguments.Length: 2 } projection
                || !(projection.TargetMethod.Name == "ConvertAll" && projection.TargetMethod.ContainingType?.SpecialType == SpecialType.System_Array
                     || projection.TargetMethod.Name == "Select" && SymbolEqualityComparer.Default.Equals(projection.TargetMethod.ContainingType, Symbols.Enumerable))
                || !SymbolEqualityComparer.Default.Equals(ReferencedSymbol(projection.Arguments[0].Value), Collection)
                || Unwrap(projection.Arguments[1].Value) is not IDelegateCreationOperation { Target: IAnonymousFunctionOperation { Symbol.Parameters.Length: 1 } selector })
            {
                return false;
            }

            return selector.Body.Operations.Length == 1
                   && selector.Body.Operations[0] is IReturnOperation { ReturnedValue: { } returned }
                   && Unwrap(returned) is IMemberReferenceOperation { Instance: IParameterReferenceOperation element } picked
                   && SymbolEqualityComparer.Default.Equals(element.Parameter, selector.Symbol.Parameters[0])
                   && SymbolEqualityComparer.Default.Equals(ElementMember(picked.Member), _elementMember);
        }

        /// <summary><c>await t</c>, <c>await Task.WhenAll(a, t)</c>, <c>await Task.WhenAll(tasks)</c>.</summary>
        public bool IsAwaitedBy(IOperation awaited)
        {
            if (Is(awaited))
            {
                return true;
            }

            return awaited is IInvocationOperation { TargetMethod: { Name: "WhenAll", IsStatic: true } whenAll } invocation
                   && SymbolEqualityComparer.Default.Equals(whenAll.ContainingType, Symbols.Task)
                   && ArgumentsInclude(invocation);
        }

        /// <summary><c>t.Wait()</c>, <c>t.Wait(ct)</c>, <c>Task.WaitAll(a, t)</c>, <c>t.GetAwaiter().GetResult()</c>,
        /// <c>t.RunSynchronously()</c>: all return only once the task is complete.</summary>
        public bool IsWaitedBy(IInvocationOperation invocation)
        {
            var method = invocation.TargetMethod;
            var onTask = SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, Symbols.Task)
                         || SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, Symbols.TaskOfT);
            switch (method.Name)
            {
                case "Wait" or "RunSynchronously" when onTask && !method.IsStatic && invocation.Instance is { } instance:
                    return !Timeouts.HasTimeout(invocation) && Is(instance);
                case "WaitAll" when onTask && method.IsStatic:
                    return !Timeouts.HasTimeout(invocation) && ArgumentsInclude(invocation);
                case "GetResult" when invocation.Instance is IInvocationOperation { TargetMethod.Name: "GetAwaiter", Instance: { } awaitable }:
                    return Is(Unwrap(awaitable));
                default:
                    return invocation.Instance is { } source && CompletionSources.IsCompletion(method, Symbols) && IsTaskOf(source);
            }
        }

        // `_value.TrySetResult(true); … Forward(_value.Task);` (MassTransit's one-time setup payload): once a
        // Set/TrySet call returns, the source's task is complete (TrySet returns false only when it already was).
        private bool IsTaskOf(IOperation source)
            => _path is not null
               && Unwrap(_path) is IPropertyReferenceOperation { Property.Name: "Task", Instance: { } owner }
               && CompletionSources.IsCompletionSource(owner.Type, Symbols)
               && SamePath(owner, source);

        private bool ArgumentsInclude(IInvocationOperation invocation)
        {
            foreach (var argument in invocation.Arguments)
            {
                if (IsCollection(argument.Value) || Is(argument.Value) || ElementsInclude(argument.Value))
                {
                    return true;
                }
            }

            return false;
        }

        // params Task[] (an array creation) and, on C# 13+, params ReadOnlySpan<Task> (a collection
        // expression, whose elements are its children): look at the elements written there.
        private bool ElementsInclude(IOperation value)
        {
            value = Unwrap(value);

            // `new Task[] { tree, attach }.Concat(preload)` (PuppeteerSharp's frame manager), `tasks.Append(t)`:
            // the elements of either source, or the one appended.
            if (value is IInvocationOperation { TargetMethod: { Name: "Concat" or "Append" or "Prepend", IsStatic: true } linq } sequence
                && SymbolEqualityComparer.Default.Equals(linq.ContainingType, Symbols.Enumerable))
            {
                foreach (var argument in sequence.Arguments)
                {
                    if (Is(Unwrap(argument.Value)) || ElementsInclude(argument.Value))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (value is IArrayCreationOperation { Initializer: { } initializer })
            {
                foreach (var element in initializer.ElementValues)
                {
                    if (Is(element))
                    {
                        return true;
                    }
                }

                return false;
            }

            if (value.Type is INamedTypeSymbol { IsValueType: true, Name: "ReadOnlySpan" or "Span" }
                || value.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.CollectionExpressionSyntax) // `Task.WaitAll([a, t])`
            {
                foreach (var element in value.ChildOperations)
                {
                    if (Is(element))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        // ---- conditions ----

        /// <summary>True when the condition being true proves the task complete.</summary>
        public bool Asserted(IOperation condition)
        {
            condition = Unwrap(condition);
            switch (condition)
            {
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } both:
                    return Asserted(both.LeftOperand) || Asserted(both.RightOperand);
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } either:
                    return Asserted(either.LeftOperand) && Asserted(either.RightOperand);
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } negation:
                    return Denied(negation.Operand);
                case IPropertyReferenceOperation { Property.Name: "IsCompleted" or "IsCompletedSuccessfully", Instance: { } instance }:
                    return Is(instance);
                case IInvocationOperation { TargetMethod: { IsStatic: true, ReturnType.SpecialType: SpecialType.System_Boolean } helper, Arguments: { Length: 1 } arguments }
                    when helper.Name.StartsWith("IsCompleted", System.StringComparison.Ordinal):
                    // `task.IsCompletedSuccessfully()` or `Factory.IsCompletedSuccessfully(task)`: the polyfill
                    // netstandard2.0 libraries write, as an extension (gRPC) or a static helper (dotnet/diagnostics'
                    // router factory); Newtonsoft.Json's, vendored by many, is spelled `IsCompletedSucessfully`.
                    return Is(arguments[0].Value);
                case IPropertyReferenceOperation { Property.Name: "IsFaulted" or "IsCanceled", Instance: { } instance } state
                    when Symbols.IsTaskType(state.Property.ContainingType):
                    // `if (sendTask.IsFaulted) sendTask.GetAwaiter().GetResult();`: faulted and canceled are
                    // final. (Their negation proves nothing: a running task is neither.)
                    return Is(instance);
                case IInvocationOperation { TargetMethod.Name: "Wait", Instance: { } instance } wait:
                    // t.Wait(timeout) returned true: the task finished.
                    return Timeouts.HasTimeout(wait) && Is(instance);
                case IIsTypeOperation { ValueOperand: var tested, TypeOperand: var type }:
                    return WonByType(tested, type);
                case IIsPatternOperation { Value: var tested, Pattern: IDeclarationPatternOperation { MatchedType: { } declared } }:
                    return WonByType(tested, declared);
                case IIsPatternOperation { Value: var tested, Pattern: ITypePatternOperation { MatchedType: { } matched } }:
                    return WonByType(tested, matched);
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals:
                    return (IsStatus(equals.LeftOperand) && IsFinalStatus(equals.RightOperand))
                           || (IsStatus(equals.RightOperand) && IsFinalStatus(equals.LeftOperand))
                           || (IsFalse(equals.RightOperand) && Denied(equals.LeftOperand))
                           || (IsTrue(equals.RightOperand) && Asserted(equals.LeftOperand)) // `content?.Task.IsCompleted == true`
                           || WaitAnyReturned(equals.LeftOperand, equals.RightOperand)
                           || WaitAnyReturned(equals.RightOperand, equals.LeftOperand)
                           || WhenAnyWinner(equals.LeftOperand, equals.RightOperand, winnerIsOther: true)
                           || WhenAnyWinner(equals.RightOperand, equals.LeftOperand, winnerIsOther: true);
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.NotEquals } notEquals:
                    return WhenAnyWinner(notEquals.LeftOperand, notEquals.RightOperand, winnerIsOther: false)
                           || WhenAnyWinner(notEquals.RightOperand, notEquals.LeftOperand, winnerIsOther: false);
                case IConditionalAccessOperation access:
                    // `a?.Task.IsCompleted` is true only when `a` is not null and the task is complete.
                    return Asserted(access.WhenNotNull);
                case ILocalReferenceOperation { Local: { Type.SpecialType: SpecialType.System_Boolean } flag } reference:
                    // `var tried = content?.Task.IsCompleted == true; … if (tried) content!.Task.Result` (YARP).
                    return CheckHeldIn(flag, reference) is { } check && Asserted(check);
                case IIsPatternOperation { Pattern: IRecursivePatternOperation properties } isPattern:
                    return PropertiesAssertCompletion(isPattern.Value, properties);
                case IIsPatternOperation isPattern:
                    return IsStatus(isPattern.Value) && IsFinalStatusPattern(isPattern.Pattern);
                default:
                    return false;
            }
        }

        // `_tx is { IsCompleted: true } ? _tx.Result.Id : placeholder` (Apache Ignite's lazy transaction): a
        // property pattern matches only when each of its subpatterns does, so one that asks for completion
        // (`IsCompleted: true`, `IsCompletedSuccessfully: true`, `IsFaulted: true`, `Status: TaskStatus.RanToCompletion`)
        // proves the task complete as the property read would. `IsCompleted: false` proves nothing.
        private bool PropertiesAssertCompletion(IOperation tested, IRecursivePatternOperation pattern)
        {
            if (!Is(tested))
            {
                return false;
            }

            foreach (var subpattern in pattern.PropertySubpatterns)
            {
                if (subpattern.Member is not IPropertyReferenceOperation { Property: var property })
                {
                    continue;
                }

                switch (property.Name)
                {
                    case "IsCompleted" or "IsCompletedSuccessfully" when IsTruePattern(subpattern.Pattern):
                    case "IsFaulted" or "IsCanceled" when Symbols.IsTaskType(property.ContainingType) && IsTruePattern(subpattern.Pattern):
                    case "Status" when Symbols.IsTaskType(property.ContainingType) && IsFinalStatusPattern(subpattern.Pattern):
                        return true;
                }
            }

            return false;
        }

        private static bool IsTruePattern(IPatternOperation pattern)
            => pattern is IConstantPatternOperation { Value: var value } && IsTrue(value);

        /// <summary>True when the condition being false proves the task complete.</summary>
        public bool Denied(IOperation condition)
        {
            condition = Unwrap(condition);
            switch (condition)
            {
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalOr } either:
                    return Denied(either.LeftOperand) || Denied(either.RightOperand);
                case IUnaryOperation { OperatorKind: UnaryOperatorKind.Not } negation:
                    return Asserted(negation.Operand);
                case IPropertyReferenceOperation { Property.Name: "IsCompleted", Instance: { } other } isCompleted
                    when Symbols.IsTaskType(isCompleted.Property.ContainingType):
                    return LostAWhenAnyTo(other, condition);
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals:
                    return (IsFalse(equals.RightOperand) && Asserted(equals.LeftOperand))
                           || WhenAnyWinner(equals.LeftOperand, equals.RightOperand, winnerIsOther: false)
                           || WhenAnyWinner(equals.RightOperand, equals.LeftOperand, winnerIsOther: false);
                case IIsPatternOperation { Pattern: INegatedPatternOperation { Pattern: IRecursivePatternOperation properties } } isNotPattern:
                    // `if (_tx is not { IsCompleted: true }) return;`
                    return PropertiesAssertCompletion(isNotPattern.Value, properties);
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.NotEquals } notEquals:
                    return (IsStatus(notEquals.LeftOperand) && IsFinalStatus(notEquals.RightOperand))
                           || (IsStatus(notEquals.RightOperand) && IsFinalStatus(notEquals.LeftOperand))
                           || WaitAnyReturned(notEquals.LeftOperand, notEquals.RightOperand)
                           || WaitAnyReturned(notEquals.RightOperand, notEquals.LeftOperand)
                           || WhenAnyWinner(notEquals.LeftOperand, notEquals.RightOperand, winnerIsOther: true)
                           || WhenAnyWinner(notEquals.RightOperand, notEquals.LeftOperand, winnerIsOther: true);
                default:
                    return false;
            }
        }

        // `Task.WaitAny([tcs.Task, shutdown.Task], timeout) == 0`: WaitAny returns the index of a task
        // that finished, so the element at that index is complete (OpenTelemetry's MetricReader.Collect).
        private bool WaitAnyReturned(IOperation call, IOperation index)
        {
            if (Unwrap(call) is not IInvocationOperation { TargetMethod: { Name: "WaitAny", IsStatic: true } waitAny } invocation
                || !SymbolEqualityComparer.Default.Equals(waitAny.ContainingType, Symbols.Task)
                || Unwrap(index).ConstantValue is not { HasValue: true, Value: int position }
                || position < 0
                || invocation.Arguments.Length == 0)
            {
                return false;
            }

            var elements = TasksWritten(invocation.Arguments[0].Value);
            return !elements.IsDefault && position < elements.Length && Is(elements[position]);
        }

        // `var winner = await Task.WhenAny(closeTask, receiveTask); if (winner == closeTask) break;`
        // then `receiveTask.Result` (Discord.Net's UDP socket): WhenAny of two tasks hands back one that
        // finished, so when it is not the one, it is the other. `winnerIsOther` says whether the
        // comparison holding means the winner is `other` (`==` asserted, `!=` denied) or is not.
        // The winner may also be compared where it is awaited: `if (await Task.WhenAny(task, Task.Delay(ms))
        // == task) return task.Result;` (the Apollo client's HTTP timeout).
        private bool WhenAnyWinner(IOperation winner, IOperation other, bool winnerIsOther)
        {
            if (AwaitedWhenAny(Unwrap(winner)) is not IAwaitOperation { Operation: var awaited }
                || AwaitedWhenAnyPair(awaited) is not { } pair)
            {
                return false;
            }

            var otherSymbol = ReferencedSymbol(Unwrap(other));
            if (otherSymbol is null)
            {
                return false;
            }

            for (var k = 0; k < 2; k++)
            {
                if (SymbolEqualityComparer.Default.Equals(ReferencedSymbol(Unwrap(pair[k])), otherSymbol))
                {
                    return winnerIsOther ? Is(pair[k]) : Is(pair[1 - k]);
                }
            }

            return false;
        }

        // `var winner = await Task.WhenAny(task, Task.Delay(ms)); return winner is Task<T> ? task.Result : default;`
        // (MvvmHelpers' WithTimeout): a delay's task is never a `Task<T>` of the caller's T, so a winner of
        // the subject's own generic type is the subject. Only against `Task.Delay`: any other task may be a
        // `Task<T>` at run time whatever its static type.
        private bool WonByType(IOperation winner, ITypeSymbol type)
        {
            if (type is not INamedTypeSymbol { IsGenericType: true } generic
                || !SymbolEqualityComparer.Default.Equals(generic.OriginalDefinition, Symbols.TaskOfT)
                || AwaitedWhenAny(Unwrap(winner)) is not IAwaitOperation { Operation: var awaited }
                || AwaitedWhenAnyPair(awaited) is not { } pair)
            {
                return false;
            }

            for (var k = 0; k < 2; k++)
            {
                if (SymbolEqualityComparer.Default.Equals(Unwrap(pair[k]).Type, type) && IsDelay(pair[1 - k]))
                {
                    return Is(pair[k]);
                }
            }

            return false;
        }

        private bool IsDelay(IOperation operation)
            => Unwrap(operation) is IInvocationOperation { TargetMethod: { Name: "Delay", IsStatic: true } delay }
               && SymbolEqualityComparer.Default.Equals(delay.ContainingType, Symbols.Task);

        /// <summary>
        /// <c>await Task.WhenAny(t, cancelled.Task); token.ThrowIfCancellationRequested();</c>, then <c>t.Result</c>
        /// (RethinkDB's cursor): the classic "with cancellation" idiom. The other task stands for the
        /// token, and the statement right after the await throws when it won, so past it the subject
        /// won. Only as the very next statement, and only <c>ThrowIfCancellationRequested</c>.
        /// </summary>
        public bool WinsWhenAnyUnlessCanceled(IAwaitOperation awaited)
        {
            if (AwaitedWhenAnyPair(awaited.Operation) is not { } pair
                || !(Is(pair[0]) ^ Is(pair[1]))
                || awaited.Parent is not IExpressionStatementOperation statement
                || statement.Parent is not IBlockOperation block)
            {
                return false;
            }

            var index = block.Operations.IndexOf(statement);
            return index + 1 < block.Operations.Length
                   && block.Operations[index + 1] is IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod: { Name: "ThrowIfCancellationRequested" } check } }
                   && SymbolEqualityComparer.Default.Equals(check.ContainingType, Symbols.CancellationToken);
        }

        // `await Task.WhenAny(connect.Task, timeout); if (timeout.IsCompleted) return …;` then
        // `connect.Task.Result` (SIPSorcery's TCP channel): the other task of a two-task WhenAny awaited
        // before, on every path, is not complete, so WhenAny's winner was the subject. `other` is a local
        // never written again; the subject is not written between the WhenAny and the check.
        private bool LostAWhenAnyTo(IOperation other, IOperation condition)
        {
            if (Target is null || Unwrap(other) is not ILocalReferenceOperation { Local: var otherLocal })
            {
                return false;
            }

            var body = AsyncContext.GetFunctionBody(condition);
            if (LocalReferences.IsReassigned(body, otherLocal))
            {
                return false;
            }

            foreach (var operation in body.Descendants())
            {
                if (operation is IAwaitOperation awaited
                    && awaited.Syntax.Span.End <= condition.Syntax.SpanStart
                    && AwaitedWhenAnyPair(awaited.Operation) is { } pair
                    && (Is(pair[0]) && IsLocal(pair[1], otherLocal) || Is(pair[1]) && IsLocal(pair[0], otherLocal))
                    && !AsyncContext.IsInNestedFunction(operation, body)
                    && Dominates(awaited.Syntax, condition.Syntax)
                    && !IsWrittenBetween(body, this, awaited.Syntax, condition.Syntax))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsLocal(IOperation operation, ILocalSymbol local)
            => Unwrap(operation) is ILocalReferenceOperation { Local: var referenced } && SymbolEqualityComparer.Default.Equals(referenced, local);

        // `await Task.WhenAny(…)` itself, or a local initialized with it and never written again.
        private static IOperation? AwaitedWhenAny(IOperation winner)
        {
            if (winner is IAwaitOperation)
            {
                return winner;
            }

            return winner is ILocalReferenceOperation { Local: var local } reference
                   && LocalDeclarations.GetInitializer(local, reference) is { } declaration
                   && !LocalReferences.IsReassigned(declaration.Body, local)
                ? Unwrap(declaration.Value)
                : null;
        }

        // The two tasks of an awaited `Task.WhenAny(a, b)` (through ConfigureAwait or a wrapper like it).
        private IOperation[]? AwaitedWhenAnyPair(IOperation awaited)
            => AwaitedTask(awaited, Symbols) is IInvocationOperation { TargetMethod: { Name: "WhenAny", IsStatic: true } whenAny } invocation
               && SymbolEqualityComparer.Default.Equals(whenAny.ContainingType, Symbols.Task)
                ? WhenAnyPair(invocation)
                : null;

        // The two tasks of `Task.WhenAny(a, b)`: the two-task overload, a params array or, on C# 13+,
        // a params span (a collection expression whose elements are its children).
        private static IOperation[]? WhenAnyPair(IInvocationOperation invocation)
        {
            if (invocation.Arguments.Length == 2)
            {
                return new[] { invocation.Arguments[0].Value, invocation.Arguments[1].Value };
            }

            if (invocation.Arguments.Length != 1)
            {
                return null;
            }

            var elements = TasksWritten(invocation.Arguments[0].Value);
            return !elements.IsDefault && elements.Length == 2 ? new[] { elements[0], elements[1] } : null;
        }

        // The tasks written in a params argument: an array creation, or a collection expression or
        // C# 13+ params span (`[a, b]`, whose elements are its children); default for anything else.
        private static System.Collections.Immutable.ImmutableArray<IOperation> TasksWritten(IOperation argument)
        {
            var value = Unwrap(argument);
            return value switch
            {
                IArrayCreationOperation { Initializer: { } initializer } => initializer.ElementValues,
                _ when value.Type is INamedTypeSymbol { IsValueType: true, Name: "ReadOnlySpan" or "Span" }
                       || value.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.CollectionExpressionSyntax => System.Collections.Immutable.ImmutableArray.CreateRange(value.ChildOperations),
                _ => default,
            };
        }

        // `t.Status`, or `t?.Status` (vs-threading's AsyncLazy: `switch (this.value?.Status) { case
        // TaskStatus.RanToCompletion: … this.value.Result …`): a null task has no final status either.
        public bool IsStatus(IOperation operation)
            => Unwrap(operation) switch
            {
                IPropertyReferenceOperation { Property.Name: "Status", Instance: { } instance } => Is(instance),
                IConditionalAccessOperation { Operation: var receiver, WhenNotNull: IPropertyReferenceOperation { Property.Name: "Status", Instance: IConditionalAccessInstanceOperation } } => Is(receiver),
                _ => false,
            };

        public bool IsFinalStatus(IOperation operation) => StatusValue(operation) is >= FirstFinalStatus and <= LastFinalStatus;

        // Only a comparison with a final status proves anything: `Status != TaskStatus.Running`
        // also holds for a task that is waiting to run.
        public bool IsFinalStatusPattern(IPatternOperation pattern) => pattern switch
        {
            IConstantPatternOperation constant => IsFinalStatus(constant.Value),
            IBinaryPatternOperation { OperatorKind: BinaryOperatorKind.Or } either => IsFinalStatusPattern(either.LeftPattern) && IsFinalStatusPattern(either.RightPattern),
            _ => false,
        };

        private int? StatusValue(IOperation operation)
        {
            operation = Unwrap(operation);
            return operation.Type is { } type
                   && SymbolEqualityComparer.Default.Equals(type, Symbols.TaskStatus)
                   && operation.ConstantValue is { HasValue: true, Value: int value }
                ? value
                : null;
        }

        private static bool IsFalse(IOperation operation) => Unwrap(operation).ConstantValue is { HasValue: true, Value: false };

        private static bool IsTrue(IOperation operation) => Unwrap(operation).ConstantValue is { HasValue: true, Value: true };

        // The condition a bool local was initialized with, when neither the local nor the task it asks
        // about is written anywhere else in the function (so the answer still holds where it is read).
        private IOperation? CheckHeldIn(ILocalSymbol flag, IOperation use)
        {
            if (LocalDeclarations.GetInitializer(flag, use) is not { } declaration)
            {
                return null;
            }

            var task = Target ?? Collection;
            var root = _path is not null ? RootOf(_path) : null;
            foreach (var operation in declaration.Body.Descendants())
            {
                if (IsWriteOf(operation, flag) || IsWriteOf(operation, task) || IsWriteOf(operation, root))
                {
                    return null;
                }
            }

            return declaration.Value;
        }

        // The local, parameter or field a chain of members starts from (`content` in `content!.Task`).
        private static ISymbol? RootOf(IOperation path)
        {
            var current = Unwrap(path);
            while (true)
            {
                switch (current)
                {
                    case IConditionalAccessInstanceOperation instance when ConditionalReceiver(instance) is { } receiver:
                        current = Unwrap(receiver);
                        continue;
                    case IMemberReferenceOperation { Instance: { } instance } member when instance is not IInstanceReferenceOperation:
                        current = Unwrap(instance);
                        continue;
                    default:
                        return ReferencedSymbol(current);
                }
            }
        }
    }
}
