using SyncModel.Coyote.Scenarios;
using SyncModel.Protocol.Events;

namespace SyncModel.Coyote.Exploration;

/// <summary>The outcome of exploring one scenario.</summary>
public sealed record ExploreResult
{
    public required Scenario Scenario { get; init; }
    public required string Strategy { get; init; }
    public required uint Seed { get; init; }
    public required long Iterations { get; init; }
    public required double Seconds { get; init; }

    /// <summary>Coyote found no violation within its budget: a bounded search, never a proof (the model's verdict is "proved").</summary>
    public const string NoViolation = "no-violation";

    /// <summary>A property broke in some iteration.</summary>
    public const string Violated = "violated";

    /// <summary>Interrupted (Ctrl+C) before its budget was spent, with nothing found: no statement at all.</summary>
    public const string Incomplete = "incomplete";

    /// <summary><see cref="NoViolation"/> (nothing found in the budget), <see cref="Violated"/> or <see cref="Incomplete"/>.</summary>
    public required string Verdict { get; init; }

    /// <summary>The broken property's name (a PropertyId or NoDeadlock), if any.</summary>
    public string? Property { get; init; }

    /// <summary>Coyote's bug message.</summary>
    public string? Message { get; init; }

    /// <summary>1-based iteration that found the bug.</summary>
    public long? FirstBugIteration { get; init; }

    public double? SecondsToFirstBug { get; init; }

    /// <summary>The domain trace of the buggy iteration.</summary>
    public IReadOnlyList<TraceEvent> Trace { get; init; } = [];

    /// <summary>The failing thread's exception (type, message, stack) when a thread failure revealed the bug.</summary>
    public ThreadFailure? Failure { get; init; }

    /// <summary>How many engines explored in parallel (<see cref="Campaign"/>).</summary>
    public int Workers { get; init; } = 1;

    /// <summary>Scheduling steps per iteration, averaged over the exploration.</summary>
    public long StepsPerIteration { get; init; }

    /// <summary>Coyote's reproducible trace (replay input).</summary>
    public string? ReproducibleTrace { get; init; }

    /// <summary>Bugs of other properties a <see cref="Explorer.Hunt"/> met (and restarted after) before this one.</summary>
    public IReadOnlyList<string> OtherBugs { get; init; } = [];

    public double IterationsPerSecond => Seconds > 0 ? Iterations / Seconds : 0;
}
