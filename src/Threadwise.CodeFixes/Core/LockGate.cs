using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Microsoft.CodeAnalysis.Simplification;

namespace Threadwise.Core;

/// <summary>
/// A private lock object for the fixes that need one: <c>private readonly object _gate = new();</c>
/// (<c>static readonly s_gate</c> for static members; a <c>System.Threading.Lock</c> where the
/// framework and language have it). A gate the class already has is reused, and within one fix
/// pass the field is added once per class, so Fix All and one-at-a-time fixes share one gate.
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

    /// <summary>The gate for code at <paramref name="node"/>, or null outside a class or struct.</summary>
    public static LockGate? For(SyntaxNode node, FixState state)
    {
        var model = state.SemanticModel;
        if (node.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type
            || model.GetDeclaredSymbol(type, state.CancellationToken) is not { } typeSymbol
            || model.GetEnclosingSymbol(node.SpanStart, state.CancellationToken) is not { } member)
        {
            return null;
        }

        var isStatic = member.IsStatic || member.ContainingSymbol is IMethodSymbol { IsStatic: true } || IsInStaticContext(member);
        var existing = Existing(typeSymbol, isStatic);
        var name = existing ?? FreshName(typeSymbol, isStatic);
        var addField = existing is null && state.FirstTime((type, isStatic));
        var useLockType = model.Compilation.GetTypeByMetadataName("System.Threading.Lock") is not null
                          && node.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: >= (LanguageVersion)1300 };
        return new LockGate(name, type, isStatic, addField, useLockType);
    }

    /// <summary>Adds the field, if this is the first use of a new gate in the fix pass.</summary>
    public void AddFieldIfNeeded(SyntaxEditor editor)
    {
        if (!AddField)
        {
            return;
        }

        var typeName = UseLockType ? "System.Threading.Lock" : "object";
        var field = (FieldDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration(
            $"private {(IsStatic ? "static " : string.Empty)}readonly {typeName} {Name} = new();\n")!;
        editor.ReplaceNode(Type, (current, _) => ((TypeDeclarationSyntax)current).WithMembers(
            ((TypeDeclarationSyntax)current).Members.Insert(0, field.WithAdditionalAnnotations(Formatter.Annotation, Simplifier.Annotation))));
    }

    /// <summary><c>lock (gate) { statement }</c>, keeping the statement's indentation and comments.</summary>
    public StatementSyntax Wrap(StatementSyntax statement)
        => SyntaxFactory.LockStatement(SyntaxFactory.IdentifierName(Name), SyntaxFactory.Block(statement.WithoutLeadingTrivia()))
            .WithLeadingTrivia(statement.GetLeadingTrivia())
            .WithAdditionalAnnotations(Formatter.Annotation);

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

    // A gate added before (one at a time, each fix sees the last one's field): reuse it.
    private static string? Existing(INamedTypeSymbol type, bool isStatic)
    {
        foreach (var member in type.GetMembers(isStatic ? "s_gate" : "_gate"))
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

    private static string FreshName(INamedTypeSymbol type, bool isStatic)
    {
        var stem = isStatic ? "s_gate" : "_gate";
        var name = stem;
        for (var i = 2; !type.GetMembers(name).IsEmpty; i++)
        {
            name = stem + i.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return name;
    }

    /// <summary>The expression statement around <paramref name="node"/> if it can be wrapped in a
    /// lock: directly in a block, with no await (which a lock body cannot hold).</summary>
    public static ExpressionStatementSyntax? WrappableStatement(SyntaxNode node)
    {
        if (node.FirstAncestorOrSelf<StatementSyntax>() is not ExpressionStatementSyntax { Parent: BlockSyntax } statement)
        {
            return null;
        }

        foreach (var descendant in statement.DescendantNodes())
        {
            if (descendant is AwaitExpressionSyntax)
            {
                return null;
            }
        }

        return statement;
    }
}
