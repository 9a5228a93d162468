namespace SyncModel.Implementation.Format;

/// <summary>The four section header types of the savevm stream (docs/protocol.md §1.2).</summary>
public enum SectionType : byte
{
    /// <summary>QEMU_VM_SECTION_START: a live handler's <c>save_setup</c>.</summary>
    Start = QemuFormat.SectionStart,
    /// <summary>QEMU_VM_SECTION_PART: one <c>save_live_iterate</c>.</summary>
    Part = QemuFormat.SectionPart,
    /// <summary>QEMU_VM_SECTION_END: <c>save_live_complete_precopy</c>.</summary>
    End = QemuFormat.SectionEnd,
    /// <summary>QEMU_VM_SECTION_FULL: a non-iterable device's whole state.</summary>
    Full = QemuFormat.SectionFull,
}
