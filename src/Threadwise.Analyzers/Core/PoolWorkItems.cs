using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;

namespace Threadwise.Core;

/// <summary>
/// <c>LockTimer.Elapsed += OnLockTimer;</c>, <c>new Timer(Refresh, …)</c>, <c>ThreadPool.QueueUserWorkItem(Drain)</c>
/// where the method (a local function or private method) is used nowhere else: it runs only as a work item of
/// the thread pool, and TW3002 reports blocking in it at the reference that hands it over. The rules that
/// would report the same wait again (TW1005) ask this, on the way to a finding only.
/// </summary>
internal static class PoolWorkItems
{
    public static bool IsOnlyAPoolWorkItem(IMethodSymbol method, Compilation compilation, AnalyzerOptions options, CancellationToken cancellationToken)
    {
        if (method.IsAsync
            || method.IsAbstract || method.IsVirtual || method.IsOverride
            || MethodUses.Scope(method, cancellationToken) is not { } scope
            || !compilation.ContainsSyntaxTree(scope.SyntaxTree))
        {
            return false;
        }

        var concurrency = ConcurrentContext.For(compilation);
        var uses = 0;
        foreach (var (name, model) in MethodUses.In(scope, method, compilation, cancellationToken))
        {
            var node = name.Parent is MemberAccessExpressionSyntax access && access.Name == name ? access : (SyntaxNode)name;
            var reference = model.GetOperation(node, cancellationToken) switch
            {
                IMethodReferenceOperation direct => direct,
                IDelegateCreationOperation { Target: IMethodReferenceOperation target } => target,
                _ => null,
            };

            if (reference is null
                || concurrency.GetEntryPoint(reference, ThreadwiseOptions.For(options, scope.SyntaxTree)) is not { IsValid: true, RunsOnPool: true })
            {
                return false; // a call, or a delegate that runs elsewhere
            }

            uses++;
        }

        return uses > 0;
    }
}
