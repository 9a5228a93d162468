using SyncModel.Coyote.Scenarios;
using SyncModel.Protocol.Checking;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Vocabulary;

namespace SyncModel.Coyote.Exploration;

/// <summary>The outcome of exploring one scenario.</summary>
public sealed record ExploreResult
{
    public required Scenario Scenario { get; init; }
    public required string Strategy { get; init; }
    public required uint Seed { get; init; }
    public required long Iterations { get; init; }
    public required double Seconds { get; init; }

    /// <summary><see cref="VerdictKind.NoViolation"/> (nothing found in the budget), <see cref="VerdictKind.Violated"/> or
    /// <see cref="VerdictKind.Incomplete"/> (interrupted).</summary>
    public required VerdictKind Verdict { get; init; }

    /// <summary>The broken property, if any.</summary>
    public PropertyId? Property { get; init; }

    /// <summary>Coyote's bug message.</summary>
    public string? Message { get; init; }

    /// <summary>1-based iteration that found the bug.</summary>
    public long? FirstBugIteration { get; init; }

    public double? SecondsToFirstBug { get; init; }

    /// <summary>The domain trace of the buggy iteration.</summary>
    public IReadOnlyList<TraceEvent> Trace { get; init; } = [];

    /// <summary>What the checker that caught the bug said (null for a deadlock, which Coyote's own detection finds).</summary>
    public Violation? Violation { get; init; }

    /// <summary>The failing thread's exception (type, message, stack) when a thread failure revealed the bug.</summary>
    public ThreadFailure? Failure { get; init; }

    /// <summary>How many engines explored in parallel (<see cref="Campaign"/>).</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Scheduling steps per iteration, averaged over the exploration.</summary>
    public long StepsPerIteration { get; init; }

    /// <summary>Coyote's reproducible trace (replay input).</summary>
    public string? ReproducibleTrace { get; init; }

    /// <summary>Bugs of other properties a <see cref="Explorer.Hunt"/> met (and restarted after) before this one.</summary>
    public IReadOnlyList<PropertyId> OtherBugs { get; init; } = [];

    public double IterationsPerSecond => Seconds > 0 ? Iterations / Seconds : 0;
}
