using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// Commands queued on a batch that runs later: <c>var tran = db.CreateTransaction();
/// tran.HashSetAsync(key, field, value); bool committed = tran.Execute();</c> (StackExchange.Redis's
/// transactions and batches, found dogfooding CacheManager). The task a queued command returns completes
/// only when the batch is executed, so awaiting it before <c>Execute</c> would wait forever; dropping it
/// loses nothing the <c>Execute</c> call does not report. Known when the same local or parameter is
/// later, in the same function, the receiver of a call named <c>Execute</c> or <c>ExecuteAsync</c>.
/// </summary>
internal static class DeferredBatches
{
    public static bool IsQueuedBeforeExecute(IInvocationOperation invocation)
    {
        var batch = ReceiverVariable(invocation.Instance);
        if (batch is null)
        {
            return false;
        }

        var body = AsyncContext.GetFunctionBody(invocation);
        var queuedAt = invocation.Syntax.Span.End;
        foreach (var operation in body.Descendants())
        {
            if (operation is IInvocationOperation { TargetMethod.Name: "Execute" or "ExecuteAsync" } execute
                && execute.Syntax.SpanStart >= queuedAt
                && SymbolEqualityComparer.Default.Equals(ReceiverVariable(execute.Instance), batch)
                && !AsyncContext.IsInNestedFunction(execute, body))
            {
                return true;
            }
        }

        return false;
    }

    private static ISymbol? ReceiverVariable(IOperation? receiver) => receiver?.WithoutConversions() switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        _ => null,
    };
}
