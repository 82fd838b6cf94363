using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// A call to a method of this compilation that computes its <c>Task&lt;T&gt;</c>'s result synchronously: not
/// virtual, not async, and every return hands back <c>Task.FromResult(…)</c> (or <c>FromException</c>,
/// <c>FromCanceled</c>), a static read-only field or get-only property holding such a task, or a call to another
/// such method (Microsoft.Testing.Platform's option validators: <c>cond ? ValidationResult.InvalidTask(msg) :
/// ValidationResult.ValidTask</c>). Its task is complete when the call returns. Only <c>Task&lt;T&gt;</c> with a
/// computed result: a method that returns <c>Task.CompletedTask</c>, <c>Task.FromResult(1)</c> or
/// <c>FromResult(default(T))</c> whatever happens is a stub standing for work to come.
/// Binds the callee's body: asked of would-be findings only, the answer cached per method.
/// </summary>
internal static class SynchronousResults
{
    private const int MaxDepth = 2;

    private static readonly ConditionalWeakTable<IMethodSymbol, StrongBox<bool>> Answers = new();

    public static bool ReturnsAFinishedResult(IInvocationOperation call, KnownSymbols symbols)
        => IsCandidate(call.TargetMethod, symbols)
           && Computes(call.TargetMethod.OriginalDefinition, symbols, depth: 0);

    private static bool IsCandidate(IMethodSymbol method, KnownSymbols symbols)
        => method is { IsVirtual: false, IsAbstract: false, IsOverride: false, IsAsync: false, MethodKind: MethodKind.Ordinary, ReturnType: INamedTypeSymbol { IsGenericType: true } returned }
           && SymbolEqualityComparer.Default.Equals(returned.OriginalDefinition, symbols.TaskOfT)
           && method.DeclaringSyntaxReferences.Length == 1;

    private static bool Computes(IMethodSymbol method, KnownSymbols symbols, int depth)
    {
        if (Answers.TryGetValue(method, out var known))
        {
            return known.Value;
        }

        var answer = Compute(method, symbols, depth);
        return depth == 0 ? Answers.GetValue(method, _ => new StrongBox<bool>(answer)).Value : answer;
    }

    private static bool Compute(IMethodSymbol method, KnownSymbols symbols, int depth)
    {
        if (MethodBodies.Bind(method, symbols.Compilation, System.Threading.CancellationToken.None) is not { } body)
        {
            return false;
        }

        var any = false;
        foreach (var operation in body.Descendants())
        {
            if (operation is IReturnOperation @return && !AsyncContext.IsInNestedFunction(operation, body))
            {
                if (@return.ReturnedValue is not { } value || !IsFinished(value, symbols, depth))
                {
                    return false;
                }

                any = true;
            }
        }

        return any;
    }

    private static bool IsFinished(IOperation value, KnownSymbols symbols, int depth)
    {
        value = KnownCompleteTasks.Unwrap(value);
        switch (value)
        {
            case IConditionalOperation { WhenFalse: { } whenFalse } conditional:
                return IsFinished(conditional.WhenTrue, symbols, depth) && IsFinished(whenFalse, symbols, depth);
            case ICoalesceOperation coalesce:
                return IsFinished(coalesce.Value, symbols, depth) && IsFinished(coalesce.WhenNull, symbols, depth);
            // `Task.FromResult(new ValidationResult(false, message))`: a computed value. `Task.FromResult(1)` or
            // `FromResult(default(T))` is what a placeholder returns: a stub standing for work to come.
            case IInvocationOperation call when KnownCompleteTasks.IsCompletedFactory(call, symbols):
                return call.Arguments.Length > 0 && IsComputed(call.Arguments[0].Value);
            case IInvocationOperation call:
                return depth < MaxDepth && IsCandidate(call.TargetMethod, symbols) && Computes(call.TargetMethod.OriginalDefinition, symbols, depth + 1);
            case IFieldReferenceOperation { Field: { IsStatic: true, IsReadOnly: true } field }:
                return HoldsAFinishedTask(field, symbols);
            case IPropertyReferenceOperation { Property: { IsStatic: true, SetMethod: null } property }:
                return HoldsAFinishedTask(property, symbols);
            default:
                return false;
        }
    }

    private static bool IsComputed(IOperation value)
        => value.WithoutConversions() is not (ILiteralOperation or IDefaultValueOperation) && !value.ConstantValue.HasValue;

    // `public static Task<ValidationResult> ValidTask { get; } = Task.FromResult(Valid());`, or the same as a
    // static read-only field, or `=> Task.FromResult(…)`: a task finished when it was made.
    private static bool HoldsAFinishedTask(ISymbol member, KnownSymbols symbols)
    {
        if (member.DeclaringSyntaxReferences.Length != 1)
        {
            return false;
        }

        var syntax = member.DeclaringSyntaxReferences[0].GetSyntax();
        var initial = syntax switch
        {
            Microsoft.CodeAnalysis.CSharp.Syntax.VariableDeclaratorSyntax { Initializer.Value: { } value } => value,
            Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax { Initializer.Value: { } value, AccessorList: not null } => value,
            Microsoft.CodeAnalysis.CSharp.Syntax.PropertyDeclarationSyntax { ExpressionBody.Expression: { } value } => value,
            _ => null,
        };
        return MethodBodies.Bind(initial, symbols.Compilation, System.Threading.CancellationToken.None) is { } operation
               && KnownCompleteTasks.Unwrap(operation) is IInvocationOperation factory
               && KnownCompleteTasks.IsCompletedFactory(factory, symbols)
               && factory.Arguments.Length > 0
               && IsComputed(factory.Arguments[0].Value);
    }
}
