using System.Text.Json;
using System.Text.RegularExpressions;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Reports;
using Xunit.Abstractions;

namespace SyncModel.Properties.Reports;

/// <summary>The HTML page as text: self-contained, the report's JSON embedded safely, one row per step with its hooks, written by the writer.</summary>
public sealed partial class ReportHtmlTests(ITestOutputHelper output)
{
    // Step 5 (LoadCleanup) breaks DrainBeforeCleanup; it depends on steps 1 and 4 (see ReportRendererTests).
    private static readonly TraceEvent[] Events =
    [
        new(EventKind.ThreadStart, Actor.Receiver(0)),
        new(EventKind.Dispatch, Actor.Migration, Channel: 1, Id: 0, Block: 0, Page: 0, Count: 1),
        new(EventKind.SyncAck, Actor.Sender(1), Channel: 1),
        new(EventKind.RecvQueue, Actor.Destination, Channel: 0, Id: 0, Block: 0, Page: 0, Count: 1),
        new(EventKind.LoadCleanup, Actor.Destination),
        new(EventKind.SyncDone, Actor.Migration, Channel: 1),
    ];

    internal static Report Sample(string text = "LoadCleanup with chunk 0 queued on recv0") => new()
    {
        Title = "demo violates DrainBeforeCleanup",
        Source = ReportSource.Coyote,
        Variant = "demo-policy",
        Property = PropertyId.DrainBeforeCleanup,
        Configuration = [new("policy", "demo-policy"), new("channels", "2")],
        Seed = "42",
        Verdict = "demo violates DrainBeforeCleanup: LoadCleanup runs with a chunk queued.",
        Violation = text,
        ViolationStep = 5,
        Workload = "1 page.",
        Steps = ReportTrace.Build(Events, packets: false, violatingStep: 5),
        ReplayCommand = "syncmodel replay reports/demo.json",
        RerunCommand = "syncmodel explore --policy demo-policy --seed 42",
        Participants = [Actor.Migration, Actor.Sender(0), Actor.Sender(1), Actor.Guest, Actor.Destination, Actor.Receiver(0), Actor.Receiver(1)],
    };

    [Fact]
    public void The_page_loads_nothing_from_anywhere()
    {
        var html = ReportHtml.Render(Sample());

        Assert.DoesNotMatch(NetworkReference(), html);
        Assert.Contains("default-src 'none'", html, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(html, "<script"));
        output.WriteLine($"sample page: {html.Length:N0} characters");
    }

    [Fact]
    public void The_embedded_json_is_the_report_and_markup_in_it_cannot_end_the_script()
    {
        var hostile = "</script><script>alert(1)</script> <!-- <script> -->";
        var report = Sample(hostile) with { Notes = [hostile] };
        var html = ReportHtml.Render(report);

        var data = EmbeddedJson().Match(html);
        Assert.True(data.Success);
        Assert.DoesNotContain("</", data.Groups[1].Value, StringComparison.Ordinal);
        Assert.DoesNotContain("<!--", data.Groups[1].Value, StringComparison.Ordinal);
        Assert.Equal(ReportJson.Render(report), ReportJson.Render(ReportJson.Parse(data.Groups[1].Value)));
        Assert.DoesNotContain("<script>alert", html, StringComparison.Ordinal);
        Assert.Contains("&lt;/script&gt;&lt;script&gt;alert(1)", html, StringComparison.Ordinal);
        Assert.Equal("\\u003c/script>", ReportHtml.ScriptData("</script>"));
    }

    [Fact]
    public void Markup_in_a_steps_texts_is_escaped_in_its_row()
    {
        var hostile = "<img src=x onerror=alert(1)> & \"q\"";
        var report = Sample();
        var steps = report.Steps.ToList();
        steps[^1] = steps[^1] with { WhatChanged = hostile, Changes = [new("pending recv0", hostile)] };
        var html = ReportHtml.Render(report with { Steps = steps });

        var row = html[html.IndexOf($"data-step=\"{steps[^1].Index}\"", StringComparison.Ordinal)..];
        row = row[..row.IndexOf("</tr>", StringComparison.Ordinal)];
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.Contains("<span class=\"wc\">&lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;</span>", row, StringComparison.Ordinal);
        Assert.Contains("<li>pending recv0 = &lt;img src=x onerror=alert(1)&gt; &amp; &quot;q&quot;</li>", row, StringComparison.Ordinal);
    }

    [Fact]
    public void Every_step_is_a_row_in_its_threads_lane_with_the_slice_and_the_violation_marked()
    {
        var report = Sample();
        var html = ReportHtml.Render(report);

        var rows = StepRow().Matches(html);
        Assert.Equal(report.Steps.Count, rows.Count);
        Assert.Equal(report.Steps.Select(s => s.Index.ToString()), rows.Select(m => m.Groups["step"].Value));
        Assert.Equal(report.Steps.Select(s => s.Event.Actor.ToString()), rows.Select(m => m.Groups["actor"].Value));
        Assert.Equal([1, 4, 5], rows.Where(m => m.Groups["class"].Value.Contains("in-slice", StringComparison.Ordinal)).Select(m => int.Parse(m.Groups["step"].Value)));
        Assert.Equal("5", Assert.Single(rows, m => m.Groups["class"].Value.Contains("violation", StringComparison.Ordinal)).Groups["step"].Value);
        // Lanes in ReportRenderer.LaneOrder: dest's LoadCleanup sits in the fifth lane (after main, send0, send1, guest).
        Assert.Contains("<th scope=\"col\" data-lane=\"main\"", html, StringComparison.Ordinal);
        Assert.Matches("data-step=\"5\"[^>]*><th scope=\"row\">5 <span[^<]*</span></th>(<td></td>){4}<td class=\"ev\">", html);
        Assert.Equal(2, Regex.Count(html, "<tr class=\"run\""));
        Assert.Contains("id=\"state\"", html, StringComparison.Ordinal);
        Assert.Contains("id=\"current-step\"", html, StringComparison.Ordinal);
        Assert.Contains("syncmodel replay reports/demo.json", html, StringComparison.Ordinal);
        Assert.Contains("syncmodel explore --policy demo-policy --seed 42", html, StringComparison.Ordinal);
    }

    [Fact]
    public void A_coyote_reports_scenario_is_shown_as_replay_reads_it()
    {
        Assert.DoesNotContain("id=\"scenario\"", ReportHtml.Render(Sample()), StringComparison.Ordinal);
        var scenario = new ReportScenario
        {
            Policy = "demo-policy", FlushSource = true, FlushDestination = false, Channels = 2, Kind = "SaveThenLoad", Errors = "none",
            Mutations = "none", LiveRounds = 1, PageSize = 4096, PagesPerBatch = 2, LoadChunkBytes = 8192, PagesPerIteration = 4,
            Blocks = [new("pc.ram<b>", 4)], Initial = [new(0, 3, "data:7")], Rounds = [[new(0, 1, "zeros")]],
        };

        var html = ReportHtml.Render(Sample() with { Scenario = scenario });

        var shown = Regex.Match(html, "<details id=\"scenario\">.*?<pre>(.*?)</pre>", RegexOptions.Singleline);
        Assert.True(shown.Success);
        Assert.Contains("&quot;name&quot;: &quot;pc.ram&lt;b&gt;&quot;", shown.Groups[1].Value, StringComparison.Ordinal);
        Assert.Contains("&quot;fill&quot;: &quot;data:7&quot;", shown.Groups[1].Value, StringComparison.Ordinal);
        Assert.Contains("&quot;loadChunkBytes&quot;: 8192", shown.Groups[1].Value, StringComparison.Ordinal);
    }

    [Fact]
    public void The_writer_writes_the_page_beside_the_markdown_and_the_json()
    {
        var dir = Directory.CreateTempSubdirectory("syncmodel-html-").FullName;
        try
        {
            var files = ReportWriter.Write(dir, Sample());

            Assert.Equal(Path.ChangeExtension(files.JsonPath, ".html"), files.HtmlPath);
            Assert.Equal(ReportHtml.Render(Sample()), File.ReadAllText(files.HtmlPath));
            Assert.Empty(Directory.GetFiles(dir, "*.tmp"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>Anything that would make a browser fetch: a URL with a scheme, a protocol-relative URL, src/href to elsewhere, @import, url().</summary>
    [GeneratedRegex(@"https?:|//[a-z]|\bsrc=|<link|@import|url\(", RegexOptions.IgnoreCase)]
    private static partial Regex NetworkReference();

    [GeneratedRegex("<script type=\"application/json\" id=\"report-data\">(.*?)</script>", RegexOptions.Singleline)]
    private static partial Regex EmbeddedJson();

    [GeneratedRegex("<tr[^>]* class=\"(?<class>step[^\"]*)\" data-row=\"\\d+\" data-step=\"(?<step>\\d+)\" data-actor=\"(?<actor>[a-z0-9]+)\"")]
    private static partial Regex StepRow();
}
