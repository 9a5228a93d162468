using SyncModel.Protocol.Vocabulary;
using SyncModel.Model.Machine;
using SyncModel.Model.State;
using SyncModel.Protocol.Events;

namespace SyncModel.Model.Checking;

/// <summary>
/// The docs/design.md properties the model can state, as predicates over one state or one step (before, after). Each
/// carries the sentence it comes from; the ids are <see cref="PropertyId"/> names, so a violation names its property.
/// </summary>
internal sealed class Requirements(ModelMachine m)
{
    // Each requirement's sentence is its property's statement in Protocol's catalog, written once for every checker,
    // report and help text, with the sections it comes from.
    private static string Quote(PropertyId id) => $"{PropertyCatalog.Of(id).Statement} ({PropertyCatalog.Of(id).Sources})";

    public static readonly string NoDeadlockQuote = Quote(PropertyId.NoDeadlock);
    public static readonly string DrainQuote = Quote(PropertyId.DrainBeforeCleanup);
    public static readonly string SendDrainQuote = Quote(PropertyId.SendDrainBeforeBitmap);
    public static readonly string StaleQuote = Quote(PropertyId.NoStalePage);
    public static readonly string AccountingQuote = Quote(PropertyId.SemaphoreAccounting);
    public static readonly string UseAfterFreeQuote = Quote(PropertyId.NoUseAfterFree);
    public static readonly string ErrorQuote = Quote(PropertyId.ErrorSurfaces);
    public static readonly string UnexpectedFailureQuote = Quote(PropertyId.NoUnexpectedFailure);

    /// <summary>A non-terminal state where no thread can move.</summary>
    public bool NotStuck(ModelState s) => ModelMachine.IsTerminal(s) || m.AnyEnabled(s);

    /// <summary>The destination's main thread runs LoadCleanup, Shutdown or VmStart of a load it believes succeeded
    /// while a channel still has <c>pending_job</c>: queued, being read, or dropped unread by a thread that left.</summary>
    public bool CleanupWithChunkOutstanding(ModelState b, ModelState a)
    {
        var moved = m.SocketDestination
            ? DestBits.Pc.Get(a.Aux) != DestBits.Pc.Get(b.Aux) || DestBits.Site.Get(a.Aux) != DestBits.Site.Get(b.Aux)
            : MainBits.Pc.Get(a.Main) != MainBits.Pc.Get(b.Main) || MainBits.Site.Get(a.Main) != MainBits.Site.Get(b.Main);
        return moved && ChunkOutstandingAtCleanup(b);
    }

    /// <summary>The end-of-load step the destination is at (LoadCleanup, Shutdown or VmStart of a load it believes
    /// succeeded) would run now with a channel's <c>pending_job</c> still set.</summary>
    public bool ChunkOutstandingAtCleanup(ModelState b)
    {
        var step = m.CurrentCleanup(b);
        if (m.SocketDestination)
        {
            // A packet whose pages are being read (its ReadBegin without its ReadEnd) is in flight, as the Implementation's checker sees it.
            if (step is null or CleanupStep.Join || DestBits.Failed.On(b.Aux)) return false;
            for (var i = 0; i < m.N; i++)
            {
                if (SocketRecvBits.Phase.Get(b.Ch(i)) == (int)SocketRecvPhase.Reading) return true;
            }
            return false;
        }
        if (step is null or CleanupStep.Join || MainBits.Failed.On(b.Main)) return false;
        for (var i = 0; i < m.N; i++)
        {
            if (RecvBits.PendingJob.On(b.Ch(i))) return true;
        }
        return false;
    }

    /// <summary>At the bitmap write of a save that has not failed, some send channel still holds a batch (queued or being
    /// written). Once a send channel failed, the batch it never finished is lost, not in flight, and the file is one nobody
    /// loads: QEMU may write the bitmap after a sync that took the failed channel's kick for its answer (docs/protocol.md
    /// §2.4, no <c>exiting</c> check after the last wait), as the Implementation's stream checker allows too.</summary>
    public bool BitmapWithBatchOutstanding(ModelState b, ModelState a)
    {
        if (MainBits.ErrorUsed.On(b.Main) || MainBits.Failed.On(b.Main)) return false;
        for (var i = 0; i < m.N; i++)
        {
            if (SendBits.Job(b.Ch(i)) != 0) return true;
        }
        return false;
    }

    /// <summary>The save ends without error and the file does not hold the guest as of completion.</summary>
    public bool SavedFileStale(ModelState b, ModelState a)
    {
        // A socket save writes no file; its pages' order is the destination's question, which the model does not have.
        if (m.Socket || MainBits.Failed.On(b.Main) || MainBits.ErrorUsed.On(b.Main)) return false;
        var data = Pages.Get(b, PageFact.Data) & m.AllPages;
        var file = Pages.Get(b, PageFact.FileBit) & m.AllPages;
        var current = Pages.Get(b, PageFact.SlotCurrent);
        // The guest abstraction's unknown content or bitmap bit can be stale (some value of it is).
        var unknown = (Pages.Get(b, PageFact.DataUnknown) | Pages.Get(b, PageFact.FileUnknown)) & m.AllPages;
        return unknown != 0 || file != data || (data & ~current) != 0;
    }

    /// <summary>A socket destination starts the VM of a load it believes succeeded on a page that does not hold the guest's
    /// newest content (never sent, lost, or an older copy landed after the newest): RoundTrip as the model states it.</summary>
    public bool DestinationStale(ModelState b, ModelState a) =>
        m.SocketDestination && !DestBits.Failed.On(b.Aux) && (Pages.Get(b, PageFact.SlotCurrent) & m.AllPages) != m.AllPages;

    /// <summary>A socket destination whose load has not failed is about to shut its channels down while a recv thread is
    /// parked at a SYNC that no recv sync collected: its post on the shared <c>sem_sync</c> is never consumed (docs/protocol.md
    /// §5.7). A failed load's termination releases the channels and nothing of it is used, as the Implementation's checker
    /// judges it.</summary>
    public bool ParkedAtShutdown(ModelState s) =>
        m.SocketDestination && m.CurrentCleanup(s) == CleanupStep.Shutdown && DestBits.Tokens.Get(s.Aux) > 0 && !DestBits.Failed.On(s.Aux);

    /// <summary><c>channels_ready</c> and every <c>sem</c> agree with the jobs and syncs outstanding (source, no error); on a
    /// socket destination no recv thread is left parked at a SYNC when the channels are shut down.</summary>
    public bool Accounted(ModelState s)
    {
        if (ParkedAtShutdown(s)) return false;
        if (MainBits.Pc.Get(s.Main) >= (int)Pc.RecvQueue || MainBits.Exiting.On(s.Main) || MainBits.ErrorUsed.On(s.Main)) return true;
        var balance = MainBits.Tokens.Get(s.Main);
        for (var i = 0; i < m.N; i++)
        {
            var w = s.Ch(i);
            var job = SendBits.Job(w) != 0;
            var sync = SendBits.PendingSync.On(w);
            // A sync request whose SYNC rides on the job's packet (SyncCarriesPages) still has its post and its token to come.
            var owed = SocketRecvBits.CarriesSync.Get(w) + SocketRecvBits.OwesWake.Get(w);
            balance += owed;
            var turn = (SyncTurn)SendBits.Turn.Get(w);
            if (job) balance++;
            if (sync) balance++;
            if (turn is SyncTurn.Requested or SyncTurn.Waiting) balance--;
            // A socket channel still connecting owes the token its thread posts when it starts.
            if (SendBits.Creating.On(w)) balance++;
            var queued = job && SendBits.Phase.Get(w) == (int)ChannelPhase.Idle ? 1 : 0;
            if (SendBits.Sem.Get(w) != queued + (sync ? 1 : 0) + owed) return false;
        }
        return balance == m.N;
    }

    /// <summary>A step touches freed state: a send thread prepares a batch (touching the file bitmap) after the bitmap was
    /// freed, or a socket channel's creation completes after <c>multifd_send_shutdown</c> freed the channels (§5.4).</summary>
    public static bool UsesFreedState(ModelState b, ModelState a) => MainBits.Freed.On(b.Main) || MainBits.Pc.Get(b.Main) == (int)Pc.SourceFreed;

    /// <summary>The cleanup's terminate posts the <c>sem</c> of channels <c>multifd_send_setup</c> never initialised (9.0's
    /// early return at a failed creation): QEMU's <c>qemu_sem_post</c> asserts, a crash the injected failure does not
    /// account for.</summary>
    public static bool TerminateOnUninitialisedChannels(ModelState b, ModelState a) => MainBits.Pc.Get(b.Main) == (int)Pc.SetupReturnedEarly;

    /// <summary>The VM starts although an injected IO error happened.</summary>
    public static bool VmStartAfterError(ModelState b, ModelState a) => MainBits.ErrorUsed.On(b.Main);
}
