using System.Collections.Generic;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// Where a <c>TaskCompletionSource</c> held in a local or field comes from, and whether it runs its
/// continuations asynchronously. Shared by TW3006 and its fix.
/// </summary>
internal static class CompletionSources
{
    /// <summary><c>TaskCreationOptions.RunContinuationsAsynchronously</c>.</summary>
    public const int RunContinuationsAsynchronously = 64;

    private static readonly HashSet<string> CompletingMethods = new()
    {
        "SetResult", "TrySetResult", "SetException", "TrySetException", "SetCanceled", "TrySetCanceled",
    };

    public static bool IsCompletionSource(ITypeSymbol? type, KnownSymbols symbols)
        => type is INamedTypeSymbol named
           && (SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, symbols.TaskCompletionSource)
               || SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, symbols.TaskCompletionSourceOfT));

    public static bool IsCompletion(IMethodSymbol method, KnownSymbols symbols)
        => CompletingMethods.Contains(method.Name) && IsCompletionSource(method.ContainingType, symbols);

    /// <summary>
    /// <c>Task.Run(() => tcs.TrySetResult(value))</c> (or <c>StartNew</c>): work whose only job is to
    /// complete a <c>TaskCompletionSource</c> off the current thread, so its continuations do not run
    /// inline here. Fire-and-forget by design; the hand-off has nothing to observe.
    /// </summary>
    public static bool IsCompletionHandOff(IInvocationOperation invocation, KnownSymbols symbols)
    {
        var method = invocation.TargetMethod;
        if (!(method.Name == "Run" && SymbolEqualityComparer.Default.Equals(method.ContainingType, symbols.Task))
            && !(method.Name == "StartNew" && SymbolEqualityComparer.Default.Equals(method.ContainingType?.OriginalDefinition, symbols.TaskFactory)))
        {
            return false;
        }

        foreach (var argument in invocation.Arguments)
        {
            if (argument.Value.WithoutConversions() is IDelegateCreationOperation { Target: IAnonymousFunctionOperation lambda })
            {
                return OnlyCompletes(lambda.Body, symbols);
            }
        }

        return false;
    }

    /// <summary>
    /// <c>static Task&lt;bool&gt; TrySetResultAsync&lt;T&gt;(this TaskCompletionSource&lt;T&gt; source, T result) =&gt;
    /// Task.Run(() =&gt; source.TrySetResult(result));</c> (Discord.Net): a method of this compilation, not
    /// overridable, whose one statement returns a completion hand-off is one itself. Binds the returned
    /// expression of the callee, so it is asked only on the way to a finding.
    /// </summary>
    public static bool IsCompletionHandOffHelper(IInvocationOperation invocation, Compilation compilation, KnownSymbols symbols, CancellationToken cancellationToken)
    {
        var method = invocation.TargetMethod.OriginalDefinition;
        return SymbolEqualityComparer.Default.Equals(method.ContainingAssembly, compilation.Assembly)
               && !method.IsAbstract
               && (!(method.IsVirtual || method.IsOverride) || method.IsSealed || method.ContainingType.IsSealed)
               && ReturnedCall(MethodBodies.Syntax(method, cancellationToken)) is { } returned
               && MethodBodies.Bind(returned, compilation, cancellationToken) is IInvocationOperation handOff
               && IsCompletionHandOff(handOff, symbols);
    }

    // `=> Task.Run(…)` or `{ return Task.Run(…); }`.
    private static InvocationExpressionSyntax? ReturnedCall(SyntaxNode? body) => body switch
    {
        ArrowExpressionClauseSyntax { Expression: InvocationExpressionSyntax call } => call,
        BlockSyntax { Statements.Count: 1 } block when block.Statements[0] is ReturnStatementSyntax { Expression: InvocationExpressionSyntax call } => call,
        _ => null,
    };

    /// <summary>
    /// <c>executor.Schedule(Release, channel, promise, delay); return await promise.Task;</c>: the call
    /// is handed a <c>TaskCompletionSource</c> (a local, parameter or field) whose <c>Task</c> the same
    /// function reads. The work reports back through it and the caller observes that task; the value
    /// the call returns (a scheduling handle) has nothing more to tell.
    /// </summary>
    public static bool ReportsThroughHandedSource(IInvocationOperation invocation, KnownSymbols symbols)
    {
        foreach (var argument in invocation.Arguments)
        {
            var value = argument.Value.WithoutConversions();
            if (IsCompletionSource(value.Type, symbols)
                && value.ReferencedVariable() is { } source
                && ReadsTaskOf(FunctionBody(invocation), source))
            {
                return true;
            }
        }

        return false;
    }

    private static IOperation? FunctionBody(IOperation operation)
    {
        IOperation? root = operation;
        for (var current = operation.Parent; current is not null; current = current.Parent)
        {
            if (current is IAnonymousFunctionOperation or ILocalFunctionOperation)
            {
                return current;
            }

            root = current;
        }

        return root;
    }

    private static bool ReadsTaskOf(IOperation? body, ISymbol source)
    {
        if (body is null)
        {
            return false;
        }

        foreach (var operation in body.Descendants())
        {
            if (operation is IPropertyReferenceOperation { Property.Name: "Task", Instance: { } instance }
                && instance.WithoutConversions().ReferencedVariable() is { } read
                && SymbolEqualityComparer.Default.Equals(read, source))
            {
                return true;
            }
        }

        return false;
    }

    private static bool OnlyCompletes(IBlockOperation body, KnownSymbols symbols)
    {
        var completes = false;
        foreach (var operation in body.Operations)
        {
            var value = operation switch
            {
                IExpressionStatementOperation statement => statement.Operation,
                IReturnOperation { ReturnedValue: { } returned } => returned.WithoutConversions(),
                IReturnOperation { IsImplicit: true } => null,
                _ => operation,
            };
            if (value is null)
            {
                continue;
            }

            if (value is not IInvocationOperation call || !IsCompletion(call.TargetMethod, symbols))
            {
                return false;
            }

            completes = true;
        }

        return completes;
    }

    /// <summary>The local or field the completing call's instance names.</summary>
    public static ISymbol? Holder(IOperation? instance) => instance?.WithoutConversions() switch
    {
        ILocalReferenceOperation local => local.Local,
        IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
        _ => null,
    };

    /// <summary>Every <c>new TaskCompletionSource(...)</c> stored in <paramref name="holder"/>; null
    /// when something else is stored there too, or it is stored where this tree cannot see.</summary>
    public static List<IObjectCreationOperation>? Creations(ISymbol holder, SemanticModel model, SyntaxNode position, CancellationToken cancellationToken)
    {
        SyntaxNode? scope = holder switch
        {
            ILocalSymbol => position.FirstAncestorOrSelf<SyntaxNode>(n => n is BaseMethodDeclarationSyntax or LocalFunctionStatementSyntax or AccessorDeclarationSyntax or AnonymousFunctionExpressionSyntax),
            IFieldSymbol field when field.DeclaredAccessibility == Accessibility.Private && field.ContainingType.DeclaringSyntaxReferences.Length == 1
                => field.ContainingType.DeclaringSyntaxReferences[0].GetSyntax(cancellationToken),
            _ => null,
        };

        if (scope is null || scope.SyntaxTree != model.SyntaxTree)
        {
            return null;
        }

        var creations = new List<IObjectCreationOperation>();
        foreach (var node in scope.DescendantNodes())
        {
            IOperation? stored = node switch
            {
                VariableDeclaratorSyntax { Initializer.Value: { } value } declarator
                    when SymbolEqualityComparer.Default.Equals(model.GetDeclaredSymbol(declarator, cancellationToken), holder) => model.GetOperation(value, cancellationToken),
                AssignmentExpressionSyntax assignment
                    when model.GetOperation(assignment, cancellationToken) is IAssignmentOperation operation
                         && SymbolEqualityComparer.Default.Equals(Holder(operation.Target), holder) => operation.Value,
                _ => null,
            };

            if (stored is null)
            {
                continue;
            }

            if (stored.WithoutConversions() is not IObjectCreationOperation creation)
            {
                return null;
            }

            creations.Add(creation);
        }

        return creations.Count == 0 ? null : creations;
    }

    /// <summary>True, false, or null when the options are not a constant.</summary>
    public static bool? RunsContinuationsAsynchronously(IObjectCreationOperation creation)
    {
        // A class derived from TaskCompletionSource picks its options in its own constructor
        // (vs-threading's waiters: `base(allowInlining ? None : RunContinuationsAsynchronously)`).
        if (creation.Type is not { Name: "TaskCompletionSource", ContainingNamespace: { Name: "Tasks", ContainingNamespace: { Name: "Threading", ContainingNamespace.Name: "System" } } })
        {
            return null;
        }

        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter?.Type is { Name: "TaskCreationOptions" })
            {
                return argument.Value.ConstantValue is { HasValue: true, Value: int value }
                    ? (value & RunContinuationsAsynchronously) != 0
                    : null;
            }
        }

        return false;
    }
}
