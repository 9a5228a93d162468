using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Implementation.Send;

/// <summary>
/// One multifd send channel (<c>MultiFDSendParams</c> and <c>multifd_send_thread</c>, reference §2.1, §2.3,
/// file mode §2.5): <c>sem</c> says "a job or a sync is for you", <c>sem_sync</c> answers a sync request.
/// </summary>
internal sealed class SendChannel
{
    private readonly MultifdSend _owner;
    private readonly List<ReadOnlyMemory<byte>> _iov = [];
    private Thread? _thread;
    private bool _pendingJob;
    private int _pendingSync;

    public SendChannel(MultifdSend owner, int id, int batchCapacity)
    {
        _owner = owner;
        Id = id;
        Batch = new PageBatch(batchCapacity);
    }

    public int Id { get; }
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

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true };
        _thread.Start();
    }

    public void Join() => _thread?.Join();

    private void Run()
    {
        try
        {
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
            Observer?.On(new TraceEvent(EventKind.Wake, Me, Id));
            if (PendingJob)
            {
                WriteBatch(Batch);
                Batch.Reset();
                PendingJob = false;
            }
            else
            {
                var req = PendingSync;
                if (req == SendSync.None)
                    throw new ProtocolViolationException(PropertyId.SemaphoreAccounting, $"send channel {Id} woken with neither a job nor a sync request (spurious wakeup, 859ebaf3)");
                PendingSync = SendSync.None;
                Observer?.On(new TraceEvent(EventKind.SyncAck, Me, Id));
                SemSync.Release();
            }
        }
    }

    /// <summary><c>send_prepare</c> (zero detection, file-bitmap bits) then one positional vectored write per contiguous run.</summary>
    private void WriteBatch(PageBatch batch)
    {
        var block = _owner.Ram.Blocks[batch.Block];
        Observer?.On(new TraceEvent(EventKind.WriteBegin, Me, Id, batch.Id, batch.Block, batch.Pages[0], batch.Count));
        Span<long> normal = stackalloc long[batch.Count];
        var normalCount = 0;
        foreach (var page in batch.Pages)
        {
            if (block.IsZeroPage(page))
            {
                if ((_owner.Mutations & Mutation.ZeroPageBitNotCleared) == 0) _owner.FileBitmap.Clear(batch.Block, page);
            }
            else
            {
                _owner.FileBitmap.Set(batch.Block, page);
                normal[normalCount++] = page;
            }
        }
        WriteRuns(block, normal[..normalCount]);
        Observer?.On(new TraceEvent(EventKind.WriteEnd, Me, Id, batch.Id, batch.Block, batch.Pages[0], batch.Count));
    }

    private void WriteRuns(Guest.RamBlock block, ReadOnlySpan<long> pages)
    {
        var pagesOffset = _owner.Placements[block.Index].PagesOffset;
        for (var start = 0; start < pages.Length;)
        {
            var end = start + 1;
            while (end < pages.Length && pages[end] == pages[end - 1] + 1) end++;
            var first = pages[start];
            if (first < 0 || pages[end - 1] >= block.Pages)
                throw new ProtocolViolationException(PropertyId.NoStalePage, $"run of block '{block.Name}' at page {first} leaves the block's {block.Pages} pages");
            // The run's pages are contiguous in the block's memory too: one iovec covers the run.
            _iov.Clear();
            _iov.Add(block.Memory.AsMemory(checked((int)(first * block.PageSize)), (end - start) * block.PageSize));
            _owner.File.Write(_iov, pagesOffset + first * block.PageSize);
            start = end;
        }
    }
}
