using SyncModel.Implementation.Guest;
using SyncModel.Implementation.Recv;
using SyncModel.Implementation.Save;
using SyncModel.Implementation.Socket;
using SyncModel.Protocol.Checking;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Socket;

/// <summary>Socket save-then-load (both sides at once) on real threads with every stream checker watching.</summary>
public static class SocketRuns
{
    public static MigrationConfig Config(int channels, FlushSetting f, int rounds, Mutation mutations = Mutation.None) => new MigrationConfig
    {
        Channels = channels,
        Blocks = [new("pc.ram", 1L << 20), new("vga.vram", 128 << 10), new("/rom@etc/acpi/tables", 4096)],
        LiveRounds = rounds,
        FlushAfterEachSection = f,
        PagesPerBatch = 16,
        PagesPerIteration = 100,
        Mutations = mutations,
    }.Validate();

    public sealed record Outcome(GuestRam Source, SocketMigrationResult Result, PageDifference? Difference, Violation? Violation);

    public static (SaveOptions Save, LoadOptions Load) Options(MigrationConfig config, Workload workload, TraceMonitor monitor, SyncPolicy? policy = null)
    {
        policy ??= Qemu82Socket.Instance;
        var save = new SaveOptions(config, policy, GuestRam.For(config), workload) { Observer = monitor };
        var load = new LoadOptions(policy, config.Channels)
        {
            FlushAfterEachSection = config.FlushAfterEachSection.Destination,
            Mutations = config.Mutations,
            Observer = monitor,
        };
        return (save, load);
    }

    public static Outcome SaveThenLoad(MigrationConfig config, Workload workload, SocketOptions? socket = null)
    {
        var monitor = TraceMonitor.WithAllCheckers();
        var (save, load) = Options(config, workload, monitor);
        var result = SocketMigration.Run(save, load, socket);
        return new Outcome(save.Ram, result, save.Ram.FirstDifference(result.Load.Ram), monitor.Finish(failed: false));
    }
}
