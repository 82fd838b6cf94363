using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>TW4004: an async void method or local function that is not an event handler or override.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
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
            if (method is { IsAsync: true, ReturnsVoid: true, MethodKind: MethodKind.Ordinary, IsOverride: false }
                && method.ExplicitInterfaceImplementations.IsEmpty
                && !ImplementsInterfaceMember(method))
            {
                Report(method, context.ReportDiagnostic);
            }
        }

        public void AnalyzeLocalFunction(OperationAnalysisContext context)
        {
            var method = ((ILocalFunctionOperation)context.Operation).Symbol;
            if (method is { IsAsync: true, ReturnsVoid: true })
            {
                Report(method, context.ReportDiagnostic);
            }
        }

        private void Report(IMethodSymbol method, System.Action<Diagnostic> report)
        {
            if (EventHandlers.HasEventHandlerShape(method, _symbols) || method.Locations.Length == 0)
            {
                return;
            }

            report(Diagnostic.Create(Descriptors.TW4004AsyncVoidMethod, method.Locations[0], method.Name));
        }

        // An implicit implementation of an interface's void member must stay void.
        private static bool ImplementsInterfaceMember(IMethodSymbol method)
        {
            foreach (var @interface in method.ContainingType.AllInterfaces)
            {
                foreach (var member in @interface.GetMembers(method.Name))
                {
                    if (SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(member), method))
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
