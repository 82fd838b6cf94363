using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;

namespace Threadwise.Core;

/// <summary>
/// Every place a lock object is used as one: <c>lock (x)</c> and <c>Monitor.Enter/TryEnter/Exit/
/// Wait/Pulse/PulseAll/IsEntered(x, …)</c>. A fix that replaces a lock object must replace all of
/// them together — a <c>Monitor.PulseAll(this)</c> left inside <c>lock (_gate)</c> throws, and a
/// <c>Monitor.TryEnter(_old)</c> left elsewhere no longer excludes the new lock. When a use sits
/// where the new gate cannot reach (another type, a partial declaration, a use as a plain value),
/// <see cref="Find"/> returns null and the fix is withheld.
/// </summary>
internal sealed class LockObjectUses
{
    private LockObjectUses(object key, string stem, bool isStatic, List<ExpressionSyntax> uses, bool hasMonitorCalls)
    {
        Key = key;
        Stem = stem;
        IsStatic = isStatic;
        Uses = uses;
        HasMonitorCalls = hasMonitorCalls;
    }

    /// <summary>Identifies the lock object within a fix pass (the symbol, type or string).</summary>
    public object Key { get; }

    /// <summary>What the new gate is named after.</summary>
    public string Stem { get; }

    /// <summary>The object is shared by every instance (a static field, a type, a string).</summary>
    public bool IsStatic { get; }

    /// <summary>The expressions to replace with the gate, all in the diagnostic's document and type.</summary>
    public List<ExpressionSyntax> Uses { get; }

    /// <summary>A Monitor call uses the object: the gate must be a plain <c>object</c>.</summary>
    public bool HasMonitorCalls { get; }

    /// <summary>The uses of the object locked at <paramref name="lockedValue"/>, or null when they
    /// cannot all be rewritten in this document.</summary>
    public static LockObjectUses? Find(ExpressionSyntax lockedValue, FixState state)
    {
        var model = state.SemanticModel;
        var cancellationToken = state.CancellationToken;
        if (lockedValue.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type
            || model.GetDeclaredSymbol(type, cancellationToken) is not { } typeSymbol
            || typeSymbol.DeclaringSyntaxReferences.Length != 1)
        {
            return null;
        }

        var value = Strip(lockedValue);
        switch (value)
        {
            case ThisExpressionSyntax:
                // `lock (head)` in another type, where head is an instance of this one (or of a type
                // derived from it), takes the same lock as `lock (this)`: a private gate would split them.
                return IsInstanceLockedElsewhere(type, typeSymbol, model, cancellationToken)
                    ? null
                    : InType(type, "lock", key: ("this", typeSymbol), e => Strip(e) is ThisExpressionSyntax);

            case TypeOfExpressionSyntax typeOf when model.GetTypeInfo(typeOf.Type, cancellationToken).Type is { } lockedType:
                return InCompilation(type, model, lockedType.Name, key: ("typeof", lockedType),
                    (e, m) => Strip(e) is TypeOfExpressionSyntax other && SymbolEqualityComparer.Default.Equals(m.GetTypeInfo(other.Type, cancellationToken).Type, lockedType),
                    cancellationToken);

            case ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax:
            case CastExpressionSyntax:
                // A new object (or a new box) at every lock excludes nothing: this use alone changes.
                return Single(lockedValue, model, cancellationToken);
        }

        if (model.GetConstantValue(value, cancellationToken) is { HasValue: true, Value: string text })
        {
            return InCompilation(type, model, text, key: ("string", text),
                (e, m) => m.GetConstantValue(Strip(e), cancellationToken) is { HasValue: true, Value: string other } && other == text,
                cancellationToken);
        }

        // A public or protected lock field is part of the type's surface: code the compilation cannot
        // see (a derived class in another assembly) may lock it to exclude this type's locks, and a
        // private gate would split them. No fix; the finding stays.
        if (model.GetSymbolInfo(value, cancellationToken).Symbol is IFieldSymbol field
            && SymbolEqualityComparer.Default.Equals(field.ContainingType, typeSymbol)
            && !SymbolFacts.IsVisibleOutsideAssembly(field))
        {
            return ForField(type, model, field, cancellationToken);
        }

        return null;
    }

    private static ExpressionSyntax Strip(ExpressionSyntax expression)
    {
        while (expression is ParenthesizedExpressionSyntax parenthesized)
        {
            expression = parenthesized.Expression;
        }

        return expression;
    }

    private static LockObjectUses? Single(ExpressionSyntax lockedValue, SemanticModel model, System.Threading.CancellationToken cancellationToken)
    {
        var isStatic = model.GetEnclosingSymbol(lockedValue.SpanStart, cancellationToken) is { } member && IsStaticContext(member);
        var stem = Strip(lockedValue) is CastExpressionSyntax { Expression: var boxed } && boxed.DescendantNodesAndSelf().OfType<IdentifierNameSyntax>().FirstOrDefault() is { } name
            ? name.Identifier.ValueText
            : "lock";
        return new LockObjectUses(lockedValue, stem, isStatic, new List<ExpressionSyntax> { lockedValue }, hasMonitorCalls: false);
    }

    // `this`: only this declaration can write it (other code reaching the instance is what TW2004 is about).
    private static LockObjectUses InType(TypeDeclarationSyntax type, string stem, object key, Func<ExpressionSyntax, bool> matches)
    {
        var uses = new List<ExpressionSyntax>();
        var monitor = false;
        foreach (var (expression, isMonitor) in LockObjects(type))
        {
            if (matches(expression) && IsDirectlyIn(expression, type))
            {
                uses.Add(expression);
                monitor |= isMonitor;
            }
        }

        return new LockObjectUses(key, stem, isStatic: false, uses, monitor);
    }

    // typeof(X) and strings are the same object wherever they are written: every use in the
    // compilation must be in this type (or its nested types, which reach a static gate by name).
    private static LockObjectUses? InCompilation(
        TypeDeclarationSyntax type, SemanticModel model, string stem, object key,
        Func<ExpressionSyntax, SemanticModel, bool> matches, System.Threading.CancellationToken cancellationToken)
    {
        var uses = new List<ExpressionSyntax>();
        var monitor = false;
        foreach (var tree in model.Compilation.SyntaxTrees)
        {
            var root = tree.GetRoot(cancellationToken);
            var treeModel = tree == model.SyntaxTree ? model : null;
            foreach (var (expression, isMonitor) in LockObjects(root))
            {
                treeModel ??= model.Compilation.GetSemanticModel(tree);
                if (!matches(expression, treeModel))
                {
                    continue;
                }

                if (tree != model.SyntaxTree || !type.Span.Contains(expression.Span))
                {
                    return null;
                }

                uses.Add(expression);
                monitor |= isMonitor;
            }
        }

        return uses.Count == 0 ? null : new LockObjectUses(key, stem, isStatic: true, uses, monitor);
    }

    // A field: every reference must be a lock object, a Monitor argument or an assignment, all in
    // this type declaration (an instance gate is not reachable from nested types' instances).
    private static LockObjectUses? ForField(TypeDeclarationSyntax type, SemanticModel model, IFieldSymbol field, System.Threading.CancellationToken cancellationToken)
    {
        var uses = new List<ExpressionSyntax>();
        var monitor = false;
        foreach (var tree in model.Compilation.SyntaxTrees)
        {
            if (field.DeclaredAccessibility == Accessibility.Private && tree != model.SyntaxTree)
            {
                continue;
            }

            var root = tree.GetRoot(cancellationToken);
            SemanticModel? treeModel = tree == model.SyntaxTree ? model : null;
            foreach (var token in root.DescendantTokens())
            {
                if (!token.IsKind(SyntaxKind.IdentifierToken) || token.ValueText != field.Name || token.Parent is not IdentifierNameSyntax name)
                {
                    continue;
                }

                treeModel ??= model.Compilation.GetSemanticModel(tree);
                // OriginalDefinition: a derived class of a generic base locks `Base<T, List<T>>.SyncLock`.
                if (!SymbolEqualityComparer.Default.Equals(treeModel.GetSymbolInfo(name, cancellationToken).Symbol?.OriginalDefinition, field.OriginalDefinition))
                {
                    continue;
                }

                ExpressionSyntax reference = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : name;
                if (reference.Parent is AssignmentExpressionSyntax assignment && assignment.Left == reference)
                {
                    continue;
                }

                if (tree != model.SyntaxTree || !IsDirectlyIn(reference, type) || LockObjectKind(reference) is not { } isMonitor)
                {
                    return null;
                }

                if (field.IsStatic is false && model.GetEnclosingSymbol(reference.SpanStart, cancellationToken) is { } member && IsStaticContext(member))
                {
                    return null;
                }

                uses.Add(reference);
                monitor |= isMonitor;
            }
        }

        return uses.Count == 0 ? null : new LockObjectUses(("field", field), field.Name, field.IsStatic, uses, monitor);
    }

    private static bool IsInstanceLockedElsewhere(TypeDeclarationSyntax type, INamedTypeSymbol typeSymbol, SemanticModel model, System.Threading.CancellationToken cancellationToken)
    {
        foreach (var tree in model.Compilation.SyntaxTrees)
        {
            SemanticModel? treeModel = tree == model.SyntaxTree ? model : null;
            foreach (var (expression, _) in LockObjects(tree.GetRoot(cancellationToken)))
            {
                if (Strip(expression) is ThisExpressionSyntax && tree == model.SyntaxTree && type.Span.Contains(expression.Span))
                {
                    continue;
                }

                treeModel ??= model.Compilation.GetSemanticModel(tree);
                if (treeModel.GetTypeInfo(Strip(expression), cancellationToken).Type is { SpecialType: not SpecialType.System_Object } locked
                    && (KnownSymbols.IsOrDerivesFrom(locked, typeSymbol.OriginalDefinition) || (locked.OriginalDefinition is INamedTypeSymbol ancestor && KnownSymbols.IsOrDerivesFrom(typeSymbol, ancestor))))
                {
                    return true; // an instance of this type, or of a base class an instance of this type may be
                }
            }
        }

        return false;
    }


    private static IEnumerable<(ExpressionSyntax Expression, bool IsMonitor)> LockObjects(SyntaxNode root)
    {
        foreach (var node in root.DescendantNodes())
        {
            if (node is LockStatementSyntax @lock)
            {
                yield return (@lock.Expression, false);
            }
            else if (node is ArgumentSyntax argument && LockObjectKind(argument.Expression) == true)
            {
                yield return (argument.Expression, true);
            }
        }
    }

    /// <summary>False for the object of a <c>lock</c>, true for the first argument of a Monitor
    /// method (recognized by name: <c>Monitor.X</c> or <c>System.Threading.Monitor.X</c>), null otherwise.</summary>
    private static bool? LockObjectKind(ExpressionSyntax expression)
    {
        var node = (SyntaxNode)expression;
        while (node.Parent is ParenthesizedExpressionSyntax)
        {
            node = node.Parent;
        }

        if (node.Parent is LockStatementSyntax @lock && @lock.Expression == node)
        {
            return false;
        }

        if (node.Parent is ArgumentSyntax { Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation } list } argument
            && list.Arguments.IndexOf(argument) == 0
            && invocation.Expression is MemberAccessExpressionSyntax { Expression: var receiver, Name.Identifier.ValueText: "Enter" or "TryEnter" or "Exit" or "Wait" or "Pulse" or "PulseAll" or "IsEntered" }
            && receiver.ToString() is "Monitor" or "System.Threading.Monitor" or "global::System.Threading.Monitor")
        {
            return true;
        }

        return null;
    }

    // Inside this type declaration and not in a nested type (whose `this` and instance fields differ).
    private static bool IsDirectlyIn(SyntaxNode node, TypeDeclarationSyntax type)
        => node.FirstAncestorOrSelf<TypeDeclarationSyntax>() == type;

    private static bool IsStaticContext(ISymbol member)
    {
        for (var current = member; current is not null; current = current.ContainingSymbol)
        {
            if (current is IMethodSymbol { MethodKind: not (MethodKind.AnonymousFunction or MethodKind.LocalFunction) } method)
            {
                return method.IsStatic;
            }

            if (current is IFieldSymbol or IPropertySymbol)
            {
                return current.IsStatic;
            }
        }

        return false;
    }
}
