using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Properties.Support;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Implementation;

/// <summary>RoundTrip and NoStalePage on real threads and real files, for every correct policy.</summary>
public sealed class RoundTripTests
{
    private static MigrationConfig Config(int channels, FlushSetting f, int rounds) => new MigrationConfig
    {
        Channels = channels,
        Blocks = [new("pc.ram", 3L << 20), new("vga.vram", 256 << 10), new("/rom@etc/acpi/tables", 4096)],
        LiveRounds = rounds,
        FlushAfterEachSection = f,
        PagesPerIteration = 200,
    }.Validate();

    public static TheoryData<string, string, int> PolicyChannelMatrix()
    {
        var data = new TheoryData<string, string, int>();
        foreach (var (p, f) in Runs.CorrectFilePolicies())
        {
            foreach (var ch in new[] { 1, 2, 3, 8 }) data.Add(p.Name, f.ToString(), ch);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(PolicyChannelMatrix))]
    public void Live_save_then_load_restores_the_guest(string policyName, string flush, int channels)
    {
        var config = Config(channels, FlushSetting.Parse(flush), rounds: 3);
        var workload = Workload.Synthetic(config, rounds: 3, dirtyPercent: 25, zeroPercent: 20, seed: channels * 7919 + policyName.Length);
        var o = Runs.SaveThenLoad(config, SyncPolicies.Parse(policyName), workload);
        Assert.Null(o.Violation);
        Assert.Null(o.Stale);
        Assert.Null(o.Difference);
    }

    [Fact]
    public void Pages_that_become_zero_in_a_later_round_are_restored_as_zero()
    {
        var config = Config(2, FlushSetting.Off, rounds: 2);
        var data = Enumerable.Range(0, 64).Select(p => new PageWrite(0, p, PageFill.Data((uint)p))).ToList();
        var zeroed = Enumerable.Range(0, 64).Where(p => p % 3 == 0).Select(p => new PageWrite(0, p, PageFill.Zeros)).ToList();
        var revived = Enumerable.Range(0, 64).Where(p => p % 9 == 0).Select(p => new PageWrite(0, p, PageFill.Data(99))).ToList();
        var o = Runs.SaveThenLoad(config, Qemu100MappedRam.Instance, new Workload(data, [zeroed, revived]));
        Assert.Null(o.Stale);
        Assert.Null(o.Difference);
        Assert.True(o.Loaded!.Blocks[0].IsZeroPage(3));
        Assert.False(o.Loaded.Blocks[0].IsZeroPage(9));
    }

    [Fact]
    public void A_save_on_disk_is_sparse_aligned_and_loads_back()
    {
        var path = Path.Combine(Path.GetTempPath(), $"syncmodel-{Guid.NewGuid():N}.mig");
        try
        {
            var config = Config(4, FlushSetting.Off, rounds: 1);
            var workload = Workload.Synthetic(config, rounds: 1, dirtyPercent: 10, zeroPercent: 50, seed: 5);
            var o = Runs.SaveThenLoad(config, Qemu90MappedRam.Instance, workload, DiskMigrationFile.Create(path));
            Assert.Null(o.Difference);
            Assert.All(o.Save.Placements, p => Assert.Equal(0, p.PagesOffset % (1 << 20)));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
