namespace SyncModel.Protocol.Policies;

/// <summary>
/// QEMU 8.2 socket multifd, before fixed-ram existed (docs/protocol.md §2.6 column "8.2", §3.5, §4(a)).
/// With F=off a sync and a FLUSH at setup, at every round wrap and at complete; the destination
/// syncs on FLUSH. With F=on a sync at setup, at every iterate end and at complete, no FLUSH;
/// the destination syncs on every EOS. Needs the socket (packet) transport.
/// </summary>
public sealed class Qemu82Socket : SyncPolicy
{
    public static readonly Qemu82Socket Instance = new();

    public override string Name => "qemu-8.2-socket";
    public override string Summary => "QEMU 8.2 socket multifd (no fixed-ram)";
    public override string Reference => "§2.6 (8.2 column), §3.5, §4(a)";
    public override Transport Transport => Transport.Socket;

    public override SenderDecision AtSender(SenderSite site, bool f) => site switch
    {
        SenderSite.Setup => new(SendSync.All, EmitFlush: !f),
        SenderSite.RoundWrap => f ? SenderDecision.Nothing : SenderDecision.SyncAndFlush(SendSync.All),
        SenderSite.IterateEnd => f ? SenderDecision.SyncOnly(SendSync.All) : SenderDecision.Nothing,
        SenderSite.Complete => new(SendSync.All, EmitFlush: !f),
        _ => throw new ArgumentOutOfRangeException(nameof(site)),
    };

    public override ReceiverDecision AtReceiver(ReceiverSite site, bool f) => site switch
    {
        ReceiverSite.MemSizeParsed => ReceiverDecision.Ignore,
        ReceiverSite.FlushFlag => ReceiverDecision.Sync,
        ReceiverSite.Eos => f ? ReceiverDecision.Sync : ReceiverDecision.Ignore,
        ReceiverSite.RamLoadEnd => ReceiverDecision.Ignore,
        _ => throw new ArgumentOutOfRangeException(nameof(site)),
    };

    public override RecvSyncKind RecvSync => RecvSyncKind.SocketPacket;
    public override CleanupOrder Cleanup => CleanupOrder.LoadCleanupBeforeJoin;
    public override ErrorPaths Errors => ErrorPaths.Qemu82;
}
