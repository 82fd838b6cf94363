using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// Code compiled only in debug builds, and waits for a debugger to attach: inside the taken branch of <c>#if DEBUG</c> (or <c>#if DEBUG &amp;&amp;
/// …</c>), or the <c>#else</c> of <c>#if !DEBUG</c>. A <c>Thread.Sleep</c> there is a debugging aid — a simulated network lag behind a test
/// setting, a pause to attach a debugger — that release builds never run. Asked of would-be findings
/// only: it reads the file's directives up to the node.
/// </summary>
internal static class DebugOnlyCode
{
    public static bool Contains(SyntaxNode node)
    {
        if (node.SyntaxTree.GetRoot() is not CSharpSyntaxNode { ContainsDirectives: true } root)
        {
            return false;
        }

        // One entry per open #if: whether the region the node would be in is the DEBUG branch.
        var open = new Stack<bool>();
        for (var directive = root.GetFirstDirective(); directive is not null && directive.SpanStart < node.SpanStart; directive = directive.GetNextDirective())
        {
            switch (directive)
            {
                case IfDirectiveTriviaSyntax @if:
                    open.Push(@if.BranchTaken && NamesDebug(@if.Condition));
                    break;
                case ElseDirectiveTriviaSyntax @else when open.Count > 0:
                    open.Pop();
                    open.Push(@else.BranchTaken && PrecedingIfIsNotDebug(@else));
                    break;
                case ElifDirectiveTriviaSyntax when open.Count > 0:
                    open.Pop();
                    open.Push(false);
                    break;
                case EndIfDirectiveTriviaSyntax when open.Count > 0:
                    open.Pop();
                    break;
            }
        }

        return open.Contains(true);
    }

    /// <summary>
    /// <c>while (!Debugger.IsAttached) { Thread.Sleep(1000); }</c> (Microsoft.Testing.Platform's
    /// <c>--debug-attach</c> option): a wait for a person to attach a debugger, behind an option nobody turns
    /// on in production. True when the innermost loop around the operation tests
    /// <c>System.Diagnostics.Debugger.IsAttached</c> in its condition.
    /// </summary>
    public static bool IsWaitForDebugger(IOperation operation)
    {
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }

            if (current is IWhileLoopOperation { Condition: { } condition })
            {
                return ReadsDebuggerIsAttached(condition);
            }

            if (current is ILoopOperation)
            {
                return false;
            }
        }

        return false;
    }

    private static bool ReadsDebuggerIsAttached(IOperation condition)
    {
        foreach (var operation in condition.DescendantsAndSelf())
        {
            if (operation is IPropertyReferenceOperation { Property: { Name: "IsAttached", IsStatic: true, ContainingType: { Name: "Debugger", ContainingNamespace: { Name: "Diagnostics", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } } })
            {
                return true;
            }
        }

        return false;
    }

    // `#if !DEBUG … #else …`: the else is the debug branch (not after an `#elif`).
    private static bool PrecedingIfIsNotDebug(ElseDirectiveTriviaSyntax @else)
    {
        var related = @else.GetRelatedDirectives();
        return related.Count == 3
               && related[0] is IfDirectiveTriviaSyntax { Condition: PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression, Operand: var operand } }
               && operand is IdentifierNameSyntax { Identifier.ValueText: "DEBUG" };
    }

    // `DEBUG`, `(DEBUG)`, or `DEBUG && …` on either side: true only where DEBUG is defined.
    private static bool NamesDebug(ExpressionSyntax condition) => condition switch
    {
        IdentifierNameSyntax { Identifier.ValueText: "DEBUG" } => true,
        ParenthesizedExpressionSyntax { Expression: var inner } => NamesDebug(inner),
        BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression } and
        {
            Left: var left, Right: var right,
        } => NamesDebug(left) || NamesDebug(right),
        _ => false,
    };
}
