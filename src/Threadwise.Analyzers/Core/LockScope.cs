using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// Which locks are held at an operation, by the symbol of the lock object (a field, a local, a
/// parameter; <c>this</c> is the containing type). Held means: inside a <c>lock (x)</c> body; inside
/// the <c>try</c> of a try/finally whose <c>finally</c> releases x (<c>Monitor.Exit(x)</c>,
/// <c>x.Release()</c>, <c>x.Exit*Lock()</c>, <c>x.ReleaseMutex()</c>, <c>x.Exit()</c>) — the shape of
/// every correct Monitor/SemaphoreSlim/ReaderWriterLockSlim/Mutex region; or inside a
/// <c>using (x.EnterScope())</c> of a <c>System.Threading.Lock</c> or a <c>using</c> of another call named
/// for taking a lock scope (<see cref="ScopeMethodNames"/>: <c>await x.LockAsync()</c>,
/// <c>Section.Enter(gate)</c>); or after a
/// <c>Monitor.Enter(x);</c>, <c>x.Enter*Lock();</c> or <c>x.Wait();</c> statement of the same block (alone
/// or guarded by an <c>if</c>) and before the statement that releases it. Walks only the operation's
/// ancestors within its function: nothing is cached, nothing allocated unless asked for the list.
/// </summary>
internal static class LockScope
{
    /// <summary>True when any lock is held at <paramref name="operation"/>. Allocates nothing unless
    /// the operation sits in a try/finally or a block with a using declaration.</summary>
    public static bool IsAnyLockHeld(IOperation operation)
    {
        IOperation child = operation;
        for (var current = operation.Parent; current is not null; child = current, current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation or ILocalFunctionOperation:
                    return false;
                case ILockOperation @lock when child == @lock.Body:
                    return true;
                case ITryOperation { Finally: not null } @try when child == @try.Body:
                case IUsingOperation @using when child == @using.Body:
                    foreach (var _ in HeldAt(current, child))
                    {
                        return true;
                    }

                    break;
                case IBlockOperation block:
                    for (var i = 0; i < block.Operations.Length && block.Operations[i] != child; i++)
                    {
                        var statement = block.Operations[i];
                        if ((statement is IUsingDeclarationOperation declaration && IsLockScope(declaration, out _))
                            || AssertedHeld(statement) is not null
                            || StillHeld(block, i, child) is not null)
                        {
                            return true;
                        }
                    }

                    break;
            }
        }

        return false;
    }

    /// <summary>The locks held at <paramref name="operation"/>, innermost first. A held lock whose
    /// object has no symbol (<c>lock (GetGate())</c>) is returned as null.</summary>
    public static IEnumerable<ISymbol?> HeldLocks(IOperation operation)
    {
        IOperation child = operation;
        for (var current = operation.Parent; current is not null; child = current, current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                yield break;
            }

            if (current is ILockOperation @lock && child == @lock.Body)
            {
                yield return LockSymbol(@lock.LockedValue);
                continue;
            }

            foreach (var held in HeldAt(current, child))
            {
                yield return held;
            }
        }
    }

    // The locks that `parent` holds over its child: a try whose finally releases them, a
    // using (x.EnterScope()), or `using var scope = x.EnterScope();` earlier in a block.
    private static IEnumerable<ISymbol?> HeldAt(IOperation parent, IOperation child)
    {
        switch (parent)
        {
            case ITryOperation { Finally: { } @finally } @try when child == @try.Body:
                foreach (var released in ReleasedIn(@finally))
                {
                    yield return released;
                }

                break;

            case IUsingOperation { Resources: var resources } @using when child == @using.Body && IsLockScope(resources, out var scope):
                yield return scope;
                break;

            case IBlockOperation block:
                for (var i = 0; i < block.Operations.Length && block.Operations[i] != child; i++)
                {
                    var statement = block.Operations[i];
                    if (statement is IUsingDeclarationOperation declaration && IsLockScope(declaration, out var declared))
                    {
                        yield return declared;
                    }
                    else if (AssertedHeld(statement) is { } asserted)
                    {
                        yield return asserted;
                    }
                    else if (StillHeld(block, i, child) is { } acquired && !IsReleasedInFinallyAfter(block, i, acquired))
                    {
                        yield return acquired;
                    }
                }

                break;
        }
    }

    // `_rw.EnterWriteLock(); …; _rw.ExitWriteLock();` with no finally (TW2006 reports that shape; found
    // dogfooding LiteNetLib): the statements between still run under the lock. The lock statement
    // `block.Operations[index]` takes, when no statement of the block releases it before `child`.
    private static ISymbol? StillHeld(IBlockOperation block, int index, IOperation child)
    {
        if (StraightLineAcquire(block.Operations[index]) is not { } acquired)
        {
            return null;
        }

        for (var i = index + 1; i < block.Operations.Length && block.Operations[i] != child; i++)
        {
            if (Unconditional(block.Operations[i]) is IExpressionStatementOperation { Operation: var released }
                && IsRelease(released, out var symbol)
                && SymbolEqualityComparer.Default.Equals(symbol, acquired))
            {
                return null;
            }
        }

        return acquired;
    }

    // `if (lockTaken) _rw.EnterWriteLock();` (LiteNetLib's `RemovePeer(peer, enableWriteLock)`, whose
    // callers that pass false already hold the lock): the statements after it run under the lock either
    // way, and a matching `if (…) _rw.ExitWriteLock();` ends it. The statement an `if` without `else`
    // guards, when it is the only one; any other statement as it is.
    private static IOperation Unconditional(IOperation statement)
    {
        if (statement is IConditionalOperation { WhenFalse: null, WhenTrue: var guarded })
        {
            return guarded is IBlockOperation { Operations.Length: 1 } block ? block.Operations[0] : guarded;
        }

        return statement;
    }

    // `acquire; try { … } finally { release; }`: the try/finally already names the lock for its body.
    private static bool IsReleasedInFinallyAfter(IBlockOperation block, int index, ISymbol acquired)
    {
        if (index + 1 >= block.Operations.Length || block.Operations[index + 1] is not ITryOperation { Finally: { } @finally })
        {
            return false;
        }

        foreach (var released in ReleasedIn(@finally))
        {
            if (SymbolEqualityComparer.Default.Equals(released, acquired))
            {
                return true;
            }
        }

        return false;
    }

    // A statement that takes a lock by its API and keeps it: `Monitor.Enter(x);`,
    // `rw.EnterReadLock();` (and the write and upgradeable forms), `gate.Wait();` or
    // `await gate.WaitAsync();` on a SemaphoreSlim with no timeout.
    private static ISymbol? StraightLineAcquire(IOperation statement)
    {
        if (Unconditional(statement) is not IExpressionStatementOperation { Operation: var operation })
        {
            return null;
        }

        if (operation is IAwaitOperation { Operation: var awaited })
        {
            operation = awaited is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured } ? configured : awaited;
        }

        if (operation is not IInvocationOperation { TargetMethod: { ContainingType: { } type } method } invocation || !IsThreadingType(type))
        {
            return null;
        }

        return (type.Name, method.Name) switch
        {
            ("Monitor", "Enter") when invocation.Arguments.Length == 1 => LockSymbol(invocation.Arguments[0].Value),
            ("ReaderWriterLockSlim", "EnterReadLock" or "EnterWriteLock" or "EnterUpgradeableReadLock") when invocation.Instance is { } instance => LockSymbol(instance),
            ("SemaphoreSlim", "Wait" or "WaitAsync") when invocation.Instance is { } instance && TakesOnlyATokenIfAnything(invocation) => LockSymbol(instance),
            _ => null,
        };
    }

    private static bool TakesOnlyATokenIfAnything(IInvocationOperation invocation)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter?.Type is not { Name: "CancellationToken" })
            {
                return false;
            }
        }

        return true;
    }

    // `Debug.Assert(Monitor.IsEntered(Lock));` (gRPC's retry calls), `Debug.Assert(_rw.IsWriteLockHeld)`:
    // the method states that its caller holds the lock, so the statements after it run under it.
    private static ISymbol? AssertedHeld(IOperation statement)
    {
        if (statement is not IExpressionStatementOperation { Operation: IInvocationOperation { TargetMethod: { Name: "Assert", ContainingType.Name: "Debug" or "Trace" }, Arguments: { Length: > 0 } arguments } }
            || arguments[0].Value.WithoutConversions() is not { } condition)
        {
            return null;
        }

        return condition switch
        {
            IInvocationOperation { TargetMethod: { Name: "IsEntered", ContainingType.Name: "Monitor" }, Arguments: { Length: 1 } entered } => LockSymbol(entered[0].Value),
            IPropertyReferenceOperation { Property.Name: "IsWriteLockHeld" or "IsReadLockHeld" or "IsUpgradeableReadLockHeld" or "IsHeldByCurrentThread", Instance: { } instance } => LockSymbol(instance),
            _ => null,
        };
    }

    /// <summary>
    /// <paramref name="lockSymbol"/>, a <c>ReaderWriterLockSlim</c>, is held at <paramref name="operation"/>
    /// only for reading: taken by <c>EnterReadLock()</c> (a <c>try</c> whose <c>finally</c> calls
    /// <c>ExitReadLock()</c>, or the straight-line call earlier in an enclosing block) and not also for
    /// writing or upgradeable reading around it. Readers do not exclude each other, so a write made there
    /// is not guarded by the lock.
    /// </summary>
    public static bool IsHeldOnlyForReading(IOperation operation, ISymbol lockSymbol)
    {
        var read = false;
        IOperation child = operation;
        for (var current = operation.Parent; current is not null and not (IAnonymousFunctionOperation or ILocalFunctionOperation); child = current, current = current.Parent)
        {
            switch (current)
            {
                case ITryOperation { Finally: { } @finally } @try when child == @try.Body:
                    foreach (var call in @finally.Descendants())
                    {
                        if (IsReadMode(call, lockSymbol, enter: false) is { } exitsRead)
                        {
                            if (!exitsRead)
                            {
                                return false;
                            }

                            read = true;
                        }
                    }

                    break;
                case IUsingOperation { Resources: var resources } @using when child == @using.Body:
                    if (ScopeMode(resources, lockSymbol) is { } scopeReads)
                    {
                        if (!scopeReads)
                        {
                            return false;
                        }

                        read = true;
                    }

                    break;
                case IBlockOperation block:
                    for (var i = 0; i < block.Operations.Length && block.Operations[i] != child; i++)
                    {
                        var entersRead = block.Operations[i] switch
                        {
                            IExpressionStatementOperation { Operation: var statement } => IsReadMode(statement, lockSymbol, enter: true),
                            IUsingDeclarationOperation declaration => ScopeMode(declaration, lockSymbol),
                            _ => null,
                        };
                        if (entersRead is { } reads)
                        {
                            if (!reads)
                            {
                                return false;
                            }

                            read = true;
                        }
                    }

                    break;
            }
        }

        return read;
    }

    // `rw.EnterReadLock()` / `rw.ExitReadLock()` → true; the write and upgradeable forms → false; anything
    // else (another call, another lock) → null. Compared by name: no string is built.
    private static bool? IsReadMode(IOperation operation, ISymbol lockSymbol, bool enter)
    {
        if (operation is not IInvocationOperation { Instance: { } instance, TargetMethod: { ContainingType.Name: "ReaderWriterLockSlim", Name: var name } }
            || !SymbolEqualityComparer.Default.Equals(LockSymbol(instance), lockSymbol))
        {
            return null;
        }

        return (enter, name) switch
        {
            (true, "EnterReadLock") or (false, "ExitReadLock") => true,
            (true, "EnterWriteLock" or "EnterUpgradeableReadLock") or (false, "ExitWriteLock" or "ExitUpgradeableReadLock") => false,
            _ => null,
        };
    }

    /// <summary>The symbol that identifies a lock object: the field, local or parameter, or the
    /// containing type for <c>this</c> and <c>typeof(T)</c>.</summary>
    public static ISymbol? LockSymbol(IOperation value)
    {
        return value.WithoutConversions() switch
        {
            IFieldReferenceOperation field => field.Field,
            ILocalReferenceOperation local => local.Local,
            IParameterReferenceOperation parameter => parameter.Parameter,
            IInstanceReferenceOperation instance => instance.Type,
            ITypeOfOperation typeOf => typeOf.TypeOperand,
            IPropertyReferenceOperation property => property.Property,
            _ => null,
        };
    }

    /// <summary>
    /// False when no declaration of <paramref name="type"/> has the syntax any held lock needs: no
    /// <c>lock</c> statement, no call named like a release (<see cref="IsRelease"/>) and no
    /// <c>EnterScope</c>. A look-up in each tree's lock tokens (<see cref="LockTokens"/>), so per-type
    /// rules skip the types that never lock before registering anything for them; nested types count
    /// for their outer type (harmless).
    /// </summary>
    public static bool MayHoldLocks(INamedTypeSymbol type, CancellationToken cancellationToken)
    {
        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            if (LockTokens.AnyIn(reference.SyntaxTree, reference.Span, cancellationToken))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <c>lock (x)</c> takes the same lock as the regions held on <paramref name="lockSymbol"/>:
    /// a plain object or a <c>System.Threading.Lock</c>. Not for objects held through their own acquire API
    /// (<c>ReaderWriterLockSlim</c>, <c>ReaderWriterLock</c>, <c>SemaphoreSlim</c>, <c>Semaphore</c>,
    /// <c>Mutex</c>, <c>SpinLock</c>, an async or custom lock with a scope method such as <c>LockAsync()</c>):
    /// a <c>lock</c> statement on one of those excludes nothing.</summary>
    public static bool IsTakenByLockStatement(ISymbol lockSymbol)
        => TypeOf(lockSymbol) is not { } type
           || (!(type is { Name: "ReaderWriterLockSlim" or "ReaderWriterLock" or "SemaphoreSlim" or "Semaphore" or "Mutex" or "SpinLock" } && IsThreadingType(type))
               && (type is { Name: "Lock" } && IsThreadingType(type) || !DeclaresScopeMethod(type)));

    // An async or custom lock (`AsyncLock.LockAsync()`, `AsyncReaderWriterLock.WriterLock()`): a `lock`
    // statement on the object would compile and exclude nothing.
    private static bool DeclaresScopeMethod(ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var name in ScopeMethodNames)
            {
                foreach (var member in current.GetMembers(name))
                {
                    if (member is IMethodSymbol { IsStatic: false, ReturnsVoid: false })
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="lockSymbol"/> is held at <paramref name="operation"/> through a
    /// scope call other than <c>Lock.EnterScope()</c> (<c>using (Section.Enter(gate))</c>): what the call
    /// takes is not known, so a <c>lock (gate)</c> elsewhere may not be the same lock.</summary>
    public static bool IsHeldThroughCustomScope(IOperation operation, ISymbol lockSymbol)
    {
        IOperation child = operation;
        for (var current = operation.Parent; current is not null and not (IAnonymousFunctionOperation or ILocalFunctionOperation); child = current, current = current.Parent)
        {
            if (current is IUsingOperation { Resources: var resources } @using && child == @using.Body && IsCustomScopeOn(resources, lockSymbol))
            {
                return true;
            }

            if (current is IBlockOperation block)
            {
                for (var i = 0; i < block.Operations.Length && block.Operations[i] != child; i++)
                {
                    if (block.Operations[i] is IUsingDeclarationOperation declaration && IsCustomScopeOn(declaration, lockSymbol))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool IsCustomScopeOn(IOperation resources, ISymbol lockSymbol)
        => IsLockScope(resources, out var held) && SymbolEqualityComparer.Default.Equals(held, lockSymbol)
           && ScopeCall(resources) is { TargetMethod.Name: not "EnterScope" };

    /// <summary>True when the lock is a <c>SemaphoreSlim</c> or <c>Semaphore</c> field, local or
    /// parameter: its regions also throttle, so they are weaker evidence of what they guard.</summary>
    public static bool IsSemaphore(ISymbol lockSymbol)
        => lockSymbol is not IPropertySymbol && TypeOf(lockSymbol) is { Name: "SemaphoreSlim" or "Semaphore" } type && IsThreadingType(type);

    /// <summary>The type of the variable a lock symbol names (field, local, parameter, property).</summary>
    private static ITypeSymbol? TypeOf(ISymbol lockSymbol) => lockSymbol switch
    {
        IFieldSymbol field => field.Type,
        ILocalSymbol local => local.Type,
        IParameterSymbol parameter => parameter.Type,
        IPropertySymbol property => property.Type,
        _ => null,
    };

    private static bool IsThreadingType(ITypeSymbol type)
        => type is { ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    /// <summary>True for a call that releases a lock: <c>Monitor.Exit(x)</c>, <c>x.Release()</c>,
    /// <c>x.ExitReadLock()</c> and the other Exit*Lock, <c>x.ReleaseMutex()</c>, <c>x.Exit()</c>;
    /// returns the lock's symbol.</summary>
    public static bool IsRelease(IOperation operation, out ISymbol? released)
    {
        released = null;
        if (operation is not IInvocationOperation invocation)
        {
            return false;
        }

        var name = invocation.TargetMethod.Name;
        if (name == "Exit" && invocation.TargetMethod.IsStatic && invocation.TargetMethod.ContainingType?.Name == "Monitor" && invocation.Arguments.Length > 0)
        {
            released = LockSymbol(invocation.Arguments[0].Value);
            return true;
        }

        if (invocation.Instance is { } instance
            && (name is "ExitReadLock" or "ExitWriteLock" or "ExitUpgradeableReadLock" or "ReleaseMutex"
                || (name is "Release" or "Exit" && HasAcquireMethod(instance.Type))))
        {
            released = LockSymbol(instance);
            return true;
        }

        return false;
    }

    // `Release`/`Exit` end a lock only on a type that can also be acquired (SemaphoreSlim.Wait,
    // SpinLock.Enter, a custom lock's Acquire): a reference-counted buffer's `Release()` (DotNetty's
    // IByteBuffer) frees memory and holds nothing.
    private static bool HasAcquireMethod(ITypeSymbol? type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (DeclaresAcquireMethod(current))
            {
                return true;
            }
        }

        if (type is { TypeKind: TypeKind.Interface })
        {
            foreach (var @interface in type.AllInterfaces)
            {
                if (DeclaresAcquireMethod(@interface))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool DeclaresAcquireMethod(ITypeSymbol type)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IMethodSymbol { Name: "Wait" or "WaitAsync" or "WaitOne" or "Enter" or "TryEnter" or "Acquire" or "AcquireAsync" or "TryAcquire" or "Lock" or "LockAsync" })
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>
    /// True for a call that acquires a lock and needs a matching release: <c>Monitor.Enter/TryEnter(x)</c>,
    /// <c>x.Wait()</c>/<c>x.WaitAsync()</c> on a SemaphoreSlim, <c>x.Enter*Lock()</c> on a
    /// ReaderWriterLockSlim, <c>x.WaitOne()</c> on a Mutex, <c>x.Enter(ref taken)</c> on a SpinLock.
    /// <paramref name="threadAffine"/> is false only for SemaphoreSlim, which any thread may release.
    /// </summary>
    public static bool IsAcquire(IInvocationOperation invocation, KnownSymbols symbols, out ISymbol? acquired, out bool threadAffine)
    {
        acquired = null;
        threadAffine = true;
        var method = invocation.TargetMethod;
        var type = method.ContainingType?.OriginalDefinition;
        if (type is null)
        {
            return false;
        }

        if (method.IsStatic)
        {
            if (method.Name is "Enter" or "TryEnter" && SymbolEqualityComparer.Default.Equals(type, symbols.Monitor) && invocation.Arguments.Length > 0)
            {
                acquired = LockSymbol(invocation.Arguments[0].Value);
                return true;
            }

            return false;
        }

        if (invocation.Instance is not { } instance)
        {
            return false;
        }

        var receiverType = instance.Type?.OriginalDefinition;
        if (method.Name is "Wait" or "WaitAsync" && SymbolEqualityComparer.Default.Equals(type, symbols.SemaphoreSlim))
        {
            threadAffine = false;
        }
        else if (!(method.Name is "EnterReadLock" or "EnterWriteLock" or "EnterUpgradeableReadLock" && SymbolEqualityComparer.Default.Equals(type, symbols.ReaderWriterLockSlim))
                 && !(method.Name == "WaitOne" && KnownSymbols.IsOrDerivesFrom(receiverType, symbols.Mutex))
                 && !(method.Name is "Enter" or "TryEnter" && SymbolEqualityComparer.Default.Equals(type, symbols.SpinLock)))
        {
            return false;
        }

        acquired = LockSymbol(instance);
        return true;
    }

    private static IEnumerable<ISymbol?> ReleasedIn(IBlockOperation @finally)
    {
        foreach (var operation in @finally.Descendants())
        {
            if (IsRelease(operation, out var released))
            {
                yield return released;
            }
        }
    }

    /// <summary>
    /// The names of the methods whose disposable result holds a lock until it is disposed:
    /// <c>Lock.EnterScope()</c>, and the async and custom locks libraries write —
    /// <c>using (await _mutex.LockAsync())</c>, <c>using (_rw.WriterLock())</c>,
    /// <c>using (Section.Enter(gate))</c>. Exact names, so <see cref="LockTokens"/> can index them.
    /// </summary>
    internal static readonly string[] ScopeMethodNames =
    [
        "EnterScope", "Lock", "LockAsync", "Acquire", "AcquireAsync", "AcquireLock", "AcquireLockAsync", "Enter", "EnterAsync",
        "ReaderLock", "ReaderLockAsync", "WriterLock", "WriterLockAsync", "UpgradeableReaderLock", "UpgradeableReaderLockAsync",
        "ReadLock", "ReadLockAsync", "WriteLock", "WriteLockAsync", "AcquireReadLock", "AcquireReadLockAsync", "AcquireWriteLock", "AcquireWriteLockAsync",
    ];

    // `using (x.EnterScope())`, `using (await x.LockAsync())`, `using var h = Section.Enter(gate);`: the
    // resource itself (not an argument inside it) is a call of a scope method — named for a lock, or of a
    // type named for one. The lock is the receiver, or for a static call the first argument (null when
    // neither names a variable).
    private static bool IsLockScope(IOperation resources, out ISymbol? held)
    {
        held = null;
        if (ScopeCall(resources) is not { } call)
        {
            return false;
        }

        held = call.Instance is { } instance ? LockSymbol(instance)
            : call.Arguments.Length > 0 ? LockSymbol(call.Arguments[0].Value)
            : null;
        return true;
    }

    private static IInvocationOperation? ScopeCall(IOperation resources)
    {
        var group = resources is IUsingDeclarationOperation declaration ? declaration.DeclarationGroup : resources as IVariableDeclarationGroupOperation;
        var value = group is null ? resources : SingleInitializer(group);
        if (value is null)
        {
            return null;
        }

        value = value.WithoutConversions();
        if (value is IAwaitOperation { Operation: var awaited })
        {
            value = awaited is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured } ? configured.WithoutConversions() : awaited;
        }

        return value is IInvocationOperation { TargetMethod: { Name: var name } method } call
               && Array.IndexOf(ScopeMethodNames, name) >= 0
               && (name.IndexOf("Lock", StringComparison.Ordinal) >= 0 || NamesALock(method.ContainingType))
            ? call
            : null;
    }

    // `Enter`, `Acquire` and `EnterScope` also name leases of pools and tracing scopes (`using (pool.Acquire())`):
    // they count on a type named for exclusion (`Lock`, `AsyncLock`, `SynchronizedSection`, `AsyncMonitor`).
    private static bool NamesALock(INamedTypeSymbol? type)
    {
        if (type is null)
        {
            return false;
        }

        foreach (var word in LockTypeWords)
        {
            if (type.Name.IndexOf(word, StringComparison.Ordinal) >= 0)
            {
                return true;
            }
        }

        return false;
    }

    private static readonly string[] LockTypeWords = ["Lock", "Mutex", "Semaphore", "Monitor", "Synchronized", "Section", "Gate"];

    // `using (var scope = x.Lock())`: the one declarator's initial value.
    private static IOperation? SingleInitializer(IVariableDeclarationGroupOperation group)
        => group.Declarations.Length == 1 && group.Declarations[0].Declarators.Length == 1
            ? group.Declarations[0].Declarators[0].Initializer?.Value ?? group.Declarations[0].Initializer?.Value
            : null;

    // A scope on `lockSymbol`: true when named for reading, false otherwise; null for anything else.
    private static bool? ScopeMode(IOperation resources, ISymbol lockSymbol)
        => IsLockScope(resources, out var held) && SymbolEqualityComparer.Default.Equals(held, lockSymbol) && ScopeCall(resources) is { } call
            ? IsReadScope(call)
            : null;

    // A scope named for reading (`ReaderLock()`, `AcquireReadLockAsync()`): readers do not exclude each other.
    private static bool IsReadScope(IInvocationOperation call)
        => call.TargetMethod.Name.IndexOf("Read", StringComparison.Ordinal) >= 0 && call.TargetMethod.Name.IndexOf("Upgradeable", StringComparison.Ordinal) < 0;
}
