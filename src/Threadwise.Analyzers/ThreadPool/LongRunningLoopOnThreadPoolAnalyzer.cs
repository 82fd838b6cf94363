using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.ThreadPool;

/// <summary>TW3001: a pool work item whose body is an unbounded loop with no await in it.</summary>
public sealed class LongRunningLoopOnThreadPoolAnalyzer : ThreadwiseAnalyzer
{
    public LongRunningLoopOnThreadPoolAnalyzer()
        : base(Descriptors.TW3001LongRunningLoopOnThreadPool)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var concurrency = ConcurrentContext.For(context.Compilation);
        if (concurrency.Symbols.Task is null)
        {
            return;
        }

        var analyzer = new Context(concurrency, context.Compilation, context.Options);
        context.RegisterOperationAction(analyzer.AnalyzeFunction, OperationKind.AnonymousFunction);
        context.RegisterOperationAction(analyzer.AnalyzeMethodGroup, OperationKind.MethodReference);
    }

    private sealed class Context
    {
        private readonly ConcurrentContext _concurrency;
        private readonly PoolLoops _loops;

        public Context(ConcurrentContext concurrency, Compilation compilation, AnalyzerOptions options)
        {
            _concurrency = concurrency;
            _loops = new PoolLoops(concurrency.Symbols, compilation, options);
        }

        public void AnalyzeFunction(OperationAnalysisContext context)
        {
            var function = (IAnonymousFunctionOperation)context.Operation;
            var loop = _loops.UnboundedLoop(function.Body, context.CancellationToken);

            // `Task.Run(() => Poll())`: the lambda only calls a method of this compilation; its body is the work.
            var target = loop is null ? SoleCall(function.Body) : null;
            if (loop is null && target is null)
            {
                return;
            }

            var options = ThreadwiseOptions.For(context.Options, function.Syntax.SyntaxTree);
            if (!IsPoolWorkItem(_concurrency.GetEntryPoint(function, options), out var entry))
            {
                return;
            }

            var callee = loop is null && _loops.CalleeLoop(target!, context.CancellationToken) is { } calleeLoop ? LoopKeyword(calleeLoop) : null;
            if (loop is null && callee is null)
            {
                return;
            }

            // Reported on the loop keyword: inside the lambda being analyzed, so the IDE shows it live.
            // A loop in the called method is reported on the lambda, with the loop as a second location.
            context.ReportDiagnostic(loop is not null
                ? Diagnostic.Create(Descriptors.TW3001LongRunningLoopOnThreadPool, LoopKeyword(loop), entry.CallName)
                : Diagnostic.Create(Descriptors.TW3001LongRunningLoopOnThreadPool, function.Syntax.GetLocation(), new[] { callee! }, entry.CallName));
        }

        // `Task.Run(Poll)`, `new Timer(Refresh, ...)`: the method given by name is the work.
        public void AnalyzeMethodGroup(OperationAnalysisContext context)
        {
            var reference = (IMethodReferenceOperation)context.Operation;
            if (reference.Method.IsAsync)
            {
                return;
            }

            var options = ThreadwiseOptions.For(context.Options, reference.Syntax.SyntaxTree);
            if (!IsPoolWorkItem(_concurrency.GetEntryPoint(reference, options), out var entry)
                || _loops.CalleeLoop(reference.Method, context.CancellationToken) is not { } loop)
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(Descriptors.TW3001LongRunningLoopOnThreadPool, reference.Syntax.GetLocation(), new[] { LoopKeyword(loop) }, entry.CallName));
        }

        private static bool IsPoolWorkItem(ConcurrentEntry candidate, out ConcurrentEntry entry)
        {
            entry = candidate;
            return entry.IsValid
                   && entry.RunsOnPool
                   && entry.Kind is EntryPointKind.TaskRun or EntryPointKind.TaskFactoryStartNew or EntryPointKind.QueueUserWorkItem or EntryPointKind.Timer;
        }

        // The lambda's whole body is one call (`() => Poll()`, `_ => { Poll(); }`).
        private static IMethodSymbol? SoleCall(IBlockOperation body)
        {
            var statements = body.Operations;
            var only = statements.Length switch
            {
                1 => statements[0],
                2 when statements[1] is IReturnOperation { ReturnedValue: null, IsImplicit: true } => statements[0],
                _ => null,
            };

            return only switch
            {
                IExpressionStatementOperation { Operation: IInvocationOperation invocation } => invocation.TargetMethod,
                IReturnOperation { ReturnedValue: IInvocationOperation invocation } => invocation.TargetMethod,
                _ => null,
            };
        }

        private static Location LoopKeyword(ILoopOperation loop) => loop.Syntax switch
        {
            WhileStatementSyntax @while => @while.WhileKeyword.GetLocation(),
            DoStatementSyntax @do => @do.DoKeyword.GetLocation(),
            ForStatementSyntax @for => @for.ForKeyword.GetLocation(),
            CommonForEachStatementSyntax @foreach => @foreach.ForEachKeyword.GetLocation(),
            _ => loop.Syntax.GetLocation(),
        };
    }
}
