using SyncModel.Implementation.Format;
using Xunit.Abstractions;

namespace SyncModel.Properties.Format;

/// <summary>
/// Cut-short files and lying length fields: only <see cref="MigrationFormatException"/> ever escapes, and
/// nothing is allocated in proportion to a length read from the file.
/// </summary>
public sealed class TruncationTests(ITestOutputHelper output)
{
    private const int RandomCuts = 64;
    private const long SmallAllocation = 256 * 1024;

    /// <summary>End of the first FULL section header ("timer"): the inspector reads up to here and no further.</summary>
    private const long InspectorReadsUpTo = 0x2601047;

    private static readonly long[] BlockRecords = [0x63, 0x2100000, 0x2220000, 0x2340000, 0x2420000, 0x2501000, 0x2601000];

    [Fact]
    public void A_real_file_cut_anywhere_fails_only_with_a_format_error()
    {
        var seed = Environment.TickCount;
        output.WriteLine($"random cut seed {seed}");
        using var real = QemuVectors.Open(QemuVectors.Multifd);
        var cuts = CutPoints(real.Length, seed);
        foreach (var cut in cuts)
        {
            var file = new TruncatedFile(real, cut);
            InspectMustFailCleanly(file, cut);
        }
        output.WriteLine($"{cuts.Count} cut points");
    }

    [Fact]
    public void A_hand_built_stream_cut_anywhere_fails_only_with_a_format_error()
    {
        var bytes = StreamReaderTests.EveryKindOfItem().ToArray();
        using var whole = StreamReaderTests.EveryKindOfItem().ToFile();
        StreamReaderTests.ReadEveryKindOfItem(new MigrationStreamReader(whole));
        for (var cut = 0; cut < bytes.Length; cut++)
        {
            var reader = new MigrationStreamReader(new TruncatedFile(whole, cut));
            var e = Assert.Throws<MigrationFormatException>(() => StreamReaderTests.ReadEveryKindOfItem(reader));
            Assert.InRange(e.Offset, 0, cut);
            Assert.Contains("truncated", e.Message);
        }
    }

    [Theory]
    [InlineData(0x6a, "0100000000000000")] // pc.ram used_length 2^56: a 2 TiB bitmap
    [InlineData(0x6a, "7ffffffffffff000")] // the largest used_length that is a multiple of the page size
    [InlineData(0x5b, "7ffffffffffff004")] // MEM_SIZE far beyond the blocks
    [InlineData(0x9, "7fffffff")] // machine type length
    [InlineData(0x3b, "ffffffff")] // capability count
    [InlineData(0x3f, "ff")] // capability idlen
    [InlineData(0x63, "ff")] // pc.ram idlen
    public void A_lying_length_does_not_allocate_in_proportion(long at, string hex)
    {
        using var file = QemuVectors.MultifdCopy();
        file.Write(Convert.FromHexString(hex), at);
        Assert.Throws<MigrationFormatException>(() => MappedRamInspector.Inspect(file));

        var before = GC.GetAllocatedBytesForCurrentThread();
        var e = Assert.Throws<MigrationFormatException>(() => MappedRamInspector.Inspect(file));
        var allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        output.WriteLine($"{allocated} bytes allocated; {e.Message}");
        Assert.InRange(allocated, 0, SmallAllocation);
    }

    [Fact]
    public void Inspecting_and_extracting_a_32_MiB_block_allocate_a_bounded_amount()
    {
        using var real = QemuVectors.Open(QemuVectors.Multifd);
        MappedRamInspector.ExtractBlock(real, "pc.ram", Stream.Null);

        var before = GC.GetAllocatedBytesForCurrentThread();
        MappedRamInspector.Inspect(real);
        var inspected = GC.GetAllocatedBytesForCurrentThread() - before;
        MappedRamInspector.ExtractBlock(real, "pc.ram", Stream.Null);
        var extracted = GC.GetAllocatedBytesForCurrentThread() - before - inspected;

        output.WriteLine($"inspect {inspected} bytes, extract {extracted} bytes");
        Assert.InRange(inspected, 0, SmallAllocation);
        Assert.InRange(extracted, 0, QemuFormat.LoadBufferSize + 2 * SmallAllocation);
    }

    private static void InspectMustFailCleanly(TruncatedFile file, long cut)
    {
        try
        {
            MappedRamInspector.Inspect(file);
            MappedRamInspector.ExtractBlock(file, "/rom@etc/acpi/rsdp", Stream.Null);
            Assert.True(cut >= InspectorReadsUpTo, $"cut at 0x{cut:x} was accepted");
        }
        catch (MigrationFormatException e)
        {
            Assert.True(e.Offset <= cut, $"cut at 0x{cut:x}: error names 0x{e.Offset:x}, past the end");
        }
    }

    /// <summary>Every byte of the header, configuration and each block record, the trailer, and random cuts.</summary>
    private static SortedSet<long> CutPoints(long length, int seed)
    {
        var cuts = new SortedSet<long> { length };
        for (long c = 0; c <= 0xd0; c++) cuts.Add(c);
        for (long c = 0xd0; c <= 0x490; c += 0x10) cuts.Add(c);
        foreach (var record in BlockRecords)
            for (var c = record - 8; c <= record + 0x60; c++) cuts.Add(c);
        for (var c = InspectorReadsUpTo - 0x48; c <= InspectorReadsUpTo + 8; c++) cuts.Add(c);
        var random = new Random(seed);
        for (var i = 0; i < RandomCuts; i++) cuts.Add(random.NextInt64(length));
        return cuts;
    }
}
