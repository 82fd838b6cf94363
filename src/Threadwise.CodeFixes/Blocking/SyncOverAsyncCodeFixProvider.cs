using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
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
/// use of it in the document is a call. The wait becomes <c>await</c>, the return
/// type <c>Task</c>/<c>Task&lt;T&gt;</c>, async callers await the call, and sync callers block on it
/// with <c>GetAwaiter().GetResult()</c> (and are reported by TW1005 in turn, which is correct).
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
            || AsyncConversion.FindCalls(symbol, state) is not { } calls)
        {
            return null;
        }

        // One fix converts the whole method: every wait in it becomes an await. Fix All reaches the
        // same method through each of its diagnostics; only the first one edits.
        if (!state.FirstTime(method))
        {
            return _ => { };
        }

        var waits = RewritableWaits(method, state);
        return editor =>
        {
            foreach (var (node, awaitedExpression) in waits)
            {
                editor.ReplaceNode(node, AwaitPlacement.Await(awaitedExpression, node));
            }

            var returnType = AsyncConversion.TaskReturnType(symbol, state, editor.Generator);
            editor.ReplaceNode(method, (current, _) => MakeAsync((MethodDeclarationSyntax)current, returnType));
            foreach (var call in calls)
            {
                var canAwait = AsyncConversion.IsInside(call, method)
                    ? AwaitPlacement.CanAwaitAt(call, model, functionWillBeAsync: true, state.CancellationToken)
                    : AwaitPlacement.CanAwaitAt(call, model, state.CancellationToken);
                editor.ReplaceNode(call, (current, _) => canAwait
                    ? AwaitPlacement.Await((ExpressionSyntax)current, call)
                    : (SyntaxNode)BlockOn((ExpressionSyntax)current));
            }
        };
    }

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
    {
        if (!AsyncConversion.IsUsedOnlyIn(symbol, method.SyntaxTree, state.SemanticModel.Compilation, state.CancellationToken)
            || symbol.IsOverride || symbol.IsAbstract || symbol.IsExtern || symbol.IsPartialDefinition || symbol.PartialImplementationPart is not null
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

    private static InvocationExpressionSyntax BlockOn(ExpressionSyntax call)
    {
        var getAwaiter = SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, call.WithoutTrivia(), SyntaxFactory.IdentifierName("GetAwaiter")));
        return SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, getAwaiter, SyntaxFactory.IdentifierName("GetResult")))
            .WithTriviaFrom(call);
    }
}
