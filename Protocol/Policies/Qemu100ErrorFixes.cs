namespace SyncModel.Protocol.Policies;

/// <summary>
/// QEMU 10.0 mapped-ram with this project's proposed error-path fixes (docs/fixes/): the sync placement and every other
/// behaviour of <see cref="Qemu100MappedRam"/>, plus <see cref="ErrorFixes.SendExitKicks"/> (the send-side sync hang,
/// docs/protocol.md §2.9), <see cref="ErrorFixes.RecvTerminateWakesSync"/> (the recv-side sync hang, §3.7), or both.
/// </summary>
public sealed class Qemu100ErrorFixes : SyncPolicy
{
    /// <summary>The send-side fix alone.</summary>
    public static readonly Qemu100ErrorFixes SendFix = new("qemu-10.0-mapped-ram+send-fix", ErrorFixes.SendExitKicks,
        "QEMU 10.x + send threads kick the migration thread on every exit (docs/fixes/send-sync-hang.md)");

    /// <summary>The recv-side fix alone.</summary>
    public static readonly Qemu100ErrorFixes RecvFix = new("qemu-10.0-mapped-ram+recv-fix", ErrorFixes.RecvTerminateWakesSync,
        "QEMU 10.x + recv termination wakes and fails the recv sync (docs/fixes/recv-sync-hang.md)");

    /// <summary>Both fixes.</summary>
    public static readonly Qemu100ErrorFixes BothFixes = new("qemu-10.0-mapped-ram+fixes", ErrorFixes.SendExitKicks | ErrorFixes.RecvTerminateWakesSync,
        "QEMU 10.x + both error-path fixes (docs/fixes/)");

    private readonly ErrorPaths _errors;

    private Qemu100ErrorFixes(string name, ErrorFixes fixes, string summary)
    {
        Name = name;
        Summary = summary;
        _errors = Qemu100MappedRam.Instance.Errors with { Fixes = fixes };
    }

    public override string Name { get; }
    public override string Summary { get; }
    public override string Reference => "§2.9, §3.7, docs/fixes/";

    public override SenderDecision AtSender(SenderSite site, bool f) => Qemu100MappedRam.Instance.AtSender(site, f);

    public override ReceiverDecision AtReceiver(ReceiverSite site, bool f) => Qemu100MappedRam.Instance.AtReceiver(site, f);

    public override RecvSyncKind RecvSync => Qemu100MappedRam.Instance.RecvSync;
    public override CleanupOrder Cleanup => Qemu100MappedRam.Instance.Cleanup;
    public override ErrorPaths Errors => _errors;
}
