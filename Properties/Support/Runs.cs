using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Implementation.Recv;
using SyncModel.Implementation.Save;
using SyncModel.Protocol.Checking;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Support;

/// <summary>Save-then-load on real threads with every stream checker watching.</summary>
public static class Runs
{
    /// <summary>The file-mode policies with a correct protocol under F (docs/protocol.md §4 summary).</summary>
    public static IEnumerable<(SyncPolicy Policy, FlushSetting F)> CorrectFilePolicies()
    {
        yield return (FixedRamV4.Instance, FlushSetting.Off);
        yield return (PeterXuReentrant.Instance, FlushSetting.Off);
        yield return (PeterXuReentrant.Instance, FlushSetting.On);
        yield return (Qemu90MappedRam.Instance, FlushSetting.Off);
        yield return (Qemu90MappedRam.Instance, FlushSetting.On);
        yield return (Qemu100MappedRam.Instance, FlushSetting.Off);
        yield return (Qemu100MappedRam.Instance, FlushSetting.On);
    }

    /// <summary><see cref="CorrectFilePolicies"/> as theory rows: the policy's name and F.</summary>
    public static TheoryData<string, string> CorrectFilePolicyNames()
    {
        var data = new TheoryData<string, string>();
        foreach (var (p, f) in CorrectFilePolicies()) data.Add(p.Name, f.ToString());
        return data;
    }

    /// <param name="Events">Every event of the save and the load, in the order the monitor recorded them.</param>
    public sealed record Outcome(GuestRam Source, GuestRam? Loaded, SaveResult Save, string? Stale, PageDifference? Difference, Violation? Violation,
        IReadOnlyList<TraceEvent> Events);

    public static Outcome SaveThenLoad(MigrationConfig config, SyncPolicy policy, Workload workload, IMigrationFile? file = null)
    {
        using var f = file ?? new MemoryMigrationFile();
        var source = GuestRam.For(config);
        var monitor = TraceMonitor.WithAllCheckers();
        var saved = Saver.Save(f, new SaveOptions(config, policy, source, workload) { Observer = monitor });
        var stale = SaveVerifier.FirstStalePage(f, source, saved.Placements);
        var loaded = Loader.Load(f, new LoadOptions(policy, config.Channels)
        {
            FlushAfterEachSection = config.FlushAfterEachSection.Destination,
            ChunkBytes = config.LoadChunkBytes,
            Mutations = config.Mutations,
            Observer = monitor,
        });
        var violation = monitor.Finish(failed: false);
        return new Outcome(source, loaded.Ram, saved, stale, source.FirstDifference(loaded.Ram), violation, monitor.Events);
    }
}
