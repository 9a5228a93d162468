using System.Text.Json;
using SyncModel.Coyote.Scenarios;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;
using SyncModel.Protocol.Reports;

namespace SyncModel.Coyote.Exploration;

/// <summary>
/// Reports of violations found by exploration: the shared Markdown/JSON renderer plus Coyote's reproducible
/// schedule in a <c>.trace</c> file beside them. The JSON's configuration holds everything <c>replay</c> needs.
/// </summary>
public static class CoyoteReports
{
    /// <summary>The report, without the replay note (which needs the file name; see <see cref="Write"/>).</summary>
    public static Report ToReport(ExploreResult r)
    {
        var s = r.Scenario;
        var steps = TraceNarrator.Narrate(r.Trace, packets: s.Policy.Transport == Transport.Socket);
        return new Report
        {
            Title = $"{s.Policy.Name} (F={s.Flush}) violates {r.Property}",
            Variant = s.Policy.Name,
            Property = r.Property ?? "unknown",
            Configuration = Settings(s).ToArray(),
            Seed = r.Seed.ToString(System.Globalization.CultureInfo.InvariantCulture),
            Strategy = $"Coyote {r.Strategy}, iteration {r.FirstBugIteration} of the exploration",
            Verdict = Verdict(r),
            Workload = s.Workload.ToString(),
            Steps = steps,
            ReplayCommand = RerunCommand(r),
            Notes = [$"Coyote: {r.Message}", "The trace is the production code's own events (Implementation), recorded while Coyote controlled every thread; Coyote's schedule is in the .trace file."],
        };
    }

    /// <summary>
    /// Writes the .md, .json and the Coyote .trace (same name) of a violation into <paramref name="directory"/>;
    /// returns the JSON path.
    /// </summary>
    public static string Write(ExploreResult r, string directory)
    {
        var report = ToReport(r);
        var stem = ReportWriter.BaseName(report);
        var json = Path.Combine(Path.GetFileName(Path.TrimEndingDirectorySeparator(directory)), stem + ".json");
        report = report with { Notes = [.. report.Notes, $"Replay Coyote's recorded schedule and print the same trace: `syncmodel replay {json}`."] };
        // The schedule first: a report whose .json exists always has its .trace beside it.
        Directory.CreateDirectory(directory);
        AtomicFile.WriteAllText(Path.Combine(directory, stem + ".trace"), r.ReproducibleTrace ?? "");
        return ReportWriter.Write(directory, report).JsonPath;
    }

    /// <summary>The exploration that finds it again: same scenario, strategy and seed, stopping at the bug's iteration.</summary>
    public static string RerunCommand(ExploreResult r)
    {
        var s = r.Scenario;
        return $"syncmodel explore --policy {s.Policy.Name} --flush-after-each-section {OnOff(s.Flush.Source)},{OnOff(s.Flush.Destination)} --channels {s.Config.Channels}"
            + $" --scenario {s.Kind}{(s.Config.LiveRounds == 1 ? "" : $" --rounds {s.Config.LiveRounds}")} --errors {ErrorSidesText.Format(s.Errors)}{(s.Config.Mutations == Mutation.None ? "" : $" --mutations {s.Config.Mutations.ToString().Replace(" ", "", StringComparison.Ordinal)}")}"
            + $" --strategy {r.Strategy} --seed {r.Seed} --iterations {r.FirstBugIteration ?? r.Iterations}";
    }

    public static string Verdict(ExploreResult r)
    {
        var s = r.Scenario;
        var what = r.Property switch
        {
            nameof(PropertyId.DrainBeforeCleanup) => "the destination cleans up or starts the VM while a recv chunk is still queued or being read",
            nameof(PropertyId.NoDeadlock) => "the run deadlocks: every thread waits for a post that never comes",
            nameof(PropertyId.NoStalePage) => "the file ends with a page slot or bitmap bit that does not match the guest's newest contents",
            nameof(PropertyId.SendDrainBeforeBitmap) => "the source writes or frees the file bitmap while a batch is still pending or being written",
            nameof(PropertyId.RoundTrip) => "the restored RAM differs from the guest as of completion",
            nameof(PropertyId.SemaphoreAccounting) => "a semaphore post does not match one job or one sync",
            nameof(PropertyId.ErrorSurfaces) => "a channel failed but the migration reported success",
            _ => r.Message ?? "a bug",
        };
        return $"{s.Policy.Name} with F={s.Flush}, {s.Config.Channels} channel{(s.Config.Channels == 1 ? "" : "s")} ({s.Kind}{(s.Errors == ErrorSides.None ? "" : $", IO errors on {ErrorSidesText.Format(s.Errors)}")}): {what} — found by Coyote ({r.Strategy}, seed {r.Seed}) at iteration {r.FirstBugIteration}.";
    }

    public static IEnumerable<ReportSetting> Settings(Scenario s) =>
    [
        new("policy", s.Policy.Name),
        new("policy summary", $"{s.Policy.Summary} (docs/protocol.md {s.Policy.Reference})"),
        new("flush-after-each-section", $"{OnOff(s.Flush.Source)},{OnOff(s.Flush.Destination)}"),
        new("channels", s.Config.Channels.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("scenario", s.Kind.ToString()),
        new("errors", ErrorSidesText.Format(s.Errors)),
        new("mutations", s.Config.Mutations.ToString()),
        new("live rounds", s.Config.LiveRounds.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("blocks", string.Join(", ", s.Config.Blocks.Select(b => $"{b.Name} {b.UsedLength / s.Config.PageSize} pages"))),
        new("page size", s.Config.PageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("pages per batch", s.Config.PagesPerBatch.ToString(System.Globalization.CultureInfo.InvariantCulture)),
        new("recv chunk bytes", s.Config.LoadChunkBytes.ToString(System.Globalization.CultureInfo.InvariantCulture)),
    ];

    private static string OnOff(bool b) => b ? "on" : "off";

    /// <summary>The settings that shape a scenario beyond what <see cref="Read"/> reads: they must be the default small scenario's.</summary>
    private static readonly string[] ShapeSettings = ["blocks", "page size", "pages per batch", "recv chunk bytes"];

    /// <summary>
    /// <see cref="Read"/> rebuilds <see cref="Scenario.Small"/>; a report of another scenario (a generated workload,
    /// other blocks) would replay a different run. Refuse it by name rather than report the schedule as not reproduced.
    /// </summary>
    private static void RequireDefaultShape(string jsonPath, JsonElement cfg, Scenario scenario)
    {
        var expected = Settings(scenario).ToDictionary(x => x.Key, x => x.Value, StringComparer.Ordinal);
        foreach (var setting in cfg.EnumerateObject())
        {
            if (!expected.TryGetValue(setting.Name, out var value))
                throw new FormatException($"{jsonPath}: the report's setting '{setting.Name}' is not one replay can rebuild: it replays only the default small scenario; rerun the report's replay command instead");
            if (ShapeSettings.Contains(setting.Name) && setting.Value.GetString() != value)
                throw new FormatException($"{jsonPath}: the report's {setting.Name} is '{setting.Value.GetString()}', the default small scenario's is '{value}': replay rebuilds only that scenario; rerun the report's replay command instead");
        }
    }

    /// <summary>Reads a report written by <see cref="Write"/>: the scenario and Coyote's schedule.</summary>
    public static (Scenario Scenario, string Trace, string Property, IReadOnlyList<string> Steps) Read(string jsonPath)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(jsonPath));
        var root = doc.RootElement;
        var cfg = root.GetProperty("configuration");
        string Get(string key) => cfg.TryGetProperty(key, out var v) ? v.GetString() ?? "" : throw new FormatException($"{jsonPath}: the report has no '{key}' setting; only exploration reports can be replayed");
        var scenario = Scenario.Small(
            SyncPolicies.Parse(Get("policy")),
            FlushSetting.Parse(Get("flush-after-each-section")),
            int.Parse(Get("channels"), System.Globalization.CultureInfo.InvariantCulture),
            Enum.Parse<ScenarioKind>(Get("scenario")),
            ErrorSidesText.Parse(Get("errors")),
            Enum.Parse<Mutation>(Get("mutations")),
            int.Parse(Get("live rounds"), System.Globalization.CultureInfo.InvariantCulture));
        RequireDefaultShape(jsonPath, cfg, scenario);
        var tracePath = Path.ChangeExtension(jsonPath, ".trace");
        if (!File.Exists(tracePath)) throw new FileNotFoundException($"{tracePath}: Coyote's schedule for this report is missing");
        var steps = root.GetProperty("steps").EnumerateArray().Select(e => e.GetProperty("text").GetString() ?? "").ToArray();
        return (scenario, File.ReadAllText(tracePath), root.GetProperty("property").GetString() ?? "", steps);
    }
}
