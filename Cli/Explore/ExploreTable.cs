using SyncModel.Protocol.Vocabulary;
using Spectre.Console;
using SyncModel.Coyote.Exploration;

namespace SyncModel.Cli.Explore;

/// <summary>The table <c>explore</c> and <c>merge</c> print.</summary>
public static class ExploreTable
{
    public static void Print(IReadOnlyList<ExploreRow> rows)
    {
        // A bounded search: "no violation in N iterations", never "holds" or "proved" (those are the model's, check).
        var how = rows.Select(r => $"{r.Strategy}, seed {r.Seed}{(r.Workers > 1 ? $", {r.Workers} engines" : "")}{(r.Shard == "0/1" ? "" : r.Shard.Contains('/') ? $", shard {r.Shard}" : $", {r.Shard}")}").Distinct().ToList();
        Console.WriteLine($"Coyote over the production code ({string.Join("; ", how)}); 'no violation' is a bounded search, not a proof");
        var table = new Table().Border(TableBorder.Simple).AddColumns(new TableColumn("policy").NoWrap(), new TableColumn("F"), new TableColumn("errors"),
            new TableColumn("verdict").NoWrap(), new TableColumn("property"), new TableColumn("1st bug at"), new TableColumn("time to bug"),
            new TableColumn("it/s"), new TableColumn("expected (docs/protocol.md)"));
        foreach (var x in rows)
        {
            var verdict = Verdicts.Parse(x.Verdict) switch
            {
                VerdictKind.NoViolation => $"no violation, {x.Iterations:N0} it.",
                VerdictKind.Incomplete => $"incomplete, {x.Iterations:N0} it.",
                var v => v.Id(),
            };
            table.AddRow(x.Policy, x.FlushText, x.Errors, verdict, x.Property ?? "-", x.FirstBugIteration?.ToString() ?? "-",
                x.SecondsToFirstBug is { } t ? $"{t:F2} s" : "-", $"{x.IterationsPerSecond:F0}", $"{x.Expected}{(x.AsExpected ? "" : "  MISMATCH")}");
        }
        AnsiConsole.Write(table);
        foreach (var x in rows.Where(x => x.Report is not null)) Console.WriteLine($"report: {x.Report}");
    }
}
