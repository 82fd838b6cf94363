using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Linq;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.SharedState;

/// <summary>TW2004: <c>lock</c> on <c>this</c> of an exposed type, a type, a string, a reassigned or exposed field,
/// a boxed value, a fresh object, a Type or a Thread.</summary>
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
        private readonly ConcurrentDictionary<IFieldSymbol, bool> _reassigned = new(SymbolEqualityComparer.Default);

        public Context(KnownSymbols symbols) => _symbols = symbols;

        public void AnalyzeLock(OperationAnalysisContext context)
        {
            var @lock = (ILockOperation)context.Operation;
            if (Problem(@lock.LockedValue, context.Compilation) is { } problem
                && !IsLockedEarlierInType(@lock)
                && !IsSwappedOnlyUnderAHeldLock(@lock, context.Compilation))
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.TW2004LockOnUnsafeObject, @lock.LockedValue.Syntax.GetLocation(), problem, Consequence(problem), Remedy(@lock.LockedValue)));
            }
        }

        // `lock (string.Intern($"{GetType().FullName}.{_resource}"))` (Hangfire.Storage.SQLite's distributed
        // lock): a string computed per key (not a constant, not one field) asks for one lock per key, which a
        // private object cannot give; a dictionary of lock objects can, without sharing them with the rest of
        // the process.
        private static string Remedy(IOperation lockedValue)
            => lockedValue.WithoutConversions() is { Type.SpecialType: SpecialType.System_String, ConstantValue.HasValue: false } key
               && key is not IFieldReferenceOperation
                ? "to lock per key, keep one lock object per key in a private static ConcurrentDictionary<string, object> (GetOrAdd)"
                : "lock on a private readonly object";

        // One finding per lock object and type: `lock (this)` in six methods is one mistake, fixed in
        // one go (the fix replaces every use of the object together). Only the first lock on the same
        // `this` or field in the type declaration reports.
        private static bool IsLockedEarlierInType(ILockOperation @lock)
        {
            if (LockedObject(@lock) is not { } target
                || @lock.SemanticModel is not { } model
                || @lock.Syntax.FirstAncestorOrSelf<TypeDeclarationSyntax>() is not { } type)
            {
                return false;
            }

            foreach (var node in type.DescendantNodes(n => n.SpanStart < @lock.Syntax.SpanStart))
            {
                if (node is LockStatementSyntax earlier
                    && earlier.SpanStart < @lock.Syntax.SpanStart
                    && earlier.FirstAncestorOrSelf<TypeDeclarationSyntax>() == type
                    && model.GetOperation(earlier) is ILockOperation other
                    && SymbolEqualityComparer.Default.Equals(target, LockedObject(other)))
                {
                    return true;
                }
            }

            return false;
        }

        // The object a lock takes, when it is this instance's own: `this` (as its type) or a field of
        // this instance or a static field.
        private static ISymbol? LockedObject(ILockOperation @lock)
        {
            var value = SeeThroughProperty(@lock.LockedValue.WithoutConversions());
            return value switch
            {
                IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } => value.Type,
                IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => field.Field,
                _ => null,
            };
        }

        // Each case in its own words: shared objects let others in, fresh objects keep nobody out.
        private static string Consequence(string problem)
            => problem.StartsWith("a boxed", System.StringComparison.Ordinal) || problem.StartsWith("a new object", System.StringComparison.Ordinal)
                ? "excludes nobody: every lock takes a different object"
                : problem.StartsWith("the non-readonly field", System.StringComparison.Ordinal)
                    ? "may lock a different object once the field is reassigned, and then two threads hold \"the\" lock at once"
                    : "lets code you do not control take the same lock and block or deadlock yours";

        private string? Problem(IOperation value, Compilation compilation)
        {
            if (value is IConversionOperation { Operand.Type.IsValueType: true })
            {
                return "a boxed value type (a new object each time)";
            }

            value = SeeThroughProperty(value.WithoutConversions());

            if (value.Type is null or IErrorTypeSymbol)
            {
                return null;
            }

            return value switch
            {
                IInstanceReferenceOperation { ReferenceKind: InstanceReferenceKind.ContainingTypeInstance } when SymbolFacts.IsVisibleOutsideAssembly(value.Type) && !IsPublishedAsSyncRoot(null, value.Type) => "'this'",
                IInstanceReferenceOperation => null,
                ITypeOfOperation => "a typeof(...) object",
                IObjectCreationOperation => "a new object created for this lock alone",
                _ when value.Type.SpecialType == SpecialType.System_String => "a string (strings are interned and shared)",
                _ when KnownSymbols.IsOrDerivesFrom(value.Type, _symbols.Type) => "a Type object",
                _ when KnownSymbols.IsOrDerivesFrom(value.Type, _symbols.Thread) => "a Thread object",
                IFieldReferenceOperation { Field: { IsReadOnly: false } field } when IsReassigned(field, compilation) => $"the non-readonly field '{field.Name}'",
                // A protected lock field is shared with derived classes on purpose (Open.ChannelExtensions,
                // Streamiz, Mina.NET and RethinkDB's host pools lock the base's field from subclasses): a
                // derived class is part of the implementation. A public one lets any code in.
                IFieldReferenceOperation { Field: { } field } when SymbolFacts.IsPublicOutsideAssembly(field) && !IsPublishedAsSyncRoot(field, field.ContainingType) => $"the field '{field.Name}', visible outside the assembly",
                _ => null,
            };
        }

        // What a getter returns: `=> x`, `get => x;` or `get { return x; }`; null for anything longer.
        private static ExpressionSyntax? ReturnedExpression(SyntaxNode getter) => getter switch
        {
            ArrowExpressionClauseSyntax { Expression: var body } => body,
            AccessorDeclarationSyntax { ExpressionBody.Expression: { } body } => body,
            AccessorDeclarationSyntax { Body.Statements: { Count: 1 } statements }
                when statements[0] is ReturnStatementSyntax { Expression: { } returnedValue } => returnedValue,
            _ => null,
        };

        // `public object SyncRoot => gate;` (ICollection's convention; ObservableCollections' views, found
        // dogfooding): the type hands its lock out so that callers can synchronize with it. Outside code
        // taking that lock is the contract, not an accident. `field` null: the lock is `this`.
        private static bool IsPublishedAsSyncRoot(IFieldSymbol? field, ITypeSymbol type)
        {
            for (var current = type as INamedTypeSymbol; current is not null; current = current.BaseType)
            {
                foreach (var member in current.GetMembers("SyncRoot"))
                {
                    if (member is IPropertySymbol { GetMethod: { } getter } && ReturnsTheLock(getter, field))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool ReturnsTheLock(IMethodSymbol getter, IFieldSymbol? field)
        {
            foreach (var reference in getter.DeclaringSyntaxReferences)
            {
                var returned = ReturnedExpression(reference.GetSyntax());
                if (returned is MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var name })
                {
                    returned = name;
                }

                if (field is null ? returned is ThisExpressionSyntax : returned is IdentifierNameSyntax { Identifier.ValueText: var text } && text == field.Name)
                {
                    return true;
                }
            }

            return false;
        }

        // `private object SyncLock => this;` and `object Gate { get { return _gate; } }`: the lock is
        // on what the property returns.
        private static IOperation SeeThroughProperty(IOperation value)
        {
            if (value is not IPropertyReferenceOperation { Property: { IsIndexer: false, GetMethod: { } getter } property, Instance: null or IInstanceReferenceOperation }
                || getter.DeclaringSyntaxReferences.Length != 1
                || value.SemanticModel is not { } model)
            {
                return value;
            }

            var syntax = getter.DeclaringSyntaxReferences[0].GetSyntax();
            if (syntax.SyntaxTree != model.SyntaxTree)
            {
                return value;
            }

            var returned = ReturnedExpression(syntax);

            return returned is not null
                   && returned is ThisExpressionSyntax or IdentifierNameSyntax
                   && model.GetOperation(returned) is { } operation
                ? operation.WithoutConversions()
                : value;
        }

        // A non-readonly field only assigned by its initializer and constructors holds one object for
        // the instance's life. Written anywhere else (also through `ref`/`out`), a lock on it may take a
        // different object each time. A private field is looked for in its type, any other in every
        // file of the compilation (friend assemblies are ignored; so are derived classes elsewhere,
        // which are part of the implementation). A public field that nothing here reassigns is still
        // reported, for what it is: visible outside the assembly. Only asked when a lock on a
        // non-readonly field is found, and once per field.
        private bool IsReassigned(IFieldSymbol field, Compilation compilation)
        {
            field = field.OriginalDefinition;
            if (field.ContainingType is null)
            {
                return false;
            }

            return _reassigned.GetOrAdd(field, f => f.DeclaredAccessibility == Accessibility.Private
                ? IsWrittenOutsideConstructors(f, f.ContainingType.DeclaringSyntaxReferences.Select(r => r.GetSyntax()), compilation)
                : IsWrittenOutsideConstructors(f, compilation.SyntaxTrees.Select(t => t.GetRoot()), compilation));
        }

        // `lock (_lock) { … lock (_currentBucket) _currentBucket.Stop(now); … _currentBucket = opening; }` (MassTransit's
        // cache node tracker): the field names the object to lock, and it is only ever swapped while the outer
        // lock is held, which is held here too. Every thread that reads it here reads the same object, so the
        // lock picks that object on purpose. Private fields only; every write outside construction must hold
        // one of the locks held at this lock statement.
        private static bool IsSwappedOnlyUnderAHeldLock(ILockOperation @lock, Compilation compilation)
        {
            if (SeeThroughProperty(@lock.LockedValue.WithoutConversions()) is not IFieldReferenceOperation { Field: { IsReadOnly: false, DeclaredAccessibility: Accessibility.Private } field }
                || field.ContainingType is null)
            {
                return false;
            }

            var common = new List<ISymbol>();
            foreach (var held in LockScope.HeldLocks(@lock))
            {
                if (held is not null && !SymbolEqualityComparer.Default.Equals(held, field))
                {
                    common.Add(held);
                }
            }

            foreach (var reference in field.ContainingType.DeclaringSyntaxReferences)
            {
                var root = reference.GetSyntax();
                SemanticModel? model = null;
                foreach (var token in root.DescendantTokens())
                {
                    if (common.Count == 0)
                    {
                        return false;
                    }

                    if (!token.IsKind(SyntaxKind.IdentifierToken)
                        || token.ValueText != field.Name
                        || token.Parent is not IdentifierNameSyntax name
                        || !IsWrite(name)
                        || IsInOwnConstructor(name, field)
                        || IsInOwnDeserializationCallback(name, field, compilation)
                        || IsInAnUnassignedInternalSetter(name, compilation)
                        || IsInInitializerOnlyConstructorsCall(name, field, compilation))
                    {
                        continue;
                    }

                    model ??= compilation.GetSemanticModel(root.SyntaxTree);
                    if (model.GetOperation(name) is not { } write)
                    {
                        return false;
                    }

                    var heldThere = new List<ISymbol?>(LockScope.HeldLocks(write));
                    common.RemoveAll(candidate => !heldThere.Contains(candidate, SymbolEqualityComparer.Default));
                }
            }

            return common.Count > 0;
        }

        private static bool IsWrittenOutsideConstructors(IFieldSymbol field, IEnumerable<SyntaxNode> roots, Compilation compilation)
        {
            foreach (var root in roots)
            {
                foreach (var token in root.DescendantTokens())
                {
                    if (token.IsKind(SyntaxKind.IdentifierToken)
                        && token.ValueText == field.Name
                        && token.Parent is IdentifierNameSyntax name
                        && IsWrite(name)
                        && !IsOneTimePublication(name, compilation)
                        && !IsSetupOfANewObject(name)
                        && !IsGateHandedIn(name, field)
                        && !IsLazyInitializationUnderALock(name)
                        && !IsRefLeftAloneByCallee(name, compilation)
                        && !IsInOwnConstructor(name, field)
                        && !IsInOwnDeserializationCallback(name, field, compilation)
                        && !IsInAnUnassignedInternalSetter(name, compilation)
                        && !IsInInitializerOnlyConstructorsCall(name, field, compilation))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        // websocket-sharp's `private void init() { _forState = new object(); … }`, called by each
        // constructor: C# lets only constructors write a readonly field, so the lock objects are set in a
        // private helper the constructors share. A write in a private, non-virtual method of the type
        // whose every call is made on `this` by a constructor of the type (or by another such helper, a
        // few levels up) happens while constructing, like a constructor's own.
        private static bool IsInInitializerOnlyConstructorsCall(SyntaxNode node, IFieldSymbol field, Compilation compilation)
        {
            if (node.FirstAncestorOrSelf<MethodDeclarationSyntax>() is not { } declaration
                || node.Ancestors().TakeWhile(a => a != declaration).Any(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
                || compilation.GetSemanticModel(declaration.SyntaxTree).GetDeclaredSymbol(declaration) is not { } method
                || !SymbolEqualityComparer.Default.Equals(method.ContainingType, field.ContainingType)
                || method.IsStatic != field.IsStatic)
            {
                return false;
            }

            return RunsOnlyWhileConstructing(method, compilation, depth: 0);
        }

        private const int MaxInitializerDepth = 2;

        // A protected or internal initializer counts too (`protected void InitNotify()` of Technitium's zone base
        // class, called by every derived zone's constructors): its callers are in the compilation, and a
        // constructor of a derived type runs while the object is being built just as the type's own does.
        private static bool RunsOnlyWhileConstructing(IMethodSymbol method, Compilation compilation, int depth)
        {
            if (depth > MaxInitializerDepth || !CallSites.CanKnowCallers(method)
                || method.IsVirtual || method.IsAbstract || method.IsOverride || method.IsAsync
                || CallSites.InTheCompilation(method, compilation, System.Threading.CancellationToken.None) is not { Count: > 0 } calls)
            {
                return false;
            }

            foreach (var call in calls)
            {
                if (call.Invocation.Instance is not (null or IInstanceReferenceOperation)
                    || call.Caller is not IMethodSymbol caller
                    || !(method.IsStatic
                        ? SymbolEqualityComparer.Default.Equals(caller.ContainingType, method.ContainingType)
                        : KnownSymbols.IsOrDerivesFrom(caller.ContainingType, method.ContainingType))
                    || !(caller.MethodKind is MethodKind.Constructor or MethodKind.StaticConstructor
                         || (caller.MethodKind == MethodKind.Ordinary && RunsOnlyWhileConstructing(caller, compilation, depth + 1))))
                {
                    return false;
                }
            }

            return true;
        }

        // `_f = …`, `this._f ??= …`, `other._f = …`, `Exchange(ref _f, …)`, `Init(out _f)`. Clearing
        // the field (`_gate = null;` in Dispose, found dogfooding FusionCache) hands no other object to
        // lock: a lock taken after it throws, which is no split lock.
        private static bool IsWrite(IdentifierNameSyntax name)
        {
            var target = Accessed(name, onThisOnly: false);
            return target.Parent switch
            {
                AssignmentExpressionSyntax assignment => assignment.Left == target && !ClearsTheField(assignment),
                ArgumentSyntax argument => !argument.RefKindKeyword.IsKind(SyntaxKind.None),
                _ => false,
            };
        }

        // `Interlocked.CompareExchange(ref _sessions, new Dictionary<…>(), null)` and
        // `LazyInitializer.EnsureInitialized(ref _gate)`: the field is set once, from null, atomically;
        // every thread then locks the object that won (found dogfooding FASTER's session table). A
        // compare-exchange from anything but null swaps objects and is a reassignment.
        private static bool IsOneTimePublication(IdentifierNameSyntax name, Compilation compilation)
        {
            var target = Accessed(name, onThisOnly: false);
            if (target.Parent is not ArgumentSyntax { RefKindKeyword.RawKind: (int)SyntaxKind.RefKeyword, Parent: ArgumentListSyntax { Parent: InvocationExpressionSyntax invocation } list } argument
                || list.Arguments.IndexOf(argument) != 0
                || invocation.Expression is not MemberAccessExpressionSyntax { Name.Identifier.ValueText: "CompareExchange" or "EnsureInitialized" })
            {
                return false;
            }

            if (compilation.GetSemanticModel(invocation.SyntaxTree).GetSymbolInfo(invocation).Symbol is not IMethodSymbol { ContainingType: { ContainingNamespace: { Name: "Threading", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } type } method)
            {
                return false;
            }

            return method.Name == "CompareExchange"
                ? type.Name == "Interlocked" && list.Arguments.Count == 3 && list.Arguments[2].Expression.IsKind(SyntaxKind.NullLiteralExpression)
                : type.Name == "LazyInitializer";
        }

        // `var ctx = new Context(); …; ctx._previous = previous;`: a field of an object this method just
        // created is set up before the object is handed out, like a constructor would (found dogfooding
        // FASTER's session contexts). Through a local declared or assigned `new …` earlier in the same block.
        // An object initializer sets up the object being created the same way: `new WinBleDevice() { _path =
        // path, _syncObject = new object() }` in the type's factory (found dogfooding HidSharp).
        private static bool IsSetupOfANewObject(IdentifierNameSyntax name)
        {
            if (name.Parent is AssignmentExpressionSyntax { Parent: InitializerExpressionSyntax { Parent: BaseObjectCreationExpressionSyntax } initializer } assignment
                && assignment.Left == name
                && initializer.IsKind(SyntaxKind.ObjectInitializerExpression))
            {
                return true;
            }

            if (name.Parent is not MemberAccessExpressionSyntax { Expression: IdentifierNameSyntax { Identifier.ValueText: var owner } } access
                || access.Name != name
                || access.FirstAncestorOrSelf<StatementSyntax>() is not { Parent: BlockSyntax block } statement)
            {
                return false;
            }

            foreach (var earlier in block.Statements)
            {
                if (earlier == statement)
                {
                    return false;
                }

                if (IsCreation(earlier, owner))
                {
                    return true;
                }
            }

            return false;
        }

        // Rx's join observers: `private object? _gate;` bound by `public void Subscribe(object gate) { _gate =
        // gate; … }` to the one gate every observer of the join locks. The field only names which shared
        // lock object this instance uses, like a lock object taken as a parameter; it is no lock that
        // swaps what it guards. Only a private field of type `object` (a collection or state object
        // stored from a parameter is data, and may be swapped while locked), written with a parameter of
        // the enclosing method, in a plain assignment statement outside any lock.
        private static bool IsGateHandedIn(IdentifierNameSyntax name, IFieldSymbol field)
        {
            if (field.DeclaredAccessibility != Accessibility.Private
                || field.Type.SpecialType != SpecialType.System_Object)
            {
                return false;
            }

            var target = Accessed(name, onThisOnly: true);
            if (target.Parent is not AssignmentExpressionSyntax { RawKind: (int)SyntaxKind.SimpleAssignmentExpression, Right: IdentifierNameSyntax { Identifier.ValueText: var parameter }, Parent: ExpressionStatementSyntax statement } assignment
                || assignment.Left != target)
            {
                return false;
            }

            foreach (var ancestor in statement.Ancestors())
            {
                switch (ancestor)
                {
                    case LockStatementSyntax:
                    case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax:
                        return false;
                    case BaseMethodDeclarationSyntax { ParameterList.Parameters: var parameters }:
                        return parameters.Any(p => p.Identifier.ValueText == parameter);
                    case MemberDeclarationSyntax:
                        return false;
                }
            }

            return false;
        }

        // MiniProfiler's `lock (_dbLocker) { _inProgress ??= new Dictionary<…>(); } lock (_inProgress) { … }`:
        // created once, from null, while a lock is held, so no two threads both assign; every lock then
        // takes the object that was created. Also `if (_gate == null) _gate = new …;` (or `is null`) in a
        // lock. The same forms outside a lock may run twice at once and are reassignments.
        private static bool IsLazyInitializationUnderALock(IdentifierNameSyntax name)
        {
            var target = Accessed(name, onThisOnly: true);
            if (target.Parent is not AssignmentExpressionSyntax { Parent: ExpressionStatementSyntax statement } assignment
                || assignment.Left != target
                || !(assignment.IsKind(SyntaxKind.CoalesceAssignmentExpression)
                     || (assignment.IsKind(SyntaxKind.SimpleAssignmentExpression) && IsCreationOfANewObject(assignment.Right) && IsGuardedByANullCheck(statement, name.Identifier.ValueText))))
            {
                return false;
            }

            foreach (var ancestor in statement.Ancestors())
            {
                switch (ancestor)
                {
                    case LockStatementSyntax:
                        return true;
                    case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax or MemberDeclarationSyntax:
                        return false;
                }
            }

            return false;
        }

        // `new object()`, `new()`, or an empty array as the lock object (`_sync = new Byte[0];`, CoAP.NET's
        // lazily created request lock).
        private static bool IsCreationOfANewObject(ExpressionSyntax value)
            => value is BaseObjectCreationExpressionSyntax or ArrayCreationExpressionSyntax or ImplicitArrayCreationExpressionSyntax;

        // The statement is the body (or in the block body) of `if (_f == null)` / `if (_f is null)`.
        private static bool IsGuardedByANullCheck(StatementSyntax statement, string field)
        {
            var owner = statement.Parent is BlockSyntax block ? block.Parent : statement.Parent;
            return owner is IfStatementSyntax { Condition: var condition }
                   && condition switch
                   {
                       BinaryExpressionSyntax { RawKind: (int)SyntaxKind.EqualsExpression, Left: var left, Right: LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NullLiteralExpression } } => NamesField(left, field),
                       IsPatternExpressionSyntax { Expression: var tested, Pattern: ConstantPatternSyntax { Expression: LiteralExpressionSyntax { RawKind: (int)SyntaxKind.NullLiteralExpression } } } => NamesField(tested, field),
                       _ => false,
                   };
        }

        private static bool NamesField(ExpressionSyntax expression, string field) => expression switch
        {
            IdentifierNameSyntax identifier => identifier.Identifier.ValueText == field,
            MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name: var member } => member.Identifier.ValueText == field,
            _ => false,
        };

        // UniTask's `lock (listPool) { var count = tracking.ToList(ref listPool, clear: false); … }`: a `ref`
        // handed to a method of this compilation (not overridable) that never writes its parameter — it
        // fills the list it is given — leaves the field holding the same object.
        private static bool IsRefLeftAloneByCallee(IdentifierNameSyntax name, Compilation compilation)
        {
            var target = Accessed(name, onThisOnly: false);
            if (target.Parent is not ArgumentSyntax { RefKindKeyword.RawKind: (int)SyntaxKind.RefKeyword, Parent.Parent: InvocationExpressionSyntax invocation } argument
                || compilation.GetSemanticModel(invocation.SyntaxTree).GetOperation(invocation) is not IInvocationOperation call)
            {
                return false;
            }

            IParameterSymbol? parameter = null;
            foreach (var passed in call.Arguments)
            {
                if (passed.Syntax == argument)
                {
                    parameter = passed.Parameter;
                }
            }

            if (parameter?.ContainingSymbol is not IMethodSymbol method
                || method.IsAbstract
                || ((method.IsVirtual || method.IsOverride) && !method.IsSealed && !method.ContainingType.IsSealed)
                || MethodBodies.Syntax(method.OriginalDefinition, System.Threading.CancellationToken.None) is not { } body)
            {
                return false;
            }

            foreach (var token in body.DescendantTokens())
            {
                if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == parameter.Name && token.Parent is IdentifierNameSyntax use && IsWrite(use))
                {
                    return false;
                }
            }

            return true;
        }

        // The expression a field name stands for: `_f`, or `x._f` (`this._f` only, when asked).
        private static ExpressionSyntax Accessed(IdentifierNameSyntax name, bool onThisOnly)
            => name.Parent is MemberAccessExpressionSyntax access && access.Name == name && (!onThisOnly || access.Expression is ThisExpressionSyntax)
                ? access
                : name;

        private static bool IsCreation(StatementSyntax statement, string local) => statement switch
        {
            LocalDeclarationStatementSyntax declaration => declaration.Declaration.Variables.Any(v => v.Identifier.ValueText == local && v.Initializer?.Value is BaseObjectCreationExpressionSyntax),
            ExpressionStatementSyntax { Expression: AssignmentExpressionSyntax { Left: IdentifierNameSyntax { Identifier.ValueText: var assigned }, Right: BaseObjectCreationExpressionSyntax } } => assigned == local,
            _ => false,
        };

        private static bool ClearsTheField(AssignmentExpressionSyntax assignment)
        {
            var value = assignment.Right;
            while (value is PostfixUnaryExpressionSyntax { RawKind: (int)SyntaxKind.SuppressNullableWarningExpression } suppressed)
            {
                value = suppressed.Operand;
            }

            return assignment.IsKind(SyntaxKind.SimpleAssignmentExpression)
                   && value.Kind() is SyntaxKind.NullLiteralExpression or SyntaxKind.DefaultLiteralExpression;
        }

        private static bool IsInOwnConstructor(SyntaxNode node, IFieldSymbol field)
        {
            foreach (var ancestor in node.Ancestors())
            {
                switch (ancestor)
                {
                    case AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax:
                        return false;
                    case ConstructorDeclarationSyntax constructor:
                        return constructor.Modifiers.Any(SyntaxKind.StaticKeyword) == field.IsStatic
                            && constructor.Parent is TypeDeclarationSyntax type
                            && DeclaresType(type, field.ContainingType);
                    case MemberDeclarationSyntax:
                        return false;
                }
            }

            return false;
        }

        // `[OnDeserialized] void OnDeserializedCallback(StreamingContext c) { _gate = new object(); }` (Azure
        // Storage Data Movement's journaled transfers): a data-contract or binary serializer calls no
        // constructor, so the type sets its lock objects in the callback the serializer calls once, on the
        // object it is still building, before anyone else holds it — construction by another name.
        private static bool IsInOwnDeserializationCallback(SyntaxNode node, IFieldSymbol field, Compilation compilation)
        {
            if (field.IsStatic
                || node is IdentifierNameSyntax { Parent: MemberAccessExpressionSyntax { Expression: not ThisExpressionSyntax } access } && access.Name == node
                || node.FirstAncestorOrSelf<MemberDeclarationSyntax>() is not MethodDeclarationSyntax { AttributeLists.Count: > 0 } declaration
                || declaration.Modifiers.Any(SyntaxKind.StaticKeyword)
                || node.Ancestors().TakeWhile(a => a != declaration).Any(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
                || declaration.Parent is not TypeDeclarationSyntax type
                || !DeclaresType(type, field.ContainingType)
                || compilation.GetSemanticModel(declaration.SyntaxTree).GetDeclaredSymbol(declaration) is not { } method)
            {
                return false;
            }

            var onDeserialized = compilation.GetTypeByMetadataName("System.Runtime.Serialization.OnDeserializedAttribute");
            var onDeserializing = compilation.GetTypeByMetadataName("System.Runtime.Serialization.OnDeserializingAttribute");
            foreach (var attribute in method.GetAttributes())
            {
                if (attribute.AttributeClass is { } attributeClass
                    && (SymbolEqualityComparer.Default.Equals(attributeClass, onDeserialized) || SymbolEqualityComparer.Default.Equals(attributeClass, onDeserializing)))
                {
                    return true;
                }
            }

            return false;
        }

        // `internal object CancellationLockerObject { get { … } set { this.cancellationLockerObject = value; } }`
        // that nothing in the compilation assigns (Azure Storage's cancellable operations): the setter never runs,
        // so the lock object stays the one the initializer made. Only a setter other assemblies cannot call (the
        // setter internal or private), of a property that is not virtual, implements no interface, and has no
        // attributes (a serializer sets such properties by reflection); one assignment anywhere keeps the finding.
        private static bool IsInAnUnassignedInternalSetter(SyntaxNode node, Compilation compilation)
        {
            if (node.FirstAncestorOrSelf<AccessorDeclarationSyntax>() is not { } accessor
                || !accessor.IsKind(SyntaxKind.SetAccessorDeclaration)
                || node.Ancestors().TakeWhile(a => a != accessor).Any(a => a is AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)
                || accessor.Parent?.Parent is not PropertyDeclarationSyntax declaration
                || compilation.GetSemanticModel(declaration.SyntaxTree).GetDeclaredSymbol(declaration) is not { SetMethod: { } setter } property
                || property.IsVirtual || property.IsAbstract || property.IsOverride || property.IsStatic
                || property.ExplicitInterfaceImplementations.Length > 0
                || setter.DeclaredAccessibility is not (Accessibility.Internal or Accessibility.Private or Accessibility.ProtectedAndInternal)
                || !property.GetAttributes().IsEmpty || !setter.GetAttributes().IsEmpty
                || ImplementsAnInterfaceMember(property))
            {
                return false;
            }

            foreach (var tree in compilation.SyntaxTrees)
            {
                if (tree.GetText().ToString().IndexOf(property.Name, System.StringComparison.Ordinal) < 0)
                {
                    continue; // most files never name the property: no syntax walked there
                }

                foreach (var token in tree.GetRoot().DescendantTokens())
                {
                    if (token.IsKind(SyntaxKind.IdentifierToken) && token.ValueText == property.Name
                        && token.Parent is IdentifierNameSyntax use
                        && IsWrite(use)) // `x.P = …`, `P = …` in an object initializer, `ref`/`out` cannot take a property
                    {
                        return false;
                    }
                }
            }

            return true;
        }

        private static bool ImplementsAnInterfaceMember(IPropertySymbol property)
        {
            foreach (var @interface in property.ContainingType.AllInterfaces)
            {
                foreach (var member in @interface.GetMembers(property.Name))
                {
                    if (SymbolEqualityComparer.Default.Equals(property.ContainingType.FindImplementationForInterfaceMember(member), property))
                    {
                        return true;
                    }
                }
            }

            return false;
        }

        private static bool DeclaresType(TypeDeclarationSyntax declaration, INamedTypeSymbol type)
        {
            foreach (var reference in type.DeclaringSyntaxReferences)
            {
                if (reference.SyntaxTree == declaration.SyntaxTree && reference.Span == declaration.Span)
                {
                    return true;
                }
            }

            return false;
        }
    }
}
