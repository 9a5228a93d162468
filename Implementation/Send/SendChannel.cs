using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Implementation.Send;

/// <summary>
/// One multifd send channel (<c>MultiFDSendParams</c> and <c>multifd_send_thread</c>, reference §2.1, §2.3):
/// <c>sem</c> says "a job or a sync is for you", <c>sem_sync</c> answers a sync request. Where the pages go
/// (file or socket) is the channel's <see cref="IPageSink"/>.
/// </summary>
internal sealed class SendChannel
{
    private static readonly PageBatch NoPages = new(1);
    private readonly MultifdSend _owner;
    private readonly object _gate = new();
    private Thread? _thread;
    private bool _closed;
    private bool _pendingJob;
    private int _pendingSync;
    private int _syncWakesOwed;

    public SendChannel(MultifdSend owner, int id, int batchCapacity, IPageSink sink)
    {
        _owner = owner;
        Id = id;
        Sink = sink;
        Batch = new PageBatch(batchCapacity);
    }

    public int Id { get; }
    public IPageSink Sink { get; }
    public SemaphoreSlim Sem { get; } = new(0);
    public SemaphoreSlim SemSync { get; } = new(0);

    /// <summary>Owned by the channel while <see cref="PendingJob"/> is true, by the migration thread otherwise.</summary>
    public PageBatch Batch { get; set; }

    public bool PendingJob
    {
        get => Volatile.Read(ref _pendingJob);
        set => Volatile.Write(ref _pendingJob, value);
    }

    public SendSync PendingSync
    {
        get => (SendSync)Volatile.Read(ref _pendingSync);
        set => Volatile.Write(ref _pendingSync, (int)value);
    }

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

    /// <summary>The join of <c>multifd_send_shutdown</c> (only a thread that was created is joined), after which the channel is freed.</summary>
    public void CloseAndJoin()
    {
        Thread? thread;
        lock (_gate)
        {
            _closed = true;
            thread = _thread;
        }
        thread?.Join();
    }

    private void Run()
    {
        try
        {
            Sink.Open();
            Loop();
            Observer?.On(new TraceEvent(EventKind.Exit, Me, Id));
        }
        catch (Exception e)
        {
            _owner.SetError(e);
            Observer?.On(new TraceEvent(EventKind.Exit, Me, Id, Error: e.Message));
            if ((_owner.Mutations & Mutation.ErrorWithoutKick) != 0) return;
            // multifd_send_kick_main: the migration thread may wait on either semaphore for this channel.
            SemSync.Release();
            _owner.ChannelsReady.Release();
        }
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
                // 8.2 (reference §2.7): a sync request that arrived before the thread took its job rides on the job's packet.
                var carry = Sink.UsesPackets && (_owner.Mutations & Mutation.SyncCarriesPages) != 0 && PendingSync == SendSync.All;
                if (carry) PendingSync = SendSync.None;
                WriteBatch(Batch, carry);
                Batch.Reset();
                PendingJob = false;
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
        Observer?.On(new TraceEvent(EventKind.WriteBegin, Me, Id, batch.Id, batch.Block, batch.Pages[0], batch.Count));
        Sink.Write(batch, sync);
        Observer?.On(new TraceEvent(EventKind.WriteEnd, Me, Id, batch.Id, batch.Block, batch.Pages[0], batch.Count));
    }
}
