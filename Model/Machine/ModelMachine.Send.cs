using SyncModel.Model.State;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;

namespace SyncModel.Model.Machine;

/// <summary>The send threads (docs/protocol.md §2.3, §2.5, §1.5) and the guest.</summary>
internal sealed partial class ModelMachine
{
    private static bool SendWoken(in ModelState s, int ch, out ulong w)
    {
        w = s.Ch(ch);
        return IsSource(s) && SendBits.Phase.Get(w) == (int)ChannelPhase.Idle && SendBits.Sem.Get(w) > 0 && !SendBits.Creating.On(w);
    }

    /// <summary>Woken with a job (<c>pending_job</c> is checked before <c>pending_sync</c>, §2.4 ordering fact):
    /// <c>send_prepare</c> zero-detects each page of the batch against the guest's content now, sets the file-bitmap
    /// bit of a data page and clears the bit of a zero page (§1.5, §2.5), and starts the positional write. With the
    /// guest abstraction's undecided contents (<see cref="DeferContents"/>) the argument also says what a page of the
    /// batch whose content is not chosen yet holds (<see cref="WriteBeginArg"/>).</summary>
    private bool CanWriteBegin(ModelState s, int arg)
    {
        var (ch, data) = WriteBeginArg(arg);
        return SendWoken(s, ch, out var w) && !MainBits.Exiting.On(s.Main) && SendBits.Job(w) != 0 && FirstOfEqual(s, ch)
            && (!data || (SendBits.Job(w) & Pages.Get(s, PageFact.DataUnknown)) != 0);
    }

    private ModelState WriteBegin(ModelState s, int arg, EventSink? sink)
    {
        var (ch, content) = WriteBeginArg(arg);
        s = ChooseContents(s, SendBits.Job(s.Ch(ch)), content);
        var w = SendBits.Sem.Dec(s.Ch(ch));
        var job = SendBits.Job(w);
        var guestData = Pages.Get(s, PageFact.Data);
        // With a socket destination every page of the job goes into the packet, data or zero: the snapshot is its version.
        var data = SocketDestination ? job : job & guestData;
        w = SendBits.WithSnapshot(w, data);
        w = SendBits.Phase.Set(w, (int)ChannelPhase.Busy);
        // SyncCarriesPages (8.2's integer pending_job, §2.7): a sync request already pending rides on the job's packet.
        if (SocketDestination && SendBits.PendingSync.On(w) && Has(s.Ext, Mutation.SyncCarriesPages))
            w = SocketRecvBits.CarriesSync.Set(SendBits.PendingSync.Set(w, false), true);
        // The file bitmap (mapped-ram only); a socket job's pages go into its packet.
        if (!Socket && !MainBits.Freed.On(s.Main))
        {
            var bits = Pages.Get(s, PageFact.FileBit) | data;
            var known = data;
            if (!Has(s.Ext, Mutation.ZeroPageBitNotCleared))
            {
                bits &= ~(job & ~guestData);
                known = job;
            }
            s = Pages.Set(s, PageFact.FileBit, bits);
            s = Pages.Set(s, PageFact.FileUnknown, Pages.Get(s, PageFact.FileUnknown) & ~known);
        }
        Emit(sink, EventKind.WriteBegin, Actor.Sender(ch), ch, page: Lowest(job), count: System.Numerics.BitOperations.PopCount((uint)job));
        return s.WithCh(ch, w);
    }

    /// <summary>The write lands (one slot per data page, §2.5), <c>pending_job</c> is released, and at the top of its loop
    /// the thread posts <c>channels_ready</c> (§2.3).</summary>
    private bool CanWriteEnd(ModelState s, int ch) =>
        IsSource(s) && SendBits.Phase.Get(s.Ch(ch)) == (int)ChannelPhase.Busy && !SendBits.Creating.On(s.Ch(ch)) && Fits(s, ch);

    private ModelState WriteEnd(ModelState s, int ch, EventSink? sink)
    {
        var w = s.Ch(ch);
        if (SocketDestination)
        {
            // The packet is in the connection; its pages land when the recv thread reads them. One that carries a SYNC
            // answers the sync like a SYNC packet (sem_sync), and the request's own wake-up is owed (SendWake).
            Emit(sink, EventKind.WriteEnd, Actor.Sender(ch), ch, count: System.Numerics.BitOperations.PopCount((uint)SendBits.Job(w)));
            var carries = SocketRecvBits.CarriesSync.On(w);
            w = SendBits.Phase.Set(SendBits.WithoutJob(PutPages(w)), (int)ChannelPhase.Idle);
            if (carries)
            {
                Emit(sink, EventKind.SyncAck, Actor.Sender(ch), ch);
                w = SendBits.SemSync.Inc(SocketRecvBits.OwesWake.Inc(SocketRecvBits.CarriesSync.Set(w, false)));
            }
            return (s with { Main = MainBits.Tokens.Inc(s.Main) }).WithCh(ch, w);
        }
        var data = SendBits.Data(w);
        var stale = SendBits.Stale(w);
        var slots = (Pages.Get(s, PageFact.SlotCurrent) | (data & ~stale)) & ~(data & stale);
        s = Pages.Set(s, PageFact.SlotCurrent, slots);
        w = SendBits.WithoutJob(w);
        w = SendBits.Phase.Set(w, (int)ChannelPhase.Idle);
        Emit(sink, EventKind.WriteEnd, Actor.Sender(ch), ch, count: System.Numerics.BitOperations.PopCount((uint)data));
        return (s with { Main = MainBits.Tokens.Inc(s.Main) }).WithCh(ch, w);
    }

    /// <summary>The write fails (§2.3 error path; on a socket also a write the shutdown or the peer cut short,
    /// <see cref="PeerMayBeGone"/>, even one blocked on a full connection): <c>multifd_send_set_error</c> sets <c>exiting</c> and FAILED, and
    /// <c>multifd_send_kick_main</c> posts this channel's <c>sem_sync</c> and one <c>channels_ready</c> (not with the
    /// mutation ErrorWithoutKick, 5.5: QEMU before 48c0f5d56f).</summary>
    private bool CanWriteFail(ModelState s, int ch) =>
        IsSource(s) && SendBits.Phase.Get(s.Ch(ch)) == (int)ChannelPhase.Busy && !SendBits.Creating.On(s.Ch(ch))
        && (Injects(s, ErrorSides.Source) || PeerMayBeGone(s));

    /// <summary>The run's one injected error is still to come and may be of kind <paramref name="side"/> (source and destination
    /// IO, a creation, the main stream: <c>--errors</c>).</summary>
    private bool Injects(in ModelState s, ErrorSides side) => (Options.Errors & side) != 0 && !MainBits.ErrorUsed.On(s.Main);

    /// <summary>A socket after <c>multifd_send_shutdown</c>'s terminate and before its join: it shut every channel's
    /// socket down (<c>qio_channel_shutdown</c>, §2.8), so a write still in progress, or a thread's first write, may fail.</summary>
    private bool ShutDown(in ModelState s) => Socket && PcOf(s) == Pc.SourceJoin;

    /// <summary>A socket write may fail without an injected error once the shutdown shut the channels down (on 8.2 also a failing
    /// thread's own terminate), or because the peer went: with the destination in the model, once it is exiting or done;
    /// on the source alone, whose destination is any peer, after any failure (that peer then fails too and closes its side).</summary>
    private bool PeerMayBeGone(in ModelState s) => ShutDown(s) || (Socket && (SocketDestination ? DestinationGone(s) || ShutByChannel(s) : MainBits.ErrorUsed.On(s.Main)));

    /// <summary>8.2: a failing send thread's own terminate shut every channel down (<see cref="FailSend"/>); until the run is
    /// over (<see cref="Pc.Done"/> keeps no thread).</summary>
    private bool ShutByChannel(in ModelState s) => TerminatesFromChannel && MainBits.Exiting.On(s.Main) && PcOf(s) != Pc.Done;

    private ModelState WriteFail(ModelState s, int ch, EventSink? sink) =>
        FailSend(Cut(s, ch, SocketRecvBits.CutPageCode(Lowest(SendBits.Job(s.Ch(ch))))), ch, "write failed", sink);

    /// <summary>A socket write that fails may have put part of its packet into the connection (<see cref="SocketRecvBits.IsCut"/>):
    /// with the destination in the model, the cut packet goes in behind the others while the destination still reads
    /// (once it is gone nobody reads it). A connection already holding two packets, the most the model's can, takes none
    /// (TraceValidator reports a trace that needs it as not representable).</summary>
    private ModelState Cut(ModelState s, int ch, int code)
    {
        if (!SocketDestination || DestinationGone(s) || SocketRecvBits.Count(s.Ch(ch)) >= SocketRecvBits.MaxPackets) return s;
        return s.WithCh(ch, SocketRecvBits.Push(s.Ch(ch), code));
    }

    /// <summary>A send thread's error exit. 9.0+: <c>multifd_send_set_error</c> (<c>exiting</c>, the error), then
    /// <c>multifd_send_kick_main</c>. 8.2 (<see cref="TerminatesFromChannel"/>, multifd.c:750-756 @8.2):
    /// <c>multifd_send_terminate_threads(err)</c> first, which, unless <c>exiting</c> was already set (its exchange,
    /// 493-495), marks every channel <c>quit</c>, posts every channel's <c>sem</c> (an idle thread wakes and leaves on
    /// <c>exiting</c>) and shuts every channel down (a write in progress may fail: <see cref="PeerMayBeGone"/>), then the
    /// same two posts. The mutation ErrorWithoutKick drops the posts.</summary>
    private ModelState FailSend(ModelState s, int ch, string error, EventSink? sink)
    {
        var kick = !Has(s.Ext, Mutation.ErrorWithoutKick);
        if (TerminatesFromChannel && !MainBits.Exiting.On(s.Main))
        {
            for (var i = 0; i < N; i++)
            {
                if (i != ch) s = s.WithCh(i, PostSendSem(s.Ch(i)));
            }
        }
        var w = kick ? SendBits.SemSync.Inc(s.Ch(ch)) : s.Ch(ch);
        w = SendBits.Phase.Set(w, (int)ChannelPhase.Failed);
        var m = MainBits.ErrorUsed.Set(s.Main, true);
        m = MainBits.Exiting.Set(m, true);
        if (kick) m = MainBits.Tokens.Inc(m);
        Emit(sink, EventKind.Exit, Actor.Sender(ch), ch, error: error);
        return (s with { Main = m }).WithCh(ch, w);
    }

    /// <summary>Woken on a sync request, a socket channel's SYNC packet write fails (<c>--errors source</c>; also once the peer
    /// may be gone, <see cref="PeerMayBeGone"/>, even with the connection full, as a page write does): the same error exit as
    /// a failing page write, from an idle thread (<c>pending_sync</c> stays set; nobody reads it again).</summary>
    private bool CanSyncFail(ModelState s, int ch) =>
        SendWoken(s, ch, out var w) && !MainBits.Exiting.On(s.Main) && SendBits.Job(w) == 0 && !OwedWakeFirst(w) && FirstOfEqual(s, ch)
        && (Injects(s, ErrorSides.Source) || PeerMayBeGone(s));

    private ModelState SyncFail(ModelState s, int ch, EventSink? sink) =>
        FailSend(Cut(s.WithCh(ch, SendBits.Sem.Dec(s.Ch(ch))), ch, SocketRecvBits.CutSync), ch, "SYNC packet write failed", sink);

    /// <summary>Woken without a job: a sync request. Clear <c>pending_sync</c>, post <c>sem_sync</c>, and post
    /// <c>channels_ready</c> at the top of the loop (§2.3). On a socket the thread first writes a SYNC packet (§2.3): nothing
    /// else reads it on the model's socket source (it has no destination), so the write is part of this step, and its
    /// failure is <see cref="SyncFail"/>.</summary>
    private bool CanSyncAck(ModelState s, int ch) =>
        SendWoken(s, ch, out var w) && !MainBits.Exiting.On(s.Main) && SendBits.Job(w) == 0 && !OwedWakeFirst(w) && FirstOfEqual(s, ch) && Fits(s, ch);

    /// <summary>The thread's next wake-up is a sync request's whose SYNC already rode on a job's packet: no new request is
    /// pending (the Implementation serves a pending request first, then takes the owed wake-up).</summary>
    internal static bool OwedWakeFirst(ulong w) => SocketRecvBits.OwesWake.Get(w) > 0 && !SendBits.PendingSync.On(w);

    /// <summary>The wake-up of a sync request whose SYNC went out on a job's packet (<c>SyncCarriesPages</c>): nothing to do; the
    /// thread posts <c>channels_ready</c> at the top of its loop and waits again. The Implementation announces nothing for it.</summary>
    private bool CanSendWake(ModelState s, int ch) =>
        SendWoken(s, ch, out var w) && !MainBits.Exiting.On(s.Main) && SendBits.Job(w) == 0 && OwedWakeFirst(w) && FirstOfEqual(s, ch);

    private static ModelState SendWake(ModelState s, int ch, EventSink? sink)
    {
        var w = SocketRecvBits.OwesWake.Dec(SendBits.Sem.Dec(s.Ch(ch)));
        return (s with { Main = MainBits.Tokens.Inc(s.Main) }).WithCh(ch, w);
    }

    private ModelState SyncAck(ModelState s, int ch, EventSink? sink)
    {
        var w = SendBits.Sem.Dec(s.Ch(ch));
        if (SocketDestination) w = SocketRecvBits.Push(w, SocketRecvBits.Sync);
        w = SendBits.PendingSync.Set(w, false);
        w = SendBits.SemSync.Inc(w);
        Emit(sink, EventKind.SyncAck, Actor.Sender(ch), ch);
        return (s with { Main = MainBits.Tokens.Inc(s.Main) }).WithCh(ch, w);
    }

    /// <summary>Woken with <c>exiting</c> set: leave the loop at once, without doing a job still pending (§2.3). It posts
    /// nothing, unless the send-side fix is in (<see cref="SendExitKicks"/>): then it kicks the migration thread on the
    /// way out, its own <c>sem_sync</c> and one <c>channels_ready</c>, as the failing thread does.</summary>
    private bool CanSendExit(ModelState s, int ch) => SendWoken(s, ch, out _) && MainBits.Exiting.On(s.Main) && FirstOfEqual(s, ch);

    private ModelState SendExit(ModelState s, int ch, EventSink? sink)
    {
        var w = SendBits.Phase.Set(SendBits.Sem.Set(s.Ch(ch), 0), (int)ChannelPhase.Exited);
        Emit(sink, EventKind.Exit, Actor.Sender(ch), ch);
        if (!SendExitKicks) return s.WithCh(ch, w);
        return (s with { Main = MainBits.Tokens.Inc(s.Main) }).WithCh(ch, SendBits.SemSync.Inc(w));
    }

    // ---- the guest ----

    /// <summary>A guest write: between iterate calls, or at any time before complete when live; at most
    /// <c>GuestWrites</c> between two bitmap syncs and <c>GuestBudget</c> in the whole save (when set). A counter that
    /// cannot bind is not kept, so it splits no state. The argument is page * 2 + (1 = data, 0 = zero content), or just
    /// the page when the guest abstraction leaves the content to the next send (<see cref="GuestArg"/>).</summary>
    private bool CanGuestWrite(ModelState s, int arg)
    {
        if (!IsSource(s)) return false;
        if (_countInterval && MainBits.GuestWrites.Get(s.Main) >= _guestWriteLimit) return false;
        if (_guestBudget > 0 && MainBits.GuestTotal.Get(s.Main) >= _guestBudget) return false;
        if (MainBits.Exiting.On(s.Main) || MainBits.Failed.On(s.Main)) return false;
        var pc = PcOf(s);
        // Before the channels exist the migration thread has not looked at the dirty log: a write then is the same as one
        // right after setup.
        if (pc == Pc.Create) return false;
        var iter = MainBits.Iter.Get(s.Main);
        var stopped = iter > R || (iter == R + 1 && pc != Pc.Gap);
        if (Options.Live) return !stopped || (iter == R + 1 && pc == Pc.Gap);
        return pc == Pc.Gap && iter >= 2;
    }

    private ModelState GuestWrite(ModelState s, int arg, EventSink? sink)
    {
        var (page, data) = GuestArg(arg);
        var bit = Bit(page);
        s = Unknown(s, bit);
        var guest = Pages.Get(s, PageFact.Data);
        s = Pages.Set(s, PageFact.Data, data ? guest | bit : guest & ~bit);
        if (DeferContents) s = Pages.Set(s, PageFact.DataUnknown, Pages.Get(s, PageFact.DataUnknown) | bit);
        s = Pages.Set(s, PageFact.Dirty, Pages.Get(s, PageFact.Dirty) | bit);
        s = Pages.Set(s, PageFact.SlotCurrent, Pages.Get(s, PageFact.SlotCurrent) & ~bit);
        var main = _countInterval ? MainBits.GuestWrites.Inc(s.Main) : s.Main;
        s = s with { Main = _guestBudget > 0 ? MainBits.GuestTotal.Inc(main) : main };
        for (var i = 0; i < N; i++)
        {
            var w = s.Ch(i);
            if ((SendBits.Data(w) & bit) != 0) s = s.WithCh(i, SendBits.Overwritten(w, bit));
        }
        if (SocketDestination) s = OldCopies(s, page);
        Emit(sink, EventKind.GuestWrite, Actor.Guest, page: page);
        return s;
    }
}
