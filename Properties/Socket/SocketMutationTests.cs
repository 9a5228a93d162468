using SyncModel.Coyote.RealThreads;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.Socket;
using SyncModel.Protocol.Checking;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;

namespace SyncModel.Properties.Socket;

/// <summary>Socket multifd on real threads: the F-mismatch deadlocks of docs/protocol.md §4(a) and the §5.7 / §5.10 mutations.</summary>
public sealed class SocketMutationTests
{
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(2);

    private static Workload Data(MigrationConfig config) => Workload.Synthetic(config, config.LiveRounds, dirtyPercent: 20, zeroPercent: 10, seed: 9);

    [Fact]
    public void Source_F_on_destination_F_off_deadlocks_with_recv_threads_parked_at_the_first_SYNC()
    {
        // §4(a): the destination never syncs (no FLUSH), so its channels park at the setup SYNC; the socket buffers
        // fill, the send threads block, and the source waits for them.
        var (outcome, events) = RunStalled(SocketRuns.Config(2, new FlushSetting(true, false), rounds: 1));
        Assert.False(outcome.Finished, "the migration should hang");
        Assert.NotNull(outcome.HangReport);
        foreach (var ch in new[] { 0, 1 })
            Assert.Equal(EventKind.SyncPost, events.Last(e => e.Actor == Actor.Receiver(ch)).Kind);
        Assert.DoesNotContain(events, e => e.Kind == EventKind.RecvSyncBegin);
        Assert.DoesNotContain(events, e => e.Kind == EventKind.StreamFlag && e.Flag == RamFlag.Flush);
    }

    [Fact]
    public void Source_F_off_destination_F_on_deadlocks_in_a_recv_sync_nobody_answers()
    {
        // §4(a): the destination syncs at every FLUSH and every EOS, the source sends SYNC packets only for its
        // FLUSHes, so the destination ends up waiting for SYNC packets that never come.
        var (outcome, events) = RunStalled(SocketRuns.Config(2, new FlushSetting(false, true), rounds: 1));
        Assert.False(outcome.Finished, "the migration should hang");
        Assert.Equal(EventKind.RecvSyncBegin, events.Last(e => e.Actor == Actor.Destination).Kind);
        Assert.True(events.Count(e => e.Kind == EventKind.RecvSyncBegin) > events.Count(e => e.Kind == EventKind.SyncRequest) / 2);
    }

    private static (StalledRun.Outcome Outcome, IReadOnlyList<TraceEvent> Events) RunStalled(MigrationConfig config)
    {
        var monitor = TraceMonitor.WithAllCheckers();
        var (save, load) = SocketRuns.Options(config, Data(config), monitor);
        var outcome = StalledRun.Run(() => SocketMigration.Run(save, load), monitor, Stall);
        return (outcome, monitor.Events);
    }

    [Theory]
    [InlineData("off", 1)]
    [InlineData("on", 0)]
    public void A_final_sync_without_flush_leaves_one_round_of_SYNC_packets_uncollected_and_loses_nothing(string flush, int uncollected)
    {
        // §5.7 (637280ae): with F=off complete still syncs with SYNC packets but writes no FLUSH, so the destination
        // never collects them; the round-wrap sync before it already drained every page, and recv cleanup kicks
        // the parked threads. A thread that parked before the shutdown breaks SemaphoreAccounting (its sem_sync post
        // is never consumed); nothing is lost. With F=on complete has no FLUSH to drop.
        var config = SocketRuns.Config(3, FlushSetting.Parse(flush), rounds: 2, Mutation.FinalSyncWithoutFlush);
        var o = SocketRuns.SaveThenLoad(config, Data(config));
        Assert.Null(o.Difference);
        Assert.Equal(uncollected, o.Result.UncollectedSyncs);
        Assert.InRange(o.Result.Load.ParkedAtShutdown, 0, uncollected * config.Channels);
        // Whether a thread parked before the Shutdown event is a race on real threads (the zoo's Coyote test finds it).
        if (o.Violation is { } v)
        {
            Assert.Equal(PropertyId.SemaphoreAccounting, v.Property);
            Assert.Contains("parked at a SYNC that no recv sync collected", v.Message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(Mutation.SyncCarriesPages)]
    [InlineData(Mutation.RecvSkipsSyncPayload)]
    public void Each_half_of_the_SYNC_payload_bug_alone_restores_the_guest(Mutation mutation)
    {
        // §5.10: an 8.2 sender's SYNC packets with pages are read by a receiver that unfills every packet; a
        // receiver that skips SYNC payloads loses nothing when the sender never puts pages there.
        foreach (var f in new[] { FlushSetting.Off, FlushSetting.On })
        {
            var config = SocketRuns.Config(2, f, rounds: 2, mutation);
            var o = SocketRuns.SaveThenLoad(config, Data(config));
            Assert.Null(o.Violation);
            Assert.Null(o.Difference);
            Assert.Equal(0, o.Result.UncollectedSyncs);
        }
    }
}
