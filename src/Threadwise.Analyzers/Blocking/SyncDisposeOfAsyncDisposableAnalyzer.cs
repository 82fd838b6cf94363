using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.Blocking;

/// <summary>
/// TW1008: in async code, <c>using</c> / <c>using var</c> / <c>x.Dispose()</c> on a type that also
/// implements <c>IAsyncDisposable</c>. Exempt: types whose async dispose does nothing more
/// (<c>MemoryStream</c>, <c>UnmanagedMemoryStream</c>, <c>StringWriter</c>, Json.NET's <c>JsonReader</c>, ADO.NET's <c>DbCommand</c>
/// and <c>DbBatch</c>, the in-box rate limiters), types whose async dispose
/// means something else (<c>System.Threading.Timer</c> waits for running callbacks;
/// <c>CancellationTokenRegistration</c> is disposed everywhere without it), files opened only for
/// reading (<c>File.OpenRead</c>, <c>new FileStream(…, FileAccess.Read)</c>: nothing to flush), code inside a
/// <c>lock</c> (no await there) and projects below C# 8 (no <c>await using</c>). In a multi-targeted project whose
/// other frameworks lack the type's <c>DisposeAsync</c>, only a writer is reported, asked to flush first.
/// </summary>
public sealed class SyncDisposeOfAsyncDisposableAnalyzer : ThreadwiseAnalyzer
{
    /// <summary>The diagnostic property that names the remedy when it is not <c>await using</c>.</summary>
    public const string RemedyKey = "Remedy";

    /// <summary><see cref="RemedyKey"/>'s value for a writer flushed with <c>await FlushAsync()</c> first.</summary>
    public const string FlushRemedy = "FlushFirst";

    private const string AwaitUsingRemedy = "use 'await using' or 'await DisposeAsync()'";

    public SyncDisposeOfAsyncDisposableAnalyzer()
        : base(Descriptors.TW1008SyncDisposeOfAsyncDisposable)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var symbols = KnownSymbols.For(context.Compilation);
        if (symbols.IAsyncDisposable is null)
        {
            return;
        }

        var analyzer = new Context(symbols, symbols.IAsyncDisposable, context.Compilation, TargetFrameworks.For(context.Compilation, context.Options));
        context.RegisterOperationAction(analyzer.AnalyzeUsing, OperationKind.Using, OperationKind.UsingDeclaration);
        context.RegisterOperationAction(analyzer.AnalyzeDisposeCall, OperationKind.Invocation);
    }

    private sealed class Context
    {
        private readonly KnownSymbols _symbols;
        private readonly INamedTypeSymbol _asyncDisposable;
        private readonly TargetFrameworks _targets;
        private readonly IMethodSymbol? _flushAsync;
        private readonly INamedTypeSymbol? _binaryWriter;
        private readonly INamedTypeSymbol? _utf8JsonWriter;
        private readonly ISymbol? _disposeAsync;
        private readonly System.Lazy<System.Collections.Generic.HashSet<INamedTypeSymbol>> _overriddenBelow;
        private readonly System.Collections.Concurrent.ConcurrentDictionary<ISymbol, bool> _readOnlyMembers = new(SymbolEqualityComparer.Default);

        public Context(KnownSymbols symbols, INamedTypeSymbol asyncDisposable, Compilation compilation, TargetFrameworks targets)
        {
            _symbols = symbols;
            _asyncDisposable = asyncDisposable;
            _targets = targets;
            _disposeAsync = asyncDisposable.GetMembers("DisposeAsync") is { Length: > 0 } members ? members[0] : null;
            _flushAsync = ParameterlessFlushAsync(symbols.TextWriter);
            _binaryWriter = compilation.GetTypeByMetadataName("System.IO.BinaryWriter");
            _utf8JsonWriter = compilation.GetTypeByMetadataName("System.Text.Json.Utf8JsonWriter");
            _overriddenBelow = new(() => TypesWithAnAsyncDisposeBelow(compilation), System.Threading.LazyThreadSafetyMode.ExecutionAndPublication);
        }

        public void AnalyzeUsing(OperationAnalysisContext context)
        {
            var (isAsync, resources) = context.Operation switch
            {
                IUsingOperation @using => (@using.IsAsynchronous, @using.Resources),
                IUsingDeclarationOperation declaration => (declaration.IsAsynchronous, (IOperation)declaration.DeclarationGroup),
                _ => (true, null!),
            };

            if (isAsync || resources is null || !CanUseAwaitUsing(context.Operation)
                || SyncAsyncBranches.IsInSynchronousBranch(context.Operation))
            {
                return;
            }

            foreach (var (resource, local) in Resources(resources))
            {
                if (resource.Type is { } type && ShouldDisposeAsync(type)
                    && !OpensFileForReading(resource)
                    && !AsyncDisposeOnlyCallsDispose(resource)
                    && !InMemoryStreams.IsInMemory(resource, _symbols)
                    && !InMemoryStreams.IsBuiltOverInMemoryStream(resource, _symbols)
                    && AsyncContext.GetAsyncFunction(context.Operation, context.ContainingSymbol) is { } function
                    && !SyncAsyncBranches.TakesAPathParameter(function)
                    && !(local is not null && IsAwaitUsedInItsScope(local, context.Operation))
                    && !(local is not null && IsFlushedAtTheEndOfItsScope(type, local, context.Operation))
                    && !IsReadOrClosedElsewhere(resource, local, context.Operation))
                {
                    var properties = ImmutableDictionary<string, string?>.Empty;
                    var remedy = AwaitUsingRemedy;
                    if (LacksAsyncDisposeOnAnotherTarget(type, context.Operation.Syntax))
                    {
                        // A writer can still be flushed asynchronously first, on every framework; anything
                        // else has no way out there but an `#if`.
                        if (local is null || !CanFlushFirst(type, local, context.Operation))
                        {
                            continue;
                        }

                        properties = properties.Add(RemedyKey, FlushRemedy);
                        remedy = $"'await using' does not compile on every target framework of the project, so flush it first with 'await {local.Name}.FlushAsync()'";
                    }

                    context.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.TW1008SyncDisposeOfAsyncDisposable,
                        UsingKeywordLocation(context.Operation),
                        properties,
                        type.Name,
                        "'using'",
                        AsyncContext.Describe(function),
                        remedy));
                    return;
                }
            }
        }

        public void AnalyzeDisposeCall(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            if (invocation.TargetMethod is not { Name: "Dispose", Parameters.Length: 0, ReturnsVoid: true }
                || invocation.Instance?.Type is not { } type
                || !ShouldDisposeAsync(type)
                || InMemoryStreams.IsInMemory(invocation.Instance, _symbols)
                || InMemoryStreams.IsBuiltOverInMemoryStream(invocation.Instance, _symbols)
                || AsyncDisposeOnlyCallsDispose(invocation.Instance)
                || invocation.EnclosingCatchClause() is not null // `catch { ssl.Dispose(); throw; }`: error-path clean-up
                || invocation.IsCleanupBeforeThrow()
                || SyncAsyncBranches.IsInSynchronousBranch(invocation) // `if (async) await r.DisposeAsync(); else r.Dispose();`
                || invocation.Parent is not IExpressionStatementOperation
                || invocation.Syntax.ContainsDiagnostics
                || DisposesItselfInItsAsyncDispose(invocation, context.ContainingSymbol)
                || SplitsItsOwnAsyncDispose(invocation, context.ContainingSymbol)
                || IsKnownClosed(invocation.Instance, invocation)
                || !CanUseAwaitUsing(invocation)
                || AsyncContext.GetAsyncFunction(invocation, context.ContainingSymbol) is not { } function
                || SyncAsyncBranches.TakesAPathParameter(function)
                || invocation.Instance.WithoutConversions() is ILocalReferenceOperation { Local: var disposed } held
                   && IsReadOrClosedElsewhere(held, disposed, invocation)
                || HoldsOnlyStreamsOpenedForReading(invocation.Instance, context.Compilation)
                || LacksAsyncDisposeOnAnotherTarget(type, invocation.Syntax))
            {
                return;
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.TW1008SyncDisposeOfAsyncDisposable,
                invocation.Syntax.GetLocation(),
                type.Name,
                "'Dispose()'",
                AsyncContext.Describe(function),
                AwaitUsingRemedy));
        }

        // `using var writer = new StreamWriter(stream); await writer.WriteAsync(css);` in a library built for
        // netstandard2.0 and net8.0 (AngleSharp's ToCssAsync): TextWriter is not IAsyncDisposable on
        // netstandard2.0, but what its synchronous dispose would block on is the flush, and
        // `await writer.FlushAsync()` at the end of the scope compiles everywhere and leaves it nothing to
        // write. Not when the scope already ends with that flush, or ends by leaving (a `return`, `throw`).
        private bool CanFlushFirst(ITypeSymbol type, ILocalSymbol local, IOperation @using)
        {
            if (!KnownSymbols.IsOrDerivesFrom(type, _symbols.TextWriter)
                || _flushAsync is null
                || @using.Syntax.ContainsDiagnostics // still being typed: no place to put the flush yet
                || _targets.LacksOnAnotherTarget(_flushAsync, @using.Syntax))
            {
                return false;
            }

            var last = LastStatementOfScope(@using.Syntax);
            return last is not null
                   && !IsFlushAsyncOf(last, local.Name)
                   && last is not (ReturnStatementSyntax or ThrowStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax or YieldStatementSyntax)
                   && !IsClosedInItsScope(local, @using);
        }

        // `using var file = new FileStream(path, FileMode.Create); await action(file, token); await file.FlushAsync(token);`
        // and `using (var writer = new BinaryWriter(stdin, Encoding.UTF8, leaveOpen: true)) { …; writer.Flush(); }`
        // (dotnet-monitor's egress): the scope ends by flushing the very object, so its dispose has nothing left to
        // write — it closes a handle, or, left open, does nothing — and `await using` would wait on nothing more. A
        // synchronous `Flush()` is TW1004's to report where it has an async twin. Only the framework's streams and
        // writers (`Stream`, `TextWriter`, `BinaryWriter`, `Utf8JsonWriter` and their subclasses outside your
        // project), whose async dispose is that flush and close; a class of your own may do more.
        private bool IsFlushedAtTheEndOfItsScope(ITypeSymbol type, ILocalSymbol local, IOperation @using)
        {
            if (type is not INamedTypeSymbol named
                || IsInSource(named)
                || !(KnownSymbols.IsOrDerivesFrom(type, _symbols.Stream)
                     || KnownSymbols.IsOrDerivesFrom(type, _symbols.TextWriter)
                     || KnownSymbols.IsOrDerivesFrom(type, _binaryWriter)
                     || KnownSymbols.IsOrDerivesFrom(type, _utf8JsonWriter)))
            {
                return false;
            }

            return LastStatementOfScope(@using.Syntax) is { } last
                   && (IsFlushAsyncOf(last, local.Name) || IsFlushOf(last, local.Name))
                   && last.Parent is { } scope
                   && !LeavesEarly(scope);
        }

        // `if (done) return;` before the closing flush: on that path the dispose flushes what was written so far.
        private static bool LeavesEarly(SyntaxNode scope)
        {
            foreach (var node in scope.DescendantNodes(n => n is not (AnonymousFunctionExpressionSyntax or LocalFunctionStatementSyntax)))
            {
                if (node is ReturnStatementSyntax or BreakStatementSyntax or ContinueStatementSyntax or GotoStatementSyntax or YieldStatementSyntax)
                {
                    return true;
                }
            }

            return false;
        }

        private static bool IsFlushOf(StatementSyntax statement, string name)
            => statement is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "Flush", Expression: IdentifierNameSyntax target }, ArgumentList.Arguments.Count: 0 } }
               && target.Identifier.ValueText == name;

        // `write.Close();` at the end of each branch (NetSparkle's installer script): the writer is flushed and
        // closed there, synchronously, and a flush after it would throw ObjectDisposedException.
        private static bool IsClosedInItsScope(ILocalSymbol local, IOperation @using)
        {
            foreach (var reference in LocalReferences.Collect(AsyncContext.GetFunctionBody(@using), local))
            {
                if (reference.Use == LocalUse.MethodCall && reference.Member?.Name is "Close" or "Dispose" or "DisposeAsync")
                {
                    return true;
                }
            }

            return false;
        }

        private static IMethodSymbol? ParameterlessFlushAsync(INamedTypeSymbol? textWriter)
        {
            foreach (var member in textWriter?.GetMembers("FlushAsync") ?? ImmutableArray<ISymbol>.Empty)
            {
                if (member is IMethodSymbol { Parameters.Length: 0 } flush)
                {
                    return flush;
                }
            }

            return null;
        }

        // The statement the flush would follow: the last of a `using` statement's body, or of the block a
        // `using` declaration ends with.
        private static StatementSyntax? LastStatementOfScope(SyntaxNode @using)
            => @using switch
            {
                UsingStatementSyntax { Statement: BlockSyntax { Statements: { Count: > 0 } body } } => body[body.Count - 1],
                UsingStatementSyntax { Statement: not BlockSyntax and not UsingStatementSyntax and { } single } => single,
                LocalDeclarationStatementSyntax { Parent: BlockSyntax { Statements: var statements } } => statements[statements.Count - 1],
                _ => null,
            };

        private static bool IsFlushAsyncOf(StatementSyntax statement, string name)
            => statement is ExpressionStatementSyntax { Expression: AwaitExpressionSyntax { Expression: var awaited } }
               && AsyncContext.WithoutConfigureAwait(awaited) is InvocationExpressionSyntax { Expression: MemberAccessExpressionSyntax { Name.Identifier.ValueText: "FlushAsync", Expression: IdentifierNameSyntax target } }
               && target.Identifier.ValueText == name;

        // `using var runner = await OpenAsync(); await using (runner.ConfigureAwait(false)) { … }` (Dotmim.Sync's
        // orchestrators, 105 times): a statement of the scope, run on every normal path, disposes the object
        // asynchronously first; the synchronous dispose at the end of the scope finds it disposed. Only an
        // `await using` that is itself a statement of that scope counts (one under an `if` may not run).
        private static bool IsAwaitUsedInItsScope(ILocalSymbol local, IOperation @using)
        {
            var statements = @using switch
            {
                IUsingDeclarationOperation { Parent: IBlockOperation block } => block.Operations,
                IUsingOperation { Body: IBlockOperation body } => body.Operations,
                IUsingOperation { Body: { } single } => System.Collections.Immutable.ImmutableArray.Create(single),
                _ => System.Collections.Immutable.ImmutableArray<IOperation>.Empty,
            };

            foreach (var statement in statements)
            {
                if (statement is IUsingOperation { IsAsynchronous: true, Resources: { } resource }
                    && statement.Syntax.SpanStart > @using.Syntax.SpanStart
                    && IsTheLocal(resource, local))
                {
                    return true;
                }
            }

            return false;
        }

        // `runner` or `runner.ConfigureAwait(false)`.
        private static bool IsTheLocal(IOperation resource, ILocalSymbol local)
        {
            var value = resource.WithoutConversions();
            if (value is IInvocationOperation { TargetMethod.Name: "ConfigureAwait", Instance: { } configured })
            {
                value = configured.WithoutConversions();
            }
            else if (value is IInvocationOperation { TargetMethod: { Name: "ConfigureAwait", IsExtensionMethod: true }, Arguments: { Length: > 0 } arguments })
            {
                value = arguments[0].Value.WithoutConversions();
            }

            return value is ILocalReferenceOperation { Local: var named } && SymbolEqualityComparer.Default.Equals(named, local);
        }

        // `DataStream.Dispose()` where the private member only ever holds a stream opened for reading
        // (MonoTorrent's web-seed connection: `DataStream = await response.Content.ReadAsStreamAsync()`, or a
        // project stream whose async dispose only calls Dispose) and is never written through: nothing to
        // flush, as for such a local. Answered once per member, for would-be findings only.
        private bool HoldsOnlyStreamsOpenedForReading(IOperation disposed, Compilation compilation)
        {
            var member = disposed.WithoutConversions() switch
            {
                IFieldReferenceOperation { Instance: null or IInstanceReferenceOperation } field => (ISymbol)field.Field,
                IPropertyReferenceOperation { Instance: null or IInstanceReferenceOperation, Property: { IsIndexer: false } property } => property,
                _ => null,
            };

            if (member is null || !KnownSymbols.IsOrDerivesFrom(disposed.Type, _symbols.Stream))
            {
                return false;
            }

            member = member.OriginalDefinition;
            return _readOnlyMembers.TryGetValue(member, out var known)
                ? known
                : _readOnlyMembers.GetOrAdd(member, StreamRoles.IsMemberOnlyOpenedForReading(member, compilation, _symbols, AsyncDisposeOnlyCallsDispose));
        }

        // `if (connection.State == ConnectionState.Closed) connection.Dispose();` (Dotmim.Sync's
        // CloseConnectionAsync, after `await connection.CloseAsync()`): a connection known closed has
        // nothing left to close; its dispose talks to no server. The test must guard the call: an `if`
        // around it whose condition is, or `&&`-joins, `x.State == ….Closed` on the same variable.
        private static bool IsKnownClosed(IOperation disposed, IOperation call)
        {
            if (disposed.WithoutConversions().ReferencedVariable() is not { } variable)
            {
                return false;
            }

            for (var current = call.Parent; current is not null and not IAnonymousFunctionOperation and not ILocalFunctionOperation; current = current.Parent)
            {
                if (current.Parent is IConditionalOperation conditional && conditional.WhenTrue == current && TestsClosed(conditional.Condition, variable))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool TestsClosed(IOperation condition, ISymbol variable)
        {
            switch (condition.WithoutConversions())
            {
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.ConditionalAnd } and:
                    return TestsClosed(and.LeftOperand, variable) || TestsClosed(and.RightOperand, variable);
                case IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals } equals:
                    return IsStateOf(equals.LeftOperand, variable) && IsClosedMember(equals.RightOperand)
                           || IsStateOf(equals.RightOperand, variable) && IsClosedMember(equals.LeftOperand);
                default:
                    return false;
            }
        }

        private static bool IsStateOf(IOperation operand, ISymbol variable)
            => operand.WithoutConversions() is IPropertyReferenceOperation { Property.Name: "State", Instance: { } instance }
               && SymbolEqualityComparer.Default.Equals(instance.WithoutConversions().ReferencedVariable(), variable);

        private static bool IsClosedMember(IOperation operand)
            => operand.WithoutConversions() is IFieldReferenceOperation { Field: { Name: "Closed", ContainingType.TypeKind: TypeKind.Enum } };

        // `this.Dispose();` (or `base.Dispose()`) at the end of the type's own DisposeAsync/DisposeAsyncCore
        // (Nerdbank.Streams' Substream): the object finishes its synchronous clean-up; `await
        // DisposeAsync()` there would call the method it is in.
        // An explicit `async ValueTask IAsyncDisposable.DisposeAsync()` counts too (WampSharp's connection).
        private static bool DisposesItselfInItsAsyncDispose(IInvocationOperation invocation, ISymbol containing)
            => invocation.Instance is IInstanceReferenceOperation
               && containing is IMethodSymbol method
               && (method.Name is "DisposeAsync" or "DisposeAsyncCore"
                   || System.Linq.Enumerable.Any(method.ExplicitInterfaceImplementations, implemented => implemented.Name == "DisposeAsync"));

        // `StopAsync(ct) { Dispose(); if (_runTask is { } task) await task.WaitAsync(ct); }` beside `DisposeAsync() {
        // Dispose(); if (_runTask is { } task) await task; }` (Orleans' silo health monitor): the type's own
        // DisposeAsync starts with this very Dispose() and only adds waiting; a method of the type that disposes
        // itself so and then awaits does that waiting its own way (here with the token). Without an await after
        // it, or when DisposeAsync does not call Dispose(), the call is reported.
        private static bool SplitsItsOwnAsyncDispose(IInvocationOperation invocation, ISymbol containing)
        {
            if (invocation.Instance is not IInstanceReferenceOperation
                || containing is not IMethodSymbol { IsAsync: true, ContainingType: { } type }
                || !AwaitsAfter(invocation))
            {
                return false;
            }

            foreach (var member in type.GetMembers("DisposeAsync"))
            {
                if (member is IMethodSymbol { Parameters.Length: 0 } disposeAsync && CallsOwnDispose(disposeAsync))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool AwaitsAfter(IOperation invocation)
        {
            var body = AsyncContext.GetFunctionBody(invocation);
            foreach (var operation in body.Descendants())
            {
                if (operation is IAwaitOperation && operation.Syntax.SpanStart > invocation.Syntax.Span.End && !AsyncContext.IsInNestedFunction(operation, body))
                {
                    return true;
                }
            }

            return false;
        }

        // `Dispose();` or `this.Dispose();` as the first statement of the method's body (syntax only): nothing
        // asynchronous comes before it, so what DisposeAsync adds is waiting afterwards. A DisposeAsync that
        // flushes first and disposes last does more than Dispose() and the wait.
        private static bool CallsOwnDispose(IMethodSymbol method)
        {
            foreach (var reference in method.DeclaringSyntaxReferences)
            {
                if (reference.GetSyntax() is MethodDeclarationSyntax { Body.Statements: { Count: > 0 } statements }
                    && statements[0] is ExpressionStatementSyntax { Expression: InvocationExpressionSyntax { ArgumentList.Arguments.Count: 0, Expression: var callee } }
                    && callee is IdentifierNameSyntax { Identifier.ValueText: "Dispose" } or MemberAccessExpressionSyntax { Expression: ThisExpressionSyntax, Name.Identifier.ValueText: "Dispose" })
                {
                    return true;
                }
            }

            return false;
        }

        // Each disposed value, with the variable that holds it (null for `using (Make())`).
        private static System.Collections.Generic.IEnumerable<(IOperation Value, ILocalSymbol? Local)> Resources(IOperation resources)
        {
            switch (resources)
            {
                case IVariableDeclarationGroupOperation group:
                    foreach (var declaration in group.Declarations)
                    {
                        foreach (var declarator in declaration.Declarators)
                        {
                            if (declarator.Initializer?.Value is { } value)
                            {
                                yield return (value.WithoutConversions(), declarator.Symbol);
                            }
                        }
                    }

                    break;
                default:
                    var resource = resources.WithoutConversions();
                    yield return (resource, (resource as ILocalReferenceOperation)?.Local);
                    break;
            }
        }

        // Asked only of a would-be finding (a `using`, or `x.Dispose()` of a local). A stream opened for reading and never written has nothing
        // to flush (Foundatio's `GetFileStreamAsync(path, StreamMode.Read)`, Rebus's data bus
        // `OpenRead`); a stream a disposed writer was built over is closed by that writer, whose
        // `using` is the one reported (`using (var file = File.OpenWrite(p)) using (var writer = new
        // StreamWriter(file))`: after `await using` on the writer, the file's dispose does nothing).
        private bool IsReadOrClosedElsewhere(IOperation resource, ILocalSymbol? local, IOperation @using)
        {
            if (local is null && @using.SemanticModel is { } model && HoldsOnlyStreamsOpenedForReading(resource, model.Compilation))
            {
                return true;
            }

            var body = AsyncContext.GetFunctionBody(@using);
            if (local is { } reference
                && resource.Type is { } type
                && KnownSymbols.IsOrDerivesFrom(type, _symbols.Stream)
                && StreamRoles.IsClosedByAWrapper(reference, body, _asyncDisposable))
            {
                return true;
            }

            // A stream class of the project is judged by what its classes declare (above): one that
            // overrides DisposeAsync may close a server cursor there, read-only or not (GridFS).
            if (resource.Type is INamedTypeSymbol own && IsInSource(own))
            {
                return false;
            }

            // `FileStream? fs = null;` then assigned later: the stream is judged by its uses alone.
            var value = resource is ILocalReferenceOperation { Local: var held } && LocalDeclarations.GetInitializer(held, resource) is { Value: { } initial }
                        && initial.ConstantValue is not { HasValue: true, Value: null }
                ? initial
                : resource;
            return StreamRoles.IsOpenedForReading(value, local, body, _symbols);
        }

        // `using var reader = await command.ExecuteReaderAsync()` in a library built for netstandard2.0
        // and net8.0: DbDataReader's DisposeAsync is missing on netstandard2.0, so `await using` does not
        // compile there without an #if.
        private bool LacksAsyncDisposeOnAnotherTarget(ITypeSymbol type, SyntaxNode site)
            => _targets.IsMultiTargeted
               && (type.TypeKind != TypeKind.Interface
                   && _disposeAsync is { } disposeAsync
                   && type.FindImplementationForInterfaceMember(disposeAsync) is IMethodSymbol implementation
                   && _targets.LacksOnAnotherTarget(implementation, site)
                   || IsAsyncDisposableOnlyUnderAnIf(type, site));

        // `interface IFileStream : IDisposable
        // #if NETCOREAPP
        //     , IAsyncDisposable
        // #endif` (Microsoft.Testing.Platform): a type of the project that is async-disposable only on some of
        // its target frameworks.
        private bool IsAsyncDisposableOnlyUnderAnIf(ITypeSymbol type, SyntaxNode site)
        {
            foreach (var declaring in SelfAndAncestors(type))
            {
                foreach (var reference in declaring.DeclaringSyntaxReferences)
                {
                    if (reference.GetSyntax() is not Microsoft.CodeAnalysis.CSharp.Syntax.TypeDeclarationSyntax { BaseList: { } bases })
                    {
                        continue;
                    }

                    foreach (var entry in bases.Types)
                    {
                        if (NamesAsyncDisposable(entry.Type) && _targets.IsDeclaredOnlyForSomeTargets(entry, site))
                        {
                            return true;
                        }
                    }
                }
            }

            return false;
        }

        private static System.Collections.Generic.IEnumerable<ITypeSymbol> SelfAndAncestors(ITypeSymbol type)
        {
            for (var current = type; current is not null; current = current.BaseType)
            {
                yield return current;
            }

            foreach (var implemented in type.AllInterfaces)
            {
                yield return implemented;
            }
        }

        private static bool NamesAsyncDisposable(Microsoft.CodeAnalysis.CSharp.Syntax.TypeSyntax type)
            => type switch
            {
                Microsoft.CodeAnalysis.CSharp.Syntax.QualifiedNameSyntax qualified => qualified.Right.Identifier.ValueText == "IAsyncDisposable",
                Microsoft.CodeAnalysis.CSharp.Syntax.SimpleNameSyntax simple => simple.Identifier.ValueText == "IAsyncDisposable",
                _ => false,
            };

        private bool ShouldDisposeAsync(ITypeSymbol type)
        {
            if (!SymbolEqualityComparer.Default.Equals(type, _asyncDisposable) && !SymbolFacts.Implements(type, _asyncDisposable))
            {
                return false;
            }

            return !InMemoryStreams.IsInMemoryType(type, _symbols)
                   && !KnownSymbols.IsOrDerivesFrom(type, _symbols.DbCommand)
                   && !KnownSymbols.IsOrDerivesFrom(type, _symbols.DbBatch)
                   && !KnownSymbols.IsOrDerivesFrom(type, _symbols.NewtonsoftJsonReader)
                   && !KnownSymbols.IsOrDerivesFrom(type, _symbols.ThreadingTimer)
                   && !_symbols.IsInBoxRateLimiter(type)
                   && !SymbolEqualityComparer.Default.Equals(type, _symbols.CancellationTokenRegistration);
        }

        // `new ProgressStream(inner, …)` whose class (or any class between it and Stream/TextWriter)
        // does not override DisposeAsync: the inherited one just calls Dispose(), so `await using`
        // would block the same way (found dogfooding MailKit's stream wrappers). Needs the exact
        // type: a creation right here, or a sealed type; a variable typed `Stream` may hold anything.
        // A stream class of this project (GridFS's upload stream, returned by its own factory) counts
        // too when no class of the project derived from it declares DisposeAsync: every
        // implementation the project has disposes synchronously either way.
        private bool AsyncDisposeOnlyCallsDispose(IOperation resource)
        {
            var value = resource.WithoutConversions();
            var exact = value switch
            {
                IObjectCreationOperation creation => creation.Type,
                _ when value.Type is { IsSealed: true } sealedType => sealedType,
                ILocalReferenceOperation { Local: var local } when LocalDeclarations.GetInitializer(local, value) is { Value: IObjectCreationOperation created } => created.Type,
                _ when value.Type is INamedTypeSymbol ownType && IsInSource(ownType) && !_overriddenBelow.Value.Contains(ownType.OriginalDefinition) => ownType,
                _ when value.Type is INamedTypeSymbol provider && IsAdoNetProviderClass(provider) => provider,
                _ => null,
            };

            return InheritsStreamsAsyncDispose(exact as INamedTypeSymbol);
        }

        private bool InheritsStreamsAsyncDispose(INamedTypeSymbol? exact)
        {
            for (var type = exact; type is not null; type = type.BaseType)
            {
                if (SymbolEqualityComparer.Default.Equals(type, _symbols.Stream) || SymbolEqualityComparer.Default.Equals(type, _symbols.TextWriter)
                    || IsAdoNetBase(type))
                {
                    return true;
                }

                if (DeclaresDisposeAsync(type))
                {
                    return false;
                }
            }

            return false;
        }

        // `SqlDataReader`, `SqliteConnection`: a provider's concrete class, from a referenced assembly, below
        // ADO.NET's reader, connection or transaction, whose base DisposeAsync only calls Dispose(). What the
        // provider's methods return is that class (no provider hands out subclasses of its own reader), so
        // the static type is taken as exact: Microsoft.Data.SqlClient and Microsoft.Data.Sqlite declare no
        // DisposeAsync, and `await using` would close them the same synchronous way (found dogfooding
        // Dotmim.Sync). Npgsql's and MySqlConnector's readers override it and are reported. A variable typed
        // DbDataReader may hold either and is reported.
        private bool IsAdoNetProviderClass(INamedTypeSymbol type)
        {
            if (type.TypeKind != TypeKind.Class || type.IsAbstract || IsInSource(type))
            {
                return false;
            }

            for (var below = type.BaseType; below is not null; below = below.BaseType)
            {
                if (IsAdoNetBase(below))
                {
                    return true;
                }
            }

            return false;
        }

        private bool IsAdoNetBase(INamedTypeSymbol type)
            => SymbolEqualityComparer.Default.Equals(type, _symbols.DbDataReader)
               || SymbolEqualityComparer.Default.Equals(type, _symbols.DbConnection)
               || SymbolEqualityComparer.Default.Equals(type, _symbols.DbTransaction);

        // Every class of the compilation that some class derived from it (in the compilation) declares
        // DisposeAsync below. Built once, and only when a finding is about to be reported.
        private static System.Collections.Generic.HashSet<INamedTypeSymbol> TypesWithAnAsyncDisposeBelow(Compilation compilation)
        {
            var result = new System.Collections.Generic.HashSet<INamedTypeSymbol>(SymbolEqualityComparer.Default);
            foreach (var type in SourceImplementations.For(compilation).Types(System.Threading.CancellationToken.None))
            {
                if (type.TypeKind == TypeKind.Class && DeclaresDisposeAsync(type))
                {
                    for (var below = type.BaseType; below is not null && IsInSource(below); below = below.BaseType)
                    {
                        result.Add(below.OriginalDefinition);
                    }
                }
            }

            return result;
        }

        private static bool IsInSource(INamedTypeSymbol type) => type.Locations.Length > 0 && type.Locations[0].IsInSource;

        private static bool DeclaresDisposeAsync(INamedTypeSymbol type)
        {
            foreach (var member in type.GetMembers())
            {
                if (member is IMethodSymbol { IsStatic: false, Parameters.Length: 0 } method
                    && (method.Name == "DisposeAsync" || HasDisposeAsyncImplementation(method)))
                {
                    return true;
                }
            }

            return false;
        }

        private static bool HasDisposeAsyncImplementation(IMethodSymbol method)
        {
            foreach (var implemented in method.ExplicitInterfaceImplementations)
            {
                if (implemented.Name == "DisposeAsync")
                {
                    return true;
                }
            }

            return false;
        }

        // A file opened only for reading has no buffered writes: its synchronous Dispose closes a
        // handle and waits on nothing, so `await using` would change nothing.
        private bool OpensFileForReading(IOperation resource)
        {
            switch (resource)
            {
                case IInvocationOperation { TargetMethod: { Name: "OpenRead", IsStatic: true } method }:
                    return SymbolEqualityComparer.Default.Equals(method.ContainingType, _symbols.File);
                case IInvocationOperation { TargetMethod: { Name: "Open", IsStatic: true } open } invocation
                    when SymbolEqualityComparer.Default.Equals(open.ContainingType, _symbols.File):
                    return PassesReadAccess(invocation.Arguments);
                case IObjectCreationOperation creation when SymbolEqualityComparer.Default.Equals(creation.Type, _symbols.FileStream):
                    return PassesReadAccess(creation.Arguments);
                default:
                    return false;
            }
        }

        // `FileAccess.Read` among the arguments (`File.Open(path, FileMode.Open, FileAccess.Read, …)`).
        private bool PassesReadAccess(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments)
        {
            foreach (var argument in arguments)
            {
                if (argument.Value.WithoutConversions() is IFieldReferenceOperation { Field: { Name: "Read" } field }
                    && SymbolEqualityComparer.Default.Equals(field.ContainingType, _symbols.FileAccess))
                {
                    return true;
                }
            }

            return false;
        }

        // `await using` needs C# 8, and no await is possible inside a lock.
        private static bool CanUseAwaitUsing(IOperation operation)
            => operation.Syntax.SyntaxTree.Options is CSharpParseOptions { LanguageVersion: >= LanguageVersion.CSharp8 }
               && !IsInLock(operation);

        private static bool IsInLock(IOperation operation)
        {
            for (var current = operation.Parent; current is not null; current = current.Parent)
            {
                switch (current)
                {
                    case IAnonymousFunctionOperation or ILocalFunctionOperation:
                        return false;
                    case ILockOperation:
                        return true;
                }
            }

            return false;
        }

        // The squiggle goes on `using`, not on the whole statement and its body.
        private static Location UsingKeywordLocation(IOperation operation)
        {
            var token = operation.Syntax.GetFirstToken();
            return token.IsKind(SyntaxKind.UsingKeyword) ? token.GetLocation() : operation.Syntax.GetLocation();
        }
    }
}
