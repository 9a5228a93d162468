using SyncModel.Protocol.Vocabulary;
using Spectre.Console;
using SyncModel.Coyote.Exploration;

namespace SyncModel.Cli.Explore;

/// <summary>
/// Runs <c>explore</c>'s requests one after the other, each with <see cref="Workers"/> engines (<see cref="Campaign"/>) on this
/// shard's seeds, with a progress bar on a terminal; writes each violation's report as it is found (minimized first, <see cref="Minimizer"/>). Once
/// <see cref="Cancel"/> fires, the scenario in progress ends after its current iteration and the rest are not started.
/// </summary>
public sealed class ExploreRun(string reportDir, int workers, Shard shard, TimeSpan minimize, CancellationToken cancel)
{
    public int Workers => workers;
    public Shard Shard => shard;
    public CancellationToken Cancel => cancel;

    public List<ExploreRow> Run(IReadOnlyList<ExploreRequest> requests, bool quiet)
    {
        var rows = new List<ExploreRow>();
        if (quiet || Console.IsOutputRedirected)
        {
            foreach (var q in requests.TakeWhile(_ => !cancel.IsCancellationRequested))
            {
                if (!quiet) Console.WriteLine($"exploring {q.Scenario} ...");
                rows.Add(One(q, null));
            }
            return rows;
        }
        AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn(), new SpinnerColumn()).Start(ctx =>
        {
            foreach (var q in requests.TakeWhile(_ => !cancel.IsCancellationRequested))
            {
                var task = ctx.AddTask(Markup.Escape(q.Scenario.ToString()), maxValue: q.TimeLimit?.TotalSeconds ?? q.Iterations);
                var watch = System.Diagnostics.Stopwatch.StartNew();
                rows.Add(One(q, n => task.Value = q.TimeLimit is null ? n : Math.Min(watch.Elapsed.TotalSeconds, task.MaxValue)));
                task.Value = task.MaxValue;
                task.StopTask();
            }
        });
        return rows;
    }

    private ExploreRow One(ExploreRequest q, Action<long>? progress)
    {
        var res = Campaign.Run(q.Scenario, q.Strategy, q.Seed, q.Iterations, q.TimeLimit, workers, shard, progress, cancel);
        var report = res.Verdict == VerdictKind.Violated ? WriteReport(res, reportDir, minimize, cancel) : null;
        return ExploreRow.From(q, res, report, shard);
    }

    /// <summary>Writes the report of a violation, minimized first when <paramref name="minimize"/> is more than zero.</summary>
    public static string WriteReport(ExploreResult found, string reportDir, TimeSpan minimize, CancellationToken cancel)
    {
        if (minimize <= TimeSpan.Zero || cancel.IsCancellationRequested) return CoyoteReports.Write(found, reportDir);
        var m = Minimizer.Minimize(found, minimize, cancel, Environment.GetEnvironmentVariable("SYNCMODEL_MINIMIZE_LOG") is null ? null : s => Console.Error.WriteLine($"minimize: {s}"));
        return CoyoteReports.Write(m.Minimized, reportDir, m.Shortened ? m.Original : null);
    }
}
