namespace SyncModel.Implementation.Format;

/// <summary>Constants of QEMU's migration stream and the mapped-ram layout (docs/protocol.md §1.2–§1.4, <c>savevm.h</c>, <c>ram.c</c>).</summary>
public static class QemuFormat
{
    public const uint FileMagic = 0x5145564d; // "QEVM"
    public const uint FileVersion = 3;

    // section / record types (u8)
    public const byte VmEof = 0x00;
    public const byte SectionStart = 0x01;
    public const byte SectionPart = 0x02;
    public const byte SectionEnd = 0x03;
    public const byte SectionFull = 0x04;
    public const byte Subsection = 0x05;
    public const byte VmDescription = 0x06;
    public const byte Configuration = 0x07;
    public const byte Command = 0x08;
    public const byte SectionFooter = 0x7e;

    /// <summary>The "ram" live section's version; <c>ram_load</c> rejects any other.</summary>
    public const uint RamSectionVersion = 4;
    public const string RamIdstr = "ram";

    // RAM record flags, in the low bits of a be64 word (docs/protocol.md §1.3)
    public const ulong FlagZero = 0x02;
    public const ulong FlagMemSize = 0x04;
    public const ulong FlagPage = 0x08;
    public const ulong FlagEos = 0x10;
    public const ulong FlagContinue = 0x20;
    public const ulong FlagXbzrle = 0x40;
    public const ulong FlagHook = 0x80;
    public const ulong FlagCompressPage = 0x100;
    public const ulong FlagMultifdFlush = 0x200;

    /// <summary>MAPPED_RAM_HDR_VERSION.</summary>
    public const uint MappedRamHeaderVersion = 1;
    /// <summary>The packed big-endian MappedRamHeader: be32 version, be64 page_size, be64 bitmap_offset, be64 pages_offset.</summary>
    public const int MappedRamHeaderSize = 28;
    /// <summary>MAPPED_RAM_FILE_OFFSET_ALIGNMENT: pages_offset is rounded up to 1 MiB.</summary>
    public const long PagesOffsetAlignment = 1 << 20;
    /// <summary>MAPPED_RAM_LOAD_BUF_SIZE: the largest chunk a recv channel reads at once.</summary>
    public const int LoadBufferSize = 1 << 20;

    /// <summary>Bytes of the bitmap for <paramref name="pages"/> pages: whole little-endian 64-bit words.</summary>
    public static long BitmapBytes(long pages) => (pages + 63) / 64 * 8;

    /// <summary>pages_offset for a bitmap at <paramref name="bitmapOffset"/> of <paramref name="bitmapBytes"/> bytes.</summary>
    public static long PagesOffsetFor(long bitmapOffset, long bitmapBytes)
        => (bitmapOffset + bitmapBytes + PagesOffsetAlignment - 1) / PagesOffsetAlignment * PagesOffsetAlignment;
}
