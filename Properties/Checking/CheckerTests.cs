using SyncModel.Protocol.Checking;
using SyncModel.Protocol.Events;

namespace SyncModel.Properties.Checking;

/// <summary>
/// The stream checkers on hand-written streams: each fires on the stream that breaks its property and stays quiet on the
/// one that keeps it. End-to-end runs that break them are in Implementation/LifetimeTests and Coyote/UnexpectedFailureTests.
/// </summary>
public sealed class CheckerTests
{
    private static readonly Actor Main = Actor.Migration;
    private static readonly Actor Dest = Actor.Destination;
    private static readonly Actor Send0 = Actor.Sender(0);
    private static readonly Actor Recv1 = Actor.Receiver(1);

    private static TraceEvent E(EventKind kind, Actor actor, int channel = -1, string? error = null) => new(kind, actor, channel, Error: error);

    private static ThreadFailure Failure(Actor actor, FailureKind kind, string type = "System.IO.IOException", PropertyId? property = null)
        => new(actor, kind, type, "boom", "   at Somewhere.Method()", property);

    private static Violation? Run(IEnumerable<TraceEvent> events, bool failed = false, IEnumerable<ThreadFailure>? failures = null)
    {
        var monitor = TraceMonitor.WithAllCheckers();
        foreach (var e in events) monitor.On(e);
        foreach (var f in failures ?? []) monitor.Failed(f);
        return monitor.Finish(failed);
    }

    private static IEnumerable<TraceEvent> SendLife(bool join = true, bool free = true)
    {
        yield return E(EventKind.ThreadStart, Send0, 0);
        yield return E(EventKind.Exit, Send0, 0);
        yield return E(EventKind.Terminate, Main);
        if (join) yield return E(EventKind.ThreadJoin, Main, 0);
        if (free) yield return E(EventKind.Free, Main, 0);
    }

    [Fact]
    public void A_thread_started_ended_joined_and_freed_in_that_order_keeps_every_property()
        => Assert.Null(Run(SendLife()));

    [Fact]
    public void ThreadLifetime_fires_when_a_channel_is_freed_before_its_thread_is_joined()
    {
        var v = Run(SendLife(join: false));

        Assert.Equal(PropertyId.ThreadLifetime, v?.Property);
        Assert.Contains("ended but not joined", v!.Message);
    }

    [Fact]
    public void ThreadLifetime_fires_when_a_channel_is_freed_under_a_running_thread()
    {
        var v = Run([E(EventKind.ThreadStart, Send0, 0), E(EventKind.Terminate, Main), E(EventKind.Free, Main, 0)]);

        Assert.Equal(PropertyId.ThreadLifetime, v?.Property);
        Assert.Contains("still running", v!.Message);
    }

    [Fact]
    public void ThreadLifetime_fires_at_the_end_for_a_thread_left_running_or_unjoined()
    {
        var running = Run([E(EventKind.ThreadStart, Recv1, 1)]);
        var unjoined = Run(SendLife(join: false, free: false));

        Assert.Equal(PropertyId.ThreadLifetime, running?.Property);
        Assert.Contains("recv1 still running or blocked", running!.Message);
        Assert.Equal(PropertyId.ThreadLifetime, unjoined?.Property);
        Assert.Contains("send0 ended but never joined", unjoined!.Message);
    }

    [Fact]
    public void ThreadLifetime_ignores_streams_without_thread_starts()
        => Assert.Null(Run([E(EventKind.Exit, Send0, 0), E(EventKind.Terminate, Main)]));

    [Fact]
    public void NoUseAfterFree_fires_when_a_thread_acts_after_its_channel_was_freed()
    {
        TraceEvent[] recv = [E(EventKind.ThreadStart, Recv1, 1), E(EventKind.Exit, Recv1, 1), E(EventKind.ThreadJoin, Dest, 1), E(EventKind.Free, Dest, 1)];

        var v = Run([.. recv, E(EventKind.ReadEnd, Recv1, 1)]);

        Assert.Equal(PropertyId.NoUseAfterFree, v?.Property);
        Assert.Contains("recv1 runs ReadEnd after its channel's state was freed", v!.Message);
        Assert.Null(Run(recv));
    }

    [Fact]
    public void SemaphoreAccounting_fires_at_the_shutdown_of_a_load_that_left_a_SYNC_uncollected_unless_the_load_failed()
    {
        // §5.7: recv1 reached a SYNC packet and posted the shared sem_sync; no recv sync collected it before the shutdown.
        TraceEvent[] parked = [E(EventKind.ThreadStart, Recv1, 1), E(EventKind.SyncPost, Recv1, 1)];

        var v = Run([.. parked, E(EventKind.Shutdown, Dest)]);
        var collected = Run([.. parked, E(EventKind.RecvSyncBegin, Dest), E(EventKind.RecvSyncEnd, Dest), E(EventKind.Shutdown, Dest)]);
        var failed = Run([.. parked, E(EventKind.Exit, Dest, error: "the main stream broke"), E(EventKind.Shutdown, Dest)]);

        Assert.Equal(PropertyId.SemaphoreAccounting, v?.Property);
        Assert.Contains("recv1 is parked at a SYNC", v!.Message);
        Assert.True(collected?.Property != PropertyId.SemaphoreAccounting, collected?.Message);
        // A failed load's termination releases its channels and nothing of it is used.
        Assert.True(failed?.Property != PropertyId.SemaphoreAccounting, failed?.Message);
    }

    [Fact]
    public void NoUnexpectedFailure_fires_on_a_crash_even_when_a_fault_was_injected()
    {
        var v = Run([], failed: true, [Failure(Send0, FailureKind.Injected), Failure(Recv1, FailureKind.Crash, "System.NullReferenceException")]);

        Assert.Equal(PropertyId.NoUnexpectedFailure, v?.Property);
        Assert.Contains("recv1 crashed with System.NullReferenceException", v!.Message);
        Assert.Equal("   at Somewhere.Method()", v.Failure?.StackTrace);
    }

    [Fact]
    public void NoUnexpectedFailure_fires_on_a_transport_error_nobody_injected()
    {
        var v = Run([], failed: true, [Failure(Dest, FailureKind.Transport)]);

        Assert.Equal(PropertyId.NoUnexpectedFailure, v?.Property);
        Assert.Contains("although no fault was injected", v!.Message);
    }

    [Fact]
    public void NoUnexpectedFailure_accepts_the_injected_fault_and_the_transport_errors_it_causes()
        => Assert.Null(Run([], failed: true, [Failure(Send0, FailureKind.Injected), Failure(Dest, FailureKind.Transport)]));

    [Fact]
    public void NoUnexpectedFailure_fires_at_the_end_when_a_run_failed_without_any_announced_failure()
    {
        var v = Run([], failed: true);

        Assert.Equal(PropertyId.NoUnexpectedFailure, v?.Property);
        Assert.Null(Run([], failed: false));
    }

    [Fact]
    public void A_protocol_assertion_is_a_violation_of_the_property_it_guards()
    {
        var v = Run([], failed: true, [Failure(Send0, FailureKind.Assertion, "SyncModel.Implementation.ProtocolViolationException", PropertyId.SemaphoreAccounting)]);

        Assert.Equal(PropertyId.SemaphoreAccounting, v?.Property);
    }

    [Fact]
    public void ErrorSurfaces_fires_when_a_channel_failed_and_the_migration_reports_success()
    {
        var failedChannel = new[] { E(EventKind.Exit, Recv1, 1, error: "injected read error") };

        var v = Run(failedChannel, failed: false);

        Assert.Equal(PropertyId.ErrorSurfaces, v?.Property);
        Assert.Contains("recv1 failed", v!.Message);
        Assert.Null(Run(failedChannel, failed: true, [Failure(Recv1, FailureKind.Injected)]));
    }

    [Fact]
    public void SendDrainBeforeBitmap_fires_on_a_bitmap_written_with_a_batch_in_flight_unless_the_save_already_failed()
    {
        TraceEvent[] inFlight = [new(EventKind.Dispatch, Main, 0, 7, 0, 0, 1), new(EventKind.WriteBegin, Send0, 0, 7, 0, 0, 1), E(EventKind.FileBitmapWrite, Main)];
        TraceEvent[] afterFailure = [inFlight[0], inFlight[1], E(EventKind.Exit, Send0, 0, error: "injected write error"), inFlight[2]];

        Assert.Equal(PropertyId.SendDrainBeforeBitmap, Run(inFlight)?.Property);
        Assert.Null(Run(afterFailure, failed: true, [Failure(Send0, FailureKind.Injected)]));
    }
}
