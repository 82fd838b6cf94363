using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>TW4004: an async void method or local function that is not an event handler or override.</summary>
public sealed class AsyncVoidMethodAnalyzer : ThreadwiseAnalyzer
{
    public AsyncVoidMethodAnalyzer()
        : base(Descriptors.TW4004AsyncVoidMethod)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var analyzer = new Context(KnownSymbols.For(context.Compilation));
        context.RegisterSymbolAction(analyzer.AnalyzeMethod, SymbolKind.Method);
        context.RegisterOperationAction(analyzer.AnalyzeLocalFunction, OperationKind.LocalFunction);
    }

    private sealed class Context
    {
        private readonly KnownSymbols _symbols;

        public Context(KnownSymbols symbols) => _symbols = symbols;

        public void AnalyzeMethod(SymbolAnalysisContext context)
        {
            var method = (IMethodSymbol)context.Symbol;
            if (method.MethodKind == MethodKind.Ordinary && AsyncVoidMethods.IsReported(method, _symbols))
            {
                Report(method, context.ReportDiagnostic);
            }
        }

        public void AnalyzeLocalFunction(OperationAnalysisContext context)
        {
            var method = ((ILocalFunctionOperation)context.Operation).Symbol;
            if (AsyncVoidMethods.IsReported(method, _symbols))
            {
                Report(method, context.ReportDiagnostic);
            }
        }

        // A method handed over as a callback (`new Timer(Poll, …)`) must stay void for its delegate:
        // the remedy there is to catch inside it, not to return Task.
        private static void Report(IMethodSymbol method, System.Action<Diagnostic> report)
            => report(Diagnostic.Create(
                Descriptors.TW4004AsyncVoidMethod,
                method.Locations[0],
                method.Name,
                Remedy(method)));

        private static string Remedy(IMethodSymbol method)
            => !AsyncVoidMethods.IsHandedOverAsCallback(method) ? "return Task"
               : AsyncVoidMethods.IsStartOfANewThread(method)
                   ? "it is the start of a new Thread, which ends at the first await while the rest runs on the thread pool, unseen by the thread's IsAlive and Join: make it synchronous, or return Task and start it with Task.Run"
                   : "it is handed over as a callback that returns void, so catch its exceptions inside it (a try/catch around the body)";
    }
}
