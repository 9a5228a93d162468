using SyncModel.Model.State;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Model.Machine;

/// <summary>
/// The file channels' creation in <c>multifd_send_setup</c> (docs/protocol.md §2.9, the creation table), a step of its own
/// only when a creation may fail (<c>--errors connect</c>; otherwise the run starts with every channel running). File
/// channels are created synchronously, in channel order, on the migration thread, so the whole creation is one step of
/// that thread: nothing else runs before it but the channel threads it starts, which wait on their <c>sem</c> until the
/// migration thread posts it. Its argument is the first channel whose creation fails, or N for none. The conformance
/// validator maps it to the Implementation's <c>CreateFail</c> of that channel, or to setup's bitmap sync when all succeed.
/// <para>Socket channels are created asynchronously (<see cref="Connect"/>): one creation per channel, each a step of its own
/// thread, concurrent with everything else.</para>
/// </summary>
internal sealed partial class ModelMachine
{
    private bool CreatesChannels => (Options.Errors & ErrorSides.Connect) != 0;

    private static bool CanCreate(ModelState s, int failing) => PcOf(s) == Pc.Create;

    /// <summary>
    /// Every channel created (<paramref name="failing"/> = N): setup goes on to its sender site. Channel
    /// <paramref name="failing"/>'s creation failed: it has no thread; 9.0 (<see cref="ChannelCreation.FileStopAtFailure"/>,
    /// multifd.c:1192-1194 @9.0) returns at once, so the channels after it were never initialised and have no thread
    /// either; 9.1+ (<see cref="ChannelCreation.FileAttemptEvery"/>, multifd.c:962-965, 997-1000 @10.0) creates the rest
    /// and then fails. Either way the migration fails and the cleanup's <c>multifd_send_shutdown</c> follows: no sync runs.
    /// </summary>
    private ModelState Create(ModelState s, int failing, EventSink? sink)
    {
        if (failing == N)
        {
            // Setup goes on in ram_save_setup: ram_init_bitmaps marks every page dirty (the run without channel creation
            // starts after it), then the setup site.
            Emit(sink, EventKind.BitmapSync, Main, count: P);
            s = s with { Main = MainBits.Pc.Set(s.Main, (int)Pc.Gap) };
            AtSenderSite(ref s, SenderSite.Setup, sink);
            return s;
        }
        var stopsEarly = Options.Policy.Errors.Creation == ChannelCreation.FileStopAtFailure;
        var started = 0;
        for (var i = 0; i < N; i++)
        {
            var phase = i < failing || (i > failing && !stopsEarly) ? ChannelPhase.Idle : i == failing ? ChannelPhase.Failed : ChannelPhase.Exited;
            if (phase == ChannelPhase.Idle) started++;
            s = s.WithCh(i, SendBits.Phase.Set(s.Ch(i), (int)phase));
        }
        // The creation runs on the migration thread and fails the migration.
        Emit(sink, EventKind.CreateFail, Main, failing, error: $"multifd_send_setup: creating channel {failing} failed");
        var m = MainBits.Tokens.Set(s.Main, started);
        m = MainBits.ErrorUsed.Set(m, true);
        m = MainBits.Failed.Set(m, true);
        var early = stopsEarly && failing < N - 1;
        return s with { Main = MainBits.Pc.Set(m, (int)(early ? Pc.SetupReturnedEarly : Pc.SetupFailed)) };
    }

    // ---- the socket transport: asynchronous creation (multifd_new_send_channel_async) ----
    // A socket channel goes through three states (SendBits.Creating with the phase): connecting (Creating, Idle: no thread),
    // started (Creating, Busy: its thread exists and writes its initial packet), running (its loop, like a file channel's).

    /// <summary>
    /// A socket channel's creation completes (<c>multifd_new_send_channel_async</c>, multifd.c:1086-1133 @9.0, 862-909
    /// @10.0): the connect succeeded, <c>multifd_channel_connect</c> creates the send thread, and the creation posts
    /// <c>channels_created</c>; the thread runs from here (<see cref="Open"/>). After <c>multifd_send_shutdown</c> freed the
    /// channels (<see cref="Pc.SourceFreed"/>) the same step starts a thread on freed <c>MultiFDSendParams</c>: the use after
    /// free of §5.4, which the guard leaves enabled so the property can see it. The Implementation announces nothing for the
    /// creation itself (its thread announces its start), so the step is silent but there.
    /// </summary>
    private static bool CanConnect(ModelState s, int ch) => IsConnecting(s, ch);

    private static bool IsConnecting(in ModelState s, int ch) => IsSource(s) && SendBits.Connecting(s.Ch(ch));

    private static bool IsStarting(in ModelState s, int ch) => IsSource(s) && SendBits.Starting(s.Ch(ch));

    private ModelState Connect(ModelState s, int ch, EventSink? sink)
    {
        if (PcOf(s) == Pc.SourceFreed)
        {
            Emit(sink, EventKind.ThreadStart, Actor.Sender(ch), ch);
            return AfterLateCreation(s.WithCh(ch, SendBits.Created(s.Ch(ch), ChannelPhase.Exited)));
        }
        return s.WithCh(ch, SendBits.Phase.Set(s.Ch(ch), (int)ChannelPhase.Busy));
    }

    /// <summary>
    /// A socket channel's connect fails (<c>--errors connect</c>, the run's one injected error). 9.0+ posts
    /// <c>channels_created</c> (multifd.c:1118 @9.0) and then <c>multifd_send_set_error</c> (1125): <c>exiting</c> and
    /// FAILED, and no kick; the channel never gets a thread. Without TLS both run under the BQL, which the migration
    /// thread needs before it leaves setup, so nothing sees the post without the error (docs/protocol.md §2.9): one step.
    /// </summary>
    private bool CanConnectFail(ModelState s, int ch) =>
        IsConnecting(s, ch) && Injects(s, ErrorSides.Connect);

    private ModelState ConnectFail(ModelState s, int ch, EventSink? sink)
    {
        Emit(sink, EventKind.CreateFail, Actor.Sender(ch), ch, error: $"multifd channel {ch}: connect failed");
        var w = SendBits.Created(s.Ch(ch), ChannelPhase.Failed);
        var m = MainBits.ErrorUsed.Set(s.Main, true);
        if (QuitOrderMatters)
        {
            // 8.2's multifd_new_send_channel_cleanup (multifd.c:861-876 @8.2): migrate_set_error (no exiting, no FAILED), one
            // channels_ready token, the channel's sem_sync, and quit (the channel's Failed phase): a later dispatch or sync
            // that meets the channel fails (Quit).
            m = MainBits.Tokens.Inc(m);
            w = SendBits.SemSync.Inc(w);
        }
        else
        {
            m = MainBits.Failed.Set(MainBits.Exiting.Set(m, true), true);
        }
        s = (s with { Main = m }).WithCh(ch, w);
        return PcOf(s) == Pc.SourceFreed ? AfterLateCreation(s) : s;
    }

    /// <summary>8.2: channel <paramref name="ch"/>'s connect failed, so it has <c>p->quit</c> set and no thread (its Failed phase).</summary>
    private bool Quit(in ModelState s, int ch) => QuitOrderMatters && SendBits.Phase.Get(s.Ch(ch)) == (int)ChannelPhase.Failed;

    /// <summary>8.2: the lowest channel that has quit (<see cref="Quit"/>), or -1.</summary>
    private int FirstQuit(in ModelState s)
    {
        if (!QuitOrderMatters || !IsSource(s)) return -1;
        for (var i = 0; i < N; i++)
        {
            if (Quit(s, i)) return i;
        }
        return -1;
    }

    /// <summary>
    /// A new socket send thread writes its initial packet (<c>multifd_send_initial_packet</c> before its loop, §2.3) and
    /// reaches the top of its loop, where it posts its first <c>channels_ready</c> token. Also after the shutdown's
    /// terminate: <c>multifd_send_terminate_threads</c> sets <c>exiting</c>, and shuts each channel down only after posting its
    /// <c>sem</c>, so the write may still get through before its channel is shut (or fail, <see cref="OpenFail"/>).
    /// </summary>
    private static bool CanOpen(ModelState s, int ch) => IsStarting(s, ch);

    private static ModelState Open(ModelState s, int ch, EventSink? sink)
    {
        Emit(sink, EventKind.ThreadStart, Actor.Sender(ch), ch);
        return (s with { Main = MainBits.Tokens.Inc(s.Main) }).WithCh(ch, SendBits.Created(s.Ch(ch), ChannelPhase.Idle));
    }

    /// <summary>
    /// The new thread's initial packet write fails: injected (<c>--errors source</c>), because the shutdown shut the socket
    /// down (<see cref="ShutDown"/>), or because the peer is gone after a failure (<see cref="PeerMayBeGone"/>). The thread
    /// leaves by the error path before its first <c>channels_ready</c> post: <c>multifd_send_set_error</c> and
    /// <c>multifd_send_kick_main</c> (its <c>sem_sync</c> and one token; not with <see cref="Mutation.ErrorWithoutKick"/>).
    /// With the destination in the model the injected failure is left out: a destination starts its load only once every
    /// channel's initial packet arrived (<c>migration_should_start_incoming</c>, migration.c:876-880 @9.0), and its channel
    /// setup is not in the model.
    /// </summary>
    private bool CanOpenFail(ModelState s, int ch) => IsStarting(s, ch) && ((Injects(s, ErrorSides.Source) && !SocketDestination) || PeerMayBeGone(s));

    private ModelState OpenFail(ModelState s, int ch, EventSink? sink)
    {
        Emit(sink, EventKind.ThreadStart, Actor.Sender(ch), ch);
        var error = ShutDown(s) ? "initial packet write failed: the channel was shut down" : "initial packet write failed";
        return FailSend(s.WithCh(ch, SendBits.Created(s.Ch(ch), ChannelPhase.Idle)), ch, error, sink);
    }

    /// <summary>Once the last late creation completed after the shutdown, the run is over.</summary>
    private ModelState AfterLateCreation(ModelState s)
    {
        for (var i = 0; i < N; i++)
        {
            if (SendBits.Creating.On(s.Ch(i))) return s;
        }
        return s.WithChannels([]) with { Main = MainBits.Pc.Set(s.Main, (int)Pc.Done) };
    }

    /// <summary>
    /// Setup's wait for <c>channels_created</c>, once per channel (multifd.c:1202-1204 @9.0): it returns when every creation
    /// finished, failed or not; then <c>ram_save_setup</c> goes on (<c>ram_init_bitmaps</c>, the setup site). Mutation
    /// <see cref="Mutation.NoChannelsCreatedWait"/> (QEMU before <c>93fa9dc2</c>) goes on at once, as 8.2 does
    /// (<see cref="ChannelCreation.SocketUnwaited"/>: there is no <c>channels_created</c>).
    /// </summary>
    private bool CanChannelsCreated(ModelState s, int arg)
    {
        if (PcOf(s) != Pc.Create) return false;
        if (Has(s.Ext, Mutation.NoChannelsCreatedWait) || Options.Policy.Errors.Creation == ChannelCreation.SocketUnwaited) return true;
        for (var i = 0; i < N; i++)
        {
            if (IsConnecting(s, i)) return false;
        }
        return true;
    }

    private ModelState ChannelsCreated(ModelState s, int arg, EventSink? sink)
    {
        Emit(sink, EventKind.BitmapSync, Main, count: P);
        s = s with { Main = MainBits.Pc.Set(s.Main, (int)Pc.Gap) };
        AtSenderSite(ref s, SenderSite.Setup, sink);
        return s;
    }
}
