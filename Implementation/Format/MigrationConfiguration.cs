namespace SyncModel.Implementation.Format;

/// <summary>
/// The QEMU_VM_CONFIGURATION section: the machine type and the optional subsections QEMU may add
/// ("configuration/capabilities", "configuration/target-page-bits", "configuration/uuid").
/// </summary>
public sealed record MigrationConfiguration(
    string MachineType, IReadOnlyList<string> Capabilities, uint? TargetPageBits, Guid? Uuid)
{
    /// <summary>The capability that marks a mapped-ram file (a validated capability, docs/protocol.md §1.1).</summary>
    public const string MappedRamCapability = "mapped-ram";

    public bool HasCapability(string name) => Capabilities.Contains(name, StringComparer.Ordinal);
}
