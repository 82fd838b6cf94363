using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.Editing;

namespace Threadwise.Core;

/// <summary>
/// The shape every Threadwise fix shares: a rule decides, per diagnostic and on the unchanged
/// document, whether it can fix it and how (<see cref="CreateFix"/>); this class offers that as a
/// code action and applies many of them to one document in a single edit for Fix All, so that
/// fixes in the same document compose and imports are added once.
/// </summary>
public abstract class ThreadwiseCodeFixProvider : CodeFixProvider
{
    /// <summary>The code action's title, shown in the light bulb.</summary>
    protected abstract string Title { get; }

    /// <summary>Groups the actions Fix All applies together; distinct per fix when a rule has several.</summary>
    protected virtual string? EquivalenceKey => null;

    public sealed override FixAllProvider GetFixAllProvider()
        => FixAllProvider.Create(async (fixAllContext, document, diagnostics) =>
            await FixDocumentAsync(document, diagnostics, fixAllContext.CancellationToken).ConfigureAwait(false));

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var state = await FixState.CreateAsync(context.Document, context.CancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            if (CreateFix(state, diagnostic) is null)
            {
                continue;
            }

            var document = context.Document;
            var single = ImmutableArray.Create(diagnostic);
            context.RegisterCodeFix(
                CodeAction.Create(Title, ct => FixDocumentAsync(document, single, ct), equivalenceKey: EquivalenceKey ?? diagnostic.Id),
                diagnostic);
        }
    }

    /// <summary>Returns the edit that fixes <paramref name="diagnostic"/>, or null when this
    /// occurrence cannot be fixed safely (the diagnostic still stands; only the fix is withheld).</summary>
    protected abstract Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic);

    private async Task<Document> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var state = await FixState.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            return document;
        }

        var fixes = new List<Action<SyntaxEditor>>(diagnostics.Length);
        foreach (var diagnostic in diagnostics)
        {
            if (CreateFix(state, diagnostic) is { } fix)
            {
                fixes.Add(fix);
            }
        }

        if (fixes.Count == 0)
        {
            return document;
        }

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        foreach (var fix in fixes)
        {
            try
            {
                fix(editor);
            }
            catch (InvalidOperationException) when (fixes.Count > 1)
            {
                // Fix All over overlapping findings (a wait inside a wait): an edit whose node an
                // earlier edit already replaced is skipped; the finding stays for the next pass.
            }
        }

        return editor.GetChangedDocument();
    }
}

/// <summary>What a fix needs to know about the document it edits.</summary>
public sealed class FixState
{
    private readonly HashSet<object> _done = new();

    private FixState(Document document, SyntaxNode root, SemanticModel semanticModel, CancellationToken cancellationToken)
    {
        Document = document;
        Root = root;
        SemanticModel = semanticModel;
        CancellationToken = cancellationToken;
    }

    public Document Document { get; }

    public SyntaxNode Root { get; }

    public SemanticModel SemanticModel { get; }

    public CancellationToken CancellationToken { get; }

    internal KnownSymbols Symbols => KnownSymbols.For(SemanticModel.Compilation);

    /// <summary>True the first time it is asked about <paramref name="key"/> in this fix pass: lets
    /// Fix All make an edit that several diagnostics share (convert a method once) only once.</summary>
    public bool FirstTime(object key) => _done.Add(key);

    /// <summary>The node the diagnostic was reported on, or null when the document changed under it.</summary>
    public TNode? FindNode<TNode>(Diagnostic diagnostic)
        where TNode : SyntaxNode
    {
        var span = diagnostic.Location.SourceSpan;
        if (span.End > Root.FullSpan.End)
        {
            return null;
        }

        return Root.FindNode(span, getInnermostNodeForTie: true) as TNode;
    }

    internal static async Task<FixState?> CreateAsync(Document document, CancellationToken cancellationToken)
    {
        var root = await document.GetSyntaxRootAsync(cancellationToken).ConfigureAwait(false);
        var model = await document.GetSemanticModelAsync(cancellationToken).ConfigureAwait(false);
        return root is null || model is null ? null : new FixState(document, root, model, cancellationToken);
    }
}
