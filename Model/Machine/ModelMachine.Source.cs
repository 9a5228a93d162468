using System.Numerics;
using SyncModel.Model.State;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Model.Machine;

/// <summary>The source's migration thread: setup, iterate calls, complete, shutdown (docs/protocol.md §2.2, §2.4, §2.6, §2.8).</summary>
internal sealed partial class ModelMachine
{
    private static readonly Actor Main = Actor.Migration;

    /// <summary>
    /// A sender site (§2.6): start the sync the policy asks for (flushing the batch first, as 9.0's
    /// <c>multifd_send_sync_main</c> does, §2.4), or go straight on.
    /// </summary>
    private void AtSenderSite(ref ModelState s, SenderSite site, EventSink? sink)
    {
        if (Sender(site, s.Ext).Sync == SendSync.None)
        {
            AfterSenderSite(ref s, site, sink);
            return;
        }
        var m = MainBits.Site.Set(s.Main, (int)site);
        var batch = Pages.Get(s, PageFact.Batch);
        m = MainBits.Pending.Set(m, MainBits.NoPage);
        m = MainBits.Pc.Set(m, (int)(batch != 0 ? Pc.Dispatch : Pc.SyncRequest));
        s = s with { Main = m };
    }

    /// <summary>What follows a sender site once its sync (if any) returned.</summary>
    private void AfterSenderSite(ref ModelState s, SenderSite site, EventSink? sink)
    {
        if (site != SenderSite.Complete && Sender(site, s.Ext).EmitFlush) PutFlush(ref s, sink);
        switch (site)
        {
            case SenderSite.Setup:
            case SenderSite.IterateEnd:
                // EOS ends START (setup) or this PART; the guest may now write until the next bitmap sync.
                PutEos(ref s, sink);
                var m = MainBits.Iter.Set(s.Main, MainBits.Iter.Get(s.Main) + 1);
                s = s with { Main = MainBits.Pc.Set(m, (int)Pc.Gap) };
                break;
            case SenderSite.RoundWrap:
                ContinueAfterWrap(ref s, sink);
                break;
            case SenderSite.Complete when Socket:
                // complete on a socket: its FLUSH (if any) and EOS, then the cleanup's shutdown; there is no file bitmap.
                if (Sender(site, s.Ext).EmitFlush) PutFlush(ref s, sink);
                PutEos(ref s, sink);
                s = s with { Main = MainBits.Pc.Set(s.Main, (int)Pc.Terminate) };
                break;
            default:
                // complete: the bitmap is written and freed next (§1.4, §4(d) step 4.3).
                s = s with { Main = MainBits.Pc.Set(s.Main, (int)Pc.BitmapWrite) };
                break;
        }
    }

    private void PutFlush(ref ModelState s, EventSink? sink)
    {
        var section = MainBits.Iter.Get(s.Main);
        s = s with { Main = MainBits.Flush[section].Inc(s.Main) };
        Emit(sink, EventKind.StreamFlag, Main, round: section, flag: RamFlag.Flush);
    }

    private static void PutEos(ref ModelState s, EventSink? sink) =>
        Emit(sink, EventKind.StreamFlag, Main, round: MainBits.Iter.Get(s.Main), flag: RamFlag.Eos);

    /// <summary>
    /// <c>ram_find_and_save_block</c> calls until the thread must block or the iterate call ends (§4 "background
    /// fact", 9.0 <c>find_dirty_block</c>): each call searches the migration bitmap from the cursor to the end; at the
    /// end it wraps (the RoundWrap site) and searches from page 0 up to where the call started; finding nothing there
    /// is ALL_CLEAN. All of this touches only the migration thread's own data.
    /// </summary>
    private void Scan(ref ModelState s, EventSink? sink)
    {
        while (true)
        {
            var iter = MainBits.Iter.Get(s.Main);
            var limit = Options.PagesPerIteration;
            if (iter <= R && limit > 0 && MainBits.PagesThisIter.Get(s.Main) >= limit)
            {
                AtSenderSite(ref s, SenderSite.IterateEnd, sink); // rate limit: the call returns mid-round
                return;
            }
            var cursor = Pages.GetCursor(s);
            var q = NextSet(Pages.Get(s, PageFact.ToSend), cursor, P);
            if (q < P)
            {
                if (!Save(ref s, q)) return;
                continue;
            }
            var m = MainBits.Limit.Set(s.Main, cursor);
            s = s with { Main = MainBits.Wrapped.Set(m, true) };
            AtSenderSite(ref s, SenderSite.RoundWrap, sink);
            return;
        }
    }

    /// <summary>The rest of a find call after its wrap: search [0, where the call started).</summary>
    private void ContinueAfterWrap(ref ModelState s, EventSink? sink)
    {
        var limit = MainBits.Limit.Get(s.Main);
        s = s with { Main = MainBits.Wrapped.Set(s.Main, false) };
        var q = NextSet(Pages.Get(s, PageFact.ToSend), 0, limit);
        if (q < limit)
        {
            if (Save(ref s, q)) Scan(ref s, sink);
            return;
        }
        // ALL_CLEAN: the call leaves last_page at the end of the block.
        s = Pages.SetCursor(s, P);
        var complete = MainBits.Iter.Get(s.Main) == R + 1;
        AtSenderSite(ref s, complete ? SenderSite.Complete : SenderSite.IterateEnd, sink);
    }

    /// <summary><c>multifd_queue_page</c> (§2.2): false when the batch is full and must be dispatched first.</summary>
    private bool Save(ref ModelState s, int q)
    {
        s = Pages.Set(s, PageFact.ToSend, Pages.Get(s, PageFact.ToSend) & ~Bit(q));
        s = Pages.SetCursor(s, q + 1);
        var main = MainBits.PagesThisIter.Inc(s.Main);
        var batch = Pages.Get(s, PageFact.Batch);
        if (BitOperations.PopCount((uint)batch) >= Options.BatchPages)
        {
            main = MainBits.Pending.Set(main, q);
            s = s with { Main = MainBits.Pc.Set(main, (int)Pc.Dispatch) };
            return false;
        }
        s = Pages.Set(s with { Main = main }, PageFact.Batch, batch | Bit(q));
        return true;
    }

    // ---- the migration thread's visible steps ----

    /// <summary>
    /// <c>multifd_send_pages</c> (§2.2): take a <c>channels_ready</c> token, re-check <c>exiting</c>, pick a channel
    /// without <c>pending_job</c>, hand it the batch, set <c>pending_job</c>, post its <c>sem</c>. Which free channel is
    /// chosen is left open (QEMU goes round robin): every choice is explored.
    /// </summary>
    private bool CanDispatch(ModelState s, int ch) =>
        PcOf(s) == Pc.Dispatch && MainBits.Tokens.Get(s.Main) > 0 && !MainBits.Exiting.On(s.Main)
        && SendBits.Job(s.Ch(ch)) == 0 && FirstOfEqual(s, ch) && !Quit(s, ch);

    private ModelState Dispatch(ModelState s, int ch, EventSink? sink)
    {
        var batch = Pages.Get(s, PageFact.Batch);
        var w = SendBits.WithJob(s.Ch(ch), batch);
        w = SendBits.Sem.Inc(w);
        var main = MainBits.Tokens.Dec(s.Main);
        var pending = MainBits.Pending.Get(main);
        s = Pages.Set(s with { Main = MainBits.Pending.Set(main, MainBits.NoPage) }, PageFact.Batch, pending == MainBits.NoPage ? 0 : Bit(pending));
        s = s.WithCh(ch, w);
        Emit(sink, EventKind.Dispatch, Main, ch, page: Lowest(batch), count: BitOperations.PopCount((uint)batch));
        if (pending != MainBits.NoPage) Scan(ref s, sink);
        else s = s with { Main = MainBits.Pc.Set(s.Main, (int)Pc.SyncRequest) };
        return s;
    }

    /// <summary>§2.4 first loop: every channel gets <c>pending_sync</c> and a post on its <c>sem</c>. On 8.2 with a failed
    /// connect the loop stops at the first channel that has quit (multifd.c:618-633 @8.2): the channels before it have their
    /// requests, and the sync fails (the migration thread goes to its cleanup, <see cref="Terminate"/>).</summary>
    private static bool CanSyncRequest(ModelState s) => PcOf(s) == Pc.SyncRequest && !MainBits.Exiting.On(s.Main);

    private ModelState SyncRequest(ModelState s, EventSink? sink)
    {
        var quit = FirstQuit(s);
        for (var i = 0; i < (quit < 0 ? N : quit); i++)
        {
            var w = SendBits.PendingSync.Set(s.Ch(i), true);
            w = SendBits.Sem.Inc(w);
            // Mutation ExtraSyncKick (5.3): the request posts the channel's sem twice, one post that no job or sync matches.
            if (Has(s.Ext, Mutation.ExtraSyncKick)) w = SendBits.Sem.Inc(w);
            s = s.WithCh(i, SendBits.Turn.Set(w, (int)SyncTurn.Requested));
            Emit(sink, EventKind.SyncRequest, Main, i, round: MainBits.Iter.Get(s.Main));
        }
        if (quit >= 0) return s with { Main = MainBits.Pc.Set(MainBits.Failed.Set(s.Main, true), (int)Pc.Terminate) };
        return s with { Main = MainBits.Pc.Set(s.Main, (int)Pc.SyncCommit) };
    }

    /// <summary>§2.4 second loop, top: <c>exiting</c> is clear (8.2 does not check it), so the thread commits to waiting for this channel. Any
    /// requested channel may be next, unless the wait-order reduction fixes the order (<see cref="FixedWaitOrder"/>).</summary>
    private bool CanSyncWait(ModelState s, int ch) =>
        PcOf(s) == Pc.SyncCommit && (!SyncChecksExiting || !MainBits.Exiting.On(s.Main))
        && SendBits.Turn.Get(s.Ch(ch)) == (int)SyncTurn.Requested && FirstOfEqual(s, ch)
        && (!_fixedSendWaitOrder || FirstWithTurn(s, ch, SyncTurn.Requested, source: true));

    private static ModelState SyncWait(ModelState s, int ch, EventSink? sink)
    {
        Emit(sink, EventKind.SyncWait, Main, ch);
        s = s.WithCh(ch, SendBits.Turn.Set(s.Ch(ch), (int)SyncTurn.Waiting));
        return s with { Main = MainBits.Pc.Set(s.Main, (int)Pc.SyncWait) };
    }

    /// <summary>§2.4: <c>wait(channels_ready)</c> then <c>wait(p->sem_sync)</c>. Only the migration thread takes either,
    /// so taking both when both are there is the same as taking them one after the other.</summary>
    private static bool CanSyncDone(ModelState s, int ch)
    {
        if (PcOf(s) != Pc.SyncWait) return false;
        var w = s.Ch(ch);
        if (SendBits.Turn.Get(w) != (int)SyncTurn.Waiting || SendBits.SemSync.Get(w) == 0) return false;
        return MainBits.Tokens.Get(s.Main) > 0 || Has(s.Ext, Mutation.SyncSkipsChannelsReady);
    }

    private ModelState SyncDone(ModelState s, int ch, EventSink? sink)
    {
        var w = SendBits.SemSync.Dec(s.Ch(ch));
        s = s.WithCh(ch, SendBits.Turn.Set(w, (int)SyncTurn.Done));
        if (!Has(s.Ext, Mutation.SyncSkipsChannelsReady)) s = s with { Main = MainBits.Tokens.Dec(s.Main) };
        Emit(sink, EventKind.SyncDone, Main, ch);
        for (var i = 0; i < N; i++)
        {
            if (SendBits.Turn.Get(s.Ch(i)) == (int)SyncTurn.Requested)
                return s with { Main = MainBits.Pc.Set(s.Main, (int)Pc.SyncCommit) };
        }
        for (var i = 0; i < N; i++) s = s.WithCh(i, SendBits.Turn.Set(s.Ch(i), (int)SyncTurn.None));
        AfterSenderSite(ref s, (SenderSite)MainBits.Site.Get(s.Main), sink);
        return s;
    }

    /// <summary>Between iterate calls: <c>migration_bitmap_sync</c> folds the dirty log into the migration bitmap and the
    /// next call (or complete, with the guest stopped) scans it.</summary>
    private static bool CanBitmapSync(ModelState s) => PcOf(s) == Pc.Gap && !MainBits.Exiting.On(s.Main);

    private ModelState BitmapSync(ModelState s, EventSink? sink)
    {
        var iter = MainBits.Iter.Get(s.Main);
        var dirty = Pages.Get(s, PageFact.Dirty);
        Emit(sink, EventKind.RoundStart, Main, round: iter);
        Emit(sink, EventKind.BitmapSync, Main, count: BitOperations.PopCount((uint)dirty), round: iter);
        s = Pages.Set(s, PageFact.ToSend, Pages.Get(s, PageFact.ToSend) | dirty);
        s = Pages.Set(s, PageFact.Dirty, 0);
        var main = MainBits.GuestWrites.Set(s.Main, 0);
        main = MainBits.PagesThisIter.Set(main, 0);
        s = s with { Main = main };
        Scan(ref s, sink);
        return s;
    }

    /// <summary><c>ram_save_file_bmap</c>: write the file bitmap, then free it on purpose (§1.4); complete's FLUSH (if any) and EOS follow.</summary>
    private static bool CanBitmapWrite(ModelState s) => PcOf(s) == Pc.BitmapWrite;

    private ModelState BitmapWrite(ModelState s, EventSink? sink)
    {
        Emit(sink, EventKind.FileBitmapWrite, Main, count: BitOperations.PopCount((uint)Pages.Get(s, PageFact.FileBit)));
        Emit(sink, EventKind.FileBitmapFree, Main);
        s = s with { Main = MainBits.Freed.Set(s.Main, true) };
        if (Sender(SenderSite.Complete, s.Ext).EmitFlush) PutFlush(ref s, sink);
        PutEos(ref s, sink);
        return s with { Main = MainBits.Pc.Set(s.Main, (int)Pc.Terminate) };
    }

    /// <summary><c>multifd_send_shutdown</c> (§2.8): at the end of a save, when the thread finds <c>exiting</c> set at
    /// one of its checks (dispatch, sync, between iterate calls) and the migration fails, or after a failed setup. With the
    /// socket destination also at those points once the destination is gone: the main stream's writes fail (a failed load
    /// resets it) and the migration thread meets the stream's error (<c>qemu_file_get_error</c>; between iterate calls
    /// <c>migration_detect_error</c>, migration.c:3047-3075, called from the migration thread's loop at 3501 @9.0).</summary>
    private bool CanTerminate(ModelState s)
    {
        var pc = PcOf(s);
        if (pc is Pc.Terminate or Pc.SetupFailed or Pc.SetupReturnedEarly) return true;
        // 8.2's second sync loop checks nothing (SyncChecksExiting): a thread there waits. 8.2's dispatch fails when its probe
        // meets a channel that has quit (a failed connect, multifd.c:415-419 @8.2), after it took a channels_ready token.
        if (pc == Pc.Dispatch && FirstQuit(s) >= 0 && MainBits.Tokens.Get(s.Main) > 0) return true;
        if (!(pc is Pc.Dispatch or Pc.SyncRequest or Pc.Gap || (pc == Pc.SyncCommit && SyncChecksExiting))) return false;
        if (MainBits.Exiting.On(s.Main)) return true;
        // The main stream's error is no check of multifd_send_pages, whose token wait blocks: on the source alone (8.2's failed
        // connect, where nothing sets exiting) a dispatch meets it only if it is not stuck there.
        return MainStreamMayFail(s) && (pc != Pc.Dispatch || SocketDestination || MainBits.Tokens.Get(s.Main) > 0);
    }

    /// <summary>A socket's main stream write may fail, the migration thread meeting it at its next check: with the destination in
    /// the model once it is gone; on the source alone, whose destination is any peer, once anything failed (the peer may have
    /// gone since; on 9.0+ the failure has set <c>exiting</c> anyway, on 8.2 a failed connect does not).</summary>
    internal bool MainStreamMayFail(in ModelState s) =>
        SocketDestination ? DestinationGone(s) : Socket && MainBits.ErrorUsed.On(s.Main);

    private ModelState Terminate(ModelState s, EventSink? sink)
    {
        var pc = PcOf(s);
        var failing = pc != Pc.Terminate || MainBits.Failed.On(s.Main);
        var m = MainBits.Exiting.Set(s.Main, true);
        if (failing) m = MainBits.Failed.Set(m, true);
        // multifd_send_terminate_threads: 9.0+ always posts every channel's sem; 8.2's exchange posts nothing when a failing
        // channel's own terminate already ran (multifd.c:493-495 @8.2).
        if (!ShutByChannel(s))
        {
            for (var i = 0; i < N; i++) s = s.WithCh(i, PostSendSem(s.Ch(i)));
        }
        var why = pc is Pc.SetupFailed or Pc.SetupReturnedEarly ? "migration failed: multifd_send_setup failed"
            : MainBits.Exiting.On(s.Main) ? "migration failed: exiting seen"
            : FirstQuit(s) >= 0 ? "migration failed: a multifd channel has already quit"
            : "migration failed: the main stream's write failed (the destination is gone)";
        Emit(sink, EventKind.Terminate, Main, error: failing ? why : null);
        return s with { Main = MainBits.Pc.Set(m, (int)Pc.SourceJoin) };
    }

    /// <summary>A post on a send thread's <c>sem</c>; once the thread has left its loop nobody reads the count, so it is not kept.</summary>
    private static ulong PostSendSem(ulong w) => SendBits.Phase.Get(w) >= (int)ChannelPhase.Exited ? w : SendBits.Sem.Inc(w);

    /// <summary>Join the send threads and close the file; a save that saw no error hands the file to the load, any other
    /// run ends here, its channel words cleared: the threads are gone (and the packed form of a state past the save keeps
    /// only what a recv word uses, <c>Checking.ModelLayout</c>). With the
    /// guest abstraction the argument is the chunk count of the file (pages whose content was forgotten take the
    /// contents that give it); a join that loads nothing takes 0. A socket channel still connecting has no thread to join
    /// (multifd.c joins only a created thread); the shutdown frees it all the same, and the run goes on until its creation
    /// completes (<see cref="Pc.SourceFreed"/>).</summary>
    private bool CanSourceJoin(ModelState s, int chunks)
    {
        if (PcOf(s) != Pc.SourceJoin) return false;
        for (var i = 0; i < N; i++)
        {
            var w = s.Ch(i);
            if (SendBits.Phase.Get(w) < (int)ChannelPhase.Exited && !IsConnecting(s, i)) return false;
        }
        if (EndsAtJoin(s) || SocketDestination) return chunks == 0;
        return !Options.Abstraction || (ReachableChunkCounts(s) >> chunks & 1) != 0;
    }

    private ModelState SourceJoin(ModelState s, int chunks, EventSink? sink)
    {
        Emit(sink, EventKind.Join, Main);
        for (var i = 0; i < N; i++)
        {
            if (IsConnecting(s, i)) return s with { Main = MainBits.Pc.Set(s.Main, (int)Pc.SourceFreed) };
        }
        // A socket source with its destination: the connections are closed; the destination goes on to its end.
        if (SocketDestination) return BothDone(s with { Main = MainBits.Pc.Set(s.Main, (int)Pc.SourceDone) });
        if (EndsAtJoin(s)) return s.WithChannels([]) with { Main = MainBits.Pc.Set(s.Main, (int)Pc.Done) };
        if (Options.Abstraction) s = RecallForChunks(s, chunks);
        return StartLoad(s, sink);
    }

    private bool EndsAtJoin(in ModelState s) => MainBits.Failed.On(s.Main) || MainBits.ErrorUsed.On(s.Main) || Options.SaveOnly;

    /// <summary>True unless an equal channel word sits just before <paramref name="ch"/>: with the channels sorted,
    /// equal channels give equal successors, so only the first of them needs to be tried. Off unless
    /// <see cref="PruneEqualChannels"/> (the partial-order reduction needs guards that read only their own channel).</summary>
    private bool FirstOfEqual(in ModelState s, int ch) => !PruneEqualChannels || ch == 0 || s.Ch(ch) != s.Ch(ch - 1);
}
