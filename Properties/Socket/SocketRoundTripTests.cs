using SyncModel.Implementation.Guest;
using SyncModel.Protocol.Config;

namespace SyncModel.Properties.Socket;

/// <summary>qemu-8.2-socket carries a live guest over sockets, byte for byte, with F matching on both sides (docs/protocol.md §4(a)).</summary>
public sealed class SocketRoundTripTests
{
    public static TheoryData<string, int> FlushChannelMatrix()
    {
        var data = new TheoryData<string, int>();
        foreach (var f in new[] { "off", "on" })
        {
            foreach (var ch in new[] { 1, 2, 3, 4 }) data.Add(f, ch);
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(FlushChannelMatrix))]
    public void Live_socket_migration_restores_the_guest(string flush, int channels)
    {
        var config = SocketRuns.Config(channels, FlushSetting.Parse(flush), rounds: 3);
        var workload = Workload.Synthetic(config, rounds: 3, dirtyPercent: 25, zeroPercent: 20, seed: channels * 31 + flush.Length);
        var o = SocketRuns.SaveThenLoad(config, workload);
        Assert.Null(o.Violation);
        Assert.Null(o.Difference);
        Assert.Equal(0, o.Result.UncollectedSyncs);
        Assert.Equal(0, o.Result.Load.ParkedAtShutdown);
        Assert.True(o.Result.Save.Syncs >= 2 + (flush == "on" ? 3 : 0), $"{o.Result.Save.Syncs} syncs");
        Assert.Equal(o.Result.Save.Packets, o.Result.Load.Packets);
        Assert.Empty(o.Result.Save.Placements);
    }
}
