using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Microsoft.CodeAnalysis.Text;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>TW4005: an async lambda or async method group converted to a void-returning delegate.</summary>
public sealed class AsyncLambdaAsVoidDelegateAnalyzer : ThreadwiseAnalyzer
{
    public AsyncLambdaAsVoidDelegateAnalyzer()
        : base(Descriptors.TW4005AsyncLambdaAsVoidDelegate)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var analyzer = new Context(KnownSymbols.For(context.Compilation));
        context.RegisterOperationAction(analyzer.AnalyzeDelegateCreation, OperationKind.DelegateCreation);
    }

    private sealed class Context
    {
        private readonly KnownSymbols _symbols;

        public Context(KnownSymbols symbols) => _symbols = symbols;

        public void AnalyzeDelegateCreation(OperationAnalysisContext context)
        {
            var creation = (IDelegateCreationOperation)context.Operation;
            if (creation.Type is not INamedTypeSymbol { DelegateInvokeMethod: { ReturnsVoid: true } invoke } delegateType
                || IsEventHandler(creation, invoke)
                || creation.Syntax.ContainsDiagnostics)
            {
                return;
            }

            switch (creation.Target)
            {
                // A body that ends in a try with a catch-all handles every failure (often by
                // completing a TaskCompletionSource): the accepted fire-and-forget form, as for TW4004.
                case IAnonymousFunctionOperation { Symbol.IsAsync: true } lambda when !IsWhollyGuarded(lambda):
                    context.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.TW4005AsyncLambdaAsVoidDelegate,
                        HeaderLocation(lambda.Syntax),
                        lambda.Syntax is AnonymousMethodExpressionSyntax ? "anonymous method" : "lambda",
                        delegateType.Name));
                    break;

                // One finding per mistake: a method TW4004 already reports is fixed there, and one
                // whose body handles every failure is the accepted form wherever it is handed.
                case IMethodReferenceOperation { Method: { IsAsync: true, ReturnsVoid: true } method } reference
                    when !AsyncVoidMethods.IsReported(method, _symbols) && !AsyncVoidMethods.IsWhollyGuarded(method, _symbols.Compilation):
                    context.ReportDiagnostic(Diagnostic.Create(
                        Descriptors.TW4005AsyncLambdaAsVoidDelegate,
                        reference.Syntax.GetLocation(),
                        "method group",
                        delegateType.Name));
                    break;
            }
        }

        private static bool IsWhollyGuarded(IAnonymousFunctionOperation lambda)
            => lambda.Syntax switch
            {
                AnonymousFunctionExpressionSyntax { Block: { } block } when lambda.SemanticModel is { } model => AsyncVoidMethods.IsWhollyGuarded(block, model.Compilation),
                AnonymousFunctionExpressionSyntax { ExpressionBody: AwaitExpressionSyntax awaited } when lambda.SemanticModel is { } model
                    => AsyncVoidMethods.AwaitsAGuardedMethod(awaited, model.Compilation),
                _ => false,
            };

        // `button.Click += async (s, e) => ...` and handlers of (object, EventArgs)-shaped delegates
        // are where async void belongs.
        private bool IsEventHandler(IDelegateCreationOperation creation, IMethodSymbol invoke)
        {
            return creation.ParentSkippingConversions() is IEventAssignmentOperation || EventHandlers.HasEventHandlerShape(invoke, _symbols);
        }

        // From `async` to `=>` (or the `delegate` keyword's parameter list): the whole body would
        // underline half a file.
        private static Location HeaderLocation(SyntaxNode syntax)
        {
            var end = syntax switch
            {
                LambdaExpressionSyntax lambda => lambda.ArrowToken.Span.End,
                AnonymousMethodExpressionSyntax method => method.ParameterList?.Span.End ?? method.DelegateKeyword.Span.End,
                _ => syntax.Span.End,
            };
            return Location.Create(syntax.SyntaxTree, TextSpan.FromBounds(syntax.SpanStart, end));
        }
    }
}
