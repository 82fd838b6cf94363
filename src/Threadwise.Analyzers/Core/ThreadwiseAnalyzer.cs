using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Threadwise.Core;

/// <summary>
/// The shape every Threadwise rule shares: concurrent execution, generated code skipped, and all work
/// set up per compilation in <see cref="OnCompilationStart"/>, where a rule resolves the symbols it
/// needs (or returns early when the compilation lacks them) and registers its actions. The compiler
/// loads the rules through <see cref="ThreadwiseRules"/>, which carries the
/// <c>[DiagnosticAnalyzer]</c> attribute; a rule is still a complete analyzer on its own (the tests
/// run each alone).
/// </summary>
public abstract class ThreadwiseAnalyzer : DiagnosticAnalyzer
{
    protected ThreadwiseAnalyzer(params DiagnosticDescriptor[] descriptors)
        => SupportedDiagnostics = ImmutableArray.Create(descriptors);

    public sealed override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; }

    public sealed override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        // Generated code is not analysed (no Analyze flag), so every finding sits in code the driver
        // already judged not generated. ReportDiagnostics spares the driver judging each reported
        // location again: that check scans every token of each file with a finding for
        // [GeneratedCode], a fifth of Threadwise's build time on the benchmark corpus.
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(OnCompilationStart);
    }

    /// <summary>Resolves what the rule needs for this compilation and registers its actions.</summary>
    protected abstract void OnCompilationStart(CompilationStartAnalysisContext context);

    /// <summary>How <see cref="ThreadwiseRules"/> starts the rule on its shared context.</summary>
    internal void Register(CompilationStartAnalysisContext context) => OnCompilationStart(context);
}
