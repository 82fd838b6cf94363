using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
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

namespace Threadwise.Blocking;

/// <summary>
/// TW1005 fix: make the method async. Offered only when that cannot break anything outside this
/// document: the method is private (or internal and named in no other file of an assembly without
/// friend assemblies), not an override or interface implementation, not an event handler, and every
/// use of it in the document is a call, and every call can await (is in async code, or in a method
/// this fix makes async). The wait becomes <c>await</c>, the return type <c>Task</c>/<c>Task&lt;T&gt;</c>,
/// and the callers await the call. A caller that would have to block on the new task is no reason to
/// convert: it only moves the wait up and adds a deadlock under a SynchronizationContext.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SyncOverAsyncCodeFixProvider))]
public sealed class SyncOverAsyncCodeFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW1005SyncOverAsync.Id);

    protected internal override string Title => "Make the method async and await";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        var model = state.SemanticModel;
        if (state.FindNode<ExpressionSyntax>(diagnostic) is not { } wait
            || OwningMethod(wait) is not { } method
            || model.GetDeclaredSymbol(method, state.CancellationToken) is not { } symbol
            || !CanBecomeAsync(method, symbol, state)
            || TaskWaitRewriter.GetAwaitedExpression(wait, model, state.CancellationToken) is not { } awaited
            || !AwaitPlacement.CanAwaitAt(wait, model, functionWillBeAsync: true, state.CancellationToken)
            || AsyncConversion.FindCalls(symbol, state) is not { } calls
            || !EveryCallCanAwait(calls, method, state))
        {
            return null;
        }

        // One fix converts the whole method: every wait in it becomes an await. Fix All reaches the
        // same method through each of its diagnostics; only the first one edits.
        if (!state.FirstTime(method))
        {
            return _ => { };
        }

        return Convert(method, symbol, RewritableWaits(method, state), calls, state);
    }

    // The method becomes async (its waits awaits, its return type a task) and each call in its
    // document awaits it.
    private static Action<SyntaxEditor> Convert(
        MethodDeclarationSyntax method,
        IMethodSymbol symbol,
        List<(ExpressionSyntax Wait, ExpressionSyntax Awaited)> waits,
        List<InvocationExpressionSyntax> calls,
        FixState state)
        => editor =>
        {
            foreach (var (node, awaitedExpression) in waits)
            {
                editor.ReplaceNode(node, AwaitPlacement.Await(awaitedExpression, node, AwaitPlacement.IsTask(awaitedExpression, state)));
            }

            var returnType = AsyncConversion.TaskReturnType(symbol, state, editor.Generator);
            editor.ReplaceNode(method, (current, _) => MakeAsync((MethodDeclarationSyntax)current, returnType));
            UpdateCalls(editor, calls);
        };

    private static void UpdateCalls(SyntaxEditor editor, List<InvocationExpressionSyntax> calls)
    {
        foreach (var call in calls)
        {
            editor.ReplaceNode(call, (current, _) => AwaitPlacement.Await((ExpressionSyntax)current, call, awaitsATask: true));
        }
    }

    // A caller that cannot await would have to block on the new task: that only moves the wait up a
    // level and adds a deadlock under a SynchronizationContext (the awaited continuation needs the
    // thread the caller blocks), so the fix is offered only when every caller can await.
    private static bool EveryCallCanAwait(List<InvocationExpressionSyntax> calls, MethodDeclarationSyntax? converted, FixState state)
    {
        foreach (var call in calls)
        {
            var canAwait = converted is not null && AsyncConversion.IsInside(call, converted)
                ? AwaitPlacement.CanAwaitAt(call, state.SemanticModel, functionWillBeAsync: true, state.CancellationToken)
                : AwaitPlacement.CanAwaitAt(call, state.SemanticModel, state.CancellationToken);
            if (!canAwait)
            {
                return false;
            }
        }

        return true;
    }

    // ---- Across documents: a method no other assembly can see, called from other files of its project.

    protected override async Task RegisterSolutionFixAsync(CodeFixContext context, FixState state, Diagnostic diagnostic)
    {
        if (state.FindNode<ExpressionSyntax>(diagnostic) is not { } wait
            || OwningMethod(wait) is not { } method
            || state.SemanticModel.GetDeclaredSymbol(method, context.CancellationToken) is not { } symbol
            || DocumentationCommentId.CreateDeclarationId(symbol) is not { } id)
        {
            return;
        }

        var solution = context.Document.Project.Solution;
        var projectId = context.Document.Project.Id;
        if (await ConvertAcrossDocumentsAsync(solution, projectId, id, context.CancellationToken).ConfigureAwait(false) is null)
        {
            return;
        }

        context.RegisterCodeFix(
            CodeAction.Create(
                Title,
                async ct => await ConvertAcrossDocumentsAsync(solution, projectId, id, ct).ConfigureAwait(false) ?? solution,
                equivalenceKey: diagnostic.Id),
            diagnostic);
    }

    /// <summary>
    /// Makes the method async and updates every call of it in its project, in every document; null
    /// when that cannot be done safely: the method is visible to other assemblies (or the project has
    /// friend assemblies), or is used other than by calls, or its signature cannot change.
    /// </summary>
    internal static async Task<Solution?> ConvertAcrossDocumentsAsync(Solution solution, ProjectId projectId, string methodId, CancellationToken cancellationToken)
    {
        if (solution.GetProject(projectId) is not { } project
            || await project.GetCompilationAsync(cancellationToken).ConfigureAwait(false) is not { } compilation
            || DocumentationCommentId.GetFirstSymbolForDeclarationId(methodId, compilation) is not IMethodSymbol symbol
            || symbol.DeclaringSyntaxReferences.Length != 1
            || !AsyncConversion.IsInvisibleOutsideProject(symbol, compilation)
            || symbol.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken) is not MethodDeclarationSyntax method
            || solution.GetDocument(method.SyntaxTree) is not { } document
            || await FixState.CreateAsync(document, cancellationToken).ConfigureAwait(false) is not { } state
            || !CanChangeSignature(method, symbol, state)
            || RewritableWaits(method, state) is not { Count: > 0 } waits
            || await CrossDocumentFix.CallsByDocumentAsync(symbol, solution, projectId, cancellationToken).ConfigureAwait(false) is not { } callsByDocument)
        {
            return null;
        }

        var local = callsByDocument.TryGetValue(document.Id, out var found) ? found : new List<InvocationExpressionSyntax>();
        if (!EveryCallCanAwait(local, method, state))
        {
            return null;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        Convert(method, symbol, waits, local, state)(editor);
        var changed = solution.WithDocumentSyntaxRoot(document.Id, editor.GetChangedRoot());
        foreach (var entry in callsByDocument)
        {
            if (entry.Key == document.Id)
            {
                continue;
            }

            // A caller left unconverted would drop the new task: all of them change, or nothing does.
            if (solution.GetDocument(entry.Key) is not { } other
                || await FixState.CreateAsync(other, cancellationToken).ConfigureAwait(false) is not { } otherState
                || !EveryCallCanAwait(entry.Value, converted: null, otherState))
            {
                return null;
            }

            var otherEditor = await DocumentEditor.CreateAsync(other, cancellationToken).ConfigureAwait(false);
            UpdateCalls(otherEditor, entry.Value);
            changed = changed.WithDocumentSyntaxRoot(entry.Key, otherEditor.GetChangedRoot());
        }

        return changed;
    }

    // Fix All: the one-document fixes per document first, then each method whose callers live in
    // other files, one at a time on the solution as it stands (found again by its ID).
    public override FixAllProvider GetFixAllProvider()
        => new CrossDocumentFix.FixAll(
            this,
            (state, diagnostic) => state.FindNode<ExpressionSyntax>(diagnostic) is { } wait
                ? CrossDocumentFix.MethodId(state.Document, state.SemanticModel, OwningMethod(wait), state.CancellationToken)
                : null,
            ConvertAcrossDocumentsAsync);

    /// <summary>The waits directly in the method's body (not in its lambdas or local functions) that
    /// TW1005 reports and that rewrite to an await.</summary>
    private static List<(ExpressionSyntax Wait, ExpressionSyntax Awaited)> RewritableWaits(MethodDeclarationSyntax method, FixState state)
    {
        var waits = TaskWaits.For(state.SemanticModel.Compilation);
        var result = new List<(ExpressionSyntax, ExpressionSyntax)>();
        foreach (var node in method.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            if (node is ExpressionSyntax expression
                && state.SemanticModel.GetOperation(expression, state.CancellationToken) is { } operation
                && waits.TryGetWait(operation, out var wait)
                && !(wait.Task is { } task && KnownCompleteTasks.IsKnownComplete(task, waits.Symbols))
                && TaskWaitRewriter.GetAwaitedExpression(expression, state.SemanticModel, state.CancellationToken) is { } awaited
                && AwaitPlacement.CanAwaitAt(expression, state.SemanticModel, functionWillBeAsync: true, state.CancellationToken)
                && !ContainsAny(result, expression))
            {
                result.Add((expression, awaited));
            }
        }

        return result;
    }

    // t.Result where t is itself `u.Result`: the outer rewrite already covers the inner wait's node.
    private static bool ContainsAny(List<(ExpressionSyntax Wait, ExpressionSyntax Awaited)> found, SyntaxNode node)
    {
        foreach (var (wait, _) in found)
        {
            if (wait.Span.Contains(node.Span))
            {
                return true;
            }
        }

        return false;
    }

    private static MethodDeclarationSyntax? OwningMethod(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case MethodDeclarationSyntax method:
                    return method;
                case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or TypeDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    private static bool CanBecomeAsync(MethodDeclarationSyntax method, IMethodSymbol symbol, FixState state)
        => AsyncConversion.IsUsedOnlyIn(symbol, method.SyntaxTree, state.SemanticModel.Compilation, state.CancellationToken)
           && CanChangeSignature(method, symbol, state);

    private static bool CanChangeSignature(MethodDeclarationSyntax method, IMethodSymbol symbol, FixState state)
    {
        if (symbol.IsOverride || symbol.IsAbstract || symbol.IsExtern || symbol.IsPartialDefinition || symbol.PartialImplementationPart is not null
            || !symbol.ExplicitInterfaceImplementations.IsEmpty
            || symbol.ReturnsByRef || symbol.ReturnsByRefReadonly || symbol.ReturnType.IsRefLikeType
            || (!symbol.ReturnsVoid && state.Symbols.IsTaskType(symbol.ReturnType))
            || method.Modifiers.Any(SyntaxKind.UnsafeKeyword)
            || (method.Body is null && method.ExpressionBody is null)
            || IsIterator(method)
            || IsEventHandlerShaped(symbol))
        {
            return false;
        }

        foreach (var parameter in symbol.Parameters)
        {
            if (parameter.RefKind != RefKind.None || parameter.Type.IsRefLikeType)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsIterator(MethodDeclarationSyntax method)
    {
        foreach (var node in method.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            if (node is YieldStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsEventHandlerShaped(IMethodSymbol symbol)
        => symbol.Parameters.Length == 2
           && symbol.Parameters[0].Type.SpecialType == SpecialType.System_Object
           && IsEventArgs(symbol.Parameters[1].Type);

    private static bool IsEventArgs(ITypeSymbol type)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.Name == "EventArgs" && current.ContainingNamespace?.Name == "System")
            {
                return true;
            }
        }

        return false;
    }

    private static MethodDeclarationSyntax MakeAsync(MethodDeclarationSyntax method, TypeSyntax returnType)
    {
        var asyncKeyword = SyntaxFactory.Token(SyntaxKind.AsyncKeyword).WithTrailingTrivia(SyntaxFactory.Space);
        var newReturnType = returnType.WithTriviaFrom(method.ReturnType).WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);
        if (method.Modifiers.Count == 0)
        {
            // The leading trivia (indentation, comments) moves from the return type to `async`.
            asyncKeyword = asyncKeyword.WithLeadingTrivia(method.ReturnType.GetLeadingTrivia());
            newReturnType = newReturnType.WithoutLeadingTrivia();
        }

        return method
            .WithModifiers(method.Modifiers.Add(asyncKeyword))
            .WithReturnType(newReturnType);
    }
}
