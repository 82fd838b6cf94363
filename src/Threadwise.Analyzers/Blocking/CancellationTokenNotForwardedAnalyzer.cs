using System.Collections.Concurrent;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.Blocking;

/// <summary>
/// TW1007: in a method (or lambda, local function) with a <c>CancellationToken</c> parameter, a call
/// that leaves out the token it could take: an optional <c>CancellationToken</c> parameter left at
/// its default, or an overload of the same method that adds one <c>CancellationToken</c> at the end.
/// Silent where the token is ambiguous (two token parameters), out of reach (a static lambda), or
/// deliberately not used: in <c>finally</c> and <c>catch</c> (cleanup must not be cancelled) and
/// when any token is passed, <c>CancellationToken.None</c> included.
/// </summary>
public sealed class CancellationTokenNotForwardedAnalyzer : ThreadwiseAnalyzer
{
    /// <summary>Property naming the token to pass.</summary>
    public const string TokenProperty = "Token";

    /// <summary>Property naming the parameter the token goes to (for a named argument).</summary>
    public const string ParameterProperty = "Parameter";

    public CancellationTokenNotForwardedAnalyzer()
        : base(Descriptors.TW1007CancellationTokenNotForwarded)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var symbols = KnownSymbols.For(context.Compilation);
        if (symbols.CancellationToken is not { } token)
        {
            return;
        }

        var overloads = new ConcurrentDictionary<IMethodSymbol, IMethodSymbol?>(SymbolEqualityComparer.Default);
        var targets = TargetFrameworks.For(context.Compilation, context.Options);
        context.RegisterOperationAction(c => Analyze(c, token, symbols, overloads, targets), OperationKind.Invocation);
    }

    private static void Analyze(OperationAnalysisContext context, INamedTypeSymbol tokenType, KnownSymbols symbols, ConcurrentDictionary<IMethodSymbol, IMethodSymbol?> overloads, TargetFrameworks targets)
    {
        var invocation = (IInvocationOperation)context.Operation;
        var method = invocation.TargetMethod;
        // The token parameter first after the scope: it rules out most calls, and its overload search
        // is cached per method.
        if (TokenInScope(invocation, context.ContainingSymbol, tokenType) is not { } token
            || PassesAToken(invocation, tokenType)
            || TokenParameter(invocation, tokenType, symbols, context.Compilation, context.ContainingSymbol, overloads) is not { } parameter
            || Timeouts.HasZeroTimeout(invocation)
            || Timeouts.HasZeroDelay(invocation) // `return Task.Delay(0);`: a completed task, not a wait
            || CancelledThroughTheEnumerator(invocation, tokenType)
            || ReceivesAlreadyCancellableWork(invocation, tokenType, symbols)
            || IsRacedWithTheToken(invocation, token)
            || IsPolledBetweenTimedWaits(invocation, token)
            || IsWaitedWithTheToken(invocation, tokenType)
            || IsBlockingPrimitiveInAsyncCode(invocation, context.ContainingSymbol, symbols)
            || OnlySchedules(method, symbols)
            || IsOverloadOf(context.ContainingSymbol, method)
            || TakesTokenAsData(method, symbols)
            || AcquiresAUsingScope(invocation)
            || InCleanupOrHandler(invocation)
            || invocation.IsCleanupBeforeThrow()
            || IsGovernedDelegate(invocation, token, symbols)
            || SyncAsyncBranches.IsInSynchronousBranch(invocation) // `sync ? Load(true).RunSync() : await Load(false, ct)` (NPoco)
            || IsStartTokenInWorkThatOutlivesTheStart(invocation, token)
            || StartsWorkThatOutlivesTheMethod(invocation, symbols)
            // `reader.ReadToEndAsync()` in a library built for netstandard2.0 and net8.0: the token
            // overload is missing on one of them.
            || (parameter.ContainingSymbol is IMethodSymbol overload && !SymbolEqualityComparer.Default.Equals(overload, method)
                && targets.LacksOnAnotherTarget(overload, invocation.Syntax))
            || NameLocation(invocation) is not { } location)
        {
            return;
        }

        var properties = ImmutableDictionary<string, string?>.Empty
            .Add(TokenProperty, token.Name)
            .Add(ParameterProperty, parameter.Name);
        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.TW1007CancellationTokenNotForwarded,
            location,
            properties,
            method.ContainingType is { } type ? type.Name + "." + method.Name : method.Name,
            token.Name));
    }

    // `StartAsync(ct) { _ = Task.Factory.StartNew(async () => { … await connection.CreateChannelAsync(); … }); }`
    // (eShop's RabbitMQ event bus): the token of a hosted service's start says the start is aborted, and the
    // host disposes its source once the start returns. Work in a lambda or local function there that the start
    // does not await runs after it (a background consumer, a timer callback); the stop comes through StopAsync,
    // not that token. `await Task.Run(async () => …)` or `await Warm()` is part of the start, and is reported.
    private static bool IsStartTokenInWorkThatOutlivesTheStart(IInvocationOperation invocation, IParameterSymbol token)
    {
        // An explicit implementation is named `Microsoft.Extensions.Hosting.IHostedService.StartAsync`.
        if (token.ContainingSymbol is not IMethodSymbol { ContainingType: { } service } start
            || StartName(start.Name) is not { } name
            || !RunsDetached(invocation))
        {
            return false;
        }

        foreach (var candidate in service.AllInterfaces)
        {
            if (candidate is { Name: "IHostedService" or "IHostedLifecycleService", ContainingNamespace: { Name: "Hosting", ContainingNamespace: { Name: "Extensions", ContainingNamespace: { Name: "Microsoft", ContainingNamespace.IsGlobalNamespace: true } } } })
            {
                foreach (var member in candidate.GetMembers(name))
                {
                    if (SymbolEqualityComparer.Default.Equals(service.FindImplementationForInterfaceMember(member), start))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static string? StartName(string name)
    {
        var simple = name.Substring(name.LastIndexOf('.') + 1);
        return simple is "StartAsync" or "StartingAsync" or "StartedAsync" ? simple : null;
    }

    // `Task running = host.RunAsync(); _ = ObserveCompletionAsync(running);` in `ConnectAsync(ct)` (Incursa's QUIC
    // client host), `_loop = PumpAsync();`, `_ = SendHeartbeatsAsync();`: the method starts work it never waits
    // for — a loop that lives as long as the connection, a detached send. Its token scopes the method's own
    // operation; cancelling it later must not stop what was handed off. A task the method awaits, waits on,
    // returns or combines (`WhenAll`) is its own work, and is reported.
    private static bool StartsWorkThatOutlivesTheMethod(IInvocationOperation invocation, KnownSymbols symbols)
    {
        if (!symbols.IsTaskType(invocation.Type))
        {
            return false;
        }

        switch (invocation.ParentSkippingConversions())
        {
            case ISimpleAssignmentOperation { Target: IDiscardOperation }:
                return true;
            case ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation } stored:
                return IsHandedOff(stored.Target);
            case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: var local } }:
                return IsOnlyHandedOff(local, invocation);
            case ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local: var local } }:
                return IsOnlyHandedOff(local, invocation);
            default:
                return false;
        }
    }

    // Every later use of the local hands the task on without waiting for it: to a field, or as an argument of a
    // call whose own result is discarded or dropped (`_ = Observe(task)`, `Track(task);`). (`Task.WaitAll(task)`
    // passes it inside a params array or span: no hand-off.)
    private static bool IsOnlyHandedOff(ILocalSymbol local, IOperation start)
    {
        var handedOff = false;
        foreach (var reference in LocalReferences.Collect(AsyncContext.GetFunctionBody(start), local))
        {
            switch (reference.Reference.ParentSkippingConversions())
            {
                case ISimpleAssignmentOperation { Target: IFieldReferenceOperation or IPropertyReferenceOperation } stored when stored.Value.WithoutConversions() == reference.Reference && IsHandedOff(stored.Target):
                case IArgumentOperation { Parent: IInvocationOperation call } when IsDropped(call):
                    handedOff = true;
                    break;
                default:
                    return false;
            }
        }

        return handedOff;
    }

    private static bool IsDropped(IInvocationOperation call) => call.ParentSkippingConversions() switch
    {
        IExpressionStatementOperation => true,
        ISimpleAssignmentOperation { Target: IDiscardOperation } => true,
        _ => false,
    };

    // A field or property of this object, not read again in this method (`await _loop` would wait for it).
    private static bool IsHandedOff(IOperation target)
    {
        if (target is not IMemberReferenceOperation { Instance: null or IInstanceReferenceOperation, Member: var member })
        {
            return false;
        }

        foreach (var operation in AsyncContext.GetFunctionBody(target).Descendants())
        {
            if (operation is IMemberReferenceOperation other && operation != target && SymbolEqualityComparer.Default.Equals(other.Member, member))
            {
                return false;
            }
        }

        return true;
    }

    // In a lambda the method hands on without awaiting what it is given to (`_ = Task.Run(…)`, a timer, an
    // event), or in a local function no call of which the method awaits.
    private static bool RunsDetached(IOperation operation)
    {
        IOperation? function = null;
        IOperation? body = null;
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                function = current;
            }

            body = current;
        }

        return function switch
        {
            IAnonymousFunctionOperation lambda => !IsAwaitedWhereHandedOn(lambda),
            ILocalFunctionOperation local => body is not null && !SyncAsyncBranches.AwaitsACallOf(body, local.Symbol),
            _ => false,
        };
    }

    private static bool IsAwaitedWhereHandedOn(IOperation lambda)
    {
        for (var current = lambda.Parent; current is not null and not IBlockOperation; current = current.Parent)
        {
            if (current is IAwaitOperation)
            {
                return true;
            }
        }

        return false;
    }

    // `_readTask.Wait(interval)` or `_gate.Wait(timeout)` in an async method (Swan's connection): the fix is
    // to await (TW1002, TW1004 report the wait), not to block with a token. A synchronous wait of the
    // threading and concurrent-collection types only; what returns a task is awaited and keeps the finding.
    private static bool IsBlockingPrimitiveInAsyncCode(IInvocationOperation invocation, ISymbol containingSymbol, KnownSymbols symbols)
        => invocation.TargetMethod is { ContainingType.ContainingNamespace: { } space } method
           && !symbols.IsTaskType(method.ReturnType)
           && IsThreadingNamespace(space)
           && AsyncContext.GetEnclosingFunction(invocation, containingSymbol) is { IsAsync: true };

    // System.Threading, System.Threading.Tasks, System.Collections.Concurrent.
    private static bool IsThreadingNamespace(INamespaceSymbol space)
        => space switch
        {
            { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } => true,
            { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } => true,
            { Name: "Concurrent", ContainingNamespace: { Name: "Collections", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } => true,
            _ => false,
        };

    // `reader.ReadAllAsync().GetAsyncEnumerator(cancellationToken)`, `source.ReadAllAsync().WithCancellation(ct)`:
    // an async iterator's [EnumeratorCancellation] parameter receives the enumerator's token, so the
    // caller already cancels it.
    private static bool CancelledThroughTheEnumerator(IInvocationOperation invocation, INamedTypeSymbol tokenType)
    {
        var user = invocation.ParentSkippingConversions();
        if (user is IArgumentOperation { Parent: IInvocationOperation extension } argument
            && argument.Parameter?.Ordinal == 0
            && extension.TargetMethod.IsExtensionMethod)
        {
            return extension.TargetMethod.Name == "WithCancellation" && PassesAToken(extension, tokenType);
        }

        return user is IInvocationOperation { TargetMethod.Name: "GetAsyncEnumerator" or "WithCancellation" } consumer
               && consumer.Instance?.WithoutConversions() == invocation
               && PassesAToken(consumer, tokenType);
    }

    // `WaitAsync(cancellationToken).WaitAndUnwrapException()` (Nito.AsyncEx's synchronous waits): the
    // work the call finishes was started with the token already; passing it again changes nothing.
    private static bool ReceivesAlreadyCancellableWork(IInvocationOperation invocation, INamedTypeSymbol tokenType, KnownSymbols symbols)
    {
        var receiver = invocation.Instance?.WithoutConversions();
        if (receiver is null && invocation.TargetMethod.IsExtensionMethod && invocation.Arguments.Length > 0)
        {
            receiver = invocation.Arguments[0].Value.WithoutConversions();
        }

        return receiver is IInvocationOperation producer && PassesAToken(producer, tokenType)
               || IsMadeWithTheToken(receiver, tokenType, symbols);
    }

    // `while (true) { if (ct.IsCancellationRequested) break; if (readerTask.Wait(100)) break; … }` (dotnet-gcdump's
    // heap dumper): a timed wait in a loop that checks the token itself — cancellation is seen within one
    // timeout, which the loop chose. An untimed wait, or a loop that never looks at the token, is reported.
    private static bool IsPolledBetweenTimedWaits(IInvocationOperation invocation, IParameterSymbol token)
    {
        if (!Timeouts.HasTimeout(invocation))
        {
            return false;
        }

        for (var current = invocation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }

            if (current is ILoopOperation loop && ChecksTheToken(loop, token))
            {
                return true;
            }
        }

        return false;
    }

    private static bool ChecksTheToken(ILoopOperation loop, IParameterSymbol token)
    {
        foreach (var operation in loop.Descendants())
        {
            if (operation is IPropertyReferenceOperation { Property.Name: "IsCancellationRequested", Instance: IParameterReferenceOperation { Parameter: var read } }
                    && SymbolEqualityComparer.Default.Equals(read, token)
                || operation is IInvocationOperation { TargetMethod.Name: "ThrowIfCancellationRequested", Instance: IParameterReferenceOperation { Parameter: var thrown } }
                    && SymbolEqualityComparer.Default.Equals(thrown, token))
            {
                return true;
            }
        }

        return false;
    }

    // `Task.WhenAny(Task.Delay(timeout), tcs.Task)` where `cancellationToken.Register(…)` completes `tcs`
    // (DurableTask's DelayWithCancellation, built that way to avoid an OperationCanceledException), or
    // `Task.WhenAny(work, Task.Delay(Infinite, ct))`: the call races a task the token ends, so the token already
    // decides how long it is waited for. `Task.WhenAll(Task.Delay(gracePeriod), ct.WhenCancelled())` (Orleans'
    // membership shutdown, "allow some minimum time for graceful shutdown"), also through a local holding the
    // token's task: the wait is meant to last until the token is cancelled *and* the delay has passed; the token
    // given to the delay would cut the minimum short.
    private static bool IsRacedWithTheToken(IInvocationOperation invocation, IParameterSymbol token)
    {
        IOperation current = invocation;
        IInvocationOperation? whenAny = null;
        for (var step = 0; step < 5 && current.Parent is { } parent; step++, current = parent)
        {
            if (parent is IInvocationOperation { TargetMethod: { Name: "WhenAny" or "WhenAll", IsStatic: true } } race)
            {
                whenAny = race;
                break;
            }

            // Only the argument list between them (conversions, a params array or span): any other
            // consumer — another call, a statement, a lambda — is not the race.
            if (parent is IInvocationOperation or IAnonymousFunctionOperation || parent.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.StatementSyntax)
            {
                return false;
            }
        }

        if (whenAny is null || AsyncContext.GetFunctionBody(invocation) is not { } body)
        {
            return false;
        }

        // WhenAny ends with the first task: any other task the token governs ends it on cancellation. WhenAll waits
        // for every task, so only a task that stands for the token itself (`ct.WhenCancelled()`) makes the token
        // part of the wait; `Task.WhenAll(Task.Delay(d), WorkAsync(ct))` still waits out the delay after a cancel.
        var all = whenAny.TargetMethod.Name == "WhenAll";
        foreach (var operation in whenAny.Descendants())
        {
            if (operation is IInvocationOperation other && other != invocation && PassesTheToken(other, token) && (!all || StandsForTheToken(other))
                || !all && operation is IPropertyReferenceOperation { Property.Name: "Task", Instance: ILocalReferenceOperation { Local: var source } } && IsCompletedByTheToken(source, body, token)
                || operation is ILocalReferenceOperation { Local: var held } local && HoldsATaskOfTheToken(held, local, token, all))
            {
                return true;
            }
        }

        return false;
    }

    // `ct.WhenCancelled()`, `ct.AsTask()`: an extension of CancellationToken that takes nothing else and hands back
    // a task of the token; or `Task.Delay(Timeout.Infinite, ct)`, which only ever ends by the token.
    private static bool StandsForTheToken(IInvocationOperation call)
        => call.TargetMethod is { IsExtensionMethod: true, Parameters.Length: 1 }
           || (call.TargetMethod.Name == "Delay" && call.Arguments.Length == 2
               && call.Arguments[0].Value.WithoutConversions().ConstantValue is { HasValue: true, Value: -1 });

    // `var cancellationTask = ct.WhenCancelled();`, never reassigned: a task made with the token.
    private static bool HoldsATaskOfTheToken(ILocalSymbol local, IOperation use, IParameterSymbol token, bool standsForIt)
        => LocalDeclarations.GetInitializer(local, use) is { } declaration
           && declaration.Value.WithoutConversions() is IInvocationOperation made
           && PassesTheToken(made, token)
           && (!standsForIt || StandsForTheToken(made))
           && !LocalReferences.IsReassigned(declaration.Body, local);

    // `cancellationToken.Register(s => ((TaskCompletionSource<bool>)s).SetResult(true), tcs)`: the local is
    // handed to a callback registered on the token.
    private static bool IsCompletedByTheToken(ILocalSymbol source, IOperation body, IParameterSymbol token)
    {
        foreach (var operation in body.Descendants())
        {
            if (operation is IInvocationOperation { TargetMethod.Name: "Register", Instance: IParameterReferenceOperation { Parameter: var registered } } register
                && SymbolEqualityComparer.Default.Equals(registered, token))
            {
                foreach (var used in register.Descendants())
                {
                    if (used is ILocalReferenceOperation { Local: var local } && SymbolEqualityComparer.Default.Equals(local, source))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    // `using var call = client.LeaseKeepAlive(cancellationToken: ct); await call.RequestStream.WriteAsync(request);`
    // (dotnet-etcd): the object the call is made on — or whose property it is made on — was created with the
    // token and holds it (a gRPC call cancels its pending reads and writes with it). Only an object handed back
    // directly, not the result of awaited work: `await client.GetAsync(url, ct)` hands back a response whose
    // later reads the token no longer governs.
    private static bool IsMadeWithTheToken(IOperation? receiver, INamedTypeSymbol tokenType, KnownSymbols symbols)
    {
        while (receiver is IPropertyReferenceOperation { Instance: { } owner })
        {
            receiver = owner.WithoutConversions();
        }

        return receiver is ILocalReferenceOperation { Local: var local }
               && LocalDeclarations.GetInitializer(local, receiver) is { } declaration
               && declaration.Value.WithoutConversions() is IInvocationOperation { Type: { } made } producer
               && !symbols.IsTaskType(made) && !symbols.IsValueTaskType(made)
               && PassesAToken(producer, tokenType)
               && !LocalReferences.IsReassigned(declaration.Body, local);
    }

    // `var wait = WaitAsync(); if (wait.IsCompleted) return; wait.WaitAndUnwrapException(token);`: the
    // task is kept in a local and the token is given to what waits on it — the wait is cancellable,
    // and starting the work without the token is deliberate (an already-set event still counts).
    private static bool IsWaitedWithTheToken(IInvocationOperation invocation, INamedTypeSymbol tokenType)
    {
        var local = invocation.ParentSkippingConversions() switch
        {
            IVariableInitializerOperation { Parent: IVariableDeclaratorOperation { Symbol: var declared } } => declared,
            ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local: var assigned } } => assigned, // `connectTask = socket.ConnectAsync(endPoint);`
            _ => null,
        };
        if (local is null || AsyncContext.GetFunctionBody(invocation) is not { } body)
        {
            return false;
        }

        foreach (var operation in body.Descendants())
        {
            if (operation is IInvocationOperation consumer
                && consumer != invocation
                && PassesAToken(consumer, tokenType)
                && UsesLocal(consumer, local))
            {
                return true;
            }
        }

        return false;
    }

    private static bool UsesLocal(IInvocationOperation call, ILocalSymbol local)
    {
        if (call.Instance?.WithoutConversions() is ILocalReferenceOperation { Local: var receiver } && SymbolEqualityComparer.Default.Equals(receiver, local))
        {
            return true;
        }

        foreach (var argument in call.Arguments)
        {
            if (argument.Value.WithoutConversions() is ILocalReferenceOperation { Local: var passed } && SymbolEqualityComparer.Default.Equals(passed, local))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The token parameter of the innermost enclosing function that has one, if it has
    /// exactly one and the call can see it (no static lambda or local function in between).</summary>
    private static IParameterSymbol? TokenInScope(IOperation operation, ISymbol containingSymbol, INamedTypeSymbol tokenType)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            var function = current switch
            {
                IAnonymousFunctionOperation anonymous => anonymous.Symbol,
                ILocalFunctionOperation local => local.Symbol,
                _ => null,
            };

            if (function is null)
            {
                continue;
            }

            if (SingleToken(function, tokenType, out var token))
            {
                return token;
            }

            if (function.IsStatic)
            {
                return null;
            }
        }

        return containingSymbol is IMethodSymbol method && SingleToken(method, tokenType, out var outer) ? outer : null;
    }

    // True when the function declares a token parameter; `token` is set only if there is exactly one.
    private static bool SingleToken(IMethodSymbol function, INamedTypeSymbol tokenType, out IParameterSymbol? token)
    {
        token = null;
        var count = 0;
        foreach (var parameter in function.Parameters)
        {
            if (SymbolEqualityComparer.Default.Equals(parameter.Type, tokenType) && parameter.RefKind == RefKind.None)
            {
                token = parameter;
                count++;
            }
        }

        if (count > 1)
        {
            token = null;
        }

        return count > 0;
    }

    // A token given to Task.Run / StartNew / ContinueWith only cancels the scheduling: a task
    // cancelled before it starts never runs its delegate (cleanup in it included). Libraries leave
    // it out on purpose; the work observes cancellation itself.
    private static bool OnlySchedules(IMethodSymbol method, KnownSymbols symbols)
        => method.Name is "Run" or "StartNew" or "ContinueWith"
           && (SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, symbols.Task)
               || SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, symbols.TaskOfT)
               || SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, symbols.TaskFactory)
               || SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, symbols.TaskFactoryOfT));

    // `Task CloseAsync(code, text, ct) { ...; return CloseAsync(args); }`: an overload forwarding to
    // another overload of itself is API plumbing; which overload gets the token was chosen there.
    private static bool IsOverloadOf(ISymbol caller, IMethodSymbol method)
        => caller is IMethodSymbol { Name: var name } && name == method.Name
           && SymbolEqualityComparer.Default.Equals(caller.ContainingType, method.ContainingType);

    // TrySetCanceled(token) records which token cancelled; it does not make the call cancellable.
    private static bool TakesTokenAsData(IMethodSymbol method, KnownSymbols symbols)
        => SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, symbols.TaskCompletionSource)
           || SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, symbols.TaskCompletionSourceOfT);

    // `using (await mutex.LockAsync())` / `using (mutex.Lock())`: the acquisition of a scope whose
    // body is the critical section; libraries keep those short and pass the token to the waits inside.
    private static bool AcquiresAUsingScope(IOperation invocation)
    {
        var current = invocation;
        while (current.Parent is IAwaitOperation or IConversionOperation or IConditionalOperation or IInvocationOperation { TargetMethod.Name: "ConfigureAwait" })
        {
            current = current.Parent;
        }

        if (current.Parent is IVariableInitializerOperation initializer)
        {
            current = initializer;
            while (current.Parent is IVariableDeclaratorOperation or IVariableDeclarationOperation or IVariableDeclarationGroupOperation)
            {
                current = current.Parent;
            }
        }

        return current.Parent is IUsingOperation or IUsingDeclarationOperation;
    }

    private static bool PassesAToken(IInvocationOperation invocation, INamedTypeSymbol tokenType)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.Explicit && SymbolEqualityComparer.Default.Equals(argument.Value.Type, tokenType))
            {
                return true;
            }
        }

        return false;
    }

    // `token.Register(state => Task.Run(async () => { …; await Task.Delay(1); }))`: a callback registered
    // on the token runs once it is cancelled; forwarding it there would cancel the clean-up at once.
    // `ExecuteWithTimeoutAsync(stream, async s => await s.ReadAsync(…), timeout, cancellationToken)`: the
    // delegate is handed to a method that is given the token, which governs how the delegate's work is
    // cancelled (the MongoDB driver closes the stream). Task.Run/StartNew/ContinueWith are no such method:
    // their token only cancels the scheduling.
    private static bool IsGovernedDelegate(IOperation operation, IParameterSymbol token, KnownSymbols symbols)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is not IAnonymousFunctionOperation lambda)
            {
                continue;
            }

            // The lambda that declares the token hands its own token on: nothing governs it from outside.
            if (SymbolEqualityComparer.Default.Equals(lambda.Symbol, token.ContainingSymbol))
            {
                return false;
            }

            if (lambda.EnclosingArgument() is not { Parent: IInvocationOperation receiver })
            {
                continue;
            }

            if (receiver.TargetMethod.Name is "Register" or "UnsafeRegister"
                && receiver.Instance?.WithoutConversions() is IParameterReferenceOperation { Parameter: var registeredOn }
                && SymbolEqualityComparer.Default.Equals(registeredOn, token))
            {
                return true;
            }

            if (PassesTheToken(receiver, token) && !OnlySchedules(receiver.TargetMethod, symbols))
            {
                return true;
            }
        }

        return false;
    }

    // This very token among the call's arguments (`CancellationToken.None` governs nothing).
    private static bool PassesTheToken(IInvocationOperation invocation, IParameterSymbol token)
    {
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Value.WithoutConversions() is IParameterReferenceOperation { Parameter: var passed }
                && SymbolEqualityComparer.Default.Equals(passed, token))
            {
                return true;
            }
        }

        return false;
    }

    // Cleanup (finally) and handlers (catch, often of the cancellation itself) must run to the end.
    private static bool InCleanupOrHandler(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }

            if (current.Parent is ITryOperation @try && current == @try.Finally || current is ICatchClauseOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>The parameter the token would go to: the call's own optional token parameter left
    /// at its default, or the trailing token parameter of an accessible overload that otherwise has
    /// the same parameters (only when every argument is written out, so the token lands there).</summary>
    private static IParameterSymbol? TokenParameter(IInvocationOperation invocation, INamedTypeSymbol tokenType, KnownSymbols symbols, Compilation compilation, ISymbol caller, ConcurrentDictionary<IMethodSymbol, IMethodSymbol?> overloads)
    {
        var method = invocation.TargetMethod;
        var allExplicit = true;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.ArgumentKind == ArgumentKind.DefaultValue
                && argument.Parameter is { } parameter
                && SymbolEqualityComparer.Default.Equals(parameter.Type, tokenType))
            {
                return parameter;
            }

            if (argument.ArgumentKind != ArgumentKind.Explicit)
            {
                allExplicit = false;
            }
        }

        if (!allExplicit)
        {
            return null;
        }

        // Never the caller itself: `Task M(x, ct) => M(x);` is the overload that deliberately drops the
        // token, and passing it would recurse forever.
        var original = method.ReducedFrom ?? method.OriginalDefinition;
        var overload = overloads.TryGetValue(original, out var known) ? known : overloads.GetOrAdd(original, FindOverload(original, tokenType, symbols, compilation));
        return overload is not null
               && !SymbolEqualityComparer.Default.Equals(overload, caller.OriginalDefinition)
               && compilation.IsSymbolAccessibleWithin(overload, (ISymbol?)caller.ContainingType ?? compilation.Assembly)
            ? overload.Parameters[overload.Parameters.Length - 1]
            : null;
    }

    // The overload that adds one token at the end; at most one can (a second would have the same
    // signature). Obsolete overloads are not offered, nor one that calls the original: then it is not the
    // same work made cancellable but more work around it (`Display(token) { Display(); _segment.Display(token); }`
    // holds the display until cancelled; found dogfooding dotnet/iot).
    private static IMethodSymbol? FindOverload(IMethodSymbol original, INamedTypeSymbol tokenType, KnownSymbols symbols, Compilation compilation)
    {
        var overload = FindOverload(original, tokenType, symbols);
        return overload is not null && CallsTheOriginal(overload, original, compilation) ? null : overload;
    }

#pragma warning disable RS1030 // Asked once per called method (the answer is cached), of source overloads only.
    private static bool CallsTheOriginal(IMethodSymbol overload, IMethodSymbol original, Compilation compilation)
    {
        foreach (var reference in overload.DeclaringSyntaxReferences)
        {
            var body = reference.GetSyntax();
            SemanticModel? model = null;
            foreach (var call in body.DescendantNodes().OfType<InvocationExpressionSyntax>())
            {
                var name = call.Expression switch
                {
                    SimpleNameSyntax simple => simple.Identifier.ValueText,
                    MemberAccessExpressionSyntax access => access.Name.Identifier.ValueText,
                    _ => null,
                };
                if (name != original.Name)
                {
                    continue;
                }

                model ??= compilation.GetSemanticModel(body.SyntaxTree);
                if (model.GetSymbolInfo(call).Symbol is IMethodSymbol called
                    && SymbolEqualityComparer.Default.Equals(called.OriginalDefinition, original.OriginalDefinition))
                {
                    return true;
                }
            }
        }

        return false;
    }
#pragma warning restore RS1030

    private static IMethodSymbol? FindOverload(IMethodSymbol original, INamedTypeSymbol tokenType, KnownSymbols symbols)
    {
        if (original.ContainingType is not { } type)
        {
            return null;
        }

        var parameters = original.Parameters;
        foreach (var member in type.GetMembers(original.Name))
        {
            if (member is IMethodSymbol candidate
                && candidate.Parameters is var candidateParameters
                && candidateParameters.Length == parameters.Length + 1
                && candidate.IsStatic == original.IsStatic
                && candidate.TypeParameters.Length == original.TypeParameters.Length
                && SymbolEqualityComparer.Default.Equals(candidateParameters[candidateParameters.Length - 1].Type, tokenType)
                && SameLeadingParameters(parameters, candidateParameters)
                && !SymbolFacts.IsObsolete(candidate, symbols)
                && !IsDefaultInterfaceOverload(candidate, original))
            {
                return candidate;
            }
        }

        return null;
    }

    // `IAsyncStreamWriter<T>.WriteAsync(message, token)` beside the abstract `WriteAsync(message)` (gRPC, found
    // dogfooding EventStore's client): an interface member added later with a default body. Implementations
    // written before it do not override it, and the default may ignore the token or, like gRPC's, throw
    // NotSupportedException for one that can be cancelled: passing the token could change what the call does.
    private static bool IsDefaultInterfaceOverload(IMethodSymbol candidate, IMethodSymbol original)
        => candidate.ContainingType.TypeKind == TypeKind.Interface && !candidate.IsAbstract && !candidate.IsStatic && original.IsAbstract;

    private static bool SameLeadingParameters(ImmutableArray<IParameterSymbol> parameters, ImmutableArray<IParameterSymbol> candidate)
    {
        for (var i = 0; i < parameters.Length; i++)
        {
            var (a, b) = (parameters[i], candidate[i]);
            if (a.RefKind != b.RefKind || a.IsParams || !SameType(a.Type, b.Type))
            {
                return false;
            }
        }

        return true;
    }

    // Method type parameters of two overloads are different symbols; they match by position.
    private static bool SameType(ITypeSymbol a, ITypeSymbol b)
        => SymbolEqualityComparer.Default.Equals(a, b)
           || (a is ITypeParameterSymbol { TypeParameterKind: TypeParameterKind.Method } ta
               && b is ITypeParameterSymbol { TypeParameterKind: TypeParameterKind.Method } tb
               && ta.Ordinal == tb.Ordinal);

    private static Location? NameLocation(IInvocationOperation invocation)
        => invocation.Syntax is InvocationExpressionSyntax { Expression: var expression }
            ? expression switch
            {
                MemberAccessExpressionSyntax access => access.Name.GetLocation(),
                SimpleNameSyntax name => name.GetLocation(),
                MemberBindingExpressionSyntax binding => binding.Name.GetLocation(),
                _ => null,
            }
            : null;
}
