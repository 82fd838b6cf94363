using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Threadwise.Core;

namespace Threadwise.ThreadPool;

/// <summary>
/// TW3004 fix: a <c>foreach</c> whose body only creates and starts a thread (and perhaps collects it
/// for joining) becomes <c>Parallel.ForEach(items, new ParallelOptions { MaxDegreeOfParallelism =
/// Environment.ProcessorCount }, item => work)</c>. The loop now waits for the work, which the
/// threads were started to do anyway; a list that only collected the threads for joining stays empty.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(UnboundedThreadCreationFixProvider))]
public sealed class UnboundedThreadCreationFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW3004UnboundedThreadCreation.Id);

    protected internal override string Title => "Use Parallel.ForEach with a bounded degree of parallelism";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        if (state.FindNode<ObjectCreationExpressionSyntax>(diagnostic) is not { ArgumentList.Arguments: { Count: 1 } arguments } creation
            || arguments[0].Expression is not ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 0, AsyncKeyword.RawKind: 0 } work
            || creation.Parent is not EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax { Parent: VariableDeclarationSyntax { Parent: LocalDeclarationStatementSyntax declaration } } declarator }
            || declaration.Parent is not BlockSyntax { Parent: ForEachStatementSyntax { AwaitKeyword.RawKind: 0 } loop } body
            || !OnlyStartsAndCollects(body, declarator.Identifier.ValueText, declaration)
            || state.Symbols.Parallel is not { } parallel
            || state.SemanticModel.Compilation.GetTypeByMetadataName("System.Threading.Tasks.ParallelOptions") is not { } parallelOptions
            || state.SemanticModel.Compilation.GetTypeByMetadataName("System.Environment") is not { } environment)
        {
            return null;
        }

        return editor =>
        {
            var options = SyntaxFactory.ObjectCreationExpression((TypeSyntax)AwaitPlacement.TypeExpression(editor.Generator, parallelOptions))
                .WithInitializer(SyntaxFactory.InitializerExpression(
                    SyntaxKind.ObjectInitializerExpression,
                    SyntaxFactory.SingletonSeparatedList<ExpressionSyntax>(SyntaxFactory.AssignmentExpression(
                        SyntaxKind.SimpleAssignmentExpression,
                        SyntaxFactory.IdentifierName("MaxDegreeOfParallelism"),
                        SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, AwaitPlacement.TypeExpression(editor.Generator, environment), SyntaxFactory.IdentifierName("ProcessorCount"))))));
            var itemLambda = SyntaxFactory.SimpleLambdaExpression(SyntaxFactory.Parameter(loop.Identifier.WithoutTrivia()), work.Body);
            var call = SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, AwaitPlacement.TypeExpression(editor.Generator, parallel), SyntaxFactory.IdentifierName("ForEach")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[]
                {
                    SyntaxFactory.Argument(loop.Expression.WithoutTrivia()),
                    SyntaxFactory.Argument(options),
                    SyntaxFactory.Argument(itemLambda),
                })));
            editor.ReplaceNode(loop, SyntaxFactory.ExpressionStatement(call).WithTriviaFrom(loop).WithAdditionalAnnotations(Formatter.Annotation));
        };
    }

    // The body is: var t = new Thread(() => work); t.Start(); and optionally threads.Add(t);
    private static bool OnlyStartsAndCollects(BlockSyntax body, string thread, StatementSyntax declaration)
    {
        var started = false;
        foreach (var statement in body.Statements)
        {
            if (statement == declaration)
            {
                continue;
            }

            if (statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax invocation })
            {
                if (invocation is { Expression: MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver, Name.Identifier.ValueText: "Start" }, ArgumentList.Arguments.Count: 0 }
                    && receiver.Identifier.ValueText == thread)
                {
                    started = true;
                    continue;
                }

                if (invocation is { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Add" }, ArgumentList.Arguments: { Count: 1 } added }
                    && added[0].Expression is IdentifierNameSyntax { Identifier.ValueText: var name } && name == thread)
                {
                    continue;
                }
            }

            return false;
        }

        return started;
    }
}
