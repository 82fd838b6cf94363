using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.ThreadPool;

/// <summary>
/// TW3002 fix, for <c>Task.Run</c> work items: the lambda becomes <c>async</c> (Task.Run takes a
/// <c>Func&lt;Task&gt;</c> and unwraps it, so the returned task still completes when the work does),
/// <c>Thread.Sleep(x)</c> becomes <c>await Task.Delay(x)</c> and a wait on a task becomes <c>await</c>.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingInThreadPoolWorkItemFixProvider))]
public sealed class BlockingInThreadPoolWorkItemFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW3002BlockingInThreadPoolWorkItem.Id);

    protected internal override string Title => "Make the work item async and await";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        var model = state.SemanticModel;
        if (!diagnostic.Properties.ContainsKey(BlockingInThreadPoolWorkItemAnalyzer.CanBecomeAsyncProperty)
            || state.FindNode<ExpressionSyntax>(diagnostic) is not { } blocking
            || blocking.FirstAncestorOrSelf<LambdaExpressionSyntax>() is not { } lambda
            || !AwaitPlacement.CanAwaitAt(blocking, model, functionWillBeAsync: true, state.CancellationToken)
            || Rewrite(blocking, state) is not { } awaited)
        {
            return null;
        }

        // One fix converts the whole work item: every sleep and task wait in it becomes an await
        // (left blocking, they would be TW1001/TW1002 findings in the now-async lambda). Fix All
        // reaches the same lambda through each diagnostic; only the first one edits.
        if (!state.FirstTime(lambda))
        {
            return _ => { };
        }

        var rewrites = new List<(ExpressionSyntax Node, ExpressionSyntax Awaited)> { (blocking, awaited) };
        foreach (var other in OtherBlockingCalls(lambda, blocking, state))
        {
            rewrites.Add(other);
        }

        return editor =>
        {
            foreach (var (node, replacement) in rewrites)
            {
                editor.ReplaceNode(node, replacement);
            }

            editor.ReplaceNode(lambda, (current, _) => MakeAsync((LambdaExpressionSyntax)current));
        };
    }

    private static IEnumerable<(ExpressionSyntax, ExpressionSyntax)> OtherBlockingCalls(LambdaExpressionSyntax lambda, ExpressionSyntax reported, FixState state)
    {
        var waits = TaskWaits.For(state.SemanticModel.Compilation);
        foreach (var node in lambda.Body.DescendantNodesAndSelf(n => n == lambda.Body || n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            if (node is not ExpressionSyntax expression
                || expression == reported
                || expression.Span.Contains(reported.Span)
                || reported.Span.Contains(expression.Span)
                || state.SemanticModel.GetOperation(expression, state.CancellationToken) is not { } operation
                || !IsBlocking(operation, waits)
                || !AwaitPlacement.CanAwaitAt(expression, state.SemanticModel, functionWillBeAsync: true, state.CancellationToken)
                || Rewrite(expression, state) is not { } awaited)
            {
                continue;
            }

            yield return (expression, awaited);
        }
    }

    private static bool IsBlocking(IOperation operation, TaskWaits waits)
    {
        if (waits.TryGetWait(operation, out var wait))
        {
            return wait.IsOnSingleTask && !(wait.Task is { } task && KnownCompleteTasks.IsKnownComplete(task, waits.Symbols));
        }

        return operation is IInvocationOperation { TargetMethod.Name: "Sleep", Arguments.Length: 1 } sleep
               && SymbolEqualityComparer.Default.Equals(sleep.TargetMethod.ContainingType, waits.Symbols.Thread)
               && sleep.Arguments[0].Value.ConstantValue is not { HasValue: true, Value: 0 };
    }

    private static ExpressionSyntax? Rewrite(ExpressionSyntax blocking, FixState state)
    {
        if (TaskWaitRewriter.GetAwaitedExpression(blocking, state.SemanticModel, state.CancellationToken) is { } task)
        {
            return AwaitPlacement.Await(task, blocking, AwaitPlacement.IsTask(task, state));
        }

        // Thread.Sleep(x) -> await Task.Delay(x[, token])
        if (blocking is not InvocationExpressionSyntax { ArgumentList.Arguments.Count: 1 } sleep
            || state.SemanticModel.GetSymbolInfo(sleep, state.CancellationToken).Symbol is not IMethodSymbol { Name: "Sleep" }
            || state.Symbols.Task is not { } taskType)
        {
            return null;
        }

        var arguments = SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(sleep.ArgumentList.Arguments[0].Expression));
        if (AwaitPlacement.FindCancellationToken(sleep, state.SemanticModel, state.Symbols.CancellationToken) is { } token)
        {
            arguments = arguments.Add(SyntaxFactory.Argument(token));
        }

        var generator = SyntaxGenerator.GetGenerator(state.Document);
        var delay = SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, AwaitPlacement.TypeExpression(generator, taskType), SyntaxFactory.IdentifierName("Delay")),
            SyntaxFactory.ArgumentList(arguments));
        return AwaitPlacement.Await(delay, blocking, awaitsATask: true);
    }

    private static LambdaExpressionSyntax MakeAsync(LambdaExpressionSyntax lambda)
    {
        var leading = lambda.GetLeadingTrivia();
        return lambda.WithoutLeadingTrivia()
            .WithAsyncKeyword(SyntaxFactory.Token(SyntaxKind.AsyncKeyword).WithLeadingTrivia(leading).WithTrailingTrivia(SyntaxFactory.Space));
    }
}
