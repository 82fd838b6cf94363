using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// Is a task known to be complete where it is waited on? Then <c>.Result</c> does not block and
/// there is nothing to report. Known complete: <c>Task.FromResult/FromException/FromCanceled</c>,
/// <c>Task.CompletedTask</c>; a local, parameter or field that was awaited earlier in the same
/// function on every path to the wait, or that was part of an awaited <c>Task.WhenAll</c>; and a
/// wait guarded by an <c>IsCompleted</c>-style check.
/// </summary>
internal static class KnownCompleteTasks
{
    public static bool IsKnownComplete(IOperation task, KnownSymbols symbols)
    {
        task = Unwrap(task);
        if (IsCompletedFactory(task, symbols))
        {
            return true;
        }

        var target = ReferencedSymbol(task);
        var collection = ElementSourceCollection(task);
        if (target is null && collection is null)
        {
            return false;
        }

        return (target is not null && IsGuardedByCompletionCheck(task, target))
               || WasAwaitedBefore(task, target, collection, symbols);
    }

    /// <summary>Strips conversions, parentheses and <c>ConfigureAwait(...)</c>.</summary>
    public static IOperation Unwrap(IOperation operation)
    {
        while (true)
        {
            switch (operation)
            {
                case IConversionOperation conversion:
                    operation = conversion.Operand;
                    continue;
                case IParenthesizedOperation parenthesized:
                    operation = parenthesized.Operand;
                    continue;
                case IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } instance }:
                    operation = instance;
                    continue;
                default:
                    return operation;
            }
        }
    }

    private static bool IsCompletedFactory(IOperation task, KnownSymbols symbols)
    {
        var (member, type) = task switch
        {
            IInvocationOperation { TargetMethod: { IsStatic: true } method } => (method.Name, method.ContainingType),
            IPropertyReferenceOperation { Property: { IsStatic: true } property } => (property.Name, property.ContainingType),
            _ => (null, null),
        };

        return member is "FromResult" or "FromException" or "FromCanceled" or "CompletedTask"
               && type is not null
               && (SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, symbols.Task)
                   || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, symbols.ValueTask)
                   || SymbolEqualityComparer.Default.Equals(type.OriginalDefinition, symbols.ValueTaskOfT));
    }

    private static ISymbol? ReferencedSymbol(IOperation operation) => Unwrap(operation) switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
        _ => null,
    };

    // tasks[i] or the variable of `foreach (var t in tasks)`: complete when `tasks` was awaited as a whole.
    private static ISymbol? ElementSourceCollection(IOperation task)
    {
        switch (task)
        {
            case IArrayElementReferenceOperation element:
                return ReferencedSymbol(element.ArrayReference);
            case IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } instance }:
                return ReferencedSymbol(instance);
            case ILocalReferenceOperation local:
                for (var current = task.Parent; current is not null; current = current.Parent)
                {
                    if (current is IForEachLoopOperation loop
                        && loop.LoopControlVariable is IVariableDeclaratorOperation declarator
                        && SymbolEqualityComparer.Default.Equals(declarator.Symbol, local.Local))
                    {
                        return ReferencedSymbol(loop.Collection);
                    }

                    if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
                    {
                        break;
                    }
                }

                return null;
            default:
                return null;
        }
    }

    // if (t.IsCompleted) { ... t.Result ... }  or  t.IsCompletedSuccessfully ? t.Result : ...
    private static bool IsGuardedByCompletionCheck(IOperation task, ISymbol target)
    {
        IOperation child = task;
        for (var current = task.Parent; current is not null; child = current, current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return false;
            }

            if (current is IConditionalOperation conditional
                && conditional.WhenTrue == child
                && AssertsCompletion(conditional.Condition, target))
            {
                return true;
            }

            if (current is IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and
                && and.RightOperand == child
                && AssertsCompletion(and.LeftOperand, target))
            {
                return true;
            }
        }

        return false;
    }

    private static bool AssertsCompletion(IOperation condition, ISymbol target)
    {
        condition = Unwrap(condition);
        switch (condition)
        {
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and:
                return AssertsCompletion(and.LeftOperand, target) || AssertsCompletion(and.RightOperand, target);
            case IPropertyReferenceOperation { Property.Name: "IsCompleted" or "IsCompletedSuccessfully" or "IsFaulted" or "IsCanceled", Instance: { } instance }:
                return SymbolEqualityComparer.Default.Equals(ReferencedSymbol(instance), target);
            case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals:
                return IsStatusOf(equals.LeftOperand, target) || IsStatusOf(equals.RightOperand, target);
            default:
                return false;
        }
    }

    private static bool IsStatusOf(IOperation operation, ISymbol target)
        => Unwrap(operation) is IPropertyReferenceOperation { Property.Name: "Status", Instance: { } instance }
           && SymbolEqualityComparer.Default.Equals(ReferencedSymbol(instance), target);

    // An `await target` or `await Task.WhenAll(..., target, ...)` (or WhenAll(collection)) in the same
    // function, before the wait, that runs on every path to it.
    private static bool WasAwaitedBefore(IOperation task, ISymbol? target, ISymbol? collection, KnownSymbols symbols)
    {
        var body = AsyncContext.GetFunctionBody(task);

        var waitSyntax = task.Syntax;
        foreach (var descendant in body.Descendants())
        {
            if (descendant is not IAwaitOperation awaited
                || awaited.Syntax.Span.End > waitSyntax.SpanStart
                || !Awaits(awaited.Operation, target, collection, symbols)
                || !Dominates(awaited.Syntax, waitSyntax)
                || AsyncContext.IsInNestedFunction(awaited, body))
            {
                continue;
            }

            return true;
        }

        return false;
    }

    private static bool Awaits(IOperation awaited, ISymbol? target, ISymbol? collection, KnownSymbols symbols)
    {
        awaited = Unwrap(awaited);
        if (target is not null && SymbolEqualityComparer.Default.Equals(ReferencedSymbol(awaited), target))
        {
            return true;
        }

        if (awaited is not IInvocationOperation { TargetMethod: { Name: "WhenAll", IsStatic: true } whenAll } invocation
            || !SymbolEqualityComparer.Default.Equals(whenAll.ContainingType, symbols.Task))
        {
            return false;
        }

        foreach (var argument in invocation.Arguments)
        {
            var value = Unwrap(argument.Value);
            if (collection is not null && SymbolEqualityComparer.Default.Equals(ReferencedSymbol(value), collection))
            {
                return true;
            }

            if (target is not null && value is IArrayCreationOperation { Initializer: { } initializer })
            {
                foreach (var element in initializer.ElementValues)
                {
                    if (SymbolEqualityComparer.Default.Equals(ReferencedSymbol(element), target))
                    {
                        return true;
                    }
                }
            }
            else if (target is not null && SymbolEqualityComparer.Default.Equals(ReferencedSymbol(value), target))
            {
                return true;
            }
        }

        return false;
    }

    // Syntactic dominance, deliberately simple: the await is evaluated unconditionally by its
    // statement, and that statement sits in a block (or switch section) that also holds the wait.
    private static bool Dominates(SyntaxNode awaitSyntax, SyntaxNode waitSyntax)
    {
        SyntaxNode child = awaitSyntax;
        for (var current = awaitSyntax.Parent; current is not null; child = current, current = current.Parent)
        {
            switch (current)
            {
                case ConditionalExpressionSyntax conditional when child != conditional.Condition:
                case BinaryExpressionSyntax binary when child == binary.Right
                                                        && binary.Kind() is SyntaxKind.LogicalAndExpression or SyntaxKind.LogicalOrExpression or SyntaxKind.CoalesceExpression:
                case ConditionalAccessExpressionSyntax access when child == access.WhenNotNull:
                case SwitchExpressionSyntax:
                    return false;
                case StatementSyntax statement when statement.Parent is BlockSyntax or SwitchSectionSyntax or GlobalStatementSyntax:
                    var scope = statement.Parent is GlobalStatementSyntax global ? global.Parent! : statement.Parent;
                    return scope.Span.Contains(waitSyntax.Span) && !statement.Span.Contains(waitSyntax.Span);
                case StatementSyntax:
                    return false;
            }
        }

        return false;
    }
}
