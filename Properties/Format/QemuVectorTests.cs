using SyncModel.Cli.Hostile;
using SyncModel.Implementation.Format;
using SyncModel.Implementation.IO;

namespace SyncModel.Properties.Format;

/// <summary>The real QEMU 10.0.13 files decode to exactly what <c>testdata/qemu-vectors/README.md</c> says.</summary>
public sealed class QemuVectorTests
{
    private const int Page = 4096;
    private const long VgaBiosWindowStart = 0xA0000;
    private const long VgaBiosWindowEnd = 0x100000;
    private const long PatternAddress = 0x200000;

    private static readonly (string Name, long Used, long Bitmap, long Pages, long Present)[] ReadmeBlocks =
    [
        ("pc.ram", 0x2000000, 0x8e, 0x100000, 877),
        ("/rom@etc/acpi/tables", 0x20000, 0x2100039, 0x2200000, 2),
        ("pc.bios", 0x40000, 0x222002c, 0x2300000, 46),
        ("pc.rom", 0x20000, 0x234002b, 0x2400000, 0),
        ("/rom@etc/table-loader", 0x1000, 0x242003a, 0x2500000, 1),
        ("/rom@etc/acpi/rsdp", 0x1000, 0x2501037, 0x2600000, 1),
    ];

    [Theory]
    [InlineData(QemuVectors.Multifd)]
    [InlineData(QemuVectors.Single)]
    public void Inspect_finds_the_six_blocks_of_the_readme(string name)
    {
        using var file = QemuVectors.Open(name);
        var layout = MappedRamInspector.Inspect(file);

        Assert.Equal("pc-i440fx-10.0", layout.MachineType);
        Assert.Equal(["mapped-ram"], layout.Capabilities);
        Assert.Equal(0x4a, layout.RamSectionOffset);
        Assert.Equal(0x2082000, layout.MemSize);
        var actual = layout.Blocks.Select(b => (b.Name, b.UsedLength, b.BitmapOffset, b.PagesOffset, b.PagesPresent));
        Assert.Equal(ReadmeBlocks, actual);
        Assert.All(layout.Blocks, b => Assert.Equal(Page, b.PageSize));
        Assert.Equal(0x2601000, layout.StreamResumeOffset);
    }

    [Theory]
    [InlineData(QemuVectors.Multifd)]
    [InlineData(QemuVectors.Single)]
    public void Inspect_walks_the_ram_sections_to_the_device_state(string name)
    {
        using var file = QemuVectors.Open(name);
        var layout = MappedRamInspector.Inspect(file);

        // START, PART and END each hold only EOS; SWITCHOVER_START (11) sits between PART and END.
        Assert.Equal(
            [new(0x2601000, SectionType.Start, QemuFormat.FlagEos), new(0x2601012, SectionType.Part, QemuFormat.FlagEos),
             new RamStreamFlag(0x2601029, SectionType.End, QemuFormat.FlagEos)],
            layout.StreamFlags);
        Assert.Equal([new VmCommand(0x260101f, 11, 0)], layout.Commands);
        Assert.Equal(0x2601036, layout.DeviceStateOffset);
    }

    [Fact]
    public void The_first_device_section_is_a_full_timer_section()
    {
        using var file = QemuVectors.Open(QemuVectors.Multifd);
        var reader = new MigrationStreamReader(file);
        reader.Seek(0x2601036);

        var item = Assert.IsType<SectionHeader>(reader.ReadTopLevel());
        Assert.Equal(new SectionHeader(0x2601036, SectionType.Full, 0, "timer", 0, 2), item);
    }

    [Theory]
    [InlineData(QemuVectors.Multifd)]
    [InlineData(QemuVectors.Single)]
    public void Extracted_pc_ram_equals_the_dump_outside_the_bios_window(string name)
    {
        var ram = Extract(name, "pc.ram");
        var dump = QemuVectors.Bytes(QemuVectors.RamDump);

        Assert.Equal(dump.Length, ram.Length);
        var differing = Enumerable.Range(0, ram.Length / Page)
            .Where(p => !ram.AsSpan(p * Page, Page).SequenceEqual(dump.AsSpan(p * Page, Page)))
            .Select(p => (long)p * Page)
            .ToList();
        Assert.All(differing, address => Assert.InRange(address, VgaBiosWindowStart, VgaBiosWindowEnd - 1));
    }

    [Theory]
    [InlineData(QemuVectors.Multifd)]
    [InlineData(QemuVectors.Single)]
    public void Pattern_region_equals_pattern_bin(string name)
    {
        var ram = Extract(name, "pc.ram");
        var pattern = QemuVectors.Bytes(QemuVectors.Pattern);

        Assert.True(ram.AsSpan((int)PatternAddress, pattern.Length).SequenceEqual(pattern));
    }

    [Fact]
    public void The_bios_window_of_the_dump_is_the_last_128_KiB_of_pc_bios()
    {
        var bios = Extract(QemuVectors.Multifd, "pc.bios");
        var dump = QemuVectors.Bytes(QemuVectors.RamDump);
        const int isaBios = 0x20000;

        Assert.True(bios.AsSpan(bios.Length - isaBios).SequenceEqual(dump.AsSpan((int)(VgaBiosWindowEnd - isaBios), isaBios)));
    }

    [Fact]
    public void Extract_writes_zeros_for_a_block_without_pages()
    {
        var rom = Extract(QemuVectors.Multifd, "pc.rom");

        Assert.Equal(0x20000, rom.Length);
        Assert.DoesNotContain(rom, b => b != 0);
    }

    [Fact]
    public void A_compressed_vector_and_its_inflated_copy_on_disk_open_to_the_same_bytes()
    {
        var gz = QemuVectorFiles.PathOf(QemuVectors.Directory, QemuVectors.Multifd);
        Assert.EndsWith(".gz", gz);
        Assert.True(MigrationFiles.IsGzip(gz));
        var plain = Path.Combine(Path.GetTempPath(), $"syncmodel-vector-{Guid.NewGuid():N}.mig");
        try
        {
            File.WriteAllBytes(plain, QemuVectors.Bytes(QemuVectors.Multifd));
            using var compressed = MigrationFiles.OpenRead(gz);
            using var onDisk = MigrationFiles.OpenRead(plain);

            Assert.IsType<DiskMigrationFile>(onDisk);
            Assert.Equal(onDisk.Length, compressed.Length);
            Assert.Equal(MappedRamInspector.Inspect(onDisk).Blocks, MappedRamInspector.Inspect(compressed).Blocks);
            var a = new byte[4096];
            var b = new byte[4096];
            foreach (var offset in new long[] { 0, 0x100000, 0x2601000, onDisk.Length - 4096 })
            {
                Assert.Equal(onDisk.Read(a, offset), compressed.Read(b, offset));
                Assert.Equal(a, b);
            }
        }
        finally
        {
            File.Delete(plain);
        }
    }

    [Fact]
    public void A_damaged_gzip_file_is_refused_as_unreadable()
    {
        var path = Path.Combine(Path.GetTempPath(), $"syncmodel-bad-{Guid.NewGuid():N}.mig.gz");
        try
        {
            File.WriteAllBytes(path, [0x1f, 0x8b, 8, 0, 0, 0, 0, 0, 0, 3, 0xde, 0xad, 0xbe, 0xef]);

            var e = Assert.Throws<IOException>(() => MigrationFiles.OpenRead(path).Dispose());
            Assert.Contains("not a valid gzip file", e.Message);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Extract_of_an_unknown_block_lists_the_names()
    {
        using var file = QemuVectors.Open(QemuVectors.Multifd);

        var e = Assert.Throws<ArgumentException>(() => MappedRamInspector.ExtractBlock(file, "pc.vram", Stream.Null));
        Assert.Contains("'pc.vram'", e.Message);
        Assert.All(ReadmeBlocks, b => Assert.Contains($"'{b.Name}'", e.Message));
    }

    private static byte[] Extract(string name, string block)
    {
        using var file = QemuVectors.Open(name);
        using var output = new MemoryStream();
        MappedRamInspector.ExtractBlock(file, block, output);
        return output.ToArray();
    }
}
