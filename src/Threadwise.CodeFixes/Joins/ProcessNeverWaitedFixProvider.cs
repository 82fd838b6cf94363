using System;
using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>
/// TW4006 fix: dispose the process with <c>using var</c> and wait for it after its last use —
/// <c>await process.WaitForExitAsync(ct)</c> in async code, <c>process.WaitForExit()</c> otherwise.
/// <c>Process.Start</c> returns null when no new process was started; the wait skips that case
/// rather than throwing where the original code did not.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ProcessNeverWaitedFixProvider))]
[Shared]
public sealed class ProcessNeverWaitedFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW4006ProcessNeverWaited.Id);

    protected internal override string Title => "Dispose the process and wait for it to exit";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        if (state.FindNode<InvocationExpressionSyntax>(diagnostic) is not { } start)
        {
            return null;
        }

        var model = state.SemanticModel;
        switch (start.Parent)
        {
            // Process.Start(...);  ->  using var process = Process.Start(...);  + wait
            case ExpressionStatementSyntax { Parent: BlockSyntax } statement:
            {
                var name = StatementPlacement.UniqueName("process", model, statement.SpanStart);
                var wait = WaitStatement(name, statement, state);
                return editor =>
                {
                    var declaration = SyntaxFactory.LocalDeclarationStatement(
                            SyntaxFactory.VariableDeclaration(
                                SyntaxFactory.IdentifierName("var"),
                                SyntaxFactory.SingletonSeparatedList(
                                    SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(name))
                                        .WithInitializer(SyntaxFactory.EqualsValueClause(start.WithoutTrivia())))))
                        .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword))
                        .WithTriviaFrom(statement)
                        .WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation);
                    editor.InsertAfter(statement, wait);
                    editor.ReplaceNode(statement, declaration);
                };
            }

            default:
                return DeclaredProcessFix(start, state);
        }
    }

    // var p = Process.Start(...);  or  var p = new Process { ... }; p.Start();
    private static Action<SyntaxEditor>? DeclaredProcessFix(InvocationExpressionSyntax start, FixState state)
    {
        var model = state.SemanticModel;
        var local = start.Parent is EqualsValueClauseSyntax { Parent: VariableDeclaratorSyntax declarator }
            ? model.GetDeclaredSymbol(declarator, state.CancellationToken) as ILocalSymbol
            : start.Expression is MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax receiver }
                ? model.GetSymbolInfo(receiver, state.CancellationToken).Symbol as ILocalSymbol
                : null;
        if (local is null
            || local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax(state.CancellationToken) is not VariableDeclaratorSyntax
            {
                Parent: VariableDeclarationSyntax { Variables.Count: 1, Parent: LocalDeclarationStatementSyntax { Parent: BlockSyntax block } declaration },
            }
            || !declaration.UsingKeyword.IsKind(SyntaxKind.None))
        {
            return null;
        }

        var anchor = StatementPlacement.LastStatementUsing(block, local, model, state.CancellationToken);
        if (anchor is null || StatementPlacement.EndsFlow(anchor))
        {
            return null;
        }

        var wait = WaitStatement(local.Name, anchor, state);
        return editor =>
        {
            editor.ReplaceNode(declaration, (current, _) =>
            {
                var statement = (LocalDeclarationStatementSyntax)current;
                var leading = statement.GetLeadingTrivia();
                return statement
                    .WithoutLeadingTrivia()
                    .WithUsingKeyword(SyntaxFactory.Token(SyntaxKind.UsingKeyword).WithLeadingTrivia(leading).WithTrailingTrivia(SyntaxFactory.Space));
            });
            editor.InsertAfter(anchor, wait);
        };
    }

    private static StatementSyntax WaitStatement(string process, SyntaxNode position, FixState state)
    {
        if (AwaitPlacement.CanAwaitAt(position, state.SemanticModel, state.CancellationToken))
        {
            var token = AwaitPlacement.FindCancellationToken(position, state.SemanticModel, state.Symbols.CancellationToken);
            var argument = token is null ? string.Empty : token.Identifier.ValueText;
            return StatementPlacement.Parse($"if ({process} is not null)\n{{\n    await {process}.WaitForExitAsync({argument});\n}}\n");
        }

        return StatementPlacement.Parse($"{process}?.WaitForExit();\n");
    }
}
