using SyncModel.Model.Checking.Engine;
using SyncModel.Model.Machine;
using SyncModel.Model.State;

namespace SyncModel.Model.Checking;

/// <summary>
/// The stubborn-set oracle of the model machine (<see cref="IStubbornOracle{TState}"/>). Its shape: the main thread of the
/// running side is always stubborn (every group of its current location, <see cref="StepTable.AtLocation"/>), so no
/// main step can occur in a non-stubborn sequence: no job, sem post, sync request, bitmap sync or <c>exiting</c> from
/// the main thread can interleave with a channel step the set leaves out. What remains to close over is what channel
/// threads and the guest do to each other: the jobs' pages (a guest write and the channel holding that page), a failing
/// channel (<c>exiting</c>, the error flag, every wake-up), and the guest's shared write counter. Every rule is written
/// against the effects in <c>ModelMachine.*.cs</c>; <c>Model/README.md</c> ("Partial-order reduction") gives the argument
/// per step, and the tests run every small configuration with the reduction on and off.
/// <para>The properties need nothing beyond the main thread: every violation needs a main step first (a job, a bitmap
/// write, a cleanup step, the join), except ErrorSurfaces at VmStart (a recv read may still fail) and NoStalePage at the
/// join (the channels must exit), whose enabling steps are added.</para>
/// </summary>
internal readonly struct ModelPartialOrder : IStubbornOracle<ModelState>
{
    private readonly StepTable _t;
    private readonly int _n;
    private readonly bool _destinationErrors;
    private readonly bool _skipsTokens;
    private readonly bool _recvWakesSync;
    private readonly bool _socketDestination;
    private readonly bool _carries;
    private readonly bool _recvMayFail;
    private readonly bool _destErrors;
    private readonly bool _sourceErrors;

    public ModelPartialOrder(ModelSearch search)
    {
        _t = new StepTable(search);
        _n = search.Machine.N;
        _destinationErrors = (search.Machine.Options.Errors & Protocol.Config.ErrorSides.Destination) != 0;
        _skipsTokens = (search.Machine.Options.Mutations & Protocol.Config.Mutation.SyncSkipsChannelsReady) != 0;
        _recvWakesSync = search.Machine.RecvWakesSync;
        _socketDestination = search.Machine.SocketDestination;
        _carries = (search.Machine.Options.Mutations & Protocol.Config.Mutation.SyncCarriesPages) != 0;
        _destErrors = (search.Machine.Options.Errors & Protocol.Config.ErrorSides.Destination) != 0;
        _sourceErrors = (search.Machine.Options.Errors & Protocol.Config.ErrorSides.Source) != 0;
        // A recv channel fails on a skipped payload, by the injected read error, or on a packet its failed write cut.
        _recvMayFail = (search.Machine.Options.Mutations & Protocol.Config.Mutation.RecvSkipsSyncPayload) != 0 || _destErrors || (_socketDestination && _sourceErrors);
    }

    public void Base(in ModelState s, ref GroupSet set)
    {
        var pc = (Pc)MainBits.Pc.Get(s.Main);
        set.UnionWith(_t.AtLocation(s));
        if (_socketDestination)
        {
            // Both main threads are always stubborn. At the end-of-load steps a recv step can make the next one a violation
            // (a read begun: DrainBeforeCleanup; an old copy landing: NoStalePage at VmStart; a SYNC post no sync collects:
            // SemaphoreAccounting at the shutdown), so the recv threads are stubborn there too.
            set.UnionWith(_t.DestAtLocation(s));
            if ((DestPc)DestBits.Pc.Get(s.Aux) == DestPc.Cleanup) set.UnionWith(_t.RecvAll);
            return;
        }
        // ErrorSurfaces: at VmStart a recv read can still fail and make the start a violation.
        if (_destinationErrors && pc == Pc.Cleanup && !MainBits.ErrorUsed.On(s.Main) && CurrentCleanupIs(s, CleanupStep.VmStart))
            set.UnionWith(_t.ReadFailAll);
    }

    public void Conflicts(in ModelState s, int group, ref GroupSet set)
    {
        var ch = _t.Channel[group];
        if (_socketDestination && SocketConflicts(s, group, ref set)) return;
        switch (_t.Kind[group])
        {
            case StepKind.Dispatch:
                set.UnionWith(_t.SendThread[ch]);
                set.UnionWith(_t.WriteFailAll);
                break;
            case StepKind.SyncRequest:
                // Its posts and pending_sync commute with a send (sem counts up and down); no sync ack can run before
                // it (a channel's sem holds no sync post, and only this thread posts); a failure makes it impossible. With
                // SyncCarriesPages a send's preparation reads pending_sync (it carries the SYNC or not), and an owed wake-up
                // waits while a request is pending: every wake-up.
                set.UnionWith(_t.WriteFailAll);
                if (_carries) set.UnionWith(_t.SendWakeAll);
                // 8.2's first loop fails at a channel that quit: the migration fails (the guest stops with it).
                if (_t.Machine.QuitOrderMatters) set.UnionWith(_t.GuestAll);
                break;
            case StepKind.Terminate:
                set.UnionWith(_t.SendWakeAll);
                set.UnionWith(_t.WriteFailAll);
                set.UnionWith(_t.GuestAll);
                break;
            case StepKind.SyncWait:
                set.UnionWith(_t.WriteFailAll);
                break;
            case StepKind.BitmapSync:
                set.UnionWith(_t.GuestAll);
                set.UnionWith(_t.WriteFailAll);
                break;
            case StepKind.FileBitmapWrite:
                set.UnionWith(_t.WriteBeginAll);
                break;
            case StepKind.SourceJoin:
            case StepKind.DestJoin:
                set.UnionWith(_t.All);
                break;
            case StepKind.RecvQueue:
            case StepKind.OneShotKick:
                set.UnionWith(_t.RecvThread[ch]);
                set.UnionWith(_t.ReadFailAll);
                break;
            case StepKind.RecvKick:
            case StepKind.Shutdown:
                set.UnionWith(_t.RecvWakeAll);
                set.UnionWith(_t.ReadFailAll);
                break;
            case StepKind.WriteBegin:
                PageConflicts(s, ch, SendBits.Job(s.Ch(ch)), ref set);
                set.UnionWith(_t.WriteFailAll);
                break;
            case StepKind.WriteEnd:
                // A guest write to a page the write lands commutes with the landing: either way the slot ends not
                // current (the write clears it; a landing after the write lands stale data) and the job is gone. Only
                // another channel landing the same page does not.
                HoldersOf(s, SendBits.Data(s.Ch(ch)), ch, ref set);
                set.UnionWith(_t.Only(StepKind.WriteFail, ch));
                break;
            case StepKind.SyncAck:
                set.UnionWith(_t.WriteFailAll);
                break;
            case StepKind.Connect:
                // A creation's success and failure are alternatives; the thread it starts commutes with every other step
                // but the main thread's (the join, the channels_created wait: always stubborn).
                set.UnionWith(_t.Only(StepKind.ConnectFail, ch));
                break;
            case StepKind.Open:
                // The first write's success and failure are alternatives; its token commutes (only the main thread takes one).
                set.UnionWith(_t.Only(StepKind.OpenFail, ch));
                break;
            case StepKind.WriteFail:
            case StepKind.ConnectFail:
            case StepKind.OpenFail:
            case StepKind.SyncFail:
                // A failure: exiting (every wake-up, the guest), the one error (every failure); and its own thread's
                // alternatives (the write landing, the creation's other outcomes, the sync ack the SYNC write would have been).
                set.UnionWith(_t.SendThread[ch]);
                set.UnionWith(_t.WriteFailAll);
                set.UnionWith(_t.SendWakeAll);
                set.UnionWith(_t.GuestAll);
                break;
            case StepKind.RecvWait when _recvWakesSync:
                // With the recv-side fix the sync's end reads exiting, which a failing read sets. (The two are never both
                // enabled: a channel that answered the sync is idle, and a read can fail only while one is busy.)
                set.UnionWith(_t.ReadFailAll);
                break;
            case StepKind.GuestWrite:
                // The other value for the same page does not commute. Writes to other pages do, and the shared write
                // counter only ever grows between bitmap syncs (the main thread's), so a write that is enabled after
                // other writes was enabled before them: no need to take every page's writes along. Of the channels
                // holding the page only one still to prepare it reads its content; a landing commutes (see WriteEnd).
                set.UnionWith(_t.GuestPage[_t.Page[group]]);
                set.UnionWith(_t.WriteFailAll);
                HoldersOf(s, 1 << _t.Page[group], -1, ref set, preparingOnly: true);
                break;
            case StepKind.ReadBegin:
            case StepKind.SyncPost:
                set.UnionWith(_t.ReadFailAll);
                break;
            case StepKind.ReadEnd:
                set.UnionWith(_t.Only(StepKind.ReadFail, ch));
                break;
            case StepKind.ReadFail:
                set.UnionWith(_t.RecvAll);
                break;
            default:
                // ChannelCreate (before it no other thread exists), ChannelsCreated (it moves only the main thread), SyncDone, QueueFail, RecvWait, OneShotWait, LoadCleanup, VmStart, SendExit, RecvExit: only the
                // main thread (always stubborn) touches what they read or write, or their updates commute (counts; the
                // send-side fix's posts at an exit are such counts, taken only by the main thread).
                break;
        }
    }

    public int EnablingSets(in ModelState s, int group, Span<GroupSet> candidates)
    {
        var ch = _t.Channel[group];
        if (_socketDestination && SocketEnablers(s, group, candidates) is var k0 and >= 0) return k0;
        var exiting = MainBits.Exiting.On(s.Main);
        switch (_t.Kind[group])
        {
            case StepKind.Dispatch:
                if (exiting) return 0;
                var n = 0;
                if (MainBits.Tokens.Get(s.Main) == 0) candidates[n++] = _t.TokenProducers;
                if (SendBits.Job(s.Ch(ch)) != 0) candidates[n++] = _t.Only(StepKind.WriteEnd, ch);
                return n;
            case StepKind.SyncDone:
                var w = SendBits.Turn.Get(s.Ch(ch)) != (int)SyncTurn.Waiting;
                if (w) return 0;
                var k = 0;
                if (SendBits.SemSync.Get(s.Ch(ch)) == 0) candidates[k++] = _t.SemSyncProducers[ch];
                if (MainBits.Tokens.Get(s.Main) == 0 && !_skipsTokens) candidates[k++] = _t.TokenProducers;
                return k;
            case StepKind.Terminate:
                if (exiting) return 0;
                // A send failure sets exiting; with the socket destination the destination's going fails the main stream: its
                // main thread (always stubborn) or a failing recv channel (RecvSkipsSyncPayload, --errors destination).
                candidates[0] = _recvMayFail ? PeerGoers(_t.WriteFailAll) : _t.WriteFailAll;
                return 1;
            case StepKind.SourceJoin:
                return ExitOfSomeChannel(s, source: true, candidates);
            case StepKind.DestJoin:
                return ExitOfSomeChannel(s, source: false, candidates);
            case StepKind.RecvQueue:
                if (exiting) return 0;
                candidates[0] = _t.Only(StepKind.ReadEnd, ch);
                return 1;
            case StepKind.RecvWait:
                // The shared sem_sync's posts: every sync post, and with the recv-side fix the failing read's.
                candidates[0] = _t.SyncPostAll;
                return 1;
            case StepKind.OneShotWait:
                if (RecvBits.Turn.Get(s.Ch(ch)) != (int)SyncTurn.Waiting) return 0;
                candidates[0] = _t.Only(StepKind.SyncPost, ch, StepKind.RecvExit, StepKind.ReadFail);
                return 1;
            case StepKind.GuestWrite:
                // Only a bitmap sync (the main thread, always stubborn) resets the interval count; nothing un-sets
                // exiting, un-fails a save, restarts a stopped guest or refunds the total budget.
                return 0;
            case StepKind.WriteBegin when _t.Machine.WriteBeginArg(_t.Arg[group]).Data:
                // The guest abstraction's choice of data for an undecided page: the page must be undecided, which only a
                // guest write to it makes it; or any other false conjunct of the send.
                var n2 = ChannelEnablers(s, group, candidates);
                var job = SendBits.Job(s.Ch(ch));
                if (job != 0 && (job & Pages.Get(s, PageFact.DataUnknown)) == 0 && n2 < candidates.Length)
                {
                    candidates[n2] = default;
                    for (var p = 0; p < _t.Pages; p++)
                    {
                        if ((job >> p & 1) != 0) candidates[n2].UnionWith(_t.GuestPage[p]);
                    }
                    n2++;
                }
                return n2;
            case StepKind.QueueFail:
                if (exiting) return 0;
                candidates[0] = _t.ReadFailAll;
                return 1;
            case StepKind.Open or StepKind.OpenFail:
                // A channel still connecting must be created first (its own Connect). A started thread's first write fails
                // only with the one error unused or once any failure made the peer go (or the shutdown, main: always
                // stubborn); it always may succeed.
                if (!SendBits.Creating.On(s.Ch(ch)) || MainBits.Pc.Get(s.Main) >= (int)Pc.RecvQueue) return 0;
                if (SendBits.Connecting(s.Ch(ch)))
                {
                    candidates[0] = _t.SendThread[ch];
                    return 1;
                }
                if (_t.Kind[group] == StepKind.Open) return 0;
                candidates[0] = PeerGoers(_t.WriteFailAll);
                return 1;
            case StepKind.Connect or StepKind.ConnectFail:
                // Enabled while the channel is connecting (and, to fail, while the one error is unused): once disabled, for good.
                return 0;
            case StepKind.ChannelsCreated:
                // The wait needs every creation finished: any one still connecting must complete first.
                return MainBits.Pc.Get(s.Main) == (int)Pc.Create ? Connecting(s, candidates) : 0;
            case StepKind.ChannelCreate or StepKind.SyncRequest or StepKind.SyncWait or StepKind.BitmapSync or StepKind.FileBitmapWrite or StepKind.RecvKick
                or StepKind.OneShotKick or StepKind.LoadCleanup or StepKind.Shutdown or StepKind.VmStart:
                // Guards on the main thread's own state (and exiting, which stays set once set): only the main thread,
                // always stubborn, can enable them.
                return 0;
            default:
                return ChannelEnablers(s, group, candidates);
        }
    }

    /// <summary>
    /// A disabled channel step, one candidate per false conjunct of its guard: its own thread (a busy channel must finish,
    /// an idle one must start), a failing channel (it sets <c>exiting</c> and, at the destination, posts every sem), or
    /// nothing beyond the main thread (a post or a job only the main thread makes; it is always stubborn). A conjunct
    /// that can never turn (the thread left its loop, <c>exiting</c> was set, the one error was used) needs no set.
    /// </summary>
    private int ChannelEnablers(in ModelState s, int group, Span<GroupSet> candidates)
    {
        var ch = _t.Channel[group];
        var kind = _t.Kind[group];
        var w = s.Ch(ch);
        var source = _t.IsSend(group);
        var inSource = MainBits.Pc.Get(s.Main) < (int)Pc.RecvQueue;
        // A send step at the destination never runs again; a recv step during the save waits for the join (main).
        if (source != inSource) return 0;
        var phase = (ChannelPhase)(source ? SendBits.Phase.Get(w) : RecvBits.Phase.Get(w));
        if (phase >= ChannelPhase.Exited) return 0;
        var exiting = MainBits.Exiting.On(s.Main);
        var own = source ? _t.SendThread[ch] : _t.RecvThread[ch];
        var fails = source ? _t.WriteFailAll : _t.ReadFailAll;
        if (kind is StepKind.WriteEnd or StepKind.ReadEnd or StepKind.WriteFail or StepKind.ReadFail)
        {
            var socketWrite = kind == StepKind.WriteFail && _t.Machine.Socket;
            if (kind is StepKind.WriteFail or StepKind.ReadFail && MainBits.ErrorUsed.On(s.Main) && !socketWrite) return 0;
            // (A socket thread still writing its initial packet is busy too, but not with a job: its own steps come first.)
            if (phase != ChannelPhase.Busy || (source && SendBits.Creating.On(w)))
            {
                candidates[0] = own;
                return 1;
            }
            // Busy and still failing to fail: on a socket any failure lets the write fail (the peer may be gone), as does
            // the shutdown (main); elsewhere only the one error could, and it is used.
            if (socketWrite)
            {
                candidates[0] = PeerGoers(fails);
                return 1;
            }
            return 0;
        }
        // A wake-up: idle, a post on sem, and exiting clear (or set, for an exit), and a job (or none).
        var wantsExiting = kind is StepKind.SendExit or StepKind.RecvExit;
        if (!wantsExiting && exiting) return 0;
        var n = 0;
        if (phase == ChannelPhase.Busy) candidates[n++] = own;
        // A socket channel still connecting has no thread: its creation (one of its own steps) must complete.
        if (source && SendBits.Creating.On(w)) candidates[n++] = own;
        var sem = source ? SendBits.Sem.Get(w) : RecvBits.Sem.Get(w);
        // At the destination a failing channel posts every sem; at the source the main thread, and on 8.2 a failing channel
        // (its own terminate).
        if (sem == 0) candidates[n++] = source && !_t.Machine.TerminatesFromChannel ? default : fails;
        if (wantsExiting && !exiting) candidates[n++] = fails;
        var hasJob = source ? SendBits.Job(w) != 0 : RecvBits.PendingJob.On(w);
        var wantsJob = kind is StepKind.WriteBegin or StepKind.ReadBegin;
        if (!wantsExiting && hasJob != wantsJob) candidates[n++] = wantsJob ? default : own;
        // A SYNC write fails by the one error, or once the peer may be gone: with the destination in the model, a recv channel's
        // failure can make it so (or a main thread's); without it, any failure of the source's (or its shutdown, main).
        if (kind == StepKind.SyncFail && _socketDestination && !DestBits.Exiting.On(s.Aux)) candidates[n++] = PeerGoers(default);
        if (kind == StepKind.SyncFail && !_socketDestination && !MainBits.ErrorUsed.On(s.Main) && !_sourceErrors) candidates[n++] = _t.WriteFailAll;
        // SyncCarriesPages: the owed wake-up is owed by the thread's own carrying write; a sync ack or failure waits until it
        // is taken (its own step).
        var owedFirst = ModelMachine.OwedWakeFirst(w);
        if (source && (kind is StepKind.SyncAck or StepKind.SyncFail) && owedFirst) candidates[n++] = own;
        if (kind == StepKind.SendWake && !owedFirst) candidates[n++] = own;
        return n;
    }

    private int ExitOfSomeChannel(in ModelState s, bool source, Span<GroupSet> candidates)
    {
        var n = 0;
        for (var i = 0; i < _n && n < candidates.Length; i++)
        {
            var phase = source ? SendBits.Phase.Get(s.Ch(i)) : RecvBits.Phase.Get(s.Ch(i));
            // A socket channel still connecting has no thread to join.
            if (source && SendBits.Connecting(s.Ch(i))) continue;
            if (phase < (int)ChannelPhase.Exited) candidates[n++] = source ? _t.SendThread[i] : _t.RecvThread[i];
        }
        return n;
    }

    private int Connecting(in ModelState s, Span<GroupSet> candidates)
    {
        var n = 0;
        for (var i = 0; i < _n && n < candidates.Length; i++)
        {
            if (SendBits.Connecting(s.Ch(i))) candidates[n++] = _t.Only(StepKind.Connect, i, StepKind.ConnectFail);
        }
        return n;
    }

    /// <summary>A channel step on <paramref name="pages"/>: the guest writes to them and any other channel holding one.</summary>
    private void PageConflicts(in ModelState s, int ch, int pages, ref GroupSet set)
    {
        for (var p = 0; p < _t.Pages; p++)
        {
            if ((pages >> p & 1) != 0) set.UnionWith(_t.GuestPage[p]);
        }
        HoldersOf(s, pages, ch, ref set);
    }

    private void HoldersOf(in ModelState s, int pages, int except, ref GroupSet set, bool preparingOnly = false)
    {
        if (pages == 0 || (MainBits.Pc.Get(s.Main) >= (int)Pc.RecvQueue)) return;
        for (var d = 0; d < _n; d++)
        {
            var w = s.Ch(d);
            if (d == except || (SendBits.Job(w) & pages) == 0) continue;
            if (preparingOnly && SendBits.Phase.Get(w) != (int)ChannelPhase.Idle) continue;
            set.UnionWith(_t.SendThread[d]);
        }
    }

    /// <summary>
    /// The socket destination's conflicts (<see cref="ModelMachine.SocketDestination"/>); false for a step whose rules are
    /// the ones above. A connection is written by its send thread and read by its recv thread: a packet put in it, and a
    /// recv thread leaving (which drops what is in it), do not commute. A landing writes the destination's pages: another
    /// channel landing one of them does not commute with it (the last copy wins); a guest write does (the page ends old
    /// either way). A SYNC post and a release are counts only the destination's main thread (always stubborn) takes.
    /// </summary>
    private bool SocketConflicts(in ModelState s, int group, ref GroupSet set)
    {
        var ch = _t.Channel[group];
        switch (_t.Kind[group])
        {
            case StepKind.ReadBegin or StepKind.RecvWake:
                set.UnionWith(_t.RecvThread[ch]);
                return true;
            case StepKind.SyncPost:
                set.UnionWith(_t.RecvThread[ch]);
                // It takes a packet out of the connection: whether a failing write there still finds room for its cut packet.
                set.UnionWith(_t.Only(StepKind.WriteFail, ch, StepKind.SyncFail));
                return true;
            case StepKind.RecvExit:
                set.UnionWith(_t.RecvThread[ch]);
                set.UnionWith(_t.SendThread[ch]);
                return true;
            case StepKind.ReadFail:
                // It drops what is in the connection (as a leaving thread does) and terminates every recv thread.
                set.UnionWith(_t.RecvAll);
                set.UnionWith(_t.SendThread[ch]);
                return true;
            case StepKind.ReadEnd:
                set.UnionWith(_t.RecvThread[ch]);
                set.UnionWith(_t.Only(StepKind.WriteFail, ch, StepKind.SyncFail));
                var page = 1 << SocketRecvBits.PageOf(SocketRecvBits.Head(s.Ch(ch)));
                for (var d = 0; d < _n; d++)
                {
                    if (d != ch && (SocketRecvBits.PagesIn(s.Ch(d)) & page) != 0) set.UnionWith(_t.RecvThread[d]);
                }
                return true;
            case StepKind.WriteFail or StepKind.SyncFail when !ModelMachine.DestinationGone(s):
                // A failing write puts what of its packet went out in the connection (SocketRecvBits.IsCut): as a packet put there.
                set.UnionWith(_t.RecvThread[ch]);
                return false;
            case StepKind.WriteEnd or StepKind.SyncAck:
                // A packet put in the connection: the recv thread's leaving drops it, so the two do not commute; it can leave
                // only once the destination is exiting or the source closed its side (main threads', always stubborn), or
                // by failing: on a skipped payload, or by the run's injected read error (its own).
                if (DestBits.Exiting.On(s.Aux) || _t.Machine.ChannelsClosed(s) || SocketRecvBits.Desync.On(s.Ch(ch))
                    || (_destErrors && !MainBits.ErrorUsed.On(s.Main)))
                    set.UnionWith(_t.RecvThread[ch]);
                return false;
            default:
                return false;
        }
    }

    /// <summary>The socket destination's enabling sets, or -1 for a step whose rules are the ones above. A recv step waits
    /// for its connection (its send thread) or its own thread, or for a main thread (always stubborn); a send thread's
    /// packet that does not fit waits for its recv thread.</summary>
    private int SocketEnablers(in ModelState s, int group, Span<GroupSet> candidates)
    {
        var ch = _t.Channel[group];
        // A step of the destination's main thread away from its location: only that thread's own step (stubborn) moves it.
        if (_t.DestMain.Contains(group) && !_t.DestAtLocation(s).Contains(group)) return 0;
        var w = ch >= 0 ? s.Ch(ch) : 0;
        var phase = (SocketRecvPhase)SocketRecvBits.Phase.Get(w);
        var head = SocketRecvBits.Head(w);
        switch (_t.Kind[group])
        {
            case StepKind.ReadBegin or StepKind.SyncPost:
                // At the loop's top with the right packet first: the thread must get there (its own steps), or the packet
                // must be written (its sender; an empty connection), or the packet before it read (its own steps).
                if (phase == SocketRecvPhase.Exited || DestBits.Exiting.On(s.Aux)) return 0;
                candidates[0] = phase == SocketRecvPhase.Loop && head == 0 ? _t.SendThread[ch] : _t.RecvThread[ch];
                return 1;
            case StepKind.ReadEnd:
                if (phase == SocketRecvPhase.Exited) return 0;
                candidates[0] = _t.RecvThread[ch];
                return 1;
            case StepKind.ReadFail:
                // A read after a skipped payload, or the injected error's: the thread at its loop's top or in a read (its own
                // steps, or a main thread's release of a parked one: always stubborn). A packet cut by its failed write: its
                // sender puts it (and the source's close, main: always stubborn, ends the stream).
                if (phase == SocketRecvPhase.Exited || DestBits.Exiting.On(s.Aux)) return 0;
                candidates[0] = _t.RecvThread[ch];
                if (_sourceErrors) candidates[0].UnionWith(_t.SendThread[ch]);
                // 8.2: a failing send thread's own terminate closes every connection.
                if (_sourceErrors && _t.Machine.TerminatesFromChannel) candidates[0].UnionWith(_t.WriteFailAll);
                return 1;
            case StepKind.RecvWake:
                // Parked (its own SYNC post) and released (a main thread's post: always stubborn).
                if (phase == SocketRecvPhase.Exited) return 0;
                if (phase != SocketRecvPhase.Parked) candidates[0] = _t.RecvThread[ch];
                else candidates[0] = default;
                return 1;
            case StepKind.RecvExit:
                // exiting or the source's close come from main threads; a thread elsewhere than at its loop's top (or in a
                // read, with exiting), or a packet left in a closed connection, needs its own steps.
                if (phase == SocketRecvPhase.Exited) return 0;
                candidates[0] = phase is SocketRecvPhase.Loop or SocketRecvPhase.Reading && (head == 0 || SocketRecvBits.IsCut(head)) ? default : _t.RecvThread[ch];
                // exiting also comes from a failing recv channel; on 8.2 a failing send channel closes every connection.
                if (_recvMayFail && !DestBits.Exiting.On(s.Aux)) candidates[0].UnionWith(_t.ReadFailAll);
                if (_t.Machine.TerminatesFromChannel) candidates[0].UnionWith(_t.WriteFailAll);
                return 1;
            case StepKind.RecvWait when (DestPc)DestBits.Pc.Get(s.Aux) == DestPc.RecvWait:
                // The posts still missing come from a channel's SYNC post: one that is running, or parked with a release
                // already posted (it can wake and reach its next SYNC by itself); a parked one waits for a main thread.
                candidates[0] = default;
                for (var i = 0; i < _n; i++)
                {
                    var c = s.Ch(i);
                    var p = (SocketRecvPhase)SocketRecvBits.Phase.Get(c);
                    if (p == SocketRecvPhase.Exited || (p == SocketRecvPhase.Parked && SocketRecvBits.SemSync.Get(c) == 0)) continue;
                    candidates[0].UnionWith(_t.Only(StepKind.SyncPost, i, StepKind.ReadEnd));
                }
                return 1;
            case StepKind.WriteEnd or StepKind.SyncAck when SocketRecvBits.Count(s.Ch(ch)) >= _t.Machine.Options.SocketBuffer:
                candidates[0] = _t.RecvThread[ch];
                return 1;
            case StepKind.DestJoin:
                var n = 0;
                for (var i = 0; i < _n && n < candidates.Length; i++)
                {
                    if (SocketRecvBits.Phase.Get(s.Ch(i)) != (int)SocketRecvPhase.Exited) candidates[n++] = _t.RecvThread[i];
                }
                return n;
            case StepKind.SeeFlag or StepKind.MainFail or StepKind.LoadCleanup or StepKind.Shutdown or StepKind.VmStart:
                // Guards on the main threads' state only.
                return 0;
            default:
                return -1;
        }
    }

    /// <summary><paramref name="set"/> and, with a socket's destination in the model, the recv channels' failures: a socket
    /// write fails once the destination is gone, which its main thread (always stubborn) or a failing recv channel brings about.</summary>
    private GroupSet PeerGoers(GroupSet set)
    {
        if (_socketDestination) set.UnionWith(_t.ReadFailAll);
        return set;
    }

    private bool CurrentCleanupIs(in ModelState s, CleanupStep step) => _t.Machine.CurrentCleanup(s) == step;
}
