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
                && (PeerDisabledAt(tree, diagnostic.Location.SourceSpan.Start, PeerRules.ByRule[diagnostic.Id], context)
                    || PeerSuppressedByAttribute(tree, diagnostic.Location.SourceSpan.Start, PeerRules.ByRule[diagnostic.Id], context)))
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
