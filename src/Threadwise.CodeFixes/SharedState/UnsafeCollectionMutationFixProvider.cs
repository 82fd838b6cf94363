using System;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Editing;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>
/// TW2002 fix: a local collection becomes its concurrent equivalent when every use of it in the
/// method is one the concurrent type supports the same way: <c>List&lt;T&gt;</c> used only with
/// <c>Add</c> → <c>ConcurrentBag&lt;T&gt;</c>; <c>Queue&lt;T&gt;</c> → <c>ConcurrentQueue&lt;T&gt;</c>;
/// <c>Stack&lt;T&gt;</c> → <c>ConcurrentStack&lt;T&gt;</c>; <c>Dictionary&lt;K,V&gt;</c> with indexer,
/// <c>TryAdd</c>, <c>TryGetValue</c>, <c>ContainsKey</c> → <c>ConcurrentDictionary&lt;K,V&gt;</c>.
/// Reading it (<c>Count</c>, <c>foreach</c>, passing it as an <c>IEnumerable</c>) is compatible.
/// </summary>
// Not exported on its own: offered through the rule\'s BestFixProvider, which picks the best fix per finding.
public sealed class UnsafeCollectionMutationFixProvider : ThreadwiseCodeFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW2002UnsafeCollectionMutation.Id);

    protected internal override string Title => "Use a concurrent collection";

    protected internal override Action<SyntaxEditor>? CreateFix(FixState state, Diagnostic diagnostic)
    {
        var model = state.SemanticModel;
        if (state.FindNode<ExpressionSyntax>(diagnostic) is not { } node
            || model.GetOperation(node, state.CancellationToken) is not { } operation
            || Receiver(operation) is not ILocalReferenceOperation { Local: { } local }
            || local.DeclaringSyntaxReferences.Length != 1
            || local.DeclaringSyntaxReferences[0].GetSyntax(state.CancellationToken) is not VariableDeclaratorSyntax
            {
                Initializer.Value: ObjectCreationExpressionSyntax { ArgumentList.Arguments.Count: 0, Initializer: null } creation,
                Parent: VariableDeclarationSyntax declaration,
            } declarator
            || local.Type is not INamedTypeSymbol { IsGenericType: true } type
            || Replacement(type, model.Compilation) is not { } replacement
            || model.GetOperation(declarator, state.CancellationToken) is not { } declaratorOperation
            || !AllUsesCompatible(AsyncContext.GetFunctionBody(declaratorOperation), local, type.OriginalDefinition.Name))
        {
            return null;
        }

        if (!state.FirstTime(local))
        {
            return _ => { };
        }

        return editor =>
        {
            var concurrentType = (TypeSyntax)AwaitPlacement.TypeExpression(editor.Generator, replacement);
            editor.ReplaceNode(creation.Type, concurrentType.WithTriviaFrom(creation.Type));
            if (!declaration.Type.IsVar)
            {
                editor.ReplaceNode(declaration.Type, concurrentType.WithTriviaFrom(declaration.Type));
            }
        };
    }

    private static IOperation? Receiver(IOperation operation) => operation switch
    {
        IInvocationOperation invocation => invocation.Instance,
        ISimpleAssignmentOperation { Target: IPropertyReferenceOperation indexer } => indexer.Instance,
        IPropertyReferenceOperation indexer => indexer.Instance,
        _ => null,
    };

    private static INamedTypeSymbol? Replacement(INamedTypeSymbol type, Compilation compilation)
    {
        var name = type.OriginalDefinition.Name switch
        {
            "List" => "System.Collections.Concurrent.ConcurrentBag`1",
            "Queue" => "System.Collections.Concurrent.ConcurrentQueue`1",
            "Stack" => "System.Collections.Concurrent.ConcurrentStack`1",
            "Dictionary" => "System.Collections.Concurrent.ConcurrentDictionary`2",
            _ => null,
        };
        return name is not null && type.OriginalDefinition.ContainingNamespace?.ToDisplayString() == "System.Collections.Generic"
               && compilation.GetTypeByMetadataName(name) is { } concurrent
            ? concurrent.Construct(type.TypeArguments, type.TypeArgumentNullableAnnotations)
            : null;
    }

    private static bool AllUsesCompatible(IOperation body, ILocalSymbol local, string kind)
    {
        foreach (var reference in LocalReferences.Collect(body, local))
        {
            var compatible = reference.Use switch
            {
                LocalUse.MethodCall => IsCompatibleCall(reference.Member!.Name, kind),
                LocalUse.MemberRead => reference.Member is IPropertySymbol { Name: "Count" or "Keys" or "Values" } || (kind == "Dictionary" && reference.Member is IPropertySymbol { IsIndexer: true }),
                LocalUse.MemberWrite => kind == "Dictionary" && reference.Member is IPropertySymbol { IsIndexer: true },
                LocalUse.Captured => IsCapturedCompatibly(reference.Reference, kind),
                LocalUse.Escapes => IsReadOnlyEnumeration(reference.Reference),
                _ => false,
            };
            if (!compatible)
            {
                return false;
            }
        }

        return true;
    }

    // Inside the concurrent lambda the same uses must hold.
    private static bool IsCapturedCompatibly(ILocalReferenceOperation reference, string kind) => reference.Parent switch
    {
        IInvocationOperation invocation when invocation.Instance == reference => IsCompatibleCall(invocation.TargetMethod.Name, kind),
        IPropertyReferenceOperation { Property: { IsIndexer: true } } when kind == "Dictionary" => true,
        IPropertyReferenceOperation { Property.Name: "Count" } => true,
        _ => IsReadOnlyEnumeration(reference),
    };

    private static bool IsCompatibleCall(string method, string kind) => kind switch
    {
        "List" => method == "Add",
        "Queue" => method is "Enqueue" or "TryDequeue" or "TryPeek" or "ToArray",
        "Stack" => method is "Push" or "TryPop" or "TryPeek" or "ToArray",
        "Dictionary" => method is "TryAdd" or "TryGetValue" or "ContainsKey",
        _ => false,
    };

    // foreach (var x in local), or local passed where an IEnumerable<T> is read.
    private static bool IsReadOnlyEnumeration(IOperation reference)
    {
        var parent = reference.Parent;
        while (parent is IConversionOperation { IsImplicit: true })
        {
            parent = parent.Parent;
        }

        return parent switch
        {
            IForEachLoopOperation => true,
            IArgumentOperation { Parameter.Type: INamedTypeSymbol { Name: "IEnumerable" or "IReadOnlyCollection" } } => true,
            _ => false,
        };
    }
}
