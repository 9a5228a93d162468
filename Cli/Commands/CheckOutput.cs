using SyncModel.Protocol.Vocabulary;
using System.Globalization;
using System.Text.Json;
using SyncModel.Model;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Cli.Commands;

/// <summary>What <c>syncmodel check</c> prints and writes, and the exit code it returns (see <see cref="CheckCommand"/>).</summary>
internal sealed class CheckOutput(TextWriter output, TextWriter error)
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>One check: the verdict and its figures; a violation's report under <paramref name="reportDir"/>. Refuses
    /// (bad arguments) a --max-states that --max-memory cannot hold; shows progress (<see cref="CheckProgress"/>); stops
    /// at once on <paramref name="cancel"/> with an incomplete verdict and <see cref="CheckCommand.Interrupted"/>.</summary>
    public int Single(ModelCheckOptions options, string reportDir, bool json, CancellationToken cancel = default, bool terminal = false)
    {
        if (options.Engine == ModelEngine.Bfs && options.IsModelled)
        {
            var estimate = ModelChecker.Estimate(options);
            if (!estimate.Fits)
                throw new ArgumentException($"this check cannot fit: {estimate.Describe()}; lower --max-states, or raise --max-memory if the machine has the memory");
            if (!json && terminal) error.WriteLine($"syncmodel: {estimate.Describe()}");
        }
        var progress = new CheckProgress(error, json, terminal);
        var result = ModelChecker.Check(options, cancel, progress.Callback);
        progress.Done();
        var report = ModelReports.Write(result, reportDir);
        var code = cancel.IsCancellationRequested && result.Verdict == VerdictKind.Incomplete ? CheckCommand.Interrupted : ExitCode(result.Verdict);
        if (json)
        {
            output.WriteLine(ModelReports.ResultsJson([(result, report?.MarkdownPath)]));
            return code;
        }
        output.WriteLine(result.Sentence);
        Line("verdict", result.VerdictText);
        if (result.Property is not null) Line("property", result.Property);
        if (result.Quote is not null) Line("requirement", $"\"{result.Quote}\"");
        foreach (var note in result.Notes) Line("note", note);
        if (result.Verdict == VerdictKind.NotModelled) return CheckCommand.NoVerdict;
        Line("states", $"{result.States.ToString("N0", Inv)} ({Coverage(result)})");
        Line("transitions", result.Transitions.ToString("N0", Inv));
        Line("depth", result.Depth.ToString(Inv));
        Line("states/s", result.StatesPerSecond.ToString("N0", Inv));
        Line("peak memory", $"{(result.PeakMemoryBytes / (1024.0 * 1024)).ToString("F1", Inv)} MiB");
        if (result.StoreBytes > 0) Line("bytes/state", $"{result.BytesPerState.ToString("F1", Inv)} (the visited set: {(result.StoreBytes / (1024.0 * 1024)).ToString("F1", Inv)} MiB)");
        Line("elapsed", $"{result.Elapsed.TotalSeconds.ToString("F2", Inv)} s");
        Line("reductions", ModelReports.Reductions(options));
        if (report is not null)
        {
            Line("report", report.MarkdownPath);
            Line("replay", options.ToCommandLine());
        }
        if (result.Profile is { } profile) output.Write(ModelReports.ProfileText(profile));
        return code;
    }

    /// <summary>Every preset × F off/on × errors off/<paramref name="errorColumn"/>, one table; a report per violation.</summary>
    public int Matrix(ModelCheckOptions template, ErrorSides errorColumn, string reportDir, bool json, CancellationToken cancel = default)
    {
        IReadOnlyList<ErrorSides> errorSettings = errorColumn == ErrorSides.None ? [ErrorSides.None] : [ErrorSides.None, errorColumn];
        var total = SyncPolicies.All.Sum(p => ModelChecker.MatrixFlushSettings(p).Count) * errorSettings.Count;
        var rows = new List<(ModelCheckResult Result, string? Report)>();
        ModelChecker.Matrix(template, errorSettings, cancel: cancel, progress: r =>
        {
            var report = ModelReports.Write(r, reportDir)?.MarkdownPath;
            rows.Add((r, report));
            error.WriteLine($"[{rows.Count}/{total}] {r.Policy} F={r.FlushAfterEachSection} errors {ModelCheckOptions.ErrorsText(r.Errors)}: "
                + $"{r.VerdictText}{(r.Property is null ? "" : " " + r.Property)} ({r.Elapsed.TotalSeconds.ToString("F2", Inv)} s)");
        });
        var results = rows.Select(x => x.Result).ToList();
        if (json)
        {
            output.WriteLine(ModelReports.ResultsJson(rows));
        }
        else
        {
            var o = template;
            output.WriteLine($"{o.Channels} ch × {o.Pages} pages × {o.Rounds} rounds, batch {o.BatchPages}, chunk {o.ChunkPages}, "
                + $"{o.GuestWrites} guest write(s) per interval{(o.Live ? " (live)" : "")}"
                + (o.Mutations != Mutation.None ? $", mutations {o.Mutations}" : "") + (o.SaveOnly ? ", save only" : ""));
            output.WriteLine();
            output.Write(ModelReports.MatrixTable(results));
            output.WriteLine();
            foreach (var (r, report) in rows.Where(x => x.Report is not null))
                output.WriteLine($"{r.Policy} F={r.FlushAfterEachSection} errors {ModelCheckOptions.ErrorsText(r.Errors)}: {report}");
            output.WriteLine($"{results.Count} checks: {Count(results, VerdictKind.Proved)} proved, {Count(results, VerdictKind.Violated)} violated, "
                + $"{Count(results, VerdictKind.Incomplete)} incomplete, {Count(results, VerdictKind.NotModelled)} not modelled; "
                + $"{results.Sum(r => r.Elapsed.TotalSeconds).ToString("F1", Inv)} s");
        }
        var mismatches = results.Where(r => !AsExpected(r)).ToList();
        if (!json)
        {
            output.WriteLine(mismatches.Count == 0
                ? "every verdict is the one docs/protocol.md §4 gives (or one it does not decide)"
                : string.Join(Environment.NewLine, mismatches.Select(r =>
                    $"MISMATCH {r.Policy} F={r.FlushAfterEachSection} errors {ModelCheckOptions.ErrorsText(r.Errors)}: {r.Property ?? "holds"}, docs/protocol.md §4 expects {ReferenceVerdicts.Describe(Expected(r))}")));
        }
        if (cancel.IsCancellationRequested) return CheckCommand.Interrupted;
        if (mismatches.Count > 0) return CliRun.Failed;
        return results.Any(r => r.Verdict == VerdictKind.Incomplete) ? CheckCommand.NoVerdict : CliRun.Ok;
    }

    private static string? Expected(ModelCheckResult r) => ReferenceVerdicts.Expected(r.Options.Policy, r.Options.FlushSetting, r.Errors, r.Options.Channels);

    /// <summary>A matrix row matches docs/protocol.md §4 when its verdict is the one §4 gives; rows §4 does not decide, and unmodelled ones, always match.</summary>
    private static bool AsExpected(ModelCheckResult r)
    {
        if (r.Verdict is VerdictKind.NotModelled or VerdictKind.Incomplete) return true;
        return ReferenceVerdicts.Allows(ReferenceVerdicts.Describe(Expected(r)), r.Verdict == VerdictKind.Violated && r.Property is { } p ? p : ReferenceVerdicts.NoBug);
    }

    /// <summary>The fault table: each modelled mutation the options do not already apply, and what caught it.</summary>
    public int Faults(ModelCheckOptions options, bool json)
    {
        ModelFaultsResult result;
        try
        {
            result = ModelChecker.Faults(options);
        }
        catch (InvalidOperationException e)
        {
            error.WriteLine($"syncmodel: {e.Message}");
            return CliRun.Failed;
        }
        if (json)
        {
            output.WriteLine(JsonSerializer.Serialize(new
            {
                policy = options.Policy.Name,
                flushAfterEachSection = new { source = options.FlushSetting.Source, destination = options.FlushSetting.Destination },
                errors = ModelCheckOptions.ErrorsText(options.Errors),
                faults = result.Rows,
                unexercised = result.Unexercised,
                elapsedSeconds = Math.Round(result.Elapsed.TotalSeconds, 3),
            }, Json.Options));
            return CliRun.Ok;
        }
        output.WriteLine($"faults injected into {ModelChecker.Describe(options)}");
        output.WriteLine();
        output.WriteLine("| fault | outcome | caught by | steps |");
        output.WriteLine("|---|---|---|---:|");
        foreach (var row in result.Rows)
            output.WriteLine($"| {row.Fault} | {row.Outcome} | {row.CaughtBy ?? ""} | {row.Steps.ToString(Inv)} |");
        output.WriteLine();
        output.WriteLine(result.Unexercised.Count == 0
            ? "every requirement caught at least one fault"
            : $"requirements no fault exercised: {string.Join(", ", result.Unexercised)}");
        output.WriteLine($"elapsed {result.Elapsed.TotalSeconds.ToString("F2", Inv)} s");
        return CliRun.Ok;
    }

    private static string Coverage(ModelCheckResult r) => r switch
    {
        { Closed: true } => "the state space closed",
        { Verdict: VerdictKind.Violated } => "the search stopped at the violation",
        { Stop: Model.Checking.Engine.StopReason.Cancelled } => "interrupted: the state space did not close",
        _ => "the state space did not close",
    };

    private static int ExitCode(VerdictKind v) => v switch
    {
        VerdictKind.Proved => CliRun.Ok,
        VerdictKind.Violated => CliRun.Failed,
        _ => CheckCommand.NoVerdict,
    };

    private static int Count(List<ModelCheckResult> results, VerdictKind v) => results.Count(r => r.Verdict == v);

    private void Line(string key, string value) => output.WriteLine($"  {key,-12} {value}");
}
