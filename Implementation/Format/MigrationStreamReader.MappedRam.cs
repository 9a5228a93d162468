using System.Runtime.InteropServices;

namespace SyncModel.Implementation.Format;

/// <summary>The RAM section payload of a mapped-ram stream: record words, block records, bitmaps.</summary>
public sealed partial class MigrationStreamReader
{
    /// <summary>Flags a mapped-ram destination rejects ("Unexpected RAM flags"): pages never travel in the stream.</summary>
    public const ulong InvalidMappedRamFlags = QemuFormat.FlagZero | QemuFormat.FlagPage | QemuFormat.FlagXbzrle
        | QemuFormat.FlagHook | QemuFormat.FlagCompressPage;

    private const ulong KnownKinds = QemuFormat.FlagMemSize | QemuFormat.FlagEos | QemuFormat.FlagMultifdFlush;
    private const long MinPageSize = 512;
    private const long MaxPageSize = 64 * 1024;

    /// <summary>
    /// Reads one be64 RAM record word. Throws on the flags mapped-ram forbids and on anything that is not
    /// exactly one of MEM_SIZE, EOS, MULTIFD_FLUSH (optionally with CONTINUE), like <c>ram_load</c>'s switch.
    /// Whether MULTIFD_FLUSH is allowed where it appears is the caller's decision.
    /// </summary>
    public RamWord ReadRamWord()
    {
        var at = _position;
        var raw = ReadBe64("RAM record word");
        var mask = (1UL << TargetPageBits) - 1;
        var word = new RamWord(at, raw & ~mask, raw & mask);
        if ((word.Flags & InvalidMappedRamFlags) != 0)
            throw new MigrationFormatException(at, $"Unexpected RAM flags 0x{word.Flags & InvalidMappedRamFlags:x} in word 0x{raw:x16} (mapped-ram never puts pages in the stream)");
        if (System.Numerics.BitOperations.PopCount(word.Kind) != 1 || (word.Kind & KnownKinds) == 0)
            throw new MigrationFormatException(at, $"unknown combination of RAM flags 0x{word.Flags:x} in word 0x{raw:x16}");
        return word;
    }

    /// <summary>
    /// Reads one block record of the mapped-ram block list (<c>u8 idlen, idstr, be64 used_length</c>, then the
    /// 28-byte MappedRamHeader), checks it against the file, and seeks past its page area to where the next
    /// record starts (<c>pages_offset + used_length</c>), as QEMU's loader does.
    /// </summary>
    public MappedRamBlock ReadMappedRamBlock()
    {
        var (_, name, used, usedAt) = ReadBlockHead();
        var headerAt = _position;
        CheckHeaderVersion(ReadBe32("mapped-ram header version"), headerAt, name);
        var pageSize = ReadPageSize(name);
        CheckUsedLength(used, usedAt, pageSize, name);
        var bitmapAt = _position;
        var bitmapOffset = ToLength(ReadBe64("bitmap_offset"), bitmapAt, $"bitmap_offset of block '{name}'");
        var pagesAt = _position;
        var pagesOffset = ToLength(ReadBe64("pages_offset"), pagesAt, $"pages_offset of block '{name}'");
        var block = new MappedRamBlock(name, used, pageSize, bitmapOffset, pagesOffset);
        CheckBitmapPlacement(block, bitmapAt, _position);
        CheckPagesPlacement(block, pagesAt);
        Seek(block.PagesEnd);
        return block;
    }

    /// <summary>
    /// The block's bitmap as 64-bit words, read positionally at <see cref="MappedRamBlock.BitmapOffset"/>
    /// (little-endian on disk). The allocation is bounded by the file: the range is checked first.
    /// </summary>
    public ulong[] ReadBitmap(MappedRamBlock block)
    {
        ArgumentNullException.ThrowIfNull(block);
        CheckBlockShape(block);
        var bytes = block.BitmapBytes;
        if (block.BitmapOffset > Length || bytes > Length - block.BitmapOffset)
            throw new MigrationFormatException(block.BitmapOffset,
                $"bitmap of block '{block.Name}' [0x{block.BitmapOffset:x}, +0x{bytes:x}) extends past the end of the file at 0x{Length:x}");
        if (bytes / 8 > Array.MaxLength)
            throw new MigrationFormatException(block.BitmapOffset, $"bitmap of block '{block.Name}' is too large to load (0x{bytes:x} bytes)");
        var words = new ulong[bytes / 8];
        ReadExactlyAt(MemoryMarshal.AsBytes(words.AsSpan()), block.BitmapOffset, $"bitmap of block '{block.Name}'");
        MappedRamBitmap.FromLittleEndianInPlace(words);
        return words;
    }

    /// <summary>A value read as be64 that must fit a non-negative <see cref="long"/>.</summary>
    private static long ToLength(ulong value, long at, string what)
    {
        if (value > long.MaxValue)
            throw new MigrationFormatException(at, $"{what} 0x{value:x} overflows a signed 64-bit length");
        return (long)value;
    }

    private static void CheckHeaderVersion(uint version, long at, string name)
    {
        if (version > QemuFormat.MappedRamHeaderVersion)
            throw new MigrationFormatException(at,
                $"unknown mapped-ram header version {version} for block '{name}' (this reader knows <= {QemuFormat.MappedRamHeaderVersion})");
    }

    private long ReadPageSize(string name)
    {
        var at = _position;
        var raw = ReadBe64("page_size");
        if (raw is < MinPageSize or > MaxPageSize || (raw & (raw - 1)) != 0)
            throw new MigrationFormatException(at, $"page_size 0x{raw:x} of block '{name}' is not a power of two in 512..64 KiB");
        return (long)raw;
    }

    private static void CheckUsedLength(long used, long at, long pageSize, string name)
    {
        if (used == 0)
            throw new MigrationFormatException(at, $"used_length of block '{name}' is 0");
        if (used % pageSize != 0)
            throw new MigrationFormatException(at, $"used_length 0x{used:x} of block '{name}' is not a multiple of its page size 0x{pageSize:x}");
    }

    private void CheckBitmapPlacement(MappedRamBlock block, long fieldAt, long expected)
    {
        if (block.BitmapOffset != expected)
            throw new MigrationFormatException(fieldAt,
                $"bitmap_offset 0x{block.BitmapOffset:x} of block '{block.Name}' does not follow its header: QEMU writes the bitmap at 0x{expected:x}");
        if (block.BitmapBytes > Length - block.BitmapOffset)
            throw new MigrationFormatException(fieldAt,
                $"bitmap of block '{block.Name}' [0x{block.BitmapOffset:x}, +0x{block.BitmapBytes:x}) extends past the end of the file at 0x{Length:x}");
    }

    private void CheckPagesPlacement(MappedRamBlock block, long fieldAt)
    {
        var bitmapEnd = block.BitmapOffset + block.BitmapBytes;
        if (block.PagesOffset % block.PageSize != 0)
            throw new MigrationFormatException(fieldAt,
                $"pages_offset 0x{block.PagesOffset:x} of block '{block.Name}' is misaligned: not a multiple of its page size 0x{block.PageSize:x}");
        if (block.PagesOffset < bitmapEnd)
            throw new MigrationFormatException(fieldAt,
                $"pages_offset 0x{block.PagesOffset:x} of block '{block.Name}' overlaps its bitmap, which ends at 0x{bitmapEnd:x}");
        if (block.PagesOffset > long.MaxValue - block.UsedLength)
            throw new MigrationFormatException(fieldAt,
                $"pages_offset 0x{block.PagesOffset:x} + used_length 0x{block.UsedLength:x} of block '{block.Name}' overflows");
        if (block.PagesEnd > Length)
            throw new MigrationFormatException(fieldAt,
                $"pages of block '{block.Name}' [0x{block.PagesOffset:x}, 0x{block.PagesEnd:x}) extend past the end of the file at 0x{Length:x}");
    }

    /// <summary>For blocks built by a caller rather than read: the fields must make sense before any arithmetic.</summary>
    private static void CheckBlockShape(MappedRamBlock block)
    {
        if (block.PageSize is < MinPageSize or > MaxPageSize || (block.PageSize & (block.PageSize - 1)) != 0
            || block.UsedLength < 0 || block.BitmapOffset < 0 || block.PagesOffset < 0)
            throw new ArgumentException($"block '{block.Name}' has impossible fields: {block}", nameof(block));
    }
}
