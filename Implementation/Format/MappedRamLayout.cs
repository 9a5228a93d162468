namespace SyncModel.Implementation.Format;

/// <summary>
/// What a mapped-ram file holds, up to the device state: configuration, the "ram" SECTION_START with its
/// MEM_SIZE and blocks, the RAM flags of every ram section, commands, and where the device sections start.
/// </summary>
/// <param name="RamSectionOffset">Offset of the ram SECTION_START type byte.</param>
/// <param name="MemSize">The MEM_SIZE total; the block lengths add up to it.</param>
/// <param name="StreamResumeOffset">Where the main stream resumes after the last block's page area.</param>
/// <param name="StreamFlags">Every EOS / MULTIFD_FLUSH word of the ram sections (START, PART, END), in order.</param>
/// <param name="Commands">The QEMU_VM_COMMANDs met among the ram sections.</param>
/// <param name="DeviceStateOffset">The first item that is neither a ram section nor a command (a FULL section, EOF, or another handler's section): where a generic reader must stop.</param>
public sealed record MappedRamLayout(
    string MachineType,
    IReadOnlyList<string> Capabilities,
    long RamSectionOffset,
    uint RamSectionId,
    long MemSize,
    IReadOnlyList<MappedRamBlockLayout> Blocks,
    long StreamResumeOffset,
    IReadOnlyList<RamStreamFlag> StreamFlags,
    IReadOnlyList<VmCommand> Commands,
    long DeviceStateOffset);
