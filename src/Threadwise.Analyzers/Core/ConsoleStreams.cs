using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// Streams and writers over the process's console: <c>Console.OpenStandardOutput()</c> (or Error, Input),
/// <c>Console.Out</c>/<c>Error</c>/<c>In</c>, a writer or reader created over one, a local holding one, or a
/// private or read-only member of the type every assignment of which is one (Microsoft.Testing.Platform's
/// <c>SystemConsole</c> keeps <c>new StreamWriter(Console.OpenStandardOutput(), …)</c> in a static field).
/// Their async forms end in the same synchronous write to the console (the console writers are synchronized),
/// so flagging every <c>Console.Error.WriteLine</c> in async code would be noise with no better call to make. Asked of would-be findings only; the answer per member is cached.
/// </summary>
internal static class ConsoleStreams
{
    private const int MaxDepth = 3;

    private static readonly ConditionalWeakTable<ISymbol, StrongBox<bool>> MemberAnswers = new();

    public static bool IsConsole(IOperation? operation, Compilation compilation) => IsConsole(operation, compilation, depth: 0);

    private static bool IsConsole(IOperation? operation, Compilation compilation, int depth)
    {
        switch (operation?.WithoutConversions())
        {
            case IInvocationOperation { TargetMethod: { IsStatic: true, Name: "OpenStandardOutput" or "OpenStandardError" or "OpenStandardInput", ContainingType: var type } } when IsConsoleType(type):
                return true;
            case IPropertyReferenceOperation { Property: { IsStatic: true, Name: "Out" or "Error" or "In", ContainingType: var type } } when IsConsoleType(type):
                return true;
            case IObjectCreationOperation { Arguments.Length: > 0 } creation when depth < MaxDepth:
                // `new StreamWriter(stream: Console.OpenStandardOutput(), …)`: the wrapped stream comes first.
                return IsConsole(creation.Arguments[0].Value, compilation, depth + 1);
            case ILocalReferenceOperation { Local: var local } reference when depth < MaxDepth:
                return LocalDeclarations.GetInitializer(local, reference) is { } declaration
                       && !LocalReferences.IsReassigned(declaration.Body, local)
                       && IsConsole(declaration.Value, compilation, depth + 1);
            case IMemberReferenceOperation { Member: IFieldSymbol or IPropertySymbol, Instance: null or IInstanceReferenceOperation } member when depth < MaxDepth:
                return IsClosed(member.Member) && EveryAssignmentIsConsole(member.Member.OriginalDefinition, compilation, depth + 1);
            default:
                return false;
        }
    }

    // Only the type itself can assign it: every value is among those MemberAssignments reads.
    private static bool IsClosed(ISymbol member)
        => member.DeclaredAccessibility == Accessibility.Private || member is IFieldSymbol { IsReadOnly: true };

    private static bool EveryAssignmentIsConsole(ISymbol member, Compilation compilation, int depth)
    {
        if (MemberAnswers.TryGetValue(member, out var known))
        {
            return known.Value;
        }

        var answer = false;
        if (MemberAssignments.In(member, compilation) is { Count: > 0 } values)
        {
            answer = true;
            foreach (var (_, value) in values)
            {
                if (value is null || !IsConsole(value, compilation, depth))
                {
                    answer = false;
                    break;
                }
            }
        }

        return MemberAnswers.GetValue(member, _ => new StrongBox<bool>(answer)).Value;
    }

    private static bool IsConsoleType(INamedTypeSymbol? type)
        => type is { Name: "Console", ContainingNamespace: { Name: "System", ContainingNamespace.IsGlobalNamespace: true } };
}
