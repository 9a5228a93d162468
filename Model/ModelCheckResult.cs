using SyncModel.Protocol.Vocabulary;
using SyncModel.Model.Checking.Engine;
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

    public required VerdictKind Verdict { get; init; }

    /// <summary>The violated property: a <see cref="PropertyId"/> name or "NoDeadlock"; null unless violated.</summary>
    public string? Property { get; init; }

    /// <summary>The requirement's sentence (from docs/design.md / docs/protocol.md), when violated.</summary>
    public string? Quote { get; init; }

    /// <summary>The verdict in one sentence.</summary>
    public required string Sentence { get; init; }

    /// <summary>Whether the reachable state space was enumerated completely.</summary>
    public bool Closed { get; init; }

    /// <summary>Distinct states reached (after the reductions that are on).</summary>
    public long States { get; init; }

    /// <summary>Transitions evaluated.</summary>
    public long Transitions { get; init; }

    /// <summary>Breadth-first depth reached (the length of the longest shortest path; a counterexample's length when violated).</summary>
    public int Depth { get; init; }

    public double StatesPerSecond { get; init; }

    /// <summary>The largest process working set sampled during the search, in bytes.</summary>
    public long PeakMemoryBytes { get; init; }

    /// <summary>The visited set's size at its largest (own engine only), in bytes.</summary>
    public long StoreBytes { get; init; }

    /// <summary>Bytes the visited set holds per stored state (own engine only; 0 for CsCheck).</summary>
    public double BytesPerState => States > 0 && StoreBytes > 0 ? (double)StoreBytes / States : 0;

    /// <summary>Why the search ended.</summary>
    public StopReason Stop { get; init; }

    /// <summary>What grew the state space, when <see cref="ModelCheckOptions.Profile"/> was on.</summary>
    public SearchProfile? Profile { get; init; }

    /// <summary>Set when the search's counterexample is not a run of the unreduced model (the guest abstraction
    /// over-approximates): why. <see cref="ModelChecker.Check"/> then checks again without the abstraction.</summary>
    internal string? ReplayFailure { get; init; }

    public TimeSpan Elapsed { get; init; }

    /// <summary>The counterexample as events, in order (empty unless violated).</summary>
    public IReadOnlyList<TraceEvent> Counterexample { get; init; } = [];

    /// <summary>The counterexample as the unreduced model's steps (action name, argument with real channel numbers),
    /// as it was replayed before it was reported (empty unless violated).</summary>
    internal IReadOnlyList<(string Action, int Arg)> Run { get; init; } = [];

    /// <summary>The counterexample's rows: step number, event, and what the step changed.</summary>
    public IReadOnlyList<ReportStep> Steps { get; init; } = [];

    /// <summary>Remarks: for a deadlock, what every thread is blocked on; what the configuration bounds.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>CsCheck's own report of the search (closure line, requirement and action coverage), when it ran.</summary>
    public string? Coverage { get; init; }

    /// <summary>"proved", "violated", "incomplete" or "not-modelled".</summary>
    public string VerdictText => Verdict.Id();
}
