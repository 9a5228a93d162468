using System.CommandLine;
using Spectre.Console;
using SyncModel.Coyote.Exploration;
using SyncModel.Coyote.Scenarios;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Cli.Commands;

/// <summary>
/// <c>syncmodel explore</c>: Coyote explores the thread interleavings of the production implementation, scenario
/// by scenario, and writes a report for every violation. With no scenario options it runs the review's matrix.
/// </summary>
public static class ExploreCommand
{
    public static Command Create()
    {
        var policy = new Option<string?>("--policy", "-p") { Description = $"a preset, or 'all' for every file-mode preset ({string.Join(", ", SyncPolicies.FileMode.Select(p => p.Name))})" };
        var flush = OptionalValues.Create("--flush-after-each-section", "F: on, off, SRC,DST, or both (each of off and on); bare = on; default off (both for --policy all)", "-F");
        var channels = CommonOptions.Channels();
        var rounds = CommonOptions.Rounds(1);
        var kind = new Option<string>("--scenario") { Description = "save, load or save-then-load", DefaultValueFactory = _ => "save-then-load" };
        var iterations = new Option<uint>("--iterations") { Description = "iterations per scenario (default: until --time runs out)" };
        var time = new Option<string>("--time") { Description = "time budget per scenario, e.g. 30s", DefaultValueFactory = _ => "10s" };
        var strategy = new Option<string>("--strategy") { Description = string.Join("|", Strategies.Names), DefaultValueFactory = _ => "pct" };
        var seed = new Option<uint>("--seed") { Description = "Coyote's random seed", DefaultValueFactory = _ => 1 };
        var errors = OptionalValues.Create("--errors", "let IO fail at a point Coyote chooses: src, dst, both, connect (send channel creation, §5.4), main (the destination's main stream, sockets; §5.9), comma-separated; bare = dst");
        var mutations = new Option<string?>("--mutations") { Description = $"inject bugs: {string.Join(",", Enum.GetNames<Mutation>().Skip(1))}" };
        var reports = new Option<string>("--reports") { Description = "where violation reports go", DefaultValueFactory = _ => "reports" };
        var json = CommonOptions.Json();
        var cmd = new Command("explore", "explore thread interleavings of the implementation with Coyote; with no scenario options, the review's matrix")
        {
            policy, flush, channels, kind, rounds, iterations, time, strategy, seed, errors, mutations, reports, json,
        };
        cmd.SetAction(r => CliRun.Guard(() =>
        {
            var strat = r.GetValue(strategy)!;
            if (!Strategies.Names.Contains(strat)) throw new ArgumentException($"unknown strategy '{strat}'; expected one of: {string.Join(", ", Strategies.Names)}");
            var budget = OptionalValues.ParseDuration(r.GetValue(time)!);
            var iters = r.GetValue(iterations);
            var limit = OptionalValues.Given(r, iterations) && !OptionalValues.Given(r, time) ? (TimeSpan?)null : budget;
            var count = iters == 0 ? 100_000_000u : iters;
            var matrix = !OptionalValues.Given(r, policy) && !OptionalValues.Given(r, flush) && !OptionalValues.Given(r, errors) && !OptionalValues.Given(r, mutations) && !OptionalValues.Given(r, rounds);
            var requests = matrix
                ? ExploreRequest.ReviewMatrix(strat, r.GetValue(seed), count, limit, r.GetValue(channels))
                : Requests(r.GetValue(policy) ?? "qemu-10.0-mapped-ram", OptionalValues.Get(r, flush, "on", "default"), r.GetValue(channels),
                    ParseKind(r.GetValue(kind)!), ErrorSidesText.Parse(OptionalValues.Get(r, errors, "dst", "none")), ParseMutations(r.GetValue(mutations)),
                    r.GetValue(rounds), strat, r.GetValue(seed), count, limit);
            var rows = Run(requests, r.GetValue(reports)!, quiet: r.GetValue(json));
            if (r.GetValue(json)) Json.Print(new { results = rows });
            else Print(rows);
            var ok = matrix ? rows.All(x => x.AsExpected) : rows.All(x => x.Verdict == ExploreResult.NoViolation);
            return ok ? CliRun.Ok : CliRun.Failed;
        }));
        return cmd;
    }

    public static ScenarioKind ParseKind(string text) => text.Replace("-", "", StringComparison.Ordinal).ToLowerInvariant() switch
    {
        "save" => ScenarioKind.Save,
        "load" => ScenarioKind.Load,
        "savethenload" => ScenarioKind.SaveThenLoad,
        _ => throw new ArgumentException($"scenario '{text}': expected save, load or save-then-load"),
    };

    public static Mutation ParseMutations(string? text)
    {
        if (string.IsNullOrWhiteSpace(text) || text == "None") return Mutation.None;
        var m = Mutation.None;
        foreach (var part in text.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!Enum.TryParse<Mutation>(part, ignoreCase: true, out var one))
                throw new ArgumentException($"unknown mutation '{part}'; expected: {string.Join(", ", Enum.GetNames<Mutation>().Skip(1))}");
            m |= one;
        }
        return m;
    }

    private static List<ExploreRequest> Requests(string policy, string flush, int channels, ScenarioKind kind, ErrorSides errors, Mutation mutations,
        int rounds, string strategy, uint seed, uint iterations, TimeSpan? limit)
    {
        var policies = policy == "all" ? SyncPolicies.FileMode.ToArray() : [SyncPolicies.Parse(policy)];
        var flushes = flush switch
        {
            "both" => [FlushSetting.Off, FlushSetting.On],
            "default" => policy == "all" ? [FlushSetting.Off, FlushSetting.On] : [FlushSetting.Off],
            _ => new[] { FlushSetting.Parse(flush) },
        };
        return policies.SelectMany(p => flushes.Select(f =>
            new ExploreRequest(Scenario.Small(p, f, channels, kind, errors, mutations, rounds), strategy, seed, iterations, limit))).ToList();
    }

    public sealed record Row(string Policy, ExploreFlush FlushAfterEachSection, string Errors, string Scenario, long Iterations, double IterationsPerSecond,
        string Verdict, string? Property, long? FirstBugIteration, double? SecondsToFirstBug, string? Report, string Expected, bool AsExpected, string Strategy, uint Seed);

    public sealed record ExploreFlush(bool Source, bool Destination);

    private static List<Row> Run(IReadOnlyList<ExploreRequest> requests, string reportDir, bool quiet)
    {
        var rows = new List<Row>();
        void One(ExploreRequest q, Action<long>? progress)
        {
            var res = Explorer.Explore(q.Scenario, q.Strategy, q.Seed, q.Iterations, q.TimeLimit, progress);
            var report = res.Verdict == ExploreResult.Violated ? CoyoteReports.Write(res, reportDir) : null;
            var found = res.Property ?? ReferenceVerdicts.NoBug;
            rows.Add(new Row(q.Scenario.Policy.Name, new ExploreFlush(q.Scenario.Flush.Source, q.Scenario.Flush.Destination), ErrorSidesText.Format(q.Scenario.Errors),
                q.Scenario.Kind.ToString(), res.Iterations, Math.Round(res.IterationsPerSecond, 1), res.Verdict, res.Property, res.FirstBugIteration,
                res.SecondsToFirstBug is { } t ? Math.Round(t, 2) : null, report, q.Expected, q.Expected == "?" || q.Expected == found, q.Strategy, q.Seed));
        }
        if (quiet || Console.IsOutputRedirected)
        {
            foreach (var q in requests)
            {
                if (!quiet) Console.WriteLine($"exploring {q.Scenario} ...");
                One(q, null);
            }
            return rows;
        }
        AnsiConsole.Progress().Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new ElapsedTimeColumn(), new SpinnerColumn()).Start(ctx =>
        {
            foreach (var q in requests)
            {
                var task = ctx.AddTask(Markup.Escape(q.Scenario.ToString()), maxValue: q.TimeLimit?.TotalSeconds ?? q.Iterations);
                var watch = System.Diagnostics.Stopwatch.StartNew();
                One(q, n => task.Value = q.TimeLimit is null ? n : Math.Min(watch.Elapsed.TotalSeconds, task.MaxValue));
                task.Value = task.MaxValue;
                task.StopTask();
            }
        });
        return rows;
    }

    private static void Print(List<Row> rows)
    {
        // A bounded search: "no violation in N iterations", never "holds" or "proved" (those are the model's, check).
        var budgets = rows.Select(r => $"{r.Strategy}, seed {r.Seed}").Distinct().ToList();
        Console.WriteLine($"Coyote over the production code ({string.Join("; ", budgets)}); 'no violation' is a bounded search, not a proof");
        var table = new Table().Border(TableBorder.Simple).AddColumns(new TableColumn("policy").NoWrap(), new TableColumn("F"), new TableColumn("errors"),
            new TableColumn("verdict").NoWrap(), new TableColumn("property"), new TableColumn("1st bug at"), new TableColumn("time to bug"),
            new TableColumn("it/s"), new TableColumn("expected (docs/protocol.md)"));
        foreach (var x in rows)
        {
            var f = x.FlushAfterEachSection.Source == x.FlushAfterEachSection.Destination ? (x.FlushAfterEachSection.Source ? "on" : "off") : $"{(x.FlushAfterEachSection.Source ? "on" : "off")},{(x.FlushAfterEachSection.Destination ? "on" : "off")}";
            var verdict = x.Verdict == ExploreResult.NoViolation ? $"no violation, {x.Iterations:N0} it." : x.Verdict;
            table.AddRow(x.Policy, f, x.Errors, verdict, x.Property ?? "-", x.FirstBugIteration?.ToString() ?? "-",
                x.SecondsToFirstBug is { } t ? $"{t:F2} s" : "-", $"{x.IterationsPerSecond:F0}", $"{x.Expected}{(x.AsExpected ? "" : "  MISMATCH")}");
        }
        AnsiConsole.Write(table);
        foreach (var x in rows.Where(x => x.Report is not null)) Console.WriteLine($"report: {x.Report}");
    }
}
