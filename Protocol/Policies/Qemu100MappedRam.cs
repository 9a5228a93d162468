namespace SyncModel.Protocol.Policies;

/// <summary>
/// QEMU 10.x (docs/protocol.md §4(e), §2.6 column "10.x", §3.6): LOCAL syncs only, at setup and on every round
/// wrap (<c>multifd_ram_sync_per_round</c> is true for mapped-ram); none at iterate end
/// (<c>multifd_ram_sync_per_section</c> is false for mapped-ram) and none at complete
/// (<c>1d457daf</c>/<c>1aa81c30</c>): complete relies on its final scan ending in a wrap, which ran the
/// per-round sync after the last queued page. Destination as in 9.0; since 9.2 (<c>4ce56229</c>) the recv
/// threads are joined before <c>qemu_loadvm_state_cleanup</c>.
/// </summary>
public sealed class Qemu100MappedRam : SyncPolicy
{
    public static readonly Qemu100MappedRam Instance = new();

    public override string Name => "qemu-10.0-mapped-ram";
    public override string Summary => "QEMU 10.x (LOCAL syncs, no sync in complete)";
    public override string Reference => "§4(e), §2.6 (10.x column), §3.6";

    public override SenderDecision AtSender(SenderSite site, bool f) => site switch
    {
        SenderSite.Setup => SenderDecision.SyncOnly(SendSync.Local),
        SenderSite.RoundWrap => SenderDecision.SyncOnly(SendSync.Local),
        SenderSite.IterateEnd => SenderDecision.Nothing,
        SenderSite.Complete => SenderDecision.Nothing,
        _ => throw new ArgumentOutOfRangeException(nameof(site)),
    };

    public override ReceiverDecision AtReceiver(ReceiverSite site, bool f) => MappedRamDestination.AtReceiver(site);

    public override RecvSyncKind RecvSync => RecvSyncKind.Reentrant;
    public override CleanupOrder Cleanup => CleanupOrder.JoinBeforeLoadCleanup;
    public override ErrorPaths Errors => ErrorPaths.Qemu91File;
}
