using System.CommandLine;
using SyncModel.Protocol.Reports;

namespace SyncModel.Cli.Commands;

/// <summary>
/// <c>syncmodel report FILE.json [--html] [--markdown] [--out DIR]</c>: renders a report's JSON again, as the HTML viewer
/// page and/or the Markdown, next to the JSON (same name) or in DIR. With neither flag it writes both.
/// </summary>
public static class ReportCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("FILE") { Description = "a report's JSON (reports/*.json, schema version " + Report.SchemaVersion + ")" };
        var html = new Option<bool>("--html") { Description = "write the HTML viewer page (FILE.html)" };
        var markdown = new Option<bool>("--markdown") { Description = "write the Markdown (FILE.md)" };
        var output = new Option<string?>("--out", "-o") { Description = "the folder to write into (default: FILE's folder)" };
        var json = CommonOptions.Json();
        var cmd = new Command("report", "render a report's JSON again as the HTML viewer page and/or Markdown") { input, html, markdown, output, json };
        cmd.SetAction(r => CliRun.Guard(() =>
        {
            var path = r.GetValue(input)!;
            var report = ReportJson.Parse(File.ReadAllText(path), path);
            var both = !r.GetValue(html) && !r.GetValue(markdown);
            var dir = r.GetValue(output) is { Length: > 0 } o ? o : Path.GetDirectoryName(Path.GetFullPath(path))!;
            Directory.CreateDirectory(dir);
            var stem = Path.Combine(dir, Path.GetFileNameWithoutExtension(path));
            var written = new List<string>();
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
            if (r.GetValue(json)) Json.Print(new { report = path, written });
            else
            {
                foreach (var w in written) Console.WriteLine(w);
            }
            return CliRun.Ok;
        }));
        return cmd;
    }
}
