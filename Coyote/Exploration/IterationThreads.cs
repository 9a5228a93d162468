using System.Collections.Concurrent;
using System.Reflection;

namespace SyncModel.Coyote.Exploration;

/// <summary>
/// Keeps an iteration's Coyote runtime alive until every thread it ran has ended.
/// </summary>
/// <remarks>
/// <para>When an iteration ends early (a bug, a deadlock, the step bound), Coyote 1.7.11 marks every paused operation
/// completed and interrupts its thread, and the engine disposes the runtime as soon as its end-of-iteration callbacks
/// return. A thread that had just handed the schedule on and not yet parked in its wait (the OS can preempt it between
/// the two, and a loaded 2-core machine does) then finds its wait handle disposed, swallows the
/// <see cref="ObjectDisposedException"/> (ControlledOperation.WaitSignal), and returns to the loop of Coyote's
/// SemaphoreSlim wrapper, which no longer blocks: the loop queues the operation on every turn, for ever. CI's test host
/// was killed at 24 GiB so, with such a thread in <c>multifd_send_sync_main</c>'s wait.</para>
/// <para>Joining the iteration's threads from the end-of-iteration callback, before the engine disposes anything, lets
/// such a thread reach its wait, where the pending interrupt unwinds it. The runtime's thread table is internal to
/// Coyote, so it is read by reflection; <see cref="Capture"/> fails loudly if Coyote's internals change.</para>
/// </remarks>
internal sealed class IterationThreads
{
    private static readonly Type RuntimeType = Type.GetType("Microsoft.Coyote.Runtime.CoyoteRuntime, Microsoft.Coyote", throwOnError: true)!;

    private static readonly PropertyInfo Current = RuntimeType.GetProperty("Current", BindingFlags.NonPublic | BindingFlags.Static)
        ?? throw Changed("CoyoteRuntime.Current");

    private static readonly FieldInfo ThreadPool = RuntimeType.GetField("ThreadPool", BindingFlags.NonPublic | BindingFlags.Instance)
        ?? throw Changed("CoyoteRuntime.ThreadPool");

    private ConcurrentDictionary<ulong, Thread>? _threads;

    /// <summary>How long the threads of an ended iteration may take to leave; they need microseconds.</summary>
    public static readonly TimeSpan Limit = TimeSpan.FromSeconds(30);

    /// <summary>Records the running iteration's runtime; call it on the iteration's first controlled thread.</summary>
    public void Capture()
    {
        var runtime = Current.GetValue(null) ?? throw Changed("no current Coyote runtime");
        _threads = ThreadPool.GetValue(runtime) as ConcurrentDictionary<ulong, Thread> ?? throw Changed("CoyoteRuntime.ThreadPool's type");
    }

    /// <summary>Waits until every thread of the captured iteration has ended; throws, naming them, when some are still running
    /// after <paramref name="limit"/>: their operations may go on outside Coyote's control, so nothing after may be trusted.</summary>
    public void AwaitEnd(TimeSpan limit)
    {
        var threads = _threads;
        _threads = null;
        if (threads is null) return;
        var watch = System.Diagnostics.Stopwatch.StartNew();
        var alive = new List<Thread>();
        foreach (var thread in threads.Values)
        {
            if (thread == Thread.CurrentThread || (thread.ThreadState & ThreadState.Unstarted) != 0) continue;
            var left = limit - watch.Elapsed;
            if (!thread.Join(left > TimeSpan.Zero ? left : TimeSpan.Zero)) alive.Add(thread);
        }
        if (alive.Count > 0)
        {
            throw new InvalidOperationException(
                $"{alive.Count} thread(s) of a Coyote iteration were still running {limit.TotalSeconds:F0} s after it ended "
                + $"(managed ids {string.Join(", ", alive.Select(t => t.ManagedThreadId))}): they run outside Coyote's control, so this exploration has no verdict");
        }
    }

    private static InvalidOperationException Changed(string what) =>
        new($"Coyote's internals are not what SyncModel relies on ({what}); see Coyote/Exploration/IterationThreads.cs");
}
