using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.ThreadPool;

/// <summary>TW3003: a blocking parallel loop (or PLINQ materialization) in async code.</summary>
public sealed class ParallelLoopInAsyncCodeAnalyzer : ThreadwiseAnalyzer
{
    public ParallelLoopInAsyncCodeAnalyzer()
        : base(Descriptors.TW3003ParallelLoopInAsyncCode)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var symbols = KnownSymbols.For(context.Compilation);
        if (symbols.Parallel is null && symbols.ParallelEnumerable is null)
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
            if (!IsBlockingParallelCall(invocation.TargetMethod)
                || invocation.Syntax.ContainsDiagnostics
                || AsyncContext.GetAsyncFunction(invocation, context.ContainingSymbol) is not { } function)
            {
                return;
            }

            // Parallel.For(...) is underlined as `Parallel.For`; query.ToList() as `ToList`.
            var location = invocation.Syntax is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access }
                ? (invocation.TargetMethod.IsExtensionMethod ? access.Name.GetLocation() : access.GetLocation())
                : invocation.Syntax.GetLocation();
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.TW3003ParallelLoopInAsyncCode,
                location,
                invocation.TargetMethod.ContainingType.Name + "." + invocation.TargetMethod.Name,
                AsyncContext.Describe(function)));
        }

        // Parallel.For/ForEach/Invoke, and PLINQ operators that run the query (they return something
        // other than a ParallelQuery: ToList, ToArray, ForAll, Sum, Count, First ...).
        private bool IsBlockingParallelCall(IMethodSymbol method)
        {
            var type = method.ContainingType;
            if (SymbolEqualityComparer.Default.Equals(type, _symbols.Parallel))
            {
                return method.Name is "For" or "ForEach" or "Invoke";
            }

            return SymbolEqualityComparer.Default.Equals(type, _symbols.ParallelEnumerable)
                   && method.Parameters.Length > 0
                   && IsParallelQuery(method.Parameters[0].Type)
                   && !IsParallelQuery(method.ReturnType)
                   && method.Name != "AsSequential" && method.Name != "AsEnumerable";
        }

        private bool IsParallelQuery(ITypeSymbol type)
            => KnownSymbols.IsOrDerivesFrom(type, _symbols.ParallelQueryOfT)
               || (type is INamedTypeSymbol { Name: "ParallelQuery" } named && named.ContainingNamespace?.ToString() == "System.Linq");
    }
}
