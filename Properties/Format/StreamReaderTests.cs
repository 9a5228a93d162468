using SyncModel.Implementation.Format;

namespace SyncModel.Properties.Format;

/// <summary><see cref="MigrationStreamReader"/> on small hand-built streams.</summary>
public sealed class StreamReaderTests
{
    private static readonly Guid Uuid = Guid.Parse("00112233-4455-6677-8899-aabbccddeeff");

    /// <summary>Header, a configuration with all three subsections, then START/footer, COMMAND, PART with words, END, FULL, EOF.</summary>
    internal static StreamBytes EveryKindOfItem() => new StreamBytes().Header()
        .U8(0x07).Be32(9).Bytes("virt-10.0"u8)
        .U8(0x05).Idstr(MigrationStreamReader.TargetPageBitsSubsection).Be32(1).Be32(14)
        .U8(0x05).Idstr(MigrationStreamReader.CapabilitiesSubsection).Be32(1).Be32(2).Idstr("mapped-ram").Idstr("x-ignore-shared")
        .U8(0x05).Idstr(MigrationStreamReader.UuidSubsection).Be32(1).Bytes(Convert.FromHexString("00112233445566778899aabbccddeeff"))
        .U8(0x01).Be32(7).Idstr("dirty-bitmap").Be32(0).Be32(1).U8(0x7e).Be32(7)
        .U8(0x08).Be16(2).Be16(4).Be32(0xdeadbeef)
        .U8(0x02).Be32(7).Be64(0x12348000 | 0x200).Be64(0x10 | 0x20).U8(0x7e).Be32(7)
        .U8(0x03).Be32(7).Be64(0x10).U8(0x7e).Be32(7)
        .U8(0x04).Be32(8).Idstr("timer").Be32(0).Be32(2)
        .U8(0x00);

    /// <summary>Reads <see cref="EveryKindOfItem"/> and checks every value; a cut-short stream fails inside with a format error.</summary>
    internal static void ReadEveryKindOfItem(MigrationStreamReader reader)
    {
        reader.ReadFileHeader();
        var config = reader.ReadConfiguration();
        Assert.Equal(new MigrationConfiguration("virt-10.0", config.Capabilities, 14, Uuid), config);
        Assert.Equal(["mapped-ram", "x-ignore-shared"], config.Capabilities);
        Assert.Equal(14, reader.TargetPageBits);

        Assert.Equal(new SectionHeader(0xa5, SectionType.Start, 7, "dirty-bitmap", 0, 1), reader.ReadTopLevel());
        reader.ReadSectionFooter(7);
        Assert.Equal(new VmCommand(0xc4, 2, 4), reader.ReadTopLevel());
        Assert.Equal(new SectionHeader(0xcd, SectionType.Part, 7, null, 0, 0), reader.ReadTopLevel());
        Assert.Equal(new RamWord(0xd2, 0x12348000, 0x200), reader.ReadRamWord());
        var eos = reader.ReadRamWord();
        Assert.True(eos.IsEos);
        Assert.Equal(0x30UL, eos.Flags);
        reader.ReadSectionFooter(7);
        Assert.Equal(SectionType.End, Assert.IsType<SectionHeader>(reader.ReadTopLevel()).Type);
        Assert.True(reader.ReadRamWord().IsEos);
        reader.ReadSectionFooter(7);
        Assert.Equal("timer", Assert.IsType<SectionHeader>(reader.ReadTopLevel()).Idstr);
        Assert.IsType<VmEof>(reader.ReadTopLevel());
        Assert.Equal(reader.Length, reader.Position);
    }

    [Fact]
    public void Every_kind_of_top_level_item_is_read_in_order()
    {
        using var file = EveryKindOfItem().ToFile();
        ReadEveryKindOfItem(new MigrationStreamReader(file));
    }

    [Fact]
    public void A_configuration_without_subsections_has_no_capabilities()
    {
        using var file = new StreamBytes().Header().U8(0x07).Be32(2).Bytes("pc"u8).U8(0x00).ToFile();
        var reader = new MigrationStreamReader(file);
        reader.ReadFileHeader();

        Assert.Equal(new MigrationConfiguration("pc", [], null, null), reader.ReadConfiguration() with { Capabilities = [] });
        Assert.Equal(12, reader.TargetPageBits);
        Assert.IsType<VmEof>(reader.ReadTopLevel());
    }

    [Fact]
    public void A_repeated_subsection_is_an_error_at_its_offset()
    {
        var caps = MigrationStreamReader.CapabilitiesSubsection;
        using var file = new StreamBytes().Header().U8(0x07).Be32(2).Bytes("pc"u8)
            .U8(0x05).Idstr(caps).Be32(1).Be32(0)
            .U8(0x05).Idstr(caps).Be32(1).Be32(0).ToFile();
        var reader = new MigrationStreamReader(file);
        reader.ReadFileHeader();

        var e = Assert.Throws<MigrationFormatException>(() => reader.ReadConfiguration());
        Assert.Equal(0x33, e.Offset);
        Assert.Contains("'configuration/capabilities' appears twice", e.Message);
    }

    [Fact]
    public void Impossible_target_page_bits_are_an_error_at_their_offset()
    {
        using var file = new StreamBytes().Header().U8(0x07).Be32(2).Bytes("pc"u8)
            .U8(0x05).Idstr(MigrationStreamReader.TargetPageBitsSubsection).Be32(1).Be32(20).ToFile();
        var reader = new MigrationStreamReader(file);
        reader.ReadFileHeader();

        var e = Assert.Throws<MigrationFormatException>(() => reader.ReadConfiguration());
        Assert.Equal(0x33, e.Offset);
        Assert.Contains("target page bits 20 is outside 10..16", e.Message);
    }

    [Fact]
    public void Ram_word_flags_are_the_bits_below_the_target_page_size()
    {
        using var file = new StreamBytes().Be64(0x1410).Be64(0x1410).ToFile();
        var reader = new MigrationStreamReader(file) { TargetPageBits = 10 };

        Assert.Equal(new RamWord(0, 0x1400, 0x10), reader.ReadRamWord());
        reader.TargetPageBits = 12;
        var e = Assert.Throws<MigrationFormatException>(() => reader.ReadRamWord());
        Assert.Equal(8, e.Offset);
        Assert.Contains("unknown combination of RAM flags 0x410", e.Message);
        Assert.Throws<ArgumentOutOfRangeException>(() => reader.TargetPageBits = 64);
    }

    [Fact]
    public void A_multifd_flush_word_is_reported_for_the_caller_to_judge()
    {
        using var file = new StreamBytes().Be64(0x200).Be64(0x200 | 0x10).ToFile();
        var reader = new MigrationStreamReader(file);

        Assert.True(reader.ReadRamWord().IsMultifdFlush);
        Assert.Throws<MigrationFormatException>(() => reader.ReadRamWord());
    }

    [Fact]
    public void Primitives_read_big_endian_and_peek_does_not_consume()
    {
        using var file = new StreamBytes().U8(0xab).Be16(0x1234).Be32(0x56789abc).Be64(0x0102030405060708).Idstr("").Idstr("x y").ToFile();
        var reader = new MigrationStreamReader(file);

        Assert.Equal(0xab, reader.PeekU8());
        Assert.Equal(0xab, reader.ReadU8());
        Assert.Equal(0x1234, reader.ReadBe16());
        Assert.Equal(0x56789abcu, reader.ReadBe32());
        Assert.Equal(0x0102030405060708UL, reader.ReadBe64());
        Assert.Equal("", reader.ReadIdstr());
        Assert.Equal("x y", reader.ReadIdstr());
        Assert.Equal(reader.Length, reader.Position);
    }

    [Fact]
    public void Reads_larger_than_the_buffer_go_straight_to_the_file()
    {
        var data = Enumerable.Range(0, 1000).Select(i => (byte)(i * 7)).ToArray();
        using var file = new StreamBytes().U8(1).Bytes(data).U8(2).ToFile();
        var reader = new MigrationStreamReader(file, bufferSize: 256);
        var read = new byte[data.Length];

        Assert.Equal(1, reader.ReadU8());
        reader.ReadBytes(read);
        Assert.Equal(data, read);
        Assert.Equal(2, reader.ReadU8());
        reader.Seek(1);
        Assert.Equal(data[0], reader.ReadU8());
    }

    [Theory]
    [InlineData(0x06, "vmdescription (0x06) before QEMU_VM_EOF")]
    [InlineData(0x05, "subsection (0x05) outside any section")]
    [InlineData(0x7e, "unknown section type 0x7e")]
    [InlineData(0xff, "unknown section type 0xff")]
    public void Unknown_top_level_types_are_errors(byte type, string problem)
    {
        using var file = new StreamBytes().U8(0).U8(type).ToFile();
        var reader = new MigrationStreamReader(file);
        Assert.IsType<VmEof>(reader.ReadTopLevel());

        var e = Assert.Throws<MigrationFormatException>(() => reader.ReadTopLevel());
        Assert.Equal(1, e.Offset);
        Assert.Contains(problem, e.Message);
    }

    [Fact]
    public void A_command_whose_data_runs_past_the_end_is_truncated()
    {
        using var file = new StreamBytes().U8(0x08).Be16(11).Be16(100).Be32(0).ToFile();
        var reader = new MigrationStreamReader(file);

        var e = Assert.Throws<MigrationFormatException>(() => reader.ReadTopLevel());
        Assert.Equal(5, e.Offset);
        Assert.Contains("file truncated: data of command 11 needs 100 bytes at 0x5 but the file ends at 0x9", e.Message);
    }
}
