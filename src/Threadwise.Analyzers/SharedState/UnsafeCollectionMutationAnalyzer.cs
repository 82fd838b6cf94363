using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>TW2002: a shared List/Dictionary/HashSet/Queue/Stack/... mutated in concurrent code, no lock held.</summary>
public sealed class UnsafeCollectionMutationAnalyzer : ThreadwiseAnalyzer
{
    public UnsafeCollectionMutationAnalyzer()
        : base(Descriptors.TW2002UnsafeCollectionMutation)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var concurrency = ConcurrentContext.For(context.Compilation);
        var symbols = concurrency.Symbols;
        var types = ImmutableHashSet.CreateBuilder<ISymbol>(SymbolEqualityComparer.Default);
        foreach (var type in new[] { symbols.ListOfT, symbols.DictionaryOfKV, symbols.HashSetOfT, symbols.QueueOfT, symbols.StackOfT, symbols.SortedDictionaryOfKV, symbols.SortedSetOfT, symbols.LinkedListOfT, symbols.SortedListOfKV })
        {
            if (type is not null)
            {
                types.Add(type);
            }
        }

        if (types.Count == 0)
        {
            return;
        }

        var analyzer = new Context(concurrency, types.ToImmutable());
        context.RegisterOperationAction(analyzer.AnalyzeInvocation, OperationKind.Invocation);
        context.RegisterOperationAction(analyzer.AnalyzeIndexerWrite, OperationKind.SimpleAssignment);
    }

    private sealed class Context
    {
        private readonly ConcurrentContext _concurrency;
        private readonly ImmutableHashSet<ISymbol> _unsafeTypes;

        public Context(ConcurrentContext concurrency, ImmutableHashSet<ISymbol> unsafeTypes)
        {
            _concurrency = concurrency;
            _unsafeTypes = unsafeTypes;
        }

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (invocation.Instance is { } receiver
                && SharedVariables.CollectionMutators.Contains(invocation.TargetMethod.Name)
                && IsUnsafeCollection(invocation.TargetMethod.ContainingType))
            {
                Analyze(context, receiver);
            }
        }

        // dictionary[key] = value, list[i] = value
        public void AnalyzeIndexerWrite(OperationAnalysisContext context)
        {
            var assignment = (ISimpleAssignmentOperation)context.Operation;
            if (assignment.Target is IPropertyReferenceOperation { Property.IsIndexer: true, Instance: { } receiver } indexer
                && IsUnsafeCollection(indexer.Property.ContainingType))
            {
                Analyze(context, receiver);
            }
        }

        private void Analyze(OperationAnalysisContext context, IOperation receiver)
        {
            var options = ThreadwiseOptions.For(context.Options, context.Operation.Syntax.SyntaxTree);
            var (entry, shared, racing) = _concurrency.GetUnsynchronizedShared(context, receiver, mutation: true, options);
            if (shared is null)
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.TW2002UnsafeCollectionMutation,
                context.Operation.Syntax.GetLocation(),
                racing is null ? null : new[] { racing.Location },
                ConcurrentContext.PropertiesFor(racing),
                shared.Name,
                receiver.Type?.Name ?? "collection",
                entry.CallName));
        }

        private bool IsUnsafeCollection(INamedTypeSymbol? type)
            => type is not null && _unsafeTypes.Contains(type.OriginalDefinition);
    }
}
