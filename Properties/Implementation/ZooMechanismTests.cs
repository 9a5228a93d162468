using SyncModel.Coyote.Scenarios;
using SyncModel.Implementation;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Implementation.Save;
using SyncModel.Implementation.Socket;
using SyncModel.Model;
using SyncModel.Properties.Socket;
using SyncModel.Protocol.Checking;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Implementation;

/// <summary>
/// The mechanisms the §5.4, §5.7 and §5.9 zoo entries stand on, on real threads and on hand-made event streams:
/// failed channel creation, a broken main stream, the recv sem_sync accounting at shutdown, the cleanup of a failed
/// load. (Finding the races themselves is the zoo's Coyote tests.)
/// </summary>
public sealed class ZooMechanismTests
{
    private static readonly MigrationConfig TwoChannels = new MigrationConfig
    {
        Channels = 2,
        Blocks = [new("pc.ram", 1L << 20), new("vga.vram", 128 << 10)],
        PagesPerBatch = 16,
        LoadChunkBytes = 64 << 10,
    }.Validate();

    private static Workload Data(MigrationConfig c) => Workload.Synthetic(c, rounds: 0, dirtyPercent: 0, zeroPercent: 10, seed: 5);

    [Theory]
    [InlineData("qemu-10.0-mapped-ram", 1)]
    [InlineData("qemu-10.0-mapped-ram", 2)]
    [InlineData("qemu-9.0-mapped-ram", 2)]
    public void A_failed_file_channel_creation_fails_the_save_with_that_error_and_every_thread_joined(string policy, int failing)
    {
        // File channels are created synchronously (docs/protocol.md §2.9, creation table): 9.1+ tries every channel and
        // fails setup after all of them; 9.0 returns at the failure, harmless when the last channel fails.
        using var file = new MemoryMigrationFile();
        var monitor = TraceMonitor.WithAllCheckers();
        var options = new SaveOptions(TwoChannels, SyncPolicies.Parse(policy), GuestRam.For(TwoChannels), Data(TwoChannels))
        {
            Observer = monitor,
            ConnectFaults = new NthCallFault(FileOperation.Connect, failing),
        };

        var e = Assert.Throws<MigrationFailedException>(() => Saver.Save(file, options));

        Assert.Contains("connect failed (injected)", e.Message, StringComparison.Ordinal);
        Assert.Null(monitor.Finish(failed: true));
        // file_send_channel_create runs on the migration thread: the failure is main's, and the channel never has a thread.
        var created = Assert.Single(monitor.Events, ev => ev.Kind == EventKind.CreateFail);
        Assert.Equal((Actor.Migration, failing - 1), (created.Actor, created.Channel)); // the n-th creation is channel n-1's
        Assert.DoesNotContain(monitor.Events, ev => ev.Actor == Actor.Sender(failing - 1));
        // 9.1+ creates every other channel all the same (each thread starts, then the cleanup ends it); 9.0 only those before.
        var started = monitor.Events.Where(ev => ev.Kind == EventKind.ThreadStart).Select(ev => ev.Actor.Index).Order().ToArray();
        var expected = Enumerable.Range(0, TwoChannels.Channels).Where(i => i != failing - 1 && (policy != "qemu-9.0-mapped-ram" || i < failing - 1));
        Assert.Equal(expected, started);
        Assert.Contains(monitor.Events, ev => ev.Kind == EventKind.Terminate);
    }

    [Fact]
    public void A_failed_first_file_channel_in_90_leaves_the_next_uninitialised_and_the_cleanup_asserts()
    {
        // 9.0's multifd_send_setup returns at channel 0's failure before initialising channel 1; the cleanup's terminate
        // then posts its semaphore: QEMU asserts (fixed by 0bd5b9284f in 9.1). Not the injected fault: NoUnexpectedFailure.
        using var file = new MemoryMigrationFile();
        var monitor = TraceMonitor.WithAllCheckers();
        var options = new SaveOptions(TwoChannels, Qemu90MappedRam.Instance, GuestRam.For(TwoChannels), Data(TwoChannels))
        {
            Observer = monitor,
            ConnectFaults = new NthCallFault(FileOperation.Connect, 1),
        };

        var e = Assert.Throws<MigrationFailedException>(() => Saver.Save(file, options));

        Assert.Contains("its cleanup failed", e.Message, StringComparison.Ordinal);
        var v = monitor.Violation;
        Assert.Equal(PropertyId.NoUnexpectedFailure, v?.Property);
        Assert.Contains("never initialised", v!.Message, StringComparison.Ordinal);
        Assert.Contains("0bd5b9284f", v.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_save_whose_creations_all_succeed_is_unchanged_by_the_connect_plan()
    {
        using var file = new MemoryMigrationFile();
        var ram = GuestRam.For(TwoChannels);
        var options = new SaveOptions(TwoChannels, Qemu90MappedRam.Instance, ram, Data(TwoChannels))
        {
            ConnectFaults = new NthCallFault(FileOperation.Connect, 3), // two channels: never reached
        };

        var result = Saver.Save(file, options);

        Assert.Null(SaveVerifier.FirstStalePage(file, ram, result.Placements));
    }

    [Fact]
    public void A_broken_main_stream_fails_the_socket_migration_without_a_violation()
    {
        var config = SocketRuns.Config(1, FlushSetting.Off, rounds: 1);
        var monitor = TraceMonitor.WithAllCheckers();
        var (save, load) = SocketRuns.Options(config, Data(config), monitor);

        var e = Assert.Throws<MigrationFailedException>(() => SocketMigration.Run(save, load, new SocketOptions { MainFaults = new NthCallFault(FileOperation.Read, 2) }));

        Assert.Contains("injected read error", e.Message, StringComparison.Ordinal);
        Assert.Null(monitor.Finish(failed: true));
        Assert.Contains(monitor.Events, ev => ev.Kind == EventKind.Exit && ev.Actor == Actor.Destination && ev.Error is not null);
    }

    private static Violation? Check(params TraceEvent[] events)
    {
        var monitor = TraceMonitor.WithAllCheckers();
        foreach (var e in events) monitor.On(e);
        return monitor.Violation;
    }

    private static readonly TraceEvent Shutdown = new(EventKind.Shutdown, Actor.Destination);

    [Fact]
    public void A_recv_channel_parked_at_a_sync_no_recv_sync_collected_breaks_semaphore_accounting_at_shutdown()
    {
        var parked = Check(new TraceEvent(EventKind.SyncPost, Actor.Receiver(1), 1), Shutdown);
        var collected = Check(new TraceEvent(EventKind.SyncPost, Actor.Receiver(1), 1), new TraceEvent(EventKind.RecvSyncBegin, Actor.Destination),
            new TraceEvent(EventKind.RecvSyncEnd, Actor.Destination), Shutdown);

        Assert.Equal(PropertyId.SemaphoreAccounting, parked?.Property);
        Assert.Contains("recv1 is parked at a SYNC that no recv sync collected", parked?.Message, StringComparison.Ordinal);
        Assert.Null(collected);
    }

    [Fact]
    public void The_cleanup_of_a_failed_load_is_not_a_drain_violation_but_of_a_successful_one_it_is()
    {
        var reading = new TraceEvent(EventKind.ReadBegin, Actor.Receiver(0), 0, 3, 0, 0, 2);
        var cleanup = new TraceEvent(EventKind.LoadCleanup, Actor.Destination);

        var failed = Check(reading, new TraceEvent(EventKind.Exit, Actor.Destination, Error: "broken stream"), cleanup);
        var succeeded = Check(reading, cleanup);

        Assert.Null(failed);
        Assert.Equal(PropertyId.DrainBeforeCleanup, succeeded?.Property);
    }

    [Fact]
    public void A_violation_the_implementation_reports_itself_is_the_monitors_first()
    {
        Violation? seen = null;
        var monitor = new TraceMonitor(new NoUseAfterFreeChecker()) { OnViolation = v => seen = v };
        monitor.On(new TraceEvent(EventKind.LoadCleanup, Actor.Destination));

        ((ITraceObserver)monitor).ReportViolation(PropertyId.NoUseAfterFree, "recv0 sets receivedmap bits after the free");
        monitor.ReportViolation(PropertyId.SemaphoreAccounting, "a second one is not kept");

        Assert.Equal(PropertyId.NoUseAfterFree, seen?.Property);
        Assert.Equal(0, seen?.EventIndex);
        Assert.Equal(seen, monitor.Violation);
    }

    [Theory]
    [InlineData("none", ErrorSides.None, "none")]
    [InlineData("dst", ErrorSides.Destination, "dst")]
    [InlineData("src,dst", ErrorSides.Both, "both")]
    [InlineData("connect", ErrorSides.Connect, "connect")]
    [InlineData("main, dst", ErrorSides.Main | ErrorSides.Destination, "dst,main")]
    [InlineData("both,connect", ErrorSides.Both | ErrorSides.Connect, "both,connect")]
    public void Errors_parse_and_print_as_comma_lists(string text, ErrorSides sides, string printed)
    {
        Assert.Equal(sides, ErrorSidesText.Parse(text));
        Assert.Equal(printed, ErrorSidesText.Format(sides));
        Assert.Equal(sides, ErrorSidesText.Parse(ErrorSidesText.Format(sides)));
    }

    [Fact]
    public void Errors_the_model_has_no_place_for_and_scenarios_that_cannot_run_them_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ErrorSidesText.Parse("src,disk"));
        // The model breaks a main stream only on a socket migration with its destination.
        var model = new ModelCheckOptions { Policy = Qemu90MappedRam.Instance, Errors = ErrorSides.Main }.Validate();
        Assert.Contains("no main connection", model.WhyNotModelled, StringComparison.Ordinal);
        Assert.True((model with { Policy = Qemu90Socket.Instance }).IsModelled);
        var main = Assert.Throws<ArgumentException>(() => Scenario.Small(Qemu90MappedRam.Instance, FlushSetting.Off, errors: ErrorSides.Main).Validate());
        Assert.Contains("only a socket migration has", main.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentException>(() => Scenario.Small(Qemu90MappedRam.Instance, FlushSetting.Off, kind: ScenarioKind.Load, errors: ErrorSides.Connect).Validate());
    }
}
