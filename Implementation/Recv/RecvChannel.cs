using SyncModel.Implementation.Concurrency;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Implementation.Recv;

/// <summary>
/// One multifd recv channel in file mode (<c>MultiFDRecvParams</c> and <c>multifd_recv_thread</c>, docs/protocol.md
/// §3.1–§3.2): woken by <c>sem</c>; with a pending job it performs one positional read; woken without one it
/// answers a sync request — re-entrant (post the shared <c>sem_sync</c>, keep running) or one-shot (v4:
/// leave the loop; every exit posts the channel's own <c>sem_sync</c>, docs/protocol.md §4(b)).
/// </summary>
internal sealed class RecvChannel
{
    private readonly MultifdRecv _owner;
    private readonly FreedState _state;
    private readonly SemaphoreSlim _sem = new(0);
    private readonly SemaphoreSlim _semSync = new(0);
    private Thread? _thread;
    private bool _pendingJob;
    private RecvChunk _data = new();

    public RecvChannel(MultifdRecv owner, int id)
    {
        _owner = owner;
        Id = id;
        _state = new FreedState($"recv channel {id} (MultiFDRecvParams)");
    }

    public int Id { get; }

    /// <summary><c>p->sem</c>: a chunk or a sync kick is for this channel.</summary>
    public SemaphoreSlim Sem => Alive(_sem, "p->sem");

    /// <summary>v4's own <c>p->sem_sync</c>, posted when the thread leaves (one-shot sync).</summary>
    public SemaphoreSlim SemSync => Alive(_semSync, "p->sem_sync");

    /// <summary>Owned by the channel while <see cref="PendingJob"/> is true.</summary>
    public RecvChunk Data
    {
        get => Alive(Volatile.Read(ref _data), "p->data");
        set => Volatile.Write(ref _data, Alive(value, "p->data"));
    }

    /// <summary>Bytes this channel read (its own counter; read it after the join).</summary>
    public long BytesLoaded { get; private set; }

    public bool PendingJob
    {
        get => Alive(Volatile.Read(ref _pendingJob), "p->pending_job");
        set => Volatile.Write(ref _pendingJob, Alive(value, "p->pending_job"));
    }

    private ITraceObserver? Observer => _owner.Observer;
    private Actor Me => Actor.Receiver(Id);

    public void Start()
    {
        _thread = new Thread(Run) { IsBackground = true };
        _thread.Start();
    }

    /// <summary>The join in <c>multifd_recv_cleanup</c>; announces the join of a thread that ran.</summary>
    public void Join()
    {
        if (_thread is null) return;
        _thread.Join();
        Observer?.On(new TraceEvent(EventKind.ThreadJoin, Actor.Destination, Id));
    }

    /// <summary><c>multifd_recv_cleanup_channel</c>: semaphores and the chunk descriptor are freed.</summary>
    public void Free()
    {
        Observer?.On(new TraceEvent(EventKind.Free, Actor.Destination, Id));
        _state.Free();
    }

    private T Alive<T>(T value, string what)
    {
        _state.Touch(what, Observer);
        return value;
    }

    private void Run()
    {
        Observer?.On(new TraceEvent(EventKind.ThreadStart, Me, Id));
        string? error = null;
        try
        {
            Loop();
        }
        catch (Exception e)
        {
            Failures.Announce(Observer, Me, e);
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
            if (_owner.JobDoneBeforeReset)
            {
                PendingJob = false;
                Data.Reset(); // p->data->size = 0, reading p->data, which the main thread swaps once pending_job is clear
                _owner.IdleSignal.Release();
            }
            else
            {
                // data->size = 0 before pending_job = false (store-release): whoever sees the channel idle finds no chunk.
                d.Reset();
                _owner.JobDone(this);
            }
        }
    }

    private void Read(RecvChunk d)
    {
        Observer?.On(new TraceEvent(EventKind.ReadBegin, Me, Id, d.Id, d.Block, d.Page, d.Pages, Pages: TraceEvent.Run(d.Pages)));
        var block = _owner.Ram.Blocks[d.Block];
        var target = block.Memory.AsSpan(checked((int)(d.Page * block.PageSize)), d.Size);
        var n = _owner.File.Read(target, d.FileOffset);
        if (n != d.Size)
            throw new IOException($"recv channel {Id}: short read of {d.Size} bytes at file offset 0x{d.FileOffset:x}: the file ends after {n} bytes");
        BytesLoaded += d.Size;
        Observer?.On(new TraceEvent(EventKind.ReadEnd, Me, Id, d.Id, d.Block, d.Page, d.Pages, Pages: TraceEvent.Run(d.Pages)));
    }
}
