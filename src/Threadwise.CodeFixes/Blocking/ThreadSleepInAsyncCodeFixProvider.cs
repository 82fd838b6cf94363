using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Threadwise.Core;

namespace Threadwise.Blocking;

/// <summary>TW1001 fix: <c>Thread.Sleep(x)</c> becomes <c>await Task.Delay(x)</c>, forwarding a
/// <c>CancellationToken</c> that is in scope.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ThreadSleepInAsyncCodeFixProvider))]
public sealed class ThreadSleepInAsyncCodeFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW1001ThreadSleepInAsyncCode.Id);

    protected internal override string Title => "Use 'await Task.Delay'";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        var task = state.Symbols.Task;
        if (task is null
            || state.FindNode<InvocationExpressionSyntax>(diagnostic) is not { ArgumentList.Arguments.Count: 1 } invocation
            || !AwaitPlacement.CanAwaitAt(invocation, state.SemanticModel, state.CancellationToken))
        {
            return null;
        }

        var delay = invocation.ArgumentList.Arguments[0];
        var token = AwaitPlacement.FindCancellationToken(invocation, state.SemanticModel, state.Symbols.CancellationToken);
        return editor =>
        {
            // Named arguments would not match Task.Delay's parameter names, so pass positionally.
            var arguments = SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(delay.Expression));
            if (token is not null)
            {
                arguments = arguments.Add(SyntaxFactory.Argument(token));
            }

            var taskDelay = SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(
                    SyntaxKind.SimpleMemberAccessExpression,
                    AwaitPlacement.TypeExpression(editor.Generator, task),
                    SyntaxFactory.IdentifierName(nameof(System.Threading.Tasks.Task.Delay))),
                SyntaxFactory.ArgumentList(arguments));

            editor.ReplaceNode(invocation, AwaitPlacement.Await(taskDelay, invocation, awaitsATask: true));
        };
    }
}
