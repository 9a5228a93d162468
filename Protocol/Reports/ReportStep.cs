using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Reports;

/// <summary>
/// One row of a report's trace. Several rows may share an <paramref name="Index"/> when one step of the run did
/// several things (a model step that parses stream records before it queues a chunk, for instance).
/// </summary>
/// <param name="Index">The step number, from 1.</param>
/// <param name="Event">What happened; its <see cref="TraceEvent.Actor"/> is the thread that did it.</param>
/// <param name="WhatChanged">The state the step changed, in words; empty when nothing visible changed.</param>
public readonly record struct ReportStep(int Index, TraceEvent Event, string WhatChanged)
{
    /// <summary>The state cells the step changed, with their new values (<see cref="TraceState"/>).</summary>
    public IReadOnlyList<StateChange> Changes { get; init; } = [];

    /// <summary>Whether the violation depends on this step (<see cref="CausalSlice"/>).</summary>
    public bool InSlice { get; init; }
}
