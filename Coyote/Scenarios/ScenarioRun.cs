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
using SyncModel.Protocol.Reports;

namespace SyncModel.Coyote.Scenarios;

/// <summary>
/// One iteration of a scenario on the production code: the stream checkers watch the live event stream and fail the
/// iteration with the property's name the moment one fires; every thread's failure is judged as it happens
/// (NoUnexpectedFailure: only the injected fault, and what it causes, may end a run); the end-of-run checks
/// (ErrorSurfaces, ThreadLifetime, ...) run for every scenario kind; NoStalePage and RoundTrip are checked on the file
/// and the restored RAM; Coyote's deadlock detection covers NoDeadlock.
/// </summary>
public static class ScenarioRun
{
    private const int SaveFaultHorizon = 12;
    private const int LoadFaultHorizon = 8;
    private const int MainFaultHorizon = 8;

    /// <summary>One of the send channels' creations may fail, or none (<see cref="ErrorSides.Connect"/>).</summary>
    private static CoyoteFaultPlan? ConnectFaults(Scenario s) => s.Errors.HasFlag(ErrorSides.Connect) ? new CoyoteFaultPlan(s.Config.Channels) : null;

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

    /// <summary>
    /// Runs one iteration; <paramref name="saved"/> is required for load-only scenarios. <paramref name="record"/>, if
    /// given, receives the iteration's monitor (one per engine, so engines in one process do not share it).
    /// </summary>
    public static void Iteration(Scenario s, SavedFile? saved, IterationRecord? record = null, Action<Violation>? onViolation = null)
    {
        s.Validate();
        var monitor = new TraceMonitor(TraceMonitor.AllCheckers()) { OnViolation = onViolation ?? Fail, StopAtViolation = true };
        record?.Begin(monitor);
        var failed = false;
        if (s.Policy.Transport == Transport.Socket)
        {
            failed = Stage(monitor, Actor.Migration, () => SocketSaveThenLoad(s, monitor));
        }
        else
        {
            SavedFile? source = saved;
            if (s.Kind != ScenarioKind.Load) failed = Stage(monitor, Actor.Migration, () => source = Save(s, monitor));
            if (!failed && s.Kind != ScenarioKind.Save)
                failed = Stage(monitor, Actor.Destination, () => Load(s, source ?? throw new ArgumentException("a load scenario needs a saved file"), monitor));
        }
        monitor.Finish(failed);
    }

    private static void Fail(Violation v) => Specification.Assert(false, v.ToString());

    /// <summary>
    /// Runs one side of the migration; returns whether it failed. The failing threads announce their failures where they
    /// happen; the causes a <see cref="MigrationFailedException"/> carries are announced again here, as the calling side's
    /// (the monitor ignores a failure it has seen), so that one a path wrapped without announcing it is still judged by
    /// NoUnexpectedFailure with its stack, also after an injected fault was announced. Any other exception escaping the
    /// production code is announced here the same way.
    /// </summary>
    internal static bool Stage(TraceMonitor monitor, Actor side, Action run)
    {
        try
        {
            run();
            return false;
        }
        catch (MigrationFailedException e)
        {
            foreach (var cause in Failures.Causes(e)) monitor.Failed(Failures.Describe(side, cause));
            return true;
        }
        catch (Exception e)
        {
            monitor.Failed(new ThreadFailure(side, FailureKind.Crash, e.GetType().FullName ?? e.GetType().Name, e.Message, e.StackTrace ?? ""));
            return true;
        }
    }

    /// <summary>Socket multifd: source and destination run together over in-process connections (their buffers one packet, or
    /// <see cref="Scenario.SocketBufferBytes"/>).</summary>
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
            BufferBytes = s.SocketBufferBytes,
            SourceFaults = s.Errors.HasFlag(ErrorSides.Source) ? new CoyoteFaultPlan(SaveFaultHorizon) : null,
            DestinationFaults = s.Errors.HasFlag(ErrorSides.Destination) ? new CoyoteFaultPlan(LoadFaultHorizon) : null,
            MainFaults = s.Errors.HasFlag(ErrorSides.Main) ? new CoyoteFaultPlan(MainFaultHorizon) : null,
        };
        var result = SocketMigration.Run(save, load, socket);
        if (source.FirstDifference(result.Load.Ram) is { } diff)
            monitor.ReportAtEnd(PropertyId.RoundTrip, $"the restored RAM differs from the source at {diff}", DifferenceCells(source, diff));
    }

    private static SavedFile Save(Scenario s, TraceMonitor monitor)
    {
        var file = new MemoryMigrationFile();
        var ram = GuestRam.For(s.Config);
        var options = new SaveOptions(s.Config, s.Policy, ram, s.Workload)
        {
            Observer = monitor,
            ConnectFaults = ConnectFaults(s),
            ChannelFile = s.Errors.HasFlag(ErrorSides.Source) ? new FaultInjectingFile(file, new CoyoteFaultPlan(SaveFaultHorizon)) : null,
        };
        var result = Saver.Save(file, options);
        if (SaveVerifier.FirstStale(file, ram, result.Placements) is { } stale)
            monitor.ReportAtEnd(PropertyId.NoStalePage, stale.Text, PageCells(stale.Block, stale.Page, "memory", "file", "bit"));
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
        var loaded = Loader.Load(saved.File, options);
        if (saved.Source.FirstDifference(loaded.Ram) is { } diff)
            monitor.ReportAtEnd(PropertyId.RoundTrip, $"the restored RAM differs from the source at {diff}", DifferenceCells(saved.Source, diff));
    }

    private static string[] PageCells(int block, long page, params string[] what) => [.. what.Select(w => TraceState.PageCell(block, page, w))];

    private static string[] DifferenceCells(GuestRam source, PageDifference diff)
        => source.Blocks.FirstOrDefault(b => b.Name == diff.Block) is { } b ? PageCells(b.Index, diff.Page, "memory", "file", "dest RAM") : [];
}
