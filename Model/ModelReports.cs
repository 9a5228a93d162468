using System.Globalization;
using System.Text;
using System.Text.Json;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Reports;
using SyncModel.Protocol.Vocabulary;

namespace SyncModel.Model;

/// <summary>Turns model results into the shared <see cref="Report"/> description and into a matrix table.</summary>
public static class ModelReports
{
    /// <summary>The report of a violation; null for any other verdict.</summary>
    public static Report? ToReport(ModelCheckResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Verdict != VerdictKind.Violated || result.Property is null) return null;
        var o = result.Options;
        var participants = new List<Actor> { Actor.Migration };
        for (var i = 0; i < o.Channels; i++) participants.Add(Actor.Sender(i));
        participants.Add(Actor.Guest);
        participants.Add(Actor.Destination);
        for (var i = 0; i < o.Channels; i++) participants.Add(Actor.Receiver(i));
        var notes = new List<string> { $"Requirement: \"{result.Quote}\"" };
        notes.AddRange(result.Notes);
        notes.Add(((o.Errors & ErrorSides.Connect) != 0
                ? "The trace starts in multifd_send_setup, before the channels are created; "
                : "The trace starts in ram_save_setup at its sync; ")
            + "stream records a thread reads or writes on its own "
            + "(MEM_SIZE, EOS, section headers) are listed with the step that follows them.");
        notes.Add($"Shortest: the search is breadth-first, so no run of fewer than {result.Depth} steps reaches this.");
        var property = PropertyCatalog.Parse(result.Property);
        // A deadlock is where no thread can move after the last step; every other property breaks at the last step.
        int? step = property == PropertyId.NoDeadlock || result.Steps.Count == 0 ? null : result.Steps[^1].Index;
        return new Report
        {
            Title = $"{o.Policy.Name} (F={o.FlushSetting}) violates {result.Property}",
            Source = ReportSource.Model,
            Variant = o.Policy.Name,
            Property = property,
            Configuration = Configuration(result),
            Strategy = "exhaustive breadth-first search",
            Verdict = result.Sentence,
            Violation = result.Quote is { } q ? $"the requirement \"{q}\" fails" : result.Sentence,
            ViolationStep = step,
            Workload = Workload(result),
            Steps = ReportTrace.Enrich(result.Steps, step, ViolationCells(result, property), packets: o.SocketDestination),
            ReplayCommand = o.ToCommandLine(),
            Participants = participants,
            Notes = notes,
        };
    }

    /// <summary>The state cells a violation names for the causal slice: a socket destination's SemaphoreAccounting is a post on
    /// the shared recv <c>sem_sync</c> that no recv sync took (the slice then starts from the SYNC post that made it).</summary>
    private static string[]? ViolationCells(ModelCheckResult result, PropertyId property) =>
        property == PropertyId.SemaphoreAccounting && result.Options.SocketDestination ? [TraceState.RecvSemSync] : null;

    /// <summary>Writes the report of a violation under <paramref name="directory"/>; null for any other verdict.</summary>
    public static ReportFiles? Write(ModelCheckResult result, string directory)
    {
        var report = ToReport(result);
        return report is null ? null : ReportWriter.Write(directory, report);
    }

    /// <summary>"bfs: symmetry, partial order, abstraction" — the engine and the reductions a check runs with.</summary>
    public static string Reductions(ModelCheckOptions o)
    {
        ArgumentNullException.ThrowIfNull(o);
        var on = new List<string>();
        if (o.Symmetry) on.Add("channel symmetry");
        if (o.PartialOrder && o.Engine == ModelEngine.Bfs) on.Add("partial order (stubborn sets)");
        if (o.Abstraction) on.Add("abstraction (dead values, settled pages, load chunk count)");
        if (o.FixedWaitOrder) on.Add("wait order (where it cannot matter)");
        var engine = o.Engine == ModelEngine.CsCheck ? "CsCheck Check.Exhaustive" : "own BFS engine, exact visited set";
        return $"{engine}; {(on.Count == 0 ? "no reductions" : string.Join(", ", on))}";
    }

    /// <summary>The profile as text: per state component the distinct values met (most first) and the values most states
    /// have; per step, the new states it made.</summary>
    public static string ProfileText(Checking.Engine.SearchProfile profile)
    {
        ArgumentNullException.ThrowIfNull(profile);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("profile: distinct values per state component (most first), with the values most states have\n");
        foreach (var c in profile.Components.OrderByDescending(c => c.Distinct))
        {
            sb.Append(inv, $"  {c.Component,-24} {c.Distinct,12:N0}   ");
            sb.Append(string.Join(", ", c.Top.Select(t => $"0x{t.Value:x} in {t.States.ToString("N0", inv)}"))).Append('\n');
        }
        sb.Append("profile: new states per step (the frontier's growth), most first\n");
        foreach (var a in profile.Actions.Where(a => a.Transitions > 0))
            sb.Append(inv, $"  {a.Action,-24} {a.NewStates,12:N0} new of {a.Transitions:N0} transitions\n");
        sb.Append("profile: new states per level: ").Append(string.Join(" ", profile.Levels.Select(l => l.ToString("N0", inv)))).Append('\n');
        return sb.ToString();
    }

    /// <summary>One line per result: policy, F, errors, verdict, property, states, depth, states/s, time.</summary>
    public static string MatrixTable(IEnumerable<ModelCheckResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("| policy | F | errors | verdict | property | states | depth | states/s | time |\n");
        sb.Append("|---|---|---|---|---|---:|---:|---:|---:|\n");
        foreach (var r in results)
        {
            sb.Append("| ").Append(r.Policy)
              .Append(" | ").Append(r.FlushAfterEachSection)
              .Append(" | ").Append(ModelCheckOptions.ErrorsText(r.Errors))
              .Append(" | ").Append(r.VerdictText)
              .Append(" | ").Append(r.Property ?? "")
              .Append(" | ").Append(r.States.ToString("N0", inv))
              .Append(" | ").Append(r.Depth.ToString(inv))
              .Append(" | ").Append(r.StatesPerSecond.ToString("N0", inv))
              .Append(" | ").Append(r.Elapsed.TotalSeconds.ToString("F2", inv)).Append(" s |\n");
        }
        return sb.ToString();
    }

    /// <summary>
    /// <c>{"results":[...]}</c> as docs/design.md "Machine-readable output" asks for <c>check</c>: per result the policy,
    /// <c>flushAfterEachSection</c> {source, destination}, errors, verdict, property, report (the Markdown path, if one
    /// was written) and the figures (states, transitions, depth, statesPerSecond, peakMemoryBytes, elapsedSeconds, closed).
    /// </summary>
    public static string ResultsJson(IEnumerable<(ModelCheckResult Result, string? Report)> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteStartArray("results");
            foreach (var (r, report) in results)
            {
                w.WriteStartObject();
                w.WriteString("policy", r.Policy);
                w.WriteStartObject("flushAfterEachSection");
                w.WriteBoolean("source", r.FlushAfterEachSection.Source);
                w.WriteBoolean("destination", r.FlushAfterEachSection.Destination);
                w.WriteEndObject();
                w.WriteString("errors", ModelCheckOptions.ErrorsText(r.Errors));
                w.WriteString("verdict", r.VerdictText);
                if (r.Property is null) w.WriteNull("property");
                else w.WriteString("property", r.Property);
                if (report is null) w.WriteNull("report");
                else w.WriteString("report", report);
                w.WriteString("sentence", r.Sentence);
                w.WriteNumber("channels", r.Options.Channels);
                w.WriteNumber("pages", r.Options.Pages);
                w.WriteNumber("rounds", r.Options.Rounds);
                w.WriteBoolean("closed", r.Closed);
                w.WriteNumber("states", r.States);
                w.WriteNumber("transitions", r.Transitions);
                w.WriteNumber("depth", r.Depth);
                w.WriteNumber("statesPerSecond", Math.Round(r.StatesPerSecond));
                w.WriteNumber("peakMemoryBytes", r.PeakMemoryBytes);
                w.WriteNumber("storeBytes", r.StoreBytes);
                w.WriteNumber("bytesPerState", Math.Round(r.BytesPerState, 1));
                w.WriteString("stop", r.Stop.ToString().ToLowerInvariant());
                w.WriteString("engine", r.Options.Engine == ModelEngine.CsCheck ? "cscheck" : "bfs");
                w.WriteStartObject("reductions");
                w.WriteBoolean("symmetry", r.Options.Symmetry);
                w.WriteBoolean("partialOrder", r.Options.PartialOrder && r.Options.Engine == ModelEngine.Bfs);
                w.WriteBoolean("abstraction", r.Options.Abstraction);
                w.WriteBoolean("waitOrder", r.Options.FixedWaitOrder);
                w.WriteEndObject();
                w.WriteNumber("elapsedSeconds", Math.Round(r.Elapsed.TotalSeconds, 3));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static List<ReportSetting> Configuration(ModelCheckResult r)
    {
        var o = r.Options;
        var inv = CultureInfo.InvariantCulture;
        return
        [
            new("policy", $"{o.Policy.Name} — {o.Policy.Summary} (docs/protocol.md {o.Policy.Reference})"),
            new("flush-source", "flush-after-each-section (source)", o.FlushSetting.Source ? "on" : "off"),
            new("flush-destination", "flush-after-each-section (destination)", o.FlushSetting.Destination ? "on" : "off"),
            new("channels", o.Channels.ToString(inv)),
            new("pages", o.Pages.ToString(inv)),
            new("rounds", "rounds (live iterate calls)", o.Rounds.ToString(inv)),
            new("batch-pages", "batch pages", o.BatchPages.ToString(inv)),
            new("chunk-pages", "chunk pages", o.ChunkPages.ToString(inv)),
            new("guest", $"{o.GuestWrites} write(s) per bitmap-sync interval{(o.GuestBudget > 0 ? $", {o.GuestBudget} in the whole save" : "")}, {(o.Live ? "live (any time before complete)" : "between iterate calls")}"),
            new("pages-per-iteration", "pages per iteration", o.PagesPerIteration == 0 ? "unlimited" : o.PagesPerIteration.ToString(inv)),
            new("errors", ModelCheckOptions.ErrorsText(o.Errors)),
            new("scope", o.SaveOnly ? "the save only (the run ends when the file is closed)" : "the save, then the load of its file"),
            new("mutations", o.Mutations == Mutation.None ? "none" : o.Mutations.ToString()),
            new("symmetry", "symmetry reduction", o.Symmetry ? "on" : "off"),
            new("search", $"{r.States:N0} states, {r.Transitions:N0} transitions, depth {r.Depth}"),
        ];
    }

    private static string Workload(ModelCheckResult r)
    {
        var o = r.Options;
        var ev = r.Counterexample;
        var writes = ev.Where(e => e.Kind == EventKind.GuestWrite).Select(e => $"p{e.Page} (v{e.Version})").ToList();
        var batches = ev.Count(e => e.Kind == EventKind.Dispatch);
        var chunks = ev.Count(e => e.Kind == EventKind.RecvQueue && e.Id >= 0);
        var errors = ev.Where(e => e.Error is not null && e.Kind is EventKind.Exit or EventKind.CreateFail).Select(e => $"{e.Actor}: {e.Error}").ToList();
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{o.Pages} guest page(s) in one RAM block, all holding data at the start; ");
        sb.Append(CultureInfo.InvariantCulture, $"{o.Rounds} live iterate call(s), then complete; {o.Channels} multifd channel(s) per side. ");
        sb.Append(CultureInfo.InvariantCulture, $"This run: {batches} batch(es) dispatched, {chunks} chunk(s) queued at the destination, ");
        sb.Append(writes.Count == 0 ? "no guest write" : "guest writes to " + string.Join(", ", writes));
        if (errors.Count > 0) sb.Append("; IO error: ").Append(string.Join(", ", errors));
        sb.Append('.');
        return sb.ToString();
    }
}
