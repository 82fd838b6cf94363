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
                || CompletionSources.Creations(holder, model, invocation.Syntax, context.CancellationToken) is not { } creations)
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
