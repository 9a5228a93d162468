using System.Globalization;
using SyncModel.Coyote.Scenarios;
using SyncModel.Implementation.Guest;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;
using SyncModel.Protocol.Reports;
using SyncModel.Protocol.Vocabulary;

namespace SyncModel.Coyote.Exploration;

/// <summary>
/// Reports of violations found by exploration: the shared report (Markdown, JSON, HTML) plus Coyote's reproducible
/// schedule in a <c>.trace</c> file beside them (and the schedule first found, <c>.original.trace</c>, when minimization
/// shortened it). The JSON holds the whole scenario, so <c>replay</c> rebuilds exactly the run that was explored.
/// </summary>
public static class CoyoteReports
{
    /// <summary>The report of a violation (<paramref name="original"/>: the run first found, when <paramref name="r"/> is its minimization).</summary>
    public static Report ToReport(ExploreResult r, ExploreResult? original = null, string? replayPath = null)
    {
        var s = r.Scenario;
        var property = r.Property ?? PropertyId.NoUnexpectedFailure;
        var violation = r.Violation;
        var step = violation is { EventIndex: >= 0 } v ? v.EventIndex + 1 : (int?)null;
        var steps = ReportTrace.Build(r.Trace, s.Policy.Transport == Transport.Socket, step, violation?.Cells);
        return new Report
        {
            Title = $"{s.Policy.Name} (F={s.Flush}) violates {property}",
            Source = ReportSource.Coyote,
            Variant = s.Policy.Name,
            Property = property,
            Configuration = [.. Settings(s)],
            Seed = r.Seed.ToString(CultureInfo.InvariantCulture),
            Strategy = original is null
                ? $"Coyote {r.Strategy}, iteration {r.FirstBugIteration} of the exploration"
                : $"Coyote {r.Strategy}; found at iteration {original.FirstBugIteration} (seed {original.Seed}), then minimized: a smaller scenario and a bound on the schedule's steps, re-explored (seed {r.Seed})",
            Verdict = Verdict(original ?? r),
            Violation = violation?.Message ?? r.Message ?? "",
            ViolationStep = step,
            Failure = violation?.Failure ?? r.Failure,
            Workload = s.Workload.ToString(),
            Scenario = ToReportScenario(s),
            Steps = steps,
            Schedule = r.ReproducibleTrace is { } trace ? Explorer.ScheduleLength(trace) : null,
            Original = original is null ? null : new ReportOriginal(original.Trace.Count,
                original.ReproducibleTrace is { } ot ? Explorer.ScheduleLength(ot) : null,
                original.Scenario == s ? null : ToReportScenario(original.Scenario), original.Seed.ToString(CultureInfo.InvariantCulture)),
            ReplayCommand = $"syncmodel replay {replayPath ?? "REPORT.json"}",
            RerunCommand = RerunCommand(original ?? r),
            Notes =
            [
                $"Coyote: {r.Message}",
                "The trace is the production code's own events (Implementation), recorded while Coyote controlled every thread; Coyote's schedule is in the .trace file.",
            ],
        };
    }

    /// <summary>
    /// Writes the report (.md, .json, .html) and the Coyote schedule (.trace; .original.trace for the run first found) of a
    /// violation into <paramref name="directory"/>; returns the JSON path.
    /// </summary>
    public static string Write(ExploreResult r, string directory, ExploreResult? original = null)
    {
        var stem = ReportWriter.BaseName(ToReport(r, original));
        var json = Path.Combine(Path.GetFileName(Path.TrimEndingDirectorySeparator(directory)), stem + ".json");
        var report = ToReport(r, original, json);
        // The schedules first: a report whose .json exists always has its .trace beside it.
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllText(Path.Combine(directory, stem + ".trace"), r.ReproducibleTrace ?? "");
        if (original is not null) AtomicFile.WriteAllText(Path.Combine(directory, stem + ".original.trace"), original.ReproducibleTrace ?? "");
        return ReportWriter.Write(directory, report).JsonPath;
    }

    /// <summary>The exploration that finds it again: same scenario, strategy and seed, stopping at the bug's iteration.</summary>
    public static string RerunCommand(ExploreResult r)
    {
        var s = r.Scenario;
        return $"syncmodel explore --policy {s.Policy.Name} --flush-after-each-section {OnOff(s.Flush.Source)},{OnOff(s.Flush.Destination)} --channels {s.Config.Channels}"
            + $" --scenario {s.Kind}{(s.Config.LiveRounds == 1 ? "" : $" --rounds {s.Config.LiveRounds}")} --errors {ErrorSidesText.Format(s.Errors)}{(s.Config.Mutations == Mutation.None ? "" : $" --mutations {s.Config.Mutations.ToString().Replace(" ", "", StringComparison.Ordinal)}")}"
            + $" --strategy {r.Strategy} --seed {r.Seed} --iterations {r.FirstBugIteration ?? r.Iterations}"
            + (Scenario.IsDefaultShape(s) ? "" : "   (a minimized scenario: replay the report instead)");
    }

    public static string Verdict(ExploreResult r)
    {
        var s = r.Scenario;
        var what = r.Property is { } p ? PropertyCatalog.Of(p).Broken : r.Message ?? "a bug";
        return $"{s.Policy.Name} with F={s.Flush}, {s.Config.Channels} channel{(s.Config.Channels == 1 ? "" : "s")} ({s.Kind}{(s.Errors == ErrorSides.None ? "" : $", IO errors on {ErrorSidesText.Format(s.Errors)}")}): {what} — found by Coyote ({r.Strategy}, seed {r.Seed}) at iteration {r.FirstBugIteration}.";
    }

    public static IEnumerable<ReportSetting> Settings(Scenario s) =>
    [
        new("policy", s.Policy.Name),
        new("policy-summary", "policy summary", $"{s.Policy.Summary} (docs/protocol.md {s.Policy.Reference})"),
        new("flush-after-each-section", "F (multifd-flush-after-each-section, source,destination)", $"{OnOff(s.Flush.Source)},{OnOff(s.Flush.Destination)}"),
        new("channels", s.Config.Channels.ToString(CultureInfo.InvariantCulture)),
        new("scenario", s.Kind.ToString()),
        new("errors", "injected IO errors", ErrorSidesText.Format(s.Errors)),
        new("mutations", s.Config.Mutations.ToString()),
        new("live-rounds", "live rounds", s.Config.LiveRounds.ToString(CultureInfo.InvariantCulture)),
        new("blocks", string.Join(", ", s.Config.Blocks.Select(b => $"{b.Name} {b.UsedLength / s.Config.PageSize} pages"))),
        new("page-size", "page size", s.Config.PageSize.ToString(CultureInfo.InvariantCulture)),
        new("pages-per-batch", "pages per batch", s.Config.PagesPerBatch.ToString(CultureInfo.InvariantCulture)),
        new("recv-chunk-bytes", "recv chunk bytes", s.Config.LoadChunkBytes.ToString(CultureInfo.InvariantCulture)),
    ];

    private static string OnOff(bool b) => b ? "on" : "off";

    /// <summary>The scenario as the report stores it.</summary>
    public static ReportScenario ToReportScenario(Scenario s) => new()
    {
        Policy = s.Policy.Name,
        FlushSource = s.Flush.Source,
        FlushDestination = s.Flush.Destination,
        Channels = s.Config.Channels,
        Kind = s.Kind.ToString(),
        Errors = ErrorSidesText.Format(s.Errors),
        Mutations = s.Config.Mutations.ToString(),
        LiveRounds = s.Config.LiveRounds,
        PageSize = s.Config.PageSize,
        PagesPerBatch = s.Config.PagesPerBatch,
        LoadChunkBytes = s.Config.LoadChunkBytes,
        PagesPerIteration = s.Config.PagesPerIteration,
        Blocks = [.. s.Config.Blocks.Select(b => new ReportBlock(b.Name, b.UsedLength / s.Config.PageSize))],
        Initial = [.. s.Workload.Initial.Select(Write)],
        Rounds = [.. s.Workload.Rounds.Select(r => (IReadOnlyList<ReportWrite>)[.. r.Select(Write)])],
    };

    /// <summary>The scenario a report stores, rebuilt (the policy, shape, errors, mutations and the guest's writes).</summary>
    public static Scenario FromReportScenario(ReportScenario r)
    {
        var config = new MigrationConfig
        {
            Channels = r.Channels,
            PageSize = r.PageSize,
            Blocks = [.. r.Blocks.Select(b => new RamBlockSpec(b.Name, b.Pages * r.PageSize))],
            LiveRounds = r.LiveRounds,
            FlushAfterEachSection = new FlushSetting(r.FlushSource, r.FlushDestination),
            PagesPerBatch = r.PagesPerBatch,
            LoadChunkBytes = r.LoadChunkBytes,
            PagesPerIteration = r.PagesPerIteration,
            Mutations = Enum.Parse<Mutation>(r.Mutations),
        }.Validate();
        var workload = new Workload([.. r.Initial.Select(Write)], [.. r.Rounds.Select(round => (IReadOnlyList<PageWrite>)[.. round.Select(Write)])]);
        return new Scenario(SyncPolicies.Parse(r.Policy), config, Enum.Parse<ScenarioKind>(r.Kind), ErrorSidesText.Parse(r.Errors), workload).Validate();
    }

    private static ReportWrite Write(PageWrite w) => new(w.Block, w.Page, w.Fill.Zero ? "zeros" : $"data:{w.Fill.Seed.ToString(CultureInfo.InvariantCulture)}");

    private static PageWrite Write(ReportWrite w) => new(w.Block, w.Page, w.Fill == "zeros"
        ? PageFill.Zeros
        : w.Fill.StartsWith("data:", StringComparison.Ordinal) && uint.TryParse(w.Fill.AsSpan(5), NumberStyles.None, CultureInfo.InvariantCulture, out var seed)
            ? PageFill.Data(seed)
            : throw new FormatException($"page fill '{w.Fill}': expected zeros or data:N"));

    /// <summary>Reads a report written by <see cref="Write"/>: the scenario, Coyote's schedule (the original one when asked),
    /// the property and the steps' event texts.</summary>
    public static (Scenario Scenario, string Trace, PropertyId Property, IReadOnlyList<string> Steps) Read(string jsonPath, bool original = false)
    {
        var report = ReportJson.Parse(File.ReadAllText(jsonPath), jsonPath);
        if (report.Source != ReportSource.Coyote || report.Scenario is null)
            throw new FormatException($"{jsonPath}: a report of the model; only exploration reports can be replayed (rerun: {report.ReplayCommand})");
        var scenario = FromReportScenario(original && report.Original?.Scenario is { } os ? os : report.Scenario);
        var tracePath = Path.ChangeExtension(jsonPath, original ? ".original.trace" : ".trace");
        if (!File.Exists(tracePath))
            throw new FileNotFoundException(original ? $"{tracePath}: this report was not minimized, or its original schedule is missing" : $"{tracePath}: Coyote's schedule for this report is missing");
        IReadOnlyList<string> steps = original ? [] : [.. report.Steps.Select(x => ReportRenderer.EventText(x.Event))];
        return (scenario, File.ReadAllText(tracePath), report.Property, steps);
    }
}
