using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Reports;

namespace SyncModel.Model;

/// <summary>What one <see cref="ModelChecker.Check"/> found, with the search's figures.</summary>
public sealed record ModelCheckResult
{
    public required ModelCheckOptions Options { get; init; }

    /// <summary>The policy's preset name.</summary>
    public string Policy => Options.Policy.Name;

    /// <summary>F per side.</summary>
    public FlushSetting FlushAfterEachSection => Options.FlushSetting;

    /// <summary>Which side's IO could fail.</summary>
    public ErrorSides Errors => Options.Errors;

    public required Verdict Verdict { get; init; }

    /// <summary>The violated property: a <see cref="PropertyId"/> name or "NoDeadlock"; null unless violated.</summary>
    public string? Property { get; init; }

    /// <summary>The requirement's sentence (from docs/design.md / docs/protocol.md), when violated.</summary>
    public string? Quote { get; init; }

    /// <summary>The verdict in one sentence.</summary>
    public required string Sentence { get; init; }

    /// <summary>Whether the reachable state space was enumerated completely.</summary>
    public bool Closed { get; init; }

    /// <summary>Distinct states reached (after the symmetry reduction, when on).</summary>
    public int States { get; init; }

    /// <summary>Transitions evaluated.</summary>
    public long Transitions { get; init; }

    /// <summary>Breadth-first depth reached (the length of the longest shortest path; a counterexample's length when violated).</summary>
    public int Depth { get; init; }

    public double StatesPerSecond { get; init; }

    /// <summary>The largest process working set sampled during the search, in bytes.</summary>
    public long PeakMemoryBytes { get; init; }

    public TimeSpan Elapsed { get; init; }

    /// <summary>The counterexample as events, in order (empty unless violated).</summary>
    public IReadOnlyList<TraceEvent> Counterexample { get; init; } = [];

    /// <summary>The counterexample's rows: step number, event, and what the step changed.</summary>
    public IReadOnlyList<ReportStep> Steps { get; init; } = [];

    /// <summary>Remarks: for a deadlock, what every thread is blocked on; what the configuration bounds.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>CsCheck's own report of the search (closure line, requirement and action coverage), when it ran.</summary>
    public string? Coverage { get; init; }

    /// <summary>"holds", "violated", "incomplete" or "not-modelled".</summary>
    public string VerdictText => Verdict switch
    {
        Verdict.Holds => "holds",
        Verdict.Violated => "violated",
        Verdict.Incomplete => "incomplete",
        _ => "not-modelled",
    };
}
