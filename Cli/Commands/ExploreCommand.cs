using SyncModel.Protocol.Vocabulary;
using System.CommandLine;
using SyncModel.Cli.Explore;
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
        var reports = new Option<string>("--reports") { Description = "where violation reports and the results file go", DefaultValueFactory = _ => "reports" };
        var workers = new Option<int>("--workers") { Description = "Coyote engines per scenario, in parallel in this process (each its own seed)", DefaultValueFactory = _ => 1 };
        var shard = new Option<string>("--shard") { Description = "I/N: this machine's share of a campaign over N machines (disjoint seeds); merge the folders with 'syncmodel merge'", DefaultValueFactory = _ => "0/1" };
        var json = CommonOptions.Json();
        var minimize = CommonOptions.Minimize();
        var cmd = new Command("explore", "explore thread interleavings of the implementation with Coyote; with no scenario options, the review's matrix")
        {
            policy, flush, channels, kind, rounds, iterations, time, strategy, seed, errors, mutations, reports, workers, shard, minimize, json,
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
            var engines = r.GetValue(workers);
            if (engines is < 1 or > 64) throw new ArgumentException($"--workers must be 1..64, got {engines}");
            var slice = Shard.Parse(r.GetValue(shard)!);
            RewriteCheck.ThrowIfNotRewritten();
            using var interrupt = new Interrupt();
            var rows = new ExploreRun(r.GetValue(reports)!, engines, slice, CommonOptions.ParseMinimize(r.GetValue(minimize)!), interrupt.Token).Run(requests, quiet: r.GetValue(json));
            var results = new ExploreResultsFile(ExploreResultsFile.CurrentSchema, ExploreResultsFile.KindName, slice.ToString(), matrix, interrupt.Requested, rows);
            var resultsPath = ExploreResultsFile.Write(r.GetValue(reports)!, results);
            if (r.GetValue(json)) Json.Print(results);
            else
            {
                ExploreTable.Print(rows);
                Console.WriteLine($"results: {resultsPath}");
                if (interrupt.Requested) Console.WriteLine($"incomplete: interrupted after {rows.Count} of {requests.Count} scenario(s)");
            }
            if (interrupt.Requested) return Interrupt.ExitCode;
            return Passed(matrix, rows) ? CliRun.Ok : CliRun.Failed;
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

    /// <summary>Exit 0: every row of the review's matrix is what docs/protocol.md says; otherwise, no violation anywhere.</summary>
    public static bool Passed(bool matrix, IReadOnlyList<ExploreRow> rows)
        => matrix ? rows.All(x => x.AsExpected) : rows.All(x => x.Verdict == VerdictKind.NoViolation.Id());
}
