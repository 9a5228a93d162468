using SyncModel.Implementation.Concurrency;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Implementation.Send;

/// <summary>
/// One multifd send channel (<c>MultiFDSendParams</c> and <c>multifd_send_thread</c>, docs/protocol.md §2.1, §2.3):
/// <c>sem</c> says "a job or a sync is for you", <c>sem_sync</c> answers a sync request. Where the pages go
/// (file or socket) is the channel's <see cref="IPageSink"/>.
/// </summary>
internal sealed class SendChannel
{
    private static readonly PageBatch NoPages = new(1);
    private readonly MultifdSend _owner;
    private readonly object _gate = new();
    private readonly FreedState _state;
    private int _initialized;
    private bool _quit;
    private readonly SemaphoreSlim _sem = new(0);
    private readonly SemaphoreSlim _semSync = new(0);
    private Thread? _thread;
    private bool _closed;
    private bool _joined;
    private bool _pendingJob;
    private int _pendingSync;
    private int _syncWakesOwed;
    private PageBatch _batch;

    public SendChannel(MultifdSend owner, int id, int batchCapacity, IPageSink sink)
    {
        _owner = owner;
        Id = id;
        Sink = sink;
        _batch = new PageBatch(batchCapacity);
        _state = new FreedState($"send channel {id} (MultiFDSendParams)");
    }

    public int Id { get; }
    public IPageSink Sink { get; }

    /// <summary><c>p->sem</c>: "a job or a sync request is for you".</summary>
    public SemaphoreSlim Sem => Alive(_sem, "p->sem");

    /// <summary><c>p->sem_sync</c>: the channel's answer to a sync request.</summary>
    public SemaphoreSlim SemSync => Alive(_semSync, "p->sem_sync");

    /// <summary>Owned by the channel while <see cref="PendingJob"/> is true, by the migration thread otherwise.</summary>
    public PageBatch Batch
    {
        get => Alive(Volatile.Read(ref _batch), "the batch (p->pages)");
        set => Volatile.Write(ref _batch, Alive(value, "the batch (p->pages)"));
    }

    public bool PendingJob
    {
        get => Alive(Volatile.Read(ref _pendingJob), "p->pending_job");
        set => Volatile.Write(ref _pendingJob, Alive(value, "p->pending_job"));
    }

    public SendSync PendingSync
    {
        get => (SendSync)Alive(Volatile.Read(ref _pendingSync), "p->pending_sync");
        set => Volatile.Write(ref _pendingSync, Alive((int)value, "p->pending_sync"));
    }

    /// <summary>Whether the channel's state was freed by <see cref="Free"/>.</summary>
    public bool IsFreed => _state.IsFreed;

    /// <summary>8.2's <c>p->quit</c>: set by terminate and by a failed creation; dispatch and the sync's first loop fail on it.</summary>
    public bool Quit
    {
        get => Alive(Volatile.Read(ref _quit), "p->quit");
        set => Volatile.Write(ref _quit, Alive(value, "p->quit"));
    }

    /// <summary><c>qemu_sem_init</c> of the channel's semaphores in <c>multifd_send_setup</c>; until then touching them asserts.</summary>
    public void Initialize() => Volatile.Write(ref _initialized, 1);

    private ITraceObserver? Observer => _owner.Observer;
    private Actor Me => Actor.Sender(Id);

    /// <summary>
    /// <c>multifd_channel_connect</c>: creates the channel's thread, unless <see cref="CloseAndJoin"/> already ran
    /// (the channel is freed); returns false then.
    /// </summary>
    public bool TryStart()
    {
        lock (_gate)
        {
            if (_closed) return false;
            _thread = new Thread(Run) { IsBackground = true };
            _thread.Start();
            return true;
        }
    }

    /// <summary>
    /// The join in <c>multifd_send_terminate_threads</c> (only a thread that was created is joined; after it no creation may
    /// start one). Announces the join of a thread that ran.
    /// </summary>
    public void CloseAndJoin()
    {
        Thread? thread;
        lock (_gate)
        {
            _closed = true;
            thread = _thread;
        }
        if (thread is null) return;
        thread.Join();
        _joined = true;
        Observer?.On(new TraceEvent(EventKind.ThreadJoin, Actor.Migration, Id));
    }

    /// <summary><c>multifd_send_cleanup_channel</c>: the semaphores, batch and packet are freed; any later touch is a use after free.</summary>
    public void Free()
    {
        Observer?.On(new TraceEvent(EventKind.Free, Actor.Migration, Id));
        _state.Free();
    }

    /// <summary>Whether the channel's thread was created and joined.</summary>
    public bool Joined => _joined;

    private T Alive<T>(T value, string what)
    {
        _state.Touch(what, Observer);
        if (Volatile.Read(ref _initialized) == 0)
        {
            var message = $"{what} of send channel {Id} is used, but multifd_send_setup never initialised it: it returned at an earlier "
                + "channel's failed creation (QEMU asserts in qemu_sem_post; 0bd5b9284f, 9.1)";
            Observer?.ReportViolation(PropertyId.NoUnexpectedFailure, message);
            throw new ProtocolViolationException(PropertyId.NoUnexpectedFailure, message);
        }
        return value;
    }

    private void Run()
    {
        Observer?.On(new TraceEvent(EventKind.ThreadStart, Me, Id));
        try
        {
            Sink.Open();
            Loop();
            Observer?.On(new TraceEvent(EventKind.Exit, Me, Id));
            // The proposed send-side fix (docs/fixes/send-sync-hang.md): every exit kicks the migration thread, so a sync
            // waiting on this channel wakes up and sees exiting, even when another channel failed.
            if ((_owner.Errors.Fixes & ErrorFixes.SendExitKicks) != 0) KickMain();
        }
        catch (Exception e)
        {
            Failures.Announce(Observer, Me, e);
            if (_owner.Errors.SendFailure == SendFailure.TerminateThenKick) _owner.TerminateFromChannel(e); // 8.2
            else _owner.SetError(e); // multifd_send_set_error
            Observer?.On(new TraceEvent(EventKind.Exit, Me, Id, Error: e.Message));
            if (e is ProtocolViolationException { Property: PropertyId.NoUseAfterFree }) return;
            if ((_owner.Mutations & Mutation.ErrorWithoutKick) != 0) return;
            KickMain();
        }
    }

    /// <summary><c>multifd_send_kick_main</c>: the migration thread may wait on either semaphore for this channel.</summary>
    private void KickMain()
    {
        SemSync.Release();
        _owner.ChannelsReady.Release();
    }

    private void Loop()
    {
        while (true)
        {
            _owner.ChannelsReady.Release(); // "I am idle"
            Sem.Wait();
            if (_owner.Exiting) return;
            if (!PendingJob && PendingSync == SendSync.None && _syncWakesOwed > 0)
            {
                // 8.2: the wakeup of a sync request whose flag already went out on a job's packet, acked there (the
                // empty packet 8.2 sends here carries nothing, so it is not written, and the wakeup is not a step).
                _syncWakesOwed--;
                continue;
            }
            Observer?.On(new TraceEvent(EventKind.Wake, Me, Id));
            if (PendingJob)
            {
                // 8.2 (docs/protocol.md §2.7): a sync request that arrived before the thread took its job rides on the job's packet.
                var carry = Sink.UsesPackets && (_owner.Mutations & Mutation.SyncCarriesPages) != 0 && PendingSync == SendSync.All;
                if (carry) PendingSync = SendSync.None;
                WriteBatch(Batch, carry);
                if ((_owner.Mutations & Mutation.JobDoneBeforeReset) != 0)
                {
                    PendingJob = false;
                    Batch.Reset();
                }
                else
                {
                    // The batch is empty before pending_job is cleared (store-release): whoever sees the channel idle finds it empty.
                    Batch.Reset();
                    PendingJob = false;
                }
                if (carry) AckSync();
                if (carry) _syncWakesOwed++;
            }
            else
            {
                var req = PendingSync;
                if (req == SendSync.None)
                    throw new ProtocolViolationException(PropertyId.SemaphoreAccounting, $"send channel {Id} woken with neither a job nor a sync request (spurious wakeup, 859ebaf3)");
                PendingSync = SendSync.None;
                if (req == SendSync.All && Sink.UsesPackets) Sink.Write(NoPages, sync: true);
                AckSync();
            }
        }
    }

    private void AckSync()
    {
        Observer?.On(new TraceEvent(EventKind.SyncAck, Me, Id));
        SemSync.Release();
    }

    private void WriteBatch(PageBatch batch, bool sync)
    {
        var pages = TraceEvent.MaskOf(batch.Pages);
        var zeros = batch.IsEmpty ? 0 : Sink.Prepare(batch);
        Observer?.On(new TraceEvent(EventKind.WriteBegin, Me, Id, batch.Id, batch.Block, batch.Pages[0], batch.Count, Pages: pages, Zeros: zeros));
        Sink.Write(batch, sync);
        Observer?.On(new TraceEvent(EventKind.WriteEnd, Me, Id, batch.Id, batch.Block, batch.Pages[0], batch.Count, Pages: pages, Zeros: zeros));
    }
}
