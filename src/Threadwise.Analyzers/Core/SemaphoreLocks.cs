using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// A <c>SemaphoreSlim</c> used exactly as a <c>lock</c>: a private field that only ever holds
/// <c>new SemaphoreSlim(1, 1)</c>, taken only with a synchronous <c>Wait</c> in members that await
/// nothing, and handed to no other code. No holder can be suspended at an <c>await</c> while it holds
/// the slot, so waiting for it costs what waiting for a <c>lock</c> costs, and Threadwise does not report
/// <c>lock</c> in async code (found dogfooding Raygun's environment snapshot and HiveMQ's client:
/// `Semaphore.Wait(); try { … } finally { Semaphore.Release(); }` around synchronous work).
/// Asked only for would-be findings; the answer is cached per field.
/// </summary>
internal static class SemaphoreLocks
{
    private static readonly ConditionalWeakTable<IFieldSymbol, StrongBox<bool>> Answers = new();

    /// <summary>True when <paramref name="invocation"/> is an untimed <c>Wait()</c> (or
    /// <c>Wait(token)</c>) on such a semaphore.</summary>
    public static bool IsWaitOnALock(IInvocationOperation invocation, KnownSymbols symbols)
    {
        if (invocation.TargetMethod.Name != "Wait"
            || !SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, symbols.SemaphoreSlim)
            || Timeouts.HasTimeout(invocation)
            || invocation.Instance?.WithoutConversions() is not IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation, Field: { DeclaredAccessibility: Accessibility.Private } field }
            || invocation.SemanticModel is not { } model)
        {
            return false;
        }

        var compilation = model.Compilation;
        return Answers.GetValue(field.OriginalDefinition, f => new StrongBox<bool>(IsUsedOnlyAsALock(f, compilation))).Value;
    }

    private static bool IsUsedOnlyAsALock(IFieldSymbol field, Compilation compilation)
    {
        if (MemberAssignments.In(field, compilation) is not { Count: > 0 } values)
        {
            return false;
        }

        foreach (var (_, operation) in values)
        {
            if (operation?.WithoutConversions() is not IObjectCreationOperation creation || !IsMutex(creation))
            {
                return false;
            }
        }

        foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax().DescendantNodes())
            {
                if (node is IdentifierNameSyntax { Identifier.ValueText: var name } use && name == field.Name && !IsLockUse(use))
                {
                    return false;
                }
            }
        }

        return true;
    }

    // `new SemaphoreSlim(1, 1)` or `new SemaphoreSlim(1)`: one slot, as a lock has.
    private static bool IsMutex(IObjectCreationOperation creation)
    {
        if (creation.Arguments.Length is 0 or > 2)
        {
            return false;
        }

        foreach (var argument in creation.Arguments)
        {
            if (argument.Value.ConstantValue is not { HasValue: true, Value: 1 })
            {
                return false;
            }
        }

        return true;
    }

    // `_gate.Wait()` in a member that awaits nothing, `_gate.Release()`, `_gate.CurrentCount`, its
    // declaration and its assignments. `_gate.WaitAsync()`, a Wait in a member that awaits (the slot may be
    // held across the await), or the semaphore handed to other code are not a lock's uses.
    private static bool IsLockUse(IdentifierNameSyntax use)
    {
        ExpressionSyntax expression = use.Parent is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax } qualified && qualified.Name == use ? qualified : use;
        switch (expression.Parent)
        {
            case MemberAccessExpressionSyntax access when access.Expression == expression:
                return access.Name.Identifier.ValueText switch
                {
                    "Wait" => !AwaitsInItsMember(access),
                    "Release" or "CurrentCount" or "Dispose" => true,
                    _ => false,
                };
            case AssignmentExpressionSyntax assignment when assignment.Left == expression:
                return true;
            default:
                return false;
        }
    }

    private static bool AwaitsInItsMember(SyntaxNode node)
    {
        foreach (var ancestor in node.Ancestors())
        {
            if (ancestor is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax)
            {
                foreach (var inner in ancestor.DescendantNodes())
                {
                    if (AsyncContext.IsAwait(inner))
                    {
                        return true;
                    }
                }

                return false;
            }
        }

        return true;
    }
}
