using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// Commands queued on a batch that runs later: <c>var tran = db.CreateTransaction();
/// tran.HashSetAsync(key, field, value); bool committed = tran.Execute();</c> (StackExchange.Redis's
/// transactions and batches, found dogfooding CacheManager). The task a queued command returns completes
/// only when the batch is executed, so awaiting it before <c>Execute</c> would wait forever; dropping it
/// loses nothing the <c>Execute</c> call does not report. Known when the receiver is
/// <list type="bullet">
/// <item>a local or parameter that is later, in the same function, the receiver of a call named
/// <c>Execute</c> or <c>ExecuteAsync</c>;</item>
/// <item>a field of the type that some member of the type executes (Hangfire.Redis's write-only
/// transaction queues on <c>_transaction</c> in each operation and executes it in <c>Commit</c>);</item>
/// <item>a parameter of a method whose every call in the compilation hands it such a local, executed after
/// the call (<c>RemoveFromFetchedListAsync(transaction); …; transaction.Execute();</c>).</item>
/// </list>
/// The last two are looked up only for a would-be finding.
/// </summary>
internal static class DeferredBatches
{
    /// <summary>The first case: cheap, in the function itself.</summary>
    public static bool IsQueuedBeforeExecute(IInvocationOperation invocation)
        => ReceiverVariable(invocation.Instance) is { } batch
           && IsExecutedAfter(AsyncContext.GetFunctionBody(invocation), batch, invocation.Syntax.Span.End);

    /// <summary>The other two: they read the type's declarations or bind the method's callers.</summary>
    public static bool IsQueuedOnABatchExecutedElsewhere(IInvocationOperation invocation, Compilation compilation, CancellationToken cancellationToken)
        => invocation.Instance?.WithoutConversions() switch
        {
            IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation, Field: var field } => IsExecutedByItsType(field, compilation, cancellationToken),
            IParameterReferenceOperation { Parameter: var parameter } => IsHandedAQueuedBatchByEveryCall(parameter, compilation, cancellationToken),
            _ => false,
        };

    private static bool IsExecutedAfter(IOperation body, ISymbol batch, int position)
    {
        foreach (var operation in body.Descendants())
        {
            if (operation is IInvocationOperation { TargetMethod.Name: "Execute" or "ExecuteAsync" } execute
                && execute.Syntax.SpanStart >= position
                && SymbolEqualityComparer.Default.Equals(ReceiverVariable(execute.Instance), batch)
                && !AsyncContext.IsInNestedFunction(execute, body))
            {
                return true;
            }
        }

        return false;
    }

#pragma warning disable RS1030 // The type's other parts and the callers live in other trees; asked only for would-be findings.
    // `_transaction.Execute()` somewhere in the field's type, on this very field.
    private static bool IsExecutedByItsType(IFieldSymbol field, Compilation compilation, CancellationToken cancellationToken)
    {
        foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
        {
            SemanticModel? model = null;
            foreach (var node in reference.GetSyntax(cancellationToken).DescendantNodes())
            {
                if (node is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Execute" or "ExecuteAsync", Expression: var receiver } }
                    && NameOf(receiver) == field.Name
                    && compilation.ContainsSyntaxTree(node.SyntaxTree))
                {
                    model ??= compilation.GetSemanticModel(node.SyntaxTree);
                    if (SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(receiver, cancellationToken).Symbol, field))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    // `_transaction` or `this._transaction`.
    private static string? NameOf(ExpressionSyntax receiver) => receiver switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var name } => name.Identifier.ValueText,
        _ => null,
    };

    // Every call of the parameter's method passes a local or parameter of the caller that the caller
    // executes after the call.
    private static bool IsHandedAQueuedBatchByEveryCall(IParameterSymbol parameter, Compilation compilation, CancellationToken cancellationToken)
    {
        if (parameter.ContainingSymbol is not IMethodSymbol method
            || !CallSites.CanKnowCallers(method)
            || method.IsVirtual || method.IsAbstract || method.IsOverride
            || CallSites.InTheCompilation(method, compilation, cancellationToken) is not { Count: > 0 } calls)
        {
            return false;
        }

        foreach (var call in calls)
        {
            if (!HandsAQueuedBatch(call.Invocation, parameter))
            {
                return false;
            }
        }

        return true;
    }
#pragma warning restore RS1030

    private static bool HandsAQueuedBatch(IInvocationOperation call, IParameterSymbol parameter)
    {
        foreach (var argument in call.Arguments)
        {
            if (argument.Parameter is { } bound && bound.Ordinal == parameter.Ordinal)
            {
                return ReceiverVariable(argument.Value) is { } batch
                       && IsExecutedAfter(AsyncContext.GetFunctionBody(call), batch, call.Syntax.Span.End);
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
