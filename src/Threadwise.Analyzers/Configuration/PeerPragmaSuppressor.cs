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
/// Suppresses a Threadwise finding where the code disables, with <c>#pragma warning disable</c>, a rule
/// of another analyzer that reports the same mistake (<c>#pragma warning disable MA0134</c> around a
/// deliberate fire-and-forget, <c>CA2012</c> around a ValueTask read): the maintainer already said
/// there that the pattern is intended. Shown as suppressed, not hidden, so SARIF and the IDE still
/// list it with the reason. Runs only over reported findings.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class PeerPragmaSuppressor : DiagnosticSuppressor
{
    private static readonly ImmutableDictionary<string, SuppressionDescriptor> SuppressionsByRule = PeerRules.ByRule.Keys.ToImmutableDictionary(
        rule => rule,
        rule => new SuppressionDescriptor(
            "TWS" + rule.Substring(2),
            rule,
            $"The code disables {string.Join(", ", PeerRules.ByRule[rule])} here, a rule of another analyzer that reports the same mistake"));

    public override ImmutableArray<SuppressionDescriptor> SupportedSuppressions { get; } = SuppressionsByRule.Values.OrderBy(d => d.Id, System.StringComparer.Ordinal).ToImmutableArray();

    public override void ReportSuppressions(SuppressionAnalysisContext context)
    {
        foreach (var diagnostic in context.ReportedDiagnostics)
        {
            if (SuppressionsByRule.TryGetValue(diagnostic.Id, out var descriptor)
                && diagnostic.Location.SourceTree is { } tree
                && PeerDisabledAt(tree, diagnostic.Location.SourceSpan.Start, PeerRules.ByRule[diagnostic.Id], context))
            {
                context.ReportSuppression(Suppression.Create(descriptor, diagnostic));
            }
        }
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

    // `MA0134`, or a compiler warning written as a number (`4014` is CS4014).
    private static string? Id(ExpressionSyntax code) => code switch
    {
        IdentifierNameSyntax name => name.Identifier.ValueText,
        LiteralExpressionSyntax { Token.Value: int number } => "CS" + number.ToString("D4", System.Globalization.CultureInfo.InvariantCulture),
        _ => null,
    };
}
