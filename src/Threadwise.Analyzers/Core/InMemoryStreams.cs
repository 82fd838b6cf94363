using System.Collections.Generic;
using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// Streams and readers/writers that never touch I/O: <c>MemoryStream</c>, <c>UnmanagedMemoryStream</c>,
/// <c>StringReader</c>, <c>StringWriter</c>, and a wrapper created over one — <c>new CryptoStream(memory, …)</c>,
/// <c>new GZipStream(memory, …)</c>, <c>new StreamWriter(memory)</c>, directly or through a local
/// initialised so. Their synchronous flush and dispose write into memory; the async forms only add cost.
/// </summary>
internal static class InMemoryStreams
{
    // Each wrapper and each local on the way counts: `new StreamReader(gzip)` over `gzip = new
    // GZipStream(memory, …)` over `memory = new MemoryStream(bytes)` is five steps (TickerQ's request
    // decompression). The bound also stops `var x = x;` in code under edit.
    private const int MaxWrapping = 6;

    public static bool IsInMemory(IOperation? value, KnownSymbols symbols) => IsInMemory(value, symbols, inMemoryParameters: 0, depth: 0);

    /// <summary>As <see cref="IsInMemory(IOperation?, KnownSymbols)"/>, where the parameters whose
    /// ordinals are set in <paramref name="inMemoryParameters"/> are known to hold in-memory streams
    /// (every caller on the chain being summarised passed one).</summary>
    public static bool IsInMemory(IOperation? value, KnownSymbols symbols, int inMemoryParameters)
        => IsInMemory(value, symbols, inMemoryParameters, depth: 0);

    /// <summary>The parameters of <paramref name="call"/>'s target handed an in-memory stream, reader
    /// or writer, as a bit per ordinal (the first 32).</summary>
    public static int InMemoryArguments(IInvocationOperation call, KnownSymbols symbols, int inMemoryParameters)
    {
        var mask = 0;
        foreach (var argument in call.Arguments)
        {
            // A stream, reader or writer in memory, or an object of any type built over such ones only
            // (`Load(new JsonTextReader(new StringReader(json)))`: what `Load` reads from it is memory).
            // Strings, numbers and other special types are neither (and most arguments are those).
            if (argument.Parameter is { Ordinal: < 32 and var ordinal }
                && argument.Value.WithoutConversions().Type is { SpecialType: SpecialType.None }
                && (IsWrapper(argument.Value.WithoutConversions().Type, symbols)
                    ? IsInMemory(argument.Value, symbols, inMemoryParameters, depth: 0)
                    : IsBuiltOverInMemoryStream(argument.Value, symbols, inMemoryParameters)))
            {
                mask |= 1 << ordinal;
            }
        }

        return mask;
    }

    private static bool IsInMemory(IOperation? value, KnownSymbols symbols, int inMemoryParameters, int depth)
    {
        if (value is null || depth > MaxWrapping)
        {
            return false;
        }

        value = value.WithoutConversions();
        if (IsInMemoryType(value.Type, symbols))
        {
            return true;
        }

        return value switch
        {
            IObjectCreationOperation creation => IsWrapper(creation.Type, symbols)
                                                 && (IsInMemory(FirstArgument(creation), symbols, inMemoryParameters, depth + 1)
                                                     || (!HandsAnyStream(creation.Arguments, symbols) && IsMemoryBackedClass(creation.Type, symbols))),
            // `Stream body = null; if (hasBody) body = new MemoryStream(size);`: a null start is no stream.
            ILocalReferenceOperation local => Initializer(local) is { } initial && !IsNull(initial)
                ? IsInMemory(initial, symbols, inMemoryParameters, depth + 1)
                : EveryAssignmentInScopeIsInMemory(local.Local, local, symbols, inMemoryParameters, depth + 1),
            IParameterReferenceOperation { Parameter: { RefKind: RefKind.Out } result } reference
                => EveryAssignmentInScopeIsInMemory(result, reference, symbols, inMemoryParameters, depth + 1),
            // `bytes == null ? Stream.Null : new MemoryStream(bytes)`: each arm is memory, or the null stream,
            // whose reads and writes do nothing.
            IConditionalOperation { IsRef: false, WhenFalse: { } whenFalse } choice
                => IsInMemory(choice.WhenTrue, symbols, inMemoryParameters, depth + 1) && IsInMemory(whenFalse, symbols, inMemoryParameters, depth + 1),
            IFieldReferenceOperation { Field: { Name: "Null", IsStatic: true, ContainingType: { ContainingNamespace: { Name: "IO", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } } nullOwner } }
                when IsWrapper(nullOwner, symbols) => true,
            IInvocationOperation resource when IsManifestResource(resource.TargetMethod) => true,
            // `var state = await Utils.GetDecompressedStreamAsync(raw);` whose every return is a MemoryStream
            // (DurableTask's session state): a method of the project that hands out only memory.
            IAwaitOperation { Operation: IInvocationOperation awaited } when IsSourceFactory(awaited.TargetMethod)
                => EveryReturnIsInMemory(awaited.TargetMethod.OriginalDefinition, symbols),
            IInvocationOperation factory => IsWrapper(factory.Type, symbols) && WrapsOnlyMemory(factory.Arguments, symbols, inMemoryParameters, depth + 1)
                                            || IsSourceFactory(factory.TargetMethod) && IsWrapper(factory.Type, symbols) && EveryReturnIsInMemory(factory.TargetMethod.OriginalDefinition, symbols),
            IParameterReferenceOperation { Parameter.Ordinal: var ordinal } parameter
                => (ordinal < 32 && (inMemoryParameters & (1 << ordinal)) != 0) || IsInMemoryAtEveryCall(parameter, symbols, depth + 1),
            IFieldReferenceOperation { Field: { DeclaredAccessibility: Accessibility.Private } field } reference
                => IsWrapper(field.Type, symbols) && EveryAssignmentIsInMemory(field, reference.SemanticModel, symbols, depth + 1),
            // `stream.Inner` of `var stream = new BitcoinStream(rawBytes)`: a stream an object built over memory
            // only hands out is that memory.
            IPropertyReferenceOperation { Property.IsStatic: false, Instance: { } owner } property
                => IsWrapper(property.Type, symbols) && IsBuiltOverInMemoryStream(owner, symbols, inMemoryParameters, depth + 1),
            _ => false,
        };
    }

    private static readonly ConditionalWeakTable<IMethodSymbol, StrongBox<bool>> FactoryAnswers = new();

    private static bool IsSourceFactory(IMethodSymbol method)
        => method is { IsVirtual: false, IsAbstract: false, IsOverride: false, MethodKind: MethodKind.Ordinary }
           && method.DeclaringSyntaxReferences.Length == 1;

    // Every return of the method (an async one's returned values) is in memory, or null; at least one is
    // memory. Binds the method's body: asked of would-be findings only, the answer cached per method.
    private static bool EveryReturnIsInMemory(IMethodSymbol method, KnownSymbols symbols)
        => Cached(FactoryAnswers, method, m =>
        {
            if (MethodBodies.Bind(m, symbols.Compilation, System.Threading.CancellationToken.None) is not { } body)
            {
                return false;
            }

            var any = false;
            foreach (var operation in body.Descendants())
            {
                if (operation is not IReturnOperation { ReturnedValue: { } value } || AsyncContext.IsInNestedFunction(operation, body))
                {
                    continue;
                }

                if (IsNull(value))
                {
                    continue;
                }

                if (!IsInMemory(value, symbols, inMemoryParameters: 0, depth: 1))
                {
                    return false;
                }

                any = true;
            }

            return any;
        });

    private static readonly ConditionalWeakTable<IParameterSymbol, StrongBox<bool>> ParameterAnswers = new();

    // `ReadMessageAsync(socket, buffer, destination, token)` whose one caller passes `requestStream = new
    // MemoryStream(…)` (the Azure Relay client's web-socket helper): a stream parameter of a method only
    // this compilation can call (an override too, when the base is as hidden), never reassigned in it, that every call hands an in-memory stream. Asked
    // of would-be findings (it searches the compilation for the calls); the answer is kept per parameter.
    private static bool IsInMemoryAtEveryCall(IParameterReferenceOperation reference, KnownSymbols symbols, int depth)
    {
        var parameter = reference.Parameter;
        if (depth > MaxWrapping
            || parameter.RefKind != RefKind.None
            || parameter.ContainingSymbol is not IMethodSymbol { MethodKind: MethodKind.Ordinary } method
            || !HasOnlyCallsInTheCompilation(method)
            || !IsWrapper(parameter.Type, symbols)
            || reference.SemanticModel?.Compilation is not { } compilation)
        {
            return false;
        }

        return Cached(ParameterAnswers, parameter, p => !LocalReferences.IsParameterAssigned(p, reference) && EveryCallPassesMemory(method, p.Ordinal, compilation, symbols, depth: 1));
    }

    // No other assembly can call the method, nor a method it overrides (a call of the base dispatches here),
    // and no interface it implements hands it out: `internal sealed class GdsBlob : BlobBase` overriding
    // `GetSegmentAsync(Stream)` of the internal base that calls it with a MemoryStream (found dogfooding
    // the Firebird ADO.NET provider).
    private static bool HasOnlyCallsInTheCompilation(IMethodSymbol method)
    {
        if (method.ExplicitInterfaceImplementations.Length > 0)
        {
            return false;
        }

        for (var current = method; current is not null; current = current.OverriddenMethod)
        {
            if (SymbolFacts.IsVisibleOutsideAssembly(current) || ImplementsAnInterfaceMember(current))
            {
                return false;
            }
        }

        return true;
    }

    private static bool ImplementsAnInterfaceMember(IMethodSymbol method)
    {
        foreach (var contract in method.ContainingType.AllInterfaces)
        {
            foreach (var member in contract.GetMembers(method.Name))
            {
                if (SymbolEqualityComparer.Default.Equals(method.ContainingType.FindImplementationForInterfaceMember(member), method))
                {
                    return true;
                }
            }
        }

        return false;
    }

    [System.ThreadStatic]
    private static HashSet<ISymbol>? _inProgress;

    // The answer for a field or parameter is computed from a fresh wrapping budget, not the asker's, so the
    // cached answer is the same whichever caller asked first (concurrent analysis and the IDE ask in any
    // order). A symbol met again while its own answer is being computed (a cycle of assignments) is not
    // known on that path, and that partial answer is not cached for it.
    private static bool Cached<TSymbol>(ConditionalWeakTable<TSymbol, StrongBox<bool>> answers, TSymbol symbol, System.Func<TSymbol, bool> compute)
        where TSymbol : class, ISymbol
    {
        if (answers.TryGetValue(symbol, out var known))
        {
            return known.Value;
        }

        var inProgress = _inProgress ??= new HashSet<ISymbol>(SymbolEqualityComparer.Default);
        if (!inProgress.Add(symbol))
        {
            return false;
        }

        bool value;
        try
        {
            value = compute(symbol);
        }
        finally
        {
            inProgress.Remove(symbol);
        }

        return answers.GetValue(symbol, _ => new StrongBox<bool>(value)).Value;
    }

    private static bool EveryCallPassesMemory(IMethodSymbol method, int ordinal, Compilation compilation, KnownSymbols symbols, int depth)
        => CallSites.EveryCallPasses(method, ordinal, compilation, argument => argument.ArgumentKind != ArgumentKind.DefaultValue && IsInMemory(argument.Value, symbols, inMemoryParameters: 0, depth));

    // `assembly.GetManifestResourceStream(name)`: an embedded resource is read from the loaded image
    // (an UnmanagedMemoryStream, or a MemoryStream for an assembly loaded from bytes), typed as Stream
    // (found dogfooding MedallionShell).
    private static bool IsManifestResource(IMethodSymbol method)
        => method.Name == "GetManifestResourceStream"
           && method.ContainingType is { Name: "Assembly", ContainingNamespace: { Name: "Reflection", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } } };

    // `provider.CreateDecompressionStream(new MemoryStream(data))` (gRPC's compression providers): a
    // factory handed an in-memory stream and no other stream, reader or writer wraps that memory.
    private static bool WrapsOnlyMemory(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments, KnownSymbols symbols, int inMemoryParameters, int depth)
    {
        var overMemory = false;
        foreach (var argument in arguments)
        {
            var value = argument.Value.WithoutConversions();
            if (!IsWrapper(value.Type, symbols))
            {
                continue;
            }

            if (!IsInMemory(value, symbols, inMemoryParameters, depth))
            {
                return false;
            }

            overMemory = true;
        }

        return overMemory;
    }

    /// <summary>
    /// <c>new Resp3Writer(memory, encoding).WriteCommand(cmd)</c>: an object of any type created over an
    /// in-memory stream (directly or through a local), and over no other stream, reader or writer.
    /// Its stream I/O goes to that memory; a helper called on it does not block on I/O.
    /// </summary>
    public static bool IsBuiltOverInMemoryStream(IOperation? receiver, KnownSymbols symbols)
        => IsBuiltOverInMemoryStream(receiver, symbols, inMemoryParameters: 0);

    /// <summary>As above, where the parameters set in <paramref name="inMemoryParameters"/> hold
    /// in-memory streams: <c>using var writer = new Utf8JsonWriter(stream); writer.Flush();</c> in a
    /// helper handed a <c>MemoryStream</c> for <c>stream</c>.</summary>
    public static bool IsBuiltOverInMemoryStream(IOperation? receiver, KnownSymbols symbols, int inMemoryParameters)
        => IsBuiltOverInMemoryStream(receiver, symbols, inMemoryParameters, depth: 0);

    // The depth bounds constructor chains that hand out each other's streams (`: this(new Other(b).Inner)`).
    private static bool IsBuiltOverInMemoryStream(IOperation? receiver, KnownSymbols symbols, int inMemoryParameters, int depth)
    {
        if (depth > MaxWrapping)
        {
            return false;
        }

        receiver = receiver?.WithoutConversions();
        if (receiver is IParameterReferenceOperation { Parameter.Ordinal: < 32 and var ordinal })
        {
            return (inMemoryParameters & (1 << ordinal)) != 0; // the summarised caller handed one in
        }

        if (receiver is ILocalReferenceOperation local)
        {
            receiver = Initializer(local)?.WithoutConversions();
        }

        return receiver is IObjectCreationOperation creation
               && (WrapsOnlyMemory(creation.Arguments, symbols, inMemoryParameters, depth)
                   || (!HandsAnyStream(creation.Arguments, symbols) && BuildsOnlyMemory(creation.Constructor, symbols, depth)));
    }

    private static bool HandsAnyStream(System.Collections.Immutable.ImmutableArray<IArgumentOperation> arguments, KnownSymbols symbols)
    {
        foreach (var argument in arguments)
        {
            if (IsWrapper(argument.Value.WithoutConversions().Type, symbols) || IsWrapper(argument.Parameter?.Type, symbols))
            {
                return true;
            }
        }

        return false;
    }

    // `new BitcoinStream(rawBytes)` whose constructor is `: this(new MemoryStream(bytes), false)` (NBitcoin's PSBT
    // parser), or a packet reader built the same way over a byte array: a constructor of this compilation,
    // handed no stream, reader or writer, that chains to another one handing it in-memory streams only, and
    // neither of which creates or obtains any other stream in its body. What such an object reads and writes
    // is memory. Any other constructor (one that opens a file from a path, one without such a chain) is not known.
    private static bool BuildsOnlyMemory(IMethodSymbol? constructor, KnownSymbols symbols, int depth)
    {
        if (constructor is null
            || constructor.DeclaringSyntaxReferences.Length != 1
            || constructor.DeclaringSyntaxReferences[0].GetSyntax() is not ConstructorDeclarationSyntax { Initializer: { } initializer } declaration
            || !initializer.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.ThisConstructorInitializer)
            || CompilationOf(constructor) is not { } compilation
            || !compilation.ContainsSyntaxTree(declaration.SyntaxTree))
        {
            return false;
        }

        var model = compilation.GetSemanticModel(declaration.SyntaxTree);
        if (model.GetOperation(initializer) is not IInvocationOperation { TargetMethod: var chained } chain
            || ObtainsOtherStreams(declaration.Body ?? (SyntaxNode?)declaration.ExpressionBody, model, symbols))
        {
            return false;
        }

        var overMemory = false;
        foreach (var argument in chain.Arguments)
        {
            if (!IsWrapper(argument.Parameter?.Type, symbols) && !IsWrapper(argument.Value.WithoutConversions().Type, symbols))
            {
                continue;
            }

            if (!IsInMemory(argument.Value, symbols, inMemoryParameters: 0, depth: depth + 1))
            {
                return false;
            }

            overMemory = true;
        }

        // The constructor chained to takes the memory in: it must not open anything of its own either.
        return overMemory
               && chained.DeclaringSyntaxReferences.Length == 1
               && chained.DeclaringSyntaxReferences[0].GetSyntax() is ConstructorDeclarationSyntax target
               && (target.Initializer is null || target.Initializer.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.BaseConstructorInitializer) && target.Initializer.ArgumentList.Arguments.Count == 0)
               && compilation.ContainsSyntaxTree(target.SyntaxTree)
               && !ObtainsOtherStreams(target.Body ?? (SyntaxNode?)target.ExpressionBody, compilation.GetSemanticModel(target.SyntaxTree), symbols);
    }

    // A creation or call in the body that yields a stream, reader or writer: `_log = File.OpenWrite(path)`.
    private static bool ObtainsOtherStreams(SyntaxNode? body, SemanticModel model, KnownSymbols symbols)
    {
        if (body is null)
        {
            return false;
        }

        foreach (var node in body.DescendantNodes())
        {
            if (node is ObjectCreationExpressionSyntax or ImplicitObjectCreationExpressionSyntax or InvocationExpressionSyntax
                && IsWrapper(model.GetTypeInfo(node).Type, symbols))
            {
                return true;
            }
        }

        return false;
    }

    private static Compilation? CompilationOf(IMethodSymbol method)
        => method.ContainingAssembly is ISourceAssemblySymbol source ? source.Compilation : null;

    public static bool IsInMemoryType(ITypeSymbol? type, KnownSymbols symbols)
        => KnownSymbols.IsOrDerivesFrom(type, symbols.MemoryStream)
           || KnownSymbols.IsOrDerivesFrom(type, symbols.UnmanagedMemoryStream)
           || KnownSymbols.IsOrDerivesFrom(type, symbols.StringReader)
           || KnownSymbols.IsOrDerivesFrom(type, symbols.StringWriter)
           || KnownSymbols.IsOrDerivesFrom(type, symbols.MimeKitMemoryBlockStream);

    private static readonly ConditionalWeakTable<INamedTypeSymbol, StrongBox<bool>> MemoryBackedClasses = new();

    // `new ReadOnlySequenceStream(messageData)` (gRPC's server decompresses each message through one): a stream,
    // reader or writer class of this compilation, derived from the abstract Stream, TextReader or TextWriter (or
    // from memory) through classes of this compilation only, whose every field holds numbers, flags, arrays of
    // them or memory (`ReadOnlySequence<byte>`, `Memory<byte>`, the `ArrayPool<byte>` it rents from), which
    // declares no extern method and creates or obtains no other stream and no file. It has nothing to do I/O
    // with. A string (a path), a handle, a delegate or any other object in a field makes it unknown. Asked of
    // would-be findings only, for the exact class created and handed no stream, reader or writer; the answer is
    // kept per class.
    private static bool IsMemoryBackedClass(ITypeSymbol? type, KnownSymbols symbols)
    {
        if (type is not INamedTypeSymbol { TypeKind: TypeKind.Class } named || named.DeclaringSyntaxReferences.Length == 0)
        {
            return false;
        }

        named = named.OriginalDefinition;
        if (MemoryBackedClasses.TryGetValue(named, out var known))
        {
            return known.Value;
        }

        var value = ComputeIsMemoryBackedClass(named, symbols);
        return MemoryBackedClasses.GetValue(named, _ => new StrongBox<bool>(value)).Value;
    }

    private static bool ComputeIsMemoryBackedClass(INamedTypeSymbol type, KnownSymbols symbols)
    {
        for (var current = type; current is not null; current = current.BaseType)
        {
            if (current.DeclaringSyntaxReferences.Length == 0)
            {
                // The first base from a reference: the abstract stream, reader or writer itself, or memory.
                return SymbolEqualityComparer.Default.Equals(current, symbols.Stream)
                       || SymbolEqualityComparer.Default.Equals(current, symbols.TextReader)
                       || SymbolEqualityComparer.Default.Equals(current, symbols.TextWriter)
                       || IsInMemoryType(current, symbols);
            }

            foreach (var member in current.GetMembers())
            {
                if ((member is IFieldSymbol { IsConst: false } field && !HoldsOnlyMemory(field.Type, symbols))
                    || member is IMethodSymbol { IsExtern: true })
                {
                    return false;
                }
            }

            foreach (var reference in current.DeclaringSyntaxReferences)
            {
                if (!symbols.Compilation.ContainsSyntaxTree(reference.SyntaxTree)
                    || OpensAnything(reference.GetSyntax(), symbols.Compilation.GetSemanticModel(reference.SyntaxTree), symbols))
                {
                    return false;
                }
            }
        }

        return false;
    }

    // Numbers, flags, characters, enums, arrays of them, memory of them and tasks of them; not strings, pointers,
    // handles, delegates or other objects.
    private static bool HoldsOnlyMemory(ITypeSymbol type, KnownSymbols symbols)
    {
        switch (type)
        {
            case { SpecialType: >= SpecialType.System_Boolean and <= SpecialType.System_Double }:
            case { TypeKind: TypeKind.Enum }:
                return true;
            case IArrayTypeSymbol array:
                return array.ElementType is { SpecialType: >= SpecialType.System_Boolean and <= SpecialType.System_Double };
            // `private Task<int>? _lastReadTask;`: the finished read cached for ReadAsync, as MemoryStream does.
            case INamedTypeSymbol { IsGenericType: true } generic
                when generic.OriginalDefinition.SpecialType == SpecialType.System_Nullable_T
                     || symbols.IsMemoryHolder(generic)
                     || SymbolEqualityComparer.Default.Equals(generic.OriginalDefinition, symbols.TaskOfT):
                foreach (var argument in generic.TypeArguments)
                {
                    if (!HoldsOnlyMemory(argument, symbols))
                    {
                        return false;
                    }
                }

                return true;
            default:
                return symbols.IsMemoryHolder(type); // SequencePosition
        }
    }

    // A stream, reader or writer created or obtained in the class (`new FileStream(…)`, `File.OpenRead(…)`), or
    // any call of `File`.
    private static bool OpensAnything(SyntaxNode declaration, SemanticModel model, KnownSymbols symbols)
    {
        if (ObtainsOtherStreams(declaration, model, symbols))
        {
            return true;
        }

        foreach (var node in declaration.DescendantNodes())
        {
            if (node is InvocationExpressionSyntax
                && model.GetSymbolInfo(node).Symbol is IMethodSymbol { ContainingType: var owner }
                && SymbolEqualityComparer.Default.Equals(owner, symbols.File))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsWrapper(ITypeSymbol? type, KnownSymbols symbols)
        => KnownSymbols.IsOrDerivesFrom(type, symbols.Stream)
           || KnownSymbols.IsOrDerivesFrom(type, symbols.TextWriter)
           || KnownSymbols.IsOrDerivesFrom(type, symbols.TextReader);

    private static IOperation? FirstArgument(IObjectCreationOperation creation)
    {
        foreach (var argument in creation.Arguments)
        {
            if (argument.Parameter?.Ordinal == 0)
            {
                return argument.Value;
            }
        }

        return null;
    }

    // `_decompressor = new DeflateStream(_compressed, …)` where `_compressed` is a MemoryStream (Discord.Net's
    // gateway): a private stream field every assignment (and initializer) of which, in its type, is in
    // memory. Asked only for a would-be finding on such a field; the answer is cached per field.
    private static readonly ConditionalWeakTable<IFieldSymbol, StrongBox<bool>> FieldAnswers = new();

    private static bool EveryAssignmentIsInMemory(IFieldSymbol field, SemanticModel? model, KnownSymbols symbols, int depth)
    {
        field = field.OriginalDefinition;
        if (model is null || depth > MaxWrapping)
        {
            return false;
        }

        var compilation = model.Compilation;
        return Cached(FieldAnswers, field, f => ComputeEveryAssignmentIsInMemory(f, compilation, symbols, depth: 1));
    }

    private static bool ComputeEveryAssignmentIsInMemory(IFieldSymbol field, Compilation compilation, KnownSymbols symbols, int depth)
    {
        if (MemberAssignments.In(field, compilation) is not { Count: > 0 } values)
        {
            return false;
        }

        var any = false;
        foreach (var (syntax, operation) in values)
        {
            if (operation is null)
            {
                return false;
            }

            if (syntax.IsKind(Microsoft.CodeAnalysis.CSharp.SyntaxKind.NullLiteralExpression) || (operation.ConstantValue is { HasValue: true, Value: null }))
            {
                continue; // cleared, not replaced
            }

            if (!IsInMemory(operation, symbols, inMemoryParameters: 0, depth))
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    // `stream = new MemoryStream(); stream.Write(data, …);` on an `out Stream stream` (WatsonTcp's
    // BytesToStream), or on a local declared without a value: every assignment to the variable in the
    // method (or lambda) that declares it puts memory there. Passed on by `ref`/`out`, or assigned
    // anything else, it is not known. Asked only for a would-be finding.
    private static bool EveryAssignmentInScopeIsInMemory(ISymbol variable, IOperation reference, KnownSymbols symbols, int inMemoryParameters, int depth)
    {
        if (depth > MaxWrapping
            || reference.SemanticModel is not { } model
            || variable.DeclaringSyntaxReferences.Length != 1
            || variable.DeclaringSyntaxReferences[0].SyntaxTree != model.SyntaxTree
            || DeclaringScope(variable.DeclaringSyntaxReferences[0].GetSyntax()) is not { } scope)
        {
            return false;
        }

        var any = false;
        foreach (var node in scope.DescendantNodes())
        {
            if (node is ArgumentSyntax { RefKindKeyword.RawKind: not 0, Expression: IdentifierNameSyntax passed } && passed.Identifier.ValueText == variable.Name)
            {
                return false; // `Fill(out stream)`: assigned where this method cannot see
            }

            if (node is not AssignmentExpressionSyntax { Left: IdentifierNameSyntax target } assignment
                || target.Identifier.ValueText != variable.Name
                || model.GetOperation(assignment) is not { } operation)
            {
                continue;
            }

            if (operation is not ISimpleAssignmentOperation { Target: var written, Value: var value }
                || !SymbolEqualityComparer.Default.Equals(Written(written), variable))
            {
                if (operation is ICompoundAssignmentOperation or ICoalesceAssignmentOperation && SymbolEqualityComparer.Default.Equals(Written(((IAssignmentOperation)operation).Target), variable))
                {
                    return false;
                }

                continue; // another variable of that name
            }

            if (!IsInMemory(value, symbols, inMemoryParameters, depth))
            {
                return false;
            }

            any = true;
        }

        return any;
    }

    private static ISymbol? Written(IOperation target) => target switch
    {
        ILocalReferenceOperation local => local.Local,
        IParameterReferenceOperation parameter => parameter.Parameter,
        _ => null,
    };

    private static SyntaxNode? DeclaringScope(SyntaxNode declaration)
    {
        foreach (var node in declaration.AncestorsAndSelf())
        {
            if (node is BaseMethodDeclarationSyntax or AccessorDeclarationSyntax or LocalFunctionStatementSyntax or AnonymousFunctionExpressionSyntax)
            {
                return node;
            }
        }

        return null;
    }

    // `using var destination = new MemoryStream();` then `new CryptoStream(destination, …)`.
    private static bool IsNull(IOperation value) => value.WithoutConversions().ConstantValue is { HasValue: true, Value: null };

    private static IOperation? Initializer(ILocalReferenceOperation local)
    {
        if (local.SemanticModel is not { } model
            || local.Local.DeclaringSyntaxReferences.Length != 1
            || local.Local.DeclaringSyntaxReferences[0].GetSyntax() is not VariableDeclaratorSyntax { Initializer.Value: { } value }
            || value.SyntaxTree != model.SyntaxTree)
        {
            return null;
        }

        return model.GetOperation(value);
    }
}
