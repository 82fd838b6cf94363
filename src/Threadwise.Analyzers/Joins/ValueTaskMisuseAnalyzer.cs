using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>
/// TW4008: a <c>ValueTask</c> local (declared with an initializer) consumed (awaited, <c>Result</c>, <c>GetAwaiter()</c>,
/// <c>AsTask()</c>, <c>ConfigureAwait</c>, <c>Preserve()</c>) a second time on a path where the first
/// consumption always ran; and, in synchronous code, <c>.Result</c> / <c>GetAwaiter().GetResult()</c>
/// on a <c>ValueTask</c> not known to be complete (in async code TW1002 reports that, with an await fix).
/// </summary>
public sealed class ValueTaskMisuseAnalyzer : ThreadwiseAnalyzer
{
    /// <summary>Property telling the fix which case it is.</summary>
    public const string KindProperty = "Kind";

    public const string ConsumedTwice = "Twice";

    public const string ReadBeforeComplete = "Read";

    public ValueTaskMisuseAnalyzer()
        : base(Descriptors.TW4008ValueTaskMisuse)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var waits = TaskWaits.For(context.Compilation);
        if (waits.Symbols.ValueTask is null)
        {
            return;
        }

        context.RegisterOperationAction(c => AnalyzeRead(c, waits), OperationKind.PropertyReference, OperationKind.Invocation);
        context.RegisterOperationAction(c => AnalyzeConsumption(c, waits.Symbols), OperationKind.Await, OperationKind.PropertyReference, OperationKind.Invocation);
    }

    private static void AnalyzeRead(OperationAnalysisContext context, TaskWaits waits)
    {
        if (!waits.TryGetWait(context.Operation, out var wait)
            || wait.Kind is not (TaskWaitKind.Result or TaskWaitKind.GetResult)
            || wait.Task is not { } valueTask
            || !waits.Symbols.IsValueTaskType(valueTask.Type)
            || valueTask.WithoutConversions() is IInvocationOperation { TargetMethod.Name: "Preserve" or "AsTask" }
            || AsyncContext.GetEnclosingFunction(wait.Operation, context.ContainingSymbol) is not { IsAsync: false }
            || KnownCompleteTasks.IsKnownComplete(valueTask, waits.Symbols)
            || TaskBackedValueTasks.IsTaskBacked(valueTask, waits.Symbols, context.Compilation, context.CancellationToken))
        {
            return;
        }

        context.ReportDiagnostic(Diagnostic.Create(
            Descriptors.TW4008ValueTaskMisuse,
            wait.Operation.Syntax.GetLocation(),
            ImmutableDictionary<string, string?>.Empty.Add(KindProperty, ReadBeforeComplete),
            wait.Display,
            "reads a ValueTask that may not have completed; its result is defined only after completion (block on '.AsTask()' instead, or await it)"));
    }

    // Reported at the second consumption itself (a local diagnostic): the local's uses are read
    // from syntax only when a ValueTask local is consumed, which is rare.
    private static void AnalyzeConsumption(OperationAnalysisContext context, KnownSymbols symbols)
    {
        var receiver = context.Operation switch
        {
            IAwaitOperation await => await.Operation,
            IPropertyReferenceOperation { Property.Name: "Result" } property => property.Instance,
            IInvocationOperation { TargetMethod.Name: "GetAwaiter" or "AsTask" or "ConfigureAwait" or "Preserve" } invocation => invocation.Instance,
            _ => null,
        };

        if (receiver is not ILocalReferenceOperation { Local: var local }
            || !symbols.IsValueTaskType(local.Type)
            || context.Operation.SemanticModel is not { } model
            || local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax(context.CancellationToken) is not VariableDeclaratorSyntax { Initializer: not null } declarator
            || declarator.FirstAncestorOrSelf<BlockSyntax>() is not { } scope
            || ConsumptionSyntax(context.Operation.Syntax) is not { } current
            || Consumptions(local, scope, model, context.CancellationToken) is not { } consumptions)
        {
            return;
        }

        foreach (var earlier in consumptions)
        {
            if (earlier.SpanStart >= current.SpanStart)
            {
                break;
            }

            if (AlwaysRunsBefore(earlier, current) || FallsThroughGuardTo(earlier, current))
            {
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.TW4008ValueTaskMisuse,
                    current.GetLocation(),
                    ImmutableDictionary<string, string?>.Empty.Add(KindProperty, ConsumedTwice),
                    local.Name,
                    "is a ValueTask consumed a second time here; it may be awaited or read only once (call '.AsTask()' once and reuse the Task)"));
                return;
            }
        }
    }

    // The node Consumptions lists for this operation: the await, or the member access on the local.
    private static ExpressionSyntax? ConsumptionSyntax(SyntaxNode syntax) => syntax switch
    {
        AwaitExpressionSyntax await => await,
        MemberAccessExpressionSyntax access => access,
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax access } => access,
        _ => null,
    };

    /// <summary>Every consuming use of the local in source order; null when it is used in any way
    /// that cannot be followed (reassigned, passed on, captured, returned).</summary>
    private static List<ExpressionSyntax>? Consumptions(ILocalSymbol local, BlockSyntax scope, SemanticModel model, System.Threading.CancellationToken cancellationToken)
    {
        var result = new List<ExpressionSyntax>();
        foreach (var node in scope.DescendantNodes())
        {
            if (node is not IdentifierNameSyntax name
                || name.Identifier.ValueText != local.Name
                || !SymbolEqualityComparer.Default.Equals(model.GetSymbolInfo(name, cancellationToken).Symbol, local))
            {
                continue;
            }

            if (AsyncContext.IsInNestedFunction(name, scope))
            {
                return null;
            }

            switch (name.Parent)
            {
                case AwaitExpressionSyntax await:
                    result.Add(await);
                    break;
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "IsCompleted" or "IsCompletedSuccessfully" or "IsFaulted" or "IsCanceled" } access when access.Expression == name:
                    break;
                case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" or "GetAwaiter" or "AsTask" or "ConfigureAwait" or "Preserve" } access when access.Expression == name:
                    result.Add(access);
                    break;
                default:
                    return null;
            }
        }

        return result;
    }

    /// <summary>True when <paramref name="first"/> runs on every path that reaches <paramref name="second"/>:
    /// it sits, unconditionally, in a statement that comes earlier in a block enclosing both.</summary>
    private static bool AlwaysRunsBefore(SyntaxNode first, SyntaxNode second) => RunsBefore(first, second, throughGuard: false);

    // `if (!flush.IsCompleted) { await flush; }` and then `flush.Result` (found dogfooding Bedrock's socket
    // receive loop): the branch that consumed the ValueTask falls through to the second consumption. The
    // `if` has no `else` and its branch no jump; every other construct between them is as for
    // AlwaysRunsBefore.
    private static bool FallsThroughGuardTo(SyntaxNode first, SyntaxNode second) => RunsBefore(first, second, throughGuard: true);

    // With `throughGuard`, the path must pass one such `if`; without, no conditional construct at all.
    private static bool RunsBefore(SyntaxNode first, SyntaxNode second, bool throughGuard)
    {
        IfStatementSyntax? guard = null;
        for (var node = first; node is not null; node = node.Parent)
        {
            if (throughGuard && guard is null && node != first && node is IfStatementSyntax { Else: null } @if
                && !@if.Span.Contains(second.Span) && !Jumps(@if.Statement))
            {
                guard = @if;
            }
            else if (IsConditional(node, first))
            {
                return false;
            }

            if (node is StatementSyntax statement && statement.Parent is BlockSyntax block && block.Span.Contains(second.Span))
            {
                return (guard is not null) == throughGuard && !statement.Span.Contains(second.Span) && statement.SpanStart < second.SpanStart;
            }
        }

        return false;
    }

    private static bool Jumps(StatementSyntax branch)
        => branch.DescendantNodesAndSelf(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax))
            .Any(n => n is ReturnStatementSyntax or ThrowStatementSyntax or ThrowExpressionSyntax or BreakStatementSyntax
                or ContinueStatementSyntax or GotoStatementSyntax or YieldStatementSyntax);

    // A construct that may skip or repeat the code inside it.
    private static bool IsConditional(SyntaxNode node, SyntaxNode inner)
        => node != inner && node is IfStatementSyntax or SwitchStatementSyntax or SwitchExpressionSyntax or ConditionalExpressionSyntax
               or ConditionalAccessExpressionSyntax or CommonForEachStatementSyntax or ForStatementSyntax or WhileStatementSyntax or DoStatementSyntax
               or CatchClauseSyntax or AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax
           || node is BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression or (int)SyntaxKind.LogicalOrExpression or (int)SyntaxKind.CoalesceExpression } binary
              && binary.Right.Span.Contains(inner.Span);
}
