using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// <c>TryRemove(key, disposeKey: false)</c> where <c>Task TryRemove(K key, bool disposeKey)</c> starts
/// work only under <c>if (disposeKey)</c> and otherwise returns <c>Task.CompletedTask</c>: with the
/// constant the caller passes, every return the call can reach hands back a finished task. The
/// constants must decide it: a method that returns <c>Task.CompletedTask</c> whatever it is given is a
/// stub that stands for work to come, not a finished task. Read from
/// the syntax of a non-virtual, non-async method declared once in source (no second binding); a
/// flag the method assigns, or a return it cannot read, proves nothing.
/// </summary>
internal static class CompleteForArguments
{
    public static bool ReturnsACompleteTask(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod.OriginalDefinition;
        if (method.IsVirtual || method.IsAbstract || method.IsOverride || method.IsAsync
            || method.MethodKind != MethodKind.Ordinary
            || method.DeclaringSyntaxReferences.Length != 1
            || method.DeclaringSyntaxReferences[0].GetSyntax() is not MethodDeclarationSyntax declaration)
        {
            return false;
        }

        var flags = ConstantFlags(invocation);
        if (flags.Count == 0)
        {
            return false;
        }

        var decided = false;
        if (declaration.ExpressionBody is { } arrow)
        {
            return IsComplete(arrow.Expression, flags, method.ReturnType.Name, ref decided) && decided;
        }

        if (declaration.Body is not { } body || AssignsAny(body, flags))
        {
            return false;
        }

        foreach (var node in body.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            if (node is not ReturnStatementSyntax @return)
            {
                continue;
            }

            if (IsUnreachable(@return, body, flags))
            {
                decided = true;
            }
            else if (!IsComplete(@return.Expression, flags, method.ReturnType.Name, ref decided))
            {
                return false;
            }
        }

        return decided;
    }

    /// <summary>
    /// <c>DeflateSyncOrAsync(false, null).GetAwaiter().GetResult()</c> where the async method awaits only
    /// under <c>if (ct.HasValue)</c> (SharpZipLib's dual-path deflater): with the constants the call
    /// passes (bools, and <c>null</c> for a nullable parameter), no <c>await</c> is reachable, so the
    /// method runs to its end before returning and its task is complete. The constants must rule out at
    /// least one await; an async method with none proves nothing here. Read from the syntax of a
    /// non-virtual async method declared once in source; a parameter it assigns proves nothing.
    /// </summary>
    public static bool RunsNoAwait(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod.OriginalDefinition;
        if (!method.IsAsync || method.IsVirtual || method.IsAbstract || method.IsOverride
            || method.MethodKind != MethodKind.Ordinary
            || method.DeclaringSyntaxReferences.Length != 1
            || method.DeclaringSyntaxReferences[0].GetSyntax() is not MethodDeclarationSyntax { Body: { } body })
        {
            return false;
        }

        var flags = ConstantFlags(invocation);
        if (flags.Count == 0 || AssignsAny(body, flags))
        {
            return false;
        }

        var ruledOut = false;
        foreach (var node in body.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            if (!AsyncContext.IsAwait(node))
            {
                continue;
            }

            if (!IsUnreachable(node, body, flags))
            {
                return false;
            }

            ruledOut = true;
        }

        return ruledOut;
    }

    // The bool parameters the call gives a constant (a default value counts: the argument is implicit),
    // and the nullable parameters it gives `null`, under the key "?name" (`ct.HasValue` is then false).
    private static Dictionary<string, bool> ConstantFlags(IInvocationOperation invocation)
    {
        var flags = new Dictionary<string, bool>();
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is not { RefKind: RefKind.None, Name: var name } parameter)
            {
                continue;
            }

            if (parameter.Type.SpecialType == SpecialType.System_Boolean
                && argument.Value.ConstantValue is { HasValue: true, Value: bool value })
            {
                flags[name] = value;
            }
            else if (parameter.Type.IsReferenceType || parameter.Type.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T)
            {
                if (argument.Value.WithoutConversions() is { ConstantValue: { HasValue: true, Value: null } } or IDefaultValueOperation)
                {
                    flags["?" + name] = true;
                }
            }
        }

        AddGuardedFieldFlags(invocation, flags);
        return flags;
    }

    // `if (_async) throw …; DisposeAsync().GetAwaiter().GetResult();` (Npgsql's nested read scope): a
    // call on this object after a guard that leaves when a readonly bool field of its type is true runs
    // with that field false (and `if (!_async) return;` with it true), so the callee's branches on the
    // field are decided as if it were a constant argument. Guards are the statements before the call in
    // its block and the blocks around it, up to the enclosing function.
    private static void AddGuardedFieldFlags(IInvocationOperation invocation, Dictionary<string, bool> flags)
    {
        var method = invocation.TargetMethod;
        if (method.IsStatic || invocation.Instance is not IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance })
        {
            return;
        }

        IOperation child = invocation;
        for (var current = invocation.Parent; current is not null and not (IAnonymousFunctionOperation or ILocalFunctionOperation); child = current, current = current.Parent)
        {
            if (current is not IBlockOperation block)
            {
                continue;
            }

            foreach (var statement in block.Operations)
            {
                if (statement == child)
                {
                    break;
                }

                if (statement is IConditionalOperation { WhenFalse: null } guard
                    && GuardField(guard.Condition, method) is { } field
                    && guard.WhenTrue.AlwaysLeaves())
                {
                    flags[field.Name] = !field.WhenLeaving;
                }
            }
        }
    }

    // `_async` or `!_async`: a readonly bool field of the callee's type read on this object, which no
    // parameter of the callee hides; WhenLeaving is the field's value when the guard leaves.
    private static (string Name, bool WhenLeaving)? GuardField(IOperation condition, IMethodSymbol callee)
    {
        var whenLeaving = true;
        if (condition is IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: var operand })
        {
            condition = operand;
            whenLeaving = false;
        }

        if (condition is not IFieldReferenceOperation { Field: { IsReadOnly: true, IsStatic: false, Type.SpecialType: SpecialType.System_Boolean } field, Instance: IInstanceReferenceOperation }
            || !SymbolEqualityComparer.Default.Equals(field.ContainingType, callee.ContainingType?.OriginalDefinition))
        {
            return null;
        }

        foreach (var parameter in callee.Parameters)
        {
            if (parameter.Name == field.Name)
            {
                return null;
            }
        }

        return (field.Name, whenLeaving);
    }

    // A return inside `if (flag) { … }` whose flag the call makes false (or the else of one it makes true).
    private static bool IsUnreachable(SyntaxNode node, SyntaxNode body, Dictionary<string, bool> flags)
    {
        for (var child = node; child != body && child.Parent is { } parent; child = parent)
        {
            if (parent is IfStatementSyntax @if && Evaluate(@if.Condition, flags) is { } value
                && ((child == @if.Statement && !value) || (child == @if.Else && value)))
            {
                return true;
            }

            if (parent is ConditionalExpressionSyntax conditional && Evaluate(conditional.Condition, flags) is { } chosen
                && ((child == conditional.WhenTrue && !chosen) || (child == conditional.WhenFalse && chosen)))
            {
                return true;
            }
        }

        return false;
    }

    // `decided` is set when a flag picked a branch on the way.
    private static bool IsComplete(ExpressionSyntax? expression, Dictionary<string, bool> flags, string returnType, ref bool decided)
    {
        switch (expression)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return IsComplete(parenthesized.Expression, flags, returnType, ref decided);
            case ConditionalExpressionSyntax conditional:
                var chosen = Evaluate(conditional.Condition, flags);
                decided |= chosen is not null;
                return chosen switch
                {
                    true => IsComplete(conditional.WhenTrue, flags, returnType, ref decided),
                    false => IsComplete(conditional.WhenFalse, flags, returnType, ref decided),
                    null => IsComplete(conditional.WhenTrue, flags, returnType, ref decided) && IsComplete(conditional.WhenFalse, flags, returnType, ref decided),
                };
            // `Task.CompletedTask`, or the finished value of the method's own task-like return type
            // (`ReusableTask.CompletedTask` in a method returning ReusableTask, MonoTorrent's disk manager).
            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CompletedTask", Expression: var type }:
                return IsTaskTypeName(type) || type is IdentifierNameSyntax { Identifier.ValueText: var named } && named == returnType;
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name: var factory, Expression: var type } }:
                return factory.Identifier.ValueText is "FromResult" or "FromException" or "FromCanceled" && IsTaskTypeName(type);
            case LiteralExpressionSyntax literal:
                return literal.IsKind(SyntaxKind.DefaultLiteralExpression); // `default(ValueTask)`: complete
            // `return new();` / `new ValueTask()` in a method returning a ValueTask: the default value, complete.
            case ImplicitObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 0, Initializer: null }:
                return returnType == "ValueTask";
            case ObjectCreationExpressionSyntax { Type: var created, Initializer: null } creation when creation.ArgumentList is null or { Arguments.Count: 0 }:
                return returnType == "ValueTask" && NamesValueTask(created);
            default:
                return false;
        }
    }

    private static bool NamesValueTask(TypeSyntax type)
        => type switch
        {
            SimpleNameSyntax name => name.Identifier.ValueText == "ValueTask",
            QualifiedNameSyntax qualified => NamesValueTask(qualified.Right),
            _ => false,
        };

    private static bool IsTaskTypeName(ExpressionSyntax type)
        => type switch
        {
            IdentifierNameSyntax { Identifier.ValueText: "Task" or "ValueTask" } => true,
            MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Task" or "ValueTask" } => true,
            _ => false,
        };

    // The value of a condition made of the call's constant flags; null when it depends on anything else.
    private static bool? Evaluate(ExpressionSyntax condition, Dictionary<string, bool> flags)
    {
        switch (condition)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return Evaluate(parenthesized.Expression, flags);
            case IdentifierNameSyntax { Identifier.ValueText: var name }:
                return flags.TryGetValue(name, out var value) ? value : null;
            case MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: var nullable }, Name.Identifier.ValueText: "HasValue" }:
                return flags.ContainsKey("?" + nullable) ? false : null;
            case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.EqualsExpression or (int)SyntaxKind.NotEqualsExpression } comparison
                when NullTested(comparison.Left, comparison.Right) is { } tested:
                return flags.ContainsKey("?" + tested) ? comparison.IsKind(SyntaxKind.EqualsExpression) : null;
            case IsPatternExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: var checkedName }, Pattern: var pattern }
                when flags.ContainsKey("?" + checkedName):
                return pattern switch
                {
                    ConstantPatternSyntax { Expression: LiteralExpressionSyntax literal } when literal.IsKind(SyntaxKind.NullLiteralExpression) => true,
                    UnaryPatternSyntax { Pattern: ConstantPatternSyntax { Expression: LiteralExpressionSyntax literal } } when literal.IsKind(SyntaxKind.NullLiteralExpression) => false,
                    _ => null,
                };
            case PrefixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalNotExpression, Operand: var operand }:
                return !Evaluate(operand, flags);
            case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalAndExpression } and:
                var (left, right) = (Evaluate(and.Left, flags), Evaluate(and.Right, flags));
                return left == false || right == false ? false : left == true && right == true ? true : null;
            case BinaryExpressionSyntax { RawKind: (int)SyntaxKind.LogicalOrExpression } or:
                var (first, second) = (Evaluate(or.Left, flags), Evaluate(or.Right, flags));
                return first == true || second == true ? true : first == false && second == false ? false : null;
            default:
                return null;
        }
    }

    // `x == null` / `null != x`: the name tested.
    private static string? NullTested(ExpressionSyntax left, ExpressionSyntax right)
        => (left, right) switch
        {
            (IdentifierNameSyntax name, LiteralExpressionSyntax literal) when literal.IsKind(SyntaxKind.NullLiteralExpression) => name.Identifier.ValueText,
            (LiteralExpressionSyntax literal, IdentifierNameSyntax name) when literal.IsKind(SyntaxKind.NullLiteralExpression) => name.Identifier.ValueText,
            _ => null,
        };

    // `disposeKey = …` (or a ref to it) anywhere in the body: the constant no longer decides.
    private static bool AssignsAny(SyntaxNode body, Dictionary<string, bool> flags)
    {
        foreach (var node in body.DescendantNodes())
        {
            if ((node is AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: var assigned } } && (flags.ContainsKey(assigned) || flags.ContainsKey("?" + assigned)))
                || (node is ArgumentSyntax { RefKindKeyword.RawKind: not 0, Expression: IdentifierNameSyntax { Identifier.ValueText: var passed } } && (flags.ContainsKey(passed) || flags.ContainsKey("?" + passed))))
            {
                return true;
            }
        }

        return false;
    }
}
