using SyncModel.Model.Checking.Engine;
using SyncModel.Model.Machine;
using SyncModel.Model.State;

namespace SyncModel.Model.Checking;

/// <summary>The transition groups of a <see cref="ModelSearch"/> by step kind, channel and page, and the group sets the
/// partial-order oracle unions: each thread's steps, every wake-up, every failure, the guest, the main thread's steps
/// per program counter.</summary>
internal sealed class StepTable
{
    private readonly int[,] _byKind;
    private readonly Dictionary<Pc, GroupSet> _atPc = [];

    public StepTable(ModelSearch search)
    {
        Machine = search.Machine;
        var n = Machine.N;
        Pages = Machine.P;
        var count = search.GroupCount;
        Kind = new StepKind[count];
        Channel = new int[count];
        Page = new int[count];
        Arg = new int[count];
        _byKind = new int[Enum.GetValues<StepKind>().Length, ModelState.MaxChannels];
        for (var k = 0; k < _byKind.GetLength(0); k++)
        {
            for (var c = 0; c < ModelState.MaxChannels; c++) _byKind[k, c] = -1;
        }
        SendThread = new GroupSet[n];
        SemSyncProducers = new GroupSet[n];
        RecvThread = new GroupSet[n];
        GuestPage = new GroupSet[Pages];
        for (var g = 0; g < count; g++)
        {
            var kind = KindOf(search.ActionName(search.ActionOf(g)));
            var arg = search.ArgOf(g);
            Kind[g] = kind;
            Arg[g] = arg;
            All.Add(g);
            var argKind = Machine.Actions[search.ActionOf(g)].Arg;
            var channelStep = argKind is ArgKind.Channel or ArgKind.ChannelContent;
            Channel[g] = argKind == ArgKind.ChannelContent ? Machine.WriteBeginArg(arg).Channel : channelStep ? arg : -1;
            if (channelStep) _byKind[(int)kind, Channel[g]] = g;
            if (Machine.SocketDestination && search.ActionName(search.ActionOf(g)).StartsWith("dest.", StringComparison.Ordinal))
            {
                // The socket destination's main thread runs beside the source's, with a counter of its own.
                DestMain.Add(g);
                var at = kind switch
                {
                    StepKind.SeeFlag or StepKind.MainFail => DestPc.Stream,
                    StepKind.RecvWait => DestPc.RecvWait,
                    _ => DestPc.Cleanup,
                };
                _atDestPc[(int)at].Add(g);
                continue;
            }
            switch (kind)
            {
                case StepKind.Connect or StepKind.ConnectFail:
                    // A socket channel's creation: the start of its thread (so its own steps), a token when it succeeds, a
                    // failure (exiting, the one error) when it fails.
                    SendThread[Channel[g]].Add(g);
                    if (kind == StepKind.ConnectFail) WriteFailAll.Add(g);
                    break;
                case StepKind.Open:
                    // A new thread's initial packet written: its first token.
                    SendThread[Channel[g]].Add(g);
                    TokenProducers.Add(g);
                    break;
                case StepKind.SendWake:
                    // SyncCarriesPages' owed wake-up: a token at the top of the loop.
                    SendThread[Channel[g]].Add(g);
                    SendWakeAll.Add(g);
                    TokenProducers.Add(g);
                    break;
                case StepKind.WriteBegin or StepKind.WriteEnd or StepKind.WriteFail or StepKind.SyncAck or StepKind.SendExit
                    or StepKind.OpenFail or StepKind.SyncFail:
                    // OpenFail: a creation whose thread fails its first write; SyncFail: a sync wake-up whose SYNC packet fails.
                    SendThread[Channel[g]].Add(g);
                    if (kind is StepKind.WriteBegin or StepKind.SyncAck or StepKind.SendExit or StepKind.SyncFail) SendWakeAll.Add(g);
                    if (kind == StepKind.WriteBegin) WriteBeginAll.Add(g);
                    var fails = kind is StepKind.WriteFail or StepKind.OpenFail or StepKind.SyncFail;
                    if (fails) WriteFailAll.Add(g);
                    var exitKicks = kind == StepKind.SendExit && Machine.SendExitKicks;
                    if (kind is StepKind.WriteEnd or StepKind.SyncAck || fails || exitKicks) TokenProducers.Add(g);
                    // A socket write that carries a SYNC (SyncCarriesPages) answers the sync too.
                    var carries = kind == StepKind.WriteEnd && Machine.SocketDestination;
                    if (kind is StepKind.SyncAck || fails || exitKicks || carries) SemSyncProducers[Channel[g]].Add(g);
                    break;
                case StepKind.ReadBegin or StepKind.ReadEnd or StepKind.ReadFail or StepKind.SyncPost or StepKind.RecvExit or StepKind.RecvWake:
                    RecvThread[arg].Add(g);
                    RecvAll.Add(g);
                    if (kind == StepKind.ReadBegin) ReadBeginAll.Add(g);
                    if (kind is StepKind.ReadBegin or StepKind.SyncPost or StepKind.RecvExit) RecvWakeAll.Add(g);
                    if (kind == StepKind.ReadFail) ReadFailAll.Add(g);
                    // (A socket read of a SYNC packet carrying a page posts as it ends.)
                    if (kind == StepKind.SyncPost || kind == StepKind.ReadFail && Machine.RecvWakesSync || kind == StepKind.ReadEnd && Machine.SocketDestination)
                        SyncPostAll.Add(g);
                    break;
                case StepKind.GuestWrite:
                    Page[g] = Machine.GuestArg(arg).Page;
                    GuestPage[Page[g]].Add(g);
                    GuestAll.Add(g);
                    break;
                default:
                    AddAtPc(search.ActionName(search.ActionOf(g)), g);
                    break;
            }
        }
    }

    public ModelMachine Machine { get; }

    public int Pages { get; }

    public StepKind[] Kind { get; }

    /// <summary>The group's channel, or -1.</summary>
    public int[] Channel { get; }

    /// <summary>A guest write's page.</summary>
    public int[] Page { get; }

    /// <summary>The group's argument.</summary>
    public int[] Arg { get; }

    public GroupSet All;
    public GroupSet[] SendThread { get; }
    public GroupSet[] RecvThread { get; }
    public GroupSet[] GuestPage { get; }
    public GroupSet SendWakeAll;
    public GroupSet RecvWakeAll;
    public GroupSet WriteBeginAll;
    /// <summary>Every source failure: a failing write, and a socket channel's failing creation.</summary>
    public GroupSet WriteFailAll;
    public GroupSet ReadFailAll;
    /// <summary>The steps that post <c>channels_ready</c> (an exit too, with the send-side fix).</summary>
    public GroupSet TokenProducers;

    /// <summary>Per send channel, the steps that post its <c>sem_sync</c>: the sync ack, the failure's kick, and with the
    /// send-side fix the exit's.</summary>
    public GroupSet[] SemSyncProducers { get; }

    /// <summary>The steps that post the destination's shared <c>sem_sync</c> (a failing read too, with the recv-side fix).</summary>
    public GroupSet SyncPostAll;
    public GroupSet RecvAll;
    public GroupSet GuestAll;

    /// <summary>Every recv thread's start of a read.</summary>
    public GroupSet ReadBeginAll;

    /// <summary>The socket destination's main thread (<see cref="ModelMachine.SocketDestination"/>): every one of its steps.</summary>
    public GroupSet DestMain;

    private readonly GroupSet[] _atDestPc = new GroupSet[8];

    /// <summary>The socket destination's main thread's groups at its current counter (the cleanup's current step is among
    /// those at <see cref="DestPc.Cleanup"/>).</summary>
    public GroupSet DestAtLocation(in ModelState s) => _atDestPc[DestBits.Pc.Get(s.Aux)];

    public bool IsSend(int group) => Kind[group] is StepKind.WriteBegin or StepKind.WriteEnd or StepKind.WriteFail or StepKind.SyncAck or StepKind.SendExit
        or StepKind.Connect or StepKind.ConnectFail or StepKind.Open or StepKind.OpenFail or StepKind.SyncFail or StepKind.SendWake;

    /// <summary>The main thread's groups at its current program counter: the only steps it can take next.</summary>
    public GroupSet AtLocation(in ModelState s) =>
        _atPc.TryGetValue((Pc)MainBits.Pc.Get(s.Main), out var set) ? set : default;

    /// <summary>The groups of the given kinds on channel <paramref name="ch"/>.</summary>
    public GroupSet Only(StepKind kind, int ch, params ReadOnlySpan<StepKind> more)
    {
        var set = default(GroupSet);
        AddIf(ref set, _byKind[(int)kind, ch]);
        foreach (var k in more) AddIf(ref set, _byKind[(int)k, ch]);
        return set;
    }

    private static void AddIf(ref GroupSet set, int g)
    {
        if (g >= 0) set.Add(g);
    }

    /// <summary>Registers a main-thread group at every program counter where its guard can hold.</summary>
    private void AddAtPc(string action, int g)
    {
        foreach (var pc in ModelMachine.LocationsOf(action) ?? throw new ArgumentException($"{action} is not a main-thread step"))
        {
            var set = _atPc.GetValueOrDefault(pc);
            set.Add(g);
            _atPc[pc] = set;
        }
    }

    private static StepKind KindOf(string name) => name switch
    {
        ModelMachine.Names.Dispatch => StepKind.Dispatch,
        ModelMachine.Names.SyncRequest => StepKind.SyncRequest,
        ModelMachine.Names.SyncWait => StepKind.SyncWait,
        ModelMachine.Names.SyncDone => StepKind.SyncDone,
        ModelMachine.Names.BitmapSync => StepKind.BitmapSync,
        ModelMachine.Names.FileBitmapWrite => StepKind.FileBitmapWrite,
        ModelMachine.Names.Terminate => StepKind.Terminate,
        ModelMachine.Names.SourceJoin => StepKind.SourceJoin,
        ModelMachine.Names.ChannelCreate => StepKind.ChannelCreate,
        ModelMachine.Names.ChannelsCreated => StepKind.ChannelsCreated,
        ModelMachine.Names.Connect => StepKind.Connect,
        ModelMachine.Names.ConnectFail => StepKind.ConnectFail,
        ModelMachine.Names.Open => StepKind.Open,
        ModelMachine.Names.OpenFail => StepKind.OpenFail,
        ModelMachine.Names.SyncFail => StepKind.SyncFail,
        ModelMachine.Names.WriteBegin => StepKind.WriteBegin,
        ModelMachine.Names.WriteEnd => StepKind.WriteEnd,
        ModelMachine.Names.WriteFail => StepKind.WriteFail,
        ModelMachine.Names.SyncAck => StepKind.SyncAck,
        ModelMachine.Names.SendExit => StepKind.SendExit,
        ModelMachine.Names.GuestWrite => StepKind.GuestWrite,
        ModelMachine.Names.RecvQueue => StepKind.RecvQueue,
        ModelMachine.Names.QueueFail => StepKind.QueueFail,
        ModelMachine.Names.RecvSyncBegin => StepKind.RecvKick,
        ModelMachine.Names.RecvSyncEnd => StepKind.RecvWait,
        ModelMachine.Names.OneShotKick => StepKind.OneShotKick,
        ModelMachine.Names.OneShotWait => StepKind.OneShotWait,
        ModelMachine.Names.LoadCleanup => StepKind.LoadCleanup,
        ModelMachine.Names.Shutdown => StepKind.Shutdown,
        ModelMachine.Names.VmStart => StepKind.VmStart,
        ModelMachine.Names.DestJoin => StepKind.DestJoin,
        ModelMachine.Names.ReadBegin => StepKind.ReadBegin,
        ModelMachine.Names.ReadEnd => StepKind.ReadEnd,
        ModelMachine.Names.ReadFail => StepKind.ReadFail,
        ModelMachine.Names.SyncPost => StepKind.SyncPost,
        ModelMachine.Names.RecvExit => StepKind.RecvExit,
        ModelMachine.Names.SeeFlag => StepKind.SeeFlag,
        ModelMachine.Names.RecvWake => StepKind.RecvWake,
        ModelMachine.Names.MainFail => StepKind.MainFail,
        ModelMachine.Names.SendWake => StepKind.SendWake,
        _ => throw new ArgumentException($"no step kind for action {name}: the partial-order oracle must learn it"),
    };
}
