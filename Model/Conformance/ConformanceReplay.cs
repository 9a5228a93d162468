using SyncModel.Model.Machine;
using SyncModel.Model.State;
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
    public const int WokenShift = 4;

    private static readonly string[] WakeSteps =
        [ModelMachine.Names.WriteBegin, ModelMachine.Names.SyncAck, ModelMachine.Names.ReadBegin, ModelMachine.Names.SyncPost];

    /// <summary>Steps that begin with an <c>exiting</c> check the thread makes some time before it acts (docs/protocol.md
    /// §2.2 dispatch, §2.4 both sync loops, the migration thread between iterate calls, §3.3 <c>multifd_recv</c>).</summary>
    private static readonly string[] CheckThenAct =
        [ModelMachine.Names.Dispatch, ModelMachine.Names.SyncRequest, ModelMachine.Names.SyncWait, ModelMachine.Names.BitmapSync, ModelMachine.Names.RecvQueue];

    /// <summary>Steps that may stand for no Implementation event; one that owes events is not taken silently
    /// (<see cref="Closure"/>). The recv sync's end is silent when, with the recv-side fix, it fails the load (the
    /// Implementation throws from <c>multifd_recv_sync_main</c>); the channels' creation when every one succeeds (only the
    /// threads' starts show it, and they are no model step); a socket channel's creation (its thread announces its start
    /// at its first write, <c>send.Open</c>).</summary>
    private static readonly string[] SilentSteps =
    [
        ModelMachine.Names.ChannelCreate, ModelMachine.Names.Connect, ModelMachine.Names.SourceJoin, ModelMachine.Names.OneShotKick, ModelMachine.Names.OneShotWait, ModelMachine.Names.Shutdown,
        ModelMachine.Names.QueueFail, ModelMachine.Names.RecvSyncEnd,
    ];

    /// <summary>Steps whose effect others may see before their thread announces it; taken silently, owing that thread's own
    /// events. A channel's IO failure: its thread sets <c>exiting</c> (and kicks or wakes the others) before it announces
    /// its Exit. A socket channel's failed connect: it sets the error (and posts <c>channels_created</c>) before its
    /// CreateFail.</summary>
    private static readonly string[] FailSteps =
        [ModelMachine.Names.WriteFail, ModelMachine.Names.ReadFail, ModelMachine.Names.ConnectFail];

    private readonly ModelMachine _m;
    private readonly TraceShape _shape;
    private readonly EventSink _sink;
    private readonly TraceIds _ids = new();
    private readonly int[][] _bySlotKind;
    private readonly int[] _wake;
    private readonly int[] _silent;
    private readonly bool[] _checkThenAct;
    private readonly bool[] _fail;
    private readonly int[] _actingBase;

    private readonly PageContents? _contents;

    public ConformanceReplay(ModelCheckOptions options, TraceShape shape, PageContents? contents = null)
    {
        _contents = contents;
        _m = new ModelMachine(options with { Symmetry = false }, guestWriteLimit: int.MaxValue);
        _shape = shape;
        _sink = new EventSink(_m.P);
        var names = _m.Actions.Select(a => a.Name).ToArray();
        int[] Where(Func<string, bool> f) => [.. Enumerable.Range(0, names.Length).Where(i => f(names[i]))];
        _bySlotKind =
        [
            Where(n => n.StartsWith("main.", StringComparison.Ordinal)),
            Where(n => n.StartsWith("guest.", StringComparison.Ordinal)),
            Where(n => n.StartsWith("dest.", StringComparison.Ordinal) || n == ModelMachine.Names.SourceJoin),
            Where(n => n.StartsWith("send.", StringComparison.Ordinal)),
            Where(n => n.StartsWith("recv.", StringComparison.Ordinal)),
        ];
        _wake = Where(WakeSteps.Contains);
        _silent = Where(n => SilentSteps.Contains(n) || FailSteps.Contains(n));
        _fail = [.. names.Select(FailSteps.Contains)];
        _checkThenAct = [.. names.Select(CheckThenAct.Contains)];
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
        if (owed.Length > 0 && e.Kind == EventKind.Terminate && owed[0].Abandonable && MainBits.Exiting.On(c.State.Main))
        {
            // multifd_send_sync_main stops posting requests once it sees exiting (docs/protocol.md §2.4) and the save fails.
            c = c.Abandon(slot);
            owed = c.OwedBy(slot);
        }
        if (owed.Length > 0)
        {
            if (owed[0].Matches(e, _shape)) next.Add(c.Pop(slot));
            return;
        }
        if (e.Kind == EventKind.Wake)
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
            if (ActingSlot(ai, ch) == slot && a.Guard(s, ch)) next.Add(c.Wake(slot, ai << WokenShift | ch));
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

    private void Commit(Candidate c, in TraceEvent e, int slot, HashSet<Candidate> next)
    {
        var choice = c.Woken(slot);
        var a = _m.Actions[choice >> WokenShift];
        var (after, owed) = Apply(c.State, a, choice & ((1 << WokenShift) - 1));
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
                if (late) after = after with { Main = MainBits.Exiting.Set(after.Main, true) };
                if (owed.Count == 0 || owed[0].Kind == EventKind.Wake) continue;
                if (_shape.Slot(owed[0].Actor) != slot || !owed[0].Matches(e, _shape)) continue;
                var d = After(c, after, owed, 1, ActingSlot(ai, arg));
                // Its check read exiting clear, so the failure's store had not happened when it posted: the channels it
                // posted to may read the flag clear as well.
                next.Add(late ? d.WithLateWake(d.LateWake | Posted(c.State, after)) : d);
            }
        }
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
        for (var depth = 0; depth < 2 * _m.N + 4 && frontier.Count > 0; depth++)
        {
            var found = new List<Candidate>();
            foreach (var c in frontier)
            {
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

    /// <summary>The step's new state and the Implementation events it stands for.</summary>
    public (ModelState After, List<Expect> Owed) Apply(in ModelState s, ModelAction a, int arg)
    {
        var after = a.Apply(s, arg, _sink);
        return (after, EventMapping.Translate(_m, _shape, s, after, _sink.Take()));
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
