using SyncModel.Model.Checking.Engine;
using SyncModel.Model.Machine;
using SyncModel.Model.State;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;

namespace SyncModel.Model.Checking;

/// <summary>
/// The model machine as the engine sees it (<see cref="ISearchModel{TState}"/>): transition groups are the machine's
/// actions times their argument domains, in declaration order; a state packs to the bits this configuration uses
/// (<see cref="ModelLayout"/>); the properties are the requirements of <see cref="ModelSpec"/>, the same predicates, as
/// state properties (NoDeadlock, SemaphoreAccounting) and step properties on the step they are about.
/// </summary>
internal readonly struct ModelSearch : ISearchModel<ModelState>
{
    /// <summary>The property names, in the order <see cref="ModelSpec"/> declares them.</summary>
    public static readonly string[] PropertyNames =
    [
        ModelSpec.NoDeadlock, nameof(PropertyId.DrainBeforeCleanup), nameof(PropertyId.SendDrainBeforeBitmap), nameof(PropertyId.NoStalePage),
        nameof(PropertyId.SemaphoreAccounting), nameof(PropertyId.NoUseAfterFree), nameof(PropertyId.ErrorSurfaces),
        nameof(PropertyId.NoUnexpectedFailure),
    ];

    private const int NoDeadlock = 0, Drain = 1, SendDrain = 2, NoStale = 3, Accounting = 4, UseAfterFree = 5, ErrorSurfaces = 6, UnexpectedFailure = 7;

    /// <summary>A socket destination's VmStart: DrainBeforeCleanup first, then NoStalePage (the VM runs on a page that is not
    /// the newest).</summary>
    private const int DrainThenStale = -2;

    /// <summary>A socket destination's recv thread starting a read: NoUseAfterFree when it marks a freed receivedmap (§5.9).</summary>
    private const int MarksFreedMap = -3;

    private readonly ModelMachine _m;
    private readonly Requirements _r;
    private readonly ModelLayout _layout;
    private readonly ModelAction[] _actions;
    private readonly int[] _actionOf;
    private readonly int[] _arg;
    private readonly int[] _stepProperty;
    private readonly Func<ModelState, ModelState> _canonical;
    /// <summary>Per program counter, the groups whose guard can hold there: the main thread's steps at that counter,
    /// the channel steps of that side, and the guest's writes during the save.</summary>
    private readonly GroupSet[] _candidates;

    public ModelSearch(ModelMachine machine, Func<ModelState, ModelState>? canonical = null)
    {
        _m = machine;
        _r = new Requirements(machine);
        _layout = new ModelLayout(machine.Options);
        _actions = [.. machine.Actions];
        var actionOf = new List<int>();
        var arg = new List<int>();
        var step = new List<int>();
        for (var a = 0; a < _actions.Length; a++)
        {
            foreach (var x in _actions[a].Domain)
            {
                actionOf.Add(a);
                arg.Add(x);
                step.Add(StepPropertyOf(_actions[a].Name, machine));
            }
        }
        _actionOf = [.. actionOf];
        _arg = [.. arg];
        _stepProperty = [.. step];
        _canonical = canonical ?? (s => machine.Canonical(s));
        _candidates = Candidates(_actions, _actionOf, machine.SocketDestination);
        Initial = Canonical(machine.Initial);
    }

    public ModelMachine Machine => _m;

    public int Words => _layout.Words;

    public int GroupCount => _arg.Length;

    public IReadOnlyList<string> Properties => PropertyNames;

    public IReadOnlyList<string> Components => _layout.ComponentNames;

    public ModelState Initial { get; }

    public int ActionCount => _actions.Length;

    /// <summary>The group of action <paramref name="action"/> with argument <paramref name="arg"/> (a channel, a guest
    /// write code, or 0), or -1.</summary>
    public int GroupOf(int action, int arg)
    {
        for (var g = 0; g < _arg.Length; g++)
        {
            if (_actionOf[g] == action && _arg[g] == arg) return g;
        }
        return -1;
    }

    public int ArgOf(int group) => _arg[group];

    public int ActionOf(int group) => _actionOf[group];

    public string ActionName(int action) => _actions[action].Name;

    public void Pack(in ModelState s, Span<ulong> packed) => _layout.Pack(s, packed);

    public ModelState Unpack(ReadOnlySpan<ulong> packed) => _layout.Unpack(packed);

    public bool Enabled(in ModelState s, int group) => _actions[_actionOf[group]].Guard(s, _arg[group]);

    public void EnabledGroups(in ModelState s, ref GroupSet enabled)
    {
        var candidates = _candidates[MainBits.Pc.Get(s.Main)];
        for (var g = candidates.Next(0); g >= 0; g = candidates.Next(g + 1))
        {
            if (_actions[_actionOf[g]].Guard(s, _arg[g])) enabled.Add(g);
        }
    }

    private static GroupSet[] Candidates(ModelAction[] actions, int[] actionOf, bool socketDestination)
    {
        var byPc = new GroupSet[1 << MainBits.Pc.Width];
        for (var pc = 0; pc < byPc.Length; pc++)
        {
            var source = pc < (int)Pc.RecvQueue;
            for (var g = 0; g < actionOf.Length; g++)
            {
                var a = actions[actionOf[g]];
                // A socket destination runs beside the source: its threads' steps can be enabled at any of the source's counters.
                if (socketDestination && (a.Name.StartsWith("dest.", StringComparison.Ordinal) || a.Name.StartsWith("recv.", StringComparison.Ordinal)))
                {
                    if (source) byPc[pc].Add(g);
                    continue;
                }
                var at = ModelMachine.LocationsOf(a.Name);
                var possible = at is not null
                    ? at.Contains((Pc)pc)
                    : a.Arg == ArgKind.GuestWrite ? source : a.Name.StartsWith(source ? "send." : "recv.", StringComparison.Ordinal);
                if (possible) byPc[pc].Add(g);
            }
        }
        return byPc;
    }

    public ModelState Apply(in ModelState s, int group) => _actions[_actionOf[group]].Apply(s, _arg[group], null);

    public ModelState Canonical(in ModelState s) => _canonical(s);

    public ModelState Reduce(in ModelState s) => _m.Options.Abstraction ? _m.ClearDeadValues(s) : s;

    public bool IsEnvironment(int group) => _actions[_actionOf[group]].Arg == ArgKind.GuestWrite;

    public int ViolatedInvariant(in ModelState s)
    {
        if (!_r.NotStuck(s)) return NoDeadlock;
        return _r.Accounted(s) ? -1 : Accounting;
    }

    public int ViolatedStep(in ModelState s, int group)
    {
        var p = _stepProperty[group];
        // VmStart is both a cleanup step and the step ErrorSurfaces is about: the drain is declared first.
        if (p is Drain or ErrorSurfaces or DrainThenStale && _r.ChunkOutstandingAtCleanup(s)) return Drain;
        if (p == DrainThenStale) return _r.DestinationStale(s, s) ? NoStale : -1;
        if (p == MarksFreedMap) return ModelMachine.MarksFreedMap(s) ? UseAfterFree : -1;
        var bad = p switch
        {
            SendDrain => _r.BitmapWithBatchOutstanding(s, s),
            NoStale => _r.SavedFileStale(s, s),
            UseAfterFree => Requirements.UsesFreedState(s, s),
            ErrorSurfaces => Requirements.VmStartAfterError(s, s),
            UnexpectedFailure => Requirements.TerminateOnUninitialisedChannels(s, s),
            _ => false,
        };
        return bad ? p : -1;
    }

    public ulong Component(in ModelState s, int component) => _layout.Component(s, component);

    private static int StepPropertyOf(string action, ModelMachine m) => action switch
    {
        ModelMachine.Names.LoadCleanup or ModelMachine.Names.Shutdown => Drain,
        ModelMachine.Names.VmStart => m.SocketDestination ? DrainThenStale : (m.Options.Errors & ErrorSides.Destination) != 0 ? ErrorSurfaces : Drain,
        ModelMachine.Names.FileBitmapWrite => SendDrain,
        ModelMachine.Names.SourceJoin => m.SocketDestination ? -1 : NoStale,
        ModelMachine.Names.ReadBegin when m.SocketDestination => MarksFreedMap,
        ModelMachine.Names.WriteBegin or ModelMachine.Names.Connect or ModelMachine.Names.ConnectFail or ModelMachine.Names.OpenFail => UseAfterFree,
        ModelMachine.Names.Terminate => (m.Options.Errors & ErrorSides.Connect) != 0 ? UnexpectedFailure : -1,
        _ => -1,
    };
}
