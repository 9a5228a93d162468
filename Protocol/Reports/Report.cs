using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Reports;

/// <summary>
/// What a reviewer reads about one found violation (docs/design.md "Reports"), independent of who found it: the Model's
/// exhaustive checker or a Coyote run. <see cref="ReportRenderer"/> turns it into Markdown and JSON;
/// <see cref="ReportWriter"/> puts both under <c>reports/</c>.
/// </summary>
public sealed record Report
{
    /// <summary>One line, e.g. "fixed-ram-v4 (F=on) violates DrainBeforeCleanup".</summary>
    public required string Title { get; init; }

    /// <summary>The variant (policy preset name) the run was about; the first part of the file name.</summary>
    public required string Variant { get; init; }

    /// <summary>The violated property (a <see cref="PropertyId"/> name, or "NoDeadlock").</summary>
    public required string Property { get; init; }

    /// <summary>Everything needed to rerun it, in display order (policy, F per side, channels, pages, ...).</summary>
    public required IReadOnlyList<ReportSetting> Configuration { get; init; }

    /// <summary>The seed of a random run (Coyote); null for an exhaustive search.</summary>
    public string? Seed { get; init; }

    /// <summary>The exploration strategy ("exhaustive breadth-first", "PCT(2)", ...).</summary>
    public string? Strategy { get; init; }

    /// <summary>The verdict in one sentence.</summary>
    public required string Verdict { get; init; }

    /// <summary>The smallest workload that shows it, in words.</summary>
    public required string Workload { get; init; }

    /// <summary>The domain trace, in order.</summary>
    public required IReadOnlyList<ReportStep> Steps { get; init; }

    /// <summary>The one command that reruns it.</summary>
    public required string ReplayCommand { get; init; }

    /// <summary>The threads of the run, one lifeline each in the sequence diagram; empty = the actors seen in <see cref="Steps"/>.</summary>
    public IReadOnlyList<Actor> Participants { get; init; } = [];

    /// <summary>Further remarks (what the state was at the end, what is assumed), rendered after the verdict.</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];
}
