using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// <c>publisher.Publish(message)</c> beside <c>PublishAsync</c> on MessagePipe's <c>IAsyncPublisher</c>:
/// a <c>void</c> method of this compilation that starts asynchronous work and returns without waiting
/// for it (<c>handler.HandleAsync(m, ct).Forget()</c>), itself or through the void helpers it forwards
/// to, or an <c>async void</c> method, is the fire-and-forget form of its twin, not a blocking one. For an interface or virtual method,
/// every implementation in the compilation must be such a form. Asked once per method with a twin
/// (the answer is cached with its classification); binds the bodies it reads.
/// </summary>
internal static class FireAndForgetForms
{
    private const int MaxForwardingDepth = 2;

    public static bool IsFireAndForget(IMethodSymbol method, Compilation compilation, KnownSymbols symbols)
    {
        method = (method.ReducedFrom ?? method).OriginalDefinition;
        if (!method.ReturnsVoid || method.IsStatic && method.ContainingType?.TypeKind == TypeKind.Interface
            || !SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly))
        {
            return false;
        }

        if (!(method.IsVirtual || method.IsAbstract || method.IsOverride || method.ContainingType?.TypeKind == TypeKind.Interface))
        {
            return StartsWorkWithoutWaiting(method, compilation, symbols, MaxForwardingDepth);
        }

        var implementations = SourceImplementations.For(compilation).Of(method, CancellationToken.None);
        if (implementations.Count == 0)
        {
            return false;
        }

        foreach (var implementation in implementations)
        {
            if (!StartsWorkWithoutWaiting(implementation, compilation, symbols, MaxForwardingDepth))
            {
                return false;
            }
        }

        return true;
    }

    // A call that returns a task whose value is neither awaited, waited nor returned — handed to
    // `Forget()`, discarded, dropped — and no wait at all in the body; or a void helper that does so.
    private static bool StartsWorkWithoutWaiting(IMethodSymbol method, Compilation compilation, KnownSymbols symbols, int depth)
    {
        // `async void HandleContext(ctx) { try { await HandleContextAsync(ctx); } catch … }` beside
        // HandleContextAsync (MonoTorrent's HTTP stream): an async void method returns at its first
        // await; it is the fire-and-forget form of its twin, and awaiting the twin instead would
        // serialise what the caller meant to run alongside it.
        if (method.IsAsync)
        {
            return method.ReturnsVoid;
        }

        if (method.IsAbstract
            || MethodBodies.Syntax(method, CancellationToken.None) is not { Parent: MethodDeclarationSyntax } bodySyntax
            || MethodBodies.Bind(bodySyntax, compilation, CancellationToken.None) is not { } body)
        {
            return false;
        }

        var waits = TaskWaits.For(compilation);
        var starts = false;
        foreach (var operation in body.Descendants())
        {
            if (waits.TryGetWait(operation, out _))
            {
                return false; // it waits after all
            }

            if (starts || operation is not IInvocationOperation call)
            {
                continue;
            }

            if (call.Type is { } type && symbols.IsTaskType(type)
                && call.ParentSkippingConversions() is not (IAwaitOperation or IReturnOperation or IInvocationOperation { TargetMethod.Name: "ConfigureAwait" }))
            {
                starts = true;
            }
            else if (depth > 0 && call.TargetMethod is { ReturnsVoid: true, IsVirtual: false, IsAbstract: false } callee
                     && SymbolEqualityComparer.Default.Equals(callee.ContainingAssembly, compilation.Assembly)
                     && !SymbolEqualityComparer.Default.Equals(callee.OriginalDefinition, method)
                     && StartsWorkWithoutWaiting(callee.OriginalDefinition, compilation, symbols, depth - 1))
            {
                starts = true;
            }
        }

        return starts;
    }
}
