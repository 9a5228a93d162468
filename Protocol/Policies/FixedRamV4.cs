namespace SyncModel.Protocol.Policies;

/// <summary>
/// "[PATCH v4 22/34] migration/multifd: Prepare multifd sync for fixed-ram migration" as posted,
/// 2024-02-20 (docs/protocol.md §4(b), the diff in the review mail). Read it against <see cref="Qemu90MappedRam"/>:
/// <list type="bullet">
/// <item>Setup: the 8.2 sync stays; the patch drops the FLUSH for fixed-ram.</item>
/// <item>Round wrap: the sync condition is unchanged (only when F=off); the patch drops the FLUSH.</item>
/// <item>Iterate end: untouched, so a sync when F=on.</item>
/// <item>Complete: untouched: an unconditional sync, then FLUSH when F=off.</item>
/// <item>Destination: EOS is ignored for fixed-ram ("It will be done on the flush flag"); FLUSH syncs with
/// v4's one-shot recv sync. With F=on no FLUSH is ever written, so the destination never syncs.</item>
/// </list>
/// </summary>
public sealed class FixedRamV4 : SyncPolicy
{
    public static readonly FixedRamV4 Instance = new();

    public override string Name => "fixed-ram-v4";
    public override string Summary => "v4 patch 22/34 as posted (Feb 2024)";
    public override string Reference => "§4(b), review mail";

    public override SenderDecision AtSender(SenderSite site, bool f) => site switch
    {
        SenderSite.Setup => SenderDecision.SyncOnly(SendSync.Local),
        SenderSite.RoundWrap => f ? SenderDecision.Nothing : SenderDecision.SyncOnly(SendSync.Local),
        SenderSite.IterateEnd => f ? SenderDecision.SyncOnly(SendSync.Local) : SenderDecision.Nothing,
        SenderSite.Complete => new(SendSync.Local, EmitFlush: !f),
        _ => throw new ArgumentOutOfRangeException(nameof(site)),
    };

    public override ReceiverDecision AtReceiver(ReceiverSite site, bool f) => site switch
    {
        ReceiverSite.MemSizeParsed => ReceiverDecision.Ignore,
        ReceiverSite.FlushFlag => ReceiverDecision.Sync,
        ReceiverSite.Eos => ReceiverDecision.Ignore,
        ReceiverSite.RamLoadEnd => ReceiverDecision.Ignore,
        _ => throw new ArgumentOutOfRangeException(nameof(site)),
    };

    public override RecvSyncKind RecvSync => RecvSyncKind.OneShot;
    public override CleanupOrder Cleanup => CleanupOrder.LoadCleanupBeforeJoin;
}
