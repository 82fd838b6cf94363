using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;
using Microsoft.CodeAnalysis.Operations;
using Threadwise.Core;

namespace Threadwise.Joins;

/// <summary>TW4006: a process is started and never waited for, disposed or handed on.</summary>
public sealed class ProcessNeverWaitedAnalyzer : ThreadwiseAnalyzer
{
    public ProcessNeverWaitedAnalyzer()
        : base(Descriptors.TW4006ProcessNeverWaited)
    {
    }

    protected override void OnCompilationStart(CompilationStartAnalysisContext context)
    {
        var process = KnownSymbols.For(context.Compilation).Process;
        if (process is null)
        {
            return;
        }

        var analyzer = new Context(process);
        context.RegisterOperationAction(analyzer.AnalyzeInvocation, OperationKind.Invocation);
    }

    private sealed class Context
    {
        private readonly INamedTypeSymbol _process;

        public Context(INamedTypeSymbol process) => _process = process;

        public void AnalyzeInvocation(OperationAnalysisContext context)
        {
            var invocation = (IInvocationOperation)context.Operation;
            var method = invocation.TargetMethod;
            if (method.Name != nameof(System.Diagnostics.Process.Start)
                || !SymbolEqualityComparer.Default.Equals(method.ContainingType, _process)
                || invocation.Syntax.ContainsDiagnostics)
            {
                return;
            }

            var started = method.IsStatic ? StartedByStaticStart(invocation) : StartedByInstanceStart(invocation);
            if (started)
            {
                context.ReportDiagnostic(Diagnostic.Create(Descriptors.TW4006ProcessNeverWaited, invocation.Syntax.GetLocation()));
            }
        }

        // Process.Start(...): dropped, or kept in a local that is never waited for.
        private static bool StartedByStaticStart(IInvocationOperation invocation)
        {
            var parent = invocation.Parent;
            while (parent is IConversionOperation { IsImplicit: true })
            {
                parent = parent.Parent;
            }

            switch (parent)
            {
                case IExpressionStatementOperation:
                    return !IsShellLaunch(invocation);
                case IVariableInitializerOperation { Parent: IVariableDeclaratorOperation declarator }:
                    return !IsDisposedByUsing(declarator)
                           && !IsWaitedOrHandedOn(declarator.Symbol, invocation);
                default:
                    return false;
            }
        }

        // `Process.Start(new ProcessStartInfo(url) { UseShellExecute = true });` as a statement (Terminal.Gui's
        // link view): the shell opens a document or URL with its associated application, which may be an
        // instance already running (Start may even return null). Waiting would block until the user closes
        // the browser; the launch is the whole intent. A shell launch kept in a local is still judged.
        private static bool IsShellLaunch(IInvocationOperation invocation)
        {
            // `Process.Start("open", url)`, `Process.Start("xdg-open", url)`: the platforms' launchers hand
            // the document or URL to its application and exit at once.
            if (invocation.Arguments.Length == 2
                && invocation.Arguments[0].Value.ConstantValue is { HasValue: true, Value: "open" or "xdg-open" or "explorer" or "explorer.exe" })
            {
                return true;
            }

            if (invocation.Arguments.Length != 1)
            {
                return false;
            }

            var info = invocation.Arguments[0].Value.WithoutConversions();
            if (info is ILocalReferenceOperation local && LocalDeclarations.GetInitializer(local.Local, local) is { Value: var initial })
            {
                info = initial.WithoutConversions();
            }

            if (info is not IObjectCreationOperation { Initializer: { } initializer })
            {
                return false;
            }

            foreach (var member in initializer.Initializers)
            {
                if (member is ISimpleAssignmentOperation { Target: IPropertyReferenceOperation { Property.Name: "UseShellExecute" }, Value.ConstantValue: { HasValue: true, Value: true } })
                {
                    return true;
                }
            }

            return false;
        }

        // var p = new Process { ... }; p.Start();
        private bool StartedByInstanceStart(IInvocationOperation invocation)
        {
            if (invocation.Instance is not ILocalReferenceOperation { Local: { } local }
                || LocalDeclarations.GetInitializer(local, invocation) is not { } declaration
                || declaration.Value is not IObjectCreationOperation creation
                || !SymbolEqualityComparer.Default.Equals(creation.Type, _process)
                || IsDisposedByUsing(declaration.Declarator))
            {
                return false;
            }

            return !IsWaitedOrHandedOn(local, invocation) && IsFirstStart(local, invocation, declaration.Body);
        }

        private static bool IsWaitedOrHandedOn(ILocalSymbol local, IOperation use)
        {
            if (LocalDeclarations.GetInitializer(local, use) is not { } declaration)
            {
                return true;
            }

            foreach (var reference in LocalReferences.Collect(declaration.Body, local))
            {
                switch (reference.Use)
                {
                    case LocalUse.MethodCall when reference.Member!.Name is "WaitForExit" or "WaitForExitAsync" or "Dispose" or "Close" or "Kill":
                    case LocalUse.EventSubscription when reference.Member!.Name == "Exited":
                        return true;
                    case LocalUse.MethodCall or LocalUse.MemberRead or LocalUse.MemberWrite:
                        break;
                    default:
                        return true;
                }
            }

            return false;
        }

        private static bool IsFirstStart(ILocalSymbol local, IInvocationOperation invocation, IOperation body)
        {
            foreach (var reference in LocalReferences.Collect(body, local))
            {
                if (reference.Use == LocalUse.MethodCall && reference.Member!.Name == nameof(System.Diagnostics.Process.Start))
                {
                    return reference.Reference.Parent == invocation;
                }
            }

            return false;
        }

        // using var p = ...;  or  using (var p = ...) { }
        private static bool IsDisposedByUsing(IOperation declarator)
        {
            for (var current = declarator.Parent; current is not null; current = current.Parent)
            {
                if (current is IUsingOperation or IUsingDeclarationOperation)
                {
                    return true;
                }

                if (current is IBlockOperation)
                {
                    return false;
                }
            }

            return false;
        }
    }
}
