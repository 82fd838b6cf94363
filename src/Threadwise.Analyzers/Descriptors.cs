using Microsoft.CodeAnalysis;

namespace Threadwise;

/// <summary>Every diagnostic Threadwise reports, in one place.</summary>
internal static class Descriptors
{
    internal const string HelpLinkBase = RepositoryInfo.DocsUrl + "docs/rules/";

    internal static class Categories
    {
        public const string Configuration = "Threadwise.Configuration";
        public const string Blocking = "Threadwise.Blocking";
        public const string SharedState = "Threadwise.SharedState";
        public const string ThreadPool = "Threadwise.ThreadPool";
        public const string Joins = "Threadwise.Joins";
    }

    public static readonly DiagnosticDescriptor TW0001InvalidOption = Create(
        "TW0001",
        "Invalid Threadwise option",
        "Threadwise option '{0}' has an invalid value '{1}': {2}; {3}",
        Categories.Configuration,
        DiagnosticSeverity.Warning,
        "A threadwise.* option in .editorconfig or .globalconfig could not be used: a depth that is not a number from 1 to 8, an entry that is not a documentation-comment ID (M:... or T:...), an ID that names no method or type in the compilation, or an empty list. The option falls back to its default; analysis goes on.",
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor TW1001ThreadSleepInAsyncCode = Create(
        "TW1001",
        "Thread.Sleep in async code",
        "'Thread.Sleep' blocks a thread in {0}; use 'await Task.Delay' instead",
        Categories.Blocking,
        DiagnosticSeverity.Warning,
        "Thread.Sleep blocks the thread that runs the async code. The async caller cannot make progress, the thread cannot serve other work and, under a SynchronizationContext, the UI freezes. 'await Task.Delay' waits without holding a thread.");

    public static readonly DiagnosticDescriptor TW1002BlockingWaitInAsyncCode = Create(
        "TW1002",
        "Blocking wait on a task in async code",
        "'{0}' blocks a thread in {1} until the task completes; use 'await' instead",
        Categories.Blocking,
        DiagnosticSeverity.Warning,
        "Wait(), Result and GetAwaiter().GetResult() block the thread until the task completes. In async code that wastes the thread the async method was given, can deadlock under a SynchronizationContext, and wraps exceptions in AggregateException. 'await' waits without blocking.");

    public static readonly DiagnosticDescriptor TW1003WaitAllOrAnyInAsyncCode = Create(
        "TW1003",
        "Task.WaitAll or Task.WaitAny in async code",
        "'{0}' blocks a thread in {1}; use 'await {2}' instead",
        Categories.Blocking,
        DiagnosticSeverity.Warning,
        "Task.WaitAll and Task.WaitAny block the calling thread until the tasks complete. In async code, 'await Task.WhenAll' and 'await Task.WhenAny' wait for the same tasks without holding a thread.");

    public static readonly DiagnosticDescriptor TW1004BlockingApiInAsyncCode = Create(
        "TW1004",
        "Synchronous blocking API in async code",
        "'{0}' blocks a thread in {1}{2}",
        Categories.Blocking,
        DiagnosticSeverity.Warning,
        "A synchronous I/O or synchronization call blocks the thread that runs the async code. When the API has an awaitable twin (File.ReadAllTextAsync, Stream.ReadAsync, SemaphoreSlim.WaitAsync, Process.WaitForExitAsync, or a NameAsync method of your own), await it instead.");

    public static readonly DiagnosticDescriptor TW1005SyncOverAsync = Create(
        "TW1005",
        "Sync-over-async: blocking on a task in a synchronous method",
        "'{0}' blocks on a task in {1}; {2}",
        Categories.Blocking,
        DiagnosticSeverity.Info,
        "Blocking on a task from synchronous code (sync-over-async) deadlocks when the task needs the SynchronizationContext the caller holds, and occupies a pool thread for as long as the task runs. Make the method async and await the task, all the way up.");

    public static readonly DiagnosticDescriptor TW1006BlockingThroughHelper = Create(
        "TW1006",
        "Blocking through a helper in async code",
        "'{0}' blocks: {1}",
        Categories.Blocking,
        DiagnosticSeverity.Warning,
        "Async code calls a synchronous method of this compilation that blocks (sleeps, waits on a task, or calls blocking I/O), directly or through further helpers. The async caller blocks as surely as if it had made the blocking call itself. Make the helper async, or call the blocking API's async twin.");

    public static readonly DiagnosticDescriptor TW1007CancellationTokenNotForwarded = Create(
        "TW1007",
        "CancellationToken not forwarded",
        "'{0}' can take a cancellation token; pass '{1}' so it stops when the caller cancels",
        Categories.Blocking,
        DiagnosticSeverity.Info,
        "The method has a CancellationToken, and the call has an overload or optional parameter that takes one, but the token is not passed. When the caller cancels, this call keeps running (waiting, reading, retrying) until it finishes on its own. Pass the token; pass CancellationToken.None explicitly where the call must not be cancelled.");

    public static readonly DiagnosticDescriptor TW1008SyncDisposeOfAsyncDisposable = Create(
        "TW1008",
        "Synchronous dispose of an IAsyncDisposable in async code",
        "'{0}' implements IAsyncDisposable, but {1} disposes it synchronously in {2}; {3}",
        Categories.Blocking,
        DiagnosticSeverity.Warning,
        "A type that implements IAsyncDisposable does its cleanup I/O (flushing, closing a connection) in DisposeAsync; its Dispose has to do the same work by blocking, often through sync-over-async. In async code, await using or await DisposeAsync() does the cleanup without holding a thread.");

    public static readonly DiagnosticDescriptor TW2001NonAtomicUpdate = Create(
        "TW2001",
        "Non-atomic update of shared state in concurrent code",
        "'{0}' is read, changed and written back by several threads at once in code run by '{1}', so updates are lost; use Interlocked or a lock",
        Categories.SharedState,
        DiagnosticSeverity.Warning,
        "x++, x += e and x = x + e are three steps (read, compute, write). When delegates run concurrently, two threads read the same old value and one update is lost. Interlocked.Increment/Add do the three steps atomically; a lock serializes them.");

    public static readonly DiagnosticDescriptor TW2002UnsafeCollectionMutation = Create(
        "TW2002",
        "Non-thread-safe collection mutated in concurrent code",
        "'{0}' ({1}) is mutated by several threads at once in code run by '{2}'; use a concurrent collection or a lock",
        Categories.SharedState,
        DiagnosticSeverity.Warning,
        "List<T>, Dictionary<K,V>, HashSet<T>, Queue<T> and Stack<T> are not thread-safe: concurrent Add, Remove or indexer writes corrupt their internal state, lose items, or throw. Use ConcurrentBag, ConcurrentDictionary, ConcurrentQueue or ConcurrentStack, or guard every access with one lock.");

    public static readonly DiagnosticDescriptor TW2003InconsistentlySynchronizedField = Create(
        "TW2003",
        "Inconsistently synchronized field",
        "'{0}' is written under lock '{1}' in '{2}' but {3} without any lock here",
        Categories.SharedState,
        DiagnosticSeverity.Warning,
        "A field that is written while holding a lock in one member and without it in another is not protected by that lock at all: the unguarded write races with the guarded code. Take the same lock for every write.");

    public static readonly DiagnosticDescriptor TW2004LockOnUnsafeObject = Create(
        "TW2004",
        "Lock on an unsafe object",
        "Locking on {0} {1}; {2}",
        Categories.SharedState,
        DiagnosticSeverity.Warning,
        "A lock is only as private as its object. 'this', typeof(...), Type and Thread objects and strings (interned) can be locked by other code, causing deadlocks; a non-readonly field can be replaced between lock and unlock; a value type is boxed into a new object each time, and 'new object()' inline is never shared, so neither excludes anyone.");

    public static readonly DiagnosticDescriptor TW2005LockOrderInversion = Create(
        "TW2005",
        "Lock-order inversion",
        "'{0}' is taken while holding '{1}' here, but '{1}' is taken while holding '{0}' at {2}; two threads doing both can deadlock",
        Categories.SharedState,
        DiagnosticSeverity.Warning,
        "Two locks taken in one order in one place and in the opposite order in another can deadlock: each thread holds the lock the other waits for. Always take locks in one global order.",
        WellKnownDiagnosticTags.CompilationEnd);

    public static readonly DiagnosticDescriptor TW2006AcquireWithoutFinally = Create(
        "TW2006",
        "Acquire without release in finally",
        "'{0}' is released, but not in a finally block: an exception in between leaves it held forever",
        Categories.SharedState,
        DiagnosticSeverity.Warning,
        "Monitor.Enter, SemaphoreSlim.Wait/WaitAsync, ReaderWriterLockSlim.Enter*Lock and Mutex.WaitOne must be paired with a release in a finally block. If anything between acquire and release throws, the release never runs and every later acquirer blocks forever.");

    public static readonly DiagnosticDescriptor TW2007ThreadAffineLockAcrossAwait = Create(
        "TW2007",
        "Thread-affine lock held across await",
        "'{0}' is acquired before an await and released after it, but the code after the await may run on another thread where the release fails; use SemaphoreSlim.WaitAsync with try/finally",
        Categories.SharedState,
        DiagnosticSeverity.Warning,
        "Monitor, ReaderWriterLockSlim, Mutex and SpinLock belong to the thread that acquired them. After an await the method may resume on a different thread: releasing there throws SynchronizationLockException (or releases nothing), and the lock stays held. SemaphoreSlim has no thread affinity and supports WaitAsync.");

    public static readonly DiagnosticDescriptor TW3001LongRunningLoopOnThreadPool = Create(
        "TW3001",
        "Long-running loop on the thread pool",
        "The work item passed to '{0}' runs an unbounded loop and holds a thread-pool thread for good; run it with TaskCreationOptions.LongRunning",
        Categories.ThreadPool,
        DiagnosticSeverity.Warning,
        "The thread pool is sized for short work items. A loop that runs until shutdown (while (true), while (!token.IsCancellationRequested), while (_running)) keeps one pool thread forever; a few of them starve everything else that needs the pool. Task.Factory.StartNew with TaskCreationOptions.LongRunning gives the loop a dedicated thread.");

    public static readonly DiagnosticDescriptor TW3002BlockingInThreadPoolWorkItem = Create(
        "TW3002",
        "Blocking inside a thread-pool work item",
        "'{0}' blocks a thread-pool thread inside the '{1}' work item{2}",
        Categories.ThreadPool,
        DiagnosticSeverity.Warning,
        "A pool thread that sleeps or waits does no work, and the pool injects new threads only slowly, so blocking work items starve every other user of the pool (timers, async continuations, ASP.NET requests). Make the work item async and await, or run blocking work on a dedicated thread.");

    public static readonly DiagnosticDescriptor TW3003ParallelLoopInAsyncCode = Create(
        "TW3003",
        "Parallel loop in async code",
        "'{0}' blocks {1} until every iteration has finished; await Parallel.ForEachAsync or move the loop to Task.Run",
        Categories.ThreadPool,
        DiagnosticSeverity.Warning,
        "Parallel.For, Parallel.ForEach, Parallel.Invoke and PLINQ's ToList/ToArray/ForAll block the calling thread until the whole loop completes. Called from async code, that holds the async caller's thread (a UI thread, or a pool thread serving requests) for the duration. Await Parallel.ForEachAsync, or await Task.Run around the loop.");

    public static readonly DiagnosticDescriptor TW3004UnboundedThreadCreation = Create(
        "TW3004",
        "Unbounded thread creation",
        "A new thread is started for every iteration of this loop; use Parallel.ForEach with a bounded MaxDegreeOfParallelism",
        Categories.ThreadPool,
        DiagnosticSeverity.Info,
        "One thread per item costs about a megabyte of stack and a kernel thread each, and with enough items it exhausts memory or the OS thread limit, while two cores can run only two at a time. A parallel loop with MaxDegreeOfParallelism bounded to the processor count does the same work on a fixed set of threads.");

    public static readonly DiagnosticDescriptor TW4001ThreadNeverJoined = Create(
        "TW4001",
        "Thread started and never joined",
        "Thread '{0}' is started but never joined; join it before the method ends, or make it a background thread",
        Categories.Joins,
        DiagnosticSeverity.Warning,
        "A foreground thread whose work loops until it is stopped keeps the process alive when nothing stops it; threads fanned out over a collection and never joined let the method return before their work is done, and a method that reads what its thread computes reads it too early. Join the thread, hand it to someone who does, or make a worker IsBackground. Finite work started once is fire-and-forget by design and is not reported.");

    public static readonly DiagnosticDescriptor TW4002TaskDropped = Create(
        "TW4002",
        "Task dropped",
        "The {0} returned by '{1}' is dropped; await it, or assign it to '_' to show it is meant to run unobserved",
        Categories.Joins,
        DiagnosticSeverity.Warning,
        "A task that is neither awaited nor stored runs unobserved: its exceptions are lost, the caller goes on before it finishes, and nothing can wait for it at shutdown. Await it; if fire-and-forget is intended, say so with '_ = ...'.");

    public static readonly DiagnosticDescriptor TW4003TasksNeverAwaited = Create(
        "TW4003",
        "Tasks collected and never awaited",
        "Tasks are collected in '{0}' but never awaited; await Task.WhenAll({0})",
        Categories.Joins,
        DiagnosticSeverity.Warning,
        "Collecting started tasks in a list or array and then never awaiting them is the async form of starting threads and never joining them: failures vanish and the method returns before the work is done. Await Task.WhenAll over the collection.");

    public static readonly DiagnosticDescriptor TW4004AsyncVoidMethod = Create(
        "TW4004",
        "async void method",
        "'{0}' is async void: callers cannot await it and its exceptions crash the process; {1}",
        Categories.Joins,
        DiagnosticSeverity.Warning,
        "An async void method cannot be awaited, so callers go on before it finishes, and an exception thrown after its first await is raised on the SynchronizationContext or the thread pool, where it usually crashes the process. Only event handlers should be async void.");

    public static readonly DiagnosticDescriptor TW4005AsyncLambdaAsVoidDelegate = Create(
        "TW4005",
        "Async lambda passed as a void-returning delegate",
        "This async {0} becomes an async void '{1}': nobody waits for it and its exceptions crash the process; pass it where a Func<Task> is awaited (Task.WhenAll over Select, a foreach with await, Parallel.ForEachAsync)",
        Categories.Joins,
        DiagnosticSeverity.Warning,
        "An async lambda or async method group converted to a void-returning delegate (Action, ThreadStart, WaitCallback, ...) is async void: List<T>.ForEach and Parallel.ForEach return at its first await, before the work is done, and its exceptions are unobservable. Use an API that takes a Func returning a task (Parallel.ForEachAsync, Task.WhenAll over Select) or a foreach with await.");

    public static readonly DiagnosticDescriptor TW3005AsyncDelegateToStartNew = Create(
        "TW3005",
        "Async delegate given to Task.Factory.StartNew or new Task",
        "'{0}' wraps this async delegate in a Task<Task>: the outer task completes at the delegate's first await, so waiting for it does not wait for the work, and the work's exceptions are lost; call '.Unwrap()' or use 'Task.Run'",
        Categories.ThreadPool,
        DiagnosticSeverity.Warning,
        "Task.Factory.StartNew and the Task constructors know nothing of async delegates: given one, they return a Task<Task> whose outer task finishes as soon as the delegate reaches its first incomplete await. Awaiting or waiting for the outer task therefore does not wait for the work, and exceptions thrown after the first await stay in the inner task nobody observes. Task.Run unwraps async delegates; with StartNew, call .Unwrap().");

    public static readonly DiagnosticDescriptor TW3006CompletionSourceCompletedUnderLock = Create(
        "TW3006",
        "TaskCompletionSource completed under a lock without RunContinuationsAsynchronously",
        "'{0}' runs the continuations of '{1}' inline, on this thread, while lock '{2}' is held; create it with TaskCreationOptions.RunContinuationsAsynchronously",
        Categories.ThreadPool,
        DiagnosticSeverity.Info,
        "Completing a TaskCompletionSource runs the continuations of everyone awaiting its task synchronously, on the completing thread, unless it was created with TaskCreationOptions.RunContinuationsAsynchronously. Completed while a lock is held, that foreign code runs inside the lock: it can re-enter, take other locks in the wrong order and deadlock, or simply hold the lock for as long as it runs.");

    public static readonly DiagnosticDescriptor TW4006ProcessNeverWaited = Create(
        "TW4006",
        "Process started and never waited",
        "The process started here is never waited for or disposed; wait for it with 'WaitForExitAsync' or 'WaitForExit' and dispose it",
        Categories.Joins,
        DiagnosticSeverity.Warning,
        "A started process that is never waited for runs on unsupervised: its exit code and failures are never seen, it may outlive the parent, and its Process handle leaks until finalization. Dispose it and wait for it to exit.");

    public static readonly DiagnosticDescriptor TW4007TaskReturnedFromScope = Create(
        "TW4007",
        "Task returned from inside using or try/finally without await",
        "The task returned here outlives its {0}: {1} before the task completes; make '{2}' async and 'await' the task",
        Categories.Joins,
        DiagnosticSeverity.Warning,
        "A non-async method that returns a task from inside a using block or a try with a finally leaves that scope as soon as the task is created, not when it completes: the resource is disposed and the finally runs while the work is still running. Make the method async and await the task inside the scope.");

    public static readonly DiagnosticDescriptor TW4008ValueTaskMisuse = Create(
        "TW4008",
        "ValueTask consumed twice or read before it completes",
        "'{0}' {1}",
        Categories.Joins,
        DiagnosticSeverity.Warning,
        "A ValueTask may be backed by a pooled, reusable source: it may be awaited (or its result read) only once, and its result is defined only after it completes. A second await, or .Result / GetAwaiter().GetResult() before completion, can return another operation's result, throw, or hang. Call .AsTask() once and use the Task as often as needed, or await the ValueTask exactly once.");

    private static DiagnosticDescriptor Create(
        string id,
        string title,
        string messageFormat,
        string category,
        DiagnosticSeverity severity,
        string description,
        params string[] customTags)
        => new(
            id,
            title,
            messageFormat,
            category,
            severity,
            isEnabledByDefault: true,
            description: description,
            helpLinkUri: HelpLinkBase + id + ".md",
            customTags: customTags);
}
