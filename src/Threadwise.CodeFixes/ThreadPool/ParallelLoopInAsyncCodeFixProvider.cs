using System;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Threadwise.Core;

namespace Threadwise.ThreadPool;

/// <summary>
/// TW3003 fix. <c>Parallel.ForEach(source, item => body);</c> becomes
/// <c>await Parallel.ForEachAsync(source, (item, cancellationToken) => { body; return ValueTask.CompletedTask; });</c>
/// where the framework has it and the body does not return early; any other parallel call becomes
/// <c>await Task.Run(() => call)</c>, which keeps its result and frees the async caller.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ParallelLoopInAsyncCodeFixProvider))]
public sealed class ParallelLoopInAsyncCodeFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW3003ParallelLoopInAsyncCode.Id);

    protected internal override string Title => "Await the parallel loop instead of blocking";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        if (state.FindNode<SyntaxNode>(diagnostic)?.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation
            || !AwaitPlacement.CanAwaitAt(invocation, state.SemanticModel, state.CancellationToken)
            || state.Symbols.Task is not { } task)
        {
            return null;
        }

        return ForEachAsync(invocation, state) ?? (editor =>
        {
            var run = SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, AwaitPlacement.TypeExpression(editor.Generator, task), SyntaxFactory.IdentifierName("Run")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(
                    SyntaxFactory.ParenthesizedLambdaExpression(SyntaxFactory.ParameterList(), invocation.WithoutTrivia())))));
            editor.ReplaceNode(invocation, AwaitPlacement.Await(run, invocation, awaitsATask: true));
        });
    }

    private static Action<SyntaxEditor>? ForEachAsync(InvocationExpressionSyntax invocation, FixState state)
    {
        var model = state.SemanticModel;
        if (invocation.Parent is not ExpressionStatementSyntax
            || invocation.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ForEach" } access
            || invocation.ArgumentList.Arguments is not { Count: 2 } arguments
            || arguments[1].Expression is not LambdaExpressionSyntax { AsyncKeyword.RawKind: 0 } body
            || Parameter(body) is not { Type: null } parameter
            || ReturnsEarly(body)
            || model.GetSymbolInfo(invocation, state.CancellationToken).Symbol is not IMethodSymbol { Parameters.Length: 2 } method
            || method.ContainingType.GetMembers("ForEachAsync").IsEmpty
            || model.Compilation.GetTypeByMetadataName("System.Threading.Tasks.ValueTask") is not { } valueTask
            || valueTask.GetMembers("CompletedTask").IsEmpty
            || body.Body.ContainsDirectives)
        {
            return null;
        }

        var tokenName = StatementPlacement.UniqueName("cancellationToken", model, body.Body.SpanStart);
        var valueTaskName = model.LookupNamespacesAndTypes(invocation.SpanStart, name: "ValueTask").Any(t => t is INamedTypeSymbol { Arity: 0 })
            ? "ValueTask"
            : "System.Threading.Tasks.ValueTask";
        var indent = Indentation(invocation);
        return editor =>
        {
            // Written as text, indented like the statement it sits in, so the block keeps its shape.
            var inner = indent + "    ";
            var statements = body.Body is BlockSyntax block
                ? string.Concat(block.Statements.Select(statement => inner + statement.WithoutTrivia().ToFullString() + "\n"))
                : inner + ((ExpressionSyntax)body.Body).WithoutTrivia().ToFullString() + ";\n";
            var lambda = SyntaxFactory.ParseExpression(
                $"({parameter.WithoutTrivia()}, {tokenName}) =>\n{indent}{{\n{statements}{inner}return {valueTaskName}.CompletedTask;\n{indent}}}");
            var call = invocation
                .ReplaceNode(body, lambda)
                .WithExpression(access.WithName(SyntaxFactory.IdentifierName("ForEachAsync")));
            editor.ReplaceNode(invocation, AwaitPlacement.Await(call, invocation, awaitsATask: true));
        };
    }

    private static string Indentation(SyntaxNode node)
    {
        var statement = node.FirstAncestorOrSelf<StatementSyntax>() ?? node;
        var whitespace = string.Empty;
        foreach (var trivia in statement.GetLeadingTrivia())
        {
            whitespace = trivia.IsKind(SyntaxKind.WhitespaceTrivia) ? trivia.ToString() : trivia.IsKind(SyntaxKind.EndOfLineTrivia) ? string.Empty : whitespace;
        }

        return whitespace;
    }

    private static ParameterSyntax? Parameter(LambdaExpressionSyntax lambda) => lambda switch
    {
        SimpleLambdaExpressionSyntax simple => simple.Parameter,
        ParenthesizedLambdaExpressionSyntax { ParameterList.Parameters.Count: 1 } parenthesized => parenthesized.ParameterList.Parameters[0],
        _ => null,
    };

    private static bool ReturnsEarly(LambdaExpressionSyntax lambda)
    {
        foreach (var node in lambda.Body.DescendantNodesAndSelf(n => n == lambda.Body || n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            if (node is ReturnStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }
}
