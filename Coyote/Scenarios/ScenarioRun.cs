using Microsoft.Coyote.Specifications;
using SyncModel.Implementation;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Implementation.Recv;
using SyncModel.Implementation.Save;
using SyncModel.Implementation.Socket;
using SyncModel.Protocol.Checking;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

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
    private const int MainFaultHorizon = 8;

    /// <summary>One of the send channels' creations may fail, or none (<see cref="ErrorSides.Connect"/>).</summary>
    private static CoyoteFaultPlan? ConnectFaults(Scenario s) => s.Errors.HasFlag(ErrorSides.Connect) ? new CoyoteFaultPlan(s.Config.Channels) : null;

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
        var monitor = new TraceMonitor(TraceMonitor.AllCheckers()) { OnViolation = onViolation ?? Fail, StopAtViolation = true };
        Current = monitor;
        if (s.Policy.Transport == Transport.Socket)
        {
            SocketSaveThenLoad(s.Validate(), monitor);
            return;
        }
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

    private static void Fail(Violation v) => Specification.Assert(false, v.ToString());

    /// <summary>A run that failed on a protocol assertion (QEMU would assert or crash there) breaks that property.</summary>
    private static void ReportAssertion(MigrationFailedException e, TraceMonitor monitor)
    {
        IEnumerable<Exception> causes = e.InnerException switch
        {
            AggregateException both => both.InnerExceptions,
            { } one => [one],
            null => [],
        };
        if (causes.OfType<ProtocolViolationException>().FirstOrDefault() is { } p)
            monitor.OnViolation?.Invoke(new Violation(p.Property, p.Message, -1));
    }

    /// <summary>
    /// Socket multifd: source and destination run together over in-process connections (their buffers as small
    /// as one packet). A migration that fails although no IO was made to fail did not carry the guest over,
    /// which breaks RoundTrip as surely as a wrong page does.
    /// </summary>
    private static void SocketSaveThenLoad(Scenario s, TraceMonitor monitor)
    {
        var source = GuestRam.For(s.Config);
        var save = new SaveOptions(s.Config, s.Policy, source, s.Workload) { Observer = monitor, ConnectFaults = ConnectFaults(s) };
        var load = new LoadOptions(s.Policy, s.Config.Channels)
        {
            FlushAfterEachSection = s.Flush.Destination,
            Mutations = s.Config.Mutations,
            Destination = GuestRam.For(s.Config),
            Observer = monitor,
        };
        var socket = new SocketOptions
        {
            SourceFaults = s.Errors.HasFlag(ErrorSides.Source) ? new CoyoteFaultPlan(SaveFaultHorizon) : null,
            DestinationFaults = s.Errors.HasFlag(ErrorSides.Destination) ? new CoyoteFaultPlan(LoadFaultHorizon) : null,
            MainFaults = s.Errors.HasFlag(ErrorSides.Main) ? new CoyoteFaultPlan(MainFaultHorizon) : null,
        };
        SocketMigrationResult result;
        try
        {
            result = SocketMigration.Run(save, load, socket);
        }
        catch (MigrationFailedException e)
        {
            ReportAssertion(e, monitor);
            monitor.Finish(failed: true);
            if (s.Errors == ErrorSides.None)
                monitor.OnViolation?.Invoke(new Violation(PropertyId.RoundTrip, $"the migration failed without an injected error, so the guest never arrived: {e.Message}", -1));
            return;
        }
        monitor.Finish(failed: false);
        if (source.FirstDifference(result.Load.Ram) is { } diff)
            monitor.OnViolation?.Invoke(new Violation(PropertyId.RoundTrip, $"the restored RAM differs from the source at {diff}", -1));
    }

    private static SavedFile? Save(Scenario s, TraceMonitor monitor)
    {
        var file = new MemoryMigrationFile();
        var ram = GuestRam.For(s.Config);
        var options = new SaveOptions(s.Config, s.Policy, ram, s.Workload)
        {
            Observer = monitor,
            ConnectFaults = ConnectFaults(s),
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
