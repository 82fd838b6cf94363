using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Threadwise.Bench.Floor;

/// <summary>The cost of an analyzer's registration alone, beside which the benchmark shows
/// Threadwise's. By default (<c>floor</c>) one empty operation action for every invocation: the
/// compiler then builds operation trees for every body. With <c>floor_mode = syntax</c> in a global
/// config (<c>floor-syntax</c>) a syntax action asks the semantic model for every invocation's symbol
/// instead: the binding alone, without operation trees. With <c>floor_mode = filtered</c>
/// (<c>floor-filtered</c>) it asks only for invocations whose name passes a cheap syntax check, and
/// builds their operation: what a syntax-gated rule pays. With <c>floor_mode = syntax-empty</c>
/// (<c>floor-syntaxempty</c>) the syntax action does nothing: the analyzer driver's own share.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class EmptyOperationAnalyzer : DiagnosticAnalyzer
{
    private static readonly DiagnosticDescriptor Never = new(
        "FLOOR001", "Never reported", "Never reported", "Benchmark", DiagnosticSeverity.Warning, isEnabledByDefault: true);

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics => ImmutableArray.Create(Never);

    public override void Initialize(AnalysisContext context)
    {
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.EnableConcurrentExecution();
        context.RegisterCompilationStartAction(static start =>
        {
            start.Options.AnalyzerConfigOptionsProvider.GlobalOptions.TryGetValue("floor_mode", out var mode);
            switch (mode)
            {
                case "syntax-empty":
                    start.RegisterSyntaxNodeAction(static _ => { }, SyntaxKind.InvocationExpression);
                    break;
                case "syntax":
                    start.RegisterSyntaxNodeAction(static c => c.SemanticModel.GetSymbolInfo(c.Node, c.CancellationToken), SyntaxKind.InvocationExpression);
                    break;
                case "filtered":
                    start.RegisterSyntaxNodeAction(static c => Filtered(c), SyntaxKind.InvocationExpression);
                    break;
                default:
                    start.RegisterOperationAction(static _ => { }, OperationKind.Invocation);
                    break;
            }
        });
    }

    private static void Filtered(SyntaxNodeAnalysisContext context)
    {
        var invocation = (InvocationExpressionSyntax)context.Node;
        var name = invocation.Expression switch
        {
            MemberAccessExpressionSyntax member => member.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => null,
        };
        if (name is "Wait" or "GetResult" or "Sleep" or "WaitAll" or "Join" or "Run" or "StartNew")
        {
            context.SemanticModel.GetOperation(invocation, context.CancellationToken);
        }
    }
}
