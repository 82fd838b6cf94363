using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Simplification;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>
/// TW4004 fix: <c>async void M()</c> becomes <c>async Task M()</c>, and async callers in the
/// project that drop its result now await it. Offered for local functions and for methods only their
/// project can call (private, or internal without friend assemblies) whose every use is a call, as
/// a statement, from code that can await — in the method's file, or, found with SymbolFinder, in
/// the other files of the project.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AsyncVoidMethodFixProvider))]
public sealed class AsyncVoidMethodFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW4004AsyncVoidMethod.Id);

    protected internal override string Title => "Return Task";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        var node = state.Root.FindToken(diagnostic.Location.SourceSpan.Start).Parent;
        if (node is not (MethodDeclarationSyntax or LocalFunctionStatementSyntax)
            || state.SemanticModel.GetDeclaredSymbol(node, state.CancellationToken) is not IMethodSymbol { IsAsync: true, ReturnsVoid: true } symbol
            || (symbol.MethodKind != MethodKind.LocalFunction && !AsyncConversion.IsUsedOnlyIn(symbol, node.SyntaxTree, state.SemanticModel.Compilation, state.CancellationToken))
            || AsyncConversion.FindCalls(symbol, state) is not { } calls
            || !AllAwaitable(calls, state))
        {
            return null;
        }

        return editor =>
        {
            var task = AsyncConversion.TaskReturnType(symbol, state, editor.Generator);
            editor.ReplaceNode(node, (current, _) => WithReturnType(current, task));
            foreach (var call in calls)
            {
                editor.ReplaceNode(call, (current, _) => AwaitPlacement.Await((ExpressionSyntax)current, call, awaitsATask: true));
            }
        };
    }

    // ---- Across documents: a method only its project can call, called from other files.

    protected override async Task RegisterSolutionFixAsync(CodeFixContext context, FixState state, Diagnostic diagnostic)
    {
        if (MethodOf(state, diagnostic) is not { } method)
        {
            return;
        }

        var solution = context.Document.Project.Solution;
        if (await ConvertAcrossDocumentsAsync(solution, method.Project, method.Method, context.CancellationToken).ConfigureAwait(false) is null)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(
                Title,
                async ct => await ConvertAcrossDocumentsAsync(solution, method.Project, method.Method, ct).ConfigureAwait(false) ?? solution,
                equivalenceKey: diagnostic.Id),
            diagnostic);
    }

    public override FixAllProvider GetFixAllProvider() => new CrossDocumentFix.FixAll(this, MethodOf, ConvertAcrossDocumentsAsync);

    private static (ProjectId Project, string Method)? MethodOf(FixState state, Diagnostic diagnostic)
        => state.Root.FindToken(diagnostic.Location.SourceSpan.Start).Parent is MethodDeclarationSyntax declaration
            ? CrossDocumentFix.MethodId(state.Document, state.SemanticModel, declaration, state.CancellationToken)
            : null;

    /// <summary>
    /// <c>async void</c> becomes <c>async Task</c> and every call in the project awaits it; null
    /// unless only the project can call the method and every call is a statement that can await
    /// (a caller left dropping the task would lose the exceptions async void surfaces).
    /// </summary>
    private static async Task<Solution?> ConvertAcrossDocumentsAsync(Solution solution, ProjectId projectId, string methodId, CancellationToken cancellationToken)
    {
        if (solution.GetProject(projectId) is not { } project
            || await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false) is not { } compilation
            || DocumentationCommentId.GetFirstSymbolForDeclarationId(methodId, compilation) is not IMethodSymbol { IsAsync: true, ReturnsVoid: true } symbol
            || symbol.DeclaringSyntaxReferences.Length != 1
            || !AsyncConversion.IsInvisibleOutsideProject(symbol, compilation, publicInExecutables: true)
            || symbol.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax declaration
            || solution.GetDocument(declaration.SyntaxTree) is not { } declaringDocument
            || await CrossDocumentFix.CallsByDocumentAsync(symbol, solution, projectId, cancellationToken).ConfigureAwait(false) is not { } callsByDocument)
        {
            return null;
        }

        if (!callsByDocument.ContainsKey(declaringDocument.Id))
        {
            callsByDocument[declaringDocument.Id] = new List<InvocationExpressionSyntax>();
        }

        var changed = solution;
        foreach (var entry in callsByDocument)
        {
            if (solution.GetDocument(entry.Key) is not { } document
                || await FixState.CreateAsync(document, cancellationToken).ConfigureAwait(false) is not { } state
                || !AllAwaitable(entry.Value, state))
            {
                return null;
            }

            var editor = await Microsoft.CodeAnalysis.Editing.DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
            if (entry.Key == declaringDocument.Id)
            {
                var task = AsyncConversion.TaskReturnType(symbol, state, editor.Generator);
                editor.ReplaceNode(declaration, (current, _) => WithReturnType(current, task));
            }

            foreach (var call in entry.Value)
            {
                editor.ReplaceNode(call, (current, _) => AwaitPlacement.Await((ExpressionSyntax)current, call, awaitsATask: true));
            }

            changed = changed.WithDocumentSyntaxRoot(entry.Key, editor.GetChangedRoot());
        }

        return changed;
    }

    // A caller that cannot await would be left dropping the new Task, and the exceptions that an
    // async void method surfaces (they crash the process) would be lost in it: no fix then.
    private static bool AllAwaitable(List<InvocationExpressionSyntax> calls, FixState state)
    {
        foreach (var call in calls)
        {
            if (call.Parent is not ExpressionStatementSyntax
                || !AwaitPlacement.CanAwaitAt(call, state.SemanticModel, state.CancellationToken))
            {
                return false;
            }
        }

        return true;
    }

    private static SyntaxNode WithReturnType(SyntaxNode declaration, TypeSyntax task)
    {
        var annotated = task.WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
        return declaration switch
        {
            MethodDeclarationSyntax method => method.WithReturnType(annotated.WithTriviaFrom(method.ReturnType)),
            LocalFunctionStatementSyntax local => local.WithReturnType(annotated.WithTriviaFrom(local.ReturnType)),
            _ => declaration,
        };
    }
}
