using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Reports;

/// <summary>
/// What a reviewer reads about one found violation (docs/design.md "Reports"), independent of who found it: the Model's
/// exhaustive checker or a Coyote run. <see cref="ReportRenderer"/> turns it into Markdown, <see cref="ReportJson"/> into the
/// JSON of <c>docs/report.schema.json</c> (and back), <see cref="ReportHtml"/> into a page; <see cref="ReportWriter"/> writes them.
/// </summary>
public sealed record Report
{
    /// <summary>The JSON schema version this record is written as (<c>schemaVersion</c>).</summary>
    public const int SchemaVersion = 2;

    /// <summary>One line, e.g. "fixed-ram-v4 (F=on) violates DrainBeforeCleanup".</summary>
    public required string Title { get; init; }

    /// <summary>Who found it.</summary>
    public required ReportSource Source { get; init; }

    /// <summary>The variant (policy preset name) the run was about; the first part of the file name.</summary>
    public required string Variant { get; init; }

    /// <summary>The violated property.</summary>
    public required PropertyId Property { get; init; }

    /// <summary>Everything that shaped the run, in display order (policy, F per side, channels, pages, ...).</summary>
    public required IReadOnlyList<ReportSetting> Configuration { get; init; }

    /// <summary>The seed of a random run (Coyote); null for an exhaustive search.</summary>
    public string? Seed { get; init; }

    /// <summary>The exploration strategy ("exhaustive breadth-first", "Coyote pct", ...).</summary>
    public string? Strategy { get; init; }

    /// <summary>The verdict in one sentence.</summary>
    public required string Verdict { get; init; }

    /// <summary>What the checker said when the property broke.</summary>
    public required string Violation { get; init; }

    /// <summary>The step (from 1) at which the property broke; null when it broke at the end of the run (a hang, the file).</summary>
    public int? ViolationStep { get; init; }

    /// <summary>The failing thread's exception, when a thread failure revealed the violation.</summary>
    public ThreadFailure? Failure { get; init; }

    /// <summary>The smallest workload that shows it, in words.</summary>
    public required string Workload { get; init; }

    /// <summary>The scenario, complete enough to run it again (Coyote reports); null for the model's.</summary>
    public ReportScenario? Scenario { get; init; }

    /// <summary>The domain trace, in order, each step with its state changes and whether the violation depends on it.</summary>
    public required IReadOnlyList<ReportStep> Steps { get; init; }

    /// <summary>Coyote's scheduling decisions in the recorded schedule (the <c>.trace</c>); null for the model.</summary>
    public int? Schedule { get; init; }

    /// <summary>Before minimization: the length (steps) and scenario of the run first found, when it was shortened.</summary>
    public ReportOriginal? Original { get; init; }

    /// <summary>The one command that reruns it (replay for Coyote, check for the model).</summary>
    public required string ReplayCommand { get; init; }

    /// <summary>The command that finds it again from scratch (explore with its strategy and seed), if another.</summary>
    public string? RerunCommand { get; init; }

    /// <summary>The threads of the run, one lifeline each; empty = the actors seen in <see cref="Steps"/>.</summary>
    public IReadOnlyList<Actor> Participants { get; init; } = [];

    /// <summary>Further remarks (what the state was at the end, what is assumed), rendered after the verdict.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    /// <summary>The day the report was made (UTC).</summary>
    public DateOnly Created { get; init; } = DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>The steps of the causal slice, in order.</summary>
    public IEnumerable<ReportStep> Slice => Steps.Where(s => s.InSlice);
}

/// <summary>Who found a violation.</summary>
public enum ReportSource
{
    /// <summary>Coyote over the production Implementation.</summary>
    Coyote,

    /// <summary>The model's exhaustive search.</summary>
    Model,
}

/// <summary>The run first found, before minimization shortened it.</summary>
/// <param name="Steps">Its trace's length.</param>
/// <param name="Schedule">Its schedule's scheduling decisions (Coyote).</param>
/// <param name="Scenario">Its scenario, when minimization changed the scenario.</param>
/// <param name="Seed">Its seed.</param>
public sealed record ReportOriginal(int Steps, int? Schedule, ReportScenario? Scenario, string? Seed);
