using System.Numerics;
using SyncModel.Model.State;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Model.Machine;

/// <summary>
/// The socket destination, running while the source saves (<see cref="ModelCheckOptions.SocketDestination"/>;
/// docs/protocol.md §3.2, §3.4, §3.6, §4(a)). Its main thread reads the main stream as far as the source has written it
/// (<see cref="DestBits"/>): the FLUSH records and EOS of each section, answering the policy's receiver sites; a sync is
/// 9.0's <c>multifd_recv_sync_main</c> for sockets: wait for one post per channel on the shared <c>sem_sync</c>, then
/// post every channel's own. Each recv thread reads its connection (<see cref="SocketRecvBits"/>, a queue of packets):
/// a page packet's pages land in guest RAM, a SYNC packet makes it post the shared <c>sem_sync</c> and park on its own.
/// The Implementation's <c>SocketRecvChannel</c> and <c>MultifdSocketRecv</c> have the same steps.
/// <para>Pages: on a socket every page of a packet is written into the destination's RAM, data or zero (9.0's zero
/// pages are memset), so what matters is only whether a landed copy is the newest: <see cref="PageFact.SlotCurrent"/>
/// says the destination's page holds the guest's newest content, a send's snapshot covers its whole job, a guest write
/// makes every copy on its way old, and a copy lands when its recv thread has read it.</para>
/// </summary>
internal sealed partial class ModelMachine
{
    /// <summary>Source and destination of a socket migration run together (<see cref="ModelCheckOptions.SocketDestination"/>).</summary>
    public bool SocketDestination => Options.SocketDestination;

    private static DestPc DestPcOf(in ModelState s) => (DestPc)DestBits.Pc.Get(s.Aux);

    private static ModelState WithAux(in ModelState s, ulong aux) => s with { Aux = aux };

    /// <summary>The destination before anything is read: its recv threads run (QEMU creates each when its connection arrives,
    /// <c>multifd_recv_new_channel</c>, multifd.c:1643-1679 @9.0, before the load starts, migration.c:940-959 @9.0); the stream's
    /// header, configuration and the START section's header and block list come first (<see cref="DestItem.Queue"/>), then
    /// its MemSizeParsed site, then the main thread waits for the section's first FLUSH or its EOS.</summary>
    private void InitialDestination(ref ModelState s, EventSink? sink)
    {
        var a = DestBits.Item.Set(s.Aux, (int)DestItem.Queue);
        s = WithAux(s, DestBits.Pc.Set(a, (int)DestPc.Stream));
        RunSocketLoad(ref s, sink);
    }

    /// <summary>FLUSH record <paramref name="index"/> of <paramref name="section"/> is in the main stream.</summary>
    private static bool FlushWritten(in ModelState s, int section, int index) => MainBits.Flush[section].Get(s.Main) > index;

    /// <summary><paramref name="section"/>'s EOS is in the main stream: the source went past its end (setup and each iterate
    /// call move on to the next section right after their EOS; complete's EOS comes before the shutdown).</summary>
    private bool EosWritten(in ModelState s, int section)
    {
        var iter = MainBits.Iter.Get(s.Main);
        if (section <= R) return iter > section;
        if (iter != R + 1 || MainBits.Failed.On(s.Main)) return false;
        return PcOf(s) is Pc.Terminate or Pc.SourceJoin or Pc.SourceDone;
    }

    /// <summary>
    /// Reads records until the main thread must wait: for the source to write the next record, for a recv sync, or for the
    /// end-of-load steps. Each section is [FLUSH]*, EOS (START has its block list before them, answered at MemSizeParsed),
    /// then the end of <c>ram_load</c>; EOF follows END's EOS (the source writes it before its shutdown).
    /// </summary>
    private void RunSocketLoad(ref ModelState s, EventSink? sink, bool reading = false)
    {
        // dest.SeeFlag is a read; the steps that go on after a recv sync or a failure are not.
        var reads = reading ? 0 : 1;
        for (var guard = 0; guard < 8 * (R + 2) + 8; guard++)
        {
            var a = s.Aux;
            var section = DestBits.Section.Get(a);
            var failed = DestBits.Failed.On(a);
            var item = (DestItem)DestBits.Item.Get(a);
            if (reads > 0 && !failed && ReadsOneByOne(s) && item is DestItem.Queue or DestItem.Flush or DestItem.Eos or DestItem.Next && CanReadNext(s))
            {
                // The read may fail: stop before it (dest.SeeFlag goes on, dest.MainFail fails it).
                s = WithAux(s, DestBits.Pc.Set(a, (int)DestPc.Stream));
                return;
            }
            switch (item)
            {
                case DestItem.Queue:
                    // Before the RAM section: a failed read ends the load before any ram_load ran.
                    if (failed)
                    {
                        s = WithAux(s, DestBits.Pc.Set(DestBits.Site.Set(a, 0), (int)DestPc.Cleanup));
                        return;
                    }
                    reads++;
                    Emit(sink, EventKind.SectionStart, Dest);
                    s = WithAux(s, DestBits.Item.Set(a, (int)DestItem.MemSizeParsed));
                    break;
                case DestItem.MemSizeParsed:
                    s = WithAux(s, DestBits.Item.Set(a, (int)DestItem.Flush));
                    if (AtSocketReceiverSite(ref s, ReceiverSite.MemSizeParsed, sink)) return;
                    break;
                case DestItem.Flush:
                    var index = DestBits.FlushIdx.Get(a);
                    if (failed) s = WithAux(s, DestBits.Item.Set(a, (int)DestItem.LoadEnd));
                    else if (FlushWritten(s, section, index))
                    {
                        reads++;
                        Emit(sink, EventKind.SeeFlag, Dest, round: section, flag: RamFlag.Flush);
                        s = WithAux(s, DestBits.FlushIdx.Set(a, index + 1));
                        if (AtSocketReceiverSite(ref s, ReceiverSite.FlushFlag, sink)) return;
                    }
                    else if (EosWritten(s, section)) s = WithAux(s, DestBits.Item.Set(a, (int)DestItem.Eos));
                    else
                    {
                        s = WithAux(s, DestBits.Pc.Set(a, (int)DestPc.Stream));
                        return;
                    }
                    break;
                case DestItem.Eos:
                    if (failed)
                    {
                        s = WithAux(s, DestBits.Item.Set(a, (int)DestItem.LoadEnd));
                        break;
                    }
                    reads++;
                    Emit(sink, EventKind.SeeFlag, Dest, round: section, flag: RamFlag.Eos);
                    s = WithAux(s, DestBits.Item.Set(a, (int)DestItem.LoadEnd));
                    if (AtSocketReceiverSite(ref s, ReceiverSite.Eos, sink)) return;
                    break;
                case DestItem.LoadEnd:
                    s = WithAux(s, DestBits.Item.Set(a, (int)DestItem.Next));
                    if (AtSocketReceiverSite(ref s, ReceiverSite.RamLoadEnd, sink)) return;
                    break;
                default:
                    // The next section's header, or after END the stream's EOF.
                    if (!failed) reads++;
                    if (failed || section == R + 1)
                    {
                        s = WithAux(s, DestBits.Pc.Set(DestBits.Site.Set(a, 0), (int)DestPc.Cleanup));
                        return;
                    }
                    a = DestBits.Section.Set(a, section + 1);
                    a = DestBits.FlushIdx.Set(a, 0);
                    s = WithAux(s, DestBits.Item.Set(a, (int)DestItem.Flush));
                    Emit(sink, section + 1 == R + 1 ? EventKind.SectionEnd : EventKind.SectionPart, Dest, round: section + 1);
                    break;
            }
        }
        throw new InvalidOperationException("the socket destination's record loop did not stop: a section without an end");
    }

    /// <summary>
    /// Whether each read of the main stream is a step of its own: when a read may fail, which is in a run where the stream can
    /// break: the main stream's injected error (<c>--errors main</c>), or a failure of the source, which resets it, data in
    /// flight included (after a recv channel's error: <see cref="StreamMayBreak"/>; or once the source has failed). Otherwise
    /// the main thread reads what the source has written in one step: its reads touch nothing another thread reads.
    /// </summary>
    private bool ReadsOneByOne(in ModelState s) => StreamMayBreak || MainBits.Failed.On(s.Main);

    /// <summary>The configuration can break the main stream while the destination still reads it: its own error, or the source
    /// failing after a recv channel failed (an injected read error, a skipped SYNC payload) or by a send channel's write error.
    /// A failing source loses what it had not flushed (a failed <c>QEMUFile</c> is not flushed at its close), such as the next
    /// section's header written after an EOS: where the source may fail, a record is read only once it is certain.</summary>
    private bool StreamMayBreak => (Options.Errors & (ErrorSides.Main | ErrorSides.Destination | ErrorSides.Source)) != 0
        || (Options.Mutations & Mutation.RecvSkipsSyncPayload) != 0;

    /// <summary>The record the main thread reads next is in the stream: the section's next FLUSH or its EOS, or (after the
    /// EOS) the next section's header or the EOF, which the source writes with it.</summary>
    private bool CanReadNext(in ModelState s)
    {
        var section = DestBits.Section.Get(s.Aux);
        return (DestItem)DestBits.Item.Get(s.Aux) switch
        {
            DestItem.Flush => FlushWritten(s, section, DestBits.FlushIdx.Get(s.Aux)) || EosWritten(s, section),
            DestItem.Queue or DestItem.Eos or DestItem.Next => true,
            _ => false,
        };
    }

    /// <summary>The policy's answer at a receiver site; true when a recv sync started (the main thread blocks).</summary>
    private bool AtSocketReceiverSite(ref ModelState s, ReceiverSite site, EventSink? sink)
    {
        switch (Receiver(site, s.Ext))
        {
            case ReceiverDecision.Sync:
                Emit(sink, EventKind.RecvSyncBegin, Dest);
                s = WithAux(s, DestBits.Pc.Set(s.Aux, (int)DestPc.RecvWait));
                return true;
            case ReceiverDecision.Reject:
                Emit(sink, EventKind.SeeFlag, Dest, error: $"invalid at {site}: load fails");
                var a = DestBits.Failed.Set(s.Aux, true);
                s = WithAux(s, DestBits.Item.Set(a, (int)DestItem.LoadEnd));
                return false;
            default:
                return false;
        }
    }

    // ---- the destination's main thread ----

    /// <summary>The main thread waits in the stream until the source has written its next record: a FLUSH or an EOS of the
    /// section it reads (a section's header and EOF come with them). Where each read is a step of its own
    /// (<see cref="ReadsOneByOne"/>) it also stops before the stream's header and before a section header or EOF.</summary>
    private bool CanSeeFlag(ModelState s) => DestPcOf(s) == DestPc.Stream && CanReadNext(s);

    private ModelState SeeFlag(ModelState s, EventSink? sink)
    {
        RunSocketLoad(ref s, sink, reading: true);
        return s;
    }

    /// <summary>
    /// The main stream breaks under the main thread's read: injected (<c>--errors main</c>, the run's one error; a cancelled
    /// migration), or because the source failed and closed its side (a failed migration resets every connection). The load
    /// fails, the rest of its <c>ram_load</c> runs its end site, and the failed load's cleanup follows in the policy's order
    /// (9.0: <c>qemu_loadvm_state_cleanup</c> first, while the recv threads still run, §3.6, §5.9).
    /// </summary>
    private bool CanMainFail(ModelState s) =>
        DestPcOf(s) == DestPc.Stream && (Injects(s, ErrorSides.Main) || (MainBits.Failed.On(s.Main) && SourceClosed(s)));

    private ModelState MainFail(ModelState s, EventSink? sink)
    {
        var injected = Injects(s, ErrorSides.Main);
        Emit(sink, EventKind.Exit, Dest, error: injected ? "the main stream broke: the load fails" : "the source failed and reset the main stream: the load fails");
        if (injected) s = s with { Main = MainBits.ErrorUsed.Set(s.Main, true) };
        s = WithAux(s, DestBits.Failed.Set(s.Aux, true));
        RunSocketLoad(ref s, sink);
        return s;
    }

    /// <summary>A socket write may fail because the destination is gone: it shut its connections down (its cleanup's
    /// terminate) or its load is over (a failed migration resets every connection).</summary>
    internal static bool DestinationGone(in ModelState s) => DestBits.Exiting.On(s.Aux) || DestPcOf(s) == DestPc.Done;

    /// <summary>With <see cref="Mutation.RecvSetsReceivedMap"/> (5ef7e26b, 9.1) a recv thread sets <c>rb->receivedmap</c> bits
    /// for a packet's pages before reading them; once <c>qemu_loadvm_state_cleanup</c> freed the map that is a use after
    /// free (§5.9; <c>4ce56229</c> moved the cleanup after the join).</summary>
    public static bool MarksFreedMap(in ModelState s) =>
        Has(s.Ext, Mutation.RecvSetsReceivedMap) && DestBits.MapFreed.On(s.Aux);

    /// <summary><c>multifd_recv_sync_main</c> for sockets (§3.4): one post per channel on the shared <c>sem_sync</c> (each
    /// has read everything before its SYNC packet), then a post on every channel's own <c>sem_sync</c>. Only this thread
    /// takes from the shared one, so taking the N posts at once is the same as one by one.</summary>
    private bool CanSocketRecvWait(ModelState s) => DestPcOf(s) == DestPc.RecvWait && DestBits.Tokens.Get(s.Aux) >= N;

    private ModelState SocketRecvWait(ModelState s, EventSink? sink)
    {
        s = WithAux(s, DestBits.Tokens.Set(s.Aux, DestBits.Tokens.Get(s.Aux) - N));
        s = ReleaseAll(s, sink);
        Emit(sink, EventKind.RecvSyncEnd, Dest);
        RunSocketLoad(ref s, sink);
        return s;
    }

    /// <summary>A post on a recv thread's own <c>sem_sync</c>. A thread parked on it wakes in the same step: its wake-up
    /// touches only its own state, so it commutes with every other thread's step and taking it at once loses no
    /// interleaving (the <see cref="RecvWake"/> step remains for a post that finds the thread not parked yet). Once the
    /// thread has left its loop nobody reads the count.</summary>
    private static ulong Release(ulong w, int ch, EventSink? sink)
    {
        switch ((SocketRecvPhase)SocketRecvBits.Phase.Get(w))
        {
            case SocketRecvPhase.Exited:
                return w;
            case SocketRecvPhase.Parked:
                Emit(sink, EventKind.Wake, Actor.Receiver(ch), ch);
                return SocketRecvBits.Phase.Set(w, (int)SocketRecvPhase.Loop);
            default:
                return SocketRecvBits.SemSync.Inc(w);
        }
    }

    /// <summary>A post on every recv thread's own <c>sem_sync</c> (<see cref="Release"/>): the recv sync's release, 9.0+'s
    /// termination, 8.2's cleanup before its join.</summary>
    private ModelState ReleaseAll(ModelState s, EventSink? sink)
    {
        for (var i = 0; i < N; i++) s = s.WithCh(i, Release(s.Ch(i), i, sink));
        return s;
    }

    /// <summary>The end-of-load step the socket destination is at, if it is at one.</summary>
    private CleanupStep? CurrentSocketCleanup(in ModelState s)
    {
        if (DestPcOf(s) != DestPc.Cleanup) return null;
        var seq = CleanupSequence(DestBits.Failed.On(s.Aux));
        var i = DestBits.Site.Get(s.Aux);
        return i < seq.Length ? seq[i] : null;
    }

    private bool CanSocketCleanup(ModelState s, CleanupStep step)
    {
        if (CurrentSocketCleanup(s) != step) return false;
        if (step != CleanupStep.Join) return true;
        for (var i = 0; i < N; i++)
        {
            if (SocketRecvBits.Phase.Get(s.Ch(i)) != (int)SocketRecvPhase.Exited) return false;
        }
        return true;
    }

    /// <summary>One end-of-load step. The shutdown is <c>multifd_recv_terminate_threads</c>: <c>exiting</c>, every
    /// connection shut down (a thread in a read leaves), and on 9.0+ a post on every channel's own <c>sem_sync</c> (a thread
    /// parked at a SYNC leaves); 8.2 posts nothing there but before its join. The join ends the load; the run ends when the
    /// source is done too.</summary>
    private ModelState SocketCleanup(ModelState s, CleanupStep step, EventSink? sink)
    {
        if (step == CleanupStep.LoadCleanup) s = WithAux(s, DestBits.MapFreed.Set(s.Aux, true));
        if (step == CleanupStep.Shutdown) s = TerminateRecvThreads(s, sink);
        Emit(sink, EventOf(step), Dest);
        var next = DestBits.Site.Get(s.Aux) + 1;
        var a = DestBits.Site.Set(s.Aux, next);
        var sequence = CleanupSequence(DestBits.Failed.On(a));
        if (next < sequence.Length && sequence[next] == CleanupStep.Join && Options.Policy.Errors.RecvTermination == RecvTermination.QuitFlag)
        {
            // 8.2's multifd_load_cleanup posts the sem_sync of every thread still running before it joins them ("may hang at
            // MULTIFD_FLAG_SYNC"): nothing runs on this thread in between, so the posts come with the step before the join.
            s = ReleaseAll(s, sink);
        }
        if (next < sequence.Length) return WithAux(s, a);
        return BothDone(WithAux(s, DestBits.Pc.Set(a, (int)DestPc.Done)));
    }

    /// <summary>The run ends when the source's threads are joined and the destination's load is over.</summary>
    private static ModelState BothDone(in ModelState s)
    {
        if (PcOf(s) != Pc.SourceDone || DestPcOf(s) != DestPc.Done) return s;
        const ulong destFields = ((1UL << DestBits.Width) - 1) << DestBits.Shift;
        var aux = DestBits.Pc.Set(s.Aux & ~destFields, (int)DestPc.Done);
        return s.WithChannels([]) with { Main = MainBits.Pc.Set(s.Main, (int)Pc.Done), Aux = aux };
    }

    // ---- the recv threads (multifd_recv_thread with packets) ----

    private static SocketRecvPhase RecvPhaseOf(in ModelState s, int ch) => (SocketRecvPhase)SocketRecvBits.Phase.Get(s.Ch(ch));

    /// <summary>The oldest packet in channel <paramref name="ch"/>'s connection (0 = none).</summary>
    private static int Head(in ModelState s, int ch) => SocketRecvBits.Head(s.Ch(ch));

    /// <summary>The thread reads a page packet's header (and unfills it): the pages are read next. Not once <c>exiting</c> is
    /// set: the loop's top checks it before the read, and the shutdown cuts a read that waits (the thread leaves).</summary>
    private bool CanSocketReadBegin(ModelState s, int ch) =>
        RecvPhaseOf(s, ch) == SocketRecvPhase.Loop && (SocketRecvBits.IsPage(Head(s, ch)) || SocketRecvBits.IsCutPage(Head(s, ch)))
        && !SkipsPayload(s, Head(s, ch)) && Readable(s, ch) && FirstOfEqual(s, ch);

    /// <summary>The thread can read its next packet: <c>exiting</c> is clear, and no skipped payload is in the way.</summary>
    private static bool Readable(in ModelState s, int ch) => !DestBits.Exiting.On(s.Aux) && !SocketRecvBits.Desync.On(s.Ch(ch));

    /// <summary><c>RecvSkipsSyncPayload</c> (9.2 before <c>b93d897e</c>): a SYNC packet is not unfilled, so the page it carries
    /// is not read.</summary>
    private static bool SkipsPayload(in ModelState s, int code) => SocketRecvBits.IsSyncPage(code) && Has(s.Ext, Mutation.RecvSkipsSyncPayload);

    private static ModelState SocketReadBegin(ModelState s, int ch, EventSink? sink)
    {
        var w = s.Ch(ch);
        Emit(sink, EventKind.ReadBegin, Actor.Receiver(ch), ch, page: SocketRecvBits.PageOf(SocketRecvBits.Head(w)), count: 1);
        return s.WithCh(ch, SocketRecvBits.Phase.Set(w, (int)SocketRecvPhase.Reading));
    }

    /// <summary>The pages are in guest RAM: each holds the copy the packet carried (the newest one, or an older one the
    /// guest has overwritten since the send's snapshot). Not a cut packet's: its pages end short (<see cref="RecvFail"/>).</summary>
    private static bool CanSocketReadEnd(ModelState s, int ch) => RecvPhaseOf(s, ch) == SocketRecvPhase.Reading && !SocketRecvBits.IsCut(Head(s, ch));

    private static ModelState SocketReadEnd(ModelState s, int ch, EventSink? sink)
    {
        var w = s.Ch(ch);
        var code = SocketRecvBits.Head(w);
        var page = SocketRecvBits.PageOf(code);
        var slots = Pages.Get(s, PageFact.SlotCurrent) & ~Bit(page);
        s = Pages.Set(s, PageFact.SlotCurrent, SocketRecvBits.IsCurrent(code) ? slots | Bit(page) : slots);
        Emit(sink, EventKind.ReadEnd, Actor.Receiver(ch), ch, page: page, count: 1);
        // A SYNC packet carrying the page: the thread then posts and parks as at any SYNC (nothing else sees the moment between).
        if (SocketRecvBits.IsSyncPage(code)) return Park(s, ch, SocketRecvBits.Pop(w), sink);
        return s.WithCh(ch, SocketRecvBits.Phase.Set(SocketRecvBits.Pop(w), (int)SocketRecvPhase.Loop));
    }

    private static ModelState Park(ModelState s, int ch, ulong w, EventSink? sink)
    {
        Emit(sink, EventKind.SyncPost, Actor.Receiver(ch), ch);
        s = WithAux(s, DestBits.Tokens.Inc(s.Aux));
        return s.WithCh(ch, SocketRecvBits.Phase.Set(w, (int)SocketRecvPhase.Parked));
    }

    /// <summary>A SYNC packet: post the shared <c>sem_sync</c>, then wait on the channel's own.</summary>
    private bool CanSocketSyncPost(ModelState s, int ch) =>
        RecvPhaseOf(s, ch) == SocketRecvPhase.Loop && (Head(s, ch) == SocketRecvBits.Sync || SkipsPayload(s, Head(s, ch))) && Readable(s, ch)
        && FirstOfEqual(s, ch);

    private static ModelState SocketSyncPost(ModelState s, int ch, EventSink? sink)
    {
        var w = s.Ch(ch);
        // A skipped payload stays in the stream, where the next header read finds it.
        if (SocketRecvBits.IsSyncPage(SocketRecvBits.Head(w))) w = SocketRecvBits.Desync.Set(w, true);
        return Park(s, ch, SocketRecvBits.Pop(w), sink);
    }

    /// <summary>
    /// A recv thread's read fails: after a skipped payload (<see cref="SocketRecvBits.Desync"/>) its next read takes the page's
    /// bytes for a packet header (bad magic); or the run's one injected error (<c>--errors destination</c>) fails a read of a
    /// header or of a packet's pages. <c>multifd_recv_terminate_threads</c>: <c>exiting</c>, every connection shut down, and on
    /// 9.0+ every parked thread released; the destination's main thread is not told (§3.7: a recv sync it is in, or starts
    /// at the next FLUSH, waits for ever). Or the stream ends inside a packet (<c>qio_channel_read_all_eof</c> returns -1,
    /// multifd.c:1478-1481 @9.0): a packet whose write failed part way (<see cref="SocketRecvBits.IsCut"/>), once the source
    /// closed its side: in the header, or in the pages after a whole header; what of the pages arrived is in guest RAM.
    /// </summary>
    private bool CanRecvFail(ModelState s, int ch)
    {
        if (DestBits.Exiting.On(s.Aux) || !FirstOfEqual(s, ch)) return false;
        var phase = RecvPhaseOf(s, ch);
        if (phase == SocketRecvPhase.Loop && SocketRecvBits.Desync.On(s.Ch(ch))) return true;
        if (phase is SocketRecvPhase.Loop or SocketRecvPhase.Reading && SocketRecvBits.IsCut(Head(s, ch)) && ChannelsClosed(s)) return true;
        return phase is SocketRecvPhase.Loop or SocketRecvPhase.Reading && Injects(s, ErrorSides.Destination);
    }

    private ModelState RecvFail(ModelState s, int ch, EventSink? sink)
    {
        var phase = RecvPhaseOf(s, ch);
        var desync = phase == SocketRecvPhase.Loop && SocketRecvBits.Desync.On(s.Ch(ch));
        var head = Head(s, ch);
        var cut = !desync && SocketRecvBits.IsCut(head) && ChannelsClosed(s);
        var error = desync ? "bad packet magic: the stream continues inside a skipped SYNC payload"
            : !cut ? "read failed"
            : phase == SocketRecvPhase.Reading ? "the stream ends inside a packet's pages (its write failed)"
            : "the stream ends inside a packet header (its write failed)";
        Emit(sink, EventKind.Exit, Actor.Receiver(ch), ch, error: error);
        if (!desync && !cut) s = s with { Main = MainBits.ErrorUsed.Set(s.Main, true) };
        // The pages a cut packet's read put in guest RAM are part of a copy: the page holds no whole copy of anything.
        if (cut && phase == SocketRecvPhase.Reading) s = Pages.Set(s, PageFact.SlotCurrent, Pages.Get(s, PageFact.SlotCurrent) & ~Bit(SocketRecvBits.PageOf(head)));
        return TerminateRecvThreads(s.WithCh(ch, Left(s.Ch(ch))), sink);
    }

    /// <summary><c>multifd_recv_terminate_threads</c> (the shutdown's, a failing recv thread's): <c>exiting</c>, every connection
    /// shut down, and on 9.0+ a post on every channel's own <c>sem_sync</c>; 8.2 posts nothing here (its cleanup does, before
    /// the join).</summary>
    private ModelState TerminateRecvThreads(ModelState s, EventSink? sink)
    {
        s = WithAux(s, DestBits.Exiting.Set(s.Aux, true));
        return Options.Policy.Errors.RecvTermination == RecvTermination.KickChannels ? ReleaseAll(s, sink) : s;
    }

    /// <summary>A recv thread's word once it left its loop: nothing posted, queued or skipped is read any more.</summary>
    private static ulong Left(ulong w) =>
        SocketRecvBits.Phase.Set(SocketRecvBits.Cleared(SocketRecvBits.Desync.Set(SocketRecvBits.SemSync.Set(w, 0), false)), (int)SocketRecvPhase.Exited);

    /// <summary>Released (by the recv sync, or by 9.0+'s termination): back to the top of the loop.</summary>
    private bool CanRecvWake(ModelState s, int ch) =>
        RecvPhaseOf(s, ch) == SocketRecvPhase.Parked && SocketRecvBits.SemSync.Get(s.Ch(ch)) > 0 && FirstOfEqual(s, ch);

    private static ModelState RecvWake(ModelState s, int ch, EventSink? sink)
    {
        var w = SocketRecvBits.SemSync.Dec(s.Ch(ch));
        Emit(sink, EventKind.Wake, Actor.Receiver(ch), ch);
        return s.WithCh(ch, SocketRecvBits.Phase.Set(w, (int)SocketRecvPhase.Loop));
    }

    /// <summary>
    /// The thread leaves its loop: at the top with <c>exiting</c> set; or the source closed the connection (its shutdown
    /// shut every channel down) and nothing is left in it: end of stream between two packets (also where a failed write put
    /// nothing in it, <see cref="SocketRecvBits.IsCut"/>; multifd.c:1480 @9.0: EOF leaves the loop without an error); or its
    /// read of a packet's pages is cut short by the destination's shutdown (the pages never land). None is an error.
    /// </summary>
    private bool CanSocketRecvExit(ModelState s, int ch)
    {
        if (!FirstOfEqual(s, ch)) return false;
        var exiting = DestBits.Exiting.On(s.Aux);
        return RecvPhaseOf(s, ch) switch
        {
            SocketRecvPhase.Loop => exiting || (ChannelsClosed(s) && Head(s, ch) is var head && (head == 0 || SocketRecvBits.IsCut(head))),
            SocketRecvPhase.Reading => exiting,
            _ => false,
        };
    }

    private static ModelState SocketRecvExit(ModelState s, int ch, EventSink? sink)
    {
        Emit(sink, EventKind.Exit, Actor.Receiver(ch), ch);
        return s.WithCh(ch, Left(s.Ch(ch)));
    }

    /// <summary>The source's <c>multifd_send_shutdown</c> has shut its channels down (and later closes them).</summary>
    private static bool SourceClosed(in ModelState s) => PcOf(s) is Pc.SourceJoin or Pc.SourceDone;

    /// <summary>The source's multifd channels are shut down: by its shutdown (<see cref="SourceClosed"/>), or on 8.2 by a
    /// failing send thread's own terminate (<see cref="ShutByChannel"/>); a receiver reads what was sent, then the end of
    /// the stream. (The main stream stays open until the source's cleanup closes it.)</summary>
    internal bool ChannelsClosed(in ModelState s) => SourceClosed(s) || ShutByChannel(s);

    // ---- what the send side puts into a connection ----

    /// <summary>A send thread's packet fits in its connection (always, without a destination).</summary>
    private bool Fits(in ModelState s, int ch) => !SocketDestination || SocketRecvBits.Count(s.Ch(ch)) < Options.SocketBuffer;

    /// <summary>Channel <paramref name="ch"/>'s page packet written into its connection: its page, and whether the copy is the
    /// newest (the guest has not overwritten it since the snapshot).</summary>
    private static ulong PutPages(ulong w)
    {
        var job = SendBits.Job(w);
        var current = (SendBits.Stale(w) & job) == 0;
        return SocketRecvBits.Push(w, SocketRecvBits.CarriesSync.On(w) ? SocketRecvBits.SyncPageCode(Lowest(job), current) : SocketRecvBits.PageCode(Lowest(job), current));
    }

    /// <summary>A guest write makes the copies of <paramref name="page"/> in every connection old.</summary>
    private ModelState OldCopies(ModelState s, int page)
    {
        for (var i = 0; i < N; i++) s = s.WithCh(i, SocketRecvBits.Overwritten(s.Ch(i), page));
        return s;
    }

    /// <summary>The socket destination's dead values: the FLUSH index outside the FLUSH records; and on the source, once
    /// its threads are joined, their words.</summary>
    private ModelState ClearSocketDeadValues(ModelState s)
    {
        foreach (var f in (ReadOnlySpan<PageFact>)[PageFact.Data, PageFact.FileBit, PageFact.Free, PageFact.DataUnknown, PageFact.FileUnknown])
            s = Pages.Set(s, f, 0);
        if (DestBits.Item.Get(s.Aux) != (int)DestItem.Flush) s = WithAux(s, DestBits.FlushIdx.Set(s.Aux, 0));
        if (PcOf(s) == Pc.SourceDone)
        {
            const ulong recvPart = ~((1UL << 42) - 1);
            for (var i = 0; i < N; i++) s = s.WithCh(i, s.Ch(i) & recvPart);
        }
        return s;
    }
}
