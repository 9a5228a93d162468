using SyncModel.Protocol.Config;
using SyncModel.Model.State;

namespace SyncModel.Model.Machine;

/// <summary>The action table: every thread step with its name, argument domain, guard and effect.</summary>
internal sealed partial class ModelMachine
{
    /// <summary>Action names, as they appear in CsCheck's tables and in <c>on:</c> requirements.</summary>
    public static class Names
    {
        public const string Dispatch = "main.Dispatch";
        public const string SyncRequest = "main.SyncRequest";
        public const string SyncWait = "main.SyncWait";
        public const string SyncDone = "main.SyncDone";
        public const string BitmapSync = "main.BitmapSync";
        public const string FileBitmapWrite = "main.FileBitmapWrite";
        public const string Terminate = "main.Terminate";
        public const string SourceJoin = "main.Join";
        public const string ChannelCreate = "main.ChannelCreate";
        public const string ChannelsCreated = "main.ChannelsCreated";
        public const string Connect = "send.Connect";
        public const string ConnectFail = "send.ConnectFail";
        public const string Open = "send.Open";
        public const string OpenFail = "send.OpenFail";
        public const string SyncFail = "send.SyncFail";
        public const string WriteBegin = "send.WriteBegin";
        public const string WriteEnd = "send.WriteEnd";
        public const string WriteFail = "send.WriteFail";
        public const string SyncAck = "send.SyncAck";
        public const string SendExit = "send.Exit";
        public const string GuestWrite = "guest.GuestWrite";
        public const string RecvQueue = "dest.RecvQueue";
        public const string QueueFail = "dest.QueueFail";
        public const string RecvSyncBegin = "dest.RecvSyncBegin";
        public const string RecvSyncEnd = "dest.RecvSyncEnd";
        public const string OneShotKick = "dest.SyncRequest";
        public const string OneShotWait = "dest.SyncDone";
        public const string LoadCleanup = "dest.LoadCleanup";
        public const string Shutdown = "dest.Shutdown";
        public const string VmStart = "dest.VmStart";
        public const string DestJoin = "dest.Join";
        public const string ReadBegin = "recv.ReadBegin";
        public const string ReadEnd = "recv.ReadEnd";
        public const string ReadFail = "recv.ReadFail";
        public const string SyncPost = "recv.SyncPost";
        public const string RecvExit = "recv.Exit";
        public const string SeeFlag = "dest.SeeFlag";
        public const string RecvWake = "recv.Wake";
        public const string MainFail = "dest.MainFail";
        public const string SendWake = "send.Wake";
    }

    /// <summary>The program counters at which a step of the migration or destination thread can be enabled (its guard
    /// names the counter); null for a channel step or the guest, which can be enabled at any.</summary>
    public static Pc[]? LocationsOf(string action) => action switch
    {
        Names.Dispatch => [Pc.Dispatch],
        Names.SyncRequest => [Pc.SyncRequest],
        Names.SyncWait => [Pc.SyncCommit],
        Names.SyncDone => [Pc.SyncWait],
        Names.BitmapSync => [Pc.Gap],
        Names.FileBitmapWrite => [Pc.BitmapWrite],
        Names.Terminate => [Pc.Terminate, Pc.Dispatch, Pc.SyncRequest, Pc.SyncCommit, Pc.Gap, Pc.SetupFailed, Pc.SetupReturnedEarly],
        Names.ChannelCreate or Names.ChannelsCreated => [Pc.Create],
        Names.SourceJoin => [Pc.SourceJoin],
        Names.RecvQueue or Names.QueueFail => [Pc.RecvQueue],
        Names.RecvSyncBegin => [Pc.RecvKick],
        Names.RecvSyncEnd => [Pc.RecvWait],
        Names.OneShotKick => [Pc.OneShotKick],
        Names.OneShotWait => [Pc.OneShotWait],
        Names.LoadCleanup or Names.Shutdown or Names.VmStart or Names.DestJoin => [Pc.Cleanup],
        _ => null,
    };

    private ModelAction[] BuildActions()
    {
        var channels = Enumerable.Range(0, N).ToArray();
        // With the guest abstraction (ModelMachine.Abstraction.cs) a write may leave its content to the next send, which
        // then chooses it, and the join says how many chunks the file it leaves has.
        var writes = Enumerable.Range(0, (DeferContents ? 1 : 2) * P).ToArray();
        var chunkCounts = Enumerable.Range(0, Options.Abstraction ? P + 1 : 1).ToArray();
        var sends = Enumerable.Range(0, (DeferContents ? 2 : 1) * N).ToArray();
        int[] none = [0];
        ModelAction Ch(string name, Func<ModelState, int, bool> guard, Func<ModelState, int, EventSink?, ModelState> apply) =>
            new(name, ArgKind.Channel, channels, guard, apply);
        ModelAction One(string name, Func<ModelState, bool> guard, Func<ModelState, EventSink?, ModelState> apply) =>
            new(name, ArgKind.None, none, (s, _) => guard(s), (s, _, sink) => apply(s, sink));

        if (SocketDestination) return BuildSocketActions(sends, writes, chunkCounts, Ch, One);
        var list = new List<ModelAction>
        {
            // channel threads first: in most states one of them can move, so AnyEnabled stops early
            new(Names.WriteBegin, DeferContents ? ArgKind.ChannelContent : ArgKind.Channel, sends, CanWriteBegin, WriteBegin),
            Ch(Names.WriteEnd, CanWriteEnd, WriteEnd),
            Ch(Names.SyncAck, CanSyncAck, SyncAck),
            Ch(Names.SendExit, CanSendExit, SendExit),
            Ch(Names.ReadBegin, CanReadBegin, ReadBegin),
            Ch(Names.ReadEnd, CanReadEnd, ReadEnd),
            Ch(Names.SyncPost, CanSyncPost, SyncPost),
            Ch(Names.RecvExit, CanRecvExit, RecvExit),
            // the migration thread
            Ch(Names.Dispatch, CanDispatch, Dispatch),
            One(Names.SyncRequest, CanSyncRequest, SyncRequest),
            Ch(Names.SyncWait, CanSyncWait, SyncWait),
            Ch(Names.SyncDone, CanSyncDone, SyncDone),
            One(Names.BitmapSync, CanBitmapSync, BitmapSync),
            One(Names.FileBitmapWrite, CanBitmapWrite, BitmapWrite),
            One(Names.Terminate, CanTerminate, Terminate),
            new(Names.SourceJoin, ArgKind.ChunkCount, chunkCounts, CanSourceJoin, SourceJoin),
            // the destination's main thread
            Ch(Names.RecvQueue, CanRecvQueue, RecvQueue),
            One(Names.QueueFail, CanQueueFail, QueueFail),
            One(Names.RecvSyncBegin, CanRecvKick, RecvKick),
            One(Names.RecvSyncEnd, CanRecvWait, RecvWait),
            Ch(Names.OneShotKick, CanOneShotKick, OneShotKick),
            Ch(Names.OneShotWait, CanOneShotWait, OneShotWait),
            One(Names.LoadCleanup, s => CanCleanup(s, CleanupStep.LoadCleanup), (s, k) => Cleanup(s, CleanupStep.LoadCleanup, k)),
            One(Names.Shutdown, s => CanCleanup(s, CleanupStep.Shutdown), (s, k) => Cleanup(s, CleanupStep.Shutdown, k)),
            One(Names.VmStart, s => CanCleanup(s, CleanupStep.VmStart), (s, k) => Cleanup(s, CleanupStep.VmStart, k)),
            One(Names.DestJoin, s => CanCleanup(s, CleanupStep.Join), (s, k) => Cleanup(s, CleanupStep.Join, k)),
            // the guest
            new(Names.GuestWrite, ArgKind.GuestWrite, writes, CanGuestWrite, GuestWrite),
        };
        // IO errors are only declared when injected, so an error-free check lists no action that can never fire.
        if ((Options.Errors & ErrorSides.Source) != 0 || Socket) list.Insert(2, Ch(Names.WriteFail, CanWriteFail, WriteFail));
        if (Socket)
        {
            // The socket transport's asynchronous creations (ModelMachine.Creation.cs); no file is written.
            list.Insert(0, Ch(Names.Connect, CanConnect, Connect));
            if (CreatesChannels) list.Insert(1, Ch(Names.ConnectFail, CanConnectFail, ConnectFail));
            list.Insert(1, Ch(Names.Open, CanOpen, Open));
            list.Insert(2, Ch(Names.OpenFail, CanOpenFail, OpenFail));
            list.Insert(list.FindIndex(a => a.Name == Names.SyncAck) + 1, Ch(Names.SyncFail, CanSyncFail, SyncFail));
            list.Insert(list.FindIndex(a => a.Name == Names.Dispatch), new(Names.ChannelsCreated, ArgKind.None, none, CanChannelsCreated, ChannelsCreated));
        }
        else if (CreatesChannels)
        {
            list.Insert(list.FindIndex(a => a.Name == Names.Dispatch), new(Names.ChannelCreate, ArgKind.Index, Enumerable.Range(0, N + 1).ToArray(), CanCreate, Create));
        }
        if ((Options.Errors & ErrorSides.Destination) != 0) list.Insert(list.FindIndex(a => a.Name == Names.SyncPost), Ch(Names.ReadFail, CanReadFail, ReadFail));
        return [.. list];
    }

    /// <summary>The socket migration with its destination (<c>ModelMachine.SocketDestination.cs</c>): the socket source's steps
    /// (no IO errors), the recv threads' packet loop, and the destination's main thread.</summary>
    private ModelAction[] BuildSocketActions(int[] sends, int[] writes, int[] chunkCounts,
        Func<string, Func<ModelState, int, bool>, Func<ModelState, int, EventSink?, ModelState>, ModelAction> ch,
        Func<string, Func<ModelState, bool>, Func<ModelState, EventSink?, ModelState>, ModelAction> one)
    {
        int[] none = [0];
        var mainErrors = (Options.Errors & ErrorSides.Main) != 0;
        List<ModelAction> list =
        [
            ch(Names.Connect, CanConnect, Connect),
            ch(Names.Open, CanOpen, Open),
            new(Names.WriteBegin, DeferContents ? ArgKind.ChannelContent : ArgKind.Channel, sends, CanWriteBegin, WriteBegin),
            ch(Names.WriteEnd, CanWriteEnd, WriteEnd),
            ch(Names.SyncAck, CanSyncAck, SyncAck),
            ch(Names.SendExit, CanSendExit, SendExit),
            ch(Names.ReadBegin, CanSocketReadBegin, SocketReadBegin),
            ch(Names.ReadEnd, CanSocketReadEnd, SocketReadEnd),
            ch(Names.SyncPost, CanSocketSyncPost, SocketSyncPost),
            ch(Names.RecvWake, CanRecvWake, RecvWake),
            ch(Names.RecvExit, CanSocketRecvExit, SocketRecvExit),
            // the migration thread
            new(Names.ChannelsCreated, ArgKind.None, none, CanChannelsCreated, ChannelsCreated),
            ch(Names.Dispatch, CanDispatch, Dispatch),
            one(Names.SyncRequest, CanSyncRequest, SyncRequest),
            ch(Names.SyncWait, CanSyncWait, SyncWait),
            ch(Names.SyncDone, CanSyncDone, SyncDone),
            one(Names.BitmapSync, CanBitmapSync, BitmapSync),
            one(Names.Terminate, CanTerminate, Terminate),
            new(Names.SourceJoin, ArgKind.ChunkCount, chunkCounts, CanSourceJoin, SourceJoin),
            // the destination's main thread
            one(Names.SeeFlag, CanSeeFlag, SeeFlag),
            one(Names.RecvSyncEnd, CanSocketRecvWait, SocketRecvWait),
            one(Names.LoadCleanup, s => CanSocketCleanup(s, CleanupStep.LoadCleanup), (s, k) => SocketCleanup(s, CleanupStep.LoadCleanup, k)),
            one(Names.Shutdown, s => CanSocketCleanup(s, CleanupStep.Shutdown), (s, k) => SocketCleanup(s, CleanupStep.Shutdown, k)),
            one(Names.VmStart, s => CanSocketCleanup(s, CleanupStep.VmStart), (s, k) => SocketCleanup(s, CleanupStep.VmStart, k)),
            one(Names.DestJoin, s => CanSocketCleanup(s, CleanupStep.Join), (s, k) => SocketCleanup(s, CleanupStep.Join, k)),
            // the guest
            new(Names.GuestWrite, ArgKind.GuestWrite, writes, CanGuestWrite, GuestWrite),
        ];
        // SyncCarriesPages' owed wake-up and a recv channel's failing read (RecvSkipsSyncPayload, a mutation switch a CsCheck
        // fault may turn on mid-run, --errors destination, or a packet cut by its failed write: the step is always there); a
        // source write that fails: injected (--errors source), or once the destination is gone. That needs the destination
        // gone while the source still writes: the main stream broke (--errors main, the run's one error), a recv channel
        // failed (RecvSkipsSyncPayload, --errors destination), or complete wrote its EOS without syncing (NoCompleteSync);
        // otherwise the destination reads EOF only after complete's sync, when every packet is written, and the steps
        // are left out (they would cost the partial order much and never fire).
        list.Insert(list.FindIndex(a => a.Name == Names.SyncAck) + 1, ch(Names.SendWake, CanSendWake, SendWake));
        list.Insert(list.FindIndex(a => a.Name == Names.RecvExit), ch(Names.ReadFail, CanRecvFail, RecvFail));
        // A failed source closes the main stream too: the destination's read fails (dest.MainFail).
        if (StreamMayBreak || (Options.Mutations & Mutation.NoCompleteSync) != 0)
        {
            list.Insert(list.FindIndex(a => a.Name == Names.WriteEnd) + 1, ch(Names.WriteFail, CanWriteFail, WriteFail));
            list.Insert(list.FindIndex(a => a.Name == Names.SyncAck) + 1, ch(Names.SyncFail, CanSyncFail, SyncFail));
            list.Insert(list.FindIndex(a => a.Name == Names.Open) + 1, ch(Names.OpenFail, CanOpenFail, OpenFail));
            list.Insert(list.FindIndex(a => a.Name == Names.SeeFlag) + 1, one(Names.MainFail, CanMainFail, MainFail));
        }
        return [.. list];
    }
}
