using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Threadwise.Core;

namespace Threadwise.Blocking;

/// <summary>
/// TW1003 fix: <c>Task.WaitAll(...)</c> becomes <c>await Task.WhenAll(...)</c>;
/// <c>Task.WaitAny(...)</c> becomes <c>await Task.WhenAny(...)</c> when its index is not used, and
/// <c>Array.IndexOf(tasks, await Task.WhenAny(tasks))</c> when it is and the tasks are an array
/// variable. Overloads with a timeout or token keep their meaning only as they are: no fix.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(WaitAllOrAnyInAsyncCodeFixProvider))]
public sealed class WaitAllOrAnyInAsyncCodeFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW1003WaitAllOrAnyInAsyncCode.Id);

    protected internal override string Title => "Use 'await Task.WhenAll/WhenAny'";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        if (state.FindNode<InvocationExpressionSyntax>(diagnostic) is not { } invocation
            || state.SemanticModel.GetSymbolInfo(invocation, state.CancellationToken).Symbol is not IMethodSymbol method
            || HasTimeoutOrToken(method)
            || !AwaitPlacement.CanAwaitAt(invocation, state.SemanticModel, state.CancellationToken))
        {
            return null;
        }

        var isWaitAll = method.Name == "WaitAll";
        var whenName = isWaitAll ? "WhenAll" : "WhenAny";
        var when = Rename(invocation, whenName);
        if (when is null)
        {
            return null;
        }

        if (isWaitAll || invocation.Parent is ExpressionStatementSyntax)
        {
            return editor => editor.ReplaceNode(invocation, AwaitPlacement.Await(when, invocation, awaitsATask: true));
        }

        // The index is used: recover it from the array the tasks are in.
        if (invocation.ArgumentList.Arguments is not { Count: 1 } arguments
            || arguments[0].Expression is not IdentifierNameSyntax array
            || state.SemanticModel.GetSymbolInfo(array, state.CancellationToken).Symbol is not (ILocalSymbol { Type: IArrayTypeSymbol } or IParameterSymbol { Type: IArrayTypeSymbol })
            || state.SemanticModel.Compilation.GetSpecialType(SpecialType.System_Array) is not { } arrayType)
        {
            return null;
        }

        return editor =>
        {
            var indexOf = SyntaxFactory.InvocationExpression(
                SyntaxFactory.MemberAccessExpression(
                    SyntaxKind.SimpleMemberAccessExpression,
                    AwaitPlacement.TypeExpression(editor.Generator, arrayType),
                    SyntaxFactory.IdentifierName("IndexOf")),
                SyntaxFactory.ArgumentList(SyntaxFactory.SeparatedList(new[]
                {
                    SyntaxFactory.Argument(array.WithoutTrivia()),
                    SyntaxFactory.Argument(SyntaxFactory.AwaitExpression(when.WithoutTrivia())),
                })));
            editor.ReplaceNode(invocation, indexOf.WithTriviaFrom(invocation));
        };
    }

    private static bool HasTimeoutOrToken(IMethodSymbol method)
    {
        foreach (var parameter in method.Parameters)
        {
            if (parameter.Name is "millisecondsTimeout" or "timeout" or "cancellationToken")
            {
                return true;
            }
        }

        return false;
    }

    private static InvocationExpressionSyntax? Rename(InvocationExpressionSyntax invocation, string name) => invocation.Expression switch
    {
        MemberAccessExpressionSyntax access => invocation.WithExpression(access.WithName(SyntaxFactory.IdentifierName(name).WithTriviaFrom(access.Name))),
        IdentifierNameSyntax identifier => invocation.WithExpression(SyntaxFactory.IdentifierName(name).WithTriviaFrom(identifier)),
        _ => null,
    };
}
