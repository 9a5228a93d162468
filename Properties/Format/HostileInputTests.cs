using SyncModel.Cli.Hostile;
using SyncModel.Implementation.Format;
using SyncModel.Properties.Generated;
using Xunit.Abstractions;

namespace SyncModel.Properties.Format;

/// <summary>
/// The real QEMU files, mutated (<see cref="HostileInputs"/>: bytes flipped, cut short, length and offset fields
/// rewritten, bitmaps extended, records copied over each other), through the loader, Inspect and a load into fresh
/// RAM (<see cref="HostileRunner"/>): read correctly or rejected with a <see cref="MigrationFormatException"/>; never
/// another exception, a hang or an allocation a lying length drives. A slice here; ten thousand in
/// <c>syncmodel bench --suite hostile</c>.
/// </summary>
public sealed class HostileInputTests(ITestOutputHelper output)
{
    private const int Slice = 300;
    private static readonly TimeSpan InputTimeout = TimeSpan.FromSeconds(10);

    private static readonly Lazy<HostileCampaign> Campaign = new(() =>
        new HostileCampaign(QemuVectorFiles.Load(QemuVectors.Directory), InputTimeout));

    [Fact]
    public void Mutated_qemu_files_are_read_correctly_or_rejected_with_a_format_error()
    {
        var seed = PropertySeed.Fixed is { } s && int.TryParse(s, out var n) ? n : Random.Shared.Next();
        output.WriteLine($"hostile seed {seed} (rerun: {PropertySeed.Variable}={seed}, or syncmodel bench --suite hostile --seed {seed} --count {Slice})");

        var t = Campaign.Value.Run(seed, 0, Slice);

        output.WriteLine($"{t.Inputs} inputs in {t.Seconds:F1} s: {t.ReadFine} read fine, {t.Rejected} rejected, {t.Crashes} crashes, {t.Hangs} hangs; max allocation {t.MaxAllocated} bytes");
        foreach (var (cls, count) in t.RejectedByClass) output.WriteLine($"  rejected, {cls}: {count}");
        foreach (var (reader, count) in t.RejectedByReader) output.WriteLine($"  refused by {reader}: {count}");
        Assert.True(t.Crashes == 0 && t.Hangs == 0, $"seed {seed}:\n{string.Join("\n", t.Failures)}");
        Assert.Equal(Slice, t.ReadFine + t.Rejected);
        Assert.True(t.ReadFine > 0 && t.Rejected > 0, "a slice should hold both readable and broken inputs");
        Assert.InRange(t.MaxAllocated, 0, HostileRunner.AllocationBound);
    }

    [Fact]
    public void An_input_is_the_same_for_the_same_seed_and_index()
    {
        var a = Campaign.Value.Input(7, 123);
        var b = Campaign.Value.Input(7, 123);

        Assert.Equal(a.Mutations, b.Mutations);
        Assert.Equal(a.Length, b.Length);
        Assert.Equal(a.Patches.Select(p => (p.Offset, Convert.ToHexString(p.Bytes))), b.Patches.Select(p => (p.Offset, Convert.ToHexString(p.Bytes))));
        Assert.NotEqual(a.Mutations, Campaign.Value.Input(8, 123).Mutations);
    }

    [Fact]
    public void The_unmutated_files_read_fine()
    {
        foreach (var name in QemuVectorFiles.MappedRamFiles)
        {
            var r = Campaign.Value.Run(new HostileInput(0, 0, name, QemuVectors.Bytes(name).Length, [], []));
            Assert.True(r.Verdict == HostileVerdict.ReadFine, r.ToString());
        }
    }

    [Fact]
    public void A_bitmap_claiming_every_page_loads_the_holes_as_zeros()
    {
        // pc.rom has no page saved; with all 32 bits set, the loader reads its 32 slots, which are holes of the sparse file.
        var input = new HostileInput(0, 0, QemuVectors.Multifd, QemuVectors.Bytes(QemuVectors.Multifd).Length,
            [new Patch(0x234002b, [0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0])], ["bitmap of 'pc.rom' all ones"]);

        var r = Campaign.Value.Run(input);

        Assert.True(r.Verdict == HostileVerdict.ReadFine, r.ToString());
    }

    [Fact]
    public void A_patched_file_reads_the_original_with_the_patches_over_it_and_zeros_past_it()
    {
        var file = new PatchedFile([1, 2, 3, 4, 5, 6], [new Patch(1, [9, 9]), new Patch(5, [7, 7, 7])], 10);
        var buffer = new byte[12];

        Assert.Equal(10, file.Read(buffer, 0));
        Assert.Equal(new byte[] { 1, 9, 9, 4, 5, 7, 7, 7, 0, 0, 0, 0 }, buffer);
        Assert.Equal(2, file.Read(buffer.AsSpan(0, 4), 8));
        Assert.Equal(0, file.Read(buffer, 10));
        Assert.Equal(3, new PatchedFile([1, 2, 3, 4, 5, 6], [new Patch(2, [8])], 3).Read(buffer, 0));
        Assert.Equal(8, buffer[2]);
    }
}
