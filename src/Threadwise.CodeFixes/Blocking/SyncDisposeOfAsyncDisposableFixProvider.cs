using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Threadwise.Core;

namespace Threadwise.Blocking;

/// <summary>
/// TW1008 fix: <c>using</c> becomes <c>await using</c>; <c>x.Dispose();</c> becomes
/// <c>await x.DisposeAsync();</c>. In a method that uses <c>ConfigureAwait(false)</c>, the call form
/// keeps it (<c>await x.DisposeAsync().ConfigureAwait(false);</c>), and the <c>using</c> forms keep the
/// resource in a plain local and <c>await using</c> its configured disposable (see ConfiguredUsingFix).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(SyncDisposeOfAsyncDisposableFixProvider))]
public sealed class SyncDisposeOfAsyncDisposableFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW1008SyncDisposeOfAsyncDisposable.Id);

    protected internal override string Title => "Dispose asynchronously";

    protected internal override string TitleFor(FixState state, Diagnostic diagnostic)
        => FlushesFirst(diagnostic) ? "Flush with 'await FlushAsync()' before the end of the using"
            : state.Root.FindToken(diagnostic.Location.SourceSpan.Start).IsKind(SyntaxKind.UsingKeyword)
            ? "Use 'await using'"
            : "Use 'await DisposeAsync()'";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        var token = state.Root.FindToken(diagnostic.Location.SourceSpan.Start);
        var usesConfigureAwait = AwaitPlacement.InFunctionUsingConfigureAwaitFalse(token.Parent);
        if (FlushesFirst(diagnostic))
        {
            return token.IsKind(SyntaxKind.UsingKeyword) ? FlushFirstFix(token.Parent, usesConfigureAwait) : null;
        }

        if (token.IsKind(SyntaxKind.UsingKeyword))
        {
            if (usesConfigureAwait)
            {
                return ConfiguredUsingFix(token.Parent, state);
            }

            switch (token.Parent)
            {
                case UsingStatementSyntax statement when statement.AwaitKeyword.IsKind(SyntaxKind.None):
                    return editor => editor.ReplaceNode(statement, (current, _) =>
                    {
                        var node = (UsingStatementSyntax)current;
                        return node.WithAwaitKeyword(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithLeadingTrivia(node.UsingKeyword.LeadingTrivia).WithTrailingTrivia(SyntaxFactory.Space))
                            .WithUsingKeyword(node.UsingKeyword.WithLeadingTrivia());
                    });
                case LocalDeclarationStatementSyntax declaration when declaration.AwaitKeyword.IsKind(SyntaxKind.None):
                    return editor => editor.ReplaceNode(declaration, (current, _) =>
                    {
                        var node = (LocalDeclarationStatementSyntax)current;
                        return node.WithAwaitKeyword(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithLeadingTrivia(node.UsingKeyword.LeadingTrivia).WithTrailingTrivia(SyntaxFactory.Space))
                            .WithUsingKeyword(node.UsingKeyword.WithLeadingTrivia());
                    });
                default:
                    return null;
            }
        }

        if (state.FindNode<InvocationExpressionSyntax>(diagnostic) is not { Expression: MemberAccessExpressionSyntax access, Parent: ExpressionStatementSyntax } call
            || !HasPublicDisposeAsync(access.Expression, state))
        {
            return null;
        }

        return editor => editor.ReplaceNode(call, (current, _) =>
        {
            var node = (InvocationExpressionSyntax)current;
            var memberAccess = (MemberAccessExpressionSyntax)node.Expression;
            ExpressionSyntax disposeAsync = SyntaxFactory.InvocationExpression(memberAccess.WithName(SyntaxFactory.IdentifierName("DisposeAsync")));
            if (usesConfigureAwait)
            {
                disposeAsync = AwaitPlacement.ConfigureAwaitFalse(disposeAsync);
            }

            return SyntaxFactory.AwaitExpression(disposeAsync.WithoutTrivia())
                .WithTriviaFrom(node)
                .WithAdditionalAnnotations(Formatter.Annotation);
        });
    }

    private static bool FlushesFirst(Diagnostic diagnostic)
        => diagnostic.Properties.TryGetValue(SyncDisposeOfAsyncDisposableAnalyzer.RemedyKey, out var remedy)
           && remedy == SyncDisposeOfAsyncDisposableAnalyzer.FlushRemedy;

    // A writer in a project whose other target frameworks have no `await using` for it: the scope ends with
    // `await writer.FlushAsync();` (configured like the function's other awaits), so the synchronous dispose
    // finds nothing left to write.
    //   using (var writer = new StreamWriter(stream)) { await writer.WriteAsync(css); }
    //   → using (var writer = new StreamWriter(stream)) { await writer.WriteAsync(css); await writer.FlushAsync(); }
    // A body that is a single statement becomes a block.
    private static Action<SyntaxEditor>? FlushFirstFix(SyntaxNode? node, bool usesConfigureAwait)
    {
        var (name, last) = node switch
        {
            UsingStatementSyntax { Declaration.Variables: { Count: 1 } declared, Statement: BlockSyntax { Statements.Count: > 0 } body }
                => (declared[0].Identifier.ValueText, body.Statements[body.Statements.Count - 1]),
            UsingStatementSyntax { Declaration.Variables: { Count: 1 } declared, Statement: { } single }
                => (declared[0].Identifier.ValueText, single),
            LocalDeclarationStatementSyntax { Declaration.Variables: { Count: 1 } declared, Parent: BlockSyntax block }
                => (declared[0].Identifier.ValueText, block.Statements[block.Statements.Count - 1]),
            _ => (null, null),
        };
        if (name is null || last is null)
        {
            return null;
        }

        var flush = "await " + name + ".FlushAsync()" + (usesConfigureAwait ? ".ConfigureAwait(false)" : string.Empty) + ";";
        if (last.Parent is BlockSyntax)
        {
            return editor => editor.InsertAfter(last, ParsedLike(last, flush));
        }

        return editor => editor.ReplaceNode(last, (current, _) =>
            SyntaxFactory.Block(
                    ((StatementSyntax)current.WithoutTrivia()).WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed),
                    SyntaxFactory.ParseStatement(flush).WithTrailingTrivia(SyntaxFactory.ElasticCarriageReturnLineFeed))
                .WithTriviaFrom(current)
                .WithAdditionalAnnotations(Formatter.Annotation));
    }

    // In a function that writes `.ConfigureAwait(false)` everywhere the dispose must not capture the
    // context either, and `await using (var x = …ConfigureAwait(false))` would change x's type. So the
    // resource is kept in a plain local and the configured disposable is what `await using` holds:
    //   using var rs = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
    //   → var rs = await cmd.ExecuteReaderAsync(ct).ConfigureAwait(false);
    //     await using var rsDisposal = rs.ConfigureAwait(false);
    // `using (var x = …) body` becomes `var x = …; await using (x.ConfigureAwait(false)) body` (in a new
    // block when x's name is declared again later in the same block). Only for a resource known not to be
    // null (`using` skips a null one; the configured disposable would throw), with one declarator, where
    // `ConfigureAwait` on IAsyncDisposable binds.
    private static Action<SyntaxEditor>? ConfiguredUsingFix(SyntaxNode? node, FixState state)
    {
        if (node is null || !ConfigureAwaitBinds(node.SpanStart, state))
        {
            return null;
        }

        switch (node)
        {
            case LocalDeclarationStatementSyntax { AwaitKeyword.RawKind: 0, Declaration.Variables.Count: 1, Parent: BlockSyntax } declaration
                when declaration.Declaration.Variables[0].Initializer is { } initializer && IsNeverNull(initializer.Value, state):
            {
                var name = declaration.Declaration.Variables[0].Identifier.ValueText;
                var disposal = FreeName(name + "Disposal", declaration, state);
                return editor =>
                {
                    editor.InsertAfter(declaration, ParsedLike(declaration, "await using var " + disposal + " = " + name + ".ConfigureAwait(false);"));
                    editor.ReplaceNode(declaration, (current, _) =>
                    {
                        var plain = (LocalDeclarationStatementSyntax)current;
                        return plain.WithUsingKeyword(default)
                            .WithDeclaration(plain.Declaration.WithLeadingTrivia(plain.UsingKeyword.LeadingTrivia));
                    });
                };
            }

            case UsingStatementSyntax { AwaitKeyword.RawKind: 0, Declaration: { Variables.Count: 1 } declared, Parent: BlockSyntax block } statement
                when declared.Variables[0].Initializer is { } initializer && IsNeverNull(initializer.Value, state)
                     && !DeclaredAgainAfter(statement, block, declared.Variables[0].Identifier.ValueText):
            {
                var name = declared.Variables[0].Identifier.ValueText;
                return editor =>
                {
                    // The local takes the using's place in the layout (a blank line or comment above stays above it).
                    var local = ParsedLike(statement, declared.WithoutTrivia().ToFullString() + ";");
                    editor.InsertBefore(statement, local.WithLeadingTrivia(statement.GetLeadingTrivia()));
                    editor.ReplaceNode(statement, (current, _) =>
                    {
                        var node = (UsingStatementSyntax)current;
                        return node.WithDeclaration(null)
                            .WithExpression(SyntaxFactory.ParseExpression(name + ".ConfigureAwait(false)"))
                            .WithAwaitKeyword(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithLeadingTrivia(local.GetLeadingTrivia()).WithTrailingTrivia(SyntaxFactory.Space))
                            .WithUsingKeyword(node.UsingKeyword.WithLeadingTrivia());
                    });
                };
            }

            case UsingStatementSyntax { AwaitKeyword.RawKind: 0, Declaration: null, Expression: { } resource } statement
                when IsNeverNull(resource, state):
                return editor => editor.ReplaceNode(statement, (current, _) =>
                {
                    var node = (UsingStatementSyntax)current;
                    var configured = SyntaxFactory.InvocationExpression(
                        SyntaxFactory.MemberAccessExpression(SyntaxKind.SimpleMemberAccessExpression, Receiver(node.Expression!.WithoutTrivia()), SyntaxFactory.IdentifierName("ConfigureAwait")),
                        SyntaxFactory.ArgumentList(SyntaxFactory.SingletonSeparatedList(SyntaxFactory.Argument(SyntaxFactory.LiteralExpression(SyntaxKind.FalseLiteralExpression)))));
                    return node.WithExpression(configured.WithTriviaFrom(node.Expression!))
                        .WithAwaitKeyword(SyntaxFactory.Token(SyntaxKind.AwaitKeyword).WithLeadingTrivia(node.UsingKeyword.LeadingTrivia).WithTrailingTrivia(SyntaxFactory.Space))
                        .WithUsingKeyword(node.UsingKeyword.WithLeadingTrivia());
                });

            default:
                return null;
        }
    }

    // `await x` must be parenthesized before `.ConfigureAwait(false)`; names, calls and member reads need not.
    private static ExpressionSyntax Receiver(ExpressionSyntax expression)
        => expression is IdentifierNameSyntax or MemberAccessExpressionSyntax or InvocationExpressionSyntax or ObjectCreationExpressionSyntax or ParenthesizedExpressionSyntax
            ? expression
            : SyntaxFactory.ParenthesizedExpression(expression);

    // A statement in the layout of `model`: its indentation, and its line ending.
    private static StatementSyntax ParsedLike(StatementSyntax model, string text)
    {
        var first = model.GetFirstToken();
        var indentation = first.LeadingTrivia.Count > 0 && first.LeadingTrivia[first.LeadingTrivia.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia)
            ? first.LeadingTrivia[first.LeadingTrivia.Count - 1]
            : SyntaxFactory.Whitespace(string.Empty);
        var lineEnd = model.GetLastToken().TrailingTrivia is var trailing && trailing.Count > 0 && trailing[trailing.Count - 1].IsKind(SyntaxKind.EndOfLineTrivia)
            ? trailing[trailing.Count - 1]
            : SyntaxFactory.ElasticCarriageReturnLineFeed;
        return SyntaxFactory.ParseStatement(text)
            .WithLeadingTrivia(indentation)
            .WithTrailingTrivia(lineEnd);
    }

    // `using` skips a null resource; `x.ConfigureAwait(false)` on null would throw when disposed.
    private static bool IsNeverNull(ExpressionSyntax resource, FixState state)
        => resource is ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax
           || state.SemanticModel.GetTypeInfo(resource, state.CancellationToken).Nullability.FlowState == NullableFlowState.NotNull;

    // `ConfigureAwait` on IAsyncDisposable (System.Threading.Tasks.TaskAsyncEnumerableExtensions) is in scope.
    private static bool ConfigureAwaitBinds(int position, FixState state)
        => state.SemanticModel.GetSpeculativeSymbolInfo(
                position,
                SyntaxFactory.ParseExpression("default(System.IAsyncDisposable).ConfigureAwait(false)"),
                SpeculativeBindingOption.BindAsExpression).Symbol is IMethodSymbol { Name: "ConfigureAwait" };

    private static string FreeName(string preferred, SyntaxNode at, FixState state)
    {
        var name = preferred;
        for (var i = 2; !state.SemanticModel.LookupSymbols(at.SpanStart, name: name).IsEmpty || IsDeclaredIn(at.Parent!, name); i++)
        {
            name = preferred + i;
        }

        return name;
    }

    // The name is declared (as a local, pattern variable, loop variable, parameter or local function)
    // in a statement after `statement` in its block: moving the resource out of the using would clash.
    private static bool DeclaredAgainAfter(StatementSyntax statement, BlockSyntax block, string name)
    {
        var after = false;
        foreach (var sibling in block.Statements)
        {
            if (after && IsDeclaredIn(sibling, name))
            {
                return true;
            }

            after |= sibling == statement;
        }

        return false;
    }

    private static bool IsDeclaredIn(SyntaxNode scope, string name)
    {
        foreach (var node in scope.DescendantNodesAndSelf())
        {
            var declared = node switch
            {
                VariableDeclaratorSyntax variable => variable.Identifier,
                SingleVariableDesignationSyntax designation => designation.Identifier,
                ForEachStatementSyntax loop => loop.Identifier,
                ParameterSyntax parameter => parameter.Identifier,
                LocalFunctionStatementSyntax function => function.Identifier,
                CatchDeclarationSyntax @catch => @catch.Identifier,
                _ => default,
            };

            if (declared.ValueText == name)
            {
                return true;
            }
        }

        return false;
    }

    // An explicit IAsyncDisposable implementation has no `x.DisposeAsync()` to call.
    private static bool HasPublicDisposeAsync(ExpressionSyntax receiver, FixState state)
    {
        if (state.SemanticModel.GetTypeInfo(receiver, state.CancellationToken).Type is not { } type)
        {
            return false;
        }

        for (var current = type; current is not null; current = current.BaseType)
        {
            foreach (var member in current.GetMembers("DisposeAsync"))
            {
                if (member is IMethodSymbol { Parameters.Length: 0, DeclaredAccessibility: Accessibility.Public, IsStatic: false })
                {
                    return true;
                }
            }
        }

        return type.TypeKind == TypeKind.Interface;
    }
}
