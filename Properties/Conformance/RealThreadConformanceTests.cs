using SyncModel.Implementation;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Implementation.Recv;
using SyncModel.Implementation.Save;
using SyncModel.Model.Conformance;
using SyncModel.Properties.Support;
using SyncModel.Protocol.Checking;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using static SyncModel.Properties.Conformance.ConformanceCases;

namespace SyncModel.Properties.Conformance;

/// <summary>
/// Conformance on real threads (issue 5): every trace a save-then-load of a correct file policy produces is a run of the
/// model, from the first event to the model's end. Each case runs several times, since the interleaving differs.
/// </summary>
public sealed class RealThreadConformanceTests
{
    private const int Repeats = 3;

    public static TheoryData<string, string, int> PolicyShapes()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var (p, f) in Runs.CorrectFilePolicies())
        {
            for (var shape = 0; shape < Shapes.Length; shape++) data.Add(p.Name, f.ToString(), shape);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PolicyShapes))]
    public void Every_real_thread_trace_is_a_run_of_the_model(string policyName, string flush, int shape)
    {
        var (channels, blocks, rounds, batch, chunk, perIteration) = Shapes[shape];
        var config = Config(channels, blocks, rounds, batch, chunk, FlushSetting.Parse(flush), perIteration);
        var policy = Policy(policyName);
        for (var run = 0; run < Repeats; run++)
        {
            var workload = Guest(config, seed: 1000 * shape + run);
            var o = Runs.SaveThenLoad(config, policy, workload);
            Assert.Null(o.Violation);
            Assert.Null(o.Difference);

            var r = TraceValidator.Validate(config, policy, o.Events, ErrorSides.None, contents: WorkloadContents.Of(workload));

            Assert.True(r.Accepted, Dump(o.Events, r));
            Assert.True(r.Finished, Dump(o.Events, r));
        }
    }

    [Theory]
    [InlineData("fixed-ram-v4", "off")]
    [InlineData("peterxu-reentrant", "on")]
    [InlineData("qemu-9.0-mapped-ram", "off")]
    [InlineData("qemu-10.0-mapped-ram", "on")]
    public void Without_the_page_contents_every_content_is_tried(string policyName, string flush)
    {
        // Zero detection is inside the send channels; no event says which pages held zeros, so the validator follows
        // every content until the load reads the file bitmap.
        var config = Config(2, [6], 2, 2, 2, FlushSetting.Parse(flush));
        var policy = Policy(policyName);
        var o = Runs.SaveThenLoad(config, policy, Guest(config, seed: 77));

        var r = TraceValidator.Validate(config, policy, o.Events, ErrorSides.None);

        Assert.True(r.Accepted && r.Finished, Dump(o.Events, r));
        Assert.True(r.PeakCandidates >= 64, $"peak {r.PeakCandidates}: the initial contents of 6 pages alone are 64 runs");
    }

    [Fact]
    public void A_save_only_trace_ends_when_the_file_is_closed()
    {
        var config = Config(3, [7], 1, 2, 2, FlushSetting.Off);
        var workload = Guest(config, seed: 5);
        var o = Runs.SaveThenLoad(config, Policy("qemu-10.0-mapped-ram"), workload);
        var save = o.Events.TakeWhile(e => e.Actor.Kind is not (Protocol.Events.ActorKind.Destination or Protocol.Events.ActorKind.Receiver)).ToList();

        var r = TraceValidator.Validate(config, Policy("qemu-10.0-mapped-ram"), save, ErrorSides.None, ConformanceScope.SaveOnly, WorkloadContents.Of(workload));
        var asWhole = TraceValidator.Validate(config, Policy("qemu-10.0-mapped-ram"), save, ErrorSides.None, contents: WorkloadContents.Of(workload));

        Assert.True(r.Accepted && r.Finished, Dump(save, r));
        Assert.True(asWhole.Accepted && !asWhole.Finished, asWhole.ToString());
        Assert.Contains("dest SectionStart", asWhole.Outstanding, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Runs.CorrectFilePolicyNames), MemberType = typeof(Runs))]
    public void A_save_whose_channel_write_fails_is_a_run_of_the_model(string policyName, string flush)
    {
        // §2.3 error path: the failing thread sets exiting and kicks the migration thread, which terminates at its next
        // check; the failure may come before, during or after a sync, so each write in turn fails. A failure during a
        // sync can also hang the save, as in QEMU and in the model (a channel woken by its request after another one
        // failed leaves without posting sem_sync, §2.4): then the trace so far must be a run that is stuck there too.
        var config = Config(2, [6], 1, 1, 1, FlushSetting.Parse(flush));
        var policy = Policy(policyName);
        for (var n = 1; n <= 6; n++)
        {
            var workload = Guest(config, seed: n);
            var (events, hung) = SaveWithFailingWrite(config, policy, workload, n);

            var r = TraceValidator.Validate(config, policy, events, ErrorSides.Source, contents: WorkloadContents.Of(workload));
            var asFaultFree = TraceValidator.Validate(config, policy, events, ErrorSides.None, contents: WorkloadContents.Of(workload));

            Assert.True(r.Accepted, $"write {n} fails:{Environment.NewLine}{Dump(events, r)}");
            // The same trace is no run of a model in which nothing may fail: a failure nobody injected is not explained away.
            Assert.Equal(ConformanceVerdict.Rejected, asFaultFree.Verdict);
            Assert.Contains(events[asFaultFree.RejectedIndex].Kind, new[] { EventKind.Exit, EventKind.Terminate });
            if (!hung)
            {
                Assert.True(r.Finished, $"write {n} fails:{Environment.NewLine}{Dump(events, r)}");
                continue;
            }
            Assert.False(r.Finished);
            Assert.Equal(EventKind.SyncWait, events.Last(e => e.Actor == Actor.Migration).Kind);
        }
    }

    /// <summary>The save on its own thread; a save stuck in the send sync is left there (its threads are background ones).</summary>
    private static (IReadOnlyList<TraceEvent> Events, bool Hung) SaveWithFailingWrite(MigrationConfig config, Protocol.Policies.SyncPolicy policy, Workload workload, int n)
    {
        var monitor = TraceMonitor.WithAllCheckers();
        var file = new MemoryMigrationFile();
        var options = new SaveOptions(config, policy, GuestRam.For(config), workload)
        {
            Observer = monitor,
            ChannelFile = new FaultInjectingFile(file, new NthCallFault(FileOperation.Write, n)),
        };
        var saver = new Thread(() =>
        {
            try
            {
                Saver.Save(file, options);
            }
            catch (MigrationFailedException)
            {
            }
        }) { IsBackground = true };
        saver.Start();
        var hung = !saver.Join(TimeSpan.FromSeconds(2));
        if (!hung) file.Dispose();
        return (monitor.Events, hung);
    }

    [Fact]
    public void A_recv_error_after_the_last_chunk_is_queued_starts_the_vm_in_v4_as_in_the_model()
    {
        // QEMU consults the multifd error only when qemu_loadvm_state itself failed (docs/protocol.md §3.7), and the
        // Implementation now does the same: after a read error in a v4 one-shot load, whose dying threads post their own
        // sem_sync, the load cleans up, shuts the channels down and starts the VM with the chunk lost. The model takes the
        // same run, and the checkers name the lost chunk (a v4-only finding: upstream, the re-entrant sync hangs instead).
        var config = Config(2, [6], 0, 1, 1, FlushSetting.Off);
        var workload = new Workload([.. Enumerable.Range(0, 6).Select(p => new PageWrite(0, p, PageFill.Data(1)))], []);
        var policy = Policy("fixed-ram-v4");
        var monitor = TraceMonitor.WithAllCheckers();
        using var file = new MemoryMigrationFile();
        Saver.Save(file, new SaveOptions(config, policy, GuestRam.For(config), workload) { Observer = monitor });
        var options = new LoadOptions(policy, 2)
        {
            ChunkBytes = config.LoadChunkBytes,
            Observer = monitor,
            ChannelFile = new FaultInjectingFile(file, new NthCallFault(FileOperation.Read, 6)),
        };

        Loader.Load(file, options);
        var r = TraceValidator.Validate(config, policy, monitor.Events, ErrorSides.Destination, contents: WorkloadContents.Of(workload));

        Assert.True(r.Accepted, r.ToString());
        Assert.Contains(monitor.Events, e => e.Kind == EventKind.VmStart);
        Assert.Equal(PropertyId.DrainBeforeCleanup, monitor.Violation?.Property);
        Assert.Contains("was lost: recv", monitor.Violation!.Message, StringComparison.Ordinal);
    }
}
