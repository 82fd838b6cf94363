using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Threadwise.Tests.Infrastructure;

/// <summary>Records what an analyzer's Initialize asks of the host, to check its shape.</summary>
internal sealed class RecordingAnalysisContext : AnalysisContext
{
    public bool ConcurrentExecutionEnabled { get; private set; }

    public GeneratedCodeAnalysisFlags? GeneratedCodeFlags { get; private set; }

    public int CompilationStartActions { get; private set; }

    public List<string> OtherRegistrations { get; } = new();

    public override void EnableConcurrentExecution() => ConcurrentExecutionEnabled = true;

    public override void ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags analysisMode) => GeneratedCodeFlags = analysisMode;

    public override void RegisterCompilationStartAction(Action<CompilationStartAnalysisContext> action) => CompilationStartActions++;

    public override void RegisterCompilationAction(Action<CompilationAnalysisContext> action) => OtherRegistrations.Add("Compilation");

    public override void RegisterSemanticModelAction(Action<SemanticModelAnalysisContext> action) => OtherRegistrations.Add("SemanticModel");

    public override void RegisterSymbolAction(Action<SymbolAnalysisContext> action, ImmutableArray<SymbolKind> symbolKinds) => OtherRegistrations.Add("Symbol");

    public override void RegisterCodeBlockStartAction<TLanguageKindEnum>(Action<CodeBlockStartAnalysisContext<TLanguageKindEnum>> action) => OtherRegistrations.Add("CodeBlockStart");

    public override void RegisterCodeBlockAction(Action<CodeBlockAnalysisContext> action) => OtherRegistrations.Add("CodeBlock");

    public override void RegisterSyntaxTreeAction(Action<SyntaxTreeAnalysisContext> action) => OtherRegistrations.Add("SyntaxTree");

    public override void RegisterSyntaxNodeAction<TLanguageKindEnum>(Action<SyntaxNodeAnalysisContext> action, ImmutableArray<TLanguageKindEnum> syntaxKinds) => OtherRegistrations.Add("SyntaxNode");

    public override void RegisterOperationAction(Action<OperationAnalysisContext> action, ImmutableArray<OperationKind> operationKinds) => OtherRegistrations.Add("Operation");

    public override void RegisterOperationBlockStartAction(Action<OperationBlockStartAnalysisContext> action) => OtherRegistrations.Add("OperationBlockStart");

    public override void RegisterOperationBlockAction(Action<OperationBlockAnalysisContext> action) => OtherRegistrations.Add("OperationBlock");
}
