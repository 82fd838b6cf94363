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
/// TW1007 fix: passes the token. Appended as a positional argument when it lands on the token
/// parameter that way (every earlier parameter written out, none by name); otherwise by name
/// (<c>cancellationToken: ct</c>). The edited call is bound again first: the fix is withheld unless
/// it still calls the same method (or the overload with the token) and the name means the token.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(CancellationTokenNotForwardedFixProvider))]
public sealed class CancellationTokenNotForwardedFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW1007CancellationTokenNotForwarded.Id);

    protected internal override string Title => "Pass the cancellation token";

    protected internal override string TitleFor(FixState state, Diagnostic diagnostic)
        => diagnostic.Properties.TryGetValue(CancellationTokenNotForwardedAnalyzer.TokenProperty, out var token) && token is not null
            ? $"Pass '{token}'"
            : Title;

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        if (!diagnostic.Properties.TryGetValue(CancellationTokenNotForwardedAnalyzer.TokenProperty, out var tokenName)
            || tokenName is null
            || !diagnostic.Properties.TryGetValue(CancellationTokenNotForwardedAnalyzer.ParameterProperty, out var parameterName)
            || parameterName is null
            || state.FindNode<SyntaxNode>(diagnostic)?.FirstAncestorOrSelf<InvocationExpressionSyntax>() is not { } invocation
            || state.SemanticModel.GetSymbolInfo(invocation, state.CancellationToken).Symbol is not IMethodSymbol method
            || !NamesAParameter(state, invocation, tokenName))
        {
            return null;
        }

        var arguments = invocation.ArgumentList.Arguments;
        var positional = true;
        foreach (var argument in arguments)
        {
            positional &= argument.NameColon is null;
        }

        var tokenArgument = SyntaxFactory.Argument(SyntaxFactory.IdentifierName(tokenName));
        if (!positional || !LandsPositionally(method, arguments.Count, parameterName))
        {
            tokenArgument = tokenArgument.WithNameColon(SyntaxFactory.NameColon(SyntaxFactory.IdentifierName(parameterName)));
        }

        var edited = invocation.WithArgumentList(invocation.ArgumentList.AddArguments(tokenArgument));
        if (!StillBinds(state, invocation, edited, method, parameterName))
        {
            return null;
        }

        return editor => editor.ReplaceNode(invocation, (current, _) =>
            ((InvocationExpressionSyntax)current).WithArgumentList(((InvocationExpressionSyntax)current).ArgumentList.AddArguments(tokenArgument)));
    }

    // The call's own optional token parameter right after the written arguments, or the overload's
    // trailing one (which the analyzer only reports when every argument is written out).
    private static bool LandsPositionally(IMethodSymbol method, int written, string parameterName)
    {
        var parameters = method.Parameters;
        return written >= parameters.Length || parameters[written].Name == parameterName;
    }

    // The token's name, at the call, still means that parameter (nothing nearer shadows it).
    private static bool NamesAParameter(FixState state, SyntaxNode at, string name)
    {
        var symbols = state.SemanticModel.LookupSymbols(at.SpanStart, name: name);
        return symbols.Length == 1 && symbols[0] is IParameterSymbol parameter
               && SymbolEqualityComparer.Default.Equals(parameter.Type, state.Symbols.CancellationToken);
    }

    // The edited call, bound in place: the same method, or an overload whose parameter of that name takes the token.
    private static bool StillBinds(FixState state, InvocationExpressionSyntax original, InvocationExpressionSyntax edited, IMethodSymbol method, string parameterName)
    {
        var info = state.SemanticModel.GetSpeculativeSymbolInfo(original.SpanStart, edited, SpeculativeBindingOption.BindAsExpression);
        if (info.Symbol is not IMethodSymbol bound)
        {
            return false;
        }

        if (SymbolEqualityComparer.Default.Equals(bound.OriginalDefinition, method.OriginalDefinition))
        {
            return true;
        }

        var parameters = bound.Parameters;
        return SymbolEqualityComparer.Default.Equals(bound.ContainingType?.OriginalDefinition, method.ContainingType?.OriginalDefinition)
               && bound.Name == method.Name
               && parameters.Length > 0
               && parameters[parameters.Length - 1].Name == parameterName
               && SymbolEqualityComparer.Default.Equals(parameters[parameters.Length - 1].Type, state.Symbols.CancellationToken)
               && (SymbolEqualityComparer.Default.Equals(bound.ReturnType, method.ReturnType) || IsAwaitedDirectly(original));
    }

    // `Socket.ConnectAsync(ip, port)` returns Task, its token overload ValueTask: where the value goes
    // on (`Wrap(socket.ConnectAsync(ip, port))`, a Task variable) the other type may not fit (found
    // applying fixes to FluentFTP). Awaited right there, either type works.
    private static bool IsAwaitedDirectly(InvocationExpressionSyntax call)
    {
        SyntaxNode value = call;
        while (value.Parent is ParenthesizedExpressionSyntax parenthesized)
        {
            value = parenthesized;
        }

        var parent = value.Parent;
        if (parent is MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } configure && configure.Expression == value)
        {
            parent = configure.Parent?.Parent;
        }

        return parent is AwaitExpressionSyntax;
    }
}
