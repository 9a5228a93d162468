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
}
