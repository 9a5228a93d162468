using SyncModel.Model.Machine;
using SyncModel.Model.State;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;

namespace SyncModel.Model.Conformance;

/// <summary>
/// Drives a <see cref="ModelMachine"/> (symmetry off, so channel numbers are the trace's) with a trace, keeping every
/// model run the trace prefix is consistent with (<see cref="Candidate"/>s): the abstraction leaves page contents open
/// and a step stands for several events, so more than one run can fit a prefix. An event is taken when some candidate
/// can take it: by an event its thread still owes, by the step its thread chose when it woke, or by a new model step
/// whose first Implementation event it is. Model steps that stand for no Implementation event (the silent ones) are
/// taken between events wherever enabled.
/// </summary>
internal sealed class ConformanceReplay
{
    /// <summary>A wake-up's choice: the action index above this shift, then a flag, then the argument (4 bits).</summary>
    public const int WokenShift = 5;

    /// <summary>With <c>SyncCarriesPages</c>: the channel's sync request was posted when the thread woke (its job's packet
    /// must carry the SYNC; without the flag a request that came after the wake-up may or may not be seen).</summary>
    private const int PendingAtWake = 1 << 4;

    public static int ActionOf(int choice) => choice >> WokenShift;

    public static int ArgOf(int choice) => choice & (PendingAtWake - 1);

    private static readonly string[] WakeSteps =
        [ModelMachine.Names.WriteBegin, ModelMachine.Names.SyncAck, ModelMachine.Names.SyncFail, ModelMachine.Names.ReadBegin, ModelMachine.Names.SyncPost];

    /// <summary>Steps that begin with an <c>exiting</c> check the thread makes some time before it acts (docs/protocol.md
    /// §2.2 dispatch, §2.4 both sync loops, the migration thread between iterate calls, §3.3 <c>multifd_recv</c>).</summary>
    private static readonly string[] CheckThenAct =
        [ModelMachine.Names.Dispatch, ModelMachine.Names.SyncRequest, ModelMachine.Names.SyncWait, ModelMachine.Names.BitmapSync, ModelMachine.Names.RecvQueue];

    /// <summary>A socket recv thread checks <c>exiting</c> at the top of its loop, then reads a packet, which may already be in
    /// its connection: the packet's header read (<c>recv.ReadBegin</c>) or its SYNC post (<c>recv.SyncPost</c>) may follow the
    /// destination's <c>exiting</c> (multifd.c:1472-1480 @9.0: the check, then <c>qio_channel_read_all_eof</c>). The model
    /// takes the step before the flag: its effect touches the thread's own state and the shared <c>sem_sync</c> count, and
    /// the termination's post finds the thread parked (it wakes) or running (its own <c>sem_sync</c> counts one, taken when
    /// it parks): it leaves the same way.</summary>
    private static readonly string[] SocketRecvCheckThenAct = [ModelMachine.Names.ReadBegin, ModelMachine.Names.SyncPost];

    /// <summary>Steps that may stand for no Implementation event; one that owes events is not taken silently
    /// (<see cref="Closure"/>). The recv sync's end is silent when, with the recv-side fix, it fails the load (the
    /// Implementation throws from <c>multifd_recv_sync_main</c>); the channels' creation when every one succeeds (only the
    /// threads' starts show it, and they are no model step); a socket channel's creation (its thread announces its start
    /// at its first write, <c>send.Open</c>); a socket destination's read of the stream's EOF (<c>dest.SeeFlag</c> as a step of
    /// its own where the read may fail); a send thread's wake-up owed to a SYNC that rode on a job (<c>send.Wake</c>).</summary>
    private static readonly string[] SilentSteps =
    [
        ModelMachine.Names.ChannelCreate, ModelMachine.Names.Connect, ModelMachine.Names.SourceJoin, ModelMachine.Names.OneShotKick, ModelMachine.Names.OneShotWait, ModelMachine.Names.Shutdown,
        ModelMachine.Names.QueueFail, ModelMachine.Names.RecvSyncEnd, ModelMachine.Names.SendWake, ModelMachine.Names.SeeFlag,
    ];

    /// <summary>Steps whose effect others may see before their thread announces it; taken silently, owing that thread's own
    /// events. A channel's IO failure: its thread sets <c>exiting</c> (and kicks or wakes the others) before it announces
    /// its Exit. A socket channel's failed connect: it sets the error (and posts <c>channels_created</c>) before its
    /// CreateFail. The socket destination's main stream breaking: the load fails before its main thread announces
    /// anything.</summary>
    private static readonly string[] FailSteps =
        [ModelMachine.Names.WriteFail, ModelMachine.Names.ReadFail, ModelMachine.Names.ConnectFail, ModelMachine.Names.MainFail];

    /// <summary>With the socket destination, a packet is in its connection while its send thread writes it: the recv thread
    /// may read a page packet (<c>send.WriteEnd</c>) or a SYNC packet (<c>send.SyncAck</c>) before the sender announces the
    /// write's end. These steps may be taken silently too, owing their thread's events (a SYNC write once its thread has
    /// announced its wake-up, <see cref="EarlyCommits"/>).</summary>
    private static readonly string[] SocketWriteSteps = [ModelMachine.Names.WriteEnd];

    private readonly ModelMachine _m;
    private readonly TraceShape _shape;
    private readonly EventSink _sink;
    private readonly TraceIds _ids;
    private readonly int[][] _bySlotKind;
    private readonly int[] _wake;
    private readonly int[] _silent;
    private readonly bool[] _checkThenAct;
    private readonly bool[] _recvCheckThenAct;
    private readonly bool[] _fail;
    private readonly int _syncAck;
    private readonly int _syncFail;
    private readonly int _writeBegin;
    private readonly int[] _actingBase;

    private readonly PageContents? _contents;

    public ConformanceReplay(ModelCheckOptions options, TraceShape shape, PageContents? contents = null)
    {
        _contents = contents;
        _m = new ModelMachine(options with { Symmetry = false }, guestWriteLimit: int.MaxValue);
        _shape = shape;
        _sink = new EventSink(_m.P);
        _ids = new TraceIds(packets: _m.SocketDestination);
        var names = _m.Actions.Select(a => a.Name).ToArray();
        var socketDest = _m.SocketDestination;
        int[] Where(Func<string, bool> f) => [.. Enumerable.Range(0, names.Length).Where(i => f(names[i]))];
        _bySlotKind =
        [
            Where(n => n.StartsWith("main.", StringComparison.Ordinal)),
            Where(n => n.StartsWith("guest.", StringComparison.Ordinal)),
            Where(n => n.StartsWith("dest.", StringComparison.Ordinal) || n == ModelMachine.Names.SourceJoin),
            Where(n => n.StartsWith("send.", StringComparison.Ordinal)),
            // a socket recv thread's Wake may be the first event of the destination's step that released it
            Where(n => n.StartsWith("recv.", StringComparison.Ordinal) || (socketDest && n.StartsWith("dest.", StringComparison.Ordinal))),
        ];
        bool Early(string n) => FailSteps.Contains(n) || (socketDest && SocketWriteSteps.Contains(n));
        // A socket recv thread waits on no semaphore per packet: its Wake (after a SYNC) is an event of its own.
        _wake = Where(n => WakeSteps.Contains(n) && !(socketDest && n.StartsWith("recv.", StringComparison.Ordinal)));
        _silent = Where(n => SilentSteps.Contains(n) || Early(n));
        _fail = [.. names.Select(Early)];
        _syncAck = Array.IndexOf(names, ModelMachine.Names.SyncAck);
        _syncFail = Array.IndexOf(names, ModelMachine.Names.SyncFail);
        _writeBegin = Array.IndexOf(names, ModelMachine.Names.WriteBegin);
        _checkThenAct = [.. names.Select(CheckThenAct.Contains)];
        _recvCheckThenAct = [.. names.Select(n => socketDest && SocketRecvCheckThenAct.Contains(n))];
        _actingBase = [.. names.Select(n => n[..n.IndexOf('.')] switch
        {
            "main" => TraceShape.Main,
            "guest" => TraceShape.Guest,
            "dest" => TraceShape.Dest,
            "send" => 3,
            _ => 3 + ModelState.MaxChannels,
        })];
    }

    public ModelMachine Machine => _m;
    public TraceShape Shape => _shape;

    public ConformanceResult Run(IReadOnlyList<TraceEvent> trace)
    {
        var candidates = Initial();
        var peak = candidates.Count;
        for (var i = 0; i < trace.Count; i++)
        {
            var e = trace[i];
            if (IsFailureAnnouncement(e) || (IsLifetime(e) && !IsCreation(e))) continue;
            var slot = _shape.Slot(e.Actor);
            var idProblem = slot < 0 ? $"the configuration has {_shape.Channels} channel(s)" : _ids.Step(e);
            var pool = Closure(candidates);
            if (idProblem is not null) return Rejected(i, e, idProblem, pool, slot, peak);
            var next = new HashSet<Candidate>();
            foreach (var c in pool) Advance(c, e, slot, next);
            if (next.Count == 0) return Rejected(i, e, null, pool, slot, peak);
            candidates = next;
            peak = Math.Max(peak, next.Count);
        }
        var final = Closure(candidates);
        var finished = final.Any(c => c.Settled && ModelMachine.IsTerminal(c.State));
        return new ConformanceResult
        {
            Verdict = ConformanceVerdict.Accepted,
            Events = trace.Count,
            Finished = finished,
            Outstanding = finished ? null : Diagnosis.Outstanding(this, final),
            PeakCandidates = peak,
            Options = _m.Options,
        };
    }

    /// <summary>
    /// The migration or destination main thread saying it failed (an <c>Exit</c> with an error, emitted on the way out):
    /// the cause is already in the trace (a channel's Exit, or the step that threw), so it is no model step.
    /// </summary>
    private static bool IsFailureAnnouncement(in TraceEvent e)
        => e.Kind == EventKind.Exit && e.Actor.Kind is ActorKind.Migration or ActorKind.Destination;

    /// <summary>A thread's start, its join and the free of its channel: the model has no thread lifetimes (the
    /// ThreadLifetime and NoUseAfterFree stream checkers judge them), so they are no model step.</summary>
    private static bool IsLifetime(in TraceEvent e) => e.Kind is EventKind.ThreadStart or EventKind.ThreadJoin or EventKind.Free;

    /// <summary>On a socket a send thread's start is its first write's step (<c>send.Open</c>, <c>send.OpenFail</c>).</summary>
    private bool IsCreation(in TraceEvent e) => _m.Socket && e.Kind == EventKind.ThreadStart && e.Actor.Kind == ActorKind.Sender;

    private ConformanceResult Rejected(int index, in TraceEvent e, string? idProblem, HashSet<Candidate> pool, int slot, int peak)
    {
        var (reason, expected) = slot < 0 || idProblem is not null
            ? ($"{e}: {idProblem}", (IReadOnlyList<string>)[])
            : Diagnosis.Explain(this, pool, e, slot);
        return new ConformanceResult
        {
            Verdict = ConformanceVerdict.Rejected,
            Events = index,
            RejectedIndex = index,
            RejectedEvent = e,
            Reason = reason,
            Expected = expected,
            PeakCandidates = peak,
            Options = _m.Options,
        };
    }

    /// <summary>One candidate per initial content: the Implementation's guest may start with zero pages, which the
    /// trace does not show until the load reads the file bitmap. Every run first owes the setup's bitmap sync.</summary>
    private HashSet<Candidate> Initial()
    {
        var set = new HashSet<Candidate>();
        var known = KnownInitialData();
        for (var mask = 0; mask <= _m.AllPages; mask++)
        {
            if (known is { } k && mask != k) continue;
            var s = _m.InitialState(mask, _sink);
            // Setup's bitmap sync (ram_init_bitmaps) is behind the initial state, or, where the run starts with the channels'
            // creation, in the step that creates them all.
            var owed = MainBits.Pc.Get(s.Main) == (int)Pc.Create ? new List<Expect>() : [new(EventKind.BitmapSync, Actor.Migration)];
            owed.AddRange(EventMapping.Translate(_m, _shape, s, s, _sink.Take()));
            set.Add(Candidate.Start(s, owed, _shape));
        }
        return set;
    }

    private int? KnownInitialData()
    {
        if (_contents?.InitiallyData is not { } data) return null;
        var mask = 0;
        for (var b = 0; b < _shape.Blocks; b++)
        {
            for (long p = 0; _shape.Global(b, p) >= 0; p++)
            {
                if (data(b, p)) mask |= 1 << _shape.Global(b, p);
            }
        }
        return mask;
    }

    private void Advance(Candidate c, in TraceEvent e, int slot, HashSet<Candidate> next)
    {
        var owed = c.OwedBy(slot);
        if (owed.Length > 0 && e.Kind == EventKind.Terminate && owed[0].Abandonable
            && (MainBits.Exiting.On(c.State.Main) || _m.MainStreamMayFail(c.State)))
        {
            // multifd_send_sync_main stops posting requests once it sees exiting (docs/protocol.md §2.4) and the save fails; a
            // socket's main stream write fails once the destination is gone.
            c = c.Abandon(slot);
            owed = c.OwedBy(slot);
        }
        if (owed.Length > 0)
        {
            if (owed[0].Matches(e, _shape)) next.Add(c.Pop(slot));
            return;
        }
        if (IsWakeUp(new Expect(e.Kind, e.Actor)))
        {
            WakeUp(c, slot, next);
            return;
        }
        if (c.Woken(slot) >= 0)
        {
            Commit(c, e, slot, next);
            return;
        }
        NewStep(c, e, slot, next);
        if (e.Kind == EventKind.GuestWrite && IsSource(c.State) && (MainBits.Exiting.On(c.State.Main) || MainBits.Failed.On(c.State.Main)))
            next.Add(c); // the save has failed: the model stops the guest there, nothing it writes is saved any more
    }

    /// <summary>A channel thread returned from its <c>sem</c> wait with <c>exiting</c> clear: the step it will take is
    /// the one enabled now (job or sync request); it is taken at the thread's next event.</summary>
    private void WakeUp(Candidate c, int slot, HashSet<Candidate> next)
    {
        if (c.Woken(slot) >= 0) return;
        var ch = ChannelOf(slot);
        var s = c.State;
        if (MainBits.Exiting.On(s.Main) && (c.LateWake >> slot & 1) != 0) s = s with { Main = MainBits.Exiting.Set(s.Main, false) };
        foreach (var ai in _wake)
        {
            var a = _m.Actions[ai];
            if (ActingSlot(ai, ch) != slot || !a.Guard(s, ch)) continue;
            var seen = ai == _writeBegin && Carries && SendBits.PendingSync.On(s.Ch(ch)) && !RequestNotPostedYet(c, ch);
            next.Add(c.Wake(slot, ai << WokenShift | (seen ? PendingAtWake : 0) | ch));
        }
    }

    /// <summary>The channel slots whose <c>sem</c> the step from <paramref name="before"/> to <paramref name="after"/> posted.</summary>
    private int Posted(in ModelState before, in ModelState after)
    {
        var source = IsSource(before);
        var bits = 0;
        for (var i = 0; i < _m.N; i++)
        {
            var more = source
                ? SendBits.Sem.Get(after.Ch(i)) > SendBits.Sem.Get(before.Ch(i))
                : RecvBits.Sem.Get(after.Ch(i)) > RecvBits.Sem.Get(before.Ch(i));
            if (more) bits |= 1 << ((source ? 3 : 3 + ModelState.MaxChannels) + i);
        }
        return bits;
    }

    /// <summary>
    /// The candidate after a step of the thread in <paramref name="acting"/> to <paramref name="after"/>, owing
    /// <paramref name="owed"/> from <paramref name="from"/> on. A step that sets <c>exiting</c> (terminate, shutdown, a
    /// failing channel) lets every idle channel that already held a post announce a late wake-up: it may have passed
    /// its check before the flag was set (docs/protocol.md §4(b) step 2 is the other outcome, also a model run).
    /// </summary>
    private Candidate After(Candidate c, in ModelState after, List<Expect> owed, int from, int acting)
    {
        var d = c.Then(after, owed, from, _shape);
        var late = d.LateWake & ~(1 << acting);
        var before = c.State;
        if (!MainBits.Exiting.On(before.Main) && MainBits.Exiting.On(after.Main))
        {
            var source = IsSource(before);
            for (var i = 0; i < _m.N; i++)
            {
                var w = before.Ch(i);
                var slot = (source ? 3 : 3 + ModelState.MaxChannels) + i;
                var posted = source
                    ? SendBits.Phase.Get(w) == (int)ChannelPhase.Idle && SendBits.Sem.Get(w) > 0
                    : RecvBits.Phase.Get(w) == (int)ChannelPhase.Idle && RecvBits.Sem.Get(w) > 0;
                if (posted && c.Free(slot)) late |= 1 << slot;
            }
        }
        return d.WithLateWake(late);
    }

    /// <summary>The step chosen at the thread's wake-up, taken at its next event. A socket SYNC write chosen then may still
    /// fail when it is made: the peer may have gone since (<c>send.SyncFail</c> instead of <c>send.SyncAck</c>).</summary>
    private void Commit(Candidate c, in TraceEvent e, int slot, HashSet<Candidate> next)
    {
        var choice = c.Woken(slot);
        var arg = ArgOf(choice);
        var ai = ActionOf(choice);
        Commit(c, ai, arg, e, slot, next, (choice & PendingAtWake) != 0);
        // The exiting check came before the wake-up; only the peer's state decides the write's outcome now.
        var checkedBefore = c.State with { Main = MainBits.Exiting.Set(c.State.Main, false) };
        if (ai == _syncAck && _syncFail >= 0 && _m.Actions[_syncFail].Guard(checkedBefore, arg)) Commit(c, _syncFail, arg, e, slot, next, false);
    }

    /// <summary>Takes the step; a job's send (<c>send.WriteBegin</c>) reads <c>pending_sync</c> after the wake-up (8.2's
    /// integer <c>pending_job</c>, <c>SyncCarriesPages</c>): a request the migration thread still owes was not posted yet, and
    /// one posted after the wake-up may come before or after the read, so the SYNC rides on the job or not.</summary>
    private void Commit(Candidate c, int ai, int arg, in TraceEvent e, int slot, HashSet<Candidate> next, bool pendingAtWake)
    {
        var ch = ChannelOf(slot);
        var racing = ai == _writeBegin && Carries && SendBits.PendingSync.On(c.State.Ch(ch)) && !pendingAtWake;
        if (racing) Commit(c, ai, arg, e, slot, next, c.State.WithCh(ch, SendBits.PendingSync.Set(c.State.Ch(ch), false)), ch);
        if (!racing || !RequestNotPostedYet(c, ch)) Commit(c, ai, arg, e, slot, next, c.State, -1);
    }

    /// <summary>Takes the step from <paramref name="s"/>; <paramref name="restore"/> names a channel whose <c>pending_sync</c>
    /// was hidden from the step and is set again after it.</summary>
    private void Commit(Candidate c, int ai, int arg, in TraceEvent e, int slot, HashSet<Candidate> next, ModelState s, int restore)
    {
        var (after, owed) = Apply(s, _m.Actions[ai], arg);
        if (restore >= 0) after = after.WithCh(restore, SendBits.PendingSync.Set(after.Ch(restore), true));
        if (owed.Count < 2 || owed[0].Kind != EventKind.Wake || _shape.Slot(owed[1].Actor) != slot || !owed[1].Matches(e, _shape)) return;
        next.Add(After(c.Committed(slot), after, owed, 2, slot));
    }

    private void NewStep(Candidate c, in TraceEvent e, int slot, HashSet<Candidate> next)
    {
        foreach (var ai in ActionsFor(slot))
        {
            var a = _m.Actions[ai];
            foreach (var arg in Arguments(a, e, slot))
            {
                if (!c.Free(ActingSlot(ai, arg)) || Enabled(c.State, ai, arg) is not { } before) continue;
                var late = before != c.State;
                var (after, owed) = Apply(before, a, arg);
                if (late) after = Relatched(c.State, after);
                var acting = ActingSlot(ai, arg);
                if (owed.Count == 0 || (IsWakeUp(owed[0]) && _shape.Slot(owed[0].Actor) == acting)) continue;
                var k = FirstEventOf(owed, slot);
                if (k < 0 || !owed[k].Matches(e, _shape)) continue;
                if (k > 0) owed.RemoveAt(k);
                var d = After(c, after, owed, k == 0 ? 1 : 0, acting);
                // Its check read exiting clear, so the failure's store had not happened when it posted: the channels it
                // posted to may read the flag clear as well.
                next.Add(late ? d.WithLateWake(d.LateWake | Posted(c.State, after)) : d);
            }
        }
    }

    /// <summary>A job's packet may carry a pending SYNC (<c>SyncCarriesPages</c>, 8.2's integer <c>pending_job</c>, with the
    /// socket destination).</summary>
    private bool Carries => _m.SocketDestination && (_m.Options.Mutations & Mutation.SyncCarriesPages) != 0;

    /// <summary>The migration thread still owes channel <paramref name="ch"/>'s sync request of a model step already taken.</summary>
    private bool RequestNotPostedYet(Candidate c, int ch)
    {
        if (!_m.SocketDestination || !SendBits.PendingSync.On(c.State.Ch(ch))) return false;
        foreach (var x in c.OwedBy(TraceShape.Main))
        {
            if (x.Kind == EventKind.SyncRequest && x.Channel == ch) return true;
        }
        return false;
    }

    /// <summary>A channel thread's return from its <c>sem</c> wait, which <see cref="WakeUp"/> takes (the step is chosen there);
    /// a socket recv thread's <c>Wake</c> is a step's own event.</summary>
    private bool IsWakeUp(in Expect x) => x.Kind == EventKind.Wake && !(_m.SocketDestination && x.Actor.Kind == ActorKind.Receiver);

    /// <summary><paramref name="after"/> with the <c>exiting</c> flags <paramref name="now"/> has (a check-then-act step is
    /// taken from the state before a flag was set, <see cref="Enabled"/>).</summary>
    private static ModelState Relatched(in ModelState now, in ModelState after)
    {
        var s = after;
        if (MainBits.Exiting.On(now.Main)) s = s with { Main = MainBits.Exiting.Set(s.Main, true) };
        if (DestBits.Exiting.On(now.Aux)) s = s with { Aux = DestBits.Exiting.Set(s.Aux, true) };
        return s;
    }

    /// <summary>
    /// Where in a step's events <paramref name="slot"/>'s first one is, if the step can be taken at it: the step's first
    /// event; or, after the wake-ups of threads the step released (a post on their own semaphore: they can announce
    /// their return only after it), the first event of its own thread or of a later released thread. -1 otherwise.
    /// </summary>
    private int FirstEventOf(List<Expect> owed, int slot)
    {
        for (var k = 0; k < owed.Count; k++)
        {
            if (_shape.Slot(owed[k].Actor) == slot) return k;
            if (owed[k].Kind != EventKind.Wake || owed[k].Actor.Kind != ActorKind.Receiver) return -1;
        }
        return -1;
    }

    /// <summary>
    /// The state to take action <paramref name="ai"/> from, or null if it is not enabled. A channel failure sets
    /// <c>exiting</c> concurrently with the main threads; one that checked <c>exiting</c> just before it was set goes on to
    /// act and announce it, and meets the flag only at its next check (QEMU alike). So a check-then-act step that only
    /// <c>exiting</c> disables, after a channel failed, is taken from the state as it was before the failure.
    /// </summary>
    private ModelState? Enabled(in ModelState s, int ai, int arg)
    {
        var a = _m.Actions[ai];
        if (a.Guard(s, arg)) return s;
        if (_recvCheckThenAct[ai] && DestBits.Exiting.On(s.Aux))
        {
            var unset = s with { Aux = DestBits.Exiting.Set(s.Aux, false) };
            return a.Guard(unset, arg) ? unset : null;
        }
        if (!_checkThenAct[ai] || !MainBits.Exiting.On(s.Main) || !MainBits.ErrorUsed.On(s.Main) || MainBits.Failed.On(s.Main)) return null;
        var before = s with { Main = MainBits.Exiting.Set(s.Main, false) };
        return a.Guard(before, arg) ? before : null;
    }

    /// <summary>The candidates plus every run reachable from them by silent steps (those standing for no
    /// Implementation event), each taken only by a thread at a step boundary.</summary>
    public HashSet<Candidate> Closure(HashSet<Candidate> set)
    {
        var result = set;
        var frontier = set.ToList();
        for (var depth = 0; depth < 3 * _m.N + 4 && frontier.Count > 0; depth++)
        {
            var found = new List<Candidate>();
            foreach (var c in frontier)
            {
                foreach (var d in EarlyCommits(c))
                {
                    if (ReferenceEquals(result, set)) result = new HashSet<Candidate>(set);
                    if (result.Add(d)) found.Add(d);
                }
                foreach (var ai in _silent)
                {
                    var a = _m.Actions[ai];
                    foreach (var arg in a.Domain)
                    {
                        var acting = ActingSlot(ai, arg);
                        if (!c.Free(acting) || !a.Guard(c.State, arg)) continue;
                        var (after, owed) = Apply(c.State, a, arg);
                        if (owed.Count != 0 && !(_fail[ai] && owed.TrueForAll(x => _shape.Slot(x.Actor) == acting))) continue;
                        var d = After(c, after, owed, 0, acting);
                        if (ReferenceEquals(result, set)) result = new HashSet<Candidate>(set);
                        if (result.Add(d)) found.Add(d);
                    }
                }
            }
            frontier = found;
        }
        return result;
    }

    /// <summary>A socket send thread that announced its wake-up for a sync request writes the SYNC packet before it announces
    /// the outcome: with the destination, its recv thread may read the packet before <c>SyncAck</c>; a failed write sets
    /// <c>exiting</c> (and kicks the migration thread) before its <c>Exit</c>. The step chosen at the wake-up is taken now,
    /// owing the rest of its thread's events.</summary>
    private IEnumerable<Candidate> EarlyCommits(Candidate c)
    {
        if (!_m.Socket) yield break;
        for (var ch = 0; ch < _m.N; ch++)
        {
            var slot = 3 + ch;
            var choice = c.Woken(slot);
            var ai = ActionOf(choice);
            if (choice < 0 || !(ai == _syncFail || (ai == _syncAck && _m.SocketDestination))) continue;
            var (after, owed) = Apply(c.State, _m.Actions[ai], ArgOf(choice));
            if (owed.Count < 2 || owed[0].Kind != EventKind.Wake) continue;
            yield return After(c.Committed(slot), after, owed, 1, slot);
        }
    }

    /// <summary>The step's new state and the Implementation events it stands for.</summary>
    public (ModelState After, List<Expect> Owed) Apply(in ModelState s, ModelAction a, int arg)
    {
        var after = a.Apply(s, arg, _sink);
        var owed = EventMapping.Translate(_m, _shape, s, after, _sink.Take());
        // A failing SYNC write: the thread announced its wake-up first (the model's step starts at the write).
        if (a.Name == ModelMachine.Names.SyncFail) owed.Insert(0, new Expect(EventKind.Wake, Actor.Sender(arg)));
        return (after, owed);
    }

    /// <summary>The actions that may take an event of the thread in <paramref name="slot"/>: its own, and for the
    /// destination also the source's join, whose load starts with the destination's SectionStart.</summary>
    public int[] ActionsFor(int slot) => slot switch
    {
        TraceShape.Main => _bySlotKind[0],
        TraceShape.Guest => _bySlotKind[1],
        TraceShape.Dest => _bySlotKind[2],
        _ => slot < 3 + ModelState.MaxChannels ? _bySlotKind[3] : _bySlotKind[4],
    };

    /// <summary>The arguments worth trying: a channel thread's own index; both contents of the page a guest write names.</summary>
    public IEnumerable<int> Arguments(ModelAction a, TraceEvent e, int slot)
    {
        if (a.Arg == ArgKind.GuestWrite)
        {
            var page = _shape.Global(e.Block, e.Page);
            if (page < 0 || page >= _m.P) return [];
            return _contents?.WriteIsData?.Invoke(e) switch
            {
                true => [page * 2 + 1],
                false => [page * 2],
                null => [page * 2, page * 2 + 1],
            };
        }
        if (slot >= 3 && a.Arg == ArgKind.Channel) return [ChannelOf(slot)];
        return a.Domain;
    }

    /// <summary>The thread whose step action <paramref name="ai"/> is.</summary>
    public int ActingSlot(int ai, int arg) => _actingBase[ai] < 3 ? _actingBase[ai] : _actingBase[ai] + arg;

    public static int ChannelOf(int slot) => slot < 3 + ModelState.MaxChannels ? slot - 3 : slot - 3 - ModelState.MaxChannels;

    public static bool IsSource(in ModelState s) => MainBits.Pc.Get(s.Main) < (int)Pc.RecvQueue;
}
