using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.FlowAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// Which code cannot throw, and the flow graph of the function a node sits in. Conservative:
/// "cannot throw" is proved only for plain data moves (locals, parameters, fields of <c>this</c>
/// or static fields, constants, built-in comparisons and logic, unchecked numeric casts, an empty or
/// copied collection of System.Collections.Generic from a variable known not null, and calls of this
/// type's non-overridable methods whose bodies are such moves); any other call, property, indexer,
/// cast, allocation, division or await may throw.
/// </summary>
internal static class ExceptionFlow
{
    public static bool CannotThrow(IOperation operation)
    {
        if (!IsThrowFree(operation))
        {
            return false;
        }

        foreach (var child in operation.ChildOperations)
        {
            if (!CannotThrow(child))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsThrowFree(IOperation operation) => operation switch
    {
        IExpressionStatementOperation or ILocalReferenceOperation or IParameterReferenceOperation
            or IInstanceReferenceOperation or ILiteralOperation or IDefaultValueOperation
            or IFlowCaptureOperation or IFlowCaptureReferenceOperation or IIsNullOperation
            or IParenthesizedOperation or IEmptyOperation or IVariableDeclarationGroupOperation
            or IVariableDeclarationOperation or IVariableDeclaratorOperation or IVariableInitializerOperation => true,
        IFieldReferenceOperation field => field.Instance is null or IInstanceReferenceOperation,

        // An array's length: only a missing array would throw, a bug no lock protocol survives anyway.
        IPropertyReferenceOperation { Instance.Type: IArrayTypeSymbol, Property.Name: "Length" or "LongLength" } => true,
        ISimpleAssignmentOperation assignment => assignment.Target is ILocalReferenceOperation or IParameterReferenceOperation or IFieldReferenceOperation,
        IConversionOperation conversion => conversion.OperatorMethod is null && !conversion.IsChecked
            && (conversion.Conversion.IsImplicit || IsUncheckedNumericCast(conversion)),
        IUnaryOperation unary => unary.OperatorMethod is null && !unary.IsChecked,
        IBinaryOperation binary => binary.OperatorMethod is null && !binary.IsChecked
            && binary.OperatorKind is not (BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder or BinaryOperatorKind.IntegerDivide),
        IIncrementOrDecrementOperation increment => increment.OperatorMethod is null && !increment.IsChecked,
        ICompoundAssignmentOperation compound => compound.OperatorMethod is null && !compound.IsChecked
            && compound.OperatorKind is not (BinaryOperatorKind.Divide or BinaryOperatorKind.Remainder or BinaryOperatorKind.IntegerDivide),
        IObjectCreationOperation creation => IsCollectionSnapshot(creation),
        IArgumentOperation { Parent: IObjectCreationOperation or IInvocationOperation } => true, // its value is judged as a child
        IInvocationOperation call => IsDataMoveHelper(call),
        _ => false,
    };

    // `(int)(tick & 0xFFFFFFFF)`: an explicit conversion between integral or floating-point types in unchecked
    // code truncates instead of throwing (decimal conversions can throw, and are not counted).
    private static bool IsUncheckedNumericCast(IConversionOperation conversion)
        => conversion.Conversion.IsNumeric
           && conversion.Operand.Type?.SpecialType is not (null or SpecialType.System_Decimal)
           && conversion.Type?.SpecialType is not (null or SpecialType.System_Decimal);

    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<IMethodSymbol, System.Runtime.CompilerServices.StrongBox<bool>> DataMoveHelpers = new();

    [System.ThreadStatic]
    private static int _helperDepth;

    // `UpdateTimestamp(ticks)` under a spin lock, where `void UpdateTimestamp(long tick) { _b = (int)tick; _a =
    // (int)(tick >> 32); _sequence = 0; _lastTick = tick; }` (MassTransit's NewId generator): a call, on `this` or
    // of a private static method, of a method that cannot be overridden, declared once in source, not async,
    // whose body is plain data moves too (a helper of its own at most one level further), cannot throw either.
    private static bool IsDataMoveHelper(IInvocationOperation call)
    {
        var method = call.TargetMethod;
        if (method.MethodKind != MethodKind.Ordinary
            || method.IsAsync || method.IsAbstract || method.IsExtern || method.IsGenericMethod
            || ((method.IsVirtual || method.IsOverride) && !method.IsSealed)
            // On `this`, or a private static method (of this type, then): not another object's.
            || !(call.Instance is IInstanceReferenceOperation || (call.Instance is null && method.DeclaredAccessibility == Accessibility.Private))
            || method.DeclaringSyntaxReferences.Length != 1
            || method.ContainingAssembly is not ISourceAssemblySymbol { Compilation: var compilation }
            || _helperDepth >= 2)
        {
            return false;
        }

        // Only the answer with the whole depth budget is kept: one computed inside another helper has less
        // of it, and caching that would make the answer depend on which region asked first.
        var topLevel = _helperDepth == 0;
        _helperDepth++;
        try
        {
            return topLevel
                ? DataMoveHelpers.GetValue(method.OriginalDefinition, m => new System.Runtime.CompilerServices.StrongBox<bool>(BodyIsDataMoves(m, compilation))).Value
                : BodyIsDataMoves(method.OriginalDefinition, compilation);
        }
        finally
        {
            _helperDepth--;
        }
    }

    private static bool BodyIsDataMoves(IMethodSymbol method, Compilation compilation)
    {
        var declaration = method.DeclaringSyntaxReferences[0].GetSyntax();
        SyntaxNode? body = declaration switch
        {
            Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax { Body: { } block } => block,
            Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax { ExpressionBody.Expression: { } arrow } => arrow,
            _ => null,
        };
        if (body is null || !compilation.ContainsSyntaxTree(body.SyntaxTree)
            || compilation.GetSemanticModel(body.SyntaxTree).GetOperation(body) is not { } operation)
        {
            return false;
        }

        if (operation is not IBlockOperation statements)
        {
            return CannotThrow(operation);
        }

        foreach (var statement in statements.Operations)
        {
            if (statement is IReturnOperation { ReturnedValue: var value } ? value is not null && !CannotThrow(value) : !CannotThrow(statement))
            {
                return false;
            }
        }

        return true;
    }

    // `var copy = new List<T>(_handlers);` under a lock (DSharpPlus's async event): a collection of
    // System.Collections.Generic created empty, or copied from a variable declared not null (in nullable-
    // enabled code), fails only when memory runs out — which no lock protocol survives anyway. A capacity
    // argument (negative throws), an initializer (it calls Add) or a maybe-null source is not proved.
    // A field, parameter or local declared not null in nullable-enabled code (`var` locals are nullable).
    private static bool DeclaredNotNull(IOperation value) => value switch
    {
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation, Field.NullableAnnotation: NullableAnnotation.NotAnnotated } => true,
        IParameterReferenceOperation { Parameter.NullableAnnotation: NullableAnnotation.NotAnnotated } => true,
        ILocalReferenceOperation { Local.NullableAnnotation: NullableAnnotation.NotAnnotated } => true,
        _ => false,
    };

    private static bool IsCollectionSnapshot(IObjectCreationOperation creation)
    {
        if (creation.Initializer is not null
            || creation.Type?.OriginalDefinition.ContainingNamespace is not { Name: "Generic", ContainingNamespace: { Name: "Collections", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } })
        {
            return false;
        }

        switch (creation.Arguments.Length)
        {
            case 0:
                return true;
            case 1:
                var argument = creation.Arguments[0];
                return argument.Parameter?.Type.SpecialType == SpecialType.None
                       && DeclaredNotNull(argument.Value.WithoutConversions());
            default:
                return false;
        }
    }

    /// <summary>The flow graph of the function (method, local function or lambda) that
    /// <paramref name="operation"/> runs in; null when it cannot be found.</summary>
    public static ControlFlowGraph? GraphOf(IOperation operation, ControlFlowGraph root, ISymbol containingSymbol)
    {
        var function = AsyncContext.GetEnclosingFunction(operation, containingSymbol);
        if (function is null || SymbolEqualityComparer.Default.Equals(function, containingSymbol))
        {
            return root;
        }

        return FindNested(root, function, depth: 0);
    }

    private static ControlFlowGraph? FindNested(ControlFlowGraph graph, IMethodSymbol function, int depth)
    {
        if (depth > 8)
        {
            return null;
        }

        foreach (var local in graph.LocalFunctions)
        {
            var nested = graph.GetLocalFunctionControlFlowGraph(local);
            if (SymbolEqualityComparer.Default.Equals(local, function))
            {
                return nested;
            }

            if (FindNested(nested, function, depth + 1) is { } found)
            {
                return found;
            }
        }

        foreach (var block in graph.Blocks)
        {
            foreach (var operation in block.Operations)
            {
                if (FindInLambdas(graph, operation, function, depth) is { } found)
                {
                    return found;
                }
            }

            if (block.BranchValue is { } value && FindInLambdas(graph, value, function, depth) is { } inBranch)
            {
                return inBranch;
            }
        }

        return null;
    }

    private static ControlFlowGraph? FindInLambdas(ControlFlowGraph graph, IOperation operation, IMethodSymbol function, int depth)
    {
        foreach (var node in operation.DescendantsAndSelf())
        {
            if (node is not IFlowAnonymousFunctionOperation lambda)
            {
                continue;
            }

            var nested = graph.GetAnonymousFunctionControlFlowGraph(lambda);
            if (SymbolEqualityComparer.Default.Equals(lambda.Symbol, function))
            {
                return nested;
            }

            if (FindNested(nested, function, depth + 1) is { } found)
            {
                return found;
            }
        }

        return null;
    }
}
