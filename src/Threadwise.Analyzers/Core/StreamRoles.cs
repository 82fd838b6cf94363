using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// What a disposed stream was used for, where that decides whether its synchronous dispose can block:
/// a stream opened to be read has nothing buffered to flush, and a stream handed to a writer that is
/// disposed after it is closed (and flushed) by that writer, not by its own <c>using</c>.
/// </summary>
internal static class StreamRoles
{
    /// <summary>
    /// <paramref name="value"/> is a stream its producer opened for reading — a call named <c>Read</c>,
    /// <c>OpenRead…</c>, <c>ReadAs…</c> or <c>…ReadStream</c> (with or without <c>Async</c>, awaited, configured), or one
    /// handed an enum member named <c>Read</c> (<c>StreamMode.Read</c>, <c>FileAccess.Read</c>) — and
    /// <paramref name="local"/>, the variable holding it, is never written through within
    /// <paramref name="body"/> (no <c>Write…</c>, <c>Flush…</c>, <c>SetLength</c>, not a copy's destination);
    /// or, however the stream was obtained, the variable is only read from (<c>Read…</c>, <c>CopyTo…</c>,
    /// <c>Seek</c>, property reads, a <c>…Reader</c> built over it, handed to a <c>Deserialize…</c>,
    /// <c>Parse…</c> or <c>Load…</c> method, null checks).
    /// </summary>
    public static bool IsOpenedForReading(IOperation value, ILocalSymbol? local, IOperation body, KnownSymbols symbols)
    {
        if (!KnownSymbols.IsOrDerivesFrom(value.Type, symbols.Stream))
        {
            return false;
        }

        if (Producer(value, symbols) is { } producer && (NamesReading(producer.TargetMethod.Name) || PassesReadMode(producer)))
        {
            return local is null || !IsWrittenThrough(local, body);
        }

        // However it was obtained (`await store.RetrieveAsync(id)`), a stream this method only reads
        // from — copies from, reads, seeks, wraps in a reader — has nothing of its to flush.
        return local is not null && IsOnlyReadFrom(local, body);
    }

    private static bool IsOnlyReadFrom(ILocalSymbol local, IOperation body)
    {
        var any = false;
        foreach (var reference in LocalReferences.Collect(body, local))
        {
            any = true;
            var readUse = reference.Use switch
            {
                // `Dispose()`/`Close()`: the disposal being judged; they write nothing of their own.
                LocalUse.MethodCall => reference.Member is { Name: var name }
                                       && (name.StartsWith("Read", System.StringComparison.Ordinal)
                                           || name is "CopyTo" or "CopyToAsync" or "Seek" or "Dispose" or "Close"),
                // `FileStream? fs = null; … fs = acquire(path);` (NuGet's lock files): a stream obtained
                // later, by a call or a `new`, is obtained like one from the declaration.
                LocalUse.Reassigned => reference.AssignedValue?.WithoutConversions() is IInvocationOperation or IObjectCreationOperation or IAwaitOperation,
                LocalUse.MemberRead => true,
                LocalUse.Escapes => IsReaderArgument(reference.Reference) || IsParsed(reference.Reference) || IsNullCheck(reference.Reference),
                _ => false,
            };
            if (!readUse)
            {
                return false;
            }
        }

        return any;
    }

    // `new StreamReader(stream)`, `new BinaryReader(stream)`, `XmlReader.Create(stream, settings)`: a reader over it.
    private static bool IsReaderArgument(ILocalReferenceOperation reference)
        => reference.ParentSkippingConversions() switch
        {
            IArgumentOperation { Parent: IObjectCreationOperation { Type.Name: var type } } => type.EndsWith("Reader", System.StringComparison.Ordinal),
            IArgumentOperation { Parent: IInvocationOperation { TargetMethod: { IsStatic: true, Name: "Create", ContainingType.Name: var factory } } }
                => factory.EndsWith("Reader", System.StringComparison.Ordinal),
            _ => false,
        };

    // `JsonSerializer.DeserializeAsync<T>(stream)`, `XDocument.LoadAsync(stream, …)`, `JsonDocument.Parse(stream)`:
    // handed to a method that reads a document from it.
    private static bool IsParsed(ILocalReferenceOperation reference)
        => reference.ParentSkippingConversions() is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: var name } }
           && (name.StartsWith("Deserialize", System.StringComparison.Ordinal)
               || name.StartsWith("Parse", System.StringComparison.Ordinal)
               || name.StartsWith("Load", System.StringComparison.Ordinal));

    private static bool IsNullCheck(ILocalReferenceOperation reference)
        => reference.ParentSkippingConversions() switch
        {
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Equals or BinaryOperatorKind.NotEquals } binary
                => binary.LeftOperand.WithoutConversions().ConstantValue is { HasValue: true, Value: null }
                   || binary.RightOperand.WithoutConversions().ConstantValue is { HasValue: true, Value: null },
            IIsPatternOperation { Pattern: IConstantPatternOperation or INegatedPatternOperation } => true,
            _ => false,
        };

    /// <summary>
    /// <paramref name="member"/>, a private field or property of a stream type, only ever holds null, a
    /// stream opened for reading (<c>DataStream = await response.Content.ReadAsStreamAsync()</c>, MonoTorrent's
    /// web-seed connection), or a value <paramref name="closesLikeItsBase"/> accepts (a project stream class
    /// whose async dispose only calls Dispose); and no code of its type writes through it (no
    /// <c>Write…</c>, <c>Flush…</c>, <c>SetLength</c>; never handed to a call other than a <c>…Reader</c>).
    /// Asked of would-be findings only; binds the member's assignments.
    /// </summary>
    public static bool IsMemberOnlyOpenedForReading(ISymbol member, Compilation compilation, KnownSymbols symbols, System.Func<IOperation, bool> closesLikeItsBase)
    {
        if (member.DeclaredAccessibility != Accessibility.Private
            || MemberAssignments.In(member, compilation) is not { Count: > 0 } values)
        {
            return false;
        }

        foreach (var (_, operation) in values)
        {
            if (operation is null || !IsReadOnlyValue(operation, symbols, closesLikeItsBase, depth: 0))
            {
                return false;
            }
        }

        return !IsWrittenThroughInItsType(member);
    }

    // null, a stream opened for reading, an accepted creation; or a choice between such (`empty ? null : …`).
    private static bool IsReadOnlyValue(IOperation operation, KnownSymbols symbols, System.Func<IOperation, bool> closesLikeItsBase, int depth)
    {
        var value = operation.WithoutConversions();
        return value switch
        {
            _ when value.ConstantValue is { HasValue: true, Value: null } => true,
            IDefaultValueOperation => true,
            IConditionalOperation { WhenFalse: { } whenFalse } choice when depth < 4
                => IsReadOnlyValue(choice.WhenTrue, symbols, closesLikeItsBase, depth + 1) && IsReadOnlyValue(whenFalse, symbols, closesLikeItsBase, depth + 1),
            ICoalesceOperation coalesce when depth < 4
                => IsReadOnlyValue(coalesce.Value, symbols, closesLikeItsBase, depth + 1) && IsReadOnlyValue(coalesce.WhenNull, symbols, closesLikeItsBase, depth + 1),
            _ => IsOpenedForReading(value, null, value, symbols) || closesLikeItsBase(value),
        };
    }

    private static bool IsWrittenThroughInItsType(ISymbol member)
    {
        foreach (var reference in member.ContainingType.DeclaringSyntaxReferences)
        {
            foreach (var node in reference.GetSyntax().DescendantNodes())
            {
                if (node is IdentifierNameSyntax { Identifier.ValueText: var name } identifier
                    && name == member.Name
                    && !IsReadOnlyUse(identifier))
                {
                    return true;
                }
            }
        }

        return false;
    }

    // How one mention of the member is used: `X.ReadAsync(…)`, `X?.Dispose()`, `X = …`, `X == null`,
    // `using (X)`, `new StreamReader(X)` only read or close it; anything else may write through it.
    private static bool IsReadOnlyUse(IdentifierNameSyntax identifier)
    {
        ExpressionSyntax mention = identifier;
        if (mention.Parent is MemberAccessExpressionSyntax qualified && qualified.Name == mention)
        {
            mention = qualified; // `this.X`, `other.X`
        }

        switch (mention.Parent)
        {
            case MemberAccessExpressionSyntax access when access.Expression == mention:
                return IsReadOnlyMember(access.Name.Identifier.ValueText);
            case ConditionalAccessExpressionSyntax conditional when conditional.Expression == mention:
                return conditional.WhenNotNull switch
                {
                    MemberBindingExpressionSyntax binding => IsReadOnlyMember(binding.Name.Identifier.ValueText),
                    InvocationExpressionSyntax { Expression: MemberBindingExpressionSyntax called } => IsReadOnlyMember(called.Name.Identifier.ValueText),
                    _ => false,
                };
            case AssignmentExpressionSyntax assignment when assignment.Left == mention:
                return assignment.IsKind(SyntaxKind.SimpleAssignmentExpression);
            case BinaryExpressionSyntax binary when binary.IsKind(SyntaxKind.EqualsExpression) || binary.IsKind(SyntaxKind.NotEqualsExpression):
                return true;
            case IsPatternExpressionSyntax:
                return true;
            case UsingStatementSyntax:
                return true;
            case ArgumentSyntax { Parent.Parent: BaseObjectCreationExpressionSyntax creation }:
                return creation is ObjectCreationExpressionSyntax { Type: var type } && type.ToString().EndsWith("Reader", System.StringComparison.Ordinal);
            case VariableDeclaratorSyntax or PropertyDeclarationSyntax:
                return true;
            default:
                return mention.Parent is null;
        }
    }

    private static bool IsReadOnlyMember(string name)
        => name.StartsWith("Read", System.StringComparison.Ordinal)
           || name is "Seek" or "CopyTo" or "CopyToAsync" or "Dispose" or "DisposeAsync" or "Close"
               or "Length" or "Position" or "CanRead" or "CanSeek" or "CanWrite" or "CanTimeout" or "ReadTimeout";

    /// <summary>
    /// <paramref name="local"/> (a stream) is handed to the constructor of an <c>IAsyncDisposable</c>
    /// wrapper that a <c>using</c> under <paramref name="body"/> disposes (<c>using var writer = new
    /// StreamWriter(file)</c>): the wrapper's dispose flushes and closes the stream, so the stream's own
    /// later dispose does nothing, and the finding belongs to the wrapper. Not when the wrapper is told
    /// to leave the stream open (any <c>true</c> literal among its arguments counts as that).
    /// </summary>
    public static bool IsClosedByAWrapper(ILocalSymbol local, IOperation body, INamedTypeSymbol asyncDisposable)
    {
        foreach (var operation in body.Descendants())
        {
            var resources = operation switch
            {
                IUsingOperation @using => @using.Resources,
                IUsingDeclarationOperation declaration => declaration.DeclarationGroup,
                _ => null,
            };

            if (resources is null)
            {
                continue;
            }

            foreach (var creation in resources.DescendantsAndSelf())
            {
                if (creation is IObjectCreationOperation { Type: { } wrapper } created
                    && SymbolFacts.Implements(wrapper, asyncDisposable)
                    && HandsOver(created, local))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static bool HandsOver(IObjectCreationOperation creation, ILocalSymbol local)
    {
        var handed = false;
        foreach (var argument in creation.Arguments)
        {
            switch (argument.Value.WithoutConversions())
            {
                case ILiteralOperation { ConstantValue: { HasValue: true, Value: true } }:
                    return false;
                case ILocalReferenceOperation reference when SymbolEqualityComparer.Default.Equals(reference.Local, local):
                    handed = true;
                    break;
            }
        }

        return handed;
    }

    // The call that produced the stream, under `await`, `.ConfigureAwait(false)` and extension
    // wrappers of the same kind (Foundatio's `.AnyContext()`): a call on a task that gives its awaitable.
    private static IInvocationOperation? Producer(IOperation value, KnownSymbols symbols)
    {
        var current = value.WithoutConversions();
        if (current is IAwaitOperation awaited)
        {
            current = awaited.Operation.WithoutConversions();
        }

        for (var depth = 0; depth < 3 && current is IInvocationOperation call; depth++)
        {
            var receiver = call.Instance ?? (call.TargetMethod.IsExtensionMethod && call.Arguments.Length > 0 ? call.Arguments[0].Value : null);
            if (receiver?.WithoutConversions() is not { } task
                || !(symbols.IsTaskType(task.Type) || symbols.IsValueTaskType(task.Type)))
            {
                return call;
            }

            current = task;
        }

        return null;
    }

    private static bool NamesReading(string name)
    {
        var trimmed = name.EndsWith("Async", System.StringComparison.Ordinal) ? name.Substring(0, name.Length - 5) : name;
        return trimmed == "Read"
               || trimmed.StartsWith("OpenRead", System.StringComparison.Ordinal)
               || trimmed.StartsWith("ReadAs", System.StringComparison.Ordinal)
               || trimmed.EndsWith("ReadStream", System.StringComparison.Ordinal);
    }

    private static bool PassesReadMode(IInvocationOperation producer)
    {
        foreach (var argument in producer.Arguments)
        {
            if (argument.Value.WithoutConversions() is IFieldReferenceOperation { Field: { Name: "Read", HasConstantValue: true } field }
                && field.ContainingType.TypeKind == TypeKind.Enum)
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsWrittenThrough(ILocalSymbol local, IOperation body)
    {
        foreach (var reference in LocalReferences.Collect(body, local))
        {
            switch (reference.Use)
            {
                case LocalUse.MethodCall when reference.Member is { Name: var name }
                                              && (name.StartsWith("Write", System.StringComparison.Ordinal)
                                                  || name.StartsWith("BeginWrite", System.StringComparison.Ordinal)
                                                  || name.StartsWith("Flush", System.StringComparison.Ordinal)
                                                  || name == "SetLength"):
                case LocalUse.Reassigned:
                    return true;
                case LocalUse.Escapes when IsCopyDestination(reference.Reference):
                    return true;
            }
        }

        return false;
    }

    // `source.CopyToAsync(local)`: the local is written to.
    private static bool IsCopyDestination(ILocalReferenceOperation reference)
        => reference.ParentSkippingConversions() is IArgumentOperation { Parent: IInvocationOperation { TargetMethod.Name: "CopyTo" or "CopyToAsync" } };
}
