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
/// TW1004 fix: call the awaitable twin and await it, <c>File.ReadAllText(p)</c> →
/// <c>await File.ReadAllTextAsync(p, ct)</c>, forwarding a CancellationToken in scope when the twin
/// takes one. The rewritten call is bound speculatively first; if it does not bind to the twin, no
/// fix is offered.
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(BlockingApiInAsyncCodeFixProvider))]
public sealed class BlockingApiInAsyncCodeFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW1004BlockingApiInAsyncCode.Id);

    protected internal override string Title => "Await the async twin";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        var properties = diagnostic.Properties;
        if (!properties.TryGetValue(BlockingApiInAsyncCodeAnalyzer.TwinProperty, out var twinName)
            || twinName is null
            || properties.ContainsKey(BlockingApiInAsyncCodeAnalyzer.TwinIsCallerProperty)
            || state.FindNode<InvocationExpressionSyntax>(diagnostic) is not { } invocation
            || Rename(invocation, twinName) is not { } renamed)
        {
            return null;
        }

        var flag = DualPathFlag(invocation, state);
        if (!AwaitPlacement.CanAwaitAt(invocation, state.SemanticModel, functionWillBeAsync: false, pathKeptByTheFix: flag is not null, state.CancellationToken))
        {
            return null;
        }

        var withoutToken = Bind(renamed, invocation, twinName, state);
        InvocationExpressionSyntax? call = withoutToken is not null ? renamed : null;
        var awaitsATask = withoutToken is not null && state.Symbols.IsTaskType(withoutToken.ReturnType);
        if (properties.ContainsKey(BlockingApiInAsyncCodeAnalyzer.TwinTakesTokenProperty)
            && AwaitPlacement.FindCancellationToken(invocation, state.SemanticModel, state.Symbols.CancellationToken) is { } token
            && state.SemanticModel.GetSymbolInfo(invocation, state.CancellationToken).Symbol is IMethodSymbol original)
        {
            var tokenName = withoutToken is { Parameters.Length: > 0 } twinSymbol
                ? twinSymbol.Parameters[twinSymbol.Parameters.Length - 1].Name
                : "cancellationToken";
            var withToken = WithToken(renamed, token, original.Parameters.Length, tokenName);
            if (Bind(withToken, invocation, twinName, state) is { } twin && TokenLandsOnToken(withToken, twin, state))
            {
                call = withToken;
                awaitsATask = state.Symbols.IsTaskType(twin.ReturnType);
            }
        }

        if (call is null)
        {
            return null;
        }

        var awaited = AwaitPlacement.Await(call, invocation, awaitsATask);
        if (flag is null)
        {
            return editor => editor.ReplaceNode(invocation, awaited);
        }

        // A method that serves both kinds of callers (`bool async`): its synchronous path must stay
        // synchronous, so the awaited twin goes on the flag's async side only.
        if (invocation.Parent is ExpressionStatementSyntax statement)
        {
            var dual = SyntaxFactory.IfStatement(
                    flag,
                    SyntaxFactory.ExpressionStatement(awaited.WithoutTrivia()),
                    SyntaxFactory.ElseClause(statement.WithoutTrivia()))
                .WithTriviaFrom(statement)
                .WithAdditionalAnnotations(Microsoft.CodeAnalysis.Formatting.Formatter.Annotation);
            return editor => editor.ReplaceNode(statement, dual);
        }

        if (state.SemanticModel.GetTypeInfo(invocation, state.CancellationToken).Type is not { SpecialType: not SpecialType.System_Void })
        {
            return null;
        }

        var choice = SyntaxFactory.ParenthesizedExpression(
                SyntaxFactory.ConditionalExpression(
                    flag,
                    awaited.WithoutTrivia(),
                    invocation.WithoutTrivia()))
            .WithTriviaFrom(invocation);
        return editor => editor.ReplaceNode(invocation, choice);
    }

    // The test for the async side of the function's path parameter, or of a method around it that a
    // non-static lambda or local function captures: `async` for a `bool async` (`doAsync`, `useAsync`…),
    // `!sync` for a `bool sync`, `ioBehavior == IOBehavior.Asynchronous` for a mode enum
    // (`ioBehavior != IOBehavior.Synchronous` when it names only the synchronous member).
    private static ExpressionSyntax? DualPathFlag(SyntaxNode node, FixState state)
    {
        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            var parameters = current switch
            {
                BaseMethodDeclarationSyntax method => method.ParameterList.Parameters,
                LocalFunctionStatementSyntax local => local.ParameterList.Parameters,
                ParenthesizedLambdaExpressionSyntax lambda => lambda.ParameterList.Parameters,
                _ => default,
            };

            foreach (var parameter in parameters)
            {
                if (state.SemanticModel.GetDeclaredSymbol(parameter, state.CancellationToken) is { } symbol
                    && AsyncSideTest(symbol, node.SpanStart, state) is { } test)
                {
                    return test;
                }
            }

            if (current is BaseMethodDeclarationSyntax
                || (current is LocalFunctionStatementSyntax staticLocal && staticLocal.Modifiers.Any(SyntaxKind.StaticKeyword))
                || (current is AnonymousFunctionExpressionSyntax staticLambda && staticLambda.Modifiers.Any(SyntaxKind.StaticKeyword)))
            {
                return null;
            }
        }

        return null;
    }

    private static ExpressionSyntax? AsyncSideTest(IParameterSymbol parameter, int position, FixState state)
    {
        var name = SyntaxFactory.IdentifierName(parameter.Name);
        if (parameter.Type.SpecialType == SpecialType.System_Boolean)
        {
            if (parameter.Name.EndsWith("async", StringComparison.OrdinalIgnoreCase))
            {
                return name;
            }

            return SyncAsyncBranches.NamesTheSynchronousPath(parameter.Name) ? SyntaxFactory.PrefixUnaryExpression(SyntaxKind.LogicalNotExpression, name) : null;
        }

        if (parameter.Type is not INamedTypeSymbol { TypeKind: TypeKind.Enum } mode)
        {
            return null;
        }

        var (asyncMember, syncMember) = ((string?)null, (string?)null);
        foreach (var member in mode.MemberNames)
        {
            if (SyncAsyncBranches.NamesTheAsynchronousPath(member))
            {
                asyncMember ??= member;
            }
            else if (SyncAsyncBranches.NamesTheSynchronousPath(member))
            {
                syncMember ??= member;
            }
        }

        var (kind, memberName) = asyncMember is not null ? (SyntaxKind.EqualsExpression, asyncMember)
            : syncMember is not null ? (SyntaxKind.NotEqualsExpression, syncMember)
            : (SyntaxKind.None, null);
        if (memberName is null)
        {
            return null;
        }

        var type = SyntaxFactory.ParseTypeName(mode.ToMinimalDisplayString(state.SemanticModel, position));
        return SyntaxFactory.BinaryExpression(kind, name, SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, type, SyntaxFactory.IdentifierName(memberName)));
    }

    // Positional when the call passes every parameter of the original positionally; otherwise
    // named, so the token cannot land on an optional parameter the call left at its default.
    private static InvocationExpressionSyntax WithToken(InvocationExpressionSyntax call, IdentifierNameSyntax token, int originalParameterCount, string tokenName)
    {
        var arguments = call.ArgumentList.Arguments;
        var named = arguments.Count != originalParameterCount;
        foreach (var argument in arguments)
        {
            named |= argument.NameColon is not null;
        }

        var tokenArgument = SyntaxFactory.Argument(token);
        if (named)
        {
            tokenArgument = tokenArgument.WithNameColon(SyntaxFactory.NameColon(tokenName));
        }

        return call.WithArgumentList(call.ArgumentList.WithArguments(arguments.Add(tokenArgument)));
    }

    private static IMethodSymbol? Bind(InvocationExpressionSyntax candidate, InvocationExpressionSyntax original, string twinName, FixState state)
        => state.SemanticModel.GetSpeculativeSymbolInfo(original.SpanStart, candidate, SpeculativeBindingOption.BindAsExpression).Symbol is IMethodSymbol method
           && method.Name == twinName
            ? method
            : null;

    // A positional token must bind to the twin's CancellationToken parameter, not to an optional
    // parameter the original call left at its default.
    private static bool TokenLandsOnToken(InvocationExpressionSyntax call, IMethodSymbol twin, FixState state)
    {
        var arguments = call.ArgumentList.Arguments;
        var last = arguments[arguments.Count - 1];
        var parameter = last.NameColon is { } name
            ? FindParameter(twin, name.Name.Identifier.ValueText)
            : arguments.Count - 1 < twin.Parameters.Length ? twin.Parameters[arguments.Count - 1] : null;
        return SymbolEqualityComparer.Default.Equals(parameter?.Type, state.Symbols.CancellationToken);
    }

    private static IParameterSymbol? FindParameter(IMethodSymbol method, string name)
    {
        foreach (var parameter in method.Parameters)
        {
            if (parameter.Name == name)
            {
                return parameter;
            }
        }

        return null;
    }

    private static InvocationExpressionSyntax? Rename(InvocationExpressionSyntax invocation, string name)
    {
        static SimpleNameSyntax Renamed(SimpleNameSyntax old, string name) => old switch
        {
            GenericNameSyntax generic => generic.WithIdentifier(SyntaxFactory.Identifier(name).WithTriviaFrom(generic.Identifier)),
            _ => SyntaxFactory.IdentifierName(SyntaxFactory.Identifier(name).WithTriviaFrom(old.Identifier)),
        };

        return invocation.Expression switch
        {
            MemberAccessExpressionSyntax access => invocation.WithExpression(access.WithName(Renamed(access.Name, name))),
            SimpleNameSyntax simple => invocation.WithExpression(Renamed(simple, name)),
            _ => null,
        };
    }
}
