using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>
/// TW2003: a field written under a lock in one member and without any lock in another. Runs per
/// type (symbol start / operation / symbol end), so it shows live in an open document, partial
/// types included.
/// </summary>
public sealed class InconsistentlySynchronizedFieldAnalyzer : ThreadwiseAnalyzer
{
    public InconsistentlySynchronizedFieldAnalyzer()
        : base(Descriptors.TW2003InconsistentlySynchronizedField)
    {
    }

    /// <summary>Diagnostic property: the guarding lock as it is written (a field name, or <c>this</c>).</summary>
    public const string LockProperty = "Lock";

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
        => context.RegisterSymbolStartAction(OnTypeStart, SymbolKind.NamedType);

    // Registered once per type that locks: shared, not a params array built each time.
    private static readonly ImmutableArray<OperationKind> WriteKinds = ImmutableArray.Create(OperationKind.SimpleAssignment, OperationKind.CompoundAssignment, OperationKind.Increment, OperationKind.Decrement);
    private static readonly ImmutableArray<OperationKind> HelperUseKinds = ImmutableArray.Create(OperationKind.Invocation, OperationKind.MethodReference);
    private static readonly ImmutableArray<OperationKind> ConditionalKind = ImmutableArray.Create(OperationKind.Conditional);
    private static readonly ImmutableArray<OperationKind> FieldReferenceKind = ImmutableArray.Create(OperationKind.FieldReference);

    private static void OnTypeStart(SymbolStartAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        // Both sides of a finding need the type's own code: one of them holds a lock.
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || !HasWritableField(type) || !LockScope.MayHoldLocks(type, context.CancellationToken))
        {
            return;
        }

        var writes = new ConcurrentBag<FieldAccess>();
        var reads = new ConcurrentQueue<FieldRead>();
        var calls = new ConcurrentBag<HelperCall>();
        var symbols = KnownSymbols.For(context.Compilation);
        var borrowed = new ConcurrentDictionary<ISymbol, bool>(SymbolEqualityComparer.Default);
        context.RegisterOperationAction(c => CollectWrite(c, type, writes, borrowed), WriteKinds);
        context.RegisterOperationAction(c => CollectHelperUse(c, type, calls), HelperUseKinds);
        context.RegisterOperationAction(c => AnalyzeCheckThenAct(c, type), ConditionalKind);
        context.RegisterOperationAction(c => CollectRead(c, type, reads), FieldReferenceKind);
        context.RegisterSymbolEndAction(c => Report(c, InSourceOrder(writes, w => w.Operation.Syntax), reads, new Callers(InSourceOrder(calls, call => call.Syntax), type, context.Compilation, context.CancellationToken), symbols));
    }

    // Calls of this type's private methods, with the locks held at each: a helper that every caller
    // calls under lock L holds L (the `…Locked` / "assumes the lock is held" helpers libraries write).
    private static void CollectHelperUse(OperationAnalysisContext context, INamedTypeSymbol type, ConcurrentBag<HelperCall> calls)
    {
        var (target, isCall) = context.Operation switch
        {
            IInvocationOperation invocation => (invocation.TargetMethod, true),
            IMethodReferenceOperation reference => (reference.Method, false),
            _ => (null!, false),
        };

        if (target is not { DeclaredAccessibility: Accessibility.Private, MethodKind: MethodKind.Ordinary }
            || !SymbolEqualityComparer.Default.Equals(target.ContainingType, type))
        {
            return;
        }

        var held = isCall && LockScope.IsAnyLockHeld(context.Operation) ? KnownHeldLocks(context.Operation) : ImmutableArray<ISymbol>.Empty;

        // `source.Synchronize(gate).Subscribe(OnNext)` (Rx; DynamicData's operators): the observer's
        // callbacks run inside `lock (gate)`, so the method group is a call that holds the gate.
        // Like a call in a lambda: it runs later (not while a constructor subscribes), holding only the gate.
        if (!isCall && SynchronizedSubscriptionGate((IMethodReferenceOperation)context.Operation) is { } gate)
        {
            calls.Add(new HelperCall(target.OriginalDefinition, context.ContainingSymbol, ImmutableArray.Create(gate), isCall: true, inLambda: true, context.Operation.Syntax));
            return;
        }

        // A method group can be invoked from anywhere: its callers are unknown. A call in a lambda
        // counts only with the locks held inside the lambda (it may run after its method returned).
        // A call in a local function that its method only calls directly runs as part of those calls.
        var root = RootOf(context.Operation);
        var inLambda = AsyncContext.IsInNestedFunction(context.Operation, root);
        if (isCall && inLambda && LocksAtLocalFunctionCalls(context.Operation, root) is { } atCalls)
        {
            (held, inLambda) = (held.AddRange(atCalls), false);
        }

        var awaited = context.Operation is IInvocationOperation call && call.IsAwaitedWhereCalled();
        calls.Add(new HelperCall(target.OriginalDefinition, context.ContainingSymbol, held, isCall, inLambda, context.Operation.Syntax, awaited));
    }

    // `void WriteData(…) { … Trim(); void Trim() { …; WriteHeaderUnsynchronized(); } }` (Bedrock's HTTP/2
    // frame writer): the call sits in a local function (not a lambda) that its method only ever calls
    // directly, in its own body. It then runs within those calls: the locks common to all of them, and
    // the method's own callers, count for it. Null when the local function is nested in a lambda, is used
    // as a delegate, or is never called. Asked only for calls of private helpers made in local functions.
    private static ImmutableArray<ISymbol>? LocksAtLocalFunctionCalls(IOperation call, IOperation root)
    {
        ILocalFunctionOperation? local = null;
        for (var current = call.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation)
            {
                return null;
            }

            if (current is ILocalFunctionOperation found)
            {
                if (local is not null || AsyncContext.IsInNestedFunction(found, root))
                {
                    return null; // nested local functions: not followed
                }

                local = found;
            }
        }

        if (local is null || local.Symbol.IsAsync)
        {
            return null;
        }

        ImmutableArray<ISymbol>? common = null;
        foreach (var operation in root.Descendants())
        {
            switch (operation)
            {
                case IMethodReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Method, local.Symbol):
                    return null;
                case IInvocationOperation invocation when SymbolEqualityComparer.Default.Equals(invocation.TargetMethod, local.Symbol):
                    if (AsyncContext.IsInNestedFunction(invocation, root))
                    {
                        return null; // called from the local function itself, or from a lambda
                    }

                    var here = KnownHeldLocks(invocation);
                    common = common is { } earlier ? here.RemoveAll(symbol => !earlier.Contains(symbol, SymbolEqualityComparer.Default)) : here;
                    break;
            }
        }

        return common;
    }

    // The gate of `….Synchronize(gate)….Subscribe…(…, Method, …)`: the method group is an argument of a
    // `Subscribe…` call whose source chain (receiver, or first argument of an extension) passes through
    // System.Reactive.Linq.Observable.Synchronize(source, gate).
    private static ISymbol? SynchronizedSubscriptionGate(IMethodReferenceOperation reference)
    {
        var parent = reference.Parent;
        while (parent is IDelegateCreationOperation or IConversionOperation)
        {
            parent = parent.Parent;
        }

        if (parent is not IArgumentOperation { Parent: IInvocationOperation subscribe }
            || !subscribe.TargetMethod.Name.StartsWith("Subscribe", System.StringComparison.Ordinal))
        {
            return null;
        }

        var source = subscribe.Instance ?? (subscribe.TargetMethod.IsExtensionMethod && subscribe.Arguments.Length > 0 ? subscribe.Arguments[0].Value : null);
        for (var depth = 0; depth < 8 && source?.WithoutConversions() is IInvocationOperation link; depth++)
        {
            if (link.TargetMethod is { Name: "Synchronize", IsStatic: true, ContainingType: { Name: "Observable", ContainingNamespace: { Name: "Linq", ContainingNamespace.Name: "Reactive" } } }
                && link.Arguments.Length == 2)
            {
                return LockScope.LockSymbol(link.Arguments[1].Value);
            }

            source = link.Instance ?? (link.TargetMethod.IsExtensionMethod && link.Arguments.Length > 0 ? link.Arguments[0].Value : null);
        }

        return null;
    }

    // The locks held at the operation whose objects are known (an unresolved lock expression is left out).
    private static ImmutableArray<ISymbol> KnownHeldLocks(IOperation operation)
    {
        var held = ImmutableArray.CreateBuilder<ISymbol>();
        foreach (var symbol in LockScope.HeldLocks(operation))
        {
            if (symbol is not null)
            {
                held.Add(symbol);
            }
        }

        return held.ToImmutable();
    }

    private static IOperation RootOf(IOperation operation)
    {
        while (operation.Parent is not null)
        {
            operation = operation.Parent;
        }

        return operation;
    }

    private static bool HasWritableField(INamedTypeSymbol type)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol { IsReadOnly: false, IsConst: false, IsVolatile: false, IsImplicitlyDeclared: false })
            {
                return true;
            }
        }

        return false;
    }

    private static void CollectWrite(OperationAnalysisContext context, INamedTypeSymbol type, ConcurrentBag<FieldAccess> writes, ConcurrentDictionary<ISymbol, bool> borrowed)
    {
        var target = context.Operation switch
        {
            IAssignmentOperation assignment => assignment.Target,
            IIncrementOrDecrementOperation update => update.Target,
            _ => null,
        };

        if (target is not IFieldReferenceOperation { Field: { IsReadOnly: false, IsConst: false, IsVolatile: false } field } reference
            || !SymbolEqualityComparer.Default.Equals(field.ContainingType, type)
            || !(reference.Instance is null || reference.Instance.IsThis())
            || IsExempt(context.ContainingSymbol))
        {
            return;
        }

        var heldLock = FirstHeldLock(context.Operation) ?? LockAtEveryCallOfItsLocalFunction(context.Operation);

        // A SemaphoreSlim region is not evidence that the field needs that lock: semaphores also
        // throttle, and async code often acquires them through helpers returning a lease that the
        // analyzer cannot follow, so the "unguarded" writes are usually guarded after all.
        if (heldLock is not null && LockScope.IsSemaphore(heldLock))
        {
            return;
        }

        // `_stateLock.EnterReadLock(); try { _attempts = 0; … } finally { _stateLock.ExitReadLock(); }` (Ruffles'
        // connection): readers do not exclude each other, so a write under the read lock is no evidence
        // that the lock guards the field, and not guarded by it either.
        if (heldLock is not null && LockScope.IsHeldOnlyForReading(context.Operation, heldLock))
        {
            return;
        }

        // `lock (_stream) { _position = ...; }` where the stream came from the caller: the lock
        // serialises a resource shared with other wrappers; this instance's own fields written inside
        // are its own state, not what that lock protects.
        if (heldLock is not null && IsBorrowedResource(heldLock, borrowed, context.CancellationToken))
        {
            return;
        }

        // `var head = Arena.FindHead(size); lock (head) { _freeBytes -= n; }` (DotNetty's PoolChunk): a
        // lock on an object looked up per call guards that object's state; which object it is changes
        // from call to call, so it cannot be what guards this instance's field.
        if (heldLock is not null && IsPerCallObject(heldLock, context.CancellationToken))
        {
            return;
        }

        writes.Add(new FieldAccess(field, heldLock, context.Operation, context.ContainingSymbol));
    }

    // Reads of the type's own writable fields, kept for the share of accesses under the guard (see
    // IsMostlyGuarded). Nothing is asked and nothing allocated per read (a struct in a queue): the held
    // locks are looked up only for a field about to be reported.
    private static void CollectRead(OperationAnalysisContext context, INamedTypeSymbol type, ConcurrentQueue<FieldRead> reads)
    {
        var reference = (IFieldReferenceOperation)context.Operation;
        if (reference.Field is not { IsReadOnly: false, IsConst: false, IsVolatile: false } field
            || !SymbolEqualityComparer.Default.Equals(field.ContainingType, type)
            || !(reference.Instance is null || reference.Instance.IsThis())
            || IsWriteTarget(reference)
            || IsExempt(context.ContainingSymbol))
        {
            return;
        }

        reads.Enqueue(new FieldRead(field, reference, context.ContainingSymbol));
    }

    private static bool IsWriteTarget(IFieldReferenceOperation reference)
        => reference.Parent is IAssignmentOperation assignment && assignment.Target == reference
           || reference.Parent is IIncrementOrDecrementOperation;

    // A parameter, or a local not copied from a field (`var gate = _gate;` still names the field's lock).
    private static bool IsPerCallObject(ISymbol heldLock, System.Threading.CancellationToken cancellationToken)
        => heldLock switch
        {
            IParameterSymbol => true,
            ILocalSymbol local => local.DeclaringSyntaxReferences.Length == 1
                && local.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is VariableDeclaratorSyntax { Initializer.Value: var value }
                && value is not (IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax or IdentifierNameSyntax }),
            _ => false,
        };

    private static bool IsBorrowedResource(ISymbol heldLock, ConcurrentDictionary<ISymbol, bool> known, System.Threading.CancellationToken cancellationToken)
    {
        if (!known.TryGetValue(heldLock, out var borrowed))
        {
            borrowed = IsBorrowedResource(heldLock, cancellationToken);
            known.TryAdd(heldLock, borrowed);
        }

        return borrowed;
    }

    // An instance field of a resource type (not object or a lock type) that is only ever assigned from
    // a constructor parameter. Syntactic, over the field's own type declarations.
    private static bool IsBorrowedResource(ISymbol heldLock, System.Threading.CancellationToken cancellationToken)
    {
        if (heldLock is not IFieldSymbol { IsStatic: false, Type: { SpecialType: not SpecialType.System_Object } type } field
            || type is { Name: "Lock", ContainingNamespace.Name: "Threading" }
            || field.DeclaringSyntaxReferences.Length != 1
            || field.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not VariableDeclaratorSyntax { Initializer: null })
        {
            return false;
        }

        var assigned = false;
        foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax(cancellationToken).DescendantNodes())
            {
                if (node is not AssignmentExpressionSyntax assignment || !Names(assignment.Left, field.Name))
                {
                    continue;
                }

                if (assignment.FirstAncestorOrSelf<ConstructorDeclarationSyntax>() is not { } constructor
                    || !IsHandedIn(WithoutNullCheck(assignment.Right), constructor))
                {
                    return false;
                }

                assigned = true;
            }
        }

        return assigned;
    }

    // `stream` (a constructor parameter), or a member of one: `zipFile.baseStream_`, also through a field
    // the constructor sets from it (`zipFile_ = zipFile; baseStream_ = zipFile_.baseStream_;`, SharpZipLib's
    // PartialInputStream, which shares its archive's stream with every entry stream).
    private static bool IsHandedIn(ExpressionSyntax value, ConstructorDeclarationSyntax constructor)
    {
        switch (value)
        {
            case IdentifierNameSyntax { Identifier.ValueText: var name }:
                return HasParameter(constructor, name);
            case MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } } access:
                var owner = access.Expression is IdentifierNameSyntax id ? id.Identifier.ValueText : ((MemberAccessExpressionSyntax)access.Expression).Name.Identifier.ValueText;
                return HasParameter(constructor, owner) || IsSetFromParameterIn(constructor, owner);
            default:
                return false;
        }
    }

    private static bool IsSetFromParameterIn(ConstructorDeclarationSyntax constructor, string field)
    {
        foreach (var node in constructor.DescendantNodes())
        {
            if (node is AssignmentExpressionSyntax assignment && Names(assignment.Left, field)
                && WithoutNullCheck(assignment.Right) is IdentifierNameSyntax { Identifier.ValueText: var source }
                && HasParameter(constructor, source))
            {
                return true;
            }
        }

        return false;
    }

    // `stream ?? throw new ArgumentNullException(...)`
    private static ExpressionSyntax WithoutNullCheck(ExpressionSyntax value)
        => value is BinaryExpressionSyntax { Right: ThrowExpressionSyntax } coalesce && coalesce.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.CoalesceExpression)
            ? coalesce.Left
            : value;

    private static bool Names(ExpressionSyntax expression, string name)
        => expression switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText == name,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var member } => member.Identifier.ValueText == name,
            _ => false,
        };

    private static bool HasParameter(ConstructorDeclarationSyntax constructor, string name)
    {
        foreach (var parameter in constructor.ParameterList.Parameters)
        {
            if (parameter.Identifier.ValueText == name)
            {
                return true;
            }
        }

        return false;
    }

    // `/// <threadsafety static="true" instance="false"/>` on the type (SSH.NET's SftpFileStream): its
    // callers must not use one instance from two threads, so a lock some members take is no promise
    // that others must keep. Only for a type that starts no concurrent work of its own (no thread,
    // timer, pool item or fan-out in its text): its own workers would still race.
    private static bool IsDocumentedNotThreadSafe(INamedTypeSymbol type, System.Threading.CancellationToken cancellationToken)
    {
        var documented = false;
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            var declaration = reference.GetSyntax(cancellationToken);
            if (ConcurrentReach.MayStartWork(declaration, cancellationToken))
            {
                return false;
            }

            foreach (var trivia in declaration.GetLeadingTrivia())
            {
                // Structured doc comments, or plain comments when the project does not parse them.
                if (trivia.Kind() is Microsoft.CodeAnalysis.CSharp.SyntaxKind.SingleLineDocumentationCommentTrivia or Microsoft.CodeAnalysis.CSharp.SyntaxKind.MultiLineDocumentationCommentTrivia
                    or Microsoft.CodeAnalysis.CSharp.SyntaxKind.SingleLineCommentTrivia or Microsoft.CodeAnalysis.CSharp.SyntaxKind.MultiLineCommentTrivia)
                {
                    var text = trivia.ToFullString();
                    var at = text.IndexOf("<threadsafety", System.StringComparison.Ordinal);
                    var end = at < 0 ? -1 : text.IndexOf('>', at);
                    documented |= end > at && text.IndexOf("instance=\"false\"", at, end - at, System.StringComparison.Ordinal) >= 0;
                }
            }
        }

        return documented;
    }

    // Constructors and `init` accessors run before the object is shared; Dispose runs after the last use.
    private static bool IsExempt(ISymbol member)
        => member is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor or MethodKind.Destructor }
            or IMethodSymbol { IsInitOnly: true }
            or IMethodSymbol { Name: "Dispose" or "DisposeAsync" }
            or IFieldSymbol or IPropertySymbol { IsReadOnly: true }
           || IsExplicitDispose(member);

    // `void IDisposable.Dispose()` is named "System.IDisposable.Dispose".
    private static bool IsExplicitDispose(ISymbol member)
    {
        if (member is IMethodSymbol { MethodKind: MethodKind.ExplicitInterfaceImplementation } method)
        {
            foreach (var implemented in method.ExplicitInterfaceImplementations)
            {
                if (implemented.Name is "Dispose" or "DisposeAsync")
                {
                    return true;
                }
            }
        }

        return false;
    }

    // Concurrent actions fill the bags in any order: everything that picks one of several (the guard a
    // message names, the lock callers share) works on source order, so every run reports the same.
    private static List<T> InSourceOrder<T>(ConcurrentBag<T> items, System.Func<T, SyntaxNode> syntax)
    {
        var list = new List<T>(items);
        list.Sort((a, b) =>
        {
            var x = syntax(a);
            var y = syntax(b);
            var byPath = string.CompareOrdinal(x.SyntaxTree.FilePath, y.SyntaxTree.FilePath);
            return byPath != 0 ? byPath : x.SpanStart.CompareTo(y.SpanStart);
        });
        return list;
    }

    private static void Report(SymbolAnalysisContext context, List<FieldAccess> writes, ConcurrentQueue<FieldRead> reads, Callers callers, KnownSymbols symbols)
    {
        var guarded = new Dictionary<IFieldSymbol, (FieldAccess Write, ISymbol Lock)>(SymbolEqualityComparer.Default);
        var guardedMembers = new HashSet<(ISymbol, ISymbol)>();
        foreach (var write in writes)
        {
            if (EffectiveLock(write, callers) is { } heldLock)
            {
                if (!guarded.ContainsKey(write.Field))
                {
                    guarded[write.Field] = (write, heldLock);
                }

                guardedMembers.Add((write.Field, write.Member));
            }
        }

        if (guarded.Count == 0)
        {
            return;
        }

        bool? documentedNotThreadSafe = null;
        Dictionary<IFieldSymbol, bool>? mostlyGuarded = null;
        foreach (var write in writes)
        {
            if (EffectiveLock(write, callers) is null
                && guarded.TryGetValue(write.Field, out var guard)
                && !guardedMembers.Contains((write.Field, write.Member))
                && !IsSafeWithoutTheLock(write, guard.Lock, writes, callers, symbols)
                && !(documentedNotThreadSafe ??= IsDocumentedNotThreadSafe((INamedTypeSymbol)context.Symbol, context.CancellationToken))
                && IsMostlyGuarded(write.Field, guard.Lock, writes, reads, callers, symbols, mostlyGuarded ??= new Dictionary<IFieldSymbol, bool>(SymbolEqualityComparer.Default)))
            {
                var lockName = guard.Lock is ITypeSymbol ? "this" : guard.Lock.Name;
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.TW2003InconsistentlySynchronizedField,
                    write.Operation.Syntax.GetLocation(),
                    ImmutableDictionary<string, string?>.Empty.Add(LockProperty, guard.Lock is ITypeSymbol || (guard.Lock is IFieldSymbol && LockScope.IsTakenByLockStatement(guard.Lock) && !LockScope.IsHeldThroughCustomScope(guard.Write.Operation, guard.Lock)) ? lockName : null),
                    write.Field.Name,
                    lockName,
                    guard.Write.Member.Name,
                    "written"));
            }
        }
    }

    // An unguarded write that needs no lock: set-up before the concurrent part starts, a reset after it
    // ended or that the guarded side re-checks, work created stopped, or a member every caller (or only
    // construction) runs under the guard.
    private static bool IsSafeWithoutTheLock(FieldAccess write, ISymbol guard, List<FieldAccess> writes, Callers callers, KnownSymbols symbols)
        => IsIdempotentReset(write, writes)
           || IsRepeatedLazyInitialization(write, writes)
           || IsBeforeConcurrentStart(write.Operation, symbols)
           || IsAfterThreadJoined(write.Operation, symbols)
           || CreatesStoppedWork(write.Operation, symbols)
           || IsRefusedOnceStarted(write.Operation)
           || IsPartOfAWholeStateStep(write.Operation, symbols)
           || IsFluentConfigurationStep(write.Operation, symbols)
           || write.Member is IMethodSymbol member
              && (SymbolEqualityComparer.Default.Equals(callers.HeldByEveryCallerInTheCompilation(member), guard)
                  || callers.RunsOnlyWhileConstructing(member)
                  || callers.NeverRuns(member));

    // Is the guard really this field's guard? Yes when the field is updated from its own value under it
    // (`_count++`, `_list = _list.Add(x)`, a test-and-set): the lock is there for that update. Otherwise
    // only a plain store sits in the locked region, which may be there for other work, so "inconsistently"
    // needs a consistent side: at least half of the members that use the field (outside constructors and
    // Dispose, not counting writes that need no lock) hold the guard at every use. A
    // field mostly used without it — NetCoreServer's send offset, advanced lock-free by the one send in
    // flight and only reset under the lock that swaps the buffers; log4net's file name, a configuration
    // value stored once under the lock that opens the file — is not one the lock guards, and one more
    // unguarded write is the norm there, not a slip.
    private static bool IsMostlyGuarded(IFieldSymbol field, ISymbol guard, List<FieldAccess> writes, ConcurrentQueue<FieldRead> reads, Callers callers, KnownSymbols symbols, Dictionary<IFieldSymbol, bool> known)
    {
        if (known.TryGetValue(field, out var mostly))
        {
            return mostly;
        }

        // Per member: true while every use there holds the guard. A member that also uses the field
        // outside the lock (TrySend resets the offset under the lock, then reads it after) does not treat
        // the lock as the field's guard.
        var members = new Dictionary<ISymbol, bool>(SymbolEqualityComparer.Default);
        foreach (var write in writes)
        {
            if (!SymbolEqualityComparer.Default.Equals(write.Field, field))
            {
                continue;
            }

            if (HoldsGuard(write.Member, write.Lock, guard, callers))
            {
                if (UpdatesFromItself(write))
                {
                    known[field] = true;
                    return true;
                }

                Use(members, write.Member, guarded: true);
            }
            else if (!IsSafeWithoutTheLock(write, guard, writes, callers, symbols))
            {
                Use(members, write.Member, guarded: false);
            }
        }

        foreach (var read in reads)
        {
            if (SymbolEqualityComparer.Default.Equals(read.Field, field))
            {
                Use(members, read.Member, HoldsGuard(read.Member, FirstHeldLock(read.Operation), guard, callers));
            }
        }

        int guarded = 0;
        foreach (var entry in members)
        {
            guarded += entry.Value ? 1 : 0;
        }

        known[field] = mostly = guarded * 2 >= members.Count;
        return mostly;
    }

    private static void Use(Dictionary<ISymbol, bool> members, ISymbol member, bool guarded)
        => members[member] = guarded && (!members.TryGetValue(member, out var before) || before);

    private static bool UpdatesFromItself(FieldAccess write)
    {
        if (write.Operation is ICompoundAssignmentOperation or IIncrementOrDecrementOperation
            || IsRecheckedUnderLock(write.Operation, write.Field))
        {
            return true;
        }

        if (write.Operation is ISimpleAssignmentOperation { Value: { } value })
        {
            foreach (var operation in value.DescendantsAndSelf())
            {
                if (operation is IFieldReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Field, write.Field))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // Held at the access itself, or by every caller of its member (as for the writes reported).
    private static bool HoldsGuard(ISymbol member, ISymbol? heldHere, ISymbol guard, Callers callers)
        => SymbolEqualityComparer.Default.Equals(heldHere, guard)
           || member is IMethodSymbol method
              && (SymbolEqualityComparer.Default.Equals(callers.HeldByEveryCaller(method), guard)
                  || SymbolEqualityComparer.Default.Equals(callers.HeldByEveryCallerInTheCompilation(method), guard));

    // `void RecordRunning(Message m) { …; _blockingRequest = m; }`, a local function that its sibling calls only
    // inside `lock (this)` (Orleans' activation message loop): the write runs within those calls and holds the
    // lock every one of them holds. Null when the write sits in a lambda, the local function is async, used as a
    // delegate, calls itself, or is never called; or when its calls share no lock. Asked only for writes made
    // without a lock of their own.
    private static ISymbol? LockAtEveryCallOfItsLocalFunction(IOperation write)
    {
        ILocalFunctionOperation? local = null;
        for (var current = write.Parent; current is not null && local is null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation:
                    return null;
                case ILocalFunctionOperation found:
                    local = found;
                    break;
            }
        }

        if (local is null || local.Symbol.IsAsync)
        {
            return null;
        }

        ImmutableArray<ISymbol>? common = null;
        foreach (var operation in RootOf(local).Descendants())
        {
            switch (operation)
            {
                case IMethodReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Method, local.Symbol):
                    return null;
                case IInvocationOperation invocation when SymbolEqualityComparer.Default.Equals(invocation.TargetMethod, local.Symbol):
                    if (IsInside(invocation, local))
                    {
                        return null; // recursion: the inner call holds what the outer one held, not known here
                    }

                    var here = KnownHeldLocks(invocation);
                    common = common is { } earlier ? here.RemoveAll(symbol => !earlier.Contains(symbol, SymbolEqualityComparer.Default)) : here;
                    break;
            }
        }

        return common is { Length: > 0 } locks && !LockScope.IsSemaphore(locks[0]) ? locks[0] : null;
    }

    private static bool IsInside(IOperation operation, IOperation container)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current == container)
            {
                return true;
            }
        }

        return false;
    }

    private static ISymbol? FirstHeldLock(IOperation operation)
    {
        foreach (var held in LockScope.HeldLocks(operation))
        {
            if (held is not null)
            {
                return held;
            }
        }

        return null;
    }

    // The lock held at the write, or else one that every caller of its (private) member holds.
    private static ISymbol? EffectiveLock(FieldAccess write, Callers callers)
        => write.Lock ?? (write.Member is IMethodSymbol method && callers.HeldByEveryCaller(method) is { } held && !LockScope.IsSemaphore(held) ? held : null);

    // `_writer = null;` (or default) where every guarded write sits under a re-check of the field
    // inside the lock: the reader sees null and recreates it under the lock; nothing is lost.
    private static bool IsIdempotentReset(FieldAccess write, List<FieldAccess> writes)
    {
        if (write.Operation is not ISimpleAssignmentOperation { Value: var value }
            || value.WithoutConversions() is not (ILiteralOperation { ConstantValue.Value: null } or IDefaultValueOperation))
        {
            return false;
        }

        var rechecked = false;
        foreach (var other in writes)
        {
            if (other.Lock is null || !SymbolEqualityComparer.Default.Equals(other.Field, write.Field))
            {
                continue;
            }

            if (!IsRecheckedUnderLock(other.Operation, write.Field))
            {
                return false;
            }

            rechecked = true;
        }

        return rechecked;
    }

    // `if (_types == null) _types = GetAllTypes();` (MTConnect.NET's static type tables), or `_types ??=
    // GetAllTypes();`, where every write of the field is that same lazy initialization — the same call, under the
    // same null check — inside the lock and out: two threads may both compute the table, but each stores an
    // equivalent one and the field never goes back to null, so nothing is lost. A field also written anything
    // else (a reset, another value, the same call without the check) is reported.
    private static bool IsRepeatedLazyInitialization(FieldAccess write, List<FieldAccess> writes)
    {
        if (LazyInitializer(write) is not { } initializer)
        {
            return false;
        }

        foreach (var other in writes)
        {
            if (SymbolEqualityComparer.Default.Equals(other.Field, write.Field)
                && !SymbolEqualityComparer.Default.Equals(LazyInitializer(other), initializer))
            {
                return false;
            }
        }

        return true;
    }

    // The method whose result a null-guarded store keeps: `if (f == null) f = M();` or `f ??= M();`, M called
    // with constants or nothing.
    private static IMethodSymbol? LazyInitializer(FieldAccess write)
    {
        var value = write.Operation switch
        {
            ICoalesceAssignmentOperation coalesce => coalesce.Value,
            ISimpleAssignmentOperation { Parent: IExpressionStatementOperation statement } store when IsUnderNullCheck(statement, write.Field) => store.Value,
            _ => null,
        };

        if (value?.WithoutConversions() is not IInvocationOperation call)
        {
            return null;
        }

        foreach (var argument in call.Arguments)
        {
            if (!argument.Value.ConstantValue.HasValue)
            {
                return null;
            }
        }

        return call.TargetMethod.OriginalDefinition;
    }

    // `if (f == null) f = …;` (or `f is null`), the store the whole branch.
    private static bool IsUnderNullCheck(IOperation statement, IFieldSymbol field)
    {
        var branch = statement.Parent is IBlockOperation { Operations.Length: 1 } block ? block : statement;
        return branch.Parent is IConditionalOperation { WhenFalse: null } check
               && check.WhenTrue == branch
               && check.Condition.WithoutConversions() switch
               {
                   IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals => IsFieldAndNull(equals.LeftOperand, equals.RightOperand, field) || IsFieldAndNull(equals.RightOperand, equals.LeftOperand, field),
                   IIsPatternOperation { Pattern: IConstantPatternOperation { Value: var constant } } pattern => IsField(pattern.Value, field) && IsNull(constant),
                   _ => false,
               };
    }

    private static bool IsFieldAndNull(IOperation candidate, IOperation other, IFieldSymbol field) => IsField(candidate, field) && IsNull(other);

    private static bool IsField(IOperation operation, IFieldSymbol field)
        => operation.WithoutConversions() is IFieldReferenceOperation { Field: var read } && SymbolEqualityComparer.Default.Equals(read.OriginalDefinition, field.OriginalDefinition);

    private static bool IsNull(IOperation operation) => operation.WithoutConversions() is ILiteralOperation { ConstantValue: { HasValue: true, Value: null } };

    // NetCoreServer's `Connect(socket)` and `Disconnect()`, the Tsavorite log's `Reset()` and
    // `Initialize(…)`: a method that, taking no lock anywhere, sets this object's state as a whole
    // (plain stores to at least this many of its fields and properties, the write among them) is a
    // lifecycle step — set-up, reset, restore — that the type keeps apart from its concurrent use;
    // its one write to a field some other member updates under a lock is not a slip in a locking
    // protocol it never joins. A step that branches on the field decides on its current value — a
    // check-then-act (`if (_state != State.Changing) return; _state = State.Connected;`, LiteNetLib's
    // end-point change) — and is reported.
    private const int WholeStateStores = 4;

    private static bool IsPartOfAWholeStateStep(IOperation write, KnownSymbols symbols)
    {
        if (write is not ISimpleAssignmentOperation { Parent: IExpressionStatementOperation, Target: IFieldReferenceOperation { Field: var field } }
            || RootOf(write) is not { } body
            || AsyncContext.IsInNestedFunction(write, body))
        {
            return false;
        }

        var stored = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var operation in body.Descendants())
        {
            if (operation is ILockOperation
                || (operation is IInvocationOperation call && LockScope.IsAcquire(call, symbols, out _, out _))
                || (operation is IFieldReferenceOperation read && SymbolEqualityComparer.Default.Equals(read.Field, field) && IsDecidedOn(read, body)))
            {
                return false;
            }

            if (operation is ISimpleAssignmentOperation { Target: IMemberReferenceOperation { Instance: null or IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } } target }
                && target.Member is IFieldSymbol { IsStatic: false } or IPropertySymbol { IsStatic: false, IsIndexer: false }
                && !AsyncContext.IsInNestedFunction(operation, body))
            {
                stored.Add(target.Member.OriginalDefinition);
            }
        }

        return stored.Count >= WholeStateStores;
    }

    // `public IConversion ExtractNthFrame(int n, Func<string, string> name) { _buildOutputFileName = name; …; return this; }`
    // (Xabe.FFmpeg's conversion builder, whose `Build()` locks to default the same field): a fluent
    // configuration step, returning `this` on every path, configures the builder before it is built; the type's
    // contract keeps it apart from the build. It must take no lock and not decide on the field; a method
    // that returns anything else, or stores the field inside a lambda, is reported.
    private static bool IsFluentConfigurationStep(IOperation write, KnownSymbols symbols)
    {
        if (write is not ISimpleAssignmentOperation { Parent: IExpressionStatementOperation, Target: IFieldReferenceOperation { Field: var field } }
            || RootOf(write) is not { } body
            || AsyncContext.IsInNestedFunction(write, body))
        {
            return false;
        }

        var returnsThis = false;
        foreach (var operation in body.Descendants())
        {
            if (operation is ILockOperation
                || (operation is IInvocationOperation call && LockScope.IsAcquire(call, symbols, out _, out _))
                || (operation is IFieldReferenceOperation read && SymbolEqualityComparer.Default.Equals(read.Field, field) && IsDecidedOn(read, body)))
            {
                return false;
            }

            if (operation is IReturnOperation @return && !AsyncContext.IsInNestedFunction(operation, body))
            {
                if (@return.ReturnedValue?.WithoutConversions() is not IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance })
                {
                    return false;
                }

                returnsThis = true;
            }
        }

        return returnsThis;
    }

    // The read is (part of) what a branch, loop or switch decides on: `if (_state != …) return;`.
    // Using the field (`_buffer.Reserve(n)`) decides nothing.
    private static bool IsDecidedOn(IOperation read, IOperation body)
    {
        IOperation child = read;
        for (var current = read.Parent; current is not null && current != body; child = current, current = current.Parent)
        {
            switch (current)
            {
                case IConditionalOperation conditional when conditional.Condition == child:
                case IWhileLoopOperation loop when loop.Condition == child:
                case IForLoopOperation forLoop when forLoop.Condition == child:
                case ISwitchOperation @switch when @switch.Value == child:
                case ISwitchExpressionOperation expression when expression.Value == child:
                case ICoalesceOperation coalesce when coalesce.Value == child:
                case IConditionalAccessOperation access when access.Operation == child:
                    return true;
                case IAnonymousFunctionOperation or ILocalFunctionOperation or IBlockOperation or IExpressionStatementOperation:
                    return false;
            }
        }

        return false;
    }

    // `_count = 0;` before `_timer = new Timer(Tick, ...)` in the same method: nothing runs
    // concurrently yet, so the write needs no lock.
    private static bool IsBeforeConcurrentStart(IOperation write, KnownSymbols symbols)
        => AnyStatementAround(write, after: true, statement => StartsConcurrentWork(statement, symbols));

    // `_logicThread.Join();` then `_lastPeerId = 0;` in the same method (LiteNetLib's Stop): the worker
    // that wrote the field under the lock has ended, so the reset races with nothing it did. Only an
    // untimed `Thread.Join()` earlier in an enclosing block counts: a timed join may return first.
    private static bool IsAfterThreadJoined(IOperation write, KnownSymbols symbols)
        => AnyStatementAround(write, after: false, statement => JoinsAThread(statement, symbols));

    private static bool JoinsAThread(IOperation statement, KnownSymbols symbols)
    {
        foreach (var operation in statement.DescendantsAndSelf())
        {
            if (operation is IInvocationOperation { TargetMethod: { Name: "Join", Parameters.Length: 0 } join }
                && Is(join.ContainingType.OriginalDefinition, symbols.Thread)
                && !IsInLambdaBelow(operation, statement))
            {
                return true;
            }
        }

        return false;
    }

    // A statement of a block enclosing `write` (within its function) that comes after (or before) the
    // statement holding it and satisfies `test`.
    private static bool AnyStatementAround(IOperation write, bool after, System.Func<IOperation, bool> test)
    {
        IOperation child = write;
        for (var current = write.Parent; current is not null; child = current, current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }

            if (current is not IBlockOperation block)
            {
                continue;
            }

            var passed = false;
            foreach (var statement in block.Operations)
            {
                if (statement == child)
                {
                    if (!after)
                    {
                        break;
                    }

                    passed = true;
                    continue;
                }

                if (passed == after && test(statement))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsInLambdaBelow(IOperation operation, IOperation statement)
    {
        for (var current = operation.Parent; current is not null && current != statement; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    // `_timer = new Timer(Tick, null, Timeout.Infinite, Timeout.Infinite);`, `_thread = new Thread(Run);`:
    // set-up of work that is not running yet (it starts with Change/Start later).
    private static bool CreatesStoppedWork(IOperation write, KnownSymbols symbols)
    {
        if (write is not ISimpleAssignmentOperation { Value: var value }
            || value.WithoutConversions() is not IObjectCreationOperation { Type: { } type } creation)
        {
            return false;
        }

        if (Is(type.OriginalDefinition, symbols.Thread))
        {
            return true;
        }

        return Is(type.OriginalDefinition, symbols.ThreadingTimer) && Timeouts.IsInfinite(Timeouts.ArgumentFor(creation, "dueTime"));
    }

    // `set { if (_readonlyProperties) throw new InvalidOperationException(…); _closed = value; }` (Hazelcast's
    // connection callbacks, "must be set before the connection is established"): a setter that refuses
    // once the object's state says it started writes only during set-up, before the locked code runs.
    // The refusal must come first in the setter, test only fields of this object (`_isActive == 1`), and
    // throw InvalidOperationException or NotSupportedException — not ObjectDisposedException, which says
    // nothing about set-up.
    private static bool IsRefusedOnceStarted(IOperation write)
    {
        if (write.Syntax.FirstAncestorOrSelf<AccessorDeclarationSyntax>() is not { Body: { } body } accessor
            || !accessor.IsKind(SyntaxKind.SetAccessorDeclaration) && !accessor.IsKind(SyntaxKind.InitAccessorDeclaration)
            || write.SemanticModel is not { } model)
        {
            return false;
        }

        foreach (var statement in body.Statements)
        {
            if (statement.Span.Contains(write.Syntax.Span))
            {
                return false;
            }

            if (statement is IfStatementSyntax { Else: null, Statement: var then } guard
                && SoleThrow(then) is { Expression: ObjectCreationExpressionSyntax creation }
                && model.GetTypeInfo(creation).Type is { Name: "InvalidOperationException" or "NotSupportedException", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } }
                && TestsOnlyOwnFields(model.GetOperation(guard.Condition)))
            {
                return true;
            }
        }

        return false;
    }

    private static ThrowStatementSyntax? SoleThrow(StatementSyntax statement) => statement switch
    {
        ThrowStatementSyntax thrown => thrown,
        BlockSyntax { Statements.Count: 1 } block => block.Statements[0] as ThrowStatementSyntax,
        _ => null,
    };

    private static bool TestsOnlyOwnFields(IOperation? condition)
    {
        if (condition is null)
        {
            return false;
        }

        var field = false;
        foreach (var operation in condition.DescendantsAndSelf())
        {
            switch (operation)
            {
                case IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation }:
                    field = true;
                    break;
                case IInstanceReferenceOperation or ILiteralOperation or IConversionOperation or IBinaryOperation or IUnaryOperation or IParenthesizedOperation:
                    break;
                default:
                    return false;
            }
        }

        return field;
    }

    private static bool StartsConcurrentWork(IOperation statement, KnownSymbols symbols)
    {
        foreach (var operation in statement.DescendantsAndSelf())
        {
            // `_refreshTask ??= PeriodicallyRefreshAsync();` (Orleans' gateway manager): a service loop of the
            // project started and not awaited runs on from here.
            if (operation is IInvocationOperation { TargetMethod.IsAsync: true } started
                && !started.IsAwaitedWhereCalled()
                && statement.SemanticModel is { } model
                && ServiceLoops.IsAServiceLoop(started.TargetMethod.OriginalDefinition, model.Compilation, symbols.BlockingCollectionOfT, System.Threading.CancellationToken.None))
            {
                return true;
            }

            // `_socket = socket;` then `_forwardedPort.Closing += ForwardedPort_Closing;` (SSH.NET's
            // channels): the handler, and the locked clean-up it runs, can fire from the subscription on.
            // Another object's event only: subscribing to this object's own event starts nothing.
            if (operation is IEventAssignmentOperation { Adds: true, EventReference: IEventReferenceOperation { Instance: var source, Event: var subscribed } }
                && (source is null
                    ? !SymbolEqualityComparer.Default.Equals(subscribed.ContainingType, ContainingTypeOf(statement))
                    : source.WithoutConversions() is not IInstanceReferenceOperation))
            {
                return true; // another object's event, or another type's static event
            }

            if (operation is IInvocationOperation handOver && HandsItsCallbacksToAStart(handOver, statement))
            {
                return true;
            }

            var (type, name) = operation switch
            {
                IInvocationOperation invocation => (invocation.TargetMethod.ContainingType, invocation.TargetMethod.Name),
                IObjectCreationOperation creation => (creation.Type as INamedTypeSymbol, ".ctor"),
                _ => (null, null),
            };

            if (type is null)
            {
                continue;
            }

            var definition = type.OriginalDefinition;
            if ((name == "Start" && (Is(definition, symbols.Thread) || Is(definition, symbols.TimersTimer) || Is(definition, symbols.Task)))
                || (name == ".ctor" && Is(definition, symbols.ThreadingTimer))
                || (name == "Change" && Is(definition, symbols.ThreadingTimer))
                || (name == "Run" && Is(definition, symbols.Task))
                || (name == "StartNew" && (Is(definition, symbols.TaskFactory) || Is(definition, symbols.TaskFactoryOfT)))
                || (name is "QueueUserWorkItem" or "UnsafeQueueUserWorkItem" && Is(definition, symbols.ThreadPool))
                || (operation is IInvocationOperation subscription && SubscribesAnObservable(subscription)))
            {
                return true;
            }
        }

        return false;
    }

    // `_runCompletedClients = 0;` then `_parallelOperationManager.StartWork(workloads, handler, GetParallelEventHandler,
    // StartTestRunOnConcurrentManager);` (vstest's parallel run): a method of this object handed to another object's
    // `Start…`/`Begin…`/`Run…`/`Schedule…`/`Queue…`/`Post…`/`Enqueue…` call, not awaited, is called back from that
    // object's work from then on — the locked callbacks that update the field run only after it. A method group
    // only (a lambda given to a `Run…` call is often run there and then), on another object.
    private static bool HandsItsCallbacksToAStart(IInvocationOperation invocation, IOperation statement)
    {
        if (invocation.Instance is null or IInstanceReferenceOperation
            || !StartsByName(invocation.TargetMethod.Name)
            || invocation.IsAwaitedWhereCalled()
            || ContainingTypeOf(statement) is not { } type)
        {
            return false;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Value.WithoutConversions() is IDelegateCreationOperation { Target: IMethodReferenceOperation { Method: { IsStatic: false } method, Instance: null or IInstanceReferenceOperation } }
                && SymbolEqualityComparer.Default.Equals(method.ContainingType, type))
            {
                return true;
            }
        }

        return false;
    }

    private static bool StartsByName(string name)
    {
        // `RunSynchronously`, `RunInline`, `RunAndWait`: run the callback now, on this thread
        if (name.IndexOf("Sync", System.StringComparison.Ordinal) >= 0
            || name.IndexOf("Inline", System.StringComparison.Ordinal) >= 0
            || name.IndexOf("Wait", System.StringComparison.Ordinal) >= 0)
        {
            return false;
        }

        foreach (var prefix in StartPrefixes)
        {
            if (name.StartsWith(prefix, System.StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    private static readonly string[] StartPrefixes = { "Start", "Begin", "Run", "Schedule", "Queue", "Post", "Enqueue" };

    private static INamedTypeSymbol? ContainingTypeOf(IOperation operation)
        => operation.SemanticModel?.GetEnclosingSymbol(operation.Syntax.SpanStart)?.ContainingType;

    // `_hasValueAll = false;` then `_subscriptions[i] = sources[i].Subscribe(observer);` (Rx's operators):
    // notifications, and the locked callbacks they run, start with the subscription. `Subscribe` (or an
    // extension named `Subscribe…`) on a System.IObservable<T>.
    private static bool SubscribesAnObservable(IInvocationOperation invocation)
    {
        if (!invocation.TargetMethod.Name.StartsWith("Subscribe", System.StringComparison.Ordinal))
        {
            return false;
        }

        var receiver = invocation.Instance?.Type
            ?? (invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0 ? invocation.Arguments[0].Value.WithoutConversions().Type : null);
        return receiver is INamedTypeSymbol named && (IsObservable(named) || named.AllInterfaces.Any(IsObservable));
    }

    private static bool IsObservable(INamedTypeSymbol type)
        => type is { Name: "IObservable", Arity: 1, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };

    private static bool Is(ITypeSymbol type, INamedTypeSymbol? known) => SymbolEqualityComparer.Default.Equals(type, known);

    // if (_x == null) { lock (_gate) { _x = new X(); } }: two threads both see null, then both
    // write in turn. Reported at the unguarded check; double-checked locking (the same check again
    // inside the lock) is the correct form and is not reported.
    private static void AnalyzeCheckThenAct(OperationAnalysisContext context, INamedTypeSymbol type)
    {
        var conditional = (IConditionalOperation)context.Operation;
        if (conditional.WhenTrue is null || IsExempt(context.ContainingSymbol) || LockScope.IsAnyLockHeld(conditional))
        {
            return;
        }

        foreach (var read in conditional.Condition.DescendantsAndSelf())
        {
            if (read is not IFieldReferenceOperation { Field: { IsReadOnly: false, IsConst: false, IsVolatile: false } field, Instance: null or IInstanceReferenceOperation }
                || !SymbolEqualityComparer.Default.Equals(field.ContainingType, type)
                || GuardedWriteWithoutRecheck(conditional.WhenTrue, field) is not { } guard
                || IsDocumentedNotThreadSafe(type, context.CancellationToken)
                || IsStateOfTheObjectsOneThread(field, conditional, context))
            {
                continue;
            }

            var lockName = guard is ITypeSymbol ? "this" : guard.Name;
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.TW2003InconsistentlySynchronizedField,
                read.Syntax.GetLocation(),
                field.Name,
                lockName,
                context.ContainingSymbol.Name,
                "checked"));
            return;
        }
    }

    // `if (cancelToken.WaitHandle.WaitOne(t)) { lock (this) { …; cancelToken = cancel.Token; } }` in the
    // `Run` of Aerospike's timeout queue: Run is the body of the one thread its constructor starts, and
    // nothing else (constructors aside) writes the field. No second thread can change it between the
    // check and the act; the lock is there for another field. Asked only for would-be findings.
    private static bool IsStateOfTheObjectsOneThread(IFieldSymbol field, IConditionalOperation check, OperationAnalysisContext context)
        => context.ContainingSymbol is IMethodSymbol { MethodKind: MethodKind.Ordinary, DeclaredAccessibility: Accessibility.Private, IsStatic: false } method
           && !field.IsStatic // every object's thread would share a static field
           && !AsyncContext.IsInNestedFunction(check, RootOf(check))
           && FieldWriters.AreOnlyConstructorsAnd(field, method, context.CancellationToken)
           && DedicatedThreads.IsTheOneThreadOfItsObject(method, context.Compilation, context.CancellationToken);

    private static ISymbol? GuardedWriteWithoutRecheck(IOperation body, IFieldSymbol field)
    {
        foreach (var operation in body.Descendants())
        {
            // `_map ??= new …` re-checks by itself (Elastic APM's lazily created span statistics).
            if (operation is IAssignmentOperation { Target: IFieldReferenceOperation target } and not ICoalesceAssignmentOperation
                && SymbolEqualityComparer.Default.Equals(target.Field, field)
                && !IsRecheckedUnderLock(operation, field)
                && !IsSelfCoalescing(operation, field)
                && !IsBlindReset(operation, field)
                && !IsTestAndSet(operation, field)
                && FirstHeldLock(operation) is { } held)
            {
                return held;
            }
        }

        return null;
    }

    // `_importedUris = _importedUris ?? [];` is `??=` spelled out, and re-checks by itself the same way
    // (AngleSharp's document, which creates its imported-URI set lazily under a lock).
    private static bool IsSelfCoalescing(IOperation write, IFieldSymbol field)
        => write is ISimpleAssignmentOperation { Value: var value }
           && value.WithoutConversions() is ICoalesceOperation { Value: var first }
           && first.WithoutConversions() is IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } read
           && SymbolEqualityComparer.Default.Equals(read.Field, field);

    // `if (_writer is { } w) lock (w) { _writer = null; }`: the lock only resets the field and never
    // reads it, so two threads that both passed the check both store null — the same end state. So
    // does `lock (this) { _timer?.Dispose(); _timer = null; }` (gRPC's call clean-up): the second
    // thread finds null and does nothing. (`_conn.Dispose(); _conn = null;` races and is reported.)
    private static bool IsBlindReset(IOperation write, IFieldSymbol field)
    {
        if (write is not ISimpleAssignmentOperation { Value: var value }
            || value.WithoutConversions() is not (ILiteralOperation { ConstantValue.Value: null } or IDefaultValueOperation))
        {
            return false;
        }

        if (EnclosingLock(write)?.Body is not { } lockBody)
        {
            return false;
        }

        foreach (var operation in lockBody.Descendants())
        {
            if (operation is IFieldReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Field, field)
                && reference.Parent != write
                && !(reference.Parent is IConditionalAccessOperation access && access.Operation == reference))
            {
                return false;
            }
        }

        return true;
    }

    // `if (_isFirstTick) { lock (g) { first = _isFirstTick; _isFirstTick = false; } }` (Coravel's
    // scheduler): inside the lock the field is copied to a local before a constant is stored — a
    // test-and-set. What the code acts on is the value taken under the lock; two threads that passed
    // the outer check cannot both see `true`.
    private static bool IsTestAndSet(IOperation write, IFieldSymbol field)
    {
        if (write is not ISimpleAssignmentOperation { Value: var value } || value.WithoutConversions() is not (ILiteralOperation or IDefaultValueOperation))
        {
            return false;
        }

        if (EnclosingLock(write)?.Body is not { } lockBody)
        {
            return false;
        }

        foreach (var operation in lockBody.Descendants())
        {
            if (operation is IFieldReferenceOperation reference
                && SymbolEqualityComparer.Default.Equals(reference.Field, field)
                && reference.Syntax.SpanStart < write.Syntax.SpanStart
                && IsCopiedToALocal(reference))
            {
                return true;
            }
        }

        return false;
    }

    // The innermost lock statement around the operation.
    private static ILockOperation? EnclosingLock(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is ILockOperation @lock)
            {
                return @lock;
            }
        }

        return null;
    }

    // `first = _isFirstTick;` or `var old = _conn;`: the value is taken (an exchange), not used in
    // place (`_conn.Dispose(); _conn = null;` still races: the second thread disposes null).
    private static bool IsCopiedToALocal(IOperation read)
        => read.ParentSkippingConversions() is ISimpleAssignmentOperation { Target: ILocalReferenceOperation } or IVariableInitializerOperation;

    // The write sits under an `if` (inside the lock) that reads the field again — directly, or
    // through a local set inside the lock from the field or from a helper of the type
    // (`var cached = Lookup(key); if (cached is null) { _cached = … }`).
    private static bool IsRecheckedUnderLock(IOperation write, IFieldSymbol field)
    {
        var @lock = EnclosingLock(write);
        IOperation child = write;
        for (var current = write.Parent; current is not null && current is not ILockOperation; child = current, current = current.Parent)
        {
            if (current is IConditionalOperation inner && ReadsField(inner.Condition, field, @lock))
            {
                return true;
            }

            // `if (_closed || _writer == null) return;` earlier in the same block: a guard clause re-check.
            if (current is IBlockOperation block && HasGuardClauseBefore(block, child, field, @lock))
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasGuardClauseBefore(IBlockOperation block, IOperation statement, IFieldSymbol field, ILockOperation? @lock)
    {
        foreach (var earlier in block.Operations)
        {
            if (earlier == statement)
            {
                return false;
            }

            if (earlier is IConditionalOperation { WhenFalse: null } guard && ReadsField(guard.Condition, field, @lock) && guard.WhenTrue.AlwaysLeaves())
            {
                return true;
            }
        }

        return false;
    }

    private static bool ReadsField(IOperation condition, IFieldSymbol field, ILockOperation? @lock)
    {
        foreach (var read in condition.DescendantsAndSelf())
        {
            if (read is IFieldReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Field, field))
            {
                return true;
            }

            if (read is ILocalReferenceOperation local && @lock is not null && IsSetFromField(local.Local, @lock.Body, field))
            {
                return true;
            }

            if (read is IPropertyReferenceOperation { Property: var property } && GetterReads(property, field))
            {
                return true;
            }
        }

        return false;
    }

    // `bool IsBusy => current != null;` tested as `if (IsBusy) throw …;` (MailKit's engine): a
    // non-virtual property of the field's type whose getter names the field reads it.
    private static bool GetterReads(IPropertySymbol property, IFieldSymbol field)
    {
        if (property.IsVirtual || property.IsAbstract || property.IsOverride
            || !SymbolEqualityComparer.Default.Equals(property.ContainingType?.OriginalDefinition, field.ContainingType?.OriginalDefinition)
            || property.GetMethod is not { DeclaringSyntaxReferences: { Length: 1 } references })
        {
            return false;
        }

        foreach (var node in references[0].GetSyntax().DescendantNodesAndSelf())
        {
            if (node is IdentifierNameSyntax { Identifier.ValueText: var name } && name == field.Name)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsSetFromField(ILocalSymbol local, IOperation lockBody, IFieldSymbol field)
    {
        foreach (var operation in lockBody.Descendants())
        {
            var value = operation switch
            {
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } assignment
                    when SymbolEqualityComparer.Default.Equals(target.Local, local) => assignment.Value,
                IVariableDeclaratorOperation { Initializer.Value: { } initial } declarator
                    when SymbolEqualityComparer.Default.Equals(declarator.Symbol, local) => initial,
                _ => null,
            };
            if (value is null)
            {
                continue;
            }

            foreach (var part in value.DescendantsAndSelf())
            {
                if (part is IFieldReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Field, field)
                    || part is IInvocationOperation { TargetMethod: { IsVirtual: false, IsAbstract: false } helper }
                       && SymbolEqualityComparer.Default.Equals(helper.ContainingType?.OriginalDefinition, field.ContainingType?.OriginalDefinition))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private sealed class HelperCall
    {
        public HelperCall(IMethodSymbol callee, ISymbol caller, ImmutableArray<ISymbol> held, bool isCall, bool inLambda, SyntaxNode syntax, bool awaited = false)
        {
            Syntax = syntax;
            Awaited = awaited;
            Callee = callee;
            Caller = caller;
            Held = held;
            IsCall = isCall;
            InLambda = inLambda;
        }

        public IMethodSymbol Callee { get; }

        public SyntaxNode Syntax { get; }

        public ISymbol Caller { get; }

        public ImmutableArray<ISymbol> Held { get; }

        /// <summary>False for a method group: the helper may run anywhere.</summary>
        public bool IsCall { get; }

        /// <summary>The call sits in a lambda or local function: only locks held there count.</summary>
        public bool InLambda { get; }

        /// <summary>The call is awaited where it is made: an async callee runs to its end before the
        /// caller goes on (and lets go of an async lock it holds).</summary>
        public bool Awaited { get; }
    }

    /// <summary>Which lock every caller of a private helper holds, through chains of helpers. An async
    /// helper gets one only when every call awaits it where it is made: otherwise only its part before
    /// the first await runs while the caller holds the lock
    /// (<c>lock (_openLock) { _openTask = OpenHelperAsync(); }</c> — the MongoDB driver).</summary>
    private sealed class Callers
    {
        private readonly Dictionary<IMethodSymbol, List<HelperCall>> _byCallee = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<IMethodSymbol, ISymbol?> _held = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<IMethodSymbol, ISymbol?> _heldAcrossTypes = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<IMethodSymbol, bool> _constructing = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<IMethodSymbol, bool> _neverRuns = new(SymbolEqualityComparer.Default);
        private readonly Dictionary<IMethodSymbol, List<CallSite>?> _sites = new(SymbolEqualityComparer.Default);
        private readonly INamedTypeSymbol _type;
        private readonly Compilation _compilation;
        private readonly CancellationToken _cancellationToken;

        public Callers(List<HelperCall> calls, INamedTypeSymbol type, Compilation compilation, CancellationToken cancellationToken)
        {
            _type = type;
            _compilation = compilation;
            _cancellationToken = cancellationToken;
            foreach (var call in calls)
            {
                if (!_byCallee.TryGetValue(call.Callee, out var list))
                {
                    _byCallee[call.Callee] = list = new List<HelperCall>();
                }

                list.Add(call);
            }
        }

        /// <summary>The lock every caller in the type holds, for a private helper.</summary>
        public ISymbol? HeldByEveryCaller(IMethodSymbol method)
        {
            method = method.OriginalDefinition;
            if (_held.TryGetValue(method, out var known))
            {
                return known;
            }

            _held[method] = null; // a cycle proves nothing
            var result = method.DeclaredAccessibility == Accessibility.Private && _byCallee.TryGetValue(method, out var calls) && RunsWhileCalled(method, calls) ? Common(calls) : null;
            _held[method] = result;
            return result;
        }

        /// <summary>
        /// The lock every call of the method in the compilation holds, asked only when a finding would
        /// otherwise be reported. Calls are found by name and bound here: the type's own, and those
        /// from other types — an internal helper the NATS client's connection calls under
        /// <c>lock (s.mu)</c>; an override the base class calls under its lock (log4net's
        /// <c>DoAppend</c> → <c>lock (LockObj) { Append(e); }</c>, NLog's write hooks), a call of any
        /// method the override overrides counting. An unlocked call counts when its own caller is
        /// held the same way, a few levels up. Any use that is not a call proves nothing.
        /// </summary>
        public ISymbol? HeldByEveryCallerInTheCompilation(IMethodSymbol method) => HeldAcrossTypes(method.OriginalDefinition, depth: 0);

        private ISymbol? HeldAcrossTypes(IMethodSymbol method, int depth)
        {
            if (_heldAcrossTypes.TryGetValue(method, out var known))
            {
                return known;
            }

            _heldAcrossTypes[method] = null; // a cycle proves nothing
            ISymbol? result = null;
            if (depth <= MaxCallerDepth && CallSites.CanKnowCallers(method) && CallsInTheCompilation(method) is { Count: > 0 } calls && RunsWhileCalled(method, calls))
            {
                result = Common(calls, depth + 1);
            }

            _heldAcrossTypes[method] = result;
            return result;
        }

        // An async helper runs inside its caller's lock only when every call awaits it right there
        // (`using (await _lock.AcquireAsync()) { … await PruneNoLockAsync(); }`, DistributedLock's pool);
        // a call that keeps the task lets the part after its first await run after the lock is let go.
        private static bool RunsWhileCalled(IMethodSymbol method, List<HelperCall> calls)
        {
            if (!method.IsAsync)
            {
                return true;
            }

            foreach (var call in calls)
            {
                if (!call.Awaited)
                {
                    return false;
                }
            }

            return true;
        }

        // Callers of callers: enough for hook -> helper -> write, bounded so a miss costs little.
        private const int MaxCallerDepth = 3;

        private ISymbol? Common(List<HelperCall> calls, int? depth = null)
        {
            ISymbol? common = null;
            foreach (var call in calls)
            {
                if (!call.IsCall)
                {
                    return null;
                }

                // `FreeList() { Initialize(); }` beside `lock (gate) { …; Initialize(); }`: a constructor of
                // the type runs before the object is shared, so its call needs no lock.
                if (!call.InLambda && call.Caller is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor } constructor
                    && SymbolEqualityComparer.Default.Equals(constructor.ContainingType.OriginalDefinition, call.Callee.ContainingType.OriginalDefinition))
                {
                    continue;
                }

                // A private method of the type that nothing in it calls or refers to any more (Bedrock's HTTP/2
                // writer kept one whose callers are commented out) never runs: its calls prove nothing either way.
                if (!call.InLambda && call.Caller is IMethodSymbol { MethodKind: MethodKind.Ordinary } unused && IsUnusedPrivate(unused))
                {
                    continue;
                }

                // `AppDomain.CurrentDomain.ProcessExit += (_, _) => CloseOwnedHandles();` (Terminal.Gui's terminal
                // device): the handler runs as the process ends, after the last use, like a finalizer.
                if (call.InLambda && IsProcessExitHandler(call.Syntax))
                {
                    continue;
                }

                // NLog's `Close() { lock (SyncRoot) { CloseTarget(); } }` beside `Dispose(bool) { CloseTarget(); }`:
                // teardown runs after the last use, like the writes Dispose makes itself.
                if (!call.InLambda && call.Caller is IMethodSymbol { MethodKind: MethodKind.Ordinary or MethodKind.ExplicitInterfaceImplementation or MethodKind.Destructor } teardown && IsExempt(teardown))
                {
                    continue;
                }

                var candidate = FirstOrNull(call.Held)
                    ?? (call.InLambda || call.Caller is not IMethodSymbol caller ? null
                        : depth is { } level ? HeldAcrossTypes(caller.OriginalDefinition, level) : HeldByEveryCaller(caller));
                if (candidate is null || (common is not null && !SymbolEqualityComparer.Default.Equals(common, candidate) && !System.Linq.Enumerable.Contains(call.Held, common, SymbolEqualityComparer.Default)))
                {
                    // `return; … CompleteProcessing();` (Rollbar's telemetry thread, kept "until implemented"):
                    // a call that never runs proves nothing either way. Asked only of a call that would
                    // otherwise end the search.
                    if (DeadCode.IsAfterAJump(call.Syntax))
                    {
                        continue;
                    }

                    return null;
                }

                common ??= candidate;
            }

            return common;
        }

        // The call sits in a lambda subscribed to `AppDomain.ProcessExit` (`+=`), directly.
        private bool IsProcessExitHandler(SyntaxNode call)
        {
            var lambda = call.FirstAncestorOrSelf<AnonymousFunctionExpressionSyntax>();
            if (lambda?.Parent is not AssignmentExpressionSyntax { Left: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ProcessExit" } target } subscription
                || !subscription.IsKind(SyntaxKind.AddAssignmentExpression)
                || subscription.Right != lambda
                || !_compilation.ContainsSyntaxTree(call.SyntaxTree))
            {
                return false;
            }

#pragma warning disable RS1030 // Asked only for would-be findings, of a call found in another member.
            return _compilation.GetSemanticModel(call.SyntaxTree).GetSymbolInfo(target, _cancellationToken).Symbol is IEventSymbol
            {
                ContainingType: { Name: "AppDomain", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } },
            };
#pragma warning restore RS1030
        }

        // Private, not virtual, without attributes (a serialization callback runs without a caller), in a type
        // without nested types, and no call or method group of it anywhere in its type.
        private bool IsUnusedPrivate(IMethodSymbol method)
        {
            method = method.OriginalDefinition;
            return method.DeclaredAccessibility == Accessibility.Private
                   && !method.IsVirtual && !method.IsOverride && !method.IsAbstract
                   && method.ExplicitInterfaceImplementations.IsEmpty
                   && method.GetAttributes().IsEmpty
                   && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, _type.OriginalDefinition)
                   && _type.GetTypeMembers().IsEmpty // a nested type may call it, and is analysed on its own
                   && !_byCallee.ContainsKey(method);
        }

        // Every call of the method in the compilation, with the locks held at each; null when a use is
        // not a call.
        private List<HelperCall>? CallsInTheCompilation(IMethodSymbol method)
        {
            if (SitesOf(method) is not { } sites)
            {
                return null;
            }

            var calls = new List<HelperCall>(sites.Count);
            foreach (var site in sites)
            {
                calls.Add(new HelperCall(method, site.Caller, KnownHeldLocks(site.Invocation), isCall: true, AsyncContext.IsInNestedFunction(site.Invocation, RootOf(site.Invocation)), site.Invocation.Syntax, site.Invocation.IsAwaitedWhereCalled()));
            }

            return calls;
        }

        /// <summary>
        /// Every call of the method in the compilation is made by a constructor, directly or through
        /// methods that are (a few levels up): `new LiteEngine()` → `Open()` → `_walIndex.RestoreIndex()`.
        /// Initialization before the object graph is handed out, not concurrent code. Asked only for
        /// would-be findings.
        /// </summary>
        public bool RunsOnlyWhileConstructing(IMethodSymbol method) => OnlyFromConstructors(method.OriginalDefinition, depth: 0);

        private bool OnlyFromConstructors(IMethodSymbol method, int depth)
            => Memoized(_constructing, method, () => depth <= MaxCallerDepth
                                                   && IsPlainMethod(method)
                                                   && CallSites.CanKnowCallers(method)
                                                   && SitesOf(method) is { Count: > 0 } calls
                                                   && AllInConstructors(calls, depth));

        // A question about a method's callers, answered once; while it is being answered (a cycle of
        // callers) the answer is no.
        private static bool Memoized(Dictionary<IMethodSymbol, bool> answers, IMethodSymbol method, System.Func<bool> answer)
        {
            if (answers.TryGetValue(method, out var known))
            {
                return known;
            }

            answers[method] = false;
            var result = answer();
            answers[method] = result;
            return result;
        }

        private static bool IsPlainMethod(IMethodSymbol method)
            => method.MethodKind == MethodKind.Ordinary && !method.IsVirtual && !method.IsAbstract && !method.IsOverride;

        /// <summary>
        /// Nothing in the assembly calls the method, or only methods that nothing calls do: an internal
        /// `Connect(IMessageStream stream)` kept "for tests" (Tmds.DBus sets up a connection over a test
        /// stream that way), or dead code. Its writes cannot race with the assembly's own code; a test that
        /// calls it through InternalsVisibleTo runs it alone. Only methods declared internal: a public
        /// method (also of an internal type: an interface may reach it) or a private one (code being
        /// written has no callers yet; the IDE greys out the dead rest) may run any time, as may a
        /// virtual one, one with attributes (a serialization or test hook invoked by reflection), or one
        /// used other than by calls (a method group).
        /// </summary>
        public bool NeverRuns(IMethodSymbol method) => IsNeverCalled(method.OriginalDefinition, depth: 0);

        private bool IsNeverCalled(IMethodSymbol method, int depth)
            => Memoized(_neverRuns, method, () => depth <= MaxCallerDepth
                                                && IsPlainMethod(method)
                                                && method.DeclaredAccessibility is Accessibility.Internal or Accessibility.ProtectedAndInternal
                                                && method.GetAttributes().IsEmpty
                                                && SitesOf(method) is { } calls
                                                && AllInMethodsNeverCalled(calls, depth));

        private bool AllInMethodsNeverCalled(List<CallSite> calls, int depth)
        {
            foreach (var call in calls)
            {
                if (call.Caller is not IMethodSymbol caller || !IsNeverCalled(caller.OriginalDefinition, depth + 1))
                {
                    return false;
                }
            }

            return true;
        }

        // One search of the compilation per method, shared by the lock and the construction questions.
        private List<CallSite>? SitesOf(IMethodSymbol method)
        {
            if (!_sites.TryGetValue(method, out var sites))
            {
                sites = CallSites.InTheCompilation(method, _compilation, _cancellationToken);
                _sites[method] = sites;
            }

            return sites;
        }

        private bool AllInConstructors(List<CallSite> calls, int depth)
        {
            foreach (var call in calls)
            {
                if (call.Caller is not IMethodSymbol caller
                    || !(caller.MethodKind == MethodKind.Constructor
                         || IsStartedByItsFactory(call, caller)
                         || OnlyFromConstructors(caller.OriginalDefinition, depth + 1)))
                {
                    return false;
                }
            }

            return true;
        }

        // `var redisLock = new RedLock(…); redisLock.Start(); return redisLock;` in a static method of the
        // type (RedLock.net's Create/CreateAsync): the object is set up before anyone else can see it,
        // as in its constructor. The call must be the first use of the new object.
        private static bool IsStartedByItsFactory(CallSite call, IMethodSymbol caller)
        {
            if (!caller.IsStatic
                || call.Invocation.Instance?.WithoutConversions() is not ILocalReferenceOperation { Local: var local } receiver
                || LocalDeclarations.GetInitializer(local, receiver) is not { Value: IObjectCreationOperation { Type: { } created } } declaration
                || !SymbolEqualityComparer.Default.Equals(created.OriginalDefinition, caller.ContainingType.OriginalDefinition)
                || !SymbolEqualityComparer.Default.Equals(call.Invocation.TargetMethod.ContainingType.OriginalDefinition, caller.ContainingType.OriginalDefinition))
            {
                return false;
            }

            foreach (var use in LocalReferences.Collect(declaration.Body, local))
            {
                if (use.Reference.Syntax.SpanStart < receiver.Syntax.SpanStart)
                {
                    return false;
                }
            }

            return true;
        }

        private static ISymbol? FirstOrNull(ImmutableArray<ISymbol> held) => held.IsEmpty ? null : held[0];
    }

    private sealed class FieldAccess
    {
        public FieldAccess(IFieldSymbol field, ISymbol? @lock, IOperation operation, ISymbol member)
        {
            Field = field;
            Lock = @lock;
            Operation = operation;
            Member = member;
        }

        public IFieldSymbol Field { get; }

        public ISymbol? Lock { get; }

        public IOperation Operation { get; }

        public ISymbol Member { get; }
    }

    private readonly struct FieldRead
    {
        public FieldRead(IFieldSymbol field, IOperation operation, ISymbol member)
        {
            Field = field;
            Operation = operation;
            Member = member;
        }

        public IFieldSymbol Field { get; }

        public IOperation Operation { get; }

        public ISymbol Member { get; }
    }
}
