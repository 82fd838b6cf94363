using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>TW2001: <c>x++</c>, <c>x += e</c>, <c>x = x + e</c> on shared state in concurrent code, no lock held.</summary>
public sealed class NonAtomicUpdateAnalyzer : ThreadwiseAnalyzer
{
    public NonAtomicUpdateAnalyzer()
        : base(Descriptors.TW2001NonAtomicUpdate)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var analyzer = new Context(ConcurrentContext.For(context.Compilation));
        context.RegisterOperationAction(
            analyzer.AnalyzeUpdate,
            OperationKind.Increment,
            OperationKind.Decrement,
            OperationKind.CompoundAssignment,
            OperationKind.SimpleAssignment);
    }

    /// <summary>Set on a check-then-act finding: the lock fix wraps the whole <c>if</c>, not the write.</summary>
    public const string CheckThenActProperty = "Threadwise.CheckThenAct";

    private static readonly System.Collections.Immutable.ImmutableDictionary<string, string?> CheckThenActProperties =
        System.Collections.Immutable.ImmutableDictionary<string, string?>.Empty.Add(CheckThenActProperty, "true");

    private sealed class Context
    {
        private readonly ConcurrentContext _concurrency;

        public Context(ConcurrentContext concurrency) => _concurrency = concurrency;

        public void AnalyzeUpdate(OperationAnalysisContext context)
        {
            var target = UpdatedTarget(context.Operation);
            var check = target is null ? CheckThenAct(context.Operation) : null;
            target ??= check?.Target;
            if (target is null)
            {
                return;
            }

            var options = ThreadwiseOptions.For(context.Options, context.Operation.Syntax.SyntaxTree);
            var (entry, shared, racing) = _concurrency.GetUnsynchronizedShared(context, target, mutation: false, options);
            if (shared is null)
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.TW2001NonAtomicUpdate,
                context.Operation.Syntax.GetLocation(),
                racing is null ? null : new[] { racing.Location },
                check is null ? ConcurrentContext.PropertiesFor(racing) : CheckThenActProperties.AddRange(ConcurrentContext.PropertiesFor(racing) ?? CheckThenActProperties),
                shared.Name,
                entry.CallName));
        }

        // x++, x--, x op= e, and x = x op e (or e op x for commutative ops): a read-modify-write.
        private static IOperation? UpdatedTarget(IOperation operation) => operation switch
        {
            IIncrementOrDecrementOperation update => update.Target,
            ICompoundAssignmentOperation compound => compound.Target,
            ISimpleAssignmentOperation { Value: IBinaryOperation binary } assignment
                when ReadsSame(binary.LeftOperand, assignment.Target) || ReadsSame(binary.RightOperand, assignment.Target) => assignment.Target,
            _ => null,
        };

        // `if (v > max) max = v;`: the check and the write are two steps; another thread writes
        // between them and a larger value is lost. Reported on the write (found from the
        // assignment, so no callback runs for every `if`); the lock fix wraps the whole if. Only
        // ordering comparisons: `if (x == null) x = …` is usually a benign race.
        private static (IOperation Target, IOperation Condition)? CheckThenAct(IOperation operation)
        {
            if (operation is not ISimpleAssignmentOperation { Parent: IExpressionStatementOperation statement } assignment)
            {
                return null;
            }

            var branch = statement.Parent is IBlockOperation { Operations.Length: 1 } block ? block : (IOperation)statement;
            if (branch.Parent is not IConditionalOperation { WhenFalse: null, Condition: IBinaryOperation comparison } conditional
                || conditional.WhenTrue != branch
                || comparison.OperatorKind is not (BinaryOperatorKind.LessThan or BinaryOperatorKind.LessThanOrEqual
                    or BinaryOperatorKind.GreaterThan or BinaryOperatorKind.GreaterThanOrEqual)
                || !(ReadsSame(comparison.LeftOperand, assignment.Target) || ReadsSame(comparison.RightOperand, assignment.Target)))
            {
                return null;
            }

            return (assignment.Target, conditional);
        }

        private static bool ReadsSame(IOperation read, IOperation target)
        {
            return (read.WithoutConversions(), target) switch
            {
                (ILocalReferenceOperation a, ILocalReferenceOperation b) => SymbolEqualityComparer.Default.Equals(a.Local, b.Local),
                (IParameterReferenceOperation a, IParameterReferenceOperation b) => SymbolEqualityComparer.Default.Equals(a.Parameter, b.Parameter),
                (IFieldReferenceOperation a, IFieldReferenceOperation b) => SymbolEqualityComparer.Default.Equals(a.Field, b.Field)
                                                                            && (a.Instance is null or IInstanceReferenceOperation) == (b.Instance is null or IInstanceReferenceOperation),
                _ => false,
            };
        }
    }
}
