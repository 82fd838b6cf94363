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
/// TW3001 fix: <c>Task.Run(body)</c> / <c>Task.Factory.StartNew(body)</c> becomes
/// <c>Task.Factory.StartNew(body, token, TaskCreationOptions.LongRunning, TaskScheduler.Default)</c>,
/// passing the call's own token, else one in scope, else <c>CancellationToken.None</c>. Only for
/// synchronous lambdas: <c>StartNew</c> does not unwrap an async lambda's task as <c>Task.Run</c> does.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LongRunningLoopOnThreadPoolFixProvider))]
public sealed class LongRunningLoopOnThreadPoolFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW3001LongRunningLoopOnThreadPool.Id);

    protected internal override string Title => "Run it with TaskCreationOptions.LongRunning";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        var model = state.SemanticModel;
        var symbols = state.Symbols;
        if (state.FindNode<SyntaxNode>(diagnostic)?.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation
            || model.GetSymbolInfo(invocation, state.CancellationToken).Symbol is not IMethodSymbol method
            || method.Name is not ("Run" or "StartNew")
            || invocation.ArgumentList.Arguments is not { Count: 1 or 2 } arguments
            || !IsSynchronousWork(arguments[0].Expression, model, state.CancellationToken)
            || (arguments.Count == 2 && !SymbolEqualityComparer.Default.Equals(model.GetTypeInfo(arguments[1].Expression, state.CancellationToken).Type, symbols.CancellationToken))
            || symbols.Task is not { } task
            || symbols.CancellationToken is not { } tokenType
            || symbols.TaskCreationOptions is not { } options
            || model.Compilation.GetTypeByMetadataName("System.Threading.Tasks.TaskScheduler") is not { } scheduler)
        {
            return null;
        }

        var scopeToken = AwaitPlacement.FindCancellationToken(invocation, model, tokenType);
        return editor =>
        {
            ExpressionSyntax Member(ITypeSymbol type, string name) => SyntaxFactory.MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression, AwaitPlacement.TypeExpression(editor.Generator, type), SyntaxFactory.IdentifierName(name));

            var token = arguments.Count == 2 ? arguments[1].Expression : (ExpressionSyntax?)scopeToken ?? Member(tokenType, "None");
            var startNew = SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Member(task, "Factory"), SyntaxFactory.IdentifierName("StartNew")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[]
                {
                    arguments[0],
                    SyntaxFactory.Argument(token.WithoutTrivia()),
                    SyntaxFactory.Argument(Member(options, "LongRunning")),
                    SyntaxFactory.Argument(Member(scheduler, "Default")),
                })));
            editor.ReplaceNode(invocation, startNew.WithTriviaFrom(invocation));
        };
    }

    // A synchronous lambda, or a method group of a void method (`Task.Run(Poll)`).
    private static bool IsSynchronousWork(ExpressionSyntax work, SemanticModel model, System.Threading.CancellationToken cancellationToken)
        => work switch
        {
            LambdaExpressionSyntax { AsyncKeyword.RawKind: 0 } => true,
            IdentifierNameSyntax or MemberAccessExpressionSyntax
                => model.GetSymbolInfo(work, cancellationToken) is { Symbol: IMethodSymbol { ReturnsVoid: true, IsAsync: false, Parameters.Length: 0 } }
                   || model.GetSymbolInfo(work, cancellationToken).CandidateSymbols is { Length: 1 } candidates && candidates[0] is IMethodSymbol { ReturnsVoid: true, IsAsync: false, Parameters.Length: 0 },
            _ => false,
        };
}
