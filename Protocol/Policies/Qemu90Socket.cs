namespace SyncModel.Protocol.Policies;

/// <summary>
/// QEMU 9.0 socket multifd (no mapped-ram): the sync sites of 8.2 (docs/protocol.md §2.6, 9.0 column without mapped-ram:
/// a sync and a FLUSH at setup, at every round wrap and at complete with F=off; syncs at iterate end with F=on; the
/// destination syncs on FLUSH, or on EOS with F=on), with 9.0's send machinery and error paths: a sync request is its own
/// flag (<c>f5f48a78</c>), a failing thread sets <c>exiting</c> and kicks the migration thread (<c>48c0f5d5</c>), the send
/// sync checks <c>exiting</c> before each wait (<c>15f3f21d</c>), setup waits for every channel creation (<c>93fa9dc2</c>),
/// and the recv termination releases every channel parked at a SYNC. The recv threads are joined after
/// <c>qemu_loadvm_state_cleanup</c> until 9.2.
/// </summary>
public sealed class Qemu90Socket : SyncPolicy
{
    public static readonly Qemu90Socket Instance = new();

    public override string Name => "qemu-9.0-socket";
    public override string Summary => "QEMU 9.0 socket multifd (no mapped-ram)";
    public override string Reference => "§2.6 (9.0 column), §2.9, §3.5, §3.7, §4(a)";
    public override Transport Transport => Transport.Socket;

    public override SenderDecision AtSender(SenderSite site, bool f) => Qemu82Socket.Instance.AtSender(site, f);

    public override ReceiverDecision AtReceiver(ReceiverSite site, bool f) => Qemu82Socket.Instance.AtReceiver(site, f);

    public override RecvSyncKind RecvSync => RecvSyncKind.SocketPacket;
    public override CleanupOrder Cleanup => CleanupOrder.LoadCleanupBeforeJoin;
    public override ErrorPaths Errors => ErrorPaths.Qemu90Socket;
}
