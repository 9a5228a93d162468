using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Support;

/// <summary>
/// QEMU 10.0's sync placement with a hook that runs before each of the migration thread's sender decisions: how a test
/// makes the policy code slow, or crash, the way a buggy user policy might.
/// </summary>
internal sealed class HookedPolicy(string name, string summary, Action<SenderSite> beforeSender) : SyncPolicy
{
    public override string Name => name;
    public override string Summary => summary;
    public override string Reference => "test";

    public override SenderDecision AtSender(SenderSite site, bool f)
    {
        beforeSender(site);
        return Qemu100MappedRam.Instance.AtSender(site, f);
    }

    public override ReceiverDecision AtReceiver(ReceiverSite site, bool f) => Qemu100MappedRam.Instance.AtReceiver(site, f);
    public override RecvSyncKind RecvSync => Qemu100MappedRam.Instance.RecvSync;
    public override CleanupOrder Cleanup => Qemu100MappedRam.Instance.Cleanup;
}
