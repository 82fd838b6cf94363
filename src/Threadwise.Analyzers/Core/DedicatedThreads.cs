using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// <c>new Thread(new ParameterizedThreadStart(ThreadStart)) { IsBackground = true }</c> where
/// <c>ThreadStart</c> (a local function or private method) is used nowhere else: its body runs only
/// on a thread of its own. Blocking there stalls no pool thread and no synchronization context, so
/// the rules that ask "who runs this?" for a would-be finding treat it as a synchronous owner.
/// Asked only on the way to a finding (binds the declaring method or type).
/// </summary>
internal static class DedicatedThreads
{
    public static bool IsOnlyAThreadBody(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
        => IsOnlyAThreadBody(method, compilation, onePerObject: false, cancellationToken);

    /// <summary>
    /// As <see cref="IsOnlyAThreadBody(IMethodSymbol, Compilation, CancellationToken)"/>, and every thread that
    /// runs it is created by a constructor of its type, outside any loop: one such thread per object, so the
    /// body never runs concurrently with itself on the same object (Aerospike's timeout queue, whose
    /// constructor starts `new Thread(Run)`). A private method only: its type holds all its uses.
    /// </summary>
    public static bool IsTheOneThreadOfItsObject(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
        => method.MethodKind == MethodKind.Ordinary && IsOnlyAThreadBody(method, compilation, onePerObject: true, cancellationToken);

    private static bool IsOnlyAThreadBody(IMethodSymbol method, Compilation compilation, bool onePerObject, CancellationToken cancellationToken)
    {
        if (KnownSymbols.For(compilation).Thread is not { } thread
            || method.IsAsync
            || MethodUses.Scope(method, cancellationToken) is not { } scope)
        {
            return false;
        }

        var uses = 0;
        foreach (var (name, model) in MethodUses.In(scope, method, compilation, cancellationToken))
        {
            // `new Thread(() => WorkerLoop(id))` (TickerQ's worker threads): the lambda only calls the method.
            if (name.Parent is InvocationExpressionSyntax call && call.Expression == name
                && model.GetOperation(call, cancellationToken) is IInvocationOperation invocation && IsAThreadLambdasOnlyCall(invocation, thread))
            {
                if (onePerObject && !(call.FirstAncestorOrSelf<AnonymousFunctionExpressionSyntax>() is { } lambda && IsOutsideLoopsOfAConstructor(lambda)))
                {
                    return false;
                }

                uses++;
                continue;
            }

            if (model.GetOperation(name, cancellationToken) is not IMethodReferenceOperation reference || !StartsAThread(reference, thread))
            {
                return false; // a call, or a delegate that runs elsewhere
            }

            if (onePerObject && !IsOutsideLoopsOfAConstructor(name))
            {
                return false;
            }

            uses++;
        }

        return uses > 0;
    }

    // `Queue() { thread = new Thread(Run) { … }; thread.Start(); }`: directly in an instance constructor's body.
    private static bool IsOutsideLoopsOfAConstructor(SyntaxNode use)
    {
        for (var current = use.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case ConstructorDeclarationSyntax constructor:
                    return !constructor.Modifiers.Any(SyntaxKind.StaticKeyword);
                case ForStatementSyntax or ForEachStatementSyntax or WhileStatementSyntax or DoStatementSyntax
                    or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    private static bool IsAThreadLambdasOnlyCall(IInvocationOperation invocation, INamedTypeSymbol thread)
    {
        var statement = invocation.Parent is IExpressionStatementOperation or IReturnOperation ? invocation.Parent : null;
        if (statement?.Parent is not IBlockOperation { Parent: IAnonymousFunctionOperation lambda } block)
        {
            return false;
        }

        foreach (var other in block.Operations)
        {
            if (other != statement && other is not IReturnOperation { ReturnedValue: null, IsImplicit: true })
            {
                return false;
            }
        }

        return lambda.EnclosingArgument() is { Parent: IObjectCreationOperation started }
               && SymbolEqualityComparer.Default.Equals(started.Type, thread);
    }

    // `new Thread(Body)`, `new Thread(new ThreadStart(Body))` (a delegate creation too): the method
    // group is the thread's body. So is a long-running task's: `Task.Factory.StartNew(Body, token,
    // TaskCreationOptions.LongRunning, TaskScheduler.Default)` runs it on a thread of its own (found dogfooding
    // LibUsbDotNet's transfer-queue reader).
    private static bool StartsAThread(IMethodReferenceOperation reference, INamedTypeSymbol thread)
        => reference.EnclosingArgument() is { Parent: { } started }
           && (started is IObjectCreationOperation creation && SymbolEqualityComparer.Default.Equals(creation.Type, thread)
               || IsLongRunningStart(started, reference.SemanticModel?.Compilation));

    private static bool IsLongRunningStart(IOperation started, Compilation? compilation)
    {
        if (compilation is null)
        {
            return false;
        }

        var symbols = KnownSymbols.For(compilation);
        var type = started switch
        {
            IInvocationOperation { TargetMethod: { Name: "StartNew", ContainingType: { } factory } } => factory.OriginalDefinition,
            IObjectCreationOperation { Type: INamedTypeSymbol task } => task.OriginalDefinition,
            _ => null,
        };
        return type is not null
               && (SymbolEqualityComparer.Default.Equals(type, symbols.TaskFactory) || SymbolEqualityComparer.Default.Equals(type, symbols.TaskFactoryOfT)
                   || SymbolEqualityComparer.Default.Equals(type, symbols.Task) || SymbolEqualityComparer.Default.Equals(type, symbols.TaskOfT))
               && ConcurrentContext.IsLongRunning(started, symbols);
    }
}
