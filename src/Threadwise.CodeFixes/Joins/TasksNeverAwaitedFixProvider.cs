using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>TW4003 fix, in async code: <c>await Task.WhenAll(tasks);</c> after the last statement
/// that uses the collection. In synchronous code there is no fix: blocking on the tasks there is
/// TW1005's finding, and making the method async is a larger change.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(TasksNeverAwaitedFixProvider))]
public sealed class TasksNeverAwaitedFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW4003TasksNeverAwaited.Id);

    protected internal override string Title => "Await Task.WhenAll";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        if (state.FindNode<VariableDeclaratorSyntax>(diagnostic) is not { Parent.Parent: LocalDeclarationStatementSyntax { Parent: BlockSyntax block } declaration } declarator
            || state.SemanticModel.GetDeclaredSymbol(declarator, state.CancellationToken) is not ILocalSymbol local
            || !AwaitPlacement.CanAwaitAt(declaration, state.SemanticModel, state.CancellationToken)
            || state.Symbols.Task is not { } task)
        {
            return null;
        }

        var anchor = StatementPlacement.LastStatementUsing(block, local, state.SemanticModel, state.CancellationToken) ?? declaration;
        if (StatementPlacement.EndsFlow(anchor))
        {
            return null;
        }

        return editor =>
        {
            var whenAll = SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(
                    SyntaxKind.SimpleMemberAccessExpression,
                    AwaitPlacement.TypeExpression(editor.Generator, task),
                    SyntaxFactory.IdentifierName("WhenAll")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.IdentifierName(local.Name)))));
            var statement = SyntaxFactory.ExpressionStatement(SyntaxFactory.AwaitExpression(whenAll))
                .WithAdditionalAnnotations(Formatter.Annotation);
            editor.InsertAfter(anchor, statement);
        };
    }
}
