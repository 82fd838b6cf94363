using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Threadwise.Blocking;
using Threadwise.Core;
using VerifyHost = Threadwise.Tests.Infrastructure.Verify<Threadwise.Core.ThreadwiseRules>;

namespace Threadwise.Tests.Core;

/// <summary>
/// The host registers a rule unless the user switched every ID of it off by that ID, in every file,
/// with the compiler's precedence; anything else (category and bulk entries included) leaves the rule
/// running and the driver filtering.
/// </summary>
public class ThreadwiseRulesTests
{
    private static readonly ThreadwiseAnalyzer Rule = new ThreadSleepInAsyncCodeAnalyzer();

    private static string Id => Rule.SupportedDiagnostics[0].Id;

    // Through the host, rules of different families report as they do alone, each once.
    [Fact]
    public Task TheHost_RunsTheRules() => VerifyHost.AnalyzerAsync("""
        using System.Threading;
        using System.Threading.Tasks;

        class C
        {
            async Task LoadAsync()
            {
                {|#0:Thread.Sleep(10)|};
                await Task.Yield();
            }

            void Start()
            {
                {|#1:LoadAsync()|};
            }
        }
        """,
        VerifyHost.Diagnostic(Descriptors.TW1001ThreadSleepInAsyncCode).WithLocation(0).WithArguments("async method 'LoadAsync'"),
        VerifyHost.Diagnostic(Descriptors.TW4002TaskDropped).WithLocation(1).WithArguments("Task", "LoadAsync"));

    [Fact]
    public void ARuleWithoutEntries_IsOn()
        => Assert.False(ThreadwiseRules.IsSwitchedOff(Rule, Compilation(), CancellationToken.None));

    [Fact]
    public void NoWarn_SwitchesItOff_WhateverTheFilesSay()
        => Assert.True(ThreadwiseRules.IsSwitchedOff(
            Rule,
            Compilation(specific: ReportDiagnostic.Suppress, perTree: new[] { ReportDiagnostic.Warn, (ReportDiagnostic?)null }),
            CancellationToken.None));

    [Fact]
    public void AGlobalNone_SwitchesItOff_UnlessAFileTurnsItOn()
    {
        Assert.True(ThreadwiseRules.IsSwitchedOff(Rule, Compilation(global: ReportDiagnostic.Suppress), CancellationToken.None));
        Assert.False(ThreadwiseRules.IsSwitchedOff(
            Rule, Compilation(global: ReportDiagnostic.Suppress, perTree: new[] { (ReportDiagnostic?)null, ReportDiagnostic.Warn }), CancellationToken.None));
    }

    [Fact]
    public void FileEntries_SwitchItOff_OnlyInEveryFile()
    {
        Assert.True(ThreadwiseRules.IsSwitchedOff(
            Rule, Compilation(perTree: new[] { (ReportDiagnostic?)ReportDiagnostic.Suppress, ReportDiagnostic.Suppress }), CancellationToken.None));
        Assert.False(ThreadwiseRules.IsSwitchedOff(
            Rule, Compilation(perTree: new[] { (ReportDiagnostic?)ReportDiagnostic.Suppress, null }), CancellationToken.None));
    }

    [Fact]
    public void ACommandLineSeverityOtherThanNone_LeavesItOn()
        => Assert.False(ThreadwiseRules.IsSwitchedOff(Rule, Compilation(specific: ReportDiagnostic.Error, global: ReportDiagnostic.Suppress, perTree: new[] { (ReportDiagnostic?)ReportDiagnostic.Info, null }), CancellationToken.None));

    private static Compilation Compilation(ReportDiagnostic? specific = null, ReportDiagnostic? global = null, ReportDiagnostic?[]? perTree = null)
    {
        perTree ??= new ReportDiagnostic?[] { null, null };
        var trees = new SyntaxTree[perTree.Length];
        for (var i = 0; i < trees.Length; i++)
        {
            trees[i] = CSharpSyntaxTree.ParseText($"class C{i} {{ }}", path: $"File{i}.cs");
        }

        var options = new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary)
            .WithSyntaxTreeOptionsProvider(new Provider(trees, perTree, global));
        if (specific is { } value)
        {
            options = options.WithSpecificDiagnosticOptions(ImmutableDictionary<string, ReportDiagnostic>.Empty.Add(Id, value));
        }

        return CSharpCompilation.Create("Switches", trees, options: options);
    }

    private sealed class Provider : SyntaxTreeOptionsProvider
    {
        private readonly SyntaxTree[] _trees;
        private readonly ReportDiagnostic?[] _perTree;
        private readonly ReportDiagnostic? _global;

        public Provider(SyntaxTree[] trees, ReportDiagnostic?[] perTree, ReportDiagnostic? global)
            => (_trees, _perTree, _global) = (trees, perTree, global);

        public override GeneratedKind IsGenerated(SyntaxTree tree, CancellationToken cancellationToken) => GeneratedKind.NotGenerated;

        public override bool TryGetDiagnosticValue(SyntaxTree tree, string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            var value = diagnosticId == Id ? _perTree[System.Array.IndexOf(_trees, tree)] : null;
            severity = value ?? default;
            return value is not null;
        }

        public override bool TryGetGlobalDiagnosticValue(string diagnosticId, CancellationToken cancellationToken, out ReportDiagnostic severity)
        {
            var value = diagnosticId == Id ? _global : null;
            severity = value ?? default;
            return value is not null;
        }
    }
}
