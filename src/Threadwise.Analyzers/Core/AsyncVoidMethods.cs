using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Threadwise.Core;

/// <summary>
/// Where <c>async void</c> is the accepted form, so TW4004 stays silent on the method (and TW4005
/// reports a method group of it instead, when it is handed to a delegate that cannot await it):
/// overrides and interface implementations (the signature is not the author's to choose), event
/// handlers — the <c>(object, EventArgs)</c> shape, or any method subscribed with <c>+=</c> in its
/// type — and methods whose whole body is a <c>try</c> with a catch-all: their exceptions are handled
/// there, and fire-and-forget is the evident intent.
/// </summary>
internal static class AsyncVoidMethods
{
    /// <summary>True when TW4004 reports <paramref name="method"/> (an ordinary or local async void method).</summary>
    public static bool IsReported(IMethodSymbol method, KnownSymbols symbols)
    {
        if (method is not { IsAsync: true, ReturnsVoid: true } || method.Locations.Length == 0)
        {
            return false;
        }

        if (method.MethodKind == MethodKind.Ordinary
            && (method.IsOverride || !method.ExplicitInterfaceImplementations.IsEmpty || SymbolFacts.ImplementsInterfaceMember(method)))
        {
            return false;
        }

        if (method.MethodKind is not (MethodKind.Ordinary or MethodKind.LocalFunction))
        {
            return false;
        }

        return !EventHandlers.HasEventHandlerShape(method, symbols)
               && !IsWhollyGuarded(method, symbols.Compilation)
               && !IsForgetSink(method, symbols)
               && !(method.MethodKind == MethodKind.Ordinary && IsSubscribedInItsType(method));
    }

    // `static async void Forget(this ValueTask task) { await task; }` (MessagePipe): the fire-and-forget
    // sink whose one job is to await the task it is given, so that its exceptions surface on the
    // caller's context instead of vanishing. `async void` is the point; returning Task would lose them.
    // `async void SetDisposableAsync(ValueTask<IDisposable> task, SingleAssignmentDisposable d) { d.Disposable
    // = await task; }` is the same sink, keeping the result.
    private static bool IsForgetSink(IMethodSymbol method, KnownSymbols symbols)
    {
        if (method.Parameters.IsEmpty || method.DeclaringSyntaxReferences.Length != 1)
        {
            return false;
        }

        var (body, arrow) = method.DeclaringSyntaxReferences[0].GetSyntax() switch
        {
            MethodDeclarationSyntax declaration => (declaration.Body, declaration.ExpressionBody?.Expression),
            LocalFunctionStatementSyntax local => (local.Body, local.ExpressionBody?.Expression),
            _ => (null, null),
        };

        var awaited = arrow ?? (body is { Statements.Count: 1 } ? SoleExpression(body.Statements[0]) : null);
        if (awaited is AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Right: var assigned })
        {
            awaited = assigned;
        }

        if (awaited is not AwaitExpressionSyntax { Expression: var operand })
        {
            return false;
        }

        if (AsyncContext.WithoutConfigureAwait(operand) is not IdentifierNameSyntax { Identifier.ValueText: var name })
        {
            return false;
        }

        foreach (var parameter in method.Parameters)
        {
            if (parameter.Name == name)
            {
                return symbols.IsTaskType(parameter.Type);
            }
        }

        return false;
    }

    // `await task;`, or the same as the whole of a try whose catches handle what the task throws:
    // `static async void HandleSafeFireAndForget<TException>(Task task, …) { try { await task.ConfigureAwait(c); }
    // catch (TException e) when (…) { onException(e); if (rethrow) throw; } }` (AsyncAwaitBestPractices'
    // SafeFireAndForget). Whatever the catches do with the task's failure is the sink's job.
    private static ExpressionSyntax? SoleExpression(StatementSyntax statement) => statement switch
    {
        ExpressionStatementSyntax { Expression: var only } => only,
        TryStatementSyntax { Block.Statements: { Count: 1 } tried, Catches.Count: > 0 } => tried[0] is ExpressionStatementSyntax { Expression: var inner } ? inner : null,
        _ => null,
    };

    // async void M() { try { ... } catch (Exception e) { Log(e); } }: nothing escapes to crash the process.
    public static bool IsWhollyGuarded(IMethodSymbol method, Compilation compilation)
        => IsWhollyGuarded(method, compilation, depth: 0);

    private static bool IsWhollyGuarded(IMethodSymbol method, Compilation compilation, int depth)
    {
        if (method.DeclaringSyntaxReferences.Length != 1)
        {
            return false;
        }

        var (body, arrow) = method.DeclaringSyntaxReferences[0].GetSyntax() switch
        {
            MethodDeclarationSyntax declaration => (declaration.Body, declaration.ExpressionBody?.Expression),
            LocalFunctionStatementSyntax local => (local.Body, local.ExpressionBody?.Expression),
            _ => (null, null),
        };

        // `async void Refresh(object _) => await Refresh(false).ConfigureAwait(false);` (the Apollo client's
        // timer callback): one await of a guarded method of the project. (A bare thread switch as the whole
        // expression body is a placeholder, and stays reported.)
        return body is not null ? IsWhollyGuarded(body, compilation, depth)
            : arrow is AwaitExpressionSyntax awaited && AwaitsAGuardedMethod(awaited, compilation, depth);
    }

    /// <summary><c>async x =&gt; await RunUpdateBackupFile().ConfigureAwait(false)</c> (nacos' timer callbacks):
    /// an expression body that is one await of a guarded method of the project.</summary>
    public static bool AwaitsAGuardedMethod(AwaitExpressionSyntax awaited, Compilation compilation)
        => AwaitsAGuardedMethod(awaited, compilation, depth: 0);

    private static bool AwaitsAGuardedMethod(AwaitExpressionSyntax awaited, Compilation compilation, int depth)
        => !Awaits(awaited.Expression)
           && compilation.ContainsSyntaxTree(awaited.SyntaxTree)
           && IsCallOfAGuardedMethod(awaited, compilation.GetSemanticModel(awaited.SyntaxTree), compilation, depth);

    /// <summary>The body has a top-level <c>try</c> with a catch-all, and awaits nothing outside it
    /// (argument checks may come before it, a synchronous re-arm such as <c>StartTimer(Poll)</c> after
    /// it; found dogfooding FluentFTP's folder monitor) but switches of thread: every asynchronous
    /// failure is handled there.</summary>
    public static bool IsWhollyGuarded(BlockSyntax body, Compilation compilation)
        => IsWhollyGuarded(body, compilation, depth: 0);

    private static bool IsWhollyGuarded(BlockSyntax body, Compilation compilation, int depth)
        => HasOneGuard(body, compilation, depth) || EveryAwaitIsGuarded(body, compilation, depth) || OnlyAwaitsWhatThrowsNothing(body, compilation, depth);

    // `{ await PollWorkflows(); await PollEvents(); await PollCommands(); }`: nothing but awaits that cannot
    // fail (each callee guarded), so there is nothing to guard.
    private static bool OnlyAwaitsWhatThrowsNothing(BlockSyntax body, Compilation compilation, int depth)
    {
        var awaits = false;
        foreach (var statement in body.Statements)
        {
            if (!awaits && IsStateUnboxing(statement, body))
            {
                continue; // before the first await: it fails, if at all, in the caller's synchronous part
            }

            if (!ThrowsNothing(statement, compilation, depth))
            {
                return false;
            }

            awaits = true;
        }

        return awaits;
    }

    // `var manager = (ActiveClientLinkManager)state;` (or `state as …`) at the start of a timer callback (the Azure
    // Service Bus client's token renewal): a parameter cast to the type the callback was registered with, kept in a
    // local. It fails only if the timer was created with the wrong state, which is the caller's mistake, not a
    // failure of the work.
    private static bool IsStateUnboxing(StatementSyntax statement, BlockSyntax body)
    {
        if (statement is not LocalDeclarationStatementSyntax { Declaration.Variables: { Count: 1 } variables }
            || body.Parent is not BaseMethodDeclarationSyntax { ParameterList.Parameters: var parameters })
        {
            return false;
        }

        var operand = variables[0].Initializer?.Value switch
        {
            CastExpressionSyntax { Expression: IdentifierNameSyntax cast } => cast,
            BinaryExpressionSyntax { RawKind: (int)Microsoft.CodeAnalysis.CSharp.SyntaxKind.AsExpression, Left: IdentifierNameSyntax tested } => tested,
            _ => null,
        };

        if (operand is null)
        {
            return false;
        }

        foreach (var parameter in parameters)
        {
            if (parameter.Identifier.ValueText == operand.Identifier.ValueText)
            {
                return true;
            }
        }

        return false;
    }

    private static bool HasOneGuard(BlockSyntax body, Compilation compilation, int depth)
    {
        StatementSyntax? guard = null;
        foreach (var statement in body.Statements)
        {
            if (guard is null && (statement is TryStatementSyntax @try && HasCatchAll(@try) || IsGuardedLoop(statement, compilation, depth)))
            {
                guard = statement;
            }
            else if (Awaits(statement) && !ThrowsNothing(statement, compilation, depth))
            {
                return false;
            }
        }

        return guard is not null;
    }

    // `async void WritePiece(…) { try { await Write(…); } catch (Exception e) { Fail(e); return; } …
    // try { ok = await Hash(…); } catch (Exception e) { Fail(e); return; } … }` (MonoTorrent's piece writer,
    // its HTTP tracker's request handler): no single guard, but every await (`await using` and `await
    // foreach` included) sits in the try block of a catch-all, or is a thread switch. As with one guard,
    // nothing asynchronous escapes; the synchronous code between is the caller's kind of failure.
    private static bool EveryAwaitIsGuarded(BlockSyntax body, Compilation compilation, int depth)
    {
        var guarded = false;
        foreach (var node in body.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            if (node is TryStatementSyntax @try && HasCatchAll(@try))
            {
                guarded = true;
            }
            else if (AsyncContext.IsAwait(node)
                     && !IsInGuardedTryBlock(node, body)
                     && !(node.Parent is ExpressionStatementSyntax awaitStatement && ThrowsNothing(awaitStatement, compilation, depth)))
            {
                return false;
            }
        }

        return guarded;
    }

    private static bool IsInGuardedTryBlock(SyntaxNode node, BlockSyntax body)
    {
        for (var current = node; current != body && current.Parent is { } parent; current = parent)
        {
            if (parent is TryStatementSyntax @try && @try.Block == current && HasCatchAll(@try))
            {
                return true;
            }
        }

        return false;
    }

    // An awaited statement that cannot fail, so there is nothing for a guard to catch. Binds only when an
    // async method is otherwise reported and has such a statement.
    private static bool ThrowsNothing(StatementSyntax statement, Compilation compilation, int depth)
        => statement is ExpressionStatementSyntax { Expression: AwaitExpressionSyntax awaited } && AwaitThrowsNothing(awaited, compilation, depth);

    private static bool AwaitThrowsNothing(AwaitExpressionSyntax awaited, Compilation compilation, int depth)
    {
        if (Awaits(awaited.Expression) || !compilation.ContainsSyntaxTree(awaited.SyntaxTree))
        {
            return false;
        }

        var model = compilation.GetSemanticModel(awaited.SyntaxTree);
        return IsThreadSwitch(awaited, model)
               || IsWaitOnUndisposedSemaphore(awaited, model, compilation)
               || IsCallOfAGuardedMethod(awaited, model, compilation, depth);
    }

    // `await PollWorkflows();` where PollWorkflows is an async method of this compilation whose body is
    // itself wholly guarded (WorkflowCore's poller: `async void PollRunnables(object target) { await
    // PollWorkflows(); await PollEvents(); await PollCommands(); }`, each poll a try with a catch-all): its
    // task carries no failure. Not virtual (an override may not catch), arguments that call nothing, and a
    // few calls deep at most.
    private const int MaxGuardedCallDepth = 2;

    private static bool IsCallOfAGuardedMethod(AwaitExpressionSyntax awaited, SemanticModel model, Compilation compilation, int depth)
    {
        if (depth >= MaxGuardedCallDepth
            || AsyncContext.WithoutConfigureAwait(awaited.Expression) is not InvocationExpressionSyntax call
            || CallsInArguments(call)
            || model.GetSymbolInfo(call).Symbol is not IMethodSymbol { IsAsync: true, IsVirtual: false, IsAbstract: false, IsOverride: false } callee
            || !SymbolEqualityComparer.Default.Equals(callee.ContainingAssembly, compilation.Assembly))
        {
            return false;
        }

        return IsWhollyGuarded(callee.OriginalDefinition, compilation, depth + 1);
    }

    private static bool CallsInArguments(InvocationExpressionSyntax call)
    {
        foreach (var argument in call.ArgumentList.Arguments)
        {
            foreach (var node in argument.Expression.DescendantNodesAndSelf())
            {
                if (node is InvocationExpressionSyntax or ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax or AwaitExpressionSyntax)
                {
                    return true;
                }
            }
        }

        return false;
    }

    // `await Task.Yield();`, or `await MainLoop.SwitchToThreadpool();` whose awaiter's GetResult is empty
    // (MonoTorrent starts its async void workers that way, before their guarded body): resuming on another
    // thread cannot fail.
    private static bool IsThreadSwitch(AwaitExpressionSyntax awaited, SemanticModel model)
    {
        var getResult = model.GetAwaitExpressionInfo(awaited).GetResultMethod;
        return getResult is { ReturnsVoid: true, Parameters.IsEmpty: true, IsAbstract: false, IsVirtual: false }
               && (IsYieldAwaiter(getResult.ContainingType) || HasEmptyBody(getResult));
    }

    // `await _sendSemaphore.WaitAsync();` — no token, no timeout — on a SemaphoreSlim field of this type
    // that no code of the type disposes (Tmds.DBus's send pump: `try { await _sendSemaphore.WaitAsync();
    // while (…) { try { await SendAsync(…); } catch (Exception) { … } } } finally { Release(); }`). Only a
    // disposed semaphore makes that wait throw.
    private static bool IsWaitOnUndisposedSemaphore(AwaitExpressionSyntax awaited, SemanticModel model, Compilation compilation)
    {
        // `await _sendSemaphore.WaitAsync().ConfigureAwait(false);` too.
        if (AsyncContext.WithoutConfigureAwait(awaited.Expression) is not InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0 } call
            || model.GetSymbolInfo(call).Symbol is not IMethodSymbol { Name: "WaitAsync", Parameters.IsEmpty: true } wait
            || !SymbolEqualityComparer.Default.Equals(wait.ContainingType, KnownSymbols.For(compilation).SemaphoreSlim)
            || call.Expression is not MemberAccessExpressionSyntax { Expression: var receiver }
            || model.GetSymbolInfo(receiver).Symbol is not IFieldSymbol { ContainingType: { } type } field
            || receiver is not (IdentifierNameSyntax or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax }))
        {
            return false;
        }

        foreach (var reference in type.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax().DescendantNodes())
            {
                if (node is IdentifierNameSyntax { Identifier.ValueText: var name } use && name == field.Name && MayDispose(use))
                {
                    return false;
                }
            }
        }

        return type.DeclaringSyntaxReferences.Length > 0;
    }

    // `_gate.Dispose()`, `_gate?.Dispose()`, `using (_gate)`, or the semaphore handed to another method
    // (which may dispose it).
    private static bool MayDispose(IdentifierNameSyntax use)
    {
        ExpressionSyntax expression = use.Parent is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } qualified && qualified.Name == use ? qualified : use;
        return expression.Parent switch
        {
            MemberAccessExpressionSyntax access when access.Expression == expression => IsDispose(access.Name),
            ConditionalAccessExpressionSyntax conditional when conditional.Expression == expression
                => conditional.WhenNotNull is InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax binding } && IsDispose(binding.Name),
            ArgumentSyntax or UsingStatementSyntax => true,
            _ => false,
        };
    }

    private static bool IsDispose(SimpleNameSyntax name) => name.Identifier.ValueText is "Dispose" or "DisposeAsync";

    private static bool IsYieldAwaiter(INamedTypeSymbol? type)
        => type is { Name: "YieldAwaiter", ContainingType: { Name: "YieldAwaitable", ContainingNamespace: { Name: "CompilerServices", ContainingNamespace: { Name: "Runtime", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } } };

    private static bool HasEmptyBody(IMethodSymbol method)
        => method.DeclaringSyntaxReferences.Length == 1
           && method.DeclaringSyntaxReferences[0].GetSyntax() is MethodDeclarationSyntax { Body.Statements.Count: 0, ExpressionBody: null };

    // A receive loop whose every iteration is guarded the same way: `while (true) { var buffer = Rent();
    // try { await ReceiveAsync(buffer); … } catch (Exception e) { OnError(e); } finally { Return(buffer); } }`
    // (found dogfooding SuperSocket's UDP client and BeetleX's TLS reader). Its condition awaits nothing.
    private static bool IsGuardedLoop(StatementSyntax statement, Compilation compilation, int depth)
        => statement switch
        {
            WhileStatementSyntax { Statement: BlockSyntax body } loop => !Awaits(loop.Condition) && IsWhollyGuarded(body, compilation, depth),
            DoStatementSyntax { Statement: BlockSyntax body } loop => !Awaits(loop.Condition) && IsWhollyGuarded(body, compilation, depth),
            ForStatementSyntax { Statement: BlockSyntax body } loop => (loop.Condition is null || !Awaits(loop.Condition))
                                                                      && !loop.Incrementors.Any(Awaits)
                                                                      && (loop.Declaration is null || !Awaits(loop.Declaration))
                                                                      && !loop.Initializers.Any(Awaits)
                                                                      && IsWhollyGuarded(body, compilation, depth),
            _ => false,
        };

    private static bool Awaits(SyntaxNode node) => node.DescendantNodesAndSelf().OfType<AwaitExpressionSyntax>().Any();

    private static bool HasCatchAll(TryStatementSyntax @try)
    {
        foreach (var @catch in @try.Catches)
        {
            if ((@catch.Filter is null || LetsOnlyCancellationThrough(@catch) || LetsOnlyFatalThrough(@catch))
                && (@catch.Declaration is null
                    || @catch.Declaration.Type.ToString() is "Exception" or "System.Exception" or "global::System.Exception"))
            {
                return true;
            }
        }

        return false;
    }

    // `catch (Exception ex) when (ex is not OperationCanceledException)` (R3's queue workers): every
    // failure but cancellation is handled; cancellation is how the worker is told to stop.
    private static bool LetsOnlyCancellationThrough(CatchClauseSyntax @catch)
    {
        var filter = @catch.Filter!.FilterExpression;
        while (filter is ParenthesizedExpressionSyntax parenthesized)
        {
            filter = parenthesized.Expression;
        }

        if (@catch.Declaration is not { Identifier.ValueText: { Length: > 0 } name })
        {
            return false;
        }

        // `ex is not OperationCanceledException`
        if (filter is IsPatternExpressionSyntax { Expression: IdentifierNameSyntax tested, Pattern: UnaryPatternSyntax { Pattern: var negated } })
        {
            return tested.Identifier.ValueText == name
                   && negated switch
                   {
                       TypePatternSyntax type => NamesCancellation(type.Type),
                       ConstantPatternSyntax constant => NamesCancellation(constant.Expression),
                       _ => false,
                   };
        }

        // `!(ex is OperationCanceledException)`
        return filter is PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression, Operand: ParenthesizedExpressionSyntax { Expression: BinaryExpressionSyntax { RawKind: (int)SyntaxKind.IsExpression, Left: IdentifierNameSyntax left, Right: var right } } }
               && left.Identifier.ValueText == name
               && NamesCancellation(right);
    }

    // `catch (Exception e) when (!Fx.IsFatal(e))` (the Azure Relay client's timer callbacks; also
    // `!e.IsFatal()`, `!IsCriticalException(e)`): every failure but the fatal ones (out of memory, a
    // corrupted state) is handled; those are meant to take the process down.
    private static bool LetsOnlyFatalThrough(CatchClauseSyntax @catch)
    {
        var filter = @catch.Filter!.FilterExpression;
        while (filter is ParenthesizedExpressionSyntax parenthesized)
        {
            filter = parenthesized.Expression;
        }

        if (@catch.Declaration is not { Identifier.ValueText: { Length: > 0 } name }
            || filter is not PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression, Operand: var operand })
        {
            return false;
        }

        while (operand is ParenthesizedExpressionSyntax inner)
        {
            operand = inner.Expression;
        }

        if (operand is not InvocationExpressionSyntax call)
        {
            return false;
        }

        var (method, receiver) = call.Expression switch
        {
            MemberAccessExpressionSyntax access => (access.Name.Identifier.ValueText, access.Expression),
            IdentifierNameSyntax identifier => (identifier.Identifier.ValueText, (ExpressionSyntax?)null),
            _ => (string.Empty, null),
        };

        if (method.IndexOf("Fatal", System.StringComparison.Ordinal) < 0 && method.IndexOf("Critical", System.StringComparison.Ordinal) < 0)
        {
            return false;
        }

        // The caught exception is what is tested: the argument, or the receiver of an extension.
        return call.ArgumentList.Arguments is { Count: 1 } arguments
            ? arguments[0].Expression is IdentifierNameSyntax argument && argument.Identifier.ValueText == name
            : call.ArgumentList.Arguments.Count == 0 && receiver is IdentifierNameSyntax tested && tested.Identifier.ValueText == name;
    }

    private static bool NamesCancellation(SyntaxNode type)
        => type.ToString() is "OperationCanceledException" or "System.OperationCanceledException" or "global::System.OperationCanceledException";

    /// <summary>True when the method is passed as a method group (<c>new Timer(Poll, …)</c>,
    /// <c>Register(OnTick)</c>) or assigned to a delegate in its type (its containing method, for a
    /// local function): a callback whose delegate returns void. Syntactic, by name; asked only for a
    /// method about to be reported.</summary>
    public static bool IsHandedOverAsCallback(IMethodSymbol method)
    {
        var scopes = method.MethodKind == MethodKind.LocalFunction && method.ContainingSymbol is IMethodSymbol outer
            ? outer.DeclaringSyntaxReferences
            : method.ContainingType.DeclaringSyntaxReferences;
        foreach (var reference in scopes)
        {
            foreach (var node in reference.GetSyntax().DescendantNodes())
            {
                var handedOver = node switch
                {
                    ArgumentSyntax argument => argument.Expression,
                    AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression } assignment => assignment.Right,
                    _ => null,
                };
                if (handedOver is not null && NamesMethod(handedOver, method.Name))
                {
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>`new Thread(TryFlushQueue)` (or `new Thread(new ThreadStart(M))`) somewhere in the method's type:
    /// the thread ends at the method's first await and the rest runs on the thread pool, so the thread's
    /// `IsAlive` and `Join` stop tracking the work (found dogfooding StackExchange.Exceptional's retry thread).
    /// Syntactic, by name, and only asked for async void methods about to be reported.</summary>
    public static bool IsStartOfANewThread(IMethodSymbol method)
    {
        foreach (var reference in method.ContainingType.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax().DescendantNodes())
            {
                if (node is ObjectCreationExpressionSyntax { ArgumentList.Arguments: { Count: > 0 } arguments } creation
                    && creation.Type is IdentifierNameSyntax { Identifier.ValueText: "Thread" } or QualifiedNameSyntax { Right.Identifier.ValueText: "Thread" }
                    && NamesMethod(arguments[0].Expression, method.Name))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // `timer.Elapsed += OnElapsed;` anywhere in the type makes OnElapsed a handler, whatever its
    // parameters. Syntactic (by name), and only asked for async void methods, which are rare.
    private static bool IsSubscribedInItsType(IMethodSymbol method)
    {
        foreach (var reference in method.ContainingType.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax().DescendantNodes())
            {
                if (node is AssignmentExpressionSyntax assignment
                    && assignment.IsKind(SyntaxKind.AddAssignmentExpression)
                    && NamesMethod(assignment.Right, method.Name))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool NamesMethod(ExpressionSyntax expression, string name) => expression switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText == name,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } access => access.Name.Identifier.ValueText == name,
        ObjectCreationExpressionSyntax { ArgumentList.Arguments: { Count: 1 } arguments } => NamesMethod(arguments[0].Expression, name),
        _ => false,
    };
}
