using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Threadwise.Core;

namespace Threadwise.Configuration;

/// <summary>
/// TW0001: a <c>threadwise.*</c> option that cannot be used. Every rule already falls back to the
/// default for it; this says so once per compilation instead of silently ignoring the user.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InvalidOptionAnalyzer : DiagnosticAnalyzer
{
    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } =
        ImmutableArray.Create(Descriptors.TW0001InvalidOption);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
        context.RegisterCompilationAction(ReportInvalidOptions);
    }

    private static void ReportInvalidOptions(CompilationAnalysisContext context)
    {
        var reported = new HashSet<(string, string)>();
        var checkedIds = new Dictionary<string, bool>();
        Check(ThreadwiseOptions.ForGlobal(context.Options), context, reported, checkedIds);
        foreach (var tree in context.Compilation.SyntaxTrees)
        {
            Check(ThreadwiseOptions.For(context.Options, tree), context, reported, checkedIds);
        }
    }

    private static void Check(ThreadwiseOptions options, CompilationAnalysisContext context, HashSet<(string, string)> reported, Dictionary<string, bool> checkedIds)
    {
        if (ReferenceEquals(options, ThreadwiseOptions.Default))
        {
            return;
        }

        foreach (var (key, value) in options.InvalidValues)
        {
            Report(key, value, context, reported);
        }

        foreach (var (key, ids) in options.IdLists)
        {
            foreach (var id in ids)
            {
                if (!checkedIds.TryGetValue(id, out var namesSomething))
                {
                    namesSomething = !DocumentationCommentId.GetSymbolsForDeclarationId(id, context.Compilation).IsEmpty;
                    checkedIds[id] = namesSomething;
                }

                if (!namesSomething)
                {
                    Report(key, id, context, reported);
                }
            }
        }
    }

    private static void Report(string key, string value, CompilationAnalysisContext context, HashSet<(string, string)> reported)
    {
        if (reported.Add((key, value)))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.TW0001InvalidOption, Location.None, key, value));
        }
    }
}
