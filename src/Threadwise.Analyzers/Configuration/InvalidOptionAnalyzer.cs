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
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
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
            Report(key, value, Problem(key, value), context, reported);
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
                    Report(key, id, ("it names no method or type of this compilation or its references", "the entry is skipped, the other entries apply"), context, reported);
                }
            }
        }
    }

    // What is wrong with the value, and what Threadwise does instead.
    private static (string What, string Then) Problem(string key, string value)
    {
        if (key == ThreadwiseOptions.InterproceduralDepthKey)
        {
            return (
                "it must be a whole number from 1 to " + ThreadwiseOptions.MaxInterproceduralDepth.ToString(System.Globalization.CultureInfo.InvariantCulture),
                "the default " + ThreadwiseOptions.DefaultInterproceduralDepth.ToString(System.Globalization.CultureInfo.InvariantCulture) + " is used");
        }

        return string.IsNullOrWhiteSpace(value)
            ? ("the list is empty", "nothing is added")
            : ("the entry is not a documentation-comment ID (M:Namespace.Type.Method(ParameterTypes) or T:Namespace.Type)", "the entry is skipped, the other entries apply");
    }

    private static void Report(string key, string value, (string What, string Then) problem, CompilationAnalysisContext context, HashSet<(string, string)> reported)
    {
        if (reported.Add((key, value)))
        {
            context.ReportDiagnostic(Diagnostic.Create(Descriptors.TW0001InvalidOption, Location.None, key, value, problem.What, problem.Then));
        }
    }
}
