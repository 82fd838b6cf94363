using System;
using System.Collections.Immutable;
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
                if (WaitStatement(name, statement, state) is not { } wait)
                {
                    return null;
                }

                if (!HasUsingDeclarations(statement))
                {
                    // C# 7.3: `using (var process = Process.Start(...)) { wait }`.
                    var usingStatement = SyntaxFactory.UsingStatement(
                            SyntaxFactory.VariableDeclaration(
                                SyntaxFactory.IdentifierName("var"),
                                SyntaxFactory.SingletonSeparatedList(
                                    SyntaxFactory.VariableDeclarator(SyntaxFactory.Identifier(name))
                                        .WithInitializer(SyntaxFactory.EqualsValueClause(start.WithoutTrivia())))),
                            null,
                            SyntaxFactory.Block(wait))
                        .WithTriviaFrom(statement)
                        .WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation);
                    return editor => editor.ReplaceNode(statement, usingStatement);
                }

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

        if (WaitStatement(local.Name, anchor, state) is not { } wait)
        {
            return null;
        }

        if (!HasUsingDeclarations(declaration))
        {
            // C# 7.3 has no `using var`: wait, then dispose, after the last use.
            var dispose = StatementPlacement.Parse($"{local.Name}?.Dispose();\n");
            return editor => editor.InsertAfter(anchor, new[] { wait, dispose });
        }

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

    // In async code `await WaitForExitAsync` where the framework has it (.NET 5+); an async method on
    // an older framework gets no fix (a blocking WaitForExit there would trade one defect for another).
    private static StatementSyntax? WaitStatement(string process, SyntaxNode position, FixState state)
    {
        if (AwaitPlacement.CanAwaitAt(position, state.SemanticModel, state.CancellationToken))
        {
            if (!HasWaitForExitAsync(state))
            {
                return null;
            }

            var token = AwaitPlacement.FindCancellationToken(position, state.SemanticModel, state.Symbols.CancellationToken);
            var argument = token is null ? string.Empty : token.Identifier.ValueText;
            var check = position.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp9 } ? "!= null" : "is not null";
            return StatementPlacement.Parse($"if ({process} {check})\n{{\n    await {process}.WaitForExitAsync({argument});\n}}\n");
        }

        return StatementPlacement.Parse($"{process}?.WaitForExit();\n");
    }

    private static bool HasWaitForExitAsync(FixState state)
        => state.Symbols.Process is { } process && !process.GetMembers("WaitForExitAsync").IsEmpty;

    private static bool HasUsingDeclarations(SyntaxNode node)
        => node.SyntaxTree.Options is not CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp8 };
}
