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
/// TW4008 fix: the ValueTask becomes a Task with <c>.AsTask()</c> where it is created (a <c>var</c>
/// local consumed twice: every later use is one a Task supports), or right before a blocking read
/// (<c>vt.AsTask().Result</c>: blocking on a Task waits for completion; on a ValueTask it is undefined).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(ValueTaskMisuseFixProvider))]
public sealed class ValueTaskMisuseFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW4008ValueTaskMisuse.Id);

    protected internal override string Title => "Use '.AsTask()'";

    protected internal override string TitleFor(FixState state, Diagnostic diagnostic)
        => IsConsumedTwice(diagnostic) ? "Call '.AsTask()' once and reuse the Task" : "Block on '.AsTask()'";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        if (state.FindNode<ExpressionSyntax>(diagnostic) is not { } node)
        {
            return null;
        }

        return IsConsumedTwice(diagnostic) ? ConvertAtCreation(state, node) : ConvertBeforeRead(node, state);
    }

    private static bool IsConsumedTwice(Diagnostic diagnostic)
        => diagnostic.Properties.TryGetValue(ValueTaskMisuseAnalyzer.KindProperty, out var kind) && kind == ValueTaskMisuseAnalyzer.ConsumedTwice;

    // `vt.Result` / `vt.GetAwaiter().GetResult()` / `F().Result`: `.AsTask()` on the ValueTask read.
    private static Action<SyntaxEditor>? ConvertBeforeRead(ExpressionSyntax read, FixState state)
    {
        var access = read switch
        {
            MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" } result => result,
            InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "GetAwaiter" } getAwaiter } } } => getAwaiter,
            _ => null,
        };

        if (access is null || IsConsumedElsewhere(access.Expression, state))
        {
            return null;
        }

        return editor => editor.ReplaceNode(access.Expression, (current, _) => AsTask((ExpressionSyntax)current));
    }

    // `future.AsTask().ContinueWith(t => … future.Result …)` (DotNetty's pool): the variable is consumed
    // somewhere else in the member too, so `.AsTask()` here would consume it a second time — as
    // undefined as the read it replaces. No fix; reading the continuation's `t.Result` is the remedy.
    private static bool IsConsumedElsewhere(ExpressionSyntax receiver, FixState state)
    {
        if (receiver is not IdentifierNameSyntax name
            || state.SemanticModel.GetSymbolInfo(name, state.CancellationToken).Symbol is not { } variable
            || variable is not (ILocalSymbol or IParameterSymbol)
            || name.FirstAncestorOrSelf<MemberDeclarationSyntax>() is not { } member)
        {
            return false;
        }

        foreach (var node in member.DescendantNodes())
        {
            if (node is IdentifierNameSyntax other
                && other != name
                && other.Identifier.ValueText == name.Identifier.ValueText
                && IsConsumption(other)
                && SymbolEqualityComparer.Default.Equals(state.SemanticModel.GetSymbolInfo(other, state.CancellationToken).Symbol, variable))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsConsumption(IdentifierNameSyntax use) => use.Parent switch
    {
        AwaitExpressionSyntax => true,
        MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Result" or "GetAwaiter" or "AsTask" or "ConfigureAwait" or "Preserve" } access => access.Expression == use,
        _ => false,
    };

    // `var vt = F();` consumed twice: `var vt = F().AsTask();`, when every use is one a Task has.
    private static Action<SyntaxEditor>? ConvertAtCreation(FixState state, ExpressionSyntax consumption)
    {
        var name = consumption switch
        {
            AwaitExpressionSyntax { Expression: IdentifierNameSyntax identifier } => identifier,
            MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax identifier } => identifier,
            _ => null,
        };

        if (name is null
            || state.SemanticModel.GetSymbolInfo(name, state.CancellationToken).Symbol is not ILocalSymbol local
            || local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax(state.CancellationToken) is not VariableDeclaratorSyntax { Initializer.Value: { } value } declarator
            || declarator.Parent is not VariableDeclarationSyntax { Type.IsVar: true, Variables.Count: 1 }
            || declarator.FirstAncestorOrSelf<BlockSyntax>() is not { } scope
            || !EveryUseWorksOnATask(local, scope, state))
        {
            return null;
        }

        return editor => editor.ReplaceNode(value, (current, _) => AsTask((ExpressionSyntax)current));
    }

    private static bool EveryUseWorksOnATask(ILocalSymbol local, BlockSyntax scope, FixState state)
    {
        foreach (var node in scope.DescendantNodes())
        {
            if (node is IdentifierNameSyntax name
                && name.Identifier.ValueText == local.Name
                && name.Parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "AsTask" or "Preserve" } access
                && access.Expression == name
                && SymbolEqualityComparer.Default.Equals(state.SemanticModel.GetSymbolInfo(name, state.CancellationToken).Symbol, local))
            {
                return false;
            }
        }

        return true;
    }

    private static InvocationExpressionSyntax AsTask(ExpressionSyntax valueTask)
        => SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(
                SyntaxKind.SimpleMemberAccessExpression,
                valueTask.WithoutTrivia() is var bare && bare is IdentifierNameSyntax or InvocationExpressionSyntax or MemberAccessExpressionSyntax
                    ? bare
                    : SyntaxFactory.ParenthesizedExpression(bare),
                SyntaxFactory.IdentifierName("AsTask")))
            .WithTriviaFrom(valueTask);
}
