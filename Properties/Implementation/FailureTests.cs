using SyncModel.Implementation;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Implementation.Recv;
using SyncModel.Implementation.Save;
using SyncModel.Protocol.Checking;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Implementation;

/// <summary>Injected IO errors and injected bugs on real threads.</summary>
public sealed class FailureTests
{
    private static readonly MigrationConfig Small = new MigrationConfig
    {
        Channels = 1,
        Blocks = [new("pc.ram", 2L << 20), new("vga.vram", 128 << 10)],
        PagesPerBatch = 16,
        LoadChunkBytes = 64 << 10,
    }.Validate();

    private static Workload Data(MigrationConfig c) => Workload.Synthetic(c, rounds: 0, dirtyPercent: 0, zeroPercent: 10, seed: 3);

    [Theory]
    [InlineData(1)]
    [InlineData(5)]
    public void A_channel_write_error_fails_the_save_with_that_error(int failingWrite)
    {
        using var file = new MemoryMigrationFile();
        var monitor = TraceMonitor.WithAllCheckers();
        var options = new SaveOptions(Small, Qemu100MappedRam.Instance, GuestRam.For(Small), Data(Small))
        {
            Observer = monitor,
            ChannelFile = new FaultInjectingFile(file, new NthCallFault(FileOperation.Write, failingWrite)),
        };
        var e = Assert.Throws<MigrationFailedException>(() => Saver.Save(file, options));
        Assert.IsType<InjectedFaultException>(e.InnerException);
        Assert.Contains("injected write error", e.Message);
        Assert.Null(monitor.Finish(failed: true));
        Assert.Contains(monitor.Events, ev => ev.Kind == EventKind.Exit && ev.Error is not null);
        Assert.Contains(monitor.Events, ev => ev.Kind == EventKind.Terminate);
    }

    [Fact]
    public void A_channel_read_error_fails_a_one_shot_load_with_that_error()
    {
        using var file = new MemoryMigrationFile();
        var config = Small with { Channels = 4 };
        Saver.Save(file, new SaveOptions(config, FixedRamV4.Instance, GuestRam.For(config), Data(config)));
        var monitor = TraceMonitor.WithAllCheckers();
        var options = new LoadOptions(FixedRamV4.Instance, 4)
        {
            Observer = monitor,
            ChunkBytes = config.LoadChunkBytes,
            ChannelFile = new FaultInjectingFile(file, new NthCallFault(FileOperation.Read, 3)),
        };
        var e = Assert.Throws<MigrationFailedException>(() => Loader.Load(file, options));
        Assert.True(e.Message.Contains("injected read error"), e.ToString());
        Assert.Equal(4, monitor.Events.Count(ev => ev.Kind == EventKind.Exit && ev.Actor.Kind == ActorKind.Receiver));
        Assert.Contains(monitor.Events, ev => ev.Kind == EventKind.Exit && ev.Actor == Actor.Destination && ev.Error!.Contains("injected read error"));
        Assert.Contains(monitor.Events, ev => ev.Kind == EventKind.Join);
    }

    [Fact]
    public void A_channel_read_error_hangs_the_90_destination_in_its_recv_sync()
    {
        // docs/protocol.md §3.7 / §5.11: terminate_threads never posts the shared sem_sync, and the MEM_SIZE sync
        // runs even after parse_ramblocks failed, so the main thread waits for posts that never come.
        using var file = new MemoryMigrationFile();
        var config = Small with { Channels = 2 };
        Saver.Save(file, new SaveOptions(config, Qemu90MappedRam.Instance, GuestRam.For(config), Data(config)));
        var monitor = TraceMonitor.WithAllCheckers();
        var options = new LoadOptions(Qemu90MappedRam.Instance, 2)
        {
            Observer = monitor,
            ChunkBytes = config.LoadChunkBytes,
            ChannelFile = new FaultInjectingFile(file, new NthCallFault(FileOperation.Read, 2)),
        };
        var loader = new Thread(() =>
        {
            try { Loader.Load(file, options); }
            catch (MigrationFailedException) { }
        }) { IsBackground = true };
        loader.Start();
        Assert.False(loader.Join(TimeSpan.FromSeconds(3)), "the 9.0 destination should hang in multifd_recv_sync_main");
        var events = monitor.Events;
        Assert.Equal(EventKind.RecvSyncBegin, events.Last(e => e.Actor == Actor.Destination).Kind);
        Assert.Contains(events, e => e.Kind == EventKind.Exit && e.Error is not null);
    }

    [Fact]
    public void Zero_pages_that_keep_their_bitmap_bit_are_caught_as_stale()
    {
        // docs/protocol.md §5.6 (8fa1a21c): a page with data in one round and zero in a later one keeps bit 1.
        // Round 1 writes nothing, so iteration 1 sends page 7 with data before round 2 zeroes it.
        var config = Small with { LiveRounds = 2, Mutations = Mutation.ZeroPageBitNotCleared };
        var initial = Enumerable.Range(0, 32).Select(p => new PageWrite(0, p, PageFill.Data(1))).ToList();
        var zeroed = new List<PageWrite> { new(0, 7, PageFill.Zeros) };
        using var file = new MemoryMigrationFile();
        var ram = GuestRam.For(config);
        var saved = Saver.Save(file, new SaveOptions(config, Qemu100MappedRam.Instance, ram, new Workload(initial, [[], zeroed])));
        var stale = SaveVerifier.FirstStalePage(file, ram, saved.Placements);
        Assert.NotNull(stale);
        Assert.Contains("page 7: bitmap bit 1", stale);
    }

    [Fact]
    public void The_socket_policy_is_refused_with_a_clear_error()
    {
        using var file = new MemoryMigrationFile();
        var e = Assert.Throws<NotSupportedException>(() =>
            Saver.Save(file, new SaveOptions(Small, Qemu82Socket.Instance, GuestRam.For(Small), Workload.Empty)));
        Assert.Contains("socket", e.Message);
        Assert.Throws<NotSupportedException>(() => Loader.Load(file, new LoadOptions(Qemu82Socket.Instance, 2)));
    }
}
