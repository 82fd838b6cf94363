using System.Collections.Generic;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>
/// TW4007: a non-async method (or local function) returns a task it just started from inside a
/// <c>using</c> whose resource the task uses, or a <c>try</c> with a non-empty <c>finally</c> (that
/// does not exit a thread-affine lock): the scope ends when the task is created, not when it
/// completes. A <c>lock</c> around the return guards the start and is the correct form.
/// </summary>
public sealed class TaskReturnedFromScopeAnalyzer : ThreadwiseAnalyzer
{
    public TaskReturnedFromScopeAnalyzer()
        : base(Descriptors.TW4007TaskReturnedFromScope)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var symbols = KnownSymbols.For(context.Compilation);
        if (symbols.Task is null)
        {
            return;
        }

        var analyzer = new Context(symbols);
        context.RegisterOperationAction(analyzer.AnalyzeReturn, OperationKind.Return);
    }

    private sealed class Context
    {
        private readonly KnownSymbols _symbols;

        public Context(KnownSymbols symbols) => _symbols = symbols;

        public void AnalyzeReturn(OperationAnalysisContext context)
        {
            var @return = (IReturnOperation)context.Operation;
            if (@return.Kind != OperationKind.Return
                || @return.ReturnedValue is not { } value
                || !_symbols.IsTaskType(value.Type)
                || value.WithoutConversions() is not IInvocationOperation started
                || KnownCompleteTasks.IsKnownComplete(started, _symbols)
                || AsyncContext.GetEnclosingFunction(@return, context.ContainingSymbol) is not { IsAsync: false, MethodKind: MethodKind.Ordinary or MethodKind.LocalFunction } function
                || @return.Syntax.ContainsDiagnostics
                || EnclosingScope(@return, started, context.ContainingSymbol.ContainingType, context.Compilation) is not { } scope)
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.TW4007TaskReturnedFromScope,
                value.Syntax.GetLocation(),
                scope.What,
                scope.Consequence,
                function.Name));
        }

        // The innermost scope that ends too early for the returned task.
        private static (string What, string Consequence)? EnclosingScope(IOperation @return, IOperation started, INamedTypeSymbol? containingType, Compilation compilation)
        {
            IOperation child = @return;
            for (var current = @return.Parent; current is not null; child = current, current = current.Parent)
            {
                switch (current)
                {
                    case IAnonymousFunctionOperation or ILocalFunctionOperation:
                        return null;
                    case IUsingOperation @using when child == @using.Body && UsesResource(started, @using.Locals, compilation):
                        return ("using block", "the resource is disposed");
                    case ITryOperation { Finally: { Operations.Length: > 0 } finallyBlock } @try when child == @try.Body && !ExitsThreadAffineLock(finallyBlock) && !IsSkippedOnPathTo(finallyBlock, @return, @try.Body) && EndsWhatTheTaskMayUse(finallyBlock, started, containingType):
                        return ("try/finally", "the finally block runs");

                    // A lock (or a Monitor region) around `return StartAsync()` guards the start; it
                    // cannot be held across the work's awaits anyway (no await in a lock, and a
                    // thread-affine lock must not span one). That is the correct form: not reported.
                    case ILockOperation:
                        return null;
                    case IBlockOperation block when DeclaresUsedResourceBefore(block, child, started, compilation):
                        return ("using declaration", "the resource is disposed");
                }
            }

            return null;
        }

        // The finally ends something the task may still use: it ends a variable, parameter, field or
        // property the task's expression names (`finally { _conn.Close(); } … return _conn.SendAsync()`),
        // releases a semaphore or signals an event (the work ran under it), changes a field of this
        // type (a busy flag), or calls a method of this object. A finally that only tidies up what
        // the task never mentions (`finally { buffer?.Release(); } … return ctx.WriteAsync(msg)`,
        // DotNetty's encoders) does not cut the task short.
        private static bool EndsWhatTheTaskMayUse(IBlockOperation finallyBlock, IOperation started, INamedTypeSymbol? containingType)
        {
            var usesThis = false;
            var named = new HashSet<ISymbol>(SymbolEqualityComparer.Default);
            foreach (var operation in started.DescendantsAndSelf())
            {
                if (operation is IInstanceReferenceOperation)
                {
                    usesThis = true;
                }
                else if (NamedSymbol(operation) is { } symbol && !ReachesACallOnlyAsASpan(operation))
                {
                    named.Add(symbol);
                }
            }

            foreach (var operation in finallyBlock.Descendants())
            {
                if (NamedSymbol(operation) is { } symbol && named.Contains(symbol) && IsEnded(operation))
                {
                    return true;
                }

                switch (operation)
                {
                    case IInstanceReferenceOperation when usesThis:
                    case IAssignmentOperation { Target: IFieldReferenceOperation { Instance: IInstanceReferenceOperation } }:
                    case IInvocationOperation { Instance: IInstanceReferenceOperation }:
                        return true;
                    case IAssignmentOperation { Target: IFieldReferenceOperation { Instance: null, Field: var field } } when SymbolEqualityComparer.Default.Equals(field.ContainingType, containingType):
                        return true;
                    case IInvocationOperation { Instance: null, TargetMethod: var method } when SymbolEqualityComparer.Default.Equals(method.ContainingType, containingType):
                        return true;
                    case IInvocationOperation call when LockScope.IsRelease(call, out var released) && released is not null && LockScope.IsSemaphore(released):
                        return true;
                    case IInvocationOperation { TargetMethod.Name: "Set" or "Signal" or "SignalAndWait" or "TrySetResult" or "SetResult" or "TrySetCanceled" or "SetCanceled" or "TrySetException" or "SetException" }:
                        return true;
                }
            }

            return false;
        }

        // What the finally does to a variable the task names: assigns it, hands it to a call (which
        // may dispose or return it), or calls a method on it that ends something (`Dispose`, `Close`,
        // `Release`, `Return`…). Using it for more work (`ctx.WriteAsync(other)`) ends nothing.
        private static bool IsEnded(IOperation reference) => reference.Parent switch
        {
            IAssignmentOperation assignment => assignment.Target == reference,
            IArgumentOperation => true,
            IInvocationOperation call => call.Instance == reference && EndsSomething(call.TargetMethod.Name),
            IConditionalAccessOperation { WhenNotNull: IInvocationOperation call } access => access.Operation == reference && EndsSomething(call.TargetMethod.Name),
            _ => false,
        };

        private static bool EndsSomething(string name)
        {
            foreach (var verb in EndingVerbs)
            {
                if (name.StartsWith(verb, System.StringComparison.Ordinal))
                {
                    return true;
                }
            }

            return false;
        }

        private static readonly string[] EndingVerbs =
        {
            "Dispose", "Close", "Release", "Return", "Reset", "Clear", "Cancel", "Abort", "Stop", "End", "Exit", "Free", "Shutdown", "Complete", "Unlock",
        };

        private static ISymbol? NamedSymbol(IOperation operation)
            => operation is IPropertyReferenceOperation property ? property.Property : operation.ReferencedVariable();

        // `finally { if (gotLock) Release(); }` and the return sits in `if (!gotLock) { … return X(); }`
        // with no assignment to `gotLock` before it: on this path the finally does nothing, and the
        // task (which takes the lock itself) does not outlive anything.
        private static bool IsSkippedOnPathTo(IBlockOperation finallyBlock, IOperation @return, IOperation tryBody)
        {
            if (finallyBlock.Operations.Length != 1
                || finallyBlock.Operations[0] is not IConditionalOperation { WhenFalse: null, Condition: var guard }
                || guard.WithoutConversions() is not ILocalReferenceOperation { Local: { Type.SpecialType: SpecialType.System_Boolean } flag })
            {
                return false;
            }

            if (ClearsTheFlagJustBefore(@return, flag, tryBody))
            {
                return true;
            }

            IOperation child = @return;
            for (var current = @return.Parent; current is not null && current != tryBody; child = current, current = current.Parent)
            {
                if (current is ILoopOperation)
                {
                    return false;
                }

                if (current is IConditionalOperation { Condition: IUnaryOperation { OperatorKind: UnaryOperatorKind.Not, Operand: var operand } } negated
                    && child == negated.WhenTrue
                    && operand.WithoutConversions() is ILocalReferenceOperation { Local: var tested }
                    && SymbolEqualityComparer.Default.Equals(tested, flag))
                {
                    return !AssignsBefore(negated.WhenTrue, flag, @return.Syntax.SpanStart);
                }
            }

            return false;
        }

        // `disposeEnumerator = false; return ConvertAsync(enumerator, elementTask);` with `finally { if
        // (disposeEnumerator) enumerator.Dispose(); }` (MassTransit's collection converters): the flag is cleared
        // in the statements right before the return, in its block or one around it, so the finally leaves the
        // resource to the task, which ends it itself.
        private static bool ClearsTheFlagJustBefore(IOperation @return, ILocalSymbol flag, IOperation tryBody)
        {
            IOperation child = @return;
            for (var current = @return.Parent; current is not null && current != tryBody; child = current, current = current.Parent)
            {
                if (current is not IBlockOperation block)
                {
                    continue;
                }

                for (var i = block.Operations.IndexOf(child) - 1; i >= 0; i--)
                {
                    if (block.Operations[i] is IExpressionStatementOperation { Operation: ISimpleAssignmentOperation { Target: ILocalReferenceOperation { Local: var target }, Value: var value } }
                        && SymbolEqualityComparer.Default.Equals(target, flag))
                    {
                        return value.ConstantValue is { HasValue: true, Value: false };
                    }

                    if (AssignsBefore(block.Operations[i], flag, @return.Syntax.SpanStart))
                    {
                        return false;
                    }
                }
            }

            return false;
        }

        private static bool AssignsBefore(IOperation scope, ILocalSymbol local, int position)
        {
            foreach (var operation in scope.Descendants())
            {
                // `gotLock = …`, or `Monitor.Enter(x, ref gotLock)` / `TryTake(out gotLock)`.
                var written = operation switch
                {
                    IAssignmentOperation { Target: ILocalReferenceOperation { Local: var target } } => target,
                    IArgumentOperation { Parameter.RefKind: RefKind.Ref or RefKind.Out, Value: ILocalReferenceOperation { Local: var passed } } => passed,
                    _ => null,
                };

                if (written is not null
                    && SymbolEqualityComparer.Default.Equals(written, local)
                    && operation.Syntax.SpanStart < position)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool ExitsThreadAffineLock(IOperation finallyBlock)
        {
            foreach (var operation in finallyBlock.Descendants())
            {
                if (operation is IInvocationOperation { TargetMethod.Name: "Exit" or "ExitReadLock" or "ExitWriteLock" or "ExitUpgradeableReadLock" or "ReleaseMutex" })
                {
                    return true;
                }
            }

            return false;
        }

        private static bool DeclaresUsedResourceBefore(IBlockOperation block, IOperation child, IOperation started, Compilation compilation)
        {
            foreach (var statement in block.Operations)
            {
                if (statement == child)
                {
                    return false;
                }

                if (statement is IUsingDeclarationOperation { DeclarationGroup: { } group } && UsesResource(started, Locals(group), compilation))
                {
                    return true;
                }
            }

            return false;
        }

        private static System.Collections.Immutable.ImmutableArray<ILocalSymbol> Locals(IVariableDeclarationGroupOperation group)
        {
            var builder = System.Collections.Immutable.ImmutableArray.CreateBuilder<ILocalSymbol>();
            foreach (var declaration in group.Declarations)
            {
                foreach (var declarator in declaration.Declarators)
                {
                    builder.Add(declarator.Symbol);
                }
            }

            return builder.ToImmutable();
        }

        // The task's expression reads a resource of the using: disposing it breaks the running work.
        private static bool UsesResource(IOperation started, System.Collections.Immutable.ImmutableArray<ILocalSymbol> resources, Compilation compilation)
        {
            if (resources.IsEmpty)
            {
                return false;
            }

            foreach (var operation in started.DescendantsAndSelf())
            {
                if (operation is ILocalReferenceOperation reference)
                {
                    foreach (var resource in resources)
                    {
                        if (SymbolEqualityComparer.Default.Equals(reference.Local, resource) && !DisposesNothing(resource.Type, compilation) && !ReachesACallOnlyAsASpan(reference))
                        {
                            return true;
                        }
                    }
                }
            }

            return false;
        }

        // `using var key = Encode(k, ArrayPool<byte>.Shared); return trans.GetAsync(key.Span);` (FoundationDB's
        // key helpers): a Span or ReadOnlySpan cannot outlive the call it is passed to (it never reaches the heap),
        // and one of unmanaged elements holds no reference the task could keep, so the call has copied what it
        // needs before it hands back the task. Read through properties and span-returning calls
        // (`buffer.AsSpan(0, n)`) on the way; any other use of the resource is a use.
        private static bool ReachesACallOnlyAsASpan(IOperation reference)
        {
            for (var current = reference.Parent; current is not null; current = current.Parent)
            {
                switch (current)
                {
                    case IArgumentOperation argument when IsSpanOfUnmanaged(argument.Value.Type):
                        return true;
                    case IArgumentOperation { Parent: IInvocationOperation call } when IsSpanOfUnmanaged(call.Type):
                    case IInvocationOperation call2 when IsSpanOfUnmanaged(call2.Type):
                    case IPropertyReferenceOperation or IFieldReferenceOperation or IConversionOperation or IParenthesizedOperation:
                        continue;
                    default:
                        return false;
                }
            }

            return false;
        }

        private static bool IsSpanOfUnmanaged(ITypeSymbol? type)
            => type is INamedTypeSymbol { IsRefLikeType: true, Name: "Span" or "ReadOnlySpan", TypeArguments.Length: 1, ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } span
               && span.TypeArguments[0].IsUnmanagedType;

        // `using var handler = new CompressedByteHandler(this); return ReadPayloadAsync(reader, handler);`
        // where the handler's `Dispose()` is empty (MySqlConnector's compressed payload reader): disposing
        // it ends nothing the task still uses. Known for a sealed class or a struct whose implementation
        // of `IDisposable.Dispose` is declared in your source with an empty block body; any other type
        // (an interface, an overridable class, a Dispose that calls anything) is taken to end something.
        private static bool DisposesNothing(ITypeSymbol type, Compilation compilation)
        {
            if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class or TypeKind.Struct } named
                || !(named.IsSealed || named.IsValueType)
                || compilation.GetSpecialType(SpecialType.System_IDisposable) is not { TypeKind: TypeKind.Interface } disposable)
            {
                return false;
            }

            foreach (var member in disposable.GetMembers("Dispose"))
            {
                if (member is IMethodSymbol { Parameters.Length: 0 } dispose
                    && named.FindImplementationForInterfaceMember(dispose) is IMethodSymbol implementation)
                {
                    return implementation.DeclaringSyntaxReferences.Length == 1
                           && implementation.DeclaringSyntaxReferences[0].GetSyntax() is Microsoft.CodeAnalysis.CSharp.Syntax.MethodDeclarationSyntax { Body.Statements.Count: 0, ExpressionBody: null };
                }
            }

            return false;
        }
    }
}
