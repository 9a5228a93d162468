namespace SyncModel.Protocol.Policies;

/// <summary>
/// The site answers both Peter Xu presets share (docs/protocol.md §4(c)): v4's source without any FLUSH, and a
/// destination that syncs at the end of every <c>ram_load</c> and nowhere else.
/// </summary>
internal static class PeterXuSource
{
    public static SenderDecision AtSender(SenderSite site, bool f) => site switch
    {
        SenderSite.Setup => SenderDecision.SyncOnly(SendSync.Local),
        SenderSite.RoundWrap => f ? SenderDecision.Nothing : SenderDecision.SyncOnly(SendSync.Local),
        SenderSite.IterateEnd => f ? SenderDecision.SyncOnly(SendSync.Local) : SenderDecision.Nothing,
        SenderSite.Complete => SenderDecision.SyncOnly(SendSync.Local),
        _ => throw new ArgumentOutOfRangeException(nameof(site)),
    };

    public static ReceiverDecision AtReceiver(ReceiverSite site) => site switch
    {
        ReceiverSite.RamLoadEnd => ReceiverDecision.Sync,
        ReceiverSite.MemSizeParsed or ReceiverSite.FlushFlag or ReceiverSite.Eos => ReceiverDecision.Ignore,
        _ => throw new ArgumentOutOfRangeException(nameof(site)),
    };
}
