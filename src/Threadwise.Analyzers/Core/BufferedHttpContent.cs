using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// The content of a response that <c>HttpClient</c> has already read whole: <c>GetAsync</c>, <c>PostAsync</c>,
/// <c>SendAsync</c> and the others buffer the body before their task completes unless they are asked for
/// <c>HttpCompletionOption.ResponseHeadersRead</c>. Reading such content (<c>Content.ReadAsStream()</c>)
/// hands out that buffer: it does not wait for the network.
/// </summary>
internal static class BufferedHttpContent
{
    private const int ResponseContentRead = 0;

    /// <summary>True when <paramref name="content"/> is <c>response.Content</c> of a response that
    /// <c>HttpClient</c> buffered: <c>(await client.GetAsync(uri)).Content</c>, or <c>r.Content</c> of a local
    /// <c>r</c> initialised so and not assigned again.</summary>
    public static bool IsBuffered(IOperation? content, KnownSymbols symbols)
    {
        if (symbols.HttpClient is null
            || content?.WithoutConversions() is not IPropertyReferenceOperation { Property: { Name: "Content", IsStatic: false } property, Instance: { } response }
            || !SymbolEqualityComparer.Default.Equals(property.ContainingType, symbols.HttpResponseMessage))
        {
            return false;
        }

        response = response.WithoutConversions();
        if (response is ILocalReferenceOperation local)
        {
            if (LocalDeclarations.GetInitializer(local.Local, local) is not { } declaration
                || LocalReferences.IsReassigned(declaration.Body, local.Local))
            {
                return false;
            }

            response = declaration.Value;
        }

        return response is IAwaitOperation awaited && IsBufferingRequest(Unconfigured(awaited.Operation), symbols);
    }

    /// <summary><c>response.Content.ReadAsStringAsync()</c> (or <c>ReadAsByteArrayAsync</c>, <c>ReadAsStreamAsync</c>)
    /// of content <see cref="IsBuffered"/>: the read finds the body in memory and hands back a finished task.</summary>
    public static bool IsReadOfBufferedContent(IOperation? task, KnownSymbols symbols)
        => task is IInvocationOperation { TargetMethod: { Name: "ReadAsStringAsync" or "ReadAsByteArrayAsync" or "ReadAsStreamAsync", IsStatic: false, ContainingType: { Name: "HttpContent" } type }, Instance: { } content }
           && type.ContainingNamespace is { Name: "Http", ContainingNamespace: { Name: "Net", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } }
           && IsBuffered(content, symbols);

    // `await client.GetAsync(uri).ConfigureAwait(false)`: the request is the receiver of ConfigureAwait.
    private static IOperation Unconfigured(IOperation awaited)
    {
        awaited = awaited.WithoutConversions();
        return awaited is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } request }
            ? request.WithoutConversions()
            : awaited;
    }

    // HttpClient's own methods only: HttpMessageInvoker.SendAsync, which a client held as an invoker or a
    // handler calls, returns as soon as the headers are in.
    private static bool IsBufferingRequest(IOperation request, KnownSymbols symbols)
    {
        if (request is not IInvocationOperation call
            || !SymbolEqualityComparer.Default.Equals(call.TargetMethod.ContainingType, symbols.HttpClient))
        {
            return false;
        }

        foreach (var argument in call.Arguments)
        {
            if (SymbolEqualityComparer.Default.Equals(argument.Parameter?.Type, symbols.HttpCompletionOption)
                && argument.Value.ConstantValue is not { HasValue: true, Value: ResponseContentRead })
            {
                return false;
            }
        }

        return true;
    }
}
