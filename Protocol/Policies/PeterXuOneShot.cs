namespace SyncModel.Protocol.Policies;

/// <summary>
/// Peter Xu's review proposal (mail of 2024-02-26, docs/protocol.md §4(c)) on top of v4's one-shot recv sync:
/// the destination syncs unconditionally at the end of every <c>ram_load</c> and ignores EOS and FLUSH;
/// the source is v4's with FLUSH skipped everywhere, complete included. The second <c>ram_load</c>
/// kicks threads the first sync already ended.
/// </summary>
public sealed class PeterXuOneShot : SyncPolicy
{
    public static readonly PeterXuOneShot Instance = new();

    public override string Name => "peterxu-oneshot";
    public override string Summary => "sync at every ram_load end, v4 one-shot recv sync";
    public override string Reference => "§4(c)";

    public override SenderDecision AtSender(SenderSite site, bool f) => PeterXuSource.AtSender(site, f);

    public override ReceiverDecision AtReceiver(ReceiverSite site, bool f) => PeterXuSource.AtReceiver(site);

    public override RecvSyncKind RecvSync => RecvSyncKind.OneShot;
    public override CleanupOrder Cleanup => CleanupOrder.LoadCleanupBeforeJoin;
}
