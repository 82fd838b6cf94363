using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>TW4001: a local foreground thread is started and never joined, and does not escape.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class ThreadNeverJoinedAnalyzer : ThreadwiseAnalyzer
{
    public ThreadNeverJoinedAnalyzer()
        : base(Descriptors.TW4001ThreadNeverJoined)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var thread = KnownSymbols.For(context.Compilation).Thread;
        if (thread is null)
        {
            return;
        }

        var analyzer = new Context(thread);
        context.RegisterOperationAction(analyzer.AnalyzeInvocation, OperationKind.Invocation);
    }

    private sealed class Context
    {
        private readonly INamedTypeSymbol _thread;

        public Context(INamedTypeSymbol thread) => _thread = thread;

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (invocation.TargetMethod.Name != nameof(System.Threading.Thread.Start)
                || invocation.Instance is not ILocalReferenceOperation { Local: { } local }
                || !SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, _thread)
                || LocalDeclarations.GetInitializer(local, invocation) is not { } declaration
                || declaration.Value is not IObjectCreationOperation creation
                || !SymbolEqualityComparer.Default.Equals(creation.Type, _thread)
                || SetsIsBackground(creation.Initializer))
            {
                return;
            }

            var firstStart = default(IOperation);
            foreach (var reference in LocalReferences.Collect(declaration.Body, local))
            {
                switch (reference.Use)
                {
                    case LocalUse.MethodCall when reference.Member!.Name == nameof(System.Threading.Thread.Join):
                        return;
                    case LocalUse.MethodCall when reference.Member!.Name == nameof(System.Threading.Thread.Start):
                        firstStart ??= reference.Reference.Parent;
                        break;
                    case LocalUse.MethodCall or LocalUse.MemberRead:
                        break;
                    case LocalUse.MemberWrite when reference.Member is IPropertySymbol { Name: "IsBackground" }:
                        if (reference.AssignedValue?.ConstantValue is not { HasValue: true, Value: false })
                        {
                            return;
                        }

                        break;
                    case LocalUse.MemberWrite:
                        break;
                    default:
                        // Stored, returned, passed on, captured, reassigned: someone else may join it.
                        return;
                }
            }

            // Report once per thread, at its first Start().
            if (firstStart == invocation)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.TW4001ThreadNeverJoined, invocation.Syntax.GetLocation(), local.Name));
            }
        }

        private static bool SetsIsBackground(IObjectOrCollectionInitializerOperation? initializer)
        {
            if (initializer is null)
            {
                return false;
            }

            foreach (var member in initializer.Initializers)
            {
                if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "IsBackground" }, Value: var value }
                    && value.ConstantValue is not { HasValue: true, Value: false })
                {
                    return true;
                }
            }

            return false;
        }
    }
}
