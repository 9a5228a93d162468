namespace SyncModel.Protocol.Policies;

/// <summary>
/// QEMU 9.0 as merged (up to <c>1a6e217c</c>, docs/protocol.md §4(d), §2.6 column "9.0", §3.5). Read it against
/// <see cref="FixedRamV4"/>:
/// <list type="bullet">
/// <item>Setup: an unconditional sync; no FLUSH.</item>
/// <item>Round wrap: a sync on every wrap whatever F is (condition multifd &amp;&amp; (!F || mapped-ram)); no FLUSH.</item>
/// <item>Iterate end: nothing for mapped-ram.</item>
/// <item>Complete: an unconditional sync before the file bitmap is written; no FLUSH.</item>
/// <item>Destination: exactly one re-entrant recv sync, right after <c>parse_ramblocks</c> for the MEM_SIZE
/// record; MULTIFD_FLUSH is an invalid flag; EOS never syncs.</item>
/// </list>
/// F is irrelevant on both sides.
/// </summary>
public sealed class Qemu90MappedRam : SyncPolicy
{
    public static readonly Qemu90MappedRam Instance = new();

    public override string Name => "qemu-9.0-mapped-ram";
    public override string Summary => "QEMU 9.0 as merged (1a6e217c)";
    public override string Reference => "§4(d), §2.6 (9.0 column), §3.5, §3.6";

    public override SenderDecision AtSender(SenderSite site, bool f) => site switch
    {
        SenderSite.Setup => SenderDecision.SyncOnly(SendSync.Local),
        SenderSite.RoundWrap => SenderDecision.SyncOnly(SendSync.Local),
        SenderSite.IterateEnd => SenderDecision.Nothing,
        SenderSite.Complete => SenderDecision.SyncOnly(SendSync.Local),
        _ => throw new ArgumentOutOfRangeException(nameof(site)),
    };

    public override ReceiverDecision AtReceiver(ReceiverSite site, bool f) => MappedRamDestination.AtReceiver(site);

    public override RecvSyncKind RecvSync => RecvSyncKind.Reentrant;
    public override CleanupOrder Cleanup => CleanupOrder.LoadCleanupBeforeJoin;
}
