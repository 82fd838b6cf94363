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

namespace Threadwise.Joins;

/// <summary>
/// TW4004 fix: <c>async void M()</c> becomes <c>async Task M()</c>, and async callers in the
/// document that drop its result now await it. Offered for local functions, private methods and
/// internal methods named in no other file of an assembly without friend assemblies, whose every
/// use in the document is a call: elsewhere a caller or a delegate the document cannot see could break.
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
                editor.ReplaceNode(call, (current, _) => AwaitPlacement.Await((ExpressionSyntax)current, call));
            }
        };
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
