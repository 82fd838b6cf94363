using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>One call of a method: the member whose code makes it (a lambda's own symbol when the
/// call sits in one) and the bound call.</summary>
internal readonly struct CallSite
{
    public CallSite(ISymbol caller, IInvocationOperation invocation)
    {
        Caller = caller;
        Invocation = invocation;
    }

    public ISymbol Caller { get; }

    public IInvocationOperation Invocation { get; }
}

/// <summary>
/// Every call of a method in the compilation, for the rules that ask "who calls this?" only when a
/// finding would otherwise be reported (expensive: it binds each tree that names the method). Calls
/// are found by a token scan for the name and bound; a private method is looked for in its own
/// type only. Any use that is not a call (a method group, <c>nameof</c> aside), or a call that does not
/// bind yet, makes the answer unknown (null): the method may then run anywhere.
/// </summary>
internal static class CallSites
{
    /// <summary>True when every caller of the method is in this compilation: a method other assemblies
    /// cannot call, or a virtual hook (callers reach an override through the base, which the
    /// compilation declares), or a protected method (the helpers a base class keeps for its own derived
    /// classes; LiteNetLib's `RemovePeerFromSet`, called under the peers lock). A public plain method has
    /// callers the compilation does not see.</summary>
    public static bool CanKnowCallers(IMethodSymbol method)
        => method.MethodKind == MethodKind.Ordinary
           && (!SymbolFacts.IsVisibleOutsideAssembly(method) || method.IsOverride || method.IsVirtual || method.IsAbstract
               || method.DeclaredAccessibility is Accessibility.Protected or Accessibility.ProtectedOrInternal or Accessibility.ProtectedAndInternal);

    /// <summary>True when the compilation calls <paramref name="method"/> and every call's argument for the
    /// parameter at <paramref name="ordinal"/> is one <paramref name="accepts"/> (the "every caller hands in
    /// memory / an unbounded queue" questions); false when a use is not a call.</summary>
    public static bool EveryCallPasses(IMethodSymbol method, int ordinal, Compilation compilation, System.Func<IArgumentOperation, bool> accepts)
    {
        if (InTheCompilation(method, compilation, CancellationToken.None) is not { Count: > 0 } calls)
        {
            return false;
        }

        foreach (var call in calls)
        {
            var passed = false;
            foreach (var argument in call.Invocation.Arguments)
            {
                if (argument.Parameter?.Ordinal == ordinal)
                {
                    passed = accepts(argument);
                    break;
                }
            }

            if (!passed)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Every call of <paramref name="method"/> (or of a method it overrides: the call dispatches
    /// here) in the compilation; null when a use is not a call.</summary>
    public static List<CallSite>? InTheCompilation(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
        => InTheCompilation(method, compilation, acceptedUse: null, cancellationToken);

    /// <summary>As above, where a use that is not a call but that <paramref name="acceptedUse"/> accepts
    /// (given the name and its bound model) is skipped instead of making the answer unknown.</summary>
    public static List<CallSite>? InTheCompilation(IMethodSymbol method, Compilation compilation, System.Func<SimpleNameSyntax, SemanticModel, bool>? acceptedUse, CancellationToken cancellationToken)
    {
        method = method.OriginalDefinition;
        var targets = new List<IMethodSymbol>();
        for (var current = method; current is not null; current = current.OverriddenMethod?.OriginalDefinition)
        {
            targets.Add(current);
        }

        var calls = new List<CallSite>();
        foreach (var scope in Scopes(method, compilation, cancellationToken))
        {
            var tree = scope.SyntaxTree;
            SemanticModel? model = null;
            foreach (var token in scope.DescendantTokens())
            {
                if (!token.IsKind(SyntaxKind.IdentifierToken) || token.ValueText != method.Name || token.Parent is not SimpleNameSyntax name
                    || name.Parent is MethodDeclarationSyntax || IsInNameOf(name))
                {
                    continue;
                }

                model ??= compilation.GetSemanticModel(tree);
                var callee = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : (ExpressionSyntax)name;

                // `base.M()` runs exactly the method it names; any other call of an overridden
                // method may dispatch to this override.
                // An extension method called as one binds to its reduced form.
                // A call of it that does not bind yet (an argument missing or wrong: code under edit) has
                // arguments nobody can read: the callers are unknown.
                var info = model.GetSymbolInfo(name, cancellationToken);
                if (info.Symbol is null && IsCandidate(info.CandidateSymbols, targets))
                {
                    return null;
                }

                if (info.Symbol is not IMethodSymbol named
                    || (named.ReducedFrom ?? named).OriginalDefinition is not { } bound
                    || (callee is MemberAccessExpressionSyntax { Expression: BaseExpressionSyntax }
                        ? !SymbolEqualityComparer.Default.Equals(bound, method)
                        : !Contains(targets, bound)))
                {
                    continue; // another symbol of that name
                }

                if (acceptedUse is not null
                    && !(callee.Parent is InvocationExpressionSyntax call && call.Expression == callee)
                    && acceptedUse(name, model))
                {
                    continue;
                }

                if (model.GetEnclosingSymbol(name.SpanStart, cancellationToken) is not { } enclosing
                    || callee.Parent is not InvocationExpressionSyntax invocation
                    || invocation.Expression != callee
                    || model.GetOperation(invocation, cancellationToken) is not IInvocationOperation operation)
                {
                    return null;
                }

                calls.Add(new CallSite(enclosing, operation));
            }
        }

        return calls;
    }

    // Where calls can be: a private method's own type declarations; anything else, every tree.
    private static IEnumerable<SyntaxNode> Scopes(IMethodSymbol method, Compilation compilation, CancellationToken cancellationToken)
    {
        if (method.DeclaredAccessibility == Accessibility.Private && method.ContainingType is { } type)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                yield return reference.GetSyntax(cancellationToken);
            }

            yield break;
        }

        // A plain search of each file's text first: only files that spell the name are walked token by
        // token (most of a large compilation does not, and walking every token of every file for each
        // asked-about method grew with the number of files).
        foreach (var tree in compilation.SyntaxTrees)
        {
            if (tree.GetText(cancellationToken).ToString().IndexOf(method.Name, System.StringComparison.Ordinal) >= 0)
            {
                yield return tree.GetRoot(cancellationToken);
            }
        }
    }

    private static bool IsInNameOf(SimpleNameSyntax name)
    {
        for (SyntaxNode? current = name.Parent; current is not null and not StatementSyntax and not MemberDeclarationSyntax; current = current.Parent)
        {
            if (current is InvocationExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: "nameof" } })
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsCandidate(System.Collections.Immutable.ImmutableArray<ISymbol> candidates, List<IMethodSymbol> targets)
    {
        foreach (var candidate in candidates)
        {
            if (candidate is IMethodSymbol method && Contains(targets, (method.ReducedFrom ?? method).OriginalDefinition))
            {
                return true;
            }
        }

        return false;
    }

    private static bool Contains(List<IMethodSymbol> targets, IMethodSymbol method)
    {
        foreach (var target in targets)
        {
            if (SymbolEqualityComparer.Default.Equals(target, method))
            {
                return true;
            }
        }

        return false;
    }
}
