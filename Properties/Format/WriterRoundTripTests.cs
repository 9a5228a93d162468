using CsCheck;
using SyncModel.Implementation.Format;
using SyncModel.Implementation.IO;
using SyncModel.Implementation.Recv;
using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Format;

/// <summary><see cref="MigrationStreamWriter"/> → <see cref="MappedRamInspector"/> and <see cref="Loader"/>: what the writer lays out, the readers find.</summary>
public sealed class WriterRoundTripTests
{
    private const uint RamSectionId = 2;
    private const int Iterations = 40;

    private static readonly string[] OddNames =
    [
        "a", "pc.ram", "/rom@etc/acpi/tables", "0000:00:02.0/vga.vram", "name with  spaces", "~!@#$%^&*()_+{}|:\"<>?`-=[]\\;',./",
        new string('x', 255), new string('/', 254) + "z",
    ];

    private static readonly Gen<string> Name = Gen.OneOf<string>(
        Gen.OneOf(OddNames), Gen.Char[' ', '~'].Array[1, 255].Select(chars => new string(chars)));

    /// <summary>Page counts that straddle bitmap word boundaries, or anything up to 200.</summary>
    private static readonly Gen<int> Pages = Gen.OneOf<int>(Gen.OneOf(1, 63, 64, 65, 127, 129), Gen.Int[1, 200]);

    private static readonly Gen<(string Name, int Pages, int Seed)> Block = Gen.Select(Name, Pages, Gen.Int);

    private static readonly Gen<(int PageSize, (string Name, int Pages, int Seed)[] Blocks, int Parts)> Layouts =
        Gen.Select(Gen.OneOf(1024, 4096, 16384, 65536), Block.Array[1, 5], Gen.Int[0, 3])
            .Where((_, blocks, _) => blocks.Select(b => b.Name).Distinct().Count() == blocks.Length);

    [Fact]
    public void Generated_layouts_inspect_extract_and_load_as_written()
    {
        Layouts.Sample(layout => RoundTrip(layout.PageSize, layout.Blocks, layout.Parts), iter: Iterations);
    }

    [Fact]
    public void The_writer_reproduces_the_layout_of_the_real_qemu_file()
    {
        using var file = new MemoryMigrationFile();
        var writer = new MigrationStreamWriter(file);
        writer.WriteFileHeader();
        writer.WriteConfiguration("pc-i440fx-10.0", ["mapped-ram"]);
        writer.WriteSectionHeader(QemuFormat.SectionStart, 1);
        writer.WriteMemSize(0x2082000);
        long[] used = [0x2000000, 0x20000, 0x40000, 0x20000, 0x1000, 0x1000];
        string[] names = ["pc.ram", "/rom@etc/acpi/tables", "pc.bios", "pc.rom", "/rom@etc/table-loader", "/rom@etc/acpi/rsdp"];
        var placements = names.Zip(used, (n, u) => writer.WriteMappedRamBlock(n, u, 4096)).ToList();
        writer.WriteRamFlag(QemuFormat.FlagEos);
        writer.WriteSectionFooter(1);
        writer.Flush();

        using var real = QemuVectors.Open(QemuVectors.Multifd);
        var layout = MappedRamInspector.Inspect(real);
        Assert.Equal(layout.Blocks.Select(b => new MappedRamPlacement(b.BitmapOffset, b.PagesOffset)), placements);
        Assert.Equal(Bytes(real, 0, 0x8e), Bytes(file, 0, 0x8e));
        Assert.All(layout.Blocks, b => Assert.Equal(Bytes(real, b.RecordOffset, b.BitmapOffset), Bytes(file, b.RecordOffset, b.BitmapOffset)));
        Assert.Equal(Bytes(real, 0x2601000, 0x260100d), Bytes(file, 0x2601000, 0x260100d));
    }

    private static void RoundTrip(int pageSize, (string Name, int Pages, int Seed)[] blocks, int parts)
    {
        using var file = new MemoryMigrationFile();
        var (placements, resume, eofAt) = WriteStream(file, pageSize, blocks, parts);
        var images = blocks.Select((b, i) => WritePages(file, b, placements[i], pageSize)).ToList();

        var layout = MappedRamInspector.Inspect(file);

        Assert.Equal(["mapped-ram"], layout.Capabilities);
        Assert.Equal(blocks.Sum(b => (long)b.Pages * pageSize), layout.MemSize);
        Assert.Equal(blocks.Select(b => b.Name), layout.Blocks.Select(b => b.Name));
        Assert.Equal(blocks.Select(b => (long)b.Pages * pageSize), layout.Blocks.Select(b => b.UsedLength));
        Assert.All(layout.Blocks, b => Assert.Equal(pageSize, b.PageSize));
        Assert.Equal(placements, layout.Blocks.Select(b => new MappedRamPlacement(b.BitmapOffset, b.PagesOffset)));
        Assert.Equal(images.Select(i => i.Present), layout.Blocks.Select(b => b.PagesPresent));
        Assert.Equal(resume, layout.StreamResumeOffset);
        Assert.Equal(2 + 2 * parts, layout.StreamFlags.Count);
        Assert.Equal(parts, layout.StreamFlags.Count(f => f.Flags == QemuFormat.FlagMultifdFlush && f.Section == SectionType.Part));
        Assert.Equal(eofAt, layout.DeviceStateOffset);
        for (var i = 0; i < blocks.Length; i++)
        {
            using var output = new MemoryStream();
            MappedRamInspector.ExtractBlock(file, blocks[i].Name, output);
            Assert.True(images[i].Image.AsSpan().SequenceEqual(output.ToArray()), $"block {i} '{blocks[i].Name}' differs");
        }

        // The loader reads the same layout into fresh RAM: bit-1 pages from their slots, nothing from the stale bit-0 ones.
        // (The parts carry MULTIFD_FLUSH, which only the F=on policies accept.)
        var loaded = Loader.Load(file, new LoadOptions(PeterXuReentrant.Instance, 2) { FlushAfterEachSection = true });
        for (var i = 0; i < blocks.Length; i++)
            Assert.True(images[i].Image.AsSpan().SequenceEqual(loaded.Ram.Blocks[i].Memory), $"block {i} '{blocks[i].Name}' loads differently");
    }

    /// <summary>Header, configuration, ram START with the block list, <paramref name="parts"/> PARTs with a flush, END, EOF.</summary>
    private static (List<MappedRamPlacement> Placements, long Resume, long EofAt) WriteStream(
        MemoryMigrationFile file, int pageSize, (string Name, int Pages, int Seed)[] blocks, int parts)
    {
        var writer = new MigrationStreamWriter(file);
        writer.WriteFileHeader();
        writer.WriteConfiguration("pc-q35-10.0", ["mapped-ram"], pageSize);
        writer.WriteSectionHeader(QemuFormat.SectionStart, RamSectionId);
        writer.WriteMemSize(blocks.Sum(b => (long)b.Pages * pageSize));
        var placements = blocks.Select(b => writer.WriteMappedRamBlock(b.Name, (long)b.Pages * pageSize, pageSize)).ToList();
        var resume = writer.Position;
        WriteRamSectionEnd(writer);
        for (var i = 0; i < parts; i++)
        {
            writer.WriteSectionHeader(QemuFormat.SectionPart, RamSectionId);
            writer.WriteRamFlag(QemuFormat.FlagMultifdFlush);
            WriteRamSectionEnd(writer);
        }
        writer.WriteSectionHeader(QemuFormat.SectionEnd, RamSectionId);
        WriteRamSectionEnd(writer);
        var eofAt = writer.Position;
        writer.WriteEof();
        writer.Flush();
        return (placements, resume, eofAt);
    }

    private static void WriteRamSectionEnd(MigrationStreamWriter writer)
    {
        writer.WriteRamFlag(QemuFormat.FlagEos);
        writer.WriteSectionFooter(RamSectionId);
    }

    /// <summary>
    /// Writes about half the pages with bit 1 and data; a few bit-0 slots get stale garbage that must read back
    /// as zeros (docs/protocol.md §1.5). Returns the image the block must extract to.
    /// </summary>
    private static (byte[] Image, long Present) WritePages(
        MemoryMigrationFile file, (string Name, int Pages, int Seed) block, MappedRamPlacement placement, int pageSize)
    {
        var random = new Random(block.Seed);
        var image = new byte[(long)block.Pages * pageSize];
        var words = new ulong[MappedRamBitmap.WordsFor(block.Pages)];
        var page = new byte[pageSize];
        for (var p = 0; p < block.Pages; p++)
        {
            var present = random.Next(2) == 0;
            if (!present && random.Next(4) != 0) continue;
            random.NextBytes(page.AsSpan(0, 64));
            page[^1] = (byte)p;
            file.Write(page, placement.PagesOffset + (long)p * pageSize);
            if (!present) continue;
            MappedRamBitmap.Set(words, p);
            page.CopyTo(image, (long)p * pageSize);
        }
        file.Write(MappedRamBitmap.Encode(words), placement.BitmapOffset);
        return (image, MappedRamBitmap.CountSet(words));
    }

    private static byte[] Bytes(IMigrationFile file, long from, long to)
    {
        var bytes = new byte[to - from];
        Assert.Equal(bytes.Length, file.Read(bytes, from));
        return bytes;
    }
}
