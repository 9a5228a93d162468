using SyncModel.Protocol.Vocabulary;
using System.CommandLine;
using System.Text.Json;
using SyncModel.Cli.Explore;
using SyncModel.Coyote.Exploration;

namespace SyncModel.Cli.Commands;

/// <summary>
/// <c>syncmodel merge DIR...</c>: the reports folders of several <c>explore</c> runs (the shards of one campaign, or
/// repeated runs) as one: one table, with each scenario's iterations summed over the folders and its bug taken from the
/// first folder that found one, and one report set, in which reports of the same variant, property and trace are folded
/// into one (different seeds often find the same schedule).
/// </summary>
public static class MergeCommand
{
    public static Command Create()
    {
        var dirs = new Argument<string[]>("DIR") { Description = "reports folders written by explore (each holds explore-results*.json)", Arity = ArgumentArity.OneOrMore };
        var output = new Option<string>("--out", "-o") { Description = "the merged reports folder", DefaultValueFactory = _ => Path.Combine("reports", "merged") };
        var json = CommonOptions.Json();
        var cmd = new Command("merge", "merge the reports folders of several explore runs or shards into one table and one report set") { dirs, output, json };
        cmd.SetAction(r => CliRun.Guard(() =>
        {
            var inputs = r.GetValue(dirs)!;
            var outDir = r.GetValue(output)!;
            var files = inputs.SelectMany(d => ExploreResultsFile.ReadAll(d).Select(f => (Dir: d, f.File))).ToList();
            if (files.Count == 0) throw new ArgumentException($"no explore-results*.json in {string.Join(", ", inputs)}: run explore with --reports DIR first");
            Directory.CreateDirectory(outDir);
            var copied = CopyReports(inputs, outDir);
            var rows = Merge(files, copied);
            var matrix = files.All(f => f.File.Matrix);
            var merged = new ExploreResultsFile(ExploreResultsFile.CurrentSchema, ExploreResultsFile.KindName, $"merged {files.Count}", matrix,
                files.Any(f => f.File.Interrupted), rows);
            var path = Path.Combine(outDir, "explore-results.json");
            Protocol.Reports.AtomicFile.WriteAllText(path, JsonSerializer.Serialize(merged, Json.Options) + "\n");
            if (r.GetValue(json)) Json.Print(merged);
            else
            {
                ExploreTable.Print(rows);
                Console.WriteLine($"merged {files.Count} results file(s) from {inputs.Length} folder(s); {copied.Count} report(s) in {outDir}; results: {path}");
            }
            return ExploreCommand.Passed(matrix, rows) ? CliRun.Ok : CliRun.Failed;
        }));
        return cmd;
    }

    /// <summary>One row per scenario key, in the order the keys first appear.</summary>
    private static List<ExploreRow> Merge(IReadOnlyList<(string Dir, ExploreResultsFile File)> files, IReadOnlyDictionary<string, string> copied)
    {
        var rows = files.SelectMany(f => f.File.Results.Select(row => (f.Dir, Row: row))).ToList();
        var merged = new List<ExploreRow>();
        foreach (var group in rows.GroupBy(x => x.Row.Key))
        {
            var all = group.Select(x => x.Row).ToList();
            var bug = group.FirstOrDefault(x => x.Row.Verdict == VerdictKind.Violated.Id());
            var first = bug.Row ?? all[0];
            var verdict = (bug.Row is not null ? VerdictKind.Violated
                : all.Any(x => x.Verdict == VerdictKind.Incomplete.Id()) ? VerdictKind.Incomplete : VerdictKind.NoViolation).Id();
            var report = bug.Row?.Report is { } r && copied.TryGetValue(Path.Combine(bug.Dir, Path.GetFileName(r)), out var to) ? to : bug.Row?.Report;
            var found = first.Property ?? Protocol.Policies.ReferenceVerdicts.NoBug;
            merged.Add(first with
            {
                Iterations = all.Sum(x => x.Iterations),
                Seconds = all.Max(x => x.Seconds),
                IterationsPerSecond = Math.Round(all.Sum(x => x.IterationsPerSecond), 1),
                Verdict = verdict,
                Report = report,
                AsExpected = ExploreRow.IsExpected(first.Expected, verdict, found),
                Shard = $"{all.Count} runs",
            });
        }
        return merged;
    }

    /// <summary>
    /// Copies every report (<c>.json</c> with its <c>.md</c>, <c>.trace</c>, <c>.html</c>) into <paramref name="outDir"/>, folding
    /// reports of the same variant, property and steps; returns where each source report's JSON went.
    /// </summary>
    private static Dictionary<string, string> CopyReports(IEnumerable<string> dirs, string outDir)
    {
        var kept = new Dictionary<string, string>(StringComparer.Ordinal);
        var where = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var dir in dirs)
        {
            foreach (var json in Directory.EnumerateFiles(dir, "*.json").Where(p => !Path.GetFileName(p).StartsWith("explore-results", StringComparison.Ordinal)).Order(StringComparer.Ordinal))
            {
                var key = FoldKey(json);
                if (key is null) continue;
                if (!kept.TryGetValue(key, out var target))
                {
                    target = Path.Combine(outDir, Path.GetFileName(json));
                    foreach (var ext in new[] { ".trace", ".original.trace", ".md", ".html", ".json" })
                    {
                        var source = Path.ChangeExtension(json, ext);
                        if (File.Exists(source) && Path.GetFullPath(source) != Path.GetFullPath(Path.ChangeExtension(target, ext)))
                            File.Copy(source, Path.ChangeExtension(target, ext), overwrite: true);
                    }
                    kept[key] = target;
                }
                where[json] = target;
            }
        }
        return where;
    }

    /// <summary>Variant, property and the trace's steps of a report; null for a JSON file that is not a report.</summary>
    private static string? FoldKey(string json)
    {
        try
        {
            var report = Protocol.Reports.ReportJson.Parse(File.ReadAllText(json), json);
            return $"{report.Variant}|{report.Property}|{string.Join("\n", report.Steps.Select(s => s.Event.ToString()))}";
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
