using SyncModel.Implementation.Format;

namespace SyncModel.Properties.Format;

/// <summary>
/// Each broken input is the real multifd file with a few bytes overwritten (offsets from the vectors README and
/// a hexdump: ram SECTION_START at 0x4a, MEM_SIZE word at 0x5b, pc.ram record at 0x63 with used_length at 0x6a
/// and its header at 0x72..0x8d, EOS at 0x2601000). The error must name the offending field's offset and the problem.
/// </summary>
public sealed class BadInputTests
{
    [Theory]
    // file header and configuration
    [InlineData(0x0, "51455658", 0x0, "bad magic 0x51455658")]
    [InlineData(0x4, "00000004", 0x4, "unknown stream version 4")]
    [InlineData(0x4, "00000002", 0x4, "unknown stream version 2")]
    [InlineData(0x8, "06", 0x8, "expected QEMU_VM_CONFIGURATION")]
    [InlineData(0x9, "7fffffff", 0x9, "machine type length 2147483647 is implausible")]
    [InlineData(0xd, "01", 0xd, "not printable ASCII")]
    [InlineData(0x36, "7a", 0x1b, "unknown configuration subsection 'configuration/capabilitiez'")]
    [InlineData(0x37, "00000002", 0x37, "has unknown version 2")]
    [InlineData(0x3b, "ffffffff", 0x3b, "capability count 4294967295 is implausible")]
    [InlineData(0x40, "6e", 0x8, "does not list the 'mapped-ram' capability")]
    // ram SECTION_START
    [InlineData(0x4a, "09", 0x4a, "unknown section type 0x09")]
    [InlineData(0x4a, "05", 0x4a, "unknown configuration subsection ''")]
    [InlineData(0x4a, "04", 0x4a, "expected the ram SECTION_START")]
    [InlineData(0x50, "726f6d", 0x4f, "idstr 'rom' does not match the expected 'ram'")]
    [InlineData(0x53, "00000001", 0x53, "instance id 1")]
    [InlineData(0x57, "00000005", 0x57, "unknown ram section version 5")]
    // MEM_SIZE
    [InlineData(0x5b, "0000000002082008", 0x5b, "Unexpected RAM flags 0x8")]
    [InlineData(0x5b, "0000000002082002", 0x5b, "Unexpected RAM flags 0x2")]
    [InlineData(0x5b, "0000000002082010", 0x5b, "expected the MEM_SIZE record")]
    [InlineData(0x5b, "0000000000000004", 0x5b, "MEM_SIZE total is 0")]
    [InlineData(0x5b, "fffffffffffff004", 0x5b, "MEM_SIZE total 0xfffffffffffff000 overflows")]
    [InlineData(0x5b, "0000000002001004", 0x2100015, "block lengths do not add up to MEM_SIZE")]
    [InlineData(0x5b, "0000000002083004", 0x2601000, "0x1000 of MEM_SIZE 0x2083000 unaccounted for")]
    [InlineData(0x5b, "7ffffffffffff004", 0x2601000, "unaccounted for")]
    // pc.ram record and MappedRamHeader
    [InlineData(0x64, "01", 0x64, "RAMBlock idstr holds byte 0x01")]
    [InlineData(0x6a, "0000000000000000", 0x6a, "used_length of block 'pc.ram' is 0")]
    [InlineData(0x6a, "0000000002000800", 0x6a, "used_length 0x2000800 of block 'pc.ram' is not a multiple of its page size 0x1000")]
    [InlineData(0x6a, "ffffffffffff0000", 0x6a, "used_length of block 'pc.ram' 0xffffffffffff0000 overflows")]
    [InlineData(0x6a, "0100000000000000", 0x7e, "bitmap of block 'pc.ram' [0x8e, +0x20000000000) extends past the end of the file")]
    [InlineData(0x72, "00000002", 0x72, "unknown mapped-ram header version 2")]
    [InlineData(0x76, "0000000000003000", 0x76, "page_size 0x3000 of block 'pc.ram' is not a power of two in 512..64 KiB")]
    [InlineData(0x76, "0000000000000100", 0x76, "page_size 0x100")]
    [InlineData(0x76, "0000000000020000", 0x76, "page_size 0x20000")]
    [InlineData(0x7e, "0000000000000090", 0x7e, "bitmap_offset 0x90 of block 'pc.ram' does not follow its header: QEMU writes the bitmap at 0x8e")]
    [InlineData(0x7e, "8000000000000000", 0x7e, "bitmap_offset of block 'pc.ram' 0x8000000000000000 overflows")]
    [InlineData(0x86, "0000000000100800", 0x86, "pages_offset 0x100800 of block 'pc.ram' is misaligned")]
    [InlineData(0x86, "0000000000000000", 0x86, "overlaps its bitmap, which ends at 0x48e")]
    [InlineData(0x86, "0000000003000000", 0x86, "pages of block 'pc.ram' [0x3000000, 0x5000000) extend past the end of the file")]
    [InlineData(0x86, "7ffffffffffff000", 0x86, "pages_offset 0x7ffffffffffff000 + used_length 0x2000000 of block 'pc.ram' overflows")]
    [InlineData(0x2340005, "61", 0x2340000, "RAM block 'pc.ram' appears twice")]
    // after the block list: EOS, footers, PART/END, command
    [InlineData(0x2601000, "0000000000000008", 0x2601000, "Unexpected RAM flags 0x8")]
    [InlineData(0x2601000, "0000000000000080", 0x2601000, "Unexpected RAM flags 0x80")]
    [InlineData(0x2601000, "0000000000000000", 0x2601000, "unknown combination of RAM flags 0x0")]
    [InlineData(0x2601000, "0000000000000410", 0x2601000, "unknown combination of RAM flags 0x410")]
    [InlineData(0x2601000, "0000000000001004", 0x2601000, "a second MEM_SIZE record")]
    [InlineData(0x2601008, "7f", 0x2601008, "missing section footer for section 1: found 0x7f")]
    [InlineData(0x2601009, "00000002", 0x2601009, "section footer names section 2, expected section 1")]
    [InlineData(0x2601032, "00000000", 0x2601032, "section footer names section 0, expected section 1")]
    [InlineData(0x2601020, "0000", 0x2601020, "MIG_CMD_INVALID")]
    [InlineData(0x2601024, "09", 0x2601024, "unknown section type 0x09")]
    [InlineData(0x2601024, "07", 0x2601024, "configuration (0x07) is only valid right after the file header")]
    [InlineData(0x2601024, "00", 0x2601024, "the stream ends before the ram section's END")]
    [InlineData(0x2601022, "0001", 0x2601025, "the stream ends before the ram section's END")]
    public void A_broken_field_is_reported_with_its_offset(long at, string hex, long expectedOffset, string expectedProblem)
    {
        using var file = QemuVectors.MultifdCopy();
        file.Write(Convert.FromHexString(hex), at);

        var e = Assert.Throws<MigrationFormatException>(() => MappedRamInspector.Inspect(file));
        Assert.Equal(expectedOffset, e.Offset);
        Assert.StartsWith($"at offset 0x{expectedOffset:x}: ", e.Message);
        Assert.Contains(expectedProblem, e.Message);
    }

    [Fact]
    public void A_file_cut_inside_the_mem_size_word_is_reported_as_truncated()
    {
        using var real = QemuVectors.Open(QemuVectors.Multifd);
        var cut = new TruncatedFile(real, 0x60);

        var e = Assert.Throws<MigrationFormatException>(() => MappedRamInspector.Inspect(cut));
        Assert.Equal(0x5b, e.Offset);
        Assert.Contains("file truncated: RAM record word needs 8 bytes at 0x5b but the file ends at 0x60", e.Message);
    }

    [Fact]
    public void A_file_cut_inside_a_page_area_is_reported_at_the_pages_offset_field()
    {
        using var real = QemuVectors.Open(QemuVectors.Multifd);
        var cut = new TruncatedFile(real, 0x2000000);

        var e = Assert.Throws<MigrationFormatException>(() => MappedRamInspector.Inspect(cut));
        Assert.Equal(0x86, e.Offset);
        Assert.Contains("extend past the end of the file at 0x2000000", e.Message);
    }

    [Fact]
    public void A_bitmap_outside_the_file_is_refused_before_allocating()
    {
        using var real = QemuVectors.Open(QemuVectors.Multifd);
        var reader = new MigrationStreamReader(real);
        var lie = new MappedRamBlock("pc.ram", 1L << 50, 4096, 0x8e, 0x100000);

        var e = Assert.Throws<MigrationFormatException>(() => reader.ReadBitmap(lie));
        Assert.Equal(0x8e, e.Offset);
        Assert.Contains("bitmap of block 'pc.ram' [0x8e, +0x800000000) extends past the end of the file", e.Message);
    }

    [Fact]
    public void Extracting_a_block_whose_pages_lie_outside_the_file_fails_before_writing()
    {
        using var real = QemuVectors.Open(QemuVectors.Multifd);
        var lie = new MappedRamBlock("pc.ram", 0x2000000, 4096, 0x8e, 0x3000000);
        using var output = new MemoryStream();

        var e = Assert.Throws<MigrationFormatException>(() => MappedRamInspector.ExtractBlock(real, lie, output));
        Assert.Equal(0x3000000, e.Offset);
        Assert.Contains("extend past the end of the file", e.Message);
        Assert.Equal(0, output.Length);
    }

    [Fact]
    public void Seeking_outside_the_file_is_refused()
    {
        using var real = QemuVectors.Open(QemuVectors.Multifd);
        var reader = new MigrationStreamReader(real);
        reader.Seek(0x10);

        var e = Assert.Throws<MigrationFormatException>(() => reader.Seek(real.Length + 1));
        Assert.Equal(0x10, e.Offset);
        Assert.Contains($"seek to 0x{real.Length + 1:x} is outside the file", e.Message);
        Assert.Throws<MigrationFormatException>(() => reader.Seek(-1));
    }
}
