using SyncModel.Model.State;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Model.Machine;

/// <summary>The destination's main thread: the section sequence, chunk queueing, recv syncs and the end-of-load steps
/// (docs/protocol.md §1.6, §3.3–§3.6, §4(b), §4(c)).</summary>
internal sealed partial class ModelMachine
{
    private static readonly Actor Dest = Actor.Destination;

    /// <summary>The save is over and the file is closed: the load starts from what the file says (its bitmap, and the
    /// FLUSH records in each section). Everything else the source knew is dropped, so loads of equal files merge.</summary>
    private ModelState StartLoad(ModelState s, EventSink? sink)
    {
        var main = s.Main & MainBits.KeptByLoad;
        main = MainBits.Pc.Set(main, (int)Pc.RecvQueue);
        main = MainBits.Item.Set(main, (int)DestItem.Queue);
        s = Pages.Set(new ModelState(main, 0, 0) { Ext = s.Ext & Switches.Mask }, PageFact.FileBit, Pages.Get(s, PageFact.FileBit));
        Emit(sink, EventKind.SectionStart, Dest);
        RunLoad(ref s, sink);
        return s;
    }

    private int FileBitmap(in ModelState s) => Pages.Get(s, PageFact.FileBit) & AllPages;

    /// <summary>
    /// Reads records until the main thread must do something other threads see: queue a chunk, sync, or start the
    /// end-of-load steps. START = MEM_SIZE (chunks), [FLUSH]*, EOS; PART/END = [FLUSH]*, EOS; then EOF. The policy
    /// answers at MemSizeParsed (run even when parsing failed, §3.5), FLUSH, EOS and the end of each <c>ram_load</c>.
    /// </summary>
    private void RunLoad(ref ModelState s, EventSink? sink)
    {
        while (true)
        {
            var m = s.Main;
            var section = MainBits.Iter.Get(m);
            var failed = MainBits.Failed.On(m);
            switch ((DestItem)MainBits.Item.Get(m))
            {
                case DestItem.Queue:
                    if (!failed && MainBits.Limit.Get(m) < ChunkCount(FileBitmap(s)))
                    {
                        s = s with { Main = MainBits.Pc.Set(m, (int)Pc.RecvQueue) };
                        return;
                    }
                    s = s with { Main = MainBits.Item.Set(m, (int)DestItem.MemSizeParsed) };
                    break;
                case DestItem.MemSizeParsed:
                    s = s with { Main = MainBits.Item.Set(m, (int)DestItem.Flush) };
                    if (AtReceiverSite(ref s, ReceiverSite.MemSizeParsed, sink)) return;
                    break;
                case DestItem.Flush:
                    if (failed) s = s with { Main = MainBits.Item.Set(m, (int)DestItem.LoadEnd) };
                    else if (MainBits.FlushIdx.Get(m) < MainBits.Flush[section].Get(m))
                    {
                        Emit(sink, EventKind.SeeFlag, Dest, round: section, flag: RamFlag.Flush);
                        s = s with { Main = MainBits.FlushIdx.Inc(m) };
                        if (AtReceiverSite(ref s, ReceiverSite.FlushFlag, sink)) return;
                    }
                    else s = s with { Main = MainBits.Item.Set(m, (int)DestItem.Eos) };
                    break;
                case DestItem.Eos:
                    Emit(sink, EventKind.SeeFlag, Dest, round: section, flag: RamFlag.Eos);
                    s = s with { Main = MainBits.Item.Set(m, (int)DestItem.LoadEnd) };
                    if (AtReceiverSite(ref s, ReceiverSite.Eos, sink)) return;
                    break;
                case DestItem.LoadEnd:
                    s = s with { Main = MainBits.Item.Set(m, (int)DestItem.Next) };
                    if (AtReceiverSite(ref s, ReceiverSite.RamLoadEnd, sink)) return;
                    break;
                default:
                    if (failed || section == R + 1)
                    {
                        // EOF after END, or the load failed: the end-of-load steps (§3.6).
                        m = MainBits.Site.Set(m, 0);
                        s = s with { Main = MainBits.Pc.Set(m, (int)Pc.Cleanup) };
                        return;
                    }
                    m = MainBits.Iter.Set(m, section + 1);
                    m = MainBits.FlushIdx.Set(m, 0);
                    s = s with { Main = MainBits.Item.Set(m, (int)DestItem.Flush) };
                    Emit(sink, section + 1 == R + 1 ? EventKind.SectionEnd : EventKind.SectionPart, Dest, round: section + 1);
                    break;
            }
        }
    }

    /// <summary>Applies the policy's answer at a receiver site; true when a recv sync started (the thread blocks).</summary>
    private bool AtReceiverSite(ref ModelState s, ReceiverSite site, EventSink? sink)
    {
        switch (Receiver(site, s.Ext))
        {
            case ReceiverDecision.Sync:
                if (RecvSync == RecvSyncKind.Reentrant)
                {
                    s = s with { Main = MainBits.Pc.Set(s.Main, (int)Pc.RecvKick) };
                }
                else
                {
                    Emit(sink, EventKind.RecvSyncBegin, Dest);
                    s = s with { Main = MainBits.Pc.Set(s.Main, (int)Pc.OneShotKick) };
                }
                return true;
            case ReceiverDecision.Reject:
                // "Unexpected RAM flags" (§1.3): the load fails; the rest of this ram_load still runs its end site.
                Emit(sink, EventKind.SeeFlag, Dest, error: $"invalid at {site}: load fails");
                var m = MainBits.Failed.Set(s.Main, true);
                s = s with { Main = MainBits.Item.Set(m, (int)DestItem.LoadEnd) };
                return false;
            default:
                return false;
        }
    }

    // ---- the destination's visible steps ----

    /// <summary><c>multifd_recv</c> (§3.3): spin over the channels until one has no <c>pending_job</c> (giving up if
    /// <c>exiting</c>), hand it the chunk, set <c>pending_job</c>, post its <c>sem</c>. Any free channel may be the one.</summary>
    private bool CanRecvQueue(ModelState s, int ch) =>
        PcOf(s) == Pc.RecvQueue && !MainBits.Exiting.On(s.Main) && !RecvBits.PendingJob.On(s.Ch(ch)) && FirstOfEqual(s, ch);

    private ModelState RecvQueue(ModelState s, int ch, EventSink? sink)
    {
        var index = MainBits.Limit.Get(s.Main);
        var (first, count) = Chunk(FileBitmap(s), index);
        var w = RecvBits.PendingJob.Set(s.Ch(ch), true);
        s = s.WithCh(ch, PostRecvSem(w));
        s = s with { Main = MainBits.Limit.Set(s.Main, index + 1) };
        Emit(sink, EventKind.RecvQueue, Dest, ch, id: index, page: first, count: count);
        RunLoad(ref s, sink);
        return s;
    }

    /// <summary><c>multifd_recv</c> sees <c>exiting</c> (a recv thread failed): <c>parse_ramblocks</c> fails, and the
    /// MEM_SIZE site still runs (§3.5).</summary>
    private static bool CanQueueFail(ModelState s) => PcOf(s) == Pc.RecvQueue && MainBits.Exiting.On(s.Main);

    private ModelState QueueFail(ModelState s, EventSink? sink)
    {
        Emit(sink, EventKind.SeeFlag, Dest, error: "multifd_recv saw exiting: parse_ramblocks fails");
        var m = MainBits.Failed.Set(s.Main, true);
        s = s with { Main = MainBits.Item.Set(m, (int)DestItem.MemSizeParsed) };
        RunLoad(ref s, sink);
        return s;
    }

    /// <summary>Re-entrant recv sync, first half (§3.4): post every channel's <c>sem</c>.</summary>
    private static bool CanRecvKick(ModelState s) => PcOf(s) == Pc.RecvKick;

    private ModelState RecvKick(ModelState s, EventSink? sink)
    {
        for (var i = 0; i < N; i++) s = s.WithCh(i, PostRecvSem(s.Ch(i)));
        Emit(sink, EventKind.RecvSyncBegin, Dest);
        return s with { Main = MainBits.Pc.Set(s.Main, (int)Pc.RecvWait) };
    }

    /// <summary>Re-entrant recv sync, second half: wait the shared <c>sem_sync</c> N times. Only this thread takes from
    /// it, so taking N posts once they are all there is the same as taking them one by one. With the recv-side fix a
    /// sync that finds <c>exiting</c> set after its waits fails the load (the rest of the <c>ram_load</c> still runs
    /// its end site, as after any failed record).</summary>
    private bool CanRecvWait(ModelState s) => PcOf(s) == Pc.RecvWait && MainBits.Tokens.Get(s.Main) >= N;

    private ModelState RecvWait(ModelState s, EventSink? sink)
    {
        s = s with { Main = MainBits.Tokens.Set(s.Main, MainBits.Tokens.Get(s.Main) - N) };
        if (RecvWakesSync && MainBits.Exiting.On(s.Main))
        {
            Emit(sink, EventKind.SeeFlag, Dest, error: "multifd_recv_sync_main saw exiting: the load fails");
            s = s with { Main = MainBits.Failed.Set(s.Main, true) };
            RunLoad(ref s, sink);
            return s;
        }
        Emit(sink, EventKind.RecvSyncEnd, Dest);
        RunLoad(ref s, sink);
        return s;
    }

    /// <summary>v4 one-shot recv sync (§4(b)): for each channel, post its <c>sem</c>, then wait its own <c>sem_sync</c>.
    /// The order of channels is left open.</summary>
    private bool CanOneShotKick(ModelState s, int ch) =>
        PcOf(s) == Pc.OneShotKick && RecvBits.Turn.Get(s.Ch(ch)) == (int)SyncTurn.None && FirstOfEqual(s, ch)
        && (!_fixedRecvWaitOrder || FirstWithTurn(s, ch, SyncTurn.None, source: false));

    private static ModelState OneShotKick(ModelState s, int ch, EventSink? sink)
    {
        var w = PostRecvSem(s.Ch(ch));
        s = s.WithCh(ch, RecvBits.Turn.Set(w, (int)SyncTurn.Waiting));
        Emit(sink, EventKind.SyncRequest, Dest, ch);
        return s with { Main = MainBits.Pc.Set(s.Main, (int)Pc.OneShotWait) };
    }

    private static bool CanOneShotWait(ModelState s, int ch)
    {
        var w = s.Ch(ch);
        return PcOf(s) == Pc.OneShotWait && RecvBits.Turn.Get(w) == (int)SyncTurn.Waiting && RecvBits.OwnSemSync.Get(w) > 0;
    }

    private ModelState OneShotWait(ModelState s, int ch, EventSink? sink)
    {
        var w = RecvBits.OwnSemSync.Dec(s.Ch(ch));
        s = s.WithCh(ch, RecvBits.Turn.Set(w, (int)SyncTurn.Done));
        Emit(sink, EventKind.SyncDone, Dest, ch);
        for (var i = 0; i < N; i++)
        {
            if (RecvBits.Turn.Get(s.Ch(i)) == (int)SyncTurn.None)
                return s with { Main = MainBits.Pc.Set(s.Main, (int)Pc.OneShotKick) };
        }
        for (var i = 0; i < N; i++) s = s.WithCh(i, RecvBits.Turn.Set(s.Ch(i), (int)SyncTurn.None));
        Emit(sink, EventKind.RecvSyncEnd, Dest);
        RunLoad(ref s, sink);
        return s;
    }

    // ---- end of load (§3.6) ----

    private static readonly CleanupStep[] LoadCleanupFirst = [CleanupStep.LoadCleanup, CleanupStep.Shutdown, CleanupStep.VmStart, CleanupStep.Join];
    private static readonly CleanupStep[] JoinFirst = [CleanupStep.Shutdown, CleanupStep.VmStart, CleanupStep.Join, CleanupStep.LoadCleanup];
    private static readonly CleanupStep[] LoadCleanupFirstFailed = [CleanupStep.LoadCleanup, CleanupStep.Shutdown, CleanupStep.Join];
    private static readonly CleanupStep[] JoinFirstFailed = [CleanupStep.Shutdown, CleanupStep.Join, CleanupStep.LoadCleanup];

    /// <summary>The event an end-of-load step announces (file and socket destinations alike).</summary>
    private static EventKind EventOf(CleanupStep step) => step switch
    {
        CleanupStep.LoadCleanup => EventKind.LoadCleanup,
        CleanupStep.Shutdown => EventKind.Shutdown,
        CleanupStep.VmStart => EventKind.VmStart,
        _ => EventKind.Join,
    };

    /// <summary>The end-of-load sequence for this policy; a failed load never starts the VM.</summary>
    public CleanupStep[] CleanupSequence(bool failed) => (Order, failed) switch
    {
        (CleanupOrder.LoadCleanupBeforeJoin, false) => LoadCleanupFirst,
        (CleanupOrder.LoadCleanupBeforeJoin, true) => LoadCleanupFirstFailed,
        (_, false) => JoinFirst,
        _ => JoinFirstFailed,
    };

    /// <summary>The end-of-load step the destination is at, if it is at one.</summary>
    public CleanupStep? CurrentCleanup(in ModelState s)
    {
        if (SocketDestination) return CurrentSocketCleanup(s);
        if (PcOf(s) != Pc.Cleanup) return null;
        var seq = CleanupSequence(MainBits.Failed.On(s.Main));
        var i = MainBits.Site.Get(s.Main);
        return i < seq.Length ? seq[i] : null;
    }

    private bool CanCleanup(ModelState s, CleanupStep step)
    {
        if (CurrentCleanup(s) != step) return false;
        if (step != CleanupStep.Join) return true;
        for (var i = 0; i < N; i++)
        {
            if (RecvBits.Phase.Get(s.Ch(i)) < (int)ChannelPhase.Exited) return false;
        }
        return true;
    }

    private ModelState Cleanup(ModelState s, CleanupStep step, EventSink? sink)
    {
        if (step == CleanupStep.Shutdown)
        {
            // multifd_recv_shutdown = terminate_threads: exiting, and a post on every channel's sem (§3.6).
            s = s with { Main = MainBits.Exiting.Set(s.Main, true) };
            for (var i = 0; i < N; i++) s = s.WithCh(i, PostRecvSem(s.Ch(i)));
        }
        Emit(sink, EventOf(step), Dest);
        var next = MainBits.Site.Get(s.Main) + 1;
        var m = MainBits.Site.Set(s.Main, next);
        if (next >= CleanupSequence(MainBits.Failed.On(s.Main)).Length) m = MainBits.Pc.Set(m, (int)Pc.Done);
        return s with { Main = m };
    }
}
