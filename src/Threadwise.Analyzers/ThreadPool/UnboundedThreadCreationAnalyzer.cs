using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.ThreadPool;

/// <summary>TW3004: a thread is created and started for every iteration of a loop over data.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class UnboundedThreadCreationAnalyzer : ThreadwiseAnalyzer
{
    public UnboundedThreadCreationAnalyzer()
        : base(Descriptors.TW3004UnboundedThreadCreation)
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
        context.RegisterOperationAction(analyzer.AnalyzeCreation, OperationKind.ObjectCreation);
    }

    private sealed class Context
    {
        private readonly INamedTypeSymbol _thread;

        public Context(INamedTypeSymbol thread) => _thread = thread;

        public void AnalyzeCreation(OperationAnalysisContext context)
        {
            var creation = (IObjectCreationOperation)context.Operation;
            if (!SymbolEqualityComparer.Default.Equals(creation.Type, _thread)
                || EnclosingLoop(creation) is not { } loop
                || !IsOverData(loop)
                || !IsStartedInLoop(creation, loop))
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(Descriptors.TW3004UnboundedThreadCreation, creation.Syntax.GetLocation()));
        }

        private static ILoopOperation? EnclosingLoop(IOperation operation)
        {
            for (var current = operation.Parent; current is not null; current = current.Parent)
            {
                switch (current)
                {
                    case ILoopOperation loop:
                        return loop;
                    case IAnonymousFunctionOperation or ILocalFunctionOperation:
                        return null;
                }
            }

            return null;
        }

        // foreach over a collection, while loops, and for loops whose bound is not a constant:
        // `for (var i = 0; i < 2; i++)` is a deliberate, fixed number of threads.
        private static bool IsOverData(ILoopOperation loop) => loop switch
        {
            IForEachLoopOperation => true,
            IWhileLoopOperation => true,
            IForLoopOperation { Condition: IBinaryOperation { RightOperand.ConstantValue.HasValue: true } } => false,
            IForLoopOperation => true,
            _ => false,
        };

        // new Thread(...).Start(), or a local holding it that is started in the loop.
        private static bool IsStartedInLoop(IObjectCreationOperation creation, ILoopOperation loop)
        {
            var parent = creation.Parent;
            if (parent is IInvocationOperation { TargetMethod.Name: "Start" })
            {
                return true;
            }

            if (parent is IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator })
            {
                foreach (var reference in LocalReferences.Collect(loop.Body, declarator.Symbol))
                {
                    if (reference.Use == LocalUse.MethodCall && reference.Member!.Name == "Start")
                    {
                        return true;
                    }
                }
            }

            return false;
        }
    }
}
