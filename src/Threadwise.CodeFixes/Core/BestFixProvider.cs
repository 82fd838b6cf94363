using System.Collections.Immutable;
using System.Threading.Tasks;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeActions;
using Microsoft.CodeAnalysis.CodeFixes;

namespace Threadwise.Core;

/// <summary>
/// One provider per rule that has several fixes (await here, discard there; Interlocked here, a
/// lock there). For each diagnostic it offers first the best fix that applies to it, under the
/// rule's own equivalence key (the diagnostic ID), then the other applicable fixes under their own
/// keys. Fix All with the rule's key — what <c>dotnet format analyzers</c> runs, one key per
/// diagnostic ID — therefore applies, to every diagnostic, the best fix for that one, and one run
/// repairs everything fixable.
/// </summary>
public abstract class BestFixProvider : CodeFixProvider
{
    /// <summary>The fixes, best first.</summary>
    protected abstract ImmutableArray<ThreadwiseCodeFixProvider> Choices { get; }

    public sealed override FixAllProvider GetFixAllProvider()
        => FixAllProvider.Create(async (context, document, diagnostics) =>
            await ThreadwiseCodeFixProvider.ApplyAsync(
                document,
                diagnostics,
                (state, diagnostic) => FixFor(context.CodeActionEquivalenceKey, state, diagnostic),
                context.CancellationToken).ConfigureAwait(false));

    public sealed override async Task RegisterCodeFixesAsync(CodeFixContext context)
    {
        var state = await FixState.CreateAsync(context.Document, context.CancellationToken).ConfigureAwait(false);
        if (state is null)
        {
            return;
        }

        foreach (var diagnostic in context.Diagnostics)
        {
            var best = true;
            foreach (var choice in Choices)
            {
                if (!choice.FixableDiagnosticIds.Contains(diagnostic.Id) || choice.CreateFix(state, diagnostic) is null)
                {
                    continue;
                }

                var document = context.Document;
                var single = ImmutableArray.Create(diagnostic);
                var chosen = choice;
                context.RegisterCodeFix(
                    CodeAction.Create(
                        choice.TitleFor(state, diagnostic),
                        ct => ThreadwiseCodeFixProvider.ApplyAsync(document, single, (s, d) => chosen.CreateFix(s, d), ct),
                        equivalenceKey: best ? diagnostic.Id : KeyOf(choice, diagnostic)),
                    diagnostic);
                best = false;
            }
        }
    }

    // The rule's key: the first choice that fixes this diagnostic; a choice's own key: that choice.
    // Each choice's CreateFix is called at most once per diagnostic (it may claim once-per-pass edits).
    private System.Action<Microsoft.CodeAnalysis.Editing.SyntaxEditor>? FixFor(string? key, FixState state, Diagnostic diagnostic)
    {
        foreach (var choice in Choices)
        {
            if (!choice.FixableDiagnosticIds.Contains(diagnostic.Id))
            {
                continue;
            }

            // `dotnet format analyzers` asks the first diagnostic of a rule for its action and runs Fix
            // All with that action's key — with no key at all when that diagnostic has no fix. No key
            // means the rule's own: the best fix for each diagnostic.
            if (key is null || key == diagnostic.Id)
            {
                if (choice.CreateFix(state, diagnostic) is { } fix)
                {
                    return fix;
                }
            }
            else if (key == KeyOf(choice, diagnostic))
            {
                return choice.CreateFix(state, diagnostic);
            }
        }

        return null;
    }

    private static string KeyOf(ThreadwiseCodeFixProvider choice, Diagnostic diagnostic)
        => choice.EquivalenceKey ?? diagnostic.Id + "." + choice.GetType().Name;
}
