using SyncModel.Protocol.Vocabulary;
using Spectre.Console;
using SyncModel.Coyote.Exploration;
using SyncModel.Coyote.RealThreads;
using SyncModel.Coyote.Scenarios;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Cli.Commands;

/// <summary>
/// <c>syncmodel bench --suite explore</c>: Coyote's iterations per second and time to first bug per scenario
/// (median over independent seeds), against plain real-thread stress runs of the same scenario for the same time.
/// </summary>
public static class ExploreBench
{
    public sealed record Row(string Scenario, string Strategy, double IterationsPerSecond, int Campaigns, int CampaignsFound, double? MedianSecondsToBug,
        long? MedianIterationsToBug, double StressSeconds, int StressRuns, int StressFound, string? Property);

    public static IReadOnlyList<(string Name, Scenario Scenario)> Scenarios() =>
    [
        ("2-channel load, qemu-9.0 (clean)", Scenario.Small(Qemu90MappedRam.Instance, FlushSetting.Off, kind: ScenarioKind.Load)),
        ("2-channel save-then-load, qemu-10.0 (clean)", Scenario.Small(Qemu100MappedRam.Instance, FlushSetting.Off)),
        ("fixed-ram-v4 F=on, save-then-load", Scenario.Small(FixedRamV4.Instance, FlushSetting.On)),
        ("peterxu-oneshot, load", Scenario.Small(PeterXuOneShot.Instance, FlushSetting.Off, kind: ScenarioKind.Load)),
        ("qemu-9.0 + recv error, load", Scenario.Small(Qemu90MappedRam.Instance, FlushSetting.Off, kind: ScenarioKind.Load, errors: ErrorSides.Destination)),
        ("qemu-9.0 + NoRoundSync, live save", Scenario.Small(Qemu90MappedRam.Instance, FlushSetting.Off, kind: ScenarioKind.Save, mutations: Mutation.NoRoundSync, liveRounds: 2)),
    ];

    public static List<Row> Measure(string strategy, int campaigns, TimeSpan budget)
    {
        var rows = new List<Row>();
        foreach (var (name, scenario) in Scenarios())
        {
            var results = Enumerable.Range(0, campaigns)
                .Select(i => Explorer.Explore(scenario, strategy, (uint)(1 + 100_003 * i), 100_000_000, budget)).ToList();
            var found = results.Where(r => r.Verdict == VerdictKind.Violated).ToList();
            var spent = TimeSpan.FromSeconds(Math.Min(budget.TotalSeconds, results.Average(r => r.SecondsToFirstBug ?? r.Seconds)));
            var stress = StressRun.Stress(scenario, spent, TimeSpan.FromMilliseconds(250));
            rows.Add(new Row(name, strategy, Math.Round(results.Sum(r => r.Iterations) / results.Sum(r => r.Seconds), 1), campaigns, found.Count,
                Median(found.Select(r => r.SecondsToFirstBug ?? 0)), (long?)Median(found.Select(r => (double)(r.FirstBugIteration ?? 0))),
                Math.Round(spent.TotalSeconds, 2), stress.Runs, stress.Found, (found.FirstOrDefault()?.Property ?? stress.FirstProperty)?.ToString()));
        }
        return rows;
    }

    /// <summary>What interleaving at every Volatile/Interlocked access costs and buys, measured back to back per campaign.</summary>
    public sealed record FieldRow(string Scenario, double OnIterationsPerSecond, double OffIterationsPerSecond, double Ratio, int OnFound, int OffFound, int Campaigns);

    public static List<FieldRow> MeasureFieldInterleaving(string strategy, int campaigns, TimeSpan budget)
    {
        (string, Scenario)[] scenarios =
        [
            ("2-channel save-then-load, qemu-10.0 (clean)", Scenario.Small(Qemu100MappedRam.Instance, FlushSetting.Off)),
            ("2-channel load, qemu-9.0 (clean)", Scenario.Small(Qemu90MappedRam.Instance, FlushSetting.Off, kind: ScenarioKind.Load)),
            ("JobDoneBeforeReset, save", Scenario.Small(Qemu100MappedRam.Instance, FlushSetting.Off, kind: ScenarioKind.Save, mutations: Mutation.JobDoneBeforeReset)),
            ("JobDoneBeforeReset, load", Scenario.Small(Qemu100MappedRam.Instance, FlushSetting.Off, kind: ScenarioKind.Load, mutations: Mutation.JobDoneBeforeReset)),
        ];
        var rows = new List<FieldRow>();
        foreach (var (name, scenario) in scenarios)
        {
            var on = new List<ExploreResult>();
            var off = new List<ExploreResult>();
            for (var i = 0; i < campaigns; i++)
            {
                var seed = (uint)(1 + 100_003 * i);
                on.Add(Explorer.Explore(scenario, strategy, seed, 100_000_000, budget));
                off.Add(Explorer.Explore(scenario, strategy, seed, 100_000_000, budget, interleaveFields: false));
            }
            double Rate(List<ExploreResult> r) => Math.Round(r.Sum(x => x.Iterations) / r.Sum(x => x.Seconds), 1);
            rows.Add(new FieldRow(name, Rate(on), Rate(off), Math.Round(Rate(on) / Math.Max(Rate(off), 1e-9), 2),
                on.Count(r => r.Verdict == VerdictKind.Violated), off.Count(r => r.Verdict == VerdictKind.Violated), campaigns));
        }
        return rows;
    }

    public static void PrintFieldInterleaving(IEnumerable<FieldRow> rows, TimeSpan budget)
    {
        Console.WriteLine($"Scheduling points at every Volatile/Interlocked access, on and off, campaign by campaign ({budget.TotalSeconds:F0} s each, same seeds); ratio = it/s on / it/s off.");
        var t = new Table().Border(TableBorder.Simple).AddColumns("scenario", "it/s on", "it/s off", "ratio", "found on", "found off");
        foreach (var r in rows)
            t.AddRow(Markup.Escape(r.Scenario), $"{r.OnIterationsPerSecond:F0}", $"{r.OffIterationsPerSecond:F0}", $"{r.Ratio:F2}", $"{r.OnFound}/{r.Campaigns}", $"{r.OffFound}/{r.Campaigns}");
        AnsiConsole.Write(t);
    }

    /// <summary>Iterations per second with one engine and with <paramref name="workers"/> engines in this process, measured
    /// alternately on the same scenario (<c>explore --workers</c>).</summary>
    public sealed record WorkersRow(string Scenario, int Workers, double OneEngineIterationsPerSecond, double ManyEnginesIterationsPerSecond, double Ratio, int Campaigns);

    public static WorkersRow MeasureWorkers(string strategy, int workers, int campaigns, TimeSpan budget)
    {
        var scenario = Scenario.Small(Qemu100MappedRam.Instance, FlushSetting.Off);
        long oneIterations = 0, manyIterations = 0;
        double oneSeconds = 0, manySeconds = 0;
        for (var i = 0; i < campaigns; i++)
        {
            var one = Campaign.Run(scenario, strategy, (uint)(1 + 7 * i), 100_000_000, budget, 1, Shard.Whole);
            var many = Campaign.Run(scenario, strategy, (uint)(1 + 7 * i), 100_000_000, budget, workers, Shard.Whole);
            (oneIterations, oneSeconds) = (oneIterations + one.Iterations, oneSeconds + one.Seconds);
            (manyIterations, manySeconds) = (manyIterations + many.Iterations, manySeconds + many.Seconds);
        }
        var a = oneIterations / oneSeconds;
        var b = manyIterations / manySeconds;
        return new WorkersRow("2-channel save-then-load, qemu-10.0 (clean)", workers, Math.Round(a, 1), Math.Round(b, 1), Math.Round(b / a, 2), campaigns);
    }

    public static void PrintWorkers(WorkersRow r, TimeSpan budget)
    {
        Console.WriteLine($"explore --workers: {r.Campaigns} alternating campaign pair(s) of {budget.TotalSeconds:F0} s on {Environment.ProcessorCount} core(s); ratio = it/s with {r.Workers} engines / it/s with 1.");
        var t = new Table().Border(TableBorder.Simple).AddColumns("scenario", "it/s, 1 engine", $"it/s, {r.Workers} engines", "ratio");
        t.AddRow(Markup.Escape(r.Scenario), $"{r.OneEngineIterationsPerSecond:F0}", $"{r.ManyEnginesIterationsPerSecond:F0}", $"{r.Ratio:F2}");
        AnsiConsole.Write(t);
    }

    private static double? Median(IEnumerable<double> values)
    {
        var v = values.OrderBy(x => x).ToArray();
        return v.Length == 0 ? null : Math.Round(v[v.Length / 2], 3);
    }

    public static void Print(IEnumerable<Row> rows, TimeSpan budget)
    {
        Console.WriteLine($"Coyote: independent campaigns (seeds 1, 100004, ...), each stopping at its first bug or after {budget.TotalSeconds:F0} s. Stress: the same scenario on real threads for the Coyote campaigns' mean time to bug (or the budget).");
        var t = new Table().Border(TableBorder.Simple).AddColumns("scenario", "strategy", "it/s", "found", "median time to bug", "median iterations", "stress time", "stress runs", "stress found", "property");
        foreach (var r in rows)
        {
            t.AddRow(Markup.Escape(r.Scenario), r.Strategy, $"{r.IterationsPerSecond:F0}", $"{r.CampaignsFound}/{r.Campaigns}",
                r.MedianSecondsToBug is { } s ? $"{s:F2} s" : "-", r.MedianIterationsToBug?.ToString() ?? "-",
                $"{r.StressSeconds:F2} s", r.StressRuns.ToString(), r.StressFound.ToString(), r.Property ?? "-");
        }
        AnsiConsole.Write(t);
    }
}
