using Microsoft.CodeAnalysis;

namespace Threadwise;

/// <summary>Every diagnostic Threadwise reports, in one place.</summary>
internal static class Descriptors
{
    internal const string HelpLinkBase = "https://github.com/threadwise/Threadwise/blob/main/docs/rules/";

    internal static class Categories
    {
        public const string Blocking = "Threadwise.Blocking";
        public const string SharedState = "Threadwise.SharedState";
        public const string ThreadPool = "Threadwise.ThreadPool";
        public const string Joins = "Threadwise.Joins";
    }

    public static readonly DiagnosticDescriptor TW1001ThreadSleepInAsyncCode = Create(
        "TW1001",
        "Thread.Sleep in async code",
        "'Thread.Sleep' blocks a thread in {0}; use 'await Task.Delay' instead",
        Categories.Blocking,
        DiagnosticSeverity.Warning,
        "Thread.Sleep blocks the thread that runs the async code. The async caller cannot make progress, the thread cannot serve other work and, under a SynchronizationContext, the UI freezes. 'await Task.Delay' waits without holding a thread.");

    private static DiagnosticDescriptor Create(
        string id,
        string title,
        string messageFormat,
        string category,
        DiagnosticSeverity severity,
        string description)
        => new(
            id,
            title,
            messageFormat,
            category,
            severity,
            isEnabledByDefault: true,
            description: description,
            helpLinkUri: HelpLinkBase + id + ".md");
}
