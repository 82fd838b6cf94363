using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>TW2007: a thread-affine lock is acquired before an await and released after it.</summary>
public sealed class ThreadAffineLockAcrossAwaitAnalyzer : ThreadwiseAnalyzer
{
    public ThreadAffineLockAcrossAwaitAnalyzer()
        : base(Descriptors.TW2007ThreadAffineLockAcrossAwait)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var analyzer = new Context(KnownSymbols.For(context.Compilation));
        context.RegisterOperationAction(analyzer.AnalyzeInvocation, OperationKind.Invocation);
    }

    private sealed class Context
    {
        private readonly KnownSymbols _symbols;

        public Context(KnownSymbols symbols) => _symbols = symbols;

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (!LockScope.IsAcquire(invocation, _symbols, out var acquired, out var threadAffine)
                || !threadAffine
                || acquired is null
                || AsyncContext.GetAsyncFunction(invocation, context.ContainingSymbol) is null)
            {
                return;
            }

            // An await after the acquire and before a release of the same lock, in this function.
            var body = AsyncContext.GetFunctionBody(invocation);
            var acquiredAt = invocation.Syntax.Span.End;
            var firstAwait = -1;
            foreach (var operation in body.Descendants())
            {
                if (operation.Syntax.SpanStart < acquiredAt || AsyncContext.IsInNestedFunction(operation, body))
                {
                    continue;
                }

                if (operation is IAwaitOperation && (firstAwait < 0 || operation.Syntax.SpanStart < firstAwait))
                {
                    firstAwait = operation.Syntax.SpanStart;
                }
                else if (firstAwait >= 0
                         && operation.Syntax.SpanStart > firstAwait
                         && LockScope.IsRelease(operation, out var released)
                         && SymbolEqualityComparer.Default.Equals(released, acquired))
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.TW2007ThreadAffineLockAcrossAwait, invocation.Syntax.GetLocation(), acquired.Name));
                    return;
                }
            }
        }
    }
}
