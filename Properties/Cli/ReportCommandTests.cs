using System.CommandLine;
using SyncModel.Cli;
using SyncModel.Cli.Commands;
using SyncModel.Properties.Reports;
using SyncModel.Properties.Support;
using SyncModel.Protocol.Reports;

namespace SyncModel.Properties.Cli;

/// <summary><c>syncmodel report FILE.json</c>: renders a report's JSON again as HTML and/or Markdown, and refuses what is not a report.</summary>
public sealed class ReportCommandTests : IDisposable
{
    private static readonly string Tool = Path.Combine(AppContext.BaseDirectory, "syncmodel.dll");
    private static readonly TimeSpan RunTimeout = TimeSpan.FromMinutes(1);
    private readonly string _dir = Directory.CreateTempSubdirectory("syncmodel-report-verb-").FullName;

    private static int Run(params string[] args) => CliRun.Invoke(new RootCommand { ReportCommand.Create() }, args);

    /// <summary>A report's JSON alone in the folder, under a name of its own.</summary>
    private string JsonOnly()
    {
        var files = ReportWriter.Write(_dir, ReportHtmlTests.Sample());
        File.Delete(files.MarkdownPath);
        File.Delete(files.HtmlPath);
        var json = Path.Combine(_dir, "renamed.json");
        File.Move(files.JsonPath, json);
        return json;
    }

    [Fact]
    public void With_no_flag_it_writes_the_page_and_the_markdown_beside_the_json_and_prints_their_paths()
    {
        var json = JsonOnly();

        var run = Repository.Run("dotnet", [Tool, "report", json], _dir, RunTimeout);

        Assert.True(run.ExitCode == CliRun.Ok, run.ToString());
        var html = Path.Combine(_dir, "renamed.html");
        var md = Path.Combine(_dir, "renamed.md");
        Assert.Equal([html, md], run.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var report = ReportJson.Parse(File.ReadAllText(json));
        Assert.Equal(ReportHtml.Render(report), File.ReadAllText(html));
        Assert.Equal(ReportRenderer.Markdown(report), File.ReadAllText(md));
    }

    [Fact]
    public void Html_and_markdown_choose_what_it_writes_and_out_where()
    {
        var json = JsonOnly();
        var elsewhere = Path.Combine(_dir, "out");

        Assert.Equal(CliRun.Ok, Run("report", json, "--html", "--out", elsewhere));
        Assert.Equal([Path.Combine(elsewhere, "renamed.html")], Directory.GetFiles(elsewhere));
        Assert.Equal(CliRun.Ok, Run("report", json, "--markdown"));
        Assert.True(File.Exists(Path.Combine(_dir, "renamed.md")));
        Assert.False(File.Exists(Path.Combine(_dir, "renamed.html")));
    }

    [Fact]
    public void Several_files_are_rendered_each_beside_its_json_and_one_bad_file_writes_nothing()
    {
        var first = JsonOnly();
        var second = Path.Combine(_dir, "second.json");
        File.Copy(first, second);

        Assert.Equal(CliRun.Usage, Run("report", first, second, Path.Combine(_dir, "missing.json")));
        Assert.Empty(Directory.GetFiles(_dir, "*.html"));
        Assert.Equal(CliRun.Ok, Run("report", first, second, "--html"));
        Assert.Equal([Path.Combine(_dir, "renamed.html"), Path.Combine(_dir, "second.html")], Directory.GetFiles(_dir, "*.html").Order(StringComparer.Ordinal));
    }

    [Fact]
    public void What_is_not_a_report_of_this_schema_is_refused_with_exit_2_and_its_name()
    {
        var garbage = Path.Combine(_dir, "garbage.json");
        File.WriteAllText(garbage, "{\"schemaVersion\": \"two\"}");
        var old = Path.Combine(_dir, "old.json");
        File.WriteAllText(old, "{\"title\": \"x\", \"variant\": \"v\", \"property\": \"NoDeadlock\"}");

        var run = Repository.Run("dotnet", [Tool, "report", old], _dir, RunTimeout);

        Assert.True(run.ExitCode == CliRun.Usage, run.ToString());
        Assert.Contains($"syncmodel: {old}: not a SyncModel report of schema version {Report.SchemaVersion}", run.Error, StringComparison.Ordinal);
        Assert.Equal(CliRun.Usage, Run("report", garbage));
        var broken = Path.Combine(_dir, "broken.json");
        File.WriteAllText(broken, "{\"schemaVersion\": 2, \"title\": ");
        Assert.Equal(CliRun.Usage, Run("report", broken));
        Assert.Equal(CliRun.Usage, Run("report", Path.Combine(_dir, "missing.json")));
        Assert.Equal(CliRun.Usage, Run("report", "--html"));
        Assert.Empty(Directory.GetFiles(_dir, "*.html"));
    }

    public void Dispose() => Directory.Delete(_dir, recursive: true);
}
