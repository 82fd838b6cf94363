using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CodeFixes;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>TW4005 fixes, best first: <c>Parallel.ForEachAsync</c> for <c>Parallel.ForEach</c>;
/// <c>await Task.WhenAll(...)</c>, which keeps the items running concurrently; a sequential
/// <c>foreach</c> with <c>await</c>.</summary>
[ExportCodeFixProvider(LanguageNames.CSharp, Name = nameof(AsyncLambdaAsVoidDelegateFixProvider))]
public sealed class AsyncLambdaAsVoidDelegateFixProvider : BestFixProvider
{
    public override ImmutableArray<string> FixableDiagnosticIds { get; } =
        ImmutableArray.Create(Descriptors.TW4005AsyncLambdaAsVoidDelegate.Id);

    protected override ImmutableArray<ThreadwiseCodeFixProvider> Choices { get; } =
        ImmutableArray.Create<ThreadwiseCodeFixProvider>(
            new AsyncLambdaParallelForEachAsyncFixProvider(), new AsyncLambdaWhenAllFixProvider(), new AsyncLambdaSequentialLoopFixProvider());
}
