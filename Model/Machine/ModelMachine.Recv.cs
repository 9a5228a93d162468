using SyncModel.Model.State;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Model.Machine;

/// <summary>The recv threads in file mode (docs/protocol.md §3.2, §3.4, §3.7, §4(b)).</summary>
internal sealed partial class ModelMachine
{
    private static bool RecvWoken(in ModelState s, int ch, out ulong w)
    {
        w = s.Ch(ch);
        return !IsSource(s) && RecvBits.Phase.Get(w) == (int)ChannelPhase.Idle && RecvBits.Sem.Get(w) > 0;
    }

    /// <summary>A post on a recv thread's <c>sem</c>; once the thread has left its loop nobody reads the count, so it is not kept.</summary>
    private static ulong PostRecvSem(ulong w) => RecvBits.Phase.Get(w) >= (int)ChannelPhase.Exited ? w : RecvBits.Sem.Inc(w);

    /// <summary>Woken with <c>exiting</c> clear and a job: start the positional read of the chunk.</summary>
    private bool CanReadBegin(ModelState s, int ch) =>
        RecvWoken(s, ch, out var w) && !MainBits.Exiting.On(s.Main) && RecvBits.PendingJob.On(w) && FirstOfEqual(s, ch);

    private static ModelState ReadBegin(ModelState s, int ch, EventSink? sink)
    {
        var w = RecvBits.Sem.Dec(s.Ch(ch));
        Emit(sink, EventKind.ReadBegin, Actor.Receiver(ch), ch);
        return s.WithCh(ch, RecvBits.Phase.Set(w, (int)ChannelPhase.Busy));
    }

    /// <summary>The read completed: the chunk's pages are in guest RAM; <c>pending_job</c> is released.</summary>
    private static bool CanReadEnd(ModelState s, int ch) => !IsSource(s) && RecvBits.Phase.Get(s.Ch(ch)) == (int)ChannelPhase.Busy;

    private static ModelState ReadEnd(ModelState s, int ch, EventSink? sink)
    {
        var w = RecvBits.PendingJob.Set(s.Ch(ch), false);
        Emit(sink, EventKind.ReadEnd, Actor.Receiver(ch), ch);
        return s.WithCh(ch, RecvBits.Phase.Set(w, (int)ChannelPhase.Idle));
    }

    /// <summary>The read fails (§3.2 error path): <c>multifd_recv_terminate_threads</c> sets <c>exiting</c> and posts every
    /// channel's <c>sem</c>, never the shared <c>sem_sync</c> (§3.7); the chunk stays unread. In v4 every exit posts
    /// the channel's own <c>sem_sync</c>. With the recv-side fix (<see cref="RecvWakesSync"/>) a termination that is the
    /// first (<c>exiting</c> was clear) also posts the shared <c>sem_sync</c> once per channel.</summary>
    private bool CanReadFail(ModelState s, int ch) =>
        CanReadEnd(s, ch) && Injects(s, ErrorSides.Destination);

    private ModelState ReadFail(ModelState s, int ch, EventSink? sink)
    {
        var m = MainBits.ErrorUsed.Set(s.Main, true);
        if (RecvWakesSync && !MainBits.Exiting.On(m))
        {
            for (var i = 0; i < N; i++) m = MainBits.Tokens.Inc(m);
        }
        s = s with { Main = MainBits.Exiting.Set(m, true) };
        for (var i = 0; i < N; i++) s = s.WithCh(i, PostRecvSem(s.Ch(i)));
        var w = RecvBits.Phase.Set(RecvBits.Sem.Set(s.Ch(ch), 0), (int)ChannelPhase.Failed);
        if (RecvSync == RecvSyncKind.OneShot) w = RecvBits.OwnSemSync.Inc(w);
        Emit(sink, EventKind.Exit, Actor.Receiver(ch), ch, error: "read failed");
        return s.WithCh(ch, w);
    }

    /// <summary>Woken without a job: a sync kick. Re-entrant (9.0): post the shared <c>sem_sync</c> and keep running.
    /// One-shot (v4): leave the loop, posting the channel's own <c>sem_sync</c> on the way out.</summary>
    private bool CanSyncPost(ModelState s, int ch) =>
        RecvWoken(s, ch, out var w) && !MainBits.Exiting.On(s.Main) && !RecvBits.PendingJob.On(w) && FirstOfEqual(s, ch);

    private ModelState SyncPost(ModelState s, int ch, EventSink? sink)
    {
        var w = RecvBits.Sem.Dec(s.Ch(ch));
        Emit(sink, EventKind.SyncPost, Actor.Receiver(ch), ch);
        if (RecvSync == RecvSyncKind.OneShot)
        {
            w = RecvBits.OwnSemSync.Inc(RecvBits.Phase.Set(w, (int)ChannelPhase.Exited));
            Emit(sink, EventKind.Exit, Actor.Receiver(ch), ch);
            return s.WithCh(ch, RecvBits.Sem.Set(w, 0));
        }
        s = s with { Main = MainBits.Tokens.Inc(s.Main) };
        if (Has(s.Ext, Mutation.RecvExitAfterSync))
        {
            Emit(sink, EventKind.Exit, Actor.Receiver(ch), ch);
            return s.WithCh(ch, RecvBits.Phase.Set(RecvBits.Sem.Set(w, 0), (int)ChannelPhase.Exited));
        }
        return s.WithCh(ch, w);
    }

    /// <summary>Woken with <c>exiting</c> set: leave at once, without the queued read if there is one (§4(b) step 2).</summary>
    private bool CanRecvExit(ModelState s, int ch) => RecvWoken(s, ch, out _) && MainBits.Exiting.On(s.Main) && FirstOfEqual(s, ch);

    private ModelState RecvExit(ModelState s, int ch, EventSink? sink)
    {
        var w = RecvBits.Phase.Set(RecvBits.Sem.Set(s.Ch(ch), 0), (int)ChannelPhase.Exited);
        if (RecvSync == RecvSyncKind.OneShot) w = RecvBits.OwnSemSync.Inc(w);
        Emit(sink, EventKind.Exit, Actor.Receiver(ch), ch);
        return s.WithCh(ch, w);
    }
}
