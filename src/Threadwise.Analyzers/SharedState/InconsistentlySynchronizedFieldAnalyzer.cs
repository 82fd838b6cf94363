using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>
/// TW2003: a field written under a lock in one member and without any lock in another. Runs per
/// type (symbol start / operation / symbol end), so it shows live in an open document, partial
/// types included.
/// </summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class InconsistentlySynchronizedFieldAnalyzer : ThreadwiseAnalyzer
{
    public InconsistentlySynchronizedFieldAnalyzer()
        : base(Descriptors.TW2003InconsistentlySynchronizedField)
    {
    }

    /// <summary>Diagnostic property: the guarding lock as it is written (a field name, or <c>this</c>).</summary>
    public const string LockProperty = "Lock";

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
        => context.RegisterSymbolStartAction(OnTypeStart, SymbolKind.NamedType);

    private static void OnTypeStart(SymbolStartAnalysisContext context)
    {
        var type = (INamedTypeSymbol)context.Symbol;
        if (type.TypeKind is not (TypeKind.Class or TypeKind.Struct) || !HasWritableField(type))
        {
            return;
        }

        var writes = new ConcurrentBag<FieldWrite>();
        context.RegisterOperationAction(c => CollectWrite(c, type, writes), OperationKind.SimpleAssignment, OperationKind.CompoundAssignment, OperationKind.Increment, OperationKind.Decrement);
        context.RegisterOperationAction(c => AnalyzeCheckThenAct(c, type), OperationKind.Conditional);
        context.RegisterSymbolEndAction(c => Report(c, writes));
    }

    private static bool HasWritableField(INamedTypeSymbol type)
    {
        foreach (var member in type.GetMembers())
        {
            if (member is IFieldSymbol { IsReadOnly: false, IsConst: false, IsVolatile: false, IsImplicitlyDeclared: false })
            {
                return true;
            }
        }

        return false;
    }

    private static void CollectWrite(OperationAnalysisContext context, INamedTypeSymbol type, ConcurrentBag<FieldWrite> writes)
    {
        var target = context.Operation switch
        {
            IAssignmentOperation assignment => assignment.Target,
            IIncrementOrDecrementOperation update => update.Target,
            _ => null,
        };

        if (target is not IFieldReferenceOperation { Field: { IsReadOnly: false, IsConst: false, IsVolatile: false } field } reference
            || !SymbolEqualityComparer.Default.Equals(field.ContainingType, type)
            || reference.Instance is not (null or IInstanceReferenceOperation)
            || IsExempt(context.ContainingSymbol))
        {
            return;
        }

        ISymbol? heldLock = null;
        foreach (var held in LockScope.HeldLocks(context.Operation))
        {
            heldLock = held ?? heldLock;
            if (held is not null)
            {
                break;
            }
        }

        writes.Add(new FieldWrite(field, heldLock, context.Operation, context.ContainingSymbol));
    }

    // Constructors run before the object is shared; Dispose runs after the last use.
    private static bool IsExempt(ISymbol member)
        => member is IMethodSymbol { MethodKind: MethodKind.Constructor or MethodKind.StaticConstructor or MethodKind.Destructor }
            or IMethodSymbol { Name: "Dispose" or "DisposeAsync" }
            or IFieldSymbol or IPropertySymbol { IsReadOnly: true };

    private static void Report(SymbolAnalysisContext context, ConcurrentBag<FieldWrite> writes)
    {
        var guarded = new Dictionary<IFieldSymbol, FieldWrite>(SymbolEqualityComparer.Default);
        var guardedMembers = new HashSet<(ISymbol, ISymbol)>();
        foreach (var write in writes)
        {
            if (write.Lock is not null)
            {
                guarded[write.Field] = write;
                guardedMembers.Add((write.Field, write.Member));
            }
        }

        if (guarded.Count == 0)
        {
            return;
        }

        foreach (var write in writes)
        {
            if (write.Lock is null
                && guarded.TryGetValue(write.Field, out var guard)
                && !guardedMembers.Contains((write.Field, write.Member)))
            {
                var lockName = guard.Lock is ITypeSymbol ? "this" : guard.Lock!.Name;
                context.ReportDiagnostic(Diagnostic.Create(
                    Descriptors.TW2003InconsistentlySynchronizedField,
                    write.Operation.Syntax.GetLocation(),
                    ImmutableDictionary<string, string?>.Empty.Add(LockProperty, guard.Lock is IFieldSymbol or ITypeSymbol ? lockName : null),
                    write.Field.Name,
                    lockName,
                    guard.Member.Name,
                    "written"));
            }
        }
    }

    // if (_x == null) { lock (_gate) { _x = new X(); } }: two threads both see null, then both
    // write in turn. Reported at the unguarded check; double-checked locking (the same check again
    // inside the lock) is the correct form and is not reported.
    private static void AnalyzeCheckThenAct(OperationAnalysisContext context, INamedTypeSymbol type)
    {
        var conditional = (IConditionalOperation)context.Operation;
        if (conditional.WhenTrue is null || IsExempt(context.ContainingSymbol) || LockScope.IsAnyLockHeld(conditional))
        {
            return;
        }

        foreach (var read in conditional.Condition.DescendantsAndSelf())
        {
            if (read is not IFieldReferenceOperation { Field: { IsReadOnly: false, IsConst: false, IsVolatile: false } field, Instance: null or IInstanceReferenceOperation }
                || !SymbolEqualityComparer.Default.Equals(field.ContainingType, type)
                || GuardedWriteWithoutRecheck(conditional.WhenTrue, field) is not { } guard)
            {
                continue;
            }

            var lockName = guard is ITypeSymbol ? "this" : guard.Name;
            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.TW2003InconsistentlySynchronizedField,
                read.Syntax.GetLocation(),
                field.Name,
                lockName,
                context.ContainingSymbol.Name,
                "checked"));
            return;
        }
    }

    private static ISymbol? GuardedWriteWithoutRecheck(IOperation body, IFieldSymbol field)
    {
        foreach (var operation in body.Descendants())
        {
            if (operation is IAssignmentOperation { Target: IFieldReferenceOperation target }
                && SymbolEqualityComparer.Default.Equals(target.Field, field)
                && !IsRecheckedUnderLock(operation, field))
            {
                foreach (var held in LockScope.HeldLocks(operation))
                {
                    if (held is not null)
                    {
                        return held;
                    }
                }
            }
        }

        return null;
    }

    // The write sits under an `if` (inside the lock) that reads the field again.
    private static bool IsRecheckedUnderLock(IOperation write, IFieldSymbol field)
    {
        for (var current = write.Parent; current is not null && current is not ILockOperation; current = current.Parent)
        {
            if (current is IConditionalOperation inner)
            {
                foreach (var read in inner.Condition.DescendantsAndSelf())
                {
                    if (read is IFieldReferenceOperation reference && SymbolEqualityComparer.Default.Equals(reference.Field, field))
                    {
                        return true;
                    }
                }
            }
        }

        return false;
    }

    private sealed class FieldWrite
    {
        public FieldWrite(IFieldSymbol field, ISymbol? @lock, IOperation operation, ISymbol member)
        {
            Field = field;
            Lock = @lock;
            Operation = operation;
            Member = member;
        }

        public IFieldSymbol Field { get; }

        public ISymbol? Lock { get; }

        public IOperation Operation { get; }

        public ISymbol Member { get; }
    }
}
