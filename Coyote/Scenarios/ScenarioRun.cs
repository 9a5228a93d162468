using Microsoft.Coyote.Specifications;
using SyncModel.Implementation;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Implementation.Recv;
using SyncModel.Implementation.Save;
using SyncModel.Protocol.Checking;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;

namespace SyncModel.Coyote.Scenarios;

/// <summary>
/// One iteration of a scenario on the production code: the stream checkers watch the live event stream and
/// fail the iteration with the property's name the moment one fires; NoStalePage and RoundTrip are checked
/// on the file and the restored RAM at the end; Coyote's deadlock detection covers NoDeadlock.
/// </summary>
public static class ScenarioRun
{
    private const int SaveFaultHorizon = 12;
    private const int LoadFaultHorizon = 8;

    /// <summary>The monitor of the iteration in progress (the engine runs one iteration at a time).</summary>
    public static TraceMonitor? Current { get; private set; }

    /// <summary>A file saved once on real threads for <see cref="ScenarioKind.Load"/> scenarios, and the RAM it holds.</summary>
    public sealed record SavedFile(IMigrationFile File, GuestRam Source);

    /// <summary>Saves the scenario's guest with its policy, outside any exploration.</summary>
    public static SavedFile PreSave(Scenario s)
    {
        var file = new MemoryMigrationFile();
        var ram = GuestRam.For(s.Config);
        Saver.Save(file, new SaveOptions(s.Config with { Mutations = Mutation.None }, s.Policy, ram, s.Workload));
        return new SavedFile(file, ram);
    }

    /// <summary>Runs one iteration; <paramref name="saved"/> is required for load-only scenarios.</summary>
    public static void Iteration(Scenario s, SavedFile? saved, Action<Violation>? onViolation = null)
    {
        var monitor = new TraceMonitor(AllCheckers()) { OnViolation = onViolation ?? Fail, StopAtViolation = true };
        Current = monitor;
        switch (s.Kind)
        {
            case ScenarioKind.Save:
                Save(s, monitor);
                break;
            case ScenarioKind.Load:
                Load(s, saved ?? throw new ArgumentException("a load scenario needs a saved file"), monitor);
                break;
            default:
                var source = Save(s, monitor);
                if (source is not null) Load(s, source, monitor);
                break;
        }
    }

    private static StreamChecker[] AllCheckers() =>
    [
        new DrainBeforeCleanupChecker(), new SendDrainBeforeBitmapChecker(), new SemaphoreAccountingChecker(),
        new NoUseAfterFreeChecker(), new ErrorSurfacesChecker(),
    ];

    private static void Fail(Violation v) => Specification.Assert(false, v.ToString());

    /// <summary>A run that failed on a protocol assertion (QEMU would assert or crash there) breaks that property.</summary>
    private static void ReportAssertion(MigrationFailedException e, TraceMonitor monitor)
    {
        if (e.InnerException is ProtocolViolationException p)
            monitor.OnViolation?.Invoke(new Violation(p.Property, p.Message, -1));
    }

    private static SavedFile? Save(Scenario s, TraceMonitor monitor)
    {
        var file = new MemoryMigrationFile();
        var ram = GuestRam.For(s.Config);
        var options = new SaveOptions(s.Config, s.Policy, ram, s.Workload)
        {
            Observer = monitor,
            ChannelFile = s.Errors.HasFlag(ErrorSides.Source) ? new FaultInjectingFile(file, new CoyoteFaultPlan(SaveFaultHorizon)) : null,
        };
        SaveResult result;
        try
        {
            result = Saver.Save(file, options);
        }
        catch (MigrationFailedException e)
        {
            ReportAssertion(e, monitor);
            monitor.Finish(failed: true);
            return null;
        }
        if (SaveVerifier.FirstStalePage(file, ram, result.Placements) is { } stale)
            monitor.OnViolation?.Invoke(new Violation(PropertyId.NoStalePage, stale, -1));
        return new SavedFile(file, ram);
    }

    private static void Load(Scenario s, SavedFile saved, TraceMonitor monitor)
    {
        var options = new LoadOptions(s.Policy, s.Config.Channels)
        {
            FlushAfterEachSection = s.Flush.Destination,
            ChunkBytes = s.Config.LoadChunkBytes,
            Mutations = s.Config.Mutations,
            Destination = GuestRam.For(s.Config),
            Observer = monitor,
            ChannelFile = s.Errors.HasFlag(ErrorSides.Destination) ? new FaultInjectingFile(saved.File, new CoyoteFaultPlan(LoadFaultHorizon)) : null,
        };
        LoadResult loaded;
        try
        {
            loaded = Loader.Load(saved.File, options);
        }
        catch (MigrationFailedException e)
        {
            ReportAssertion(e, monitor);
            monitor.Finish(failed: true);
            return;
        }
        monitor.Finish(failed: false);
        if (saved.Source.FirstDifference(loaded.Ram) is { } diff)
            monitor.OnViolation?.Invoke(new Violation(PropertyId.RoundTrip, $"the restored RAM differs from the source at {diff}", -1));
    }
}
