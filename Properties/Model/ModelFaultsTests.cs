using SyncModel.Model;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Model;

/// <summary>CsCheck's <c>Check.Faults</c> over the model's mutation switches: each bug is caught by the requirement
/// meant to catch it, and the harmless ones are proved harmless.</summary>
public sealed class ModelFaultsTests
{
    private static string? CaughtBy(ModelFaultsResult r, Mutation m) => r.Rows.Single(x => x.Fault == m.ToString()).CaughtBy;

    private static string Outcome(ModelFaultsResult r, Mutation m) => r.Rows.Single(x => x.Fault == m.ToString()).Outcome;

    [Fact]
    public void Qemu90_faults_are_caught_by_their_requirements()
    {
        var r = ModelChecker.Faults(ModelConfigs.Small(Qemu90MappedRam.Instance));

        Assert.Equal(nameof(PropertyId.NoStalePage), CaughtBy(r, Mutation.NoRoundSync));
        Assert.Equal(nameof(PropertyId.NoStalePage), CaughtBy(r, Mutation.ZeroPageBitNotCleared));
        Assert.Equal(nameof(PropertyId.SemaphoreAccounting), CaughtBy(r, Mutation.SyncSkipsChannelsReady));
        Assert.Equal(nameof(PropertyId.DrainBeforeCleanup), CaughtBy(r, Mutation.NoRecvSync));
        // The final scan's wrap already syncs after the last page, so 9.0's sync in complete is redundant
        // (what 1d457daf relies on, §4(e)); and 9.0 syncs the recv side once, so a thread leaving after it is harmless.
        Assert.Equal("not detected", Outcome(r, Mutation.NoCompleteSync));
        Assert.Equal("not detected", Outcome(r, Mutation.RecvExitAfterSync));
    }

    [Fact]
    public void Qemu100_without_the_round_sync_writes_the_bitmap_with_batches_in_flight()
    {
        var r = ModelChecker.Faults(ModelConfigs.Small(Qemu100MappedRam.Instance));

        Assert.Equal(nameof(PropertyId.SendDrainBeforeBitmap), CaughtBy(r, Mutation.NoRoundSync));
    }

    [Fact]
    public void A_v4_recv_thread_under_the_reentrant_sync_deadlocks_the_second_sync()
    {
        var r = ModelChecker.Faults(ModelConfigs.Small(PeterXuReentrant.Instance));

        Assert.Equal("NoDeadlock", CaughtBy(r, Mutation.RecvExitAfterSync));
    }
}
