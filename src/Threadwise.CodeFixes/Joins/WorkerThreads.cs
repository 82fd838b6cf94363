using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>
/// <c>new Thread(() => { while (!_stopped) { … } })</c>: a worker meant to outlive the method that
/// starts it. Joining it there would make that method wait for the worker's end (often never), so
/// the TW4001 fix for such a thread is to make it a background thread instead (see <see cref="ThreadWork"/>).
/// </summary>
internal static class WorkerThreads
{
    /// <summary>The <c>new Thread(…)</c> a local holding the thread was initialised with.</summary>
    public static BaseObjectCreationExpressionSyntax? Creation(ILocalSymbol thread, FixState state)
        => thread.DeclaringSyntaxReferences.Length == 1
           && thread.DeclaringSyntaxReferences[0].GetSyntax(state.CancellationToken) is VariableDeclaratorSyntax { Initializer.Value: BaseObjectCreationExpressionSyntax creation }
            ? creation
            : null;

    public static ThreadWorkKind WorkOf(BaseObjectCreationExpressionSyntax? creation, FixState state)
        => creation is null ? ThreadWorkKind.Unknown : ThreadWork.Of(creation, state.SemanticModel, state.CancellationToken);
}
