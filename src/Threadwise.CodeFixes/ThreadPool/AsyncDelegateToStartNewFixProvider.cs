using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Threadwise.Core;

namespace Threadwise.ThreadPool;

/// <summary>
/// TW3005 fix: <c>Task.Factory.StartNew(async () =&gt; …)</c> becomes
/// <c>Task.Factory.StartNew(async () =&gt; …).Unwrap()</c>. Unwrapping keeps the call's scheduler,
/// options and cancellation exactly as they were (<c>Task.Run</c> would change the scheduler to
/// the default one where <c>StartNew</c> uses the current one); only the defect goes. The
/// <c>Task&lt;T&gt;</c> constructor gets no fix: it must be started before it can be unwrapped.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AsyncDelegateToStartNewFixProvider))]
public sealed class AsyncDelegateToStartNewFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW3005AsyncDelegateToStartNew.Id);

    protected internal override string Title => "Call '.Unwrap()' on the result";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        if (state.FindNode<InvocationExpressionSyntax>(diagnostic) is not { } call)
        {
            return null;
        }

        return editor => editor.ReplaceNode(call, (current, _) =>
            SyntaxFactory.InvocationExpression(
                    SyntaxFactory.MemberAccessExpression(
                        SyntaxKind.SimpleMemberAccessExpression,
                        ((ExpressionSyntax)current).WithoutTrailingTrivia(),
                        SyntaxFactory.IdentifierName("Unwrap")))
                .WithTrailingTrivia(current.GetTrailingTrivia()));
    }
}
