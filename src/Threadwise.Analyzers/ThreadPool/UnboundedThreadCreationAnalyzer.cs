using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.ThreadPool;

/// <summary>TW3004: a thread is created and started for every iteration of a loop over data.</summary>
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
                || !IsStartedInLoop(creation, loop)
                || RunsAServiceLoop(creation, context.CancellationToken))
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(Descriptors.TW3004UnboundedThreadCreation, creation.Syntax.GetLocation()));
        }

        // `foreach (var subscription in subscriptions) new Thread(Subscribe).Start(subscription);` where
        // Subscribe runs `while (IsUnsubscribed == false) { … }` (CSRedis's per-node subscriptions): each
        // thread is a long-lived loop that Parallel.ForEach cannot replace (it would never return). Asked
        // only for would-be findings.
        private static bool RunsAServiceLoop(IObjectCreationOperation creation, System.Threading.CancellationToken cancellationToken)
            => creation.Syntax is Microsoft.CodeAnalysis.CSharp.Syntax.BaseObjectCreationExpressionSyntax syntax
               && creation.SemanticModel is { } model
               && ThreadWork.Of(syntax, model, cancellationToken) == ThreadWorkKind.Loops;

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
        // `for (var i = 0; i < 2; i++)` is a deliberate, fixed number of threads. So is a for loop that
        // starts identical workers (`for (i < NumCompletionThreads) new Thread(Worker).Start()`, found
        // dogfooding FASTER): no item is handed to a thread, so the count is a pool size, not the data's.
        // An accept loop starts a thread per connection (thread-per-connection servers, found
        // dogfooding Telepathy): the count follows the clients, and each thread is a long-lived
        // connection loop that Parallel.ForEach cannot replace.
        private static bool IsOverData(ILoopOperation loop) => loop switch
        {
            IForEachLoopOperation => true,
            IWhileLoopOperation => !AcceptsConnections(loop),
            IForLoopOperation { Condition: IBinaryOperation { RightOperand.ConstantValue.HasValue: true } } => false,
            IForLoopOperation => UsesLoopVariable(loop),
            _ => false,
        };

        // `for (var i = 0; i < n; i++)` whose body reads `i` (`Fetch(urls[i])`). A loop with no
        // variable of its own is assumed to walk data.
        private static bool UsesLoopVariable(ILoopOperation loop)
        {
            if (loop.Locals.IsEmpty)
            {
                return true;
            }

            foreach (var operation in loop.Body.Descendants())
            {
                if (operation is ILocalReferenceOperation { Local: var local } && loop.Locals.Contains(local, SymbolEqualityComparer.Default))
                {
                    return true;
                }
            }

            return false;
        }

        // `listener.AcceptTcpClient()`, `socket.Accept()`, `httpListener.GetContext()` in the loop.
        private static bool AcceptsConnections(ILoopOperation loop)
        {
            foreach (var operation in loop.Body.Descendants())
            {
                if (operation is IInvocationOperation { TargetMethod: { ContainingType: { } type } method }
                    && ((method.Name.StartsWith("Accept", System.StringComparison.Ordinal) && type.Name is "Socket" or "TcpListener" && IsIn(type, "Sockets"))
                        || (method.Name.StartsWith("GetContext", System.StringComparison.Ordinal) && type.Name == "HttpListener" && type.ContainingNamespace is { Name: "Net" } net && IsSystem(net.ContainingNamespace))))
                {
                    return true;
                }
            }

            return false;
        }

        // System.Net.<name>
        private static bool IsIn(INamedTypeSymbol type, string name)
            => type.ContainingNamespace is { Name: var inner } ns && inner == name
               && ns.ContainingNamespace is { Name: "Net" } net && IsSystem(net.ContainingNamespace);

        private static bool IsSystem(INamespaceSymbol? ns)
            => ns is { Name: "System", ContainingNamespace.IsGlobalNamespace: true };

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
