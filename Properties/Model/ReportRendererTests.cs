using System.Text.Json;
using SyncModel.Model;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;
using SyncModel.Protocol.Reports;

namespace SyncModel.Properties.Model;

/// <summary>The shared report renderer: configuration, verdict, trace table, Mermaid diagram, replay command, JSON.</summary>
public sealed class ReportRendererTests
{
    private static Report Sample() => new()
    {
        Title = "demo violates DrainBeforeCleanup",
        Variant = "demo-policy",
        Property = "DrainBeforeCleanup",
        Configuration = [new("policy", "demo-policy"), new("channels", "2")],
        Verdict = "demo violates DrainBeforeCleanup: LoadCleanup runs with a chunk queued.",
        Workload = "1 page.",
        Steps =
        [
            new(1, new TraceEvent(EventKind.Dispatch, Actor.Migration, Channel: 1, Id: 0, Block: 0, Page: 0, Count: 1), "send1: idle → job"),
            new(2, new TraceEvent(EventKind.SyncAck, Actor.Sender(1), Channel: 1), "a | b"),
            new(3, new TraceEvent(EventKind.RecvQueue, Actor.Destination, Channel: 0, Id: 0, Block: 0, Page: 0, Count: 1), ""),
            new(4, new TraceEvent(EventKind.LoadCleanup, Actor.Destination), "dest: cleaned"),
            new(5, new TraceEvent(EventKind.SyncDone, Actor.Migration, Channel: 1), ""),
        ],
        ReplayCommand = "syncmodel check --policy demo-policy",
        Participants = [Actor.Migration, Actor.Sender(0), Actor.Sender(1), Actor.Guest, Actor.Destination, Actor.Receiver(0), Actor.Receiver(1)],
    };

    [Fact]
    public void Markdown_has_configuration_verdict_table_diagram_and_command_in_order()
    {
        var md = ReportRenderer.Markdown(Sample());

        var order = new[] { "## Configuration", "| channels | 2 |", "## Verdict", "## Workload", "## Trace",
            "| step | actor | event | what changed |", "```mermaid\nsequenceDiagram", "## Replay", "syncmodel check --policy demo-policy" }
            .Select(s => md.IndexOf(s, StringComparison.Ordinal)).ToArray();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.OrderBy(i => i), order);
        Assert.Contains("| 1 | main | Dispatch ch=1 batch=0 b0:p0+1 | send1: idle → job |", md, StringComparison.Ordinal);
        Assert.Contains("a \\| b", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Mermaid_has_one_lifeline_per_thread_and_messages_between_them()
    {
        var mermaid = ReportRenderer.Mermaid(Sample());

        Assert.StartsWith("sequenceDiagram\n  participant main\n  participant send0\n  participant send1\n  participant guest\n  participant dest\n  participant recv0\n  participant recv1\n", mermaid, StringComparison.Ordinal);
        Assert.Contains("main->>send1: 1 Dispatch", mermaid, StringComparison.Ordinal);
        Assert.Contains("send1-->>main: 2 SyncAck", mermaid, StringComparison.Ordinal);
        Assert.Contains("dest->>recv0: 3 RecvQueue", mermaid, StringComparison.Ordinal);
        Assert.Contains("Note over dest: 4 LoadCleanup", mermaid, StringComparison.Ordinal);
        Assert.Contains("Note over main,send1: 5 SyncDone ch=1", mermaid, StringComparison.Ordinal);
    }

    [Fact]
    public void Json_uses_camel_case_keys()
    {
        using var doc = JsonDocument.Parse(ReportJson.Render(Sample()));
        var root = doc.RootElement;

        Assert.Equal("DrainBeforeCleanup", root.GetProperty("property").GetString());
        Assert.Equal("2", root.GetProperty("configuration").GetProperty("channels").GetString());
        var step = root.GetProperty("steps")[0];
        Assert.Equal("main", step.GetProperty("actor").GetString());
        Assert.Equal("Dispatch", step.GetProperty("event").GetString());
        Assert.Equal(1, step.GetProperty("channel").GetInt32());
        Assert.Equal("send1: idle → job", step.GetProperty("whatChanged").GetString());
        Assert.Equal(ReportRenderer.ShortId(Sample()), root.GetProperty("shortId").GetString());
        Assert.Equal("syncmodel check --policy demo-policy", root.GetProperty("replayCommand").GetString());
    }

    [Fact]
    public void The_writer_names_files_by_variant_property_and_a_stable_trace_hash()
    {
        var dir = Path.Combine(Path.GetTempPath(), "syncmodel-report-test-" + Guid.NewGuid().ToString("N"));
        try
        {
            var files = ReportWriter.Write(dir, Sample());
            var again = ReportWriter.Write(dir, Sample());

            Assert.Equal(files, again);
            Assert.Equal(Path.Combine(dir, $"demo-policy-DrainBeforeCleanup-{ReportRenderer.ShortId(Sample())}.md"), files.MarkdownPath);
            Assert.True(File.Exists(files.JsonPath));
            Assert.Matches("^[0-9a-f]{8}$", ReportRenderer.ShortId(Sample()));
            Assert.NotEqual(ReportRenderer.ShortId(Sample()), ReportRenderer.ShortId(Sample() with { Steps = Sample().Steps.Take(3).ToList() }));
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void Check_results_render_as_the_design_json()
    {
        var r = ModelChecker.Check(ModelConfigs.Small(PeterXuOneShot.Instance));
        using var doc = JsonDocument.Parse(ModelReports.ResultsJson([(r, "reports/x.md")]));
        var first = doc.RootElement.GetProperty("results")[0];

        Assert.Equal("peterxu-oneshot", first.GetProperty("policy").GetString());
        Assert.False(first.GetProperty("flushAfterEachSection").GetProperty("source").GetBoolean());
        Assert.Equal("off", first.GetProperty("errors").GetString());
        Assert.Equal("violated", first.GetProperty("verdict").GetString());
        Assert.Equal("NoDeadlock", first.GetProperty("property").GetString());
        Assert.Equal("reports/x.md", first.GetProperty("report").GetString());
        Assert.Equal(r.States, first.GetProperty("states").GetInt32());
    }

    [Fact]
    public void A_model_counterexample_renders_with_stable_channel_names()
    {
        var result = ModelChecker.Check(ModelConfigs.Small(FixedRamV4.Instance, f: true));
        var report = ModelReports.ToReport(result)!;
        var md = ReportRenderer.Markdown(report);

        Assert.Contains("## Trace", md, StringComparison.Ordinal);
        Assert.Contains("```mermaid", md, StringComparison.Ordinal);
        Assert.Contains(result.Options.ToCommandLine(), md, StringComparison.Ordinal);
        Assert.StartsWith("syncmodel check --policy fixed-ram-v4 --flush-after-each-section=on --channels 2 --pages 2 --rounds 2", report.ReplayCommand, StringComparison.Ordinal);
        // Each send thread only writes batches that were dispatched to it: channel ids survive the symmetry reduction.
        var owner = new Dictionary<long, int>();
        foreach (var e in result.Counterexample)
        {
            if (e.Kind == EventKind.Dispatch) owner[e.Id] = e.Channel;
            if (e.Kind == EventKind.WriteBegin) Assert.Equal(owner[e.Id], e.Actor.Index);
        }
        Assert.Null(ModelReports.ToReport(ModelChecker.Check(ModelConfigs.Small(FixedRamV4.Instance))));
    }
}
