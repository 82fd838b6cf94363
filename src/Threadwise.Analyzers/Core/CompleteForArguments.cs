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
        var compilation = invocation.SemanticModel?.Compilation;
        if (declaration.ExpressionBody is { } arrow)
        {
            return IsComplete(arrow.Expression, flags, method.ReturnType.Name, ref decided, body: null, compilation) && decided;
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
            else if (!IsComplete(@return.Expression, flags, method.ReturnType.Name, ref decided, body, compilation))
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

    /// <summary>
    /// <c>InvokeService(() => Task.FromResult(call()), logger).Result</c> where the async method's every
    /// <c>await</c> awaits a call of a delegate parameter (<c>return await serviceCall();</c>) and the call
    /// hands it a lambda that returns a finished task (dotnet-monitor's synchronous controller path, "convert
    /// to Task and safely convert back"): each await finds its task complete and goes on at once, so the
    /// method runs to its end before returning. Any other await, a parameter the method assigns, or a
    /// lambda that does anything but build the finished task proves nothing.
    /// </summary>
    public static bool AwaitsOnlyFinishedDelegates(IInvocationOperation invocation)
    {
        var method = invocation.TargetMethod.OriginalDefinition;
        if (!method.IsAsync || method.IsVirtual || method.IsAbstract || method.IsOverride
            || method.MethodKind != MethodKind.Ordinary
            || method.DeclaringSyntaxReferences.Length != 1
            || method.DeclaringSyntaxReferences[0].GetSyntax() is not MethodDeclarationSyntax declaration
            || ((SyntaxNode?)declaration.Body ?? declaration.ExpressionBody) is not { } body)
        {
            return false;
        }

        Dictionary<string, bool>? finished = null;
        foreach (var argument in invocation.Arguments)
        {
            if (argument.Parameter is { } parameter
                && argument.Syntax is ArgumentSyntax { Expression: LambdaExpressionSyntax { ExpressionBody: { } returned } }
                && IsFinishedTaskSyntax(returned))
            {
                (finished ??= new Dictionary<string, bool>())[parameter.Name] = true;
            }
        }

        if (finished is null || AssignsAny(body, finished))
        {
            return false;
        }

        var awaits = 0;
        foreach (var node in body.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            if (!AsyncContext.IsAwait(node))
            {
                continue;
            }

            if (node is not AwaitExpressionSyntax { Expression: var awaited }
                || AsyncContext.WithoutConfigureAwait(awaited) is not InvocationExpressionSyntax { Expression: var callee }
                || InvokedName(callee) is not { } name
                || !finished.ContainsKey(name))
            {
                return false;
            }

            awaits++;
        }

        return awaits > 0;
    }

    private static string? InvokedName(ExpressionSyntax callee) => callee switch
    {
        IdentifierNameSyntax identifier => identifier.Identifier.ValueText,
        MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Invoke", Expression: IdentifierNameSyntax identifier } => identifier.Identifier.ValueText,
        _ => null,
    };

    private static bool IsFinishedTaskSyntax(CSharpSyntaxNode expression) => expression switch
    {
        InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "FromResult" or "FromException" or "FromCanceled", Expression: var type } } => IsTaskTypeName(type),
        MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CompletedTask", Expression: var type } => IsTaskTypeName(type),
        _ => false,
    };

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
    // `body` (a block body, for returned locals) and `compilation` (for helpers) may be null: then those
    // forms prove nothing.
    private static bool IsComplete(ExpressionSyntax? expression, Dictionary<string, bool> flags, string returnType, ref bool decided, SyntaxNode? body, Compilation? compilation)
    {
        switch (expression)
        {
            case ParenthesizedExpressionSyntax parenthesized:
                return IsComplete(parenthesized.Expression, flags, returnType, ref decided, body, compilation);
            case ConditionalExpressionSyntax conditional:
                var chosen = Evaluate(conditional.Condition, flags);
                decided |= chosen is not null;
                return chosen switch
                {
                    true => IsComplete(conditional.WhenTrue, flags, returnType, ref decided, body, compilation),
                    false => IsComplete(conditional.WhenFalse, flags, returnType, ref decided, body, compilation),
                    null => IsComplete(conditional.WhenTrue, flags, returnType, ref decided, body, compilation) && IsComplete(conditional.WhenFalse, flags, returnType, ref decided, body, compilation),
                };
            case IdentifierNameSyntax { Identifier.ValueText: var local } when body is not null:
                return IsCompleteLocal(local, body, flags, returnType, ref decided, compilation);
            // `Task.CompletedTask`, or the finished value of the method's own task-like return type
            // (`ReusableTask.CompletedTask` in a method returning ReusableTask, MonoTorrent's disk manager).
            case MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CompletedTask", Expression: var type }:
                return IsTaskTypeName(type) || type is IdentifierNameSyntax { Identifier.ValueText: var named } && named == returnType;
            case InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name: var factory, Expression: var type } }
                when factory.Identifier.ValueText is "FromResult" or "FromException" or "FromCanceled" && IsTaskTypeName(type):
                return true;
            case InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0 } helper when compilation is not null:
                return ReturnsAFinishedTask(helper, compilation);
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

    // `var task = CompletedTask.Get(); … if (drain) { task = Task.Run(…); } … return task;` (the NATS v1
    // client's unsubscribe): the local's one declaration starts it finished, and every other assignment
    // is either finished too or ruled out by the constants. A local declared twice (sibling blocks, or a
    // lambda's own), handed out by `ref`/`out`, assigned in a lambda or local function, or updated
    // otherwise, proves nothing.
    private static bool IsCompleteLocal(string local, SyntaxNode body, Dictionary<string, bool> flags, string returnType, ref bool decided, Compilation? compilation)
    {
        ExpressionSyntax? initial = null;
        var declarations = 0;
        foreach (var node in body.DescendantNodes())
        {
            switch (node)
            {
                // A lambda or local function that assigns it may run at any time.
                case AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: var captured } } inner when captured == local && AsyncContext.IsInNestedFunction(inner, body):
                    return false;
                case VariableDeclaratorSyntax declarator when declarator.Identifier.ValueText == local:
                    declarations++;
                    initial = declarator.Initializer?.Value;
                    break;
                case ArgumentSyntax { RefKindKeyword.RawKind: not 0, Expression: IdentifierNameSyntax { Identifier.ValueText: var passed } } when passed == local:
                    return false;
                case AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: var assigned } } assignment when assigned == local:
                    if (IsUnreachable(assignment, body, flags))
                    {
                        decided = true;
                    }
                    else if (!assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) || !IsComplete(assignment.Right, flags, returnType, ref decided, body: null, compilation))
                    {
                        return false;
                    }

                    break;
            }
        }

        return declarations == 1 && IsComplete(initial, flags, returnType, ref decided, body: null, compilation);
    }

    // `CompletedTask.Get()` where `static Task Get() => Task.CompletedTask;`: a parameterless, non-virtual
    // method of the source whose every return is a finished task (read without constants, one level).
#pragma warning disable RS1030 // The helper lives in another tree; asked only for a would-be finding.
    private static bool ReturnsAFinishedTask(InvocationExpressionSyntax call, Compilation compilation)
    {
        if (!compilation.ContainsSyntaxTree(call.SyntaxTree)
            || compilation.GetSemanticModel(call.SyntaxTree).GetSymbolInfo(call).Symbol is not IMethodSymbol { Parameters.Length: 0, IsVirtual: false, IsAbstract: false, IsOverride: false, IsAsync: false } helper
            || helper.DeclaringSyntaxReferences.Length != 1
            || helper.DeclaringSyntaxReferences[0].GetSyntax() is not MethodDeclarationSyntax declaration)
        {
            return false;
        }

        var none = new Dictionary<string, bool>();
        var ignored = false;
        if (declaration.ExpressionBody is { } arrow)
        {
            return IsComplete(arrow.Expression, none, helper.ReturnType.Name, ref ignored, body: null, compilation: null);
        }

        if (declaration.Body is not { } block)
        {
            return false;
        }

        var returns = 0;
        foreach (var node in block.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
        {
            if (node is ReturnStatementSyntax @return)
            {
                if (!IsComplete(@return.Expression, none, helper.ReturnType.Name, ref ignored, body: null, compilation: null))
                {
                    return false;
                }

                returns++;
            }
        }

        return returns > 0;
    }
#pragma warning restore RS1030

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
