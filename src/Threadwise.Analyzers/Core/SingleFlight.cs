using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// The single-flight join: a method that finds a <c>TaskCompletionSource</c> in a field and waits for it,
/// or else creates one, publishes it in that field, does the work itself and completes it
/// (OpenTelemetry's <c>MetricReader.Collect</c>: <c>var tcs = this.collectionTcs; if (tcs == null) { tcs = new
/// TaskCompletionSource&lt;bool&gt;(); this.collectionTcs = tcs; shouldRun = true; } if (!shouldRun) return
/// Task.WaitAny([tcs.Task, …], timeout) == 0 …; … tcs.TrySetResult(result);</c>). The wait stands for the work
/// another caller is doing on the same path: a caller that found no run in flight would do it itself, just as
/// synchronously. Whether that work blocks is asked of the work, which is in the same method.
/// </summary>
internal static class SingleFlight
{
    /// <summary>True when every task <paramref name="wait"/> needs (any one for <c>WaitAny</c>) is the
    /// <c>Task</c> of such a published local.</summary>
    public static bool IsJoin(TaskWait wait, KnownSymbols symbols)
    {
        if (wait.Kind == TaskWaitKind.WaitAll)
        {
            return false;
        }

        if (wait.Task is { } task)
        {
            return IsPublishedSource(task, symbols);
        }

        if (wait.Kind != TaskWaitKind.WaitAny || wait.Operation is not IInvocationOperation waitAny)
        {
            return false;
        }

        // `Task.WaitAny([tcs.Task, shutdown.Task], timeout)`: the wait ends when the run in flight does.
        foreach (var argument in waitAny.Arguments)
        {
            foreach (var element in argument.Value.DescendantsAndSelf())
            {
                if (element is IPropertyReferenceOperation { Property.Name: "Task" } && IsPublishedSource(element, symbols))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool IsPublishedSource(IOperation task, KnownSymbols symbols)
    {
        if (KnownCompleteTasks.Unwrap(task) is not IPropertyReferenceOperation { Property.Name: "Task", Instance: ILocalReferenceOperation { Local: var source } }
            || !CompletionSources.IsCompletionSource(source.Type, symbols))
        {
            return false;
        }

        var body = AsyncContext.GetFunctionBody(task);

        var readFromField = false;
        var published = false;
        var completed = false;
        foreach (var operation in body.Descendants())
        {
            switch (operation)
            {
                case ISimpleAssignmentOperation { Target: ILocalReferenceOperation target, Value: var value } when SameLocal(target, source) && value.WithoutConversions() is IFieldReferenceOperation:
                    readFromField = true;
                    break;
                case IVariableDeclaratorOperation { Symbol: var declared, Initializer.Value: var initial } when SymbolEqualityComparer.Default.Equals(declared, source) && initial.WithoutConversions() is IFieldReferenceOperation:
                    readFromField = true;
                    break;
                case ISimpleAssignmentOperation { Target: IFieldReferenceOperation, Value: var value } when value.WithoutConversions() is ILocalReferenceOperation local && SameLocal(local, source):
                    published = true;
                    break;
                case IInvocationOperation { Instance: ILocalReferenceOperation receiver, TargetMethod: var method } when SameLocal(receiver, source) && CompletionSources.IsCompletion(method, symbols):
                    completed = true;
                    break;
            }
        }

        return readFromField && published && completed;
    }

    private static bool SameLocal(ILocalReferenceOperation reference, ILocalSymbol local) => SymbolEqualityComparer.Default.Equals(reference.Local, local);
}
