using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>TW4003: tasks are collected in a local list or array that is never awaited or handed on.</summary>
public sealed class TasksNeverAwaitedAnalyzer : ThreadwiseAnalyzer
{
    public TasksNeverAwaitedAnalyzer()
        : base(Descriptors.TW4003TasksNeverAwaited)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var symbols = KnownSymbols.For(context.Compilation);
        if (symbols.Task is null || symbols.ListOfT is null)
        {
            return;
        }

        var analyzer = new Context(symbols);
        context.RegisterOperationAction(analyzer.AnalyzeDeclarator, OperationKind.VariableDeclarator);
    }

    private sealed class Context
    {
        private readonly KnownSymbols _symbols;

        public Context(KnownSymbols symbols) => _symbols = symbols;

        public void AnalyzeDeclarator(OperationAnalysisContext context)
        {
            var declarator = (IVariableDeclaratorOperation)context.Operation;
            var local = declarator.Symbol;
            if (!IsTaskCollection(local.Type)
                || LocalDeclarations.GetInitializer(local, declarator) is not { } declaration)
            {
                return;
            }

            var holdsTasks = StartsWithTasks(declaration.Value);
            foreach (var reference in LocalReferences.Collect(declaration.Body, local))
            {
                switch (reference.Use)
                {
                    case LocalUse.MethodCall when reference.Member!.Name is "Add" or "AddRange" or "Insert":
                        holdsTasks = true;
                        break;
                    case LocalUse.MemberWrite when reference.Member is null or IPropertySymbol { IsIndexer: true }:
                        holdsTasks = true;
                        break;
                    case LocalUse.MemberRead when IsElementJoined(reference.Reference):
                        // `sum += await pending[i]`, `pending[i].ContinueWith(...)`: each task is
                        // awaited, waited or handed a continuation where it is read.
                        return;
                    case LocalUse.MemberRead when reference.Member is null or IPropertySymbol { Name: "Count" or "Length" }:
                        break;
                    default:
                        // Awaited, passed to WhenAll, iterated, returned, stored, captured: handled elsewhere.
                        return;
                }
            }

            if (holdsTasks)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.TW4003TasksNeverAwaited, declarator.Syntax.GetLocation(), local.Name));
            }
        }

        private static bool IsElementJoined(ILocalReferenceOperation reference)
        {
            var element = reference.Parent;
            if (element is not (IArrayElementReferenceOperation or IPropertyReferenceOperation { Property.IsIndexer: true }))
            {
                return false;
            }

            var use = element.Parent;
            while (use is IConversionOperation or IParenthesizedOperation
                   || use is IInvocationOperation { TargetMethod.Name: "ConfigureAwait" })
            {
                use = use.Parent;
            }

            return use is IAwaitOperation
                   || use is IPropertyReferenceOperation { Property.Name: "Result" }
                   || use is IInvocationOperation { TargetMethod.Name: "Wait" or "ContinueWith" or "GetAwaiter" }
                   || use is IArgumentOperation;
        }

        // List<Task>, List<Task<T>>, Task[], Task<T>[] (and the ValueTask forms).
        private bool IsTaskCollection(ITypeSymbol type) => type switch
        {
            IArrayTypeSymbol { Rank: 1 } array => _symbols.IsTaskType(array.ElementType),
            INamedTypeSymbol { IsGenericType: true } named
                => SymbolEqualityComparer.Default.Equals(named.OriginalDefinition, _symbols.ListOfT) && _symbols.IsTaskType(named.TypeArguments[0]),
            _ => false,
        };

        // new[] { a, b }, new List<Task> { a, b }, items.Select(StartAsync).ToList()/ToArray().
        private bool StartsWithTasks(IOperation value) => value switch
        {
            IArrayCreationOperation { Initializer.ElementValues.Length: > 0 } => true,
            IObjectCreationOperation { Initializer.Initializers.Length: > 0 } => true,
            IInvocationOperation { TargetMethod.Name: "ToList" or "ToArray" } invocation
                => SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, _symbols.Enumerable),
            _ => false,
        };
    }
}
