namespace SyncModel.Implementation.Format;

/// <summary>
/// One be64 RAM record word <c>addr | flags</c> (docs/protocol.md §1.3): the flags are the bits below the target page
/// size, the address the rest. <see cref="Kind"/> is the flag QEMU's <c>ram_load</c> switches on (CONTINUE removed).
/// </summary>
public readonly record struct RamWord(long Offset, ulong Address, ulong Flags)
{
    public ulong Kind => Flags & ~QemuFormat.FlagContinue;

    public bool IsMemSize => Kind == QemuFormat.FlagMemSize;

    public bool IsEos => Kind == QemuFormat.FlagEos;

    public bool IsMultifdFlush => Kind == QemuFormat.FlagMultifdFlush;
}
