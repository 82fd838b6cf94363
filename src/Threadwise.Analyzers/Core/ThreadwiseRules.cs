using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Runtime.ExceptionServices;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Threadwise.Core;

/// <summary>
/// The one analyzer the compiler loads for the rules: each rule stays its own class (one per file, in
/// its family folder, testable alone), and this host registers them all on one analysis context. The
/// compiler's driver keeps state and walks each block's operations once per analyzer: thirty empty
/// analyzers cost about a second more than one on a 1,000-file build, and hosting the rules saved half
/// a second to a second there (measured in docs/performance.md). A rule the user switched off by its ID is not registered at all, as the
/// driver would skip a separate analyzer.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ThreadwiseRules : DiagnosticAnalyzer
{
    /// <summary>Every rule that reports as it analyses, in catalog order of its family folder. A rule
    /// that reports at compilation end (TW2005) stays its own analyzer: IDEs leave an analyzer with any
    /// compilation-end descriptor out of live analysis, and the host must stay live.</summary>
    internal static ImmutableArray<ThreadwiseAnalyzer> All { get; } = ImmutableArray.Create<ThreadwiseAnalyzer>(
        new Blocking.BlockingApiInAsyncCodeAnalyzer(),
        new Blocking.BlockingThroughHelperAnalyzer(),
        new Blocking.BlockingWaitInAsyncCodeAnalyzer(),
        new Blocking.CancellationTokenNotForwardedAnalyzer(),
        new Blocking.SyncDisposeOfAsyncDisposableAnalyzer(),
        new Blocking.SyncOverAsyncAnalyzer(),
        new Blocking.ThreadSleepInAsyncCodeAnalyzer(),
        new Blocking.WaitAllOrAnyInAsyncCodeAnalyzer(),
        new Joins.AsyncLambdaAsVoidDelegateAnalyzer(),
        new Joins.AsyncVoidMethodAnalyzer(),
        new Joins.ProcessNeverWaitedAnalyzer(),
        new Joins.TaskDroppedAnalyzer(),
        new Joins.TaskReturnedFromScopeAnalyzer(),
        new Joins.TasksNeverAwaitedAnalyzer(),
        new Joins.ThreadNeverJoinedAnalyzer(),
        new Joins.ValueTaskMisuseAnalyzer(),
        new SharedState.AcquireWithoutFinallyAnalyzer(),
        new SharedState.InconsistentlySynchronizedFieldAnalyzer(),
        new SharedState.LockOnUnsafeObjectAnalyzer(),
        new SharedState.NonAtomicUpdateAnalyzer(),
        new SharedState.ThreadAffineLockAcrossAwaitAnalyzer(),
        new SharedState.UnsafeCollectionMutationAnalyzer(),
        new ThreadPool.AsyncDelegateToStartNewAnalyzer(),
        new ThreadPool.BlockingInThreadPoolWorkItemAnalyzer(),
        new ThreadPool.CompletionSourceCompletedUnderLockAnalyzer(),
        new ThreadPool.LongRunningLoopOnThreadPoolAnalyzer(),
        new ThreadPool.ParallelLoopInAsyncCodeAnalyzer(),
        new ThreadPool.UnboundedThreadCreationAnalyzer());

    public override ImmutableArray<DiagnosticDescriptor> SupportedDiagnostics { get; } = Union(All);

    public override void Initialize(AnalysisContext context)
    {
        context.EnableConcurrentExecution();
        context.ConfigureGeneratedCodeAnalysis(GeneratedCodeAnalysisFlags.ReportDiagnostics);
        context.RegisterCompilationStartAction(static start => Register(All, start));
    }

    // One rule whose set-up throws must not take the others down with it, as it could not when each
    // was its own analyzer: the others are registered first, then the failure is rethrown for the
    // driver to report (AD0001) with the rule's own stack.
    internal static void Register(ImmutableArray<ThreadwiseAnalyzer> rules, CompilationStartAnalysisContext start)
    {
        List<Exception>? failures = null;
        foreach (var rule in rules)
        {
            try
            {
                if (!IsSwitchedOff(rule, start.Compilation, start.CancellationToken))
                {
                    rule.Register(start);
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                (failures ??= new List<Exception>()).Add(exception);
            }
        }

        if (failures is { Count: 1 })
        {
            ExceptionDispatchInfo.Capture(failures[0]).Throw();
        }

        if (failures is not null)
        {
            throw new AggregateException(failures);
        }
    }

    private static ImmutableArray<DiagnosticDescriptor> Union(ImmutableArray<ThreadwiseAnalyzer> rules)
    {
        var seen = new HashSet<string>();
        var descriptors = ImmutableArray.CreateBuilder<DiagnosticDescriptor>();
        foreach (var rule in rules)
        {
            foreach (var descriptor in rule.SupportedDiagnostics)
            {
                if (seen.Add(descriptor.Id))
                {
                    descriptors.Add(descriptor);
                }
            }
        }

        return descriptors.ToImmutable();
    }

    // Off only when every ID of the rule is suppressed by an entry for that ID in every file, with the
    // compiler's precedence: a command-line or ruleset entry (`/nowarn`, `/warnaserror:ID`) decides
    // alone; otherwise the file's `dotnet_diagnostic.ID.severity` entry, else the global one. Category
    // and bulk entries are left to the driver, which drops what they turn off: the rule runs, as it did
    // when it was its own analyzer and the driver skipped it only for ID entries.
    internal static bool IsSwitchedOff(ThreadwiseAnalyzer rule, Compilation compilation, CancellationToken cancellationToken)
    {
        foreach (var descriptor in rule.SupportedDiagnostics)
        {
            if (!IsSuppressedEverywhere(descriptor.Id, compilation, cancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSuppressedEverywhere(string id, Compilation compilation, CancellationToken cancellationToken)
    {
        // `/warnaserror-:ID` is recorded as Default and leaves the decision to the config files.
        if (compilation.Options.SpecificDiagnosticOptions.TryGetValue(id, out var commandLine) && commandLine != ReportDiagnostic.Default)
        {
            return commandLine == ReportDiagnostic.Suppress;
        }

        if (compilation.Options.SyntaxTreeOptionsProvider is not { } provider)
        {
            return false;
        }

        ReportDiagnostic? global = provider.TryGetGlobalDiagnosticValue(id, cancellationToken, out var fromGlobal) ? fromGlobal : null;
        var any = false;
        foreach (var tree in compilation.SyntaxTrees)
        {
            any = true;
            var effective = provider.TryGetDiagnosticValue(tree, id, cancellationToken, out var fromTree) ? fromTree : global;
            if (effective != ReportDiagnostic.Suppress)
            {
                return false;
            }
        }

        return any;
    }
}
