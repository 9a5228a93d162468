using System.Numerics;
using SyncModel.Model.State;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Model.Machine;

/// <summary>
/// The abstract state machine of one save-then-load (docs/protocol.md §7): its initial state, every thread step as a
/// guarded transition over <see cref="ModelState"/>, and the canonical form under channel permutation. Every
/// decision about syncs is the <see cref="SyncPolicy"/>'s, read from the policy object once per site when the
/// machine is built; the mutation switches come from the state itself (<see cref="Switches"/>), so a
/// CsCheck <c>Fault</c> can turn one on mid-run and the same transitions then behave mutated.
/// </summary>
internal sealed partial class ModelMachine
{
    private readonly SenderDecision[] _sender = new SenderDecision[4];
    private readonly ReceiverDecision[] _receiver = new ReceiverDecision[4];
    private readonly byte[][] _chunkFirst;
    private readonly byte[][] _chunkCount;
    private readonly ModelAction[] _mainActions;
    private readonly int _guestWriteLimit;
    private readonly int? _guestWriteLimitArgument;
    private ModelMachine? _unreduced;
    private readonly bool _fixedSendWaitOrder;
    private readonly bool _fixedRecvWaitOrder;
    private readonly int _guestBudget;
    private readonly bool _countInterval;

    /// <param name="options">The configuration and policy.</param>
    /// <param name="guestWriteLimit">Guest writes allowed between two bitmap syncs; null = <see cref="ModelCheckOptions.GuestWrites"/>.
    /// The exhaustive search needs that bound; the trace validator lifts it, since it follows the writes a real guest made.</param>
    /// <param name="pruneEqualChannels">Let a channel step be enabled only on the first of equal channel words (sound with
    /// the symmetry reduction, which sorts them); null = <see cref="ModelCheckOptions.Symmetry"/>.</param>
    public ModelMachine(ModelCheckOptions options, int? guestWriteLimit = null, bool? pruneEqualChannels = null)
    {
        QuitOrderMatters = options.Policy.Errors.Creation == ChannelCreation.SocketUnwaited && (options.Errors & ErrorSides.Connect) != 0;
        Symmetric = options.Symmetry && !QuitOrderMatters;
        PruneEqualChannels = (pruneEqualChannels ?? Symmetric) && Symmetric;
        _guestWriteLimitArgument = guestWriteLimit;
        _fixedSendWaitOrder = FixedWaitOrder(options, source: true);
        _fixedRecvWaitOrder = FixedWaitOrder(options, source: false);
        Options = options.Validate();
        if (options.WhyNotModelled is { } why) throw new ArgumentException(why);
        Socket = options.IsSocket;
        N = options.Channels;
        P = options.Pages;
        R = options.Rounds;
        AllPages = (1 << P) - 1;
        foreach (SenderSite site in Enum.GetValues<SenderSite>())
            _sender[(int)site] = options.Policy.AtSender(site, options.FlushSetting.Source);
        foreach (ReceiverSite site in Enum.GetValues<ReceiverSite>())
            _receiver[(int)site] = options.Policy.AtReceiver(site, options.FlushSetting.Destination);
        RecvSync = options.Policy.RecvSync;
        Order = options.Policy.Cleanup;
        SendExitKicks = (options.Policy.Errors.Fixes & ErrorFixes.SendExitKicks) != 0;
        TerminatesFromChannel = options.Policy.Errors.SendFailure == SendFailure.TerminateThenKick;
        SyncChecksExiting = options.Policy.Errors.SyncChecksExiting;
        RecvWakesSync = (options.Policy.Errors.Fixes & ErrorFixes.RecvTerminateWakesSync) != 0 && RecvSync == RecvSyncKind.Reentrant;
        _guestWriteLimit = guestWriteLimit ?? options.GuestWrites;
        _guestBudget = guestWriteLimit is null ? options.GuestBudget : 0;
        _countInterval = _guestBudget == 0 || _guestWriteLimit < _guestBudget;
        (_chunkFirst, _chunkCount) = BuildChunks(P, options.ChunkPages);
        Actions = BuildActions();
        _mainActions = [.. Actions.Where(a => a.Arg != ArgKind.GuestWrite && !a.Name.StartsWith("send.", StringComparison.Ordinal) && !a.Name.StartsWith("recv.", StringComparison.Ordinal))];
        Initial = Canonical(InitialState(AllPages, null));
    }

    public ModelCheckOptions Options { get; }

    /// <summary>Whether channel steps are offered only on the first of equal channel words.</summary>
    public bool PruneEqualChannels { get; }

    /// <summary>This machine without the pruning of equal channels: the unreduced model, whose guards a replayed
    /// counterexample must satisfy step by step.</summary>
    public ModelMachine Unreduced => _unreduced ??= PruneEqualChannels || Options.Abstraction || Options.FixedWaitOrder
        ? new ModelMachine(Options with { Abstraction = false, FixedWaitOrder = false }, _guestWriteLimitArgument, false)
        : this;

    /// <summary>
    /// The wait-order reduction (<see cref="ModelCheckOptions.FixedWaitOrder"/>): a sync waits for its channels in the
    /// order they sit in the state (QEMU's index order when channels are not sorted) instead of any order. The order is
    /// the migration (destination) thread's own: no channel reads it, each wait takes two steps whatever the order, and a
    /// sync completes when every channel has answered. It matters only when a channel may never answer or a check of
    /// <c>exiting</c> between two waits may see a failure: so it applies only with that side's IO errors off, and on the
    /// source not with <see cref="Mutation.SyncSkipsChannelsReady"/> (whose violation is inside the sync loop). On a socket
    /// with its destination a channel may never answer without any error (its connection full, its receiver parked): the
    /// order cannot change a verdict (the sync needs every answer whatever the order, and only the migration thread reads
    /// what a wait takes), but a deadlock may come a step sooner in another order, so <c>ModelChecker.Check</c> searches a
    /// violation found there again without the reduction for its shortest run.
    /// </summary>
    private static bool FixedWaitOrder(ModelCheckOptions o, bool source) =>
        o.FixedWaitOrder && (o.Errors & (source ? ErrorSides.Source : ErrorSides.Destination)) == 0
        && (!source || (o.Mutations & Mutation.SyncSkipsChannelsReady) == 0);

    /// <summary>Whether <paramref name="ch"/> is the first channel whose sync turn is <paramref name="turn"/>.</summary>
    private bool FirstWithTurn(in ModelState s, int ch, SyncTurn turn, bool source)
    {
        for (var i = 0; i < ch; i++)
        {
            var t = source ? SendBits.Turn.Get(s.Ch(i)) : RecvBits.Turn.Get(s.Ch(i));
            if (t == (int)turn) return false;
        }
        return true;
    }

    /// <summary>The argument <see cref="Unreduced"/> takes for this machine's step <paramref name="action"/> with argument
    /// <paramref name="arg"/> (channels as they are, the guest abstraction's extra arguments dropped); a guest write whose
    /// content this machine leaves open writes <paramref name="content"/>.</summary>
    public int UnreducedArg(int action, int arg, bool content = false)
    {
        switch (Actions[action].Arg)
        {
            case ArgKind.ChunkCount:
                return 0;
            case ArgKind.ChannelContent:
                return WriteBeginArg(arg).Channel;
            case ArgKind.GuestWrite:
                var (page, data) = GuestArg(arg);
                return Unreduced.GuestWriteArg(page, DeferContents ? content : data);
            default:
                return arg;
        }
    }

    /// <summary>The socket transport's source (<c>ModelMachine.Creation.cs</c>): channels are created asynchronously, a sync
    /// answer is a SYNC packet, and there is no file bitmap.</summary>
    public bool Socket { get; }

    public int N { get; }
    public int P { get; }
    public int R { get; }
    public int AllPages { get; }
    public RecvSyncKind RecvSync { get; }

    /// <summary>The send-side fix (docs/fixes/send-sync-hang.md): every send thread that leaves its loop posts its
    /// <c>sem_sync</c> and one <c>channels_ready</c>, not only the one that failed.</summary>
    public bool SendExitKicks { get; }

    /// <summary>8.2's send failure (<see cref="SendFailure.TerminateThenKick"/>): the failing thread runs
    /// <c>multifd_send_terminate_threads(err)</c> itself, then posts its own <c>sem_sync</c> and one <c>channels_ready</c>.</summary>
    public bool TerminatesFromChannel { get; }

    /// <summary>The send sync checks <c>exiting</c> before each wait of its second loop (9.0+); 8.2's second loop checks
    /// nothing (multifd.c:634-645 @8.2).</summary>
    public bool SyncChecksExiting { get; }

    /// <summary>8.2 with a failed connect: its sync's first loop posts the channels before the quit one, in channel order
    /// (multifd.c:618-633 @8.2), so channel numbers matter and the symmetry reduction is off (<see cref="Symmetric"/>).</summary>
    public bool QuitOrderMatters { get; }

    /// <summary>The channel-symmetry reduction applies: asked for, and channel numbers do not matter.</summary>
    public bool Symmetric { get; }

    /// <summary>The recv-side fix (docs/fixes/recv-sync-hang.md) on a re-entrant sync: the first termination posts the
    /// shared <c>sem_sync</c> once per channel, and a sync that ends with <c>exiting</c> set fails the load.</summary>
    public bool RecvWakesSync { get; }
    public CleanupOrder Order { get; }
    public ModelState Initial { get; }
    public IReadOnlyList<ModelAction> Actions { get; }

    /// <summary>The run's end: the load finished, or the save failed and there is nothing to load.</summary>
    public static bool IsTerminal(ModelState s) => (Pc)MainBits.Pc.Get(s.Main) == Pc.Done;

    /// <summary>Whether any thread can take a step; false in a non-terminal state means the run is stuck. The guest does
    /// not count: its writes unblock nobody, so a run where only the guest can still write is stuck already.</summary>
    public bool AnyEnabled(ModelState s)
    {
        // With a socket destination a packet may not fit, and the recv threads and the destination's main thread run
        // beside the source: every step's guard is asked.
        if (SocketDestination)
        {
            foreach (var a in Actions)
            {
                if (a.Arg == ArgKind.GuestWrite) continue;
                foreach (var x in a.Domain)
                {
                    if (a.Guard(s, x)) return true;
                }
            }
            return false;
        }
        // A channel thread in the middle of IO can always finish it, and one woken on its sem always has a step
        // (exit, job, or sync), so channel threads need no guard calls; only the main threads do.
        for (var i = 0; i < N; i++)
        {
            var w = s.Ch(i);
            var busy = IsSource(s) ? SendBits.Phase.Get(w) == (int)ChannelPhase.Busy : RecvBits.Phase.Get(w) == (int)ChannelPhase.Busy;
            // A creation still connecting can always complete, a new thread's first write always ends.
            if (IsSource(s) && SendBits.Creating.On(w)) return true;
            var woken = IsSource(s)
                ? SendBits.Phase.Get(w) == (int)ChannelPhase.Idle && SendBits.Sem.Get(w) > 0
                : RecvBits.Phase.Get(w) == (int)ChannelPhase.Idle && RecvBits.Sem.Get(w) > 0;
            if (busy || woken) return true;
        }
        foreach (var a in _mainActions)
        {
            for (var i = 0; i < a.Domain.Length; i++)
            {
                if (a.Guard(s, a.Domain[i])) return true;
            }
        }
        return false;
    }

    /// <summary>
    /// Before the save: the send threads have started and each posted its <c>channels_ready</c> token (§2.3),
    /// every page is in the migration bitmap (the bulk stage), and the migration thread is in <c>ram_save_setup</c>
    /// at the Setup site; when a file channel's creation may fail, the migration thread is still creating them
    /// (<see cref="Pc.Create"/>). On the socket transport every channel is still connecting (no thread, no token) and setup
    /// is at its <c>channels_created</c> wait. The checker starts with every page holding data (<see cref="Initial"/>); the trace
    /// validator starts from any <paramref name="dataMask"/> (pages outside it are all zero), since a real guest may
    /// hold zero pages before the save. Not canonicalized; <paramref name="sink"/> receives what the setup site emits
    /// before the first visible step.
    /// </summary>
    public ModelState InitialState(int dataMask, EventSink? sink)
    {
        var main = MainBits.Pc.Set(0UL, (int)Pc.Gap);
        main = MainBits.Tokens.Set(main, N);
        main = MainBits.Pending.Set(main, MainBits.NoPage);
        var s = Pages.Set(new ModelState(main, 0, 0) { Ext = Switches.With(0, Options.Mutations) }, PageFact.Data, dataMask & AllPages);
        s = Pages.Set(s, PageFact.ToSend, AllPages);
        if (Socket)
        {
            for (var i = 0; i < N; i++) s = s.WithCh(i, SendBits.Creating.Set(0UL, true));
            s = s with { Main = MainBits.Pc.Set(MainBits.Tokens.Set(s.Main, 0), (int)Pc.Create) };
            if (SocketDestination) InitialDestination(ref s, sink);
            return s;
        }
        if (CreatesChannels) return s with { Main = MainBits.Pc.Set(s.Main, (int)Pc.Create) };
        AtSenderSite(ref s, SenderSite.Setup, sink);
        return s;
    }

    // ---- policy answers, with the state's mutation switches applied ----

    private SenderDecision Sender(SenderSite site, ulong ext)
    {
        var d = _sender[(int)site];
        var mutations = Switches.Of(ext);
        if (site == SenderSite.Complete && d.EmitFlush && (mutations & Mutation.FinalSyncWithoutFlush) != 0) d = d with { EmitFlush = false };
        var skip = site switch
        {
            SenderSite.RoundWrap or SenderSite.IterateEnd => (mutations & Mutation.NoRoundSync) != 0 && d.Sync != SendSync.None,
            SenderSite.Complete => (mutations & Mutation.NoCompleteSync) != 0 && d.Sync != SendSync.None,
            _ => false,
        };
        return skip ? d with { Sync = SendSync.None } : d;
    }

    private ReceiverDecision Receiver(ReceiverSite site, ulong ext)
    {
        var d = _receiver[(int)site];
        var mutations = Switches.Of(ext);
        return d == ReceiverDecision.Sync && (mutations & Mutation.NoRecvSync) != 0 ? ReceiverDecision.Ignore : d;
    }

    private static bool Has(ulong ext, Mutation m) => Switches.Has(ext, m);

    // ---- chunks: maximal runs of set file-bitmap bits, cut at ChunkPages (§1.6) ----

    public int ChunkCount(int fileBitmap) => _chunkFirst[fileBitmap].Length;

    public (int First, int Count) Chunk(int fileBitmap, int index) => (_chunkFirst[fileBitmap][index], _chunkCount[fileBitmap][index]);

    private static (byte[][], byte[][]) BuildChunks(int pages, int chunkPages)
    {
        var first = new byte[1 << pages][];
        var count = new byte[1 << pages][];
        for (var w = 0; w < 1 << pages; w++)
        {
            var f = new List<byte>();
            var c = new List<byte>();
            var p = 0;
            while (p < pages)
            {
                if ((w >> p & 1) == 0) { p++; continue; }
                var start = p;
                while (p < pages && (w >> p & 1) != 0 && p - start < chunkPages) p++;
                f.Add((byte)start);
                c.Add((byte)(p - start));
            }
            first[w] = [.. f];
            count[w] = [.. c];
        }
        return (first, count);
    }

    // ---- small helpers ----

    private static int Bit(int page) => 1 << page;

    private static int Lowest(int mask) => mask == 0 ? -1 : BitOperations.TrailingZeroCount(mask);

    /// <summary>The first set bit at or after <paramref name="from"/>, or <paramref name="limit"/> if none below it.</summary>
    private static int NextSet(int mask, int from, int limit)
    {
        for (var p = from; p < limit; p++)
        {
            if ((mask >> p & 1) != 0) return p;
        }
        return limit;
    }

    private static Pc PcOf(in ModelState s) => (Pc)MainBits.Pc.Get(s.Main);

    private static bool IsSource(in ModelState s) => MainBits.Pc.Get(s.Main) < (int)Pc.RecvQueue;

    private static void Emit(EventSink? sink, EventKind kind, Actor actor, int channel = -1, long id = -1, int page = -1, int count = 0,
        int round = 0, RamFlag flag = RamFlag.None, string? error = null)
    {
        sink?.Add(new TraceEvent(kind, actor, channel, id, page >= 0 ? 0 : -1, page, count, round, 0, flag, error));
    }
}
