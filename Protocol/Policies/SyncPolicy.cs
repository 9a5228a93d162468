namespace SyncModel.Protocol.Policies;

/// <summary>
/// Where one QEMU version or proposal synchronizes the migration thread with the multifd channels:
/// an answer for every code site, and nothing else. The Implementation and the Model both consult
/// these objects, so a verdict from either is about the same protocol. A setting such as
/// <c>multifd_flush_after_each_section</c> (F) is input to the policy, not a different policy.
/// </summary>
public abstract class SyncPolicy
{
    /// <summary>The preset's name as the command line spells it.</summary>
    public abstract string Name { get; }

    /// <summary>One line: which QEMU version, patch or proposal this is.</summary>
    public abstract string Summary { get; }

    /// <summary>The docs/protocol.md sections the answers come from.</summary>
    public abstract string Reference { get; }

    /// <summary>The transport the policy belongs to.</summary>
    public virtual Transport Transport => Transport.File;

    /// <summary>What the source's migration thread does at <paramref name="site"/> when F is <paramref name="flushAfterEachSection"/>.</summary>
    public abstract SenderDecision AtSender(SenderSite site, bool flushAfterEachSection);

    /// <summary>What the destination's main thread does at <paramref name="site"/> when F is <paramref name="flushAfterEachSection"/>.</summary>
    public abstract ReceiverDecision AtReceiver(ReceiverSite site, bool flushAfterEachSection);

    /// <summary>How the recv sync behaves.</summary>
    public abstract RecvSyncKind RecvSync { get; }

    /// <summary>In which order the destination cleans up, starts the VM and joins the recv threads.</summary>
    public abstract CleanupOrder Cleanup { get; }

    /// <summary>What the release's multifd code does when something fails (default: 9.0's file migration).</summary>
    public virtual ErrorPaths Errors => ErrorPaths.Qemu90File;

    public override string ToString() => Name;
}
