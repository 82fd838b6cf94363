using System;
using System.Collections.Immutable;
using System.Composition;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Formatting;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>
/// TW2004 fix: add <c>private readonly object _gate = new();</c> (a <c>System.Threading.Lock</c> where
/// the framework and language have it; <c>static</c> in static members) and lock on it. Fix All uses
/// one lock object per class (one static and one instance at most).
/// </summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(LockOnUnsafeObjectFixProvider))]
[Shared]
public sealed class LockOnUnsafeObjectFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW2004LockOnUnsafeObject.Id);

    protected override string Title => "Lock on a private readonly object";

    protected override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        var model = state.SemanticModel;
        if (state.FindNode<ExpressionSyntax>(diagnostic) is not { Parent: LockStatementSyntax } lockedValue
            || lockedValue.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type
            || model.GetDeclaredSymbol(type, state.CancellationToken) is not { } typeSymbol
            || model.GetEnclosingSymbol(lockedValue.SpanStart, state.CancellationToken) is not { } member)
        {
            return null;
        }

        var isStatic = member.IsStatic || member.ContainingSymbol is IMethodSymbol { IsStatic: true };
        var key = (type, isStatic);
        var existing = ExistingGate(typeSymbol, isStatic);
        var name = existing ?? GateName(typeSymbol, isStatic);
        var addField = existing is null && state.FirstTime(key);
        var useLockType = UsesLockType(model, lockedValue);
        return editor =>
        {
            editor.ReplaceNode(lockedValue, SyntaxFactory.IdentifierName(name).WithTriviaFrom(lockedValue));
            if (addField)
            {
                var typeName = useLockType ? "System.Threading.Lock" : "object";
                var field = (FieldDeclarationSyntax)SyntaxFactory.ParseMemberDeclaration(
                    $"private {(isStatic ? "static " : string.Empty)}readonly {typeName} {name} = new();\n")!;
                editor.ReplaceNode(type, (current, _) => ((TypeDeclarationSyntax)current).WithMembers(
                    ((TypeDeclarationSyntax)current).Members.Insert(0, field.WithAdditionalAnnotations(Formatter.Annotation, Microsoft.CodeAnalysis.Simplification.Simplifier.Annotation))));
            }
        };
    }

    // A gate this fix added before (one at a time, each fix sees the last one's field): reuse it.
    private static string? ExistingGate(INamedTypeSymbol type, bool isStatic)
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

    // _gate, or _gate2 ... when the type already has a member of that name.
    private static string GateName(INamedTypeSymbol type, bool isStatic)
    {
        var name = isStatic ? "s_gate" : "_gate";
        for (var i = 2; !type.GetMembers(name).IsEmpty; i++)
        {
            name = (isStatic ? "s_gate" : "_gate") + i;
        }

        return name;
    }

    // System.Threading.Lock exists (.NET 9+) and C# 13+ locks on it with EnterScope.
    private static bool UsesLockType(SemanticModel model, SyntaxNode node)
        => model.Compilation.GetTypeByMetadataName("System.Threading.Lock") is not null
           && node.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: >= (LanguageVersion)1300 };
}
