using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.ThreadPool;

/// <summary>TW3001: a pool work item whose body is an unbounded loop with no await in it.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
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

        var analyzer = new Context(concurrency);
        context.RegisterOperationAction(analyzer.AnalyzeFunction, OperationKind.AnonymousFunction);
    }

    private sealed class Context
    {
        private readonly ConcurrentContext _concurrency;

        public Context(ConcurrentContext concurrency) => _concurrency = concurrency;

        public void AnalyzeFunction(OperationAnalysisContext context)
        {
            var function = (IAnonymousFunctionOperation)context.Operation;
            if (UnboundedLoop(function.Body) is not { } loop)
            {
                return;
            }

            var options = ThreadwiseOptions.For(context.Options, function.Syntax.SyntaxTree);
            var entry = _concurrency.GetEntryPoint(function, options);
            if (!entry.IsValid
                || !entry.RunsOnPool
                || entry.Kind is not (EntryPointKind.TaskRun or EntryPointKind.TaskFactoryStartNew or EntryPointKind.QueueUserWorkItem or EntryPointKind.Timer))
            {
                return;
            }

            // Reported on the loop keyword: inside the lambda being analyzed, so the IDE shows it live.
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.TW3001LongRunningLoopOnThreadPool,
                LoopKeyword(loop),
                entry.CallName));
        }

        /// <summary>A loop at the body's top level (or in a top-level try/using block) that only ends
        /// on shutdown and never awaits.</summary>
        private static ILoopOperation? UnboundedLoop(IBlockOperation body)
        {
            foreach (var statement in body.Operations)
            {
                var candidate = statement switch
                {
                    ITryOperation @try => @try.Body,
                    IUsingOperation @using => @using.Body,
                    _ => statement,
                };
                var statements = candidate is IBlockOperation block ? block.Operations : ImmutableArray.Create(candidate);
                foreach (var inner in statements)
                {
                    if (inner is ILoopOperation loop && IsUnbounded(loop) && !Awaits(loop))
                    {
                        return loop;
                    }
                }
            }

            return null;
        }

        private static Location LoopKeyword(ILoopOperation loop) => loop.Syntax switch
        {
            WhileStatementSyntax @while => @while.WhileKeyword.GetLocation(),
            DoStatementSyntax @do => @do.DoKeyword.GetLocation(),
            ForStatementSyntax @for => @for.ForKeyword.GetLocation(),
            _ => loop.Syntax.GetLocation(),
        };

        private static bool IsUnbounded(ILoopOperation loop) => loop switch
        {
            IForLoopOperation { Condition: null } => true,
            IForLoopOperation { Condition: { } condition } => RunsUntilShutdown(condition),
            IWhileLoopOperation { Condition: { } condition, ConditionIsUntil: false } => RunsUntilShutdown(condition),
            _ => false,
        };

        // true; !token.IsCancellationRequested; _running; !_stop; and conjunctions of those.
        private static bool RunsUntilShutdown(IOperation condition)
        {
            return condition.WithoutConversions() switch
            {
                { ConstantValue: { HasValue: true, Value: true } } => true,
                IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: IPropertyReferenceOperation { Property.Name: "IsCancellationRequested" } } => true,
                IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: IFieldReferenceOperation { Field.Type.SpecialType: SpecialType.System_Boolean } } => true,
                IFieldReferenceOperation { Field.Type.SpecialType: SpecialType.System_Boolean } => true,
                IPropertyReferenceOperation { Property.Name: "IsCancellationRequested" } => false,
                IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and => RunsUntilShutdown(and.LeftOperand) && RunsUntilShutdown(and.RightOperand),
                _ => false,
            };
        }

        private static bool Awaits(IOperation loop)
        {
            foreach (var operation in loop.Descendants())
            {
                if (operation is IAwaitOperation && !AsyncContext.IsInNestedFunction(operation, loop))
                {
                    return true;
                }
            }

            return false;
        }
    }
}
