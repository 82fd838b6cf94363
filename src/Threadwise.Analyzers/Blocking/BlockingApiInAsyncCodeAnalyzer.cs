using System.Collections.Immutable;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.Blocking;

/// <summary>TW1004: a synchronous blocking API (with or without an async twin) in async code.</summary>
[DiagnosticAnalyzer(LanguageNames.CSharp)]
public sealed class BlockingApiInAsyncCodeAnalyzer : ThreadwiseAnalyzer
{
    public BlockingApiInAsyncCodeAnalyzer()
        : base(Descriptors.TW1004BlockingApiInAsyncCode)
    {
    }

    /// <summary>Diagnostic property: the name of the awaitable twin, when there is one.</summary>
    public const string TwinProperty = "Twin";

    /// <summary>Diagnostic property: present when the twin takes a trailing CancellationToken.</summary>
    public const string TwinTakesTokenProperty = "TwinTakesToken";

    /// <summary>Diagnostic property: present when the twin is the async function the call sits in,
    /// so calling it would make the method call itself.</summary>
    public const string TwinIsCallerProperty = "TwinIsCaller";

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        if (KnownSymbols.For(context.Compilation).Task is null)
        {
            return;
        }

        var analyzer = new Context(BlockingCalls.For(context.Compilation));
        context.RegisterOperationAction(analyzer.AnalyzeInvocation, OperationKind.Invocation);
    }

    private sealed class Context
    {
        private readonly BlockingCalls _blockingCalls;

        public Context(BlockingCalls blockingCalls) => _blockingCalls = blockingCalls;

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;

            // Async context first: it is a parent walk, cheaper than classifying every call.
            if (AsyncContext.GetAsyncFunction(invocation, context.ContainingSymbol) is not { } function)
            {
                return;
            }

            var options = ThreadwiseOptions.For(context.Options, invocation.Syntax.SyntaxTree);
            if (_blockingCalls.GetBlockingApi(invocation, options, context.ContainingSymbol) is not { } api)
            {
                return;
            }

            var properties = ImmutableDictionary<string, string?>.Empty;
            string advice;
            if (api.Twin is { } twin)
            {
                properties = properties.Add(TwinProperty, twin.Name);
                if (api.TwinTakesToken)
                {
                    properties = properties.Add(TwinTakesTokenProperty, "true");
                }

                if (SymbolEqualityComparer.Default.Equals(twin.OriginalDefinition, function.OriginalDefinition))
                {
                    properties = properties.Add(TwinIsCallerProperty, "true");
                }

                advice = "; use 'await " + (twin.ReducedFrom ?? twin).ContainingType.Name + "." + twin.Name + "' instead";
            }
            else
            {
                advice = "; it has no awaitable form, so move the wait off the async path or use an async primitive";
            }

            context.ReportDiagnostic(Diagnostic.Create(
                Descriptors.TW1004BlockingApiInAsyncCode,
                invocation.Syntax.GetLocation(),
                properties,
                api.Display,
                AsyncContext.Describe(function),
                advice));
        }
    }
}
