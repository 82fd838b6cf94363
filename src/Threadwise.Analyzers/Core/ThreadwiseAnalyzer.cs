using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Threadwise.Core;

/// <summary>
/// The shape every Threadwise rule shares: concurrent execution, no generated code, and all work
/// set up per compilation in <see cref="OnCompilationStart"/>, where a rule resolves the symbols it
/// needs (or returns early when the compilation lacks them) and registers its actions.
/// </summary>
public abstract class ThreadwiseAnalyzer : DiagnosticAnalyzer
{
    protected ThreadwiseAnalyzer(params DiagnosticDescriptor[] descriptors)
        => SupportedDiagnostics = ImmutableArray.Create(descriptors);

    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    /// <summary>Resolves what the rule needs for this compilation and registers its actions.</summary>
    protected abstract void OnCompilationStart(CompilationStartAnalysisContext context);
}
