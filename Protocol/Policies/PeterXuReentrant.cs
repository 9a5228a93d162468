namespace SyncModel.Protocol.Policies;

/// <summary>
/// Peter Xu's review proposal (docs/protocol.md §4(c)) with his re-entrant recv sync of 2024-02-27: every
/// <c>ram_load</c> ends in a sync; an idle channel answers a kick by posting the shared <c>sem_sync</c>
/// and keeps running. Source as in <see cref="PeterXuOneShot"/>.
/// </summary>
public sealed class PeterXuReentrant : SyncPolicy
{
    public static readonly PeterXuReentrant Instance = new();

    public override string Name => "peterxu-reentrant";
    public override string Summary => "sync at every ram_load end, re-entrant recv sync";
    public override string Reference => "§4(c), §3.4";

    public override SenderDecision AtSender(SenderSite site, bool f) => PeterXuSource.AtSender(site, f);

    public override ReceiverDecision AtReceiver(ReceiverSite site, bool f) => PeterXuSource.AtReceiver(site);

    public override RecvSyncKind RecvSync => RecvSyncKind.Reentrant;
    public override CleanupOrder Cleanup => CleanupOrder.LoadCleanupBeforeJoin;
}
