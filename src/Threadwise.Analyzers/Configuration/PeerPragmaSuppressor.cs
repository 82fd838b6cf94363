using System.Collections.Generic;
using System.Collections.Immutable;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Threadwise.Core;

namespace Threadwise.Configuration;

/// <summary>
/// Suppresses a Threadwise finding where the code disables, with <c>#pragma warning disable</c> or a
/// <c>[SuppressMessage]</c> on an enclosing declaration, a rule of another analyzer that reports the same
/// mistake (<c>#pragma warning disable MA0134</c> around a deliberate fire-and-forget, <c>CA2012</c> around a
/// ValueTask read, <c>[SuppressMessage("Usage", "VSTHRD002:…")]</c> on a sync-over-async helper): the
/// maintainer already said there that the pattern is intended. Shown as suppressed, not hidden, so SARIF and the IDE still
/// list it with the reason. Runs only over reported findings.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PeerPragmaSuppressor : DiagnosticSuppressor
{
    private static readonly ImmutableDictionary<string, SuppressionDescriptor> SuppressionsByRule = PeerRules.ByRule.Keys
        .Union(PeerRules.ReSharperByRule.Keys)
        .ToImmutableDictionary(
            rule => rule,
            rule => new SuppressionDescriptor(
                "TWS" + rule.Substring(2),
                rule,
                $"The code disables {string.Join(", ", Peers(rule))} here, a rule of another analyzer that reports the same mistake"));

    private static IEnumerable<string> Peers(string rule)
        => (PeerRules.ByRule.TryGetValue(rule, out var peers) ? peers : ImmutableArray<string>.Empty)
            .Concat(PeerRules.ReSharperByRule.TryGetValue(rule, out var inspections) ? inspections.Select(i => "ReSharper's " + i) : Enumerable.Empty<string>());

    public override ImmutableArray<SuppressionDescriptor> SupportedSuppressions { get; } = SuppressionsByRule.Values.OrderBy(d => d.Id, System.StringComparer.Ordinal).ToImmutableArray();

    public override void ReportSuppressions(SuppressionAnalysisContext context)
    {
        var regionComments = new Dictionary<SyntaxTree, List<SyntaxTrivia>>();
        foreach (var diagnostic in context.ReportedDiagnostics)
        {
            if (SuppressionsByRule.TryGetValue(diagnostic.Id, out var descriptor)
                && diagnostic.Location.SourceTree is { } tree
                && (PeerRules.ByRule.TryGetValue(diagnostic.Id, out var peers)
                        && (PeerDisabledAt(tree, diagnostic.Location.SourceSpan.Start, peers, context)
                            || PeerSuppressedByAttribute(tree, diagnostic.Location.SourceSpan.Start, peers, context))
                    || PeerRules.ReSharperByRule.TryGetValue(diagnostic.Id, out var inspections)
                        && (ReSharperDisabledAt(tree, diagnostic.Location.SourceSpan.Start, inspections, regionComments, context)
                            // `[SuppressMessage("ReSharper", "MethodHasAsyncOverload")]` (KeyedSemaphores' fast paths):
                            // ReSharper's attribute form, the inspection's name as the check id.
                            || PeerSuppressedByAttribute(tree, diagnostic.Location.SourceSpan.Start, inspections, context))))
            {
                context.ReportSuppression(Suppression.Create(descriptor, diagnostic));
            }
        }
    }

    // `// ReSharper disable once MethodSupportsCancellation` on the line above the finding (other comment lines
    // may stand between: Halibut explains why its wait takes no token), or `// ReSharper disable X` … `//
    // ReSharper restore X` around it; `All` names every inspection.
    private static bool ReSharperDisabledAt(SyntaxTree tree, int position, ImmutableArray<string> inspections, Dictionary<SyntaxTree, List<SyntaxTrivia>> regionComments, SuppressionAnalysisContext context)
    {
        var text = tree.GetText(context.CancellationToken);
        for (var line = text.Lines.GetLineFromPosition(position).LineNumber - 1; line >= 0; line--)
        {
            var content = text.Lines[line].ToString().Trim();
            if (!content.StartsWith("//", System.StringComparison.Ordinal))
            {
                break;
            }

            if (ReSharperComment(content) is ("disable once", var names) && NamesAny(names, inspections))
            {
                return true;
            }
        }

        // The file's `disable`/`restore` comments are collected once per file, in order.
        if (!regionComments.TryGetValue(tree, out var comments))
        {
            comments = new List<SyntaxTrivia>();
            foreach (var trivia in tree.GetRoot(context.CancellationToken).DescendantTrivia())
            {
                if (trivia.IsKind(SyntaxKind.SingleLineCommentTrivia) && ReSharperComment(trivia.ToString()).Verb is "disable" or "restore")
                {
                    comments.Add(trivia);
                }
            }

            regionComments[tree] = comments;
        }

        var disabled = false;
        foreach (var trivia in comments)
        {
            if (trivia.SpanStart > position)
            {
                break;
            }

            if (ReSharperComment(trivia.ToString()) is ({ } verb, var named) && NamesAny(named, inspections))
            {
                disabled = verb == "disable";
            }
        }

        return disabled;
    }

    private static readonly string[] ReSharperVerbs = { "disable once", "disable", "restore" };

    private static readonly char[] Blanks = { ' ', '\t' };

    // "// ReSharper disable once A, B" → ("disable once", "A, B").
    private static (string? Verb, string Names) ReSharperComment(string comment)
    {
        var content = comment.TrimStart('/').Trim();
        const string Prefix = "ReSharper ";
        if (!content.StartsWith(Prefix, System.StringComparison.Ordinal))
        {
            return (null, "");
        }

        content = content.Substring(Prefix.Length).TrimStart();
        foreach (var verb in ReSharperVerbs)
        {
            if (content.StartsWith(verb + " ", System.StringComparison.Ordinal))
            {
                return (verb, content.Substring(verb.Length + 1));
            }
        }

        return (null, "");
    }

    private static bool NamesAny(string names, ImmutableArray<string> inspections)
    {
        foreach (var part in names.Split(','))
        {
            var name = part.Trim();
            var end = name.IndexOfAny(Blanks);
            name = end < 0 ? name : name.Substring(0, end);
            if (name == "All" || inspections.Contains(name))
            {
                return true;
            }
        }

        return false;
    }

    // Replays the tree's `#pragma warning disable/restore` directives up to the position.
    private static bool PeerDisabledAt(SyntaxTree tree, int position, ImmutableArray<string> peers, SuppressionAnalysisContext context)
    {
        if (tree.GetRoot(context.CancellationToken) is not CompilationUnitSyntax root || !root.ContainsDirectives)
        {
            return false;
        }

        var disabled = new HashSet<string>(System.StringComparer.OrdinalIgnoreCase);
        for (var directive = root.GetFirstDirective(); directive is not null; directive = directive.GetNextDirective())
        {
            if (directive.SpanStart > position)
            {
                break;
            }

            if (directive is not PragmaWarningDirectiveTriviaSyntax pragma)
            {
                continue;
            }

            var disable = pragma.DisableOrRestoreKeyword.IsKind(SyntaxKind.DisableKeyword);
            foreach (var code in pragma.ErrorCodes)
            {
                var id = Id(code);
                if (id is null || !peers.Contains(id, System.StringComparer.OrdinalIgnoreCase))
                {
                    continue;
                }

                if (disable)
                {
                    disabled.Add(id);
                }
                else
                {
                    disabled.Remove(id);
                }
            }
        }

        return disabled.Count > 0;
    }

    // `[SuppressMessage("Usage", "VSTHRD002:Avoid problematic synchronous waits", Justification = "Reviewed")]` on the
    // member, local function or type around the finding (Silverback's SafeWait helpers): the same statement as the
    // pragma, scoped by the declaration. Read from syntax: the attribute's name and its check id, up to the colon.
    private static bool PeerSuppressedByAttribute(SyntaxTree tree, int position, ImmutableArray<string> peers, SuppressionAnalysisContext context)
    {
        var root = tree.GetRoot(context.CancellationToken);
        for (var node = root.FindToken(position).Parent; node is not null; node = node.Parent)
        {
            var lists = node switch
            {
                MemberDeclarationSyntax member => member.AttributeLists,
                LocalFunctionStatementSyntax local => local.AttributeLists,
                _ => default,
            };
            foreach (var list in lists)
            {
                foreach (var attribute in list.Attributes)
                {
                    if (IsSuppressMessage(attribute) && CheckId(attribute) is { } id && peers.Contains(id, System.StringComparer.OrdinalIgnoreCase))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private static bool IsSuppressMessage(AttributeSyntax attribute)
    {
        var name = attribute.Name switch
        {
            QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText,
            AliasQualifiedNameSyntax alias => alias.Name.Identifier.ValueText,
            SimpleNameSyntax simple => simple.Identifier.ValueText,
            _ => null,
        };
        return name is "SuppressMessage" or "SuppressMessageAttribute";
    }

    // The second positional argument, or the one named `checkId`: "VSTHRD002:Avoid problematic synchronous waits" → VSTHRD002.
    private static string? CheckId(AttributeSyntax attribute)
    {
        if (attribute.ArgumentList is not { Arguments: var arguments })
        {
            return null;
        }

        var positional = 0;
        foreach (var argument in arguments)
        {
            if (argument.NameEquals is not null)
            {
                continue;
            }

            var isCheckId = argument.NameColon is { Name.Identifier.ValueText: "checkId" } || (argument.NameColon is null && positional == 1);
            positional++;
            if (isCheckId && argument.Expression is LiteralExpressionSyntax { Token.Value: string text })
            {
                var colon = text.IndexOf(':');
                return (colon < 0 ? text : text.Substring(0, colon)).Trim();
            }
        }

        return null;
    }

    // `MA0134`, or a compiler warning written as a number (`4014` is CS4014).
    private static string? Id(ExpressionSyntax code) => code switch
    {
        IdentifierNameSyntax name => name.Identifier.ValueText,
        LiteralExpressionSyntax { Token.Value: int number } => "CS" + number.ToString("D4", System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };
}
