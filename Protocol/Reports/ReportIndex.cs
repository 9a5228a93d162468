using System.Globalization;
using System.Text;

namespace SyncModel.Protocol.Reports;

/// <summary>
/// The table of contents of a reports folder (<c>syncmodel reports index</c> writes it as the folder's README.md): one row
/// per report, by policy, property and source, with its length (and the length minimization started from), its date and
/// links to the files beside it.
/// </summary>
public static class ReportIndex
{
    /// <summary>One report of the folder: its JSON file's name and what it holds.</summary>
    public sealed record Entry(string JsonFile, Report Report);

    /// <summary>Reads every report (<c>*.json</c> of kind syncmodel-report) in <paramref name="directory"/>; other JSON files
    /// (explore's results) are left out; a report that does not parse is an error naming the file.</summary>
    public static IReadOnlyList<Entry> Read(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"{directory}: no such folder");
        var entries = new List<Entry>();
        foreach (var path in Directory.EnumerateFiles(directory, "*.json").Order(StringComparer.Ordinal))
        {
            var text = File.ReadAllText(path);
            if (!text.Contains($"\"{ReportJson.Kind}\"", StringComparison.Ordinal)) continue;
            entries.Add(new Entry(Path.GetFileName(path), ReportJson.Parse(text, path)));
        }
        return entries;
    }

    /// <summary>The index as Markdown; <paramref name="exists"/> says which sibling files (.md, .html, .trace) are there.</summary>
    public static string Markdown(IReadOnlyList<Entry> entries, Func<string, bool> exists)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(exists);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("# Reports\n\n");
        sb.Append("Counterexamples found by the model (`syncmodel check`) and by Coyote over the production code (`syncmodel explore`, `syncmodel zoo`). ")
          .Append("Each has a Markdown page, a self-contained HTML viewer and its JSON (docs/report.schema.json); a Coyote report also has its schedule (`.trace`), ")
          .Append("which `syncmodel replay REPORT.json` runs again. Steps: the trace's length; \"from\": its length before minimization. ")
          .Append("This file is written by `syncmodel reports index`.\n\n");
        sb.Append("| policy | property | source | steps | from | slice | created | files |\n|---|---|---|---:|---:|---:|---|---|\n");
        foreach (var e in entries.OrderBy(e => e.Report.Variant, StringComparer.Ordinal).ThenBy(e => e.Report.Property.ToString(), StringComparer.Ordinal)
                     .ThenBy(e => e.Report.Source).ThenBy(e => e.JsonFile, StringComparer.Ordinal))
        {
            var r = e.Report;
            var stem = Path.GetFileNameWithoutExtension(e.JsonFile);
            var links = new List<string>();
            foreach (var (ext, label) in new[] { (".md", "md"), (".html", "html"), (".json", "json"), (".trace", "trace") })
            {
                if (exists(stem + ext)) links.Add($"[{label}]({stem}{ext})");
            }
            var steps = r.Steps.Count == 0 ? 0 : r.Steps[^1].Index;
            sb.Append("| ").Append(r.Variant)
              .Append(" | ").Append(r.Property)
              .Append(" | ").Append(r.Source == ReportSource.Coyote ? "Coyote" : "model")
              .Append(" | ").Append(steps.ToString(inv))
              .Append(" | ").Append(r.Original is { } o ? o.Steps.ToString(inv) : "")
              .Append(" | ").Append(r.Slice.Select(s => s.Index).Distinct().Count().ToString(inv))
              .Append(" | ").Append(r.Created.ToString("yyyy-MM-dd", inv))
              .Append(" | ").Append(string.Join(" ", links)).Append(" |\n");
        }
        sb.Append('\n').Append(entries.Count.ToString(inv)).Append(" report(s).\n");
        return sb.ToString();
    }

    /// <summary>Reads <paramref name="directory"/> and writes its README.md; returns the path and the number of reports.</summary>
    public static (string Path, int Reports) Write(string directory)
    {
        var entries = Read(directory);
        var path = Path.Combine(directory, "README.md");
        AtomicFile.WriteAllText(path, Markdown(entries, name => File.Exists(Path.Combine(directory, name))));
        return (path, entries.Count);
    }
}
