namespace SyncModel.Implementation.Format;

/// <summary>
/// A QEMU_VM_COMMAND (<c>u8 0x08, be16 command, be16 length, data</c>); the reader has skipped its data.
/// Command 11 is MIG_CMD_SWITCHOVER_START in QEMU 10.0.
/// </summary>
public sealed record VmCommand(long Offset, ushort Command, ushort Length) : TopLevelItem(Offset);
