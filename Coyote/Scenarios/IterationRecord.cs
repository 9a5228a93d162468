using SyncModel.Protocol.Checking;
using SyncModel.Protocol.Events;

namespace SyncModel.Coyote.Scenarios;

/// <summary>
/// Where an engine finds the monitor of its iteration in progress (its events, failures and violation). Each engine owns
/// one, so several engines can explore in one process.
/// </summary>
public sealed class IterationRecord
{
    private TraceMonitor? _monitor;

    /// <summary>Called by <see cref="ScenarioRun.Iteration"/> when an iteration starts.</summary>
    public void Begin(TraceMonitor monitor) => Volatile.Write(ref _monitor, monitor);

    /// <summary>The monitor of the latest iteration, if one started.</summary>
    public TraceMonitor? Monitor => Volatile.Read(ref _monitor);

    /// <summary>The latest iteration's events (empty before the first).</summary>
    public IReadOnlyList<TraceEvent> Events => Monitor?.Events ?? [];
}
