using System.Diagnostics.CodeAnalysis;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Diagnostics;
using Threadwise.Core;

namespace Threadwise.Tests.Core;

/// <summary>The table of awaitable and cancellable .NET methods some framework lacks (written by
/// build/frameworkapis), and how a project's target framework monikers map onto its frameworks.</summary>
public class TargetFrameworksTests
{
    private static readonly TargetFrameworks.Table Table = TargetFrameworks.Table.Load();

    private static bool Lacks(string id, string framework)
        => Table.Missing.TryGetValue(id, out var mask) && (mask & Table.BitOf(framework)) != 0;

    // Facts from the frameworks' documentation ("Applies to"), not from the table itself.
    [Theory]
    [InlineData("M:System.IO.StreamReader.ReadToEndAsync(System.Threading.CancellationToken)", "netstandard2.0", true)]
    [InlineData("M:System.IO.StreamReader.ReadToEndAsync(System.Threading.CancellationToken)", "net6.0", true)]
    [InlineData("M:System.IO.StreamReader.ReadToEndAsync(System.Threading.CancellationToken)", "net8.0", false)]
    [InlineData("M:System.IO.Stream.DisposeAsync", "netstandard2.0", true)]
    [InlineData("M:System.IO.Stream.DisposeAsync", "net48", true)]
    [InlineData("M:System.IO.Stream.DisposeAsync", "netstandard2.1", false)]
    [InlineData("M:System.IO.Stream.DisposeAsync", "netcoreapp3.1", false)]
    [InlineData("M:System.IO.File.ReadAllTextAsync(System.String,System.Threading.CancellationToken)", "net472", true)]
    [InlineData("M:System.IO.File.ReadAllTextAsync(System.String,System.Threading.CancellationToken)", "netstandard2.1", false)]
    [InlineData("M:System.IO.Compression.ZipArchiveEntry.OpenAsync(System.Threading.CancellationToken)", "net9.0", true)]
    [InlineData("M:System.IO.Stream.ReadAsync(System.Byte[],System.Int32,System.Int32,System.Threading.CancellationToken)", "netstandard2.0", false)]
    [InlineData("M:System.Threading.Tasks.Task.Delay(System.Int32,System.Threading.CancellationToken)", "net462", false)]
    public void TheTable_KnowsWhichFrameworksLackAMethod(string id, string framework, bool lacks)
        => Assert.Equal(lacks, Lacks(id, framework));

    // A moniker counts as the newest framework of its family not newer than it, so a method is never
    // assumed to exist where it may not; one the table cannot place counts as netstandard2.0.
    [Theory]
    [InlineData("net7.0", "net6.0")]
    [InlineData("net471", "net462")]
    [InlineData("net481", "net48")]
    [InlineData("NET8.0-windows10.0.19041", "net8.0")]
    [InlineData("netcoreapp2.1", "netstandard2.0")]
    [InlineData("netcoreapp3.1", "netcoreapp3.1")]
    [InlineData("netstandard1.6", "netstandard2.0")]
    [InlineData("net45", "netstandard2.0")]
    [InlineData("net11.0", "net10.0")]
    [InlineData("uap10.0", "netstandard2.0")]
    public void Monikers_CountAsTheNearestOlderFramework(string moniker, string framework)
        => Assert.Equal(1 << Array.IndexOf(Table.Frameworks, framework), Table.BitOf(moniker));

    [Theory]
    [InlineData(null, "net8.0", false)]
    [InlineData("net8.0", "net8.0", false)]
    [InlineData("net8.0;", "net8.0", false)]
    [InlineData("netstandard2.0;net8.0", "net8.0", true)]
    [InlineData(" net8.0 ; net10.0 ", "net10.0", true)]
    public void OnlyAnotherFramework_MakesAProjectMultiTargeted(string? frameworks, string current, bool multi)
    {
        var compilation = CSharpCompilation.Create("P");
        var global = new Dictionary<string, string> { [TargetFrameworks.TargetFrameworkKey] = current };
        if (frameworks is not null)
        {
            global[TargetFrameworks.TargetFrameworksKey] = frameworks;
        }

        var options = new AnalyzerOptions([], new Provider(new Options(global)));
        Assert.Equal(multi, TargetFrameworks.For(compilation, options).IsMultiTargeted);
    }

    private sealed class Provider(AnalyzerConfigOptions global) : AnalyzerConfigOptionsProvider
    {
        public override AnalyzerConfigOptions GlobalOptions => global;

        public override AnalyzerConfigOptions GetOptions(SyntaxTree tree) => global;

        public override AnalyzerConfigOptions GetOptions(AdditionalText textFile) => global;
    }

    private sealed class Options(Dictionary<string, string> values) : AnalyzerConfigOptions
    {
        public override bool TryGetValue(string key, [NotNullWhen(true)] out string? value) => values.TryGetValue(key, out value);
    }
}
