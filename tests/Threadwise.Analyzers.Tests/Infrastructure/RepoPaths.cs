namespace Threadwise.Tests.Infrastructure;

/// <summary>Paths in the repository the tests read (docs, samples, release tracking).</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string UnfixedSamples => Path.Combine(Root, "samples", "Threadwise.Samples.Unfixed");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Analyzers.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("Analyzers.sln not found above " + AppContext.BaseDirectory);
    }
}
