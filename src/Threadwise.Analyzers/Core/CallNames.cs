using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Threadwise.Core;

/// <summary>
/// A call's name as written, for messages: <c>Task.Run</c>, <c>Task.Factory.StartNew</c>,
/// <c>timer.Elapsed</c>, <c>Received?.Invoke</c>. Built from identifiers, never the source text, so
/// comments, arguments and line breaks never reach a message.
/// </summary>
internal static class CallNames
{
    /// <summary>Dotted simple names and calls without arguments; null for anything else.</summary>
    public static string? Written(ExpressionSyntax expression) => expression switch
    {
        SimpleNameSyntax name => name.Identifier.ValueText,
        InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0 } call when Written(call.Expression) is { } callee => callee + "()",
        ThisExpressionSyntax => "this",
        MemberAccessExpressionSyntax access when Written(access.Expression) is { } left => left + "." + access.Name.Identifier.ValueText,
        MemberBindingExpressionSyntax binding when binding.Parent?.Parent is ConditionalAccessExpressionSyntax conditional
                                                   && Written(conditional.Expression) is { } target => target + "?." + binding.Name.Identifier.ValueText,
        _ => null,
    };

    /// <summary>Whether <paramref name="word"/> (capitalized) is a whole word of a member name split at
    /// capitals and underscores: <c>Close</c> in <c>CloseAsync</c> and <c>ForceClose</c>, not in
    /// <c>Closed</c>; <c>Forget</c> in <c>FireAndForget</c>.</summary>
    public static bool HasWholeWord(string name, string word)
    {
        for (var at = name.IndexOf(word, System.StringComparison.Ordinal); at >= 0; at = name.IndexOf(word, at + 1, System.StringComparison.Ordinal))
        {
            var end = at + word.Length;
            if ((at == 0 || char.IsLower(name[at - 1]) || name[at - 1] == '_')
                && (end == name.Length || char.IsUpper(name[end]) || name[end] == '_'))
            {
                return true;
            }
        }

        return false;
    }
}
