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
    protected internal abstract string Title { get; }

    /// <summary>Groups the actions Fix All applies together; distinct per fix when a rule has several.</summary>
    protected internal virtual string? EquivalenceKey => null;

    /// <summary>The title for one diagnostic: names the change where it can (override).</summary>
    protected internal virtual string TitleFor(FixState state, Diagnostic diagnostic) => Title;

    public override FixAllProvider GetFixAllProvider()
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
                await RegisterSolutionFixAsync(context, state, diagnostic).ConfigureAwait(false);
                continue;
            }

            var document = context.Document;
            var single = ImmutableArray.Create(diagnostic);
            context.RegisterCodeFix(
                CodeAction.Create(TitleFor(state, diagnostic), ct => FixDocumentAsync(document, single, ct), equivalenceKey: EquivalenceKey ?? diagnostic.Id),
                diagnostic);
        }
    }

    /// <summary>Where the one-document edit is withheld, a rule may still offer a fix that edits
    /// several documents of the solution (a method and its callers in other files).</summary>
    protected virtual Task RegisterSolutionFixAsync(CodeFixContext context, FixState state, Diagnostic diagnostic) => Task.CompletedTask;

    /// <summary>Returns the edit that fixes <paramref name="diagnostic"/>, or null when this
    /// occurrence cannot be fixed safely (the diagnostic still stands; only the fix is withheld).</summary>
    protected internal abstract Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic);

    internal Task<Document> FixDocumentAsync(Document document, ImmutableArray<Diagnostic> diagnostics, CancellationToken cancellationToken)
        => ApplyAsync(document, diagnostics, (state, diagnostic) => CreateFix(state, diagnostic), cancellationToken);

    /// <summary>Creates, on the unchanged document, the edit for each diagnostic (null: withheld),
    /// then applies them all in one editor, innermost first, so nested findings compose.</summary>
    internal static async Task<Document> ApplyAsync(
        Document document,
        ImmutableArray<Diagnostic> diagnostics,
        Func<FixState, Diagnostic, Action<SyntaxEditor>?> createFix,
        CancellationToken cancellationToken)
    {
        var state = await FixState.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            return document;
        }

        var fixes = new List<(int Length, int Index, Action<SyntaxEditor> Fix)>(diagnostics.Length);
        foreach (var diagnostic in diagnostics)
        {
            if (createFix(state, diagnostic) is { } fix)
            {
                fixes.Add((diagnostic.Location.SourceSpan.Length, fixes.Count, fix));
            }
        }

        if (fixes.Count == 0)
        {
            return document;
        }

        // Innermost findings first (shortest span; ties keep their order): an edit of an enclosing
        // node then builds on the edited inside (a wait inside a wait) instead of losing it.
        fixes.Sort(static (a, b) => a.Length != b.Length ? a.Length.CompareTo(b.Length) : a.Index.CompareTo(b.Index));

        var editor = await DocumentEditor.CreateAsync(document, cancellationToken).ConfigureAwait(false);
        foreach (var (_, _, fix) in fixes)
        {
            try
            {
                fix(editor);
            }
            catch (InvalidOperationException) when (fixes.Count > 1)
            {
                // An edit whose node an overlapping edit already replaced without keeping it is
                // skipped; the finding stays for the next pass.
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
