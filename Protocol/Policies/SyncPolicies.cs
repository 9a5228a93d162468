namespace SyncModel.Protocol.Policies;

/// <summary>The presets (QEMU releases, the review's proposals, and the proposed error-path fixes) and lookup by name.</summary>
public static class SyncPolicies
{
    public static readonly IReadOnlyList<SyncPolicy> All =
    [
        Qemu82Socket.Instance,
        Qemu90Socket.Instance,
        FixedRamV4.Instance,
        PeterXuOneShot.Instance,
        PeterXuReentrant.Instance,
        Qemu90MappedRam.Instance,
        Qemu100MappedRam.Instance,
        Qemu100ErrorFixes.SendFix,
        Qemu100ErrorFixes.RecvFix,
        Qemu100ErrorFixes.BothFixes,
    ];

    /// <summary>The presets that run on the file (mapped-ram) transport.</summary>
    public static IEnumerable<SyncPolicy> FileMode => All.Where(p => p.Transport == Transport.File);

    /// <summary>Finds a preset by name (case-insensitive); the error lists the valid names.</summary>
    public static SyncPolicy Parse(string name)
    {
        foreach (var p in All)
        {
            if (string.Equals(p.Name, name, StringComparison.OrdinalIgnoreCase))
                return p;
        }
        throw new ArgumentException($"unknown policy '{name}'; expected one of: {string.Join(", ", All.Select(p => p.Name))}");
    }
}
