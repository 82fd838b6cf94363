using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>TW2004: <c>lock</c> on <c>this</c>, a type, a string, a non-readonly or non-private field,
/// a boxed value, a fresh object, a Type or a Thread.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class LockOnUnsafeObjectAnalyzer : ThreadwiseAnalyzer
{
    public LockOnUnsafeObjectAnalyzer()
        : base(Descriptors.TW2004LockOnUnsafeObject)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var analyzer = new Context(KnownSymbols.For(context.Compilation));
        context.RegisterOperationAction(analyzer.AnalyzeLock, OperationKind.Lock);
    }

    private sealed class Context
    {
        private readonly KnownSymbols _symbols;

        public Context(KnownSymbols symbols) => _symbols = symbols;

        public void AnalyzeLock(OperationAnalysisContext context)
        {
            var @lock = (ILockOperation)context.Operation;
            if (Problem(@lock.LockedValue) is { } problem)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.TW2004LockOnUnsafeObject, @lock.LockedValue.Syntax.GetLocation(), problem));
            }
        }

        private string? Problem(IOperation value)
        {
            if (value is IConversionOperation { Operand.Type.IsValueType: true })
            {
                return "a boxed value type (a new object each time)";
            }

            value = value.WithoutConversions();

            if (value.Type is null or IErrorTypeSymbol)
            {
                return null;
            }

            return value switch
            {
                IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } => "'this'",
                ITypeOfOperation => "a typeof(...) object",
                IObjectCreationOperation => "a new object created for this lock alone",
                _ when value.Type.SpecialType == SpecialType.System_String => "a string (strings are interned and shared)",
                _ when KnownSymbols.IsOrDerivesFrom(value.Type, _symbols.Type) => "a Type object",
                _ when KnownSymbols.IsOrDerivesFrom(value.Type, _symbols.Thread) => "a Thread object",
                IFieldReferenceOperation { Field: { IsReadOnly: false } field } => $"the non-readonly field '{field.Name}'",
                IFieldReferenceOperation { Field: { DeclaredAccessibility: not Accessibility.Private } field } => $"the non-private field '{field.Name}'",
                _ => null,
            };
        }
    }
}
