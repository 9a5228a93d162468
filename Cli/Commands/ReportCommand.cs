using System.CommandLine;
using SyncModel.Protocol.Reports;

namespace SyncModel.Cli.Commands;

/// <summary>
/// <c>syncmodel report FILE.json... [--html] [--markdown] [--out DIR]</c>: renders reports' JSON again, as the HTML viewer
/// page and/or the Markdown, next to each JSON (same name) or in DIR. With neither flag it writes both. One unreadable file writes nothing.
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var input = new Argument<string[]>("FILE") { Description = "reports' JSON (reports/*.json, schema version " + Report.SchemaVersion + ")", Arity = ArgumentArity.OneOrMore };
        var html = new Option<bool>("--html") { Description = "write the HTML viewer page (FILE.html)" };
        var markdown = new Option<bool>("--markdown") { Description = "write the Markdown (FILE.md)" };
        var output = new Option<string?>("--out", "-o") { Description = "the folder to write into (default: each FILE's folder)" };
        var json = CommonOptions.Json();
        var cmd = new Command("report", "render reports' JSON again as the HTML viewer page and/or Markdown") { input, html, markdown, output, json };
        cmd.SetAction(r => CliRun.Guard(() =>
        {
            // Every file is read and checked before anything is written: one bad file writes nothing.
            var reports = r.GetValue(input)!.Select(path => (path, report: ReportJson.Parse(File.ReadAllText(path), path))).ToList();
            var both = !r.GetValue(html) && !r.GetValue(markdown);
            var written = new List<string>();
            foreach (var (path, report) in reports)
            {
                var dir = r.GetValue(output) is { Length: > 0 } o ? o : Path.GetDirectoryName(Path.GetFullPath(path))!;
                Directory.CreateDirectory(dir);
                var stem = Path.Combine(dir, Path.GetFileNameWithoutExtension(path));
                if (both || r.GetValue(html))
                {
                    AtomicFile.WriteAllText(stem + ".html", ReportHtml.Render(report));
                    written.Add(stem + ".html");
                }
                if (both || r.GetValue(markdown))
                {
                    AtomicFile.WriteAllText(stem + ".md", ReportRenderer.Markdown(report));
                    written.Add(stem + ".md");
                }
            }
            if (r.GetValue(json)) Json.Print(new { reports = reports.Select(x => x.path), written });
            else
            {
                foreach (var w in written) Console.WriteLine(w);
            }
            return CliRun.Ok;
        }));
        return cmd;
    }
}
