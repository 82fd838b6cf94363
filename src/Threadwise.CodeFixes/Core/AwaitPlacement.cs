using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace Threadwise.Core;

/// <summary>
/// Questions every "make it await" fix asks about the place it edits: may an <c>await</c> go
/// here, which <see cref="System.Threading.CancellationToken"/> can it forward, and how to
/// name a BCL type so the fix adds its <c>using</c> instead of spelling it out.
/// </summary>
internal static class AwaitPlacement
{
    /// <summary>
    /// False where C# forbids <c>await</c> or where inserting one would break code that compiles
    /// today: inside a <c>lock</c> body, an unsafe context, a catch filter, or a function that
    /// holds a ref struct local (it cannot live across the new await); and in a function that takes
    /// a parameter naming its sync/async path, where the await would change the synchronous path.
    /// </summary>
    public static bool CanAwaitAt(SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
        => CanAwaitAt(node, model, functionWillBeAsync: false, cancellationToken);

    /// <summary>As <see cref="CanAwaitAt(SyntaxNode, SemanticModel, CancellationToken)"/>; with
    /// <paramref name="functionWillBeAsync"/>, for a fix that is about to make the function async.</summary>
    public static bool CanAwaitAt(SyntaxNode node, SemanticModel model, bool functionWillBeAsync, CancellationToken cancellationToken)
        => CanAwaitAt(node, model, functionWillBeAsync, pathKeptByTheFix: false, cancellationToken);

    /// <summary>As above; with <paramref name="pathKeptByTheFix"/>, for a fix that puts its await on the
    /// async side of the function's path parameter itself (TW1004's dual-path form).</summary>
    public static bool CanAwaitAt(SyntaxNode node, SemanticModel model, bool functionWillBeAsync, bool pathKeptByTheFix, CancellationToken cancellationToken)
    {
        if (IsConditionallyAccessed(node))
        {
            return false;
        }

        for (var current = node.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case LockStatementSyntax:
                case UnsafeStatementSyntax:
                case CatchFilterClauseSyntax:
                case QueryExpressionSyntax:
                    return false;
                case AnonymousFunctionExpressionSyntax lambda:
                    return (functionWillBeAsync || lambda.AsyncKeyword.IsKind(SyntaxKind.AsyncKeyword))
                           && !HasRefLikeLocalBefore(lambda, node, model, cancellationToken)
                           && (pathKeptByTheFix || !ServesBothPaths(model.GetSymbolInfo(lambda, cancellationToken).Symbol));
                case LocalFunctionStatementSyntax local:
                    return (functionWillBeAsync || local.Modifiers.Any(SyntaxKind.AsyncKeyword))
                           && !local.Modifiers.Any(SyntaxKind.UnsafeKeyword)
                           && !HasRefLikeLocalBefore(local, node, model, cancellationToken)
                           && (pathKeptByTheFix || !ServesBothPaths(model.GetDeclaredSymbol(local, cancellationToken)));
                case BaseMethodDeclarationSyntax method:
                    return (functionWillBeAsync || method.Modifiers.Any(SyntaxKind.AsyncKeyword))
                           && !method.Modifiers.Any(SyntaxKind.UnsafeKeyword)
                           && !IsInUnsafeType(method)
                           && !HasRefLikeLocalBefore(method, node, model, cancellationToken)
                           && (pathKeptByTheFix || !ServesBothPaths(model.GetDeclaredSymbol(method, cancellationToken)));
                case GlobalStatementSyntax:
                    return !HasRefLikeLocalBefore(current.Parent!, node, model, cancellationToken);
                case AccessorDeclarationSyntax:
                case TypeDeclarationSyntax:
                    return false;
            }
        }

        return false;
    }

    // `async Task WriteAsync(IOBehavior ioBehavior, …)` also runs for synchronous callers, which block
    // on its task: an await added outside the async branch would make their path asynchronous I/O
    // they then block on (sync-over-async the method was written to avoid). The diagnostic stays.
    private static bool ServesBothPaths(ISymbol? function)
        => function is IMethodSymbol method && SyncAsyncBranches.TakesAPathParameter(method);

    /// <summary>
    /// A <c>CancellationToken</c> parameter or local that is in scope and already assigned at
    /// <paramref name="node"/>, preferring the innermost one; null when there is none.
    /// </summary>
    public static IdentifierNameSyntax? FindCancellationToken(SyntaxNode node, SemanticModel model, INamedTypeSymbol? cancellationTokenType)
    {
        if (cancellationTokenType is null)
        {
            return null;
        }

        var position = node.SpanStart;
        var staticBoundary = InnermostStaticFunction(node);
        ISymbol? best = null;
        var bestPosition = -1;
        foreach (var symbol in model.LookupSymbols(position))
        {
            var type = symbol switch
            {
                ILocalSymbol local => local.Type,
                IParameterSymbol { RefKind: not RefKind.Out } parameter => parameter.Type,
                _ => null,
            };
            if (!SymbolEqualityComparer.Default.Equals(type, cancellationTokenType))
            {
                continue;
            }

            var declaration = symbol.DeclaringSyntaxReferences.Length > 0 ? symbol.DeclaringSyntaxReferences[0].GetSyntax() : null;
            if (declaration is null
                || declaration.SyntaxTree != node.SyntaxTree
                || (symbol is ILocalSymbol && declaration.Span.End > position)
                || (staticBoundary is not null && !staticBoundary.Span.Contains(declaration.Span)))
            {
                continue;
            }

            if (declaration.SpanStart > bestPosition)
            {
                best = symbol;
                bestPosition = declaration.SpanStart;
            }
        }

        return best is null ? null : SyntaxFactory.IdentifierName(best.Name);
    }

    /// <summary>The type as an expression that simplifies to its short name and adds the
    /// <c>using</c> it needs when the code action's clean-up runs.</summary>
    public static ExpressionSyntax TypeExpression(SyntaxGenerator generator, ITypeSymbol type)
        => ((ExpressionSyntax)generator.TypeExpression(type, addImport: true))
            .WithAdditionalAnnotations(Simplifier.Annotation, Simplifier.AddImportsAnnotation);

    /// <summary><c>await expression</c> to stand where <paramref name="replaced"/> stood: keeps its
    /// trivia, and is parenthesized where the parent binds tighter than <c>await</c>
    /// (<c>(await t).Length</c>, <c>(await t)[0]</c>, <c>(await t)!</c>).
    /// <para>When <paramref name="awaitsATask"/> (the awaited value is a Task, Task&lt;T&gt;, ValueTask or
    /// ValueTask&lt;T&gt;) and the enclosing function already writes <c>.ConfigureAwait(false)</c>, the new
    /// await keeps that convention: a library that avoids its caller's context everywhere must not
    /// gain one await that captures it (a deadlock for callers that block on it under a
    /// SynchronizationContext; found applying fixes to MailKit).</para></summary>
    public static ExpressionSyntax Await(ExpressionSyntax expression, SyntaxNode replaced, bool awaitsATask = false)
    {
        if (awaitsATask && InFunctionUsingConfigureAwaitFalse(replaced) && !IsConfigured(expression))
        {
            expression = ConfigureAwaitFalse(expression.WithoutTrivia());
        }

        var awaited = SyntaxFactory.AwaitExpression(expression.WithoutTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);
        ExpressionSyntax result = NeedsParentheses(replaced) ? SyntaxFactory.ParenthesizedExpression(awaited) : awaited;
        return result.WithTriviaFrom(replaced);
    }

    // `_promise?.TrySetCanceledAsync();` (Discord.Net): awaiting it would await null when `_promise` is
    // null and throw, where the statement did nothing (and `await x?.M().ConfigureAwait(false)` does not
    // even compile). A call reached through `?.` is not awaited; TW4002's discard fix still applies.
    private static bool IsConditionallyAccessed(SyntaxNode node)
    {
        var expression = node;
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        if (expression is ConditionalAccessExpressionSyntax)
        {
            return true;
        }

        for (var current = node; current.Parent is { } parent && parent is ExpressionSyntax; current = parent)
        {
            if (parent is ConditionalAccessExpressionSyntax access && access.WhenNotNull == current)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="scope"/> already writes <c>.ConfigureAwait(false)</c>: a
    /// fix that adds an await keeps to that convention.</summary>
    public static bool UsesConfigureAwaitFalse(SyntaxNode scope)
    {
        foreach (var descendant in scope.DescendantNodes())
        {
            if (descendant is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" }, ArgumentList.Arguments: { Count: 1 } arguments }
                && arguments[0].Expression.IsKind(SyntaxKind.FalseLiteralExpression))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when the function around <paramref name="node"/> (method, accessor, lambda or
    /// local function) already writes <c>.ConfigureAwait(false)</c>: new awaits keep to it.</summary>
    public static bool InFunctionUsingConfigureAwaitFalse(SyntaxNode? node)
    {
        var function = node?.FirstAncestorOrSelf<SyntaxNode>(n => n is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or BaseMethodDeclarationSyntax or AccessorDeclarationSyntax);
        return function is not null && UsesConfigureAwaitFalse(function);
    }

    /// <summary>True when <paramref name="awaited"/> is a Task, Task&lt;T&gt;, ValueTask or
    /// ValueTask&lt;T&gt;: what <c>ConfigureAwait(false)</c> applies to. An expression the fix built
    /// (not in the document) is TaskWaitRewriter's <c>t.WaitAsync(token)</c>, a Task.</summary>
    public static bool IsTask(ExpressionSyntax awaited, FixState state)
        => awaited.SyntaxTree != state.SemanticModel.SyntaxTree
           || state.Symbols.IsTaskType(state.SemanticModel.GetTypeInfo(awaited, state.CancellationToken).Type);

    private static bool IsConfigured(ExpressionSyntax expression)
        => expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait" } };

    /// <summary><c>awaitable.ConfigureAwait(false)</c>.</summary>
    public static ExpressionSyntax ConfigureAwaitFalse(ExpressionSyntax awaitable)
        => SyntaxFactory.InvocationExpression(
            SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, awaitable, SyntaxFactory.IdentifierName("ConfigureAwait")),
            SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression)))));

    private static bool NeedsParentheses(SyntaxNode replaced) => replaced.Parent switch
    {
        MemberAccessExpressionSyntax access => access.Expression == replaced,
        ConditionalAccessExpressionSyntax access => access.Expression == replaced,
        ElementAccessExpressionSyntax access => access.Expression == replaced,
        InvocationExpressionSyntax invocation => invocation.Expression == replaced,
        PostfixUnaryExpressionSyntax => true,
        _ => false,
    };

    private static SyntaxNode? InnermostStaticFunction(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            switch (ancestor)
            {
                case AnonymousFunctionExpressionSyntax lambda when lambda.Modifiers.Any(SyntaxKind.StaticKeyword):
                    return lambda;
                case LocalFunctionStatementSyntax local when local.Modifiers.Any(SyntaxKind.StaticKeyword):
                    return local;
                case BaseMethodDeclarationSyntax or TypeDeclarationSyntax:
                    return null;
            }
        }

        return null;
    }

    private static bool IsInUnsafeType(SyntaxNode node)
    {
        foreach (var type in node.Ancestors())
        {
            if (type is TypeDeclarationSyntax declaration && declaration.Modifiers.Any(SyntaxKind.UnsafeKeyword))
            {
                return true;
            }
        }

        return false;
    }

    // A ref struct local (Span<T>, ReadOnlySpan<T>, ...) declared before the new await may be used
    // after it, which C# rejects (CS4007/CS4012); rather than prove it is not, offer no fix.
    private static bool HasRefLikeLocalBefore(SyntaxNode function, SyntaxNode node, SemanticModel model, CancellationToken cancellationToken)
    {
        foreach (var descendant in function.DescendantNodes(n => n == function || n is not AnonymousFunctionExpressionSyntax and not LocalFunctionStatementSyntax))
        {
            if (descendant.SpanStart >= node.SpanStart)
            {
                break;
            }

            if (descendant is VariableDeclaratorSyntax or SingleVariableDesignationSyntax
                && model.GetDeclaredSymbol(descendant, cancellationToken) is ILocalSymbol { Type.IsRefLikeType: true })
            {
                return true;
            }
        }

        return false;
    }
}
