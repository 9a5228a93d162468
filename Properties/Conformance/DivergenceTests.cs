using SyncModel.Coyote.Scenarios;
using SyncModel.Coyote.Exploration;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.Socket;
using SyncModel.Model.Conformance;
using SyncModel.Properties.Support;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using static SyncModel.Properties.Conformance.ConformanceCases;

namespace SyncModel.Properties.Conformance;

/// <summary>
/// The validator rejects an Implementation that diverges from its policy, at the first event the policy's model cannot
/// take, and says what it expected: runs of one policy checked against another, runs with a mutation switch checked
/// against the unmutated policy, and hand-edited traces.
/// </summary>
public sealed class DivergenceTests
{
    private static readonly MigrationConfig TwoChannels = Config(2, [6], 1, 2, 2, FlushSetting.Off);

    private static (IReadOnlyList<TraceEvent> Trace, PageContents Contents) Run(MigrationConfig config, string policy, Workload? workload = null)
    {
        var w = workload ?? Guest(config, seed: 11);
        return (Runs.SaveThenLoad(config, Policy(policy), w).Events, WorkloadContents.Of(w));
    }

    private static int Last(IReadOnlyList<TraceEvent> trace, EventKind kind) =>
        trace.Select((e, i) => (e, i)).Last(x => x.e.Kind == kind && x.e.Actor == Actor.Migration).i;

    [Fact]
    public void A_qemu90_run_checked_as_qemu100_is_rejected_at_the_sync_in_complete()
    {
        // 9.0 syncs in ram_save_complete; 10.0 relies on the final scan's wrap (§4(e), 1d457daf).
        var (trace, contents) = Run(TwoChannels, "qemu-9.0-mapped-ram");

        var asItself = TraceValidator.Validate(TwoChannels, Policy("qemu-9.0-mapped-ram"), trace, ErrorSides.None, contents: contents);
        var r = TraceValidator.Validate(TwoChannels, Policy("qemu-10.0-mapped-ram"), trace, ErrorSides.None, contents: contents);

        Assert.True(asItself.Accepted && asItself.Finished, asItself.ToString());
        Assert.Equal(ConformanceVerdict.Rejected, r.Verdict);
        Assert.Equal(new TraceEvent(EventKind.SyncRequest, Actor.Migration, 0), r.RejectedEvent);
        Assert.True(r.RejectedIndex > Last(trace, EventKind.RoundStart), Dump(trace, r));
        Assert.Contains("qemu-10.0-mapped-ram does not sync here", r.Reason, StringComparison.Ordinal);
        Assert.Equal(["main FileBitmapWrite b0"], r.Expected);
    }

    [Fact]
    public void A_qemu100_run_checked_as_qemu90_is_rejected_at_the_bitmap_write()
    {
        var (trace, contents) = Run(TwoChannels, "qemu-10.0-mapped-ram");

        var r = TraceValidator.Validate(TwoChannels, Policy("qemu-9.0-mapped-ram"), trace, ErrorSides.None, contents: contents);

        Assert.Equal(ConformanceVerdict.Rejected, r.Verdict);
        Assert.Equal(EventKind.FileBitmapWrite, r.RejectedEvent?.Kind);
        Assert.Equal(Last(trace, EventKind.FileBitmapWrite), r.RejectedIndex);
        Assert.Equal(["main SyncRequest ch=0"], r.Expected);
    }

    [Fact]
    public void A_v4_run_checked_as_peterxu_is_rejected_at_the_flush_in_complete()
    {
        // The review's proposal drops the FLUSH that v4 still writes in ram_save_complete (§4(b), §4(c)).
        var (trace, contents) = Run(TwoChannels, "fixed-ram-v4");

        var r = TraceValidator.Validate(TwoChannels, Policy("peterxu-reentrant"), trace, ErrorSides.None, contents: contents);

        Assert.Equal(new TraceEvent(EventKind.StreamFlag, Actor.Migration, Flag: RamFlag.Flush), r.RejectedEvent);
        Assert.Equal(["main StreamFlag EOS"], r.Expected);
    }

    [Fact]
    public void A_setting_the_policy_ignores_changes_nothing()
    {
        // 9.0 answers every site the same whatever F is (§4(d)); v4 does not (§4(b)).
        var (trace, contents) = Run(TwoChannels, "qemu-9.0-mapped-ram");
        var (v4, v4Contents) = Run(TwoChannels, "fixed-ram-v4");
        var fOn = TwoChannels with { FlushAfterEachSection = FlushSetting.On };

        var r = TraceValidator.Validate(fOn, Policy("qemu-9.0-mapped-ram"), trace, ErrorSides.None, contents: contents);
        var v4AsOn = TraceValidator.Validate(fOn, Policy("fixed-ram-v4"), v4, ErrorSides.None, contents: v4Contents);

        Assert.True(r.Accepted && r.Finished, r.ToString());
        Assert.Equal(ConformanceVerdict.Rejected, v4AsOn.Verdict);
        Assert.Equal(Actor.Migration, v4AsOn.RejectedEvent?.Actor);
    }

    public static TheoryData<string, string, string> Mutations() => new()
    {
        // mutation, the first event the unmutated policy cannot take, what the reason says the model does instead
        { nameof(Mutation.NoCompleteSync), "main FileBitmapWrite", "the model expected main SyncRequest ch=0" },
        { nameof(Mutation.NoRoundSync), "main StreamFlag EOS", "main: Dispatch in iterate 1" },
        { nameof(Mutation.NoRecvSync), "dest SeeFlag", "the model expected dest RecvSyncBegin" },
        { nameof(Mutation.RecvExitAfterSync), "recv", "Exit: exiting is not set" },
        { nameof(Mutation.ZeroPageBitNotCleared), "dest RecvQueue", "the model expected dest RecvQueue" },
    };

    [Theory]
    [MemberData(nameof(Mutations))]
    public void A_mutated_implementation_is_rejected_by_its_policy_and_accepted_by_the_mutated_model(string mutation, string rejected, string expected)
    {
        var m = Enum.Parse<Mutation>(mutation);
        // Two live rounds; page 3 holds data until round 2 writes zeros (5.6 needs a page whose bit was set before).
        var config = Config(2, [6], 2, 2, 2, FlushSetting.Off, mutations: m);
        var initial = Enumerable.Range(0, 6).Select(p => new PageWrite(0, p, PageFill.Data((uint)p + 1))).ToList();
        var workload = new Workload(initial, [[new PageWrite(0, 1, PageFill.Data(9))], [new PageWrite(0, 3, PageFill.Zeros)]]);
        // On real threads a mutated run can interleave exactly like an unmutated one (e.g. the recv thread that
        // leaves early is not scheduled before the destination's own shutdown): such a run diverges from nothing, so
        // run again, a bounded number of times, until the mutation shows.
        // These runs inject no IO fault, so the unmutated model is checked without one: with faults allowed, an early
        // recv exit can be explained by a silent read failure on another channel, and the first event no run can take
        // moves later (about 6% of real-thread runs).
        var unmutated = TraceValidator.ModelOptions(config with { Mutations = Mutation.None }, Policy("qemu-9.0-mapped-ram"), ErrorSides.None);
        var (trace, contents) = Run(config, "qemu-9.0-mapped-ram", workload);
        var asPolicy = TraceValidator.Validate(unmutated, trace, contents);
        for (var attempt = 1; attempt < 10 && asPolicy.Verdict != ConformanceVerdict.Rejected; attempt++)
        {
            (trace, contents) = Run(config, "qemu-9.0-mapped-ram", workload);
            asPolicy = TraceValidator.Validate(unmutated, trace, contents);
        }
        var asMutated = TraceValidator.Validate(config, Policy("qemu-9.0-mapped-ram"), trace, ErrorSides.None, contents: contents);

        Assert.Equal(ConformanceVerdict.Rejected, asPolicy.Verdict);
        Assert.StartsWith(rejected, asPolicy.RejectedEvent.ToString(), StringComparison.Ordinal);
        Assert.Contains(expected, asPolicy.Reason, StringComparison.Ordinal);
        Assert.True(asMutated.Accepted && asMutated.Finished, Dump(trace, asMutated));
    }

    [Theory]
    [InlineData(nameof(Mutation.NoCompleteSync), "main StreamFlag FLUSH", "the model expected main SyncRequest ch=0")]
    [InlineData(nameof(Mutation.ExtraSyncKick), "send0 Wake", "nothing is posted on send0's sem")]
    public void A_mutated_socket_source_is_rejected_by_its_policy_and_accepted_by_the_mutated_model(string mutation, string rejected, string expected)
    {
        // Coyote's schedules of a socket migration whose source carries the mutation (each breaks a property, so Coyote stops
        // at its first schedule); the source's events are checked.
        var m = Enum.Parse<Mutation>(mutation);
        var config = Config(2, [4], 1, 1, 1, FlushSetting.Off, mutations: m);
        var scenario = new Scenario(Policy("qemu-9.0-socket"), config, ScenarioKind.SaveThenLoad, ErrorSides.None, Guest(config, seed: 5));
        var traces = new List<IReadOnlyList<TraceEvent>>();
        Explorer.Explore(scenario, "random", seed: 7, 20, onTrace: traces.Add);
        var unmutated = TraceValidator.ModelOptions(config with { Mutations = Mutation.None }, scenario.Policy, ErrorSides.None, ConformanceScope.SaveOnly);
        var contents = WorkloadContents.Of(scenario.Workload);

        Assert.NotEmpty(traces);
        foreach (var trace in traces)
        {
            var asPolicy = TraceValidator.Validate(unmutated, trace, contents);
            var asMutated = TraceValidator.Validate(config, scenario.Policy, trace, ErrorSides.None, ConformanceScope.SaveOnly, contents);

            Assert.Equal(ConformanceVerdict.Rejected, asPolicy.Verdict);
            Assert.StartsWith(rejected, asPolicy.RejectedEvent.ToString(), StringComparison.Ordinal);
            Assert.Contains(expected, asPolicy.Reason, StringComparison.Ordinal);
            // The position is the whole trace's, the destination's events included (NoCompleteSync's comes after many).
            Assert.Equal(trace[asPolicy.RejectedIndex], asPolicy.RejectedEvent);
            Assert.True(asMutated.Accepted, Dump(trace, asMutated));
        }
    }

    [Theory]
    [InlineData(nameof(Mutation.NoRecvSync), "dest SeeFlag", "the model expected dest RecvSyncBegin")]
    [InlineData(nameof(Mutation.FinalSyncWithoutFlush), "main StreamFlag EOS", "the model expected main StreamFlag FLUSH")]
    public void A_mutated_socket_migration_is_rejected_by_its_policy_on_either_side_and_accepted_by_the_mutated_model(string mutation, string rejected, string expected)
    {
        // Source and destination together: a destination that skips its recv sync at FLUSH, a source that syncs at complete
        // without writing the FLUSH the destination answers with its recv sync.
        var m = Enum.Parse<Mutation>(mutation);
        var config = Config(2, [4], 1, 1, 1, FlushSetting.Off, mutations: m);
        var scenario = new Scenario(Policy("qemu-9.0-socket"), config, ScenarioKind.SaveThenLoad, ErrorSides.None, Guest(config, seed: 5))
        {
            SocketBufferBytes = SocketOptions.HeaderBytes(1),
        };
        var traces = new List<IReadOnlyList<TraceEvent>>();
        Explorer.Explore(scenario, "random", seed: 7, 20, onTrace: traces.Add);
        var contents = WorkloadContents.Of(scenario.Workload);

        Assert.NotEmpty(traces);
        foreach (var trace in traces)
        {
            var asPolicy = TraceValidator.Validate(config with { Mutations = Mutation.None }, scenario.Policy, trace, ErrorSides.None, contents: contents);
            var asMutated = TraceValidator.Validate(config, scenario.Policy, trace, ErrorSides.None, contents: contents);

            Assert.Equal(ConformanceVerdict.Rejected, asPolicy.Verdict);
            Assert.StartsWith(rejected, asPolicy.RejectedEvent.ToString(), StringComparison.Ordinal);
            Assert.Contains(expected, asPolicy.Reason, StringComparison.Ordinal);
            Assert.True(asMutated.Accepted, Dump(trace, asMutated));
        }
    }

    [Fact]
    public void A_receiver_that_leaves_quietly_inside_a_cut_packet_is_rejected()
    {
        // A send channel's write error cuts its packet: the recv thread that read the header reads the end of the stream
        // inside the pages once the source closed, an error (multifd.c:1478-1481 @9.0). Leaving quietly there (as at the end
        // of the stream between two packets) is no run of the model while the destination is not exiting.
        var config = Config(1, [4], 1, 1, 1, FlushSetting.Off);
        var scenario = new Scenario(Policy("qemu-9.0-socket"), config, ScenarioKind.SaveThenLoad, ErrorSides.Source, Guest(config, seed: 5))
        {
            SocketBufferBytes = SocketOptions.HeaderBytes(1),
        };
        // Each exploration stops at its first hang (the source's sync or the destination's recv sync, §2.9): several seeds.
        var traces = new List<IReadOnlyList<TraceEvent>>();
        for (uint seed = 1; seed <= 12; seed++) Explorer.Explore(scenario, "pct", seed, 100, onTrace: traces.Add);
        var contents = WorkloadContents.Of(scenario.Workload);
        static bool CutRead(TraceEvent e) => e.Actor.Kind == ActorKind.Receiver && e.Error?.Contains("ends inside packet", StringComparison.Ordinal) == true;
        static bool DestinationExiting(TraceEvent e) => e.Actor == Actor.Destination && e.Kind is EventKind.Shutdown or EventKind.LoadCleanup or EventKind.Join;

        var judged = 0;
        foreach (var trace in traces)
        {
            var at = trace.ToList().FindIndex(CutRead);
            if (at < 0 || trace.Take(at).Any(DestinationExiting)) continue;
            var original = TraceValidator.Validate(config, scenario.Policy, trace, ErrorSides.Source, contents: contents);
            Assert.True(original.Accepted, Dump(trace, original));
            var quiet = trace.Select((e, i) => i == at ? e with { Error = null } : e).ToList();
            var r = TraceValidator.Validate(config, scenario.Policy, quiet, ErrorSides.Source, contents: contents);
            Assert.Equal(ConformanceVerdict.Rejected, r.Verdict);
            Assert.Equal(quiet[at], r.RejectedEvent);
            judged++;
        }
        Assert.True(judged > 0, $"none of {traces.Count} iterations read a cut packet's pages before the destination's cleanup");
    }

    [Fact]
    public void A_connection_holding_more_packets_than_the_models_is_reported_not_checked()
    {
        // A parked receiver's connection after three SYNC packets: the Implementation's byte buffer holds them, the model's two.
        var config = Config(1, [4], 1, 1, 1, FlushSetting.Off);
        var send = Actor.Sender(0);
        TraceEvent[] trace = [.. Enumerable.Range(0, 3).SelectMany(_ => new[] { new TraceEvent(EventKind.Wake, send, 0), new TraceEvent(EventKind.SyncAck, send, 0) })];

        var three = TraceValidator.Validate(config, Policy("qemu-9.0-socket"), trace, ErrorSides.None);
        var two = TraceValidator.Validate(config, Policy("qemu-9.0-socket"), trace[..4], ErrorSides.None);

        Assert.Equal(ConformanceVerdict.NotRepresentable, three.Verdict);
        Assert.Contains("connection 0 holds 3 packets", three.Reason, StringComparison.Ordinal);
        // Two fit: the replay judges them (the model's socket migration starts with the channels' creation, not a SYNC).
        Assert.Equal(ConformanceVerdict.Rejected, two.Verdict);
    }

    [Theory]
    [InlineData(ConformanceScope.SaveThenLoad, ErrorSides.None, "one page per packet")]
    [InlineData(ConformanceScope.SaveThenLoad, ErrorSides.Connect, "at most 8 pages, got 9")]
    [InlineData(ConformanceScope.SaveThenLoad, ErrorSides.Source | ErrorSides.Connect, "errors connect on a socket migration with its destination")]
    [InlineData(ConformanceScope.SaveOnly, ErrorSides.Main, "scope save-then-load")]
    public void A_socket_run_the_model_cannot_stand_for_is_reported_not_checked(ConformanceScope scope, ErrorSides errors, string why)
    {
        var config = (scope, errors) switch
        {
            (ConformanceScope.SaveThenLoad, ErrorSides.Connect) => Config(2, [9], 1, 1, 1, FlushSetting.Off),
            (ConformanceScope.SaveThenLoad, not ErrorSides.None) => Config(2, [4], 1, 1, 1, FlushSetting.Off),
            _ => TwoChannels,
        };
        var r = TraceValidator.Validate(config, Policy("qemu-9.0-socket"), [], errors, scope);

        Assert.Equal(ConformanceVerdict.NotRepresentable, r.Verdict);
        Assert.Contains(why, r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_dropped_sync_ack_is_rejected_where_the_migration_thread_takes_it()
    {
        var (trace, contents) = Run(TwoChannels, "qemu-9.0-mapped-ram");
        var ack = trace.Select((e, i) => (e, i)).First(x => x.e.Kind == EventKind.SyncAck && x.e.Actor == Actor.Sender(0)).i;
        var edited = trace.Where((_, i) => i != ack).ToList();

        var r = TraceValidator.Validate(TwoChannels, Policy("qemu-9.0-mapped-ram"), edited, ErrorSides.None, contents: contents);

        Assert.Equal(new TraceEvent(EventKind.SyncDone, Actor.Migration, 0), r.RejectedEvent);
        Assert.Contains("channel 0 has not acked", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_read_of_a_chunk_never_queued_is_rejected()
    {
        var (trace, contents) = Run(TwoChannels, "qemu-9.0-mapped-ram");
        var chunks = trace.Count(e => e.Kind == EventKind.RecvQueue);
        var first = trace.Select((e, i) => (e, i)).First(x => x.e.Kind == EventKind.RecvQueue).i;
        var bogus = new TraceEvent(EventKind.ReadEnd, Actor.Receiver(1), 1, chunks, 0, 0, 1);
        var edited = trace.Take(first + 1).Append(bogus).Concat(trace.Skip(first + 1)).ToList();

        var r = TraceValidator.Validate(TwoChannels, Policy("qemu-9.0-mapped-ram"), edited, ErrorSides.None, contents: contents);

        Assert.Equal(first + 1, r.RejectedIndex);
        Assert.Contains($"the model has no chunk {chunks} on recv1", r.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void A_load_cleanup_before_the_join_is_rejected_for_a_policy_that_joins_first()
    {
        // 9.2+ (4ce56229): multifd_recv_cleanup joins the recv threads before qemu_loadvm_state_cleanup (§3.6).
        var (trace, contents) = Run(TwoChannels, "qemu-10.0-mapped-ram");
        var cleanup = trace.Single(e => e.Kind == EventKind.LoadCleanup);
        var join = trace.Select((e, i) => (e, i)).Single(x => x.e.Kind == EventKind.Join && x.e.Actor == Actor.Destination).i;
        var edited = trace.Take(join).Append(cleanup).Concat(trace.Skip(join).Where(e => e.Kind != EventKind.LoadCleanup)).ToList();

        var r = TraceValidator.Validate(TwoChannels, Policy("qemu-10.0-mapped-ram"), edited, ErrorSides.None, contents: contents);

        Assert.Equal(join, r.RejectedIndex);
        Assert.Equal(EventKind.LoadCleanup, r.RejectedEvent?.Kind);
        Assert.Contains("in the order Shutdown → VmStart → Join → LoadCleanup and is at Join", r.Reason, StringComparison.Ordinal);
        Assert.Equal(["dest Join"], r.Expected);
    }

    [Fact]
    public void A_wake_up_nothing_was_posted_for_is_rejected()
    {
        // A spurious wakeup (859ebaf3 made it an assertion): the channel's sem holds no post.
        var (trace, contents) = Run(TwoChannels, "qemu-10.0-mapped-ram");
        var at = trace.Select((e, i) => (e, i)).First(x => x.e.Kind == EventKind.StreamFlag).i;
        var edited = trace.Take(at + 1).Append(new TraceEvent(EventKind.Wake, Actor.Sender(1), 1)).Concat(trace.Skip(at + 1)).ToList();

        var r = TraceValidator.Validate(TwoChannels, Policy("qemu-10.0-mapped-ram"), edited, ErrorSides.None, contents: contents);

        Assert.Equal(at + 1, r.RejectedIndex);
        Assert.Contains("nothing is posted on send1's sem", r.Reason, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(9, "6", 1, "9 channels: the model holds at most 8")]
    [InlineData(2, "17", 1, "17 pages: the model holds at most 16")]
    [InlineData(2, "4,2", 2, "the Implementation cuts batches and chunks at block boundaries")]
    public void A_configuration_the_model_cannot_hold_is_reported_not_checked(int channels, string blocks, int batch, string why)
    {
        var config = Config(channels, [.. blocks.Split(',').Select(int.Parse)], 0, batch, 1, FlushSetting.Off);

        var r = TraceValidator.Validate(config, Policy("qemu-9.0-mapped-ram"), [], ErrorSides.None);

        Assert.Equal(ConformanceVerdict.NotRepresentable, r.Verdict);
        Assert.Contains(why, r.Reason, StringComparison.Ordinal);
    }
}
