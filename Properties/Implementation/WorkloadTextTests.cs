using SyncModel.Implementation.Guest;

namespace SyncModel.Properties.Implementation;

/// <summary>A report's workload line is <see cref="Workload.ToString"/>: a small workload must read in full.</summary>
public sealed class WorkloadTextTests
{
    [Fact]
    public void A_small_workload_lists_its_initial_and_live_writes()
    {
        var w = new Workload([new PageWrite(0, 3, PageFill.Data(1))], [[], [new PageWrite(0, 3, PageFill.Zeros)]]);

        Assert.Equal("initial: b0:p3=data#1; round 1: none; round 2: b0:p3=zero", w.ToString());
    }

    [Fact]
    public void A_long_list_shows_sixteen_writes_and_the_count()
    {
        var writes = Enumerable.Range(0, 20).Select(p => new PageWrite(1, p, PageFill.Zeros)).ToList();

        var text = new Workload(writes, []).ToString();

        Assert.StartsWith("initial: b1:p0=zero b1:p1=zero", text);
        Assert.EndsWith("b1:p15=zero ... (20 writes)", text);
    }
}
