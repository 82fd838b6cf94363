using Microsoft.CodeAnalysis.Testing;
using Threadwise.Configuration;
using VerifyOption = Threadwise.Tests.Infrastructure.Verify<Threadwise.Configuration.InvalidOptionAnalyzer>;
using VerifyBlocking = Threadwise.Tests.Infrastructure.Verify<Threadwise.Blocking.BlockingApiInAsyncCodeAnalyzer>;

namespace Threadwise.Tests.Configuration;

public class InvalidOptionTests
{
    private const string Source = """
        namespace MyLib
        {
            public class Cache { public string Get(string key) => key; }
        }
        """;

    private const string NotAnId = "the entry is not a documentation-comment ID (M:Namespace.Type.Method(ParameterTypes) or T:Namespace.Type)";
    private const string Skipped = "the entry is skipped, the other entries apply";
    private const string BadDepth = "it must be a whole number from 1 to 8";
    private const string DefaultDepth = "the default 3 is used";

    private static DiagnosticResult Tw0001(string key, string value, string what, string then)
        => VerifyOption.Diagnostic(Descriptors.TW0001InvalidOption).WithNoLocation().WithArguments(key, value, what, then);

    [Fact]
    public Task ValidOptions_AreNotReported() => VerifyOption.AnalyzerWithConfigAsync(Source, """
        threadwise.excluded_apis = M:MyLib.Cache.Get(System.String), T:MyLib.Cache
        threadwise.blocking_apis = M:MyLib.Cache.Get(System.String)
        threadwise.concurrent_entry_points = T:MyLib.Cache
        threadwise.interprocedural_depth = 5
        """);

    [Fact]
    public Task NoOptions_NothingReported() => VerifyOption.AnalyzerAsync(Source);

    [Fact]
    public Task UnparsableDepth_IsReportedOnce() => VerifyOption.AnalyzerAsync(
        new[] { Source, "class Second { }", "class Third { }" },
        "threadwise.interprocedural_depth = lots",
        Tw0001("threadwise.interprocedural_depth", "lots", BadDepth, DefaultDepth));

    [Fact]
    public Task DepthOutOfRange_IsReported() => VerifyOption.AnalyzerWithConfigAsync(Source,
        "threadwise.interprocedural_depth = 0",
        Tw0001("threadwise.interprocedural_depth", "0", BadDepth, DefaultDepth));

    [Fact]
    public Task MalformedAndUnknownIds_AndEmptyList_AreReported() => VerifyOption.AnalyzerWithConfigAsync(Source, """
        threadwise.excluded_apis = MyLib.Cache.Get, M:MyLib.Cache.Missing, M:MyLib.Cache.Get(System.String)
        threadwise.blocking_apis =
        """,
        Tw0001("threadwise.excluded_apis", "MyLib.Cache.Get", NotAnId, Skipped),
        Tw0001("threadwise.excluded_apis", "M:MyLib.Cache.Missing", "it names no method or type of this compilation or its references", Skipped),
        Tw0001("threadwise.blocking_apis", "", "the list is empty", "nothing is added"));

    [Fact]
    public Task BadValues_DoNotStopTheRules_AndValidEntriesStillApply() => VerifyBlocking.AnalyzerWithConfigAsync("""
        using System.IO;
        using System.Threading.Tasks;

        class C
        {
            async Task M(string path)
            {
                File.ReadAllText(path);
                var bytes = {|#0:File.ReadAllBytes(path)|};
                await Task.Yield();
            }
        }
        """, """
        threadwise.excluded_apis = garbage, M:System.IO.File.ReadAllText(System.String)
        threadwise.interprocedural_depth = -3
        """,
        VerifyBlocking.Diagnostic(Descriptors.TW1004BlockingApiInAsyncCode).WithLocation(0)
            .WithArguments("File.ReadAllBytes", "async method 'M'", "; use 'await File.ReadAllBytesAsync' instead"));
}
