using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>TW4001: a local foreground thread is started and never joined, and does not escape.</summary>
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
                || !SymbolEqualityComparer.Default.Equals(invocation.TargetMethod.ContainingType, _thread))
            {
                return;
            }

            // `new Thread(Work).Start()`: nobody holds the thread, so nobody can join it.
            if (invocation.Instance is IObjectCreationOperation started)
            {
                if (SymbolEqualityComparer.Default.Equals(started.Type, _thread) && !SetsIsBackground(started.Initializer))
                {
                    context.ReportDiagnostic(Diagnostic.Create(Descriptors.TW4001ThreadNeverJoined, invocation.Syntax.GetLocation(), "new Thread(" + WorkName(started) + ")"));
                }

                return;
            }

            if (invocation.Instance is not ILocalReferenceOperation { Local: { } local }
                || LocalDeclarations.GetInitializer(local, invocation) is not { } declaration
                || declaration.Value is not IObjectCreationOperation creation
                || !SymbolEqualityComparer.Default.Equals(creation.Type, _thread)
                || SetsIsBackground(creation.Initializer))
            {
                return;
            }

            var firstStart = default(IOperation);
            var collected = false;
            foreach (var reference in LocalReferences.Collect(declaration.Body, local))
            {
                switch (reference.Use)
                {
                    case LocalUse.Escapes when IsAddedToLocalList(reference.Reference, declaration.Body):
                        collected = true;
                        break;
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

            // Collected into a local list: joined if the method joins any thread (`foreach (var t in threads) t.Join()`).
            if (collected && JoinsAnyThread(Root(declaration.Body)))
            {
                return;
            }

            // Report once per thread, at its first Start().
            if (firstStart == invocation)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.TW4001ThreadNeverJoined, invocation.Syntax.GetLocation(), local.Name));
            }
        }

        // `threads.Add(t)` on a List<Thread> local declared in this function that itself stays here:
        // only added to, counted, indexed or looped over, never stored, passed on, returned or captured.
        private bool IsAddedToLocalList(ILocalReferenceOperation reference, IOperation body)
        {
            if (reference.Parent is not IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "Add", Instance: ILocalReferenceOperation { Local: { } list } } add }
                || list.Type is not INamedTypeSymbol { TypeArguments: { Length: 1 } arguments }
                || !SymbolEqualityComparer.Default.Equals(arguments[0], _thread)
                || LocalDeclarations.GetInitializer(list, add) is not { Value: IObjectCreationOperation } listDeclaration)
            {
                return false;
            }

            foreach (var use in LocalReferences.Collect(listDeclaration.Body, list))
            {
                var staysHere = use.Use is LocalUse.MethodCall or LocalUse.MemberRead
                                || (use.Use == LocalUse.Escapes && use.Reference.Parent is IForEachLoopOperation);
                if (!staysHere)
                {
                    return false;
                }
            }

            return true;
        }

        private static IOperation Root(IOperation operation)
        {
            while (operation.Parent is { } parent)
            {
                operation = parent;
            }

            return operation;
        }

        private bool JoinsAnyThread(IOperation root)
        {
            foreach (var operation in root.Descendants())
            {
                if (operation is IInvocationOperation { TargetMethod: { Name: nameof(System.Threading.Thread.Join) } join }
                    && SymbolEqualityComparer.Default.Equals(join.ContainingType, _thread))
                {
                    return true;
                }
            }

            return false;
        }

        // The work's name for the message: the method group, else "...".
        private static string WorkName(IObjectCreationOperation creation)
            => creation.Arguments.Length > 0 && creation.Arguments[0].Value.WithoutConversions() is IDelegateCreationOperation { Target: IMethodReferenceOperation reference }
                ? reference.Method.Name
                : "...";

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
