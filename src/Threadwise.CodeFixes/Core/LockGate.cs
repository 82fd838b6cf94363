using System;
using System.Text;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace Threadwise.Core;

/// <summary>
/// A private lock object for the fixes that need one, named after what it guards:
/// <c>private readonly object _countLock = new();</c> for <c>_count</c> (<c>static readonly s_countLock</c>
/// for static state; a <c>System.Threading.Lock</c> where the framework and language have it and no
/// <c>Monitor</c> call needs an object). A lock the user declared under another name is never taken
/// over: it may already nest with other locks, and reusing it could create a lock-order inversion.
/// A field of exactly the gate's name is the lock for that state (added by an earlier fix, or
/// named so by the user) and is reused; within one fix pass the field is added once per class.
/// </summary>
internal sealed class LockGate
{
    private LockGate(string name, TypeDeclarationSyntax type, bool isStatic, bool addField, bool useLockType)
    {
        Name = name;
        Type = type;
        IsStatic = isStatic;
        AddField = addField;
        UseLockType = useLockType;
    }

    public string Name { get; }

    private TypeDeclarationSyntax Type { get; }

    private bool IsStatic { get; }

    private bool AddField { get; }

    private bool UseLockType { get; }

    /// <summary>The gate guarding <paramref name="guarded"/> for code at <paramref name="node"/>,
    /// static when that code is; null outside a class or struct.</summary>
    public static LockGate? For(SyntaxNode node, FixState state, string guarded)
    {
        var model = state.SemanticModel;
        if (model.GetEnclosingSymbol(node.SpanStart, state.CancellationToken) is not { } member)
        {
            return null;
        }

        var isStatic = member.IsStatic || member.ContainingSymbol is IMethodSymbol { IsStatic: true } || IsInStaticContext(member);
        return For(node, state, guarded, isStatic, allowLockType: true);
    }

    /// <summary>The gate replacing a lock object: static exactly when the object is shared by all
    /// instances; a plain <c>object</c> when <c>Monitor</c> calls will use it.</summary>
    public static LockGate? For(SyntaxNode node, FixState state, string guarded, bool isStatic, bool allowLockType)
    {
        var model = state.SemanticModel;
        if (node.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type
            || model.GetDeclaredSymbol(type, state.CancellationToken) is not { } typeSymbol)
        {
            return null;
        }

        var useLockType = allowLockType
                          && model.Compilation.GetTypeByMetadataName("System.Threading.Lock") is not null
                          && node.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: >= (LanguageVersion)1300 };
        var stem = NameFor(guarded, isStatic);
        var existing = Existing(typeSymbol, stem, isStatic);
        var name = existing ?? FreshName(typeSymbol, stem);
        var addField = existing is null && state.FirstTime((type, name));
        return new LockGate(name, type, isStatic, addField, useLockType);
    }

    /// <summary><c>_count</c> → <c>_countLock</c>, <c>Total</c> → <c>_totalLock</c>, static <c>s_cache</c> → <c>s_cacheLock</c>.</summary>
    public static string NameFor(string guarded, bool isStatic)
    {
        var core = guarded.TrimStart('_');
        if (core.StartsWith("s_", StringComparison.Ordinal) || core.StartsWith("m_", StringComparison.Ordinal) || core.StartsWith("t_", StringComparison.Ordinal))
        {
            core = core.Substring(2);
        }

        var builder = new StringBuilder();
        foreach (var c in core)
        {
            if (char.IsLetterOrDigit(c) || c == '_')
            {
                builder.Append(builder.Length == 0 ? char.ToLowerInvariant(c) : c);
            }
        }

        var prefix = isStatic ? "s_" : "_";
        return builder.Length == 0 || builder.ToString() == "lock" ? prefix + "lock" : prefix + builder + "Lock";
    }

    /// <summary>Adds the field, if this is the first use of a new gate in the fix pass.</summary>
    public void AddFieldIfNeeded(SyntaxEditor editor)
    {
        if (!AddField)
        {
            return;
        }

        var typeName = UseLockType ? "System.Threading.Lock" : "object";

        // Target-typed `new()` needs C# 9; older projects (net48 defaults to C# 7.3) get `new object()`.
        var creation = Type.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: < LanguageVersion.CSharp9 } ? "new object()" : "new()";
        var field = (FieldDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration(
            $"private {(IsStatic ? "static " : string.Empty)}readonly {typeName} {Name} = {creation};\n")!;
        editor.ReplaceNode(Type, (current, _) =>
        {
            var type = (TypeDeclarationSyntax)current;
            var members = type.Members;
            var newLine = NewLine(type);

            // A blank line between the new field and a following method, as between member kinds.
            var spaced = members.Count > 0 && members[0] is not FieldDeclarationSyntax
                ? field.WithTrailingTrivia(newLine, newLine)
                : field.WithTrailingTrivia(newLine);

            // Laid out like the first member, by hand: the formatter would also re-indent the trivia
            // that follows the new field (a `#region`, the next member's doc comment) in the
            // document's own tabs-or-spaces style (found applying fixes to SmartThreadPool).
            var laidOut = members.Count > 0 && StartsOnItsOwnLine(type) && Indentation(members[0]) is { } indentation
                ? spaced.WithLeadingTrivia(indentation).WithAdditionalAnnotations(Simplifier.Annotation)
                : spaced.WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation);
            return type.WithMembers(members.Insert(0, laidOut));
        });
    }

    // The members start on the line after the opening brace (not `class C { int x; }`).
    private static bool StartsOnItsOwnLine(TypeDeclarationSyntax type)
    {
        foreach (var trivia in type.OpenBraceToken.TrailingTrivia)
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return true;
            }
        }

        return false;
    }

    // The whitespace before the member's first token on its line: its indentation.
    private static SyntaxTriviaList? Indentation(MemberDeclarationSyntax member)
    {
        var leading = member.GetLeadingTrivia();
        if (leading.Count > 0 && leading[leading.Count - 1].IsKind(SyntaxKind.WhitespaceTrivia))
        {
            return SyntaxFactory.TriviaList(leading[leading.Count - 1]);
        }

        return leading.Count == 0 || leading[leading.Count - 1].IsKind(SyntaxKind.EndOfLineTrivia) || leading[leading.Count - 1].IsDirective
            ? SyntaxFactory.TriviaList()
            : null;
    }

    /// <summary>The gate as a lock expression.</summary>
    public ExpressionSyntax Expression => SyntaxFactory.IdentifierName(Name);

    // The document's own line break (the one after the type's opening brace).
    private static SyntaxTrivia NewLine(SyntaxNode type)
    {
        foreach (var trivia in ((TypeDeclarationSyntax)type).OpenBraceToken.TrailingTrivia)
        {
            if (trivia.IsKind(SyntaxKind.EndOfLineTrivia))
            {
                return trivia;
            }
        }

        return SyntaxFactory.EndOfLine("\n");
    }

    private static bool IsInStaticContext(ISymbol member)
    {
        for (var current = member; current is not null; current = current.ContainingSymbol)
        {
            if (current is IMethodSymbol { MethodKind: not (MethodKind.AnonymousFunction or MethodKind.LocalFunction) } method)
            {
                return method.IsStatic;
            }
        }

        return false;
    }

    // The gate of this name that an earlier fix added (or the user declared for this state).
    private static string? Existing(INamedTypeSymbol type, string name, bool isStatic)
    {
        foreach (var member in type.GetMembers(name))
        {
            if (member is IFieldSymbol { IsReadOnly: true, DeclaredAccessibility: Accessibility.Private } field
                && field.IsStatic == isStatic
                && (field.Type.SpecialType == SpecialType.System_Object || field.Type.ToDisplayString() == "System.Threading.Lock"))
            {
                return field.Name;
            }
        }

        return null;
    }

    private static string FreshName(INamedTypeSymbol type, string stem)
    {
        var name = stem;
        for (var i = 2; !type.GetMembers(name).IsEmpty; i++)
        {
            name = stem + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }

    /// <summary>The name of the variable a guarded statement updates: the left-most field, local or
    /// parameter in it (<c>_sum</c> in <c>_sum += x</c>, <c>list</c> in <c>list.Add(x)</c>).</summary>
    public static string GuardedName(SyntaxNode access, SemanticModel model, System.Threading.CancellationToken cancellationToken)
        => GuardedSymbol(access, model, cancellationToken)?.Name ?? "state";

    /// <summary>The left-most field, local or parameter in <paramref name="access"/>.</summary>
    public static ISymbol? GuardedSymbol(SyntaxNode access, SemanticModel model, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var node in access.DescendantNodesAndSelf())
        {
            if (node is IdentifierNameSyntax name
                && model.GetSymbolInfo(name, cancellationToken).Symbol is { } symbol and (IFieldSymbol or ILocalSymbol or IParameterSymbol))
            {
                return symbol;
            }
        }

        return null;
    }
}
