namespace SyncModel.Implementation.Format;

/// <summary>QEMU_VM_EOF (0x00): the end of the device stream; a JSON vmdesc may follow.</summary>
public sealed record VmEof(long Offset) : TopLevelItem(Offset);
