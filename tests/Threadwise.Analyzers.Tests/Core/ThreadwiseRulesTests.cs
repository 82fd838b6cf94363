using System.Collections.Immutable;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
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

    // A rule whose set-up throws is reported (AD0001) and the others still run.
    [Fact]
    public async Task ARuleWhoseSetUpThrows_DoesNotStopTheOthers()
    {
        var tree = CSharpSyntaxTree.ParseText("""
            using System.Threading;
            using System.Threading.Tasks;

            class C
            {
                async Task LoadAsync()
                {
                    Thread.Sleep(10);
                    await Task.Yield();
                }
            }
            """);
        var references = await Microsoft.CodeAnalysis.Testing.ReferenceAssemblies.Net.Net80.ResolveAsync(LanguageNames.CSharp, CancellationToken.None);
        var compilation = CSharpCompilation.Create("Throws", new[] { tree }, references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        var exceptions = new System.Collections.Generic.List<System.Exception>();
        var options = new CompilationWithAnalyzersOptions(
            new AnalyzerOptions(ImmutableArray<AdditionalText>.Empty), (e, _, _) => exceptions.Add(e), concurrentAnalysis: false, logAnalyzerExecutionTime: false);
        var diagnostics = await compilation.WithAnalyzers(ImmutableArray.Create<DiagnosticAnalyzer>(new TwoRules()), options).GetAnalyzerDiagnosticsAsync();

        Assert.Contains(diagnostics, d => d.Id == "TW1001");
        Assert.Contains(exceptions, e => e is System.InvalidOperationException { Message: "set-up failed" });
    }

    [DiagnosticAnalyzer(LanguageNames.CSharp)]
    private sealed class TwoRules : DiagnosticAnalyzer
    {
        private static readonly ImmutableArray<ThreadwiseAnalyzer> Rules = ImmutableArray.Create<ThreadwiseAnalyzer>(new Throwing(), new ThreadSleepInAsyncCodeAnalyzer());

        public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = ImmutableArray.Create(Descriptors.TW1001ThreadSleepInAsyncCode, Descriptors.TW1002BlockingWaitInAsyncCode);

        public override void Initialize(AnalysisContext context)
        {
            context.EnableConcurrentExecution();
            context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.None);
            context.RegisterCompilationStartAction(start => ThreadwiseRules.Register(Rules, start));
        }
    }

    private sealed class Throwing : ThreadwiseAnalyzer
    {
        public Throwing()
            : base(Descriptors.TW1002BlockingWaitInAsyncCode)
        {
        }

        protected override void OnCompilationStart(CompilationStartAnalysisContext context)
            => throw new System.InvalidOperationException("set-up failed");
    }

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

    // The command line decides alone (the compiler's precedence): `/warnaserror:ID` keeps the rule on
    // whatever the files say; `/warnaserror-:ID` (recorded as Default) leaves it to them.
    [Fact]
    public void ACommandLineSeverityOtherThanNone_LeavesItOn()
    {
        Assert.False(ThreadwiseRules.IsSwitchedOff(Rule, Compilation(specific: ReportDiagnostic.Error, global: ReportDiagnostic.Suppress, perTree: new[] { (ReportDiagnostic?)ReportDiagnostic.Info, null }), CancellationToken.None));
        Assert.False(ThreadwiseRules.IsSwitchedOff(
            Rule, Compilation(specific: ReportDiagnostic.Error, perTree: new[] { (ReportDiagnostic?)ReportDiagnostic.Suppress, ReportDiagnostic.Suppress }), CancellationToken.None));
        Assert.True(ThreadwiseRules.IsSwitchedOff(
            Rule, Compilation(specific: ReportDiagnostic.Default, perTree: new[] { (ReportDiagnostic?)ReportDiagnostic.Suppress, ReportDiagnostic.Suppress }), CancellationToken.None));
    }

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
