using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.ThreadPool;

/// <summary>
/// TW3006 fix: every creation of the completion source gets
/// <c>TaskCreationOptions.RunContinuationsAsynchronously</c> — appended as the options argument, or
/// or-ed into the options it already passes. Continuations then run on the pool, after the lock is
/// released; nothing else changes.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CompletionSourceCompletedUnderLockFixProvider))]
public sealed class CompletionSourceCompletedUnderLockFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW3006CompletionSourceCompletedUnderLock.Id);

    protected internal override string Title => "Create it with 'TaskCreationOptions.RunContinuationsAsynchronously'";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        var model = state.SemanticModel;
        if (state.FindNode<InvocationExpressionSyntax>(diagnostic) is not { } call
            || model.GetOperation(call, state.CancellationToken) is not IInvocationOperation invocation
            || CompletionSources.Holder(invocation.Instance) is not { } holder
            || CompletionSources.Creations(holder, model, call, state.CancellationToken) is not { } creations
            || model.Compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskCreationOptions") is not { } optionsType)
        {
            return null;
        }

        var pending = creations.Where(c => CompletionSources.RunsContinuationsAsynchronously(c) == false).ToList();
        if (pending.Count == 0)
        {
            return null;
        }

        return editor =>
        {
            foreach (var creation in pending)
            {
                if (!state.FirstTime(creation.Syntax))
                {
                    continue;
                }

                var option = SyntaxFactory.MemberAccessExpression(
                    SyntaxKind.SimpleMemberAccessExpression,
                    AwaitPlacement.TypeExpression(editor.Generator, optionsType),
                    SyntaxFactory.IdentifierName("RunContinuationsAsynchronously"));
                var existing = creation.Arguments.FirstOrDefault(a => a.Parameter?.Type is { Name: "TaskCreationOptions" });
                if (existing?.Syntax is ArgumentSyntax argument)
                {
                    editor.ReplaceNode(argument.Expression, SyntaxFactory.BinaryExpression(SyntaxKind.BitwiseOrExpression, argument.Expression.WithoutTrivia(), option).WithTriviaFrom(argument.Expression));
                    continue;
                }

                var list = creation.Syntax switch
                {
                    ObjectCreationExpressionSyntax explicitCreation => explicitCreation.ArgumentList,
                    ImplicitObjectCreationExpressionSyntax implicitCreation => implicitCreation.ArgumentList,
                    _ => null,
                };
                if (list is not null)
                {
                    editor.ReplaceNode(list, list.AddArguments(SyntaxFactory.Argument(option)));
                }
                else if (creation.Syntax is ObjectCreationExpressionSyntax withoutList)
                {
                    editor.ReplaceNode(withoutList, withoutList.WithArgumentList(SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(option)))));
                }
            }
        };
    }
}
