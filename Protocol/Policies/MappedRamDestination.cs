namespace SyncModel.Protocol.Policies;

/// <summary>
/// The mapped-ram destination as merged in 9.0 and unchanged in 10.x as far as found (docs/protocol.md §3.5,
/// §4(d), §4(e)): one sync after <c>parse_ramblocks</c>, FLUSH invalid, EOS ignored.
/// </summary>
internal static class MappedRamDestination
{
    public static ReceiverDecision AtReceiver(ReceiverSite site) => site switch
    {
        ReceiverSite.MemSizeParsed => ReceiverDecision.Sync,
        ReceiverSite.FlushFlag => ReceiverDecision.Reject,
        ReceiverSite.Eos => ReceiverDecision.Ignore,
        ReceiverSite.RamLoadEnd => ReceiverDecision.Ignore,
        _ => throw new ArgumentOutOfRangeException(nameof(site)),
    };
}
