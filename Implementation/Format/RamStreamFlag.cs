namespace SyncModel.Implementation.Format;

/// <summary>A RAM record word other than MEM_SIZE seen in a "ram" section: where, in which section type, which flags (EOS, MULTIFD_FLUSH).</summary>
public sealed record RamStreamFlag(long Offset, SectionType Section, ulong Flags);
