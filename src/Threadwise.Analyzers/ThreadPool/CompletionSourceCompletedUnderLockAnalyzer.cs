using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.ThreadPool;

/// <summary>
/// TW3006: a <c>TaskCompletionSource</c> created without <c>RunContinuationsAsynchronously</c> (every
/// creation stored in the local or private field is seen, and none has the option) is completed
/// while a lock is held: the awaiters' continuations run inline, inside the lock.
/// </summary>
public sealed class CompletionSourceCompletedUnderLockAnalyzer : ThreadwiseAnalyzer
{
    public CompletionSourceCompletedUnderLockAnalyzer()
        : base(Descriptors.TW3006CompletionSourceCompletedUnderLock)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var symbols = KnownSymbols.For(context.Compilation);
        if (symbols.TaskCompletionSourceOfT is null)
        {
            return;
        }

        var analyzer = new Context(symbols);
        context.RegisterOperationAction(analyzer.AnalyzeInvocation, OperationKind.Invocation);
    }

    private sealed class Context
    {
        private readonly KnownSymbols _symbols;

        public Context(KnownSymbols symbols) => _symbols = symbols;

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (!CompletionSources.IsCompletion(invocation.TargetMethod, _symbols)
                || !LockScope.IsAnyLockHeld(invocation)
                || CompletionSources.Holder(invocation.Instance) is not { } holder
                || invocation.SemanticModel is not { } model
                || CompletionSources.Creations(holder, model, invocation.Syntax, context.CancellationToken) is not { } creations
                || IsCompletedBeforeHandedOut(invocation, holder))
            {
                return;
            }

            foreach (var creation in creations)
            {
                if (CompletionSources.RunsContinuationsAsynchronously(creation) != false)
                {
                    return;
                }
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.TW3006CompletionSourceCompletedUnderLock,
                invocation.Syntax.GetLocation(),
                invocation.TargetMethod.Name,
                holder.Name,
                HeldLockName(invocation)));
        }

        // `var waiter = new TaskCompletionSource<T>(); if (token.IsCancellationRequested) waiter.TrySetCanceled();
        // else _waiters.Enqueue(waiter); return waiter.Task;` (vs-threading's AsyncAutoResetEvent): a source
        // created in this function and not used before it is completed has no awaiter yet, so no
        // continuation can run inline (completing it on another branch hands nothing out). Not when the
        // completion sits in a loop the creation is outside of.
        private bool IsCompletedBeforeHandedOut(IInvocationOperation invocation, ISymbol holder)
        {
            if (holder is not ILocalSymbol local || invocation.Instance is not ILocalReferenceOperation completed)
            {
                return false;
            }

            var body = AsyncContext.GetFunctionBody(invocation);
            foreach (var reference in LocalReferences.Collect(body, local))
            {
                if (reference.Reference != completed
                    && reference.Reference.Syntax.SpanStart < invocation.Syntax.SpanStart
                    && !(reference.Use == LocalUse.Reassigned && reference.AssignedValue?.WithoutConversions() is IObjectCreationOperation)
                    && !(reference.Use == LocalUse.MethodCall && reference.Member is IMethodSymbol other && CompletionSources.IsCompletion(other, _symbols))
                    && !IsTaskKeptInAnUnusedLocal(reference, body, invocation.Syntax.SpanStart))
                {
                    return false;
                }
            }

            return !IsInALoopOutside(invocation, local, body);
        }

        // `Task result = source.Task; lock (_gate) { … source.SetResult(true); … } return result;` (WampSharp's
        // unsubscribe): the task is only parked in a local nothing reads before the completion, so no one
        // can be waiting on it yet.
        private static bool IsTaskKeptInAnUnusedLocal(LocalReference reference, IOperation body, int completedAt)
        {
            if (reference.Use != LocalUse.MemberRead
                || reference.Member is not IPropertySymbol { Name: "Task" }
                || reference.Reference.Parent?.ParentSkippingConversions() is not { } use)
            {
                return false;
            }

            var kept = use switch
            {
                IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator } => declarator.Symbol,
                ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } => target.Local,
                _ => null,
            };
            if (kept is null)
            {
                return false;
            }

            foreach (var keptReference in LocalReferences.Collect(body, kept))
            {
                if (keptReference.Reference.Syntax.SpanStart < completedAt && keptReference.Reference != (use as ISimpleAssignmentOperation)?.Target)
                {
                    return false;
                }
            }

            return true;
        }

        private static bool IsInALoopOutside(IOperation operation, ILocalSymbol local, IOperation body)
        {
            for (var current = operation.Parent; current is not null && current != body; current = current.Parent)
            {
                if (current is ILoopOperation loop && !DeclaresOrCreates(loop, local))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool DeclaresOrCreates(ILoopOperation loop, ILocalSymbol local)
        {
            foreach (var operation in loop.Body.DescendantsAndSelf())
            {
                if ((operation is IVariableDeclaratorOperation declarator && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local))
                    || (operation is ISimpleAssignmentOperation { Target: ILocalReferenceOperation target } && SymbolEqualityComparer.Default.Equals(target.Local, local)))
                {
                    return true;
                }
            }

            return false;
        }

        private static string HeldLockName(IOperation operation)
        {
            foreach (var held in LockScope.HeldLocks(operation))
            {
                if (held is ITypeSymbol)
                {
                    return "this";
                }

                if (held is not null)
                {
                    return held.Name;
                }
            }

            return "lock";
        }
    }
}
