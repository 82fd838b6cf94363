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
            if (invocation.Arguments.Length == 2 && IsLauncher(invocation.Arguments[0].Value, invocation.Arguments[1].Value))
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

            if (info is IObjectCreationOperation { Arguments.Length: > 0 } launch
                && IsLauncher(launch.Arguments[0].Value, launch.Arguments.Length > 1 ? launch.Arguments[1].Value : null))
            {
                return true;
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

        // The launchers by name, with or without a directory or `.exe`: `open`, `xdg-open`, `explorer`, and
        // `cmd` told to `/c start …` (`new ProcessStartInfo("cmd", $"/c start msedge {url}")`, MSAL's browser
        // launch on Windows): `start` hands the target to its application and returns, and `cmd` exits with it.
        private static readonly char[] PathSeparators = { '/', '\\' };

        private static bool IsLauncher(IOperation fileName, IOperation? arguments)
        {
            if (fileName.ConstantValue is not { HasValue: true, Value: string path })
            {
                return false;
            }

            var name = path.Substring(path.LastIndexOfAny(PathSeparators) + 1);
            if (name.EndsWith(".exe", System.StringComparison.OrdinalIgnoreCase))
            {
                name = name.Substring(0, name.Length - 4);
            }

            return name.ToLowerInvariant() switch
            {
                "open" or "xdg-open" or "explorer" => true,
                "cmd" => LeadingText(arguments)?.TrimStart().StartsWith("/c start ", System.StringComparison.OrdinalIgnoreCase) == true,
                _ => false,
            };
        }

        // The text a string argument starts with: a constant, an interpolated string's first literal part, or
        // the left side of a concatenation.
        private static string? LeadingText(IOperation? value) => value?.WithoutConversions() switch
        {
            { ConstantValue: { HasValue: true, Value: string text } } => text,
            IBinaryOperation { OperatorKind: BinaryOperatorKind.Add, LeftOperand: var left } => LeadingText(left),
            IInterpolatedStringOperation { Parts: { Length: > 0 } parts } when parts[0] is IInterpolatedStringTextOperation { Text.ConstantValue.Value: string first } => first,
            _ => null,
        };

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
