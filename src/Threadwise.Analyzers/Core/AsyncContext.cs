using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// Answers "is this operation running inside async code, and which function owns it?".
/// The owner is the innermost method, local function, lambda or anonymous method whose body
/// holds the operation: a plain lambda inside an async method runs whenever its caller invokes
/// it, so it is not async context even though its parent is.
/// </summary>
internal static class AsyncContext
{
    /// <summary>An <c>await</c> in syntax: <c>await x</c>, <c>await foreach</c>, <c>await using</c> (statement
    /// or declaration).</summary>
    public static bool IsAwait(SyntaxNode node) => node switch
    {
        AwaitExpressionSyntax => true,
        CommonForEachStatementSyntax @foreach => @foreach.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword),
        UsingStatementSyntax @using => @using.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword),
        LocalDeclarationStatementSyntax declaration => declaration.AwaitKeyword.IsKind(SyntaxKind.AwaitKeyword),
        _ => false,
    };

    /// <summary>The expression under <c>.ConfigureAwait(…)</c> in syntax (<c>x.WaitAsync()</c> of
    /// <c>x.WaitAsync().ConfigureAwait(false)</c>), or the expression itself.</summary>
    public static ExpressionSyntax WithoutConfigureAwait(ExpressionSyntax expression)
        => expression is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "ConfigureAwait", Expression: var configured } }
            ? configured
            : expression;

    /// <summary>The innermost function whose body contains <paramref name="operation"/>, or null
    /// when it is not in a function body (a field initializer, an attribute argument).</summary>
    public static IMethodSymbol? GetEnclosingFunction(IOperation operation, ISymbol containingSymbol)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            switch (current)
            {
                case IAnonymousFunctionOperation lambda:
                    return lambda.Symbol;
                case ILocalFunctionOperation localFunction:
                    return localFunction.Symbol;
            }
        }

        return containingSymbol as IMethodSymbol;
    }

    /// <summary>The innermost function owning <paramref name="operation"/> when it is async (an
    /// async method, async local function, async lambda, async anonymous method, async iterator or
    /// top-level statements that await); null when the operation is not in async context.</summary>
    public static IMethodSymbol? GetAsyncFunction(IOperation operation, ISymbol containingSymbol)
        => GetEnclosingFunction(operation, containingSymbol) is { IsAsync: true } function ? function : null;

    /// <summary>The body of the innermost function containing <paramref name="operation"/>: the
    /// root of the operation tree, or the body of the lambda or local function around it.</summary>
    public static IOperation GetFunctionBody(IOperation operation)
    {
        var current = operation;
        while (current.Parent is not null)
        {
            if (current.Parent is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return current;
            }

            current = current.Parent;
        }

        return current;
    }

    /// <summary>The same question of syntax: <paramref name="node"/> sits in a lambda or local function
    /// nested in <paramref name="scope"/>, which may run any number of times, at any time.</summary>
    public static bool IsInNestedFunction(SyntaxNode node, SyntaxNode scope)
    {
        for (var current = node.Parent; current is not null && current != scope; current = current.Parent)
        {
            if (current is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>True when <paramref name="operation"/> sits in a lambda or local function nested in
    /// <paramref name="body"/>, so it runs when that is invoked, not where it is written.</summary>
    public static bool IsInNestedFunction(IOperation operation, IOperation body)
    {
        if (operation == body)
        {
            // `async ? await x.ReadAsync(…) : x.Read(…)`: the branch is the await itself.
            return false;
        }

        for (var current = operation.Parent; current is not null && current != body; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Names the function for a diagnostic message: "async method 'LoadAsync'",
    /// "async lambda", "async local function 'Poll'", "async top-level statements".</summary>
    public static string Describe(IMethodSymbol function)
    {
        var prefix = function.IsAsync ? "async " : string.Empty;
        return function.MethodKind switch
        {
            MethodKind.AnonymousFunction when IsAnonymousMethod(function) => prefix + "anonymous method",
            MethodKind.AnonymousFunction => prefix + "lambda",
            MethodKind.LocalFunction => prefix + "local function '" + function.Name + "'",
            _ when function.Name == WellKnownMemberNames.TopLevelStatementsEntryPointMethodName => prefix + "top-level statements",
            _ => prefix + "method '" + function.Name + "'",
        };
    }

    private static bool IsAnonymousMethod(IMethodSymbol function)
        => function.DeclaringSyntaxReferences.Length == 1
           && function.DeclaringSyntaxReferences[0].GetSyntax() is AnonymousMethodExpressionSyntax;
}
