using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Implementation.Recv;

/// <summary>
/// One multifd recv channel in file mode (<c>MultiFDRecvParams</c> and <c>multifd_recv_thread</c>, reference
/// §3.1–§3.2): woken by <c>sem</c>; with a pending job it performs one positional read; woken without one it
/// answers a sync request — re-entrant (post the shared <c>sem_sync</c>, keep running) or one-shot (v4:
/// leave the loop; every exit posts the channel's own <c>sem_sync</c>, reference §4(b)).
/// </summary>
internal sealed class RecvChannel
{
    private readonly MultifdRecv _owner;
    private Thread? _thread;
    private bool _pendingJob;

    public RecvChannel(MultifdRecv owner, int id)
    {
        _owner = owner;
        Id = id;
    }

    public int Id { get; }
    public SemaphoreSlim Sem { get; } = new(0);
    public SemaphoreSlim SemSync { get; } = new(0);

    /// <summary>Owned by the channel while <see cref="PendingJob"/> is true.</summary>
    public RecvChunk Data { get; set; } = new();

    /// <summary>Bytes this channel read (its own counter; read it after the join).</summary>
    public long BytesLoaded { get; private set; }

    public bool PendingJob
    {
        get => Volatile.Read(ref _pendingJob);
        set => Volatile.Write(ref _pendingJob, value);
    }

    private ITraceObserver? Observer => _owner.Observer;
    private Actor Me => Actor.Receiver(Id);

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true };
        _thread.Start();
    }

    public void Join() => _thread?.Join();

    private void Run()
    {
        string? error = null;
        try
        {
            Loop();
        }
        catch (Exception e)
        {
            error = e.Message;
            _owner.TerminateThreads(e); // multifd_recv_terminate_threads(err)
        }
        Observer?.On(new TraceEvent(EventKind.Exit, Me, Id, Error: error));
        if (_owner.SyncKind == RecvSyncKind.OneShot)
        {
            Observer?.On(new TraceEvent(EventKind.SyncPost, Me, Id));
            SemSync.Release();
        }
    }

    private void Loop()
    {
        while (true)
        {
            Sem.Wait();
            if (_owner.Exiting) return;
            Observer?.On(new TraceEvent(EventKind.Wake, Me, Id));
            if (!PendingJob)
            {
                if (_owner.SyncKind == RecvSyncKind.OneShot) return;
                Observer?.On(new TraceEvent(EventKind.SyncPost, Me, Id));
                _owner.SemSync.Release();
                if (_owner.ExitAfterSync) return;
                continue;
            }
            var d = Data;
            if (d.Size != 0) Read(d);
            d.Reset();
            _owner.JobDone(this);
        }
    }

    private void Read(RecvChunk d)
    {
        Observer?.On(new TraceEvent(EventKind.ReadBegin, Me, Id, d.Id, d.Block, d.Page, d.Pages));
        var block = _owner.Ram.Blocks[d.Block];
        var target = block.Memory.AsSpan(checked((int)(d.Page * block.PageSize)), d.Size);
        var n = _owner.File.Read(target, d.FileOffset);
        if (n != d.Size)
            throw new IOException($"recv channel {Id}: short read of {d.Size} bytes at file offset 0x{d.FileOffset:x}: the file ends after {n} bytes");
        BytesLoaded += d.Size;
        Observer?.On(new TraceEvent(EventKind.ReadEnd, Me, Id, d.Id, d.Block, d.Page, d.Pages));
    }
}
