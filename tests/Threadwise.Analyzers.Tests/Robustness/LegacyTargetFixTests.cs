using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Testing;
using Threadwise.Tests.Infrastructure;

namespace Threadwise.Tests.Robustness;

/// <summary>
/// Fixes generate code for the project they edit: every fix applied to a .NET Framework 4.8 project
/// on C# 7.3 (its default) and to a .NET Standard 2.0 project on C# 8 adds no compile error —
/// no target-typed <c>new()</c>, no <c>using var</c>, no API the framework lacks.
/// </summary>
public class LegacyTargetFixTests
{
    // One finding of (nearly) every fixable rule, written in C# 7.3.
    private const string Source = """
        using System;
        using System.Collections.Generic;
        using System.Diagnostics;
        using System.IO;
        using System.Linq;
        using System.Threading;
        using System.Threading.Tasks;

        public class Legacy
        {
            private readonly object _gate = new object();
            private int _count;
            private double _sum;
            private int _stats;
            private readonly List<int> _seen = new List<int>();

            public async Task<int> BlockingAsync(Task<int> pending, Task other, Stream stream, byte[] buffer)
            {
                Thread.Sleep(10);
                var value = pending.Result;
                Task.WaitAll(other);
                var read = stream.Read(buffer, 0, buffer.Length);
                SaveAsync();
                await Task.Yield();
                return value + read;
            }

            public int Report(Task<int> pending) { return Twice(pending); }

            private int Twice(Task<int> pending) { return pending.Result * 2; }

            public void Race(int[] items)
            {
                Parallel.ForEach(items, x => { _count++; _sum += x; _seen.Add(x); });
            }

            public void Add() { lock (_gate) { _stats++; } }

            public void Reset() { _stats = 0; }

            public void LockThis() { lock (this) { _stats--; } }

            public void Enter() { Monitor.Enter(_gate); _stats++; Monitor.Exit(_gate); }

            public void Pool(CancellationToken token)
            {
                Task.Run(() => { while (!token.IsCancellationRequested) { _stats++; } });
                Task.Run(() => Thread.Sleep(100));
            }

            public async Task LoopAsync(int[] items)
            {
                Parallel.ForEach(items, x => Console.WriteLine(x));
                await Task.Yield();
            }

            public void Threads(int[] items)
            {
                foreach (var item in items)
                {
                    var t = new Thread(() => Console.WriteLine(item));
                    t.Start();
                }

                var single = new Thread(() => Console.WriteLine(1));
                single.Start();
            }

            public async Task Joins(List<int> ids)
            {
                var tasks = new List<Task>();
                foreach (var id in ids) tasks.Add(Task.Delay(id));
                ids.ForEach(async id => await Task.Delay(id));
                Fire();
                Process.Start("worker");
                await Task.Yield();
            }

            private async void Fire() { await Task.Delay(1); }

            private Task SaveAsync() { return Task.CompletedTask; }
        }
        """;

    [Fact]
    public async Task EveryFix_KeepsANet48CSharp73ProjectCompiling()
    {
        var compilation = await Harness.CompileAsync(new[] { ("Legacy.cs", Source) }, References.Net48, LanguageVersion.CSharp7_3);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        await FixesKeepCodeCompilingTests.ApplyEveryFixAsync(compilation, minimumFixes: 15);
    }

    [Fact]
    public async Task EveryFix_KeepsANetStandard20CSharp8ProjectCompiling()
    {
        var compilation = await Harness.CompileAsync(new[] { ("Legacy.cs", Source) }, ReferenceAssemblies.NetStandard.NetStandard20, LanguageVersion.CSharp8);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        await FixesKeepCodeCompilingTests.ApplyEveryFixAsync(compilation, minimumFixes: 15);
    }

    [Fact]
    public async Task EveryFix_KeepsANet10ProjectCompiling()
    {
        var compilation = await Harness.CompileAsync(new[] { ("Legacy.cs", Source) }, References.Net100, LanguageVersion.Latest);
        Assert.Empty(compilation.GetDiagnostics().Where(d => d.Severity == DiagnosticSeverity.Error));
        await FixesKeepCodeCompilingTests.ApplyEveryFixAsync(compilation, minimumFixes: 15);
    }
}
