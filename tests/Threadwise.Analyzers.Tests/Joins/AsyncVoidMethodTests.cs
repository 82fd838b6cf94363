using Microsoft.CodeAnalysis.Testing;
using VerifyAnalyzer = Threadwise.Tests.Infrastructure.Verify<Threadwise.Joins.AsyncVoidMethodAnalyzer>;
using VerifyFix = Threadwise.Tests.Infrastructure.Verify<Threadwise.Joins.AsyncVoidMethodAnalyzer, Threadwise.Joins.AsyncVoidMethodFixProvider>;

namespace Threadwise.Tests.Joins;

public class AsyncVoidMethodTests
{
    private static DiagnosticResult Tw4004(int markup, string name)
        => VerifyAnalyzer.Diagnostic(Descriptors.TW4004AsyncVoidMethod).WithLocation(markup).WithArguments(name);

    [Fact]
    public Task AsyncVoidMethodsAndLocalFunctions_AreFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System.Threading.Tasks;

        class C
        {
            public async void {|#0:Start|}() => await Task.Yield();
            private static async void {|#1:Log|}(string message) => await Task.Yield();

            void M()
            {
                Local();
                async void {|#2:Local|}() => await Task.Yield();
            }
        }
        """, Tw4004(0, "Start"), Tw4004(1, "Log"), Tw4004(2, "Local"));

    [Fact]
    public Task EventHandlersOverridesAndInterfaceImplementations_AreNotFlagged() => VerifyAnalyzer.AnalyzerAsync("""
        using System;
        using System.Threading.Tasks;

        class ClickEventArgs : EventArgs { }

        interface ICommand { void Execute(); }

        abstract class Base { public abstract void Run(); }

        class C : Base, ICommand
        {
            private async void OnClick(object sender, EventArgs e) => await Task.Yield();
            private async void OnCustom(object? sender, ClickEventArgs e) => await Task.Yield();
            public override async void Run() => await Task.Yield();
            public async void Execute() => await Task.Yield();
            async Task Fine() => await Task.Yield();
            void NotAsync() { }
        }
        """);

    [Fact]
    public Task BrokenCode_DoesNotCrash() => VerifyAnalyzer.BrokenCodeAsync("""
        class C
        {
            async void {|#0:M|}(Missing m) { await m; }
            async void
        }
        """, Tw4004(0, "M"));

    [Fact]
    public Task Fix_ReturnsTask_AndAsyncCallersAwait() => VerifyFix.CodeFixAsync("""
        using System.Threading.Tasks;

        class C
        {
            private async void {|#0:Save|}(int id)
            {
                await Task.Delay(id);
            }

            async Task Caller() { Save(1); }

            void SyncCaller() { Save(2); }
        }
        """, """
        using System.Threading.Tasks;

        class C
        {
            private async Task Save(int id)
            {
                await Task.Delay(id);
            }

            async Task Caller() { await Save(1); }

            void SyncCaller() { Save(2); }
        }
        """, Tw4004(0, "Save"));

    [Fact]
    public Task Fix_IsNotOffered_ForPublicMethodsOrMethodGroups() => VerifyFix.NoCodeFixAsync("""
        using System;
        using System.Threading.Tasks;

        class C
        {
            public async void {|#0:Start|}() => await Task.Yield();
            private async void {|#1:Tick|}() => await Task.Yield();
            void Wire() { Action a = Tick; }
        }
        """, Tw4004(0, "Start"), Tw4004(1, "Tick"));

    [Fact]
    public Task FixAll_LocalFunctionsAndMethods() => VerifyFix.CodeFixAsync("""
        using System.Threading.Tasks;

        class C
        {
            private async void {|#0:A|}() => await Task.Yield();

            async Task M()
            {
                A();
                Local();
                async void {|#1:Local|}() => await Task.Yield();
            }
        }
        """, """
        using System.Threading.Tasks;

        class C
        {
            private async Task A() => await Task.Yield();

            async Task M()
            {
                await A();
                await Local();
                async Task Local() => await Task.Yield();
            }
        }
        """, Tw4004(0, "A"), Tw4004(1, "Local"));
}
