using System.Text.Json;
using SyncModel.Model;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;
using SyncModel.Protocol.Reports;

namespace SyncModel.Properties.Model;

/// <summary>The shared report renderer: configuration, verdict, trace table, Mermaid diagram, replay command, JSON.</summary>
public sealed class ReportRendererTests
{
    // Step 5 (LoadCleanup) breaks DrainBeforeCleanup: it needs recv0's queued chunk (step 4) and recv0's thread (step 1);
    // the dispatch and the ack (steps 2-3) and the sync after the violation (step 6) are not part of it.
    private static readonly TraceEvent[] SampleEvents =
    [
        new(EventKind.ThreadStart, Actor.Receiver(0)),
        new(EventKind.Dispatch, Actor.Migration, Channel: 1, Id: 0, Block: 0, Page: 0, Count: 1),
        new(EventKind.SyncAck, Actor.Sender(1), Channel: 1),
        new(EventKind.RecvQueue, Actor.Destination, Channel: 0, Id: 0, Block: 0, Page: 0, Count: 1),
        new(EventKind.LoadCleanup, Actor.Destination),
        new(EventKind.SyncDone, Actor.Migration, Channel: 1),
    ];

    private static Report Sample() => new()
    {
        Title = "demo violates DrainBeforeCleanup",
        Source = ReportSource.Model,
        Variant = "demo-policy",
        Property = PropertyId.DrainBeforeCleanup,
        Configuration = [new("policy", "demo-policy"), new("channels", "2")],
        Verdict = "demo violates DrainBeforeCleanup: LoadCleanup runs with a chunk queued.",
        Violation = "LoadCleanup with chunk 0 queued on recv0",
        ViolationStep = 5,
        Workload = "1 page.",
        Steps = ReportTrace.Enrich([.. SampleEvents.Select((e, i) => new ReportStep(i + 1, e, i == 2 ? "a | b" : ""))], violatingStep: 5),
        ReplayCommand = "syncmodel check --policy demo-policy",
        Participants = [Actor.Migration, Actor.Sender(0), Actor.Sender(1), Actor.Guest, Actor.Destination, Actor.Receiver(0), Actor.Receiver(1)],
    };

    [Fact]
    public void The_slice_keeps_the_steps_the_violation_read_and_drops_the_others()
    {
        Assert.Equal([1, 4, 5], Sample().Slice.Select(s => s.Index));
        Assert.Equal([(2, 3), (6, 6)], ReportTrace.Collapsed(Sample().Steps).Select(c => (c.From, c.To)));
    }

    [Fact]
    public void A_wait_pulls_in_the_post_it_took()
    {
        // SyncDone takes send1's sem_sync: the SyncAck that posted it is in the slice, the unrelated dispatch is not.
        var steps = ReportTrace.Enrich([.. SampleEvents.Select((e, i) => new ReportStep(i + 1, e, ""))], violatingStep: 6);
        Assert.Contains(3, steps.Where(s => s.InSlice).Select(s => s.Index));
        Assert.DoesNotContain(4, steps.Where(s => s.InSlice).Select(s => s.Index));
        Assert.Contains(new StateChange("send1.sem_sync", "1"), steps[2].Changes);
    }

    [Fact]
    public void Markdown_has_configuration_verdict_slice_diagram_full_trace_and_command_in_order()
    {
        var md = ReportRenderer.Markdown(Sample());

        var order = new[] { "## Configuration", "| channels | 2 |", "## Verdict", "**DrainBeforeCleanup** — ", "Violation at step 5: LoadCleanup with chunk 0 queued",
            "## Workload", "## The steps the violation depends on", "| 2–3 | | *", "```mermaid\nsequenceDiagram", "## Full trace", "## Replay", "syncmodel check --policy demo-policy" }
            .Select(s => md.IndexOf(s, StringComparison.Ordinal)).ToArray();
        Assert.DoesNotContain(-1, order);
        Assert.Equal(order.OrderBy(i => i), order);
        Assert.Contains("| 2 | main | Dispatch ch=1 batch=0 b0:p0+1 |", md, StringComparison.Ordinal);
        Assert.Contains("| 4 ● | dest | RecvQueue", md, StringComparison.Ordinal);
        Assert.Contains("a \\| b", md, StringComparison.Ordinal);
    }

    [Fact]
    public void Mermaid_has_one_lifeline_per_thread_the_slice_as_messages_and_the_rest_as_notes()
    {
        var mermaid = ReportRenderer.Mermaid(Sample());

        Assert.StartsWith("sequenceDiagram\n  participant main\n  participant send0\n  participant send1\n  participant guest\n  participant dest\n  participant recv0\n  participant recv1\n", mermaid, StringComparison.Ordinal);
        Assert.Contains("dest->>recv0: 4 RecvQueue", mermaid, StringComparison.Ordinal);
        Assert.Contains("Note over dest: 5 LoadCleanup", mermaid, StringComparison.Ordinal);
        Assert.Contains("Note over main,recv1: steps 2-3: ", mermaid, StringComparison.Ordinal);
        Assert.DoesNotContain("main->>send1: 2 Dispatch", mermaid, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("qemu-9.0-socket", true)]
    [InlineData("qemu-9.0-mapped-ram", false)]
    public void On_a_socket_packets_and_stream_records_are_arrows_between_the_sides(string policy, bool socket)
    {
        TraceEvent[] events =
        [
            new(EventKind.WriteEnd, Actor.Sender(0), Channel: 0, Id: 0, Block: 0, Page: 3, Count: 1),
            new(EventKind.SyncAck, Actor.Sender(0), Channel: 0),
            new(EventKind.StreamFlag, Actor.Migration, Flag: RamFlag.Flush),
            new(EventKind.SeeFlag, Actor.Destination, Flag: RamFlag.Flush),
        ];
        var report = Sample() with
        {
            Configuration = [new("policy", policy)],
            Steps = [.. events.Select((e, i) => new ReportStep(i + 1, e, "") { InSlice = true })],
            ViolationStep = 4,
        };

        var mermaid = ReportRenderer.Mermaid(report);

        Assert.Equal(socket, mermaid.Contains("send0-->>recv0: 1 packet WriteEnd batch=0 b0:p3+1", StringComparison.Ordinal));
        Assert.Equal(socket, mermaid.Contains("send0-->>recv0: 2 SYNC packet", StringComparison.Ordinal));
        Assert.Equal(socket, mermaid.Contains("main->>dest: 3 StreamFlag FLUSH", StringComparison.Ordinal));
        // The SYNC's post on sem_sync is the migration thread's, as on a file.
        Assert.Contains("send0-->>main: 2 SyncAck", mermaid, StringComparison.Ordinal);
        Assert.Equal(!socket, mermaid.Contains("Note over send0: 1 WriteEnd", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void On_a_socket_a_SYNC_post_depends_on_the_SYNC_write_it_read(bool packets)
    {
        TraceEvent[] events =
        [
            new(EventKind.Wake, Actor.Sender(0), Channel: 0),
            new(EventKind.SyncAck, Actor.Sender(0), Channel: 0),
            new(EventKind.WriteEnd, Actor.Sender(1), Channel: 1, Id: 0, Block: 0, Page: 2, Count: 1),
            new(EventKind.SyncPost, Actor.Receiver(0), Channel: 0),
        ];
        var steps = ReportTrace.Enrich([.. events.Select((e, i) => new ReportStep(i + 1, e, ""))], violatingStep: 4, packets: packets);

        Assert.Equal(packets, steps[1].InSlice);
        Assert.False(steps[2].InSlice);
        Assert.Equal(packets, steps[1].Changes.Contains(new StateChange(TraceState.PacketCell(0, 1), "SYNC written")));
    }

    [Fact]
    public void A_SYNC_riding_on_a_job_is_that_packets_flag_and_its_post_depends_on_both()
    {
        TraceEvent[] events =
        [
            new(EventKind.WriteEnd, Actor.Sender(0), Channel: 0, Id: 0, Block: 0, Page: 1, Count: 1),
            new(EventKind.SyncAck, Actor.Sender(0), Channel: 0),
            new(EventKind.ReadBegin, Actor.Receiver(0), Channel: 0, Id: 1, Block: 0, Page: 1, Count: 1),
            new(EventKind.ReadEnd, Actor.Receiver(0), Channel: 0, Id: 1, Block: 0, Page: 1, Count: 1),
            new(EventKind.SyncPost, Actor.Receiver(0), Channel: 0),
        ];
        var steps = ReportTrace.Enrich([.. events.Select((e, i) => new ReportStep(i + 1, e, ""))], violatingStep: 5, packets: true);

        Assert.Contains(new StateChange(TraceState.PacketCell(0, 1), "b0:p1+SYNC written"), steps[1].Changes);
        Assert.True(steps[1].InSlice);
    }

    [Fact]
    public void Json_uses_camel_case_keys_and_stable_ids()
    {
        using var doc = JsonDocument.Parse(ReportJson.Render(Sample()));
        var root = doc.RootElement;

        Assert.Equal(Report.SchemaVersion, root.GetProperty("schemaVersion").GetInt32());
        Assert.Equal("DrainBeforeCleanup", root.GetProperty("property").GetProperty("id").GetString());
        Assert.Equal("violated", root.GetProperty("verdict").GetProperty("id").GetString());
        Assert.Equal(5, root.GetProperty("violation").GetProperty("step").GetInt32());
        Assert.Equal("channels", root.GetProperty("configuration")[1].GetProperty("id").GetString());
        var step = root.GetProperty("steps")[1];
        Assert.Equal("main", step.GetProperty("actor").GetString());
        Assert.Equal("Dispatch", step.GetProperty("event").GetProperty("kind").GetString());
        Assert.Equal(1, step.GetProperty("event").GetProperty("channel").GetInt32());
        Assert.Equal([1, 4, 5], root.GetProperty("slice").GetProperty("steps").EnumerateArray().Select(x => x.GetInt32()));
        Assert.Equal(ReportRenderer.ShortId(Sample()), root.GetProperty("shortId").GetString());
        Assert.Equal("syncmodel check --policy demo-policy", root.GetProperty("replayCommand").GetString());
    }

    [Fact]
    public void Json_reads_back_to_the_same_report()
    {
        var json = ReportJson.Render(Sample());

        Assert.Equal(json, ReportJson.Render(ReportJson.Parse(json)));
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("not json")]
    [InlineData("{\"schemaVersion\": 1, \"kind\": \"syncmodel-report\"}")]
    public void Json_that_is_not_a_report_is_refused_by_name(string json)
    {
        var e = Assert.Throws<FormatException>(() => ReportJson.Parse(json, "x.json"));
        Assert.StartsWith("x.json: ", e.Message, StringComparison.Ordinal);
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
            Assert.NotEqual(ReportRenderer.ShortId(Sample()), ReportRenderer.ShortId(Sample() with { Steps = [.. Sample().Steps.Take(3)] }));
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

        Assert.Contains("## Full trace", md, StringComparison.Ordinal);
        Assert.NotEmpty(report.Slice);
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
