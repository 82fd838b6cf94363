using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.FindSymbols;

namespace Threadwise.Core;

/// <summary>
/// What fixes that change a method's signature across the files of its project share: finding every
/// call of the method in the project, and a Fix All that applies the one-document fixes first and
/// then each cross-file change on the solution as it stands (the method found again by its
/// documentation ID, since earlier changes move every span).
/// </summary>
internal static class CrossDocumentFix
{
    /// <summary>Every call of the method in the project, by document; null when a reference is not a
    /// call (a method group, a delegate) or lies outside the project. <c>nameof</c> is no use.</summary>
    public static async Task<Dictionary<DocumentId, List<InvocationExpressionSyntax>>?> CallsByDocumentAsync(
        IMethodSymbol symbol, Solution solution, ProjectId projectId, CancellationToken cancellationToken)
    {
        var calls = new Dictionary<DocumentId, List<InvocationExpressionSyntax>>();
        foreach (var referenced in await SymbolFinder.FindReferencesAsync(symbol, solution, cancellationToken).ConfigureAwait(false))
        {
            foreach (var location in referenced.Locations)
            {
                if (location.IsImplicit
                    || location.Document.Project.Id != projectId
                    || await location.Document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false) is not { } root
                    || root.FindNode(location.Location.SourceSpan, getInnermostNodeForTie: true) is not SimpleNameSyntax name)
                {
                    return null;
                }

                if (AsyncConversion.IsNameOf(name))
                {
                    continue;
                }

                var callee = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : (ExpressionSyntax)name;
                if (callee.Parent is not InvocationExpressionSyntax invocation || invocation.Expression != callee)
                {
                    return null;
                }

                if (!calls.TryGetValue(location.Document.Id, out var list))
                {
                    calls[location.Document.Id] = list = new List<InvocationExpressionSyntax>();
                }

                list.Add(invocation);
            }
        }

        return calls;
    }

    /// <summary>The ID a cross-file change finds its method by again.</summary>
    public static (ProjectId Project, string Method)? MethodId(Document document, SemanticModel model, SyntaxNode? declaration, CancellationToken cancellationToken)
        => declaration is not null
           && model.GetDeclaredSymbol(declaration, cancellationToken) is IMethodSymbol symbol
           && DocumentationCommentId.CreateDeclarationId(symbol) is { } id
            ? (document.Project.Id, id)
            : null;

    /// <summary>A Fix All for a provider whose fix edits one document where it can and the method's
    /// callers across the project where it must.</summary>
    public sealed class FixAll : FixAllProvider
    {
        private readonly ThreadwiseCodeFixProvider _provider;
        private readonly Func<FixState, Diagnostic, (ProjectId Project, string Method)?> _methodOf;
        private readonly Func<Solution, ProjectId, string, CancellationToken, Task<Solution?>> _convert;

        public FixAll(
            ThreadwiseCodeFixProvider provider,
            Func<FixState, Diagnostic, (ProjectId Project, string Method)?> methodOf,
            Func<Solution, ProjectId, string, CancellationToken, Task<Solution?>> convert)
        {
            _provider = provider;
            _methodOf = methodOf;
            _convert = convert;
        }

        public override async Task<CodeAction?> GetFixAsync(FixAllContext context)
        {
            var found = new List<(Document Document, ImmutableArray<Diagnostic> Diagnostics)>();
            foreach (var document in DocumentsInScope(context))
            {
                var diagnostics = await context.GetDocumentDiagnosticsAsync(document).ConfigureAwait(false);
                if (!diagnostics.IsEmpty)
                {
                    found.Add((document, diagnostics));
                }
            }

            return found.Count == 0
                ? null
                : CodeAction.Create(_provider.Title, ct => FixAllAsync(context.Solution, found, ct), context.CodeActionEquivalenceKey);
        }

        private static IEnumerable<Document> DocumentsInScope(FixAllContext context)
            => context.Scope switch
            {
                FixAllScope.Document when context.Document is not null => new[] { context.Document },
                FixAllScope.Project => context.Project.Documents,
                FixAllScope.Solution => context.Solution.Projects.SelectMany(p => p.Documents),
                _ => Array.Empty<Document>(),
            };

        private async Task<Solution> FixAllAsync(Solution solution, List<(Document Document, ImmutableArray<Diagnostic> Diagnostics)> found, CancellationToken cancellationToken)
        {
            var acrossDocuments = new List<(ProjectId Project, string Method)>();
            foreach (var (document, diagnostics) in found)
            {
                if (await FixState.CreateAsync(document, cancellationToken).ConfigureAwait(false) is not { } state)
                {
                    continue;
                }

                var local = ImmutableArray.CreateBuilder<Diagnostic>();
                foreach (var diagnostic in diagnostics)
                {
                    if (_provider.CreateFix(state, diagnostic) is not null)
                    {
                        local.Add(diagnostic);
                    }
                    else if (_methodOf(state, diagnostic) is { } method && !acrossDocuments.Contains(method))
                    {
                        acrossDocuments.Add(method);
                    }
                }

                if (local.Count > 0)
                {
                    var fixedDocument = await _provider.FixDocumentAsync(document, local.ToImmutable(), cancellationToken).ConfigureAwait(false);
                    solution = solution.WithDocumentSyntaxRoot(document.Id, (await fixedDocument.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false))!);
                }
            }

            foreach (var (projectId, id) in acrossDocuments)
            {
                solution = await _convert(solution, projectId, id, cancellationToken).ConfigureAwait(false) ?? solution;
            }

            return solution;
        }
    }
}
