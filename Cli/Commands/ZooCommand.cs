using SyncModel.Protocol.Vocabulary;
using System.CommandLine;
using Spectre.Console;
using SyncModel.Coyote.Exploration;
using SyncModel.Coyote.RealThreads;
using SyncModel.Coyote.Scenarios;
using SyncModel.Coyote.Zoo;
using SyncModel.Model;

namespace SyncModel.Cli.Commands;

/// <summary>
/// <c>syncmodel zoo</c>: every entry of the bug zoo, found by Coyote on the production code, by the model where it
/// has the concept, and by a plain real-thread stress run of the same duration; the unmutated twins stay clean.
/// </summary>
public static class ZooCommand
{
    public static Command Create()
    {
        var time = new Option<string>("--time") { Description = "Coyote budget per entry, and per clean twin", DefaultValueFactory = _ => "10s" };
        var strategy = new Option<string>("--strategy") { DefaultValueFactory = _ => "pct", Description = string.Join("|", Strategies.Names) };
        var seed = new Option<uint>("--seed") { DefaultValueFactory = _ => 1 };
        var only = new Option<string?>("--entry") { Description = "run only the entries whose name contains this text" };
        var reports = new Option<string>("--reports") { DefaultValueFactory = _ => "reports" };
        var json = CommonOptions.Json();
        var minimize = CommonOptions.Minimize();
        var cmd = new Command("zoo", "re-create QEMU's historical multifd bugs and find each automatically") { time, strategy, seed, only, reports, minimize, json };
        cmd.SetAction(r => CliRun.Guard(() =>
        {
            var budget = OptionalValues.ParseDuration(r.GetValue(time)!);
            var filter = r.GetValue(only);
            var entries = ZooCatalog.Entries.Where(e => filter is null || e.Name.Contains(filter, StringComparison.OrdinalIgnoreCase)).ToList();
            if (entries.Count == 0) throw new ArgumentException($"no zoo entry matches '{filter}'");
            RewriteCheck.ThrowIfNotRewritten();
            using var interrupt = new Interrupt();
            var rows = new List<Row>();
            foreach (var e in entries.TakeWhile(_ => !interrupt.Requested))
            {
                if (!r.GetValue(json)) Console.Error.WriteLine($"zoo: {e.Name} ...");
                var row = Run(e, r.GetValue(strategy)!, r.GetValue(seed), budget, r.GetValue(reports)!, CommonOptions.ParseMinimize(r.GetValue(minimize)!), interrupt.Token);
                // An entry the interrupt cut short says nothing: it is left out rather than reported as not found.
                if (!interrupt.Requested) rows.Add(row);
            }
            if (r.GetValue(json)) Json.Print(new { entries = rows, incomplete = interrupt.Requested });
            else
            {
                Print(rows);
                if (interrupt.Requested) Console.WriteLine($"incomplete: interrupted; {rows.Count} of {entries.Count} entries done");
            }
            if (interrupt.Requested) return Interrupt.ExitCode;
            return rows.All(x => x.FoundByCoyote && x.TwinClean != false && x.ModelAgrees) ? CliRun.Ok : CliRun.Failed;
        }));
        return cmd;
    }

    public sealed record Row(string Name, string QemuCommit, string Title, string Property, bool FoundByCoyote, string? CoyoteProperty,
        string Strategy, long Iterations, double? Seconds, string FoundByModel, long? ModelStates, double? ModelSeconds,
        int StressRuns, int StressFound, double StressSeconds, bool? TwinClean, long? TwinIterations, string? Report, IReadOnlyList<string> AlsoFound,
        int? CoyoteSteps, int? OriginalSteps, int? ModelSteps, string? ModelTwin, bool ModelAgrees);

    public static Row Run(ZooEntry e, string strategy, uint seed, TimeSpan budget, string reportDir, TimeSpan minimize, CancellationToken cancel = default)
    {
        var found = Explorer.Hunt(e.Scenario, e.Property, strategy, seed, 100_000_000, budget, cancel);
        var ok = found.Verdict == VerdictKind.Violated && found.Property == e.Property;
        var shortest = ok && minimize > TimeSpan.Zero && !cancel.IsCancellationRequested ? Minimizer.Minimize(found, minimize, cancel) : null;
        var kept = shortest?.Minimized ?? found;
        var report = found.Verdict == VerdictKind.Violated ? CoyoteReports.Write(kept, reportDir, shortest is { Shortened: true } ? found : null) : null;
        var twin = e.CleanTwin is { } t ? Explorer.Explore(t, strategy, seed, 100_000_000, budget, cancel: cancel) : null;
        var (model, states, modelSeconds, modelSteps) = e.Model is { } m ? Model(m) : ("not modelled", null, null, null);
        var modelTwin = e.Model?.Twin is { } t2 ? Model(t2) : default;
        var modelAgrees = e.Model is null || (ZooModel.Finds(e.Property, model) && (e.Model.Twin is null || modelTwin.Verdict == "proved"));
        var spent = TimeSpan.FromSeconds(Math.Max(0.05, found.SecondsToFirstBug ?? found.Seconds));
        var stress = StressRun.Stress(e.Scenario, spent, TimeSpan.FromMilliseconds(250), e.Property);
        return new Row(e.Name, e.QemuCommit, e.CommitTitle, e.Property.ToString(), ok, found.Property?.ToString(), strategy, found.FirstBugIteration ?? found.Iterations,
            found.SecondsToFirstBug is { } s ? Math.Round(s, 2) : null, model, states, modelSeconds, stress.Runs, stress.Found, Math.Round(spent.TotalSeconds, 2),
            twin is null ? null : twin.Verdict == VerdictKind.NoViolation, twin?.Iterations, report, found.OtherBugs.Select(p => p.ToString()).ToList(),
            ok ? kept.Trace.Count : null, ok ? found.Trace.Count : null, modelSteps,
            e.Model?.Twin is null ? null : $"{modelTwin.Verdict} ({modelTwin.States:N0} states, {modelTwin.Seconds:F2} s)", modelAgrees);
    }

    /// <summary>The model check that stands for <paramref name="m"/>.</summary>
    public static ModelCheckOptions ModelOptions(ZooModel m) => new()
    {
        Policy = m.Policy, FlushSetting = m.Flush, Errors = m.Errors, Mutations = m.Mutations,
        Channels = m.Channels, Pages = m.Pages, Rounds = m.Rounds, SaveOnly = m.SaveOnly,
    };

    /// <summary>The model's verdict on one run of an entry (the property it violates, or proved), its states, time, and its
    /// shortest counterexample's events.</summary>
    private static (string Verdict, long? States, double? Seconds, int? Steps) Model(ZooModel m)
    {
        var result = ModelChecker.Check(ModelOptions(m));
        var verdict = result.Verdict == VerdictKind.Violated ? result.Property ?? "violated" : result.VerdictText;
        return (verdict, result.States, Math.Round(result.Elapsed.TotalSeconds, 2), result.Verdict == VerdictKind.Violated ? result.Counterexample.Count : null);
    }

    private static void Print(List<Row> rows)
    {
        var t = new Table().Border(TableBorder.Simple).AddColumns("entry", "QEMU commit", "property", "Coyote", "model", "events: Coyote (first found) / model", "real-thread stress", "twin");
        foreach (var x in rows)
        {
            var coyote = x.FoundByCoyote ? $"found ({x.Strategy}, {x.Iterations} it, {x.Seconds:F2} s)" : $"NOT FOUND ({x.CoyoteProperty ?? "nothing"})";
            if (x.AlsoFound.Count > 0) coyote += $"; also met {string.Join(", ", x.AlsoFound.GroupBy(p => p).Select(g => g.Count() > 1 ? $"{g.Key} ×{g.Count()}" : g.Key))}";
            var model = x.ModelStates is { } s ? $"{x.FoundByModel} ({s:N0} states, {x.ModelSeconds:F2} s)" : x.FoundByModel;
            if (x.ModelTwin is { } mt) model += $"; twin {mt}";
            if (!x.ModelAgrees) model = "DISAGREES: " + model;
            var twin = x.TwinClean switch { true => $"no violation in {x.TwinIterations:N0} it.", false => "VIOLATED", null => "-" };
            var steps = x.CoyoteSteps is { } c ? $"{c} ({x.OriginalSteps}) / {x.ModelSteps?.ToString() ?? "-"}" : "-";
            t.AddRow(Markup.Escape(x.Name), Markup.Escape(x.QemuCommit.Length > 12 && !x.QemuCommit.StartsWith('(') ? x.QemuCommit[..12] : x.QemuCommit), x.Property, coyote, Markup.Escape(model),
                steps, $"{x.StressFound}/{x.StressRuns} runs in {x.StressSeconds:F2} s", twin);
        }
        AnsiConsole.Write(t);
        foreach (var x in rows.Where(x => x.Report is not null)) Console.WriteLine($"{x.Name}: {x.Report}");
        foreach (var x in rows.Where(x => x.AlsoFound.Count > 0))
            Console.WriteLine($"{x.Name}: the scenario also breaks {string.Join(", ", x.AlsoFound.Distinct())}; each such run ended one engine run and the hunt went on with the next seed");
    }
}
