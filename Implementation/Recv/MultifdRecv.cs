using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Implementation.Recv;

/// <summary>
/// <c>multifd_recv_state</c> and the destination main thread's side of the file-mode recv protocol
/// (docs/protocol.md §3.1, §3.3, §3.4, §3.6, §3.7): handing chunks to idle channels, the recv sync, shutdown, join.
/// </summary>
internal sealed class MultifdRecv
{
    private readonly RecvChannel[] _channels;
    private RecvChunk _data = new();
    private int _nextChannel;
    private long _nextChunkId;
    private int _exiting;
    private Exception? _error;
    private bool _started;

    public MultifdRecv(int channels, GuestRam ram, IMigrationFile file, RecvSyncKind syncKind, ErrorPaths errors, ITraceObserver? observer)
    {
        if (syncKind == RecvSyncKind.SocketPacket) throw new NotSupportedException("the socket recv sync needs the socket transport");
        Ram = ram;
        File = file;
        SyncKind = syncKind;
        Errors = errors;
        Observer = observer;
        _channels = Enumerable.Range(0, channels).Select(i => new RecvChannel(this, i)).ToArray();
    }

    public GuestRam Ram { get; }
    public IMigrationFile File { get; }
    public RecvSyncKind SyncKind { get; }
    public ErrorPaths Errors { get; }
    private bool WakesSync => (Errors.Fixes & ErrorFixes.RecvTerminateWakesSync) != 0;

    /// <summary>Mutation <c>RecvExitAfterSync</c>: a re-entrant thread leaves its loop after answering a sync kick.</summary>
    public bool ExitAfterSync { get; init; }

    /// <summary>Test-only mutation <c>JobDoneBeforeReset</c>: a thread clears <c>pending_job</c> before <c>data->size</c>.</summary>
    public bool JobDoneBeforeReset { get; init; }

    /// <summary>Test-only mutation <c>FreeBeforeJoin</c>: the cleanup frees the channels before it joins their threads.</summary>
    public bool FreeBeforeJoin { get; init; }
    public ITraceObserver? Observer { get; }

    /// <summary>The shared <c>recv_state->sem_sync</c> (re-entrant sync).</summary>
    public SemaphoreSlim SemSync { get; } = new(0);

    public bool Exiting => Volatile.Read(ref _exiting) != 0;
    public Exception? Error => Volatile.Read(ref _error);
    /// <summary>Bytes the channels read; meaningful once they are joined.</summary>
    public long BytesLoaded => _channels.Sum(c => c.BytesLoaded);

    public void Start()
    {
        _started = true;
        foreach (var c in _channels) c.Start();
    }

    /// <summary>
    /// <c>multifd_recv</c>: probe the channels from the next one round robin until one has no pending job, then
    /// hand it the chunk. Returns false when the channels are exiting. Where QEMU busy-waits after a lap that
    /// found every channel busy, this waits for <see cref="IdleSignal"/>, which every finished job (and exiting)
    /// posts, then probes again: the same condition, without burning a core — and without starving the
    /// channels under an unfair exploration strategy, where a spinning thread keeps the scheduler to itself.
    /// </summary>
    public bool Queue(int block, long page, int pages, long fileOffset, int size)
    {
        var n = _channels.Length;
        RecvChannel? idle;
        while ((idle = ProbeIdle(n)) is null)
        {
            if (Exiting) return false;
            IdleSignal.Wait();
        }
        _nextChannel = (idle.Id + 1) % n;
        if (idle.Data.Size != 0) throw new ProtocolViolationException(PropertyId.SemaphoreAccounting, $"idle recv channel {idle.Id} still holds a chunk");
        _data.Set(_nextChunkId++, block, page, pages, fileOffset, size);
        (idle.Data, _data) = (_data, idle.Data);
        Observer?.On(new TraceEvent(EventKind.RecvQueue, Actor.Destination, idle.Id, idle.Data.Id, block, page, pages, Pages: TraceEvent.Run(pages)));
        idle.PendingJob = true;
        idle.Sem.Release();
        return true;
    }

    /// <summary>Posted after every finished job and when exiting is set; permits left over only cause an extra probe.</summary>
    public SemaphoreSlim IdleSignal { get; } = new(0);

    /// <summary>A channel is done with its job (<c>pending_job = false</c>, store-release), and says so to a waiting main thread.</summary>
    public void JobDone(RecvChannel channel)
    {
        channel.PendingJob = false;
        IdleSignal.Release();
    }

    /// <summary>One lap of probes from the next channel; null when all are busy or exiting is set.</summary>
    private RecvChannel? ProbeIdle(int n)
    {
        for (var probe = 0; probe < n; probe++)
        {
            if (Exiting) return null;
            var c = _channels[(_nextChannel + probe) % n];
            if (!c.PendingJob) return c;
        }
        return null;
    }

    /// <summary><c>multifd_recv_sync_main</c> in file mode (docs/protocol.md §3.4; v4's one-shot form, §4(b)).</summary>
    public void SyncMain()
    {
        Observer?.On(new TraceEvent(EventKind.RecvSyncBegin, Actor.Destination));
        if (SyncKind == RecvSyncKind.Reentrant)
        {
            foreach (var c in _channels) c.Sem.Release();
            for (var i = 0; i < _channels.Length; i++) SemSync.Wait();
            // The proposed recv-side fix (docs/fixes/recv-sync-hang.md): termination posts the shared sem_sync, so the
            // waits end; the sync then reports the failure instead of letting the load go on without the lost chunks.
            if (WakesSync && Exiting) throw new MigrationFailedException("multifd_recv_sync_main: the recv channels are exiting", Error);
        }
        else
        {
            foreach (var c in _channels)
            {
                c.Sem.Release();
                c.SemSync.Wait();
            }
        }
        Observer?.On(new TraceEvent(EventKind.RecvSyncEnd, Actor.Destination));
    }

    /// <summary>
    /// <c>multifd_recv_terminate_threads</c>: record the first error, set <c>exiting</c>, kick every channel's
    /// <c>sem</c>. It never posts the shared <c>sem_sync</c> (docs/protocol.md §3.7), unless the recv-side fix applies.
    /// </summary>
    public void TerminateThreads(Exception? error)
    {
        if (error is not null) Interlocked.CompareExchange(ref _error, error, null);
        if (Interlocked.Exchange(ref _exiting, 1) != 0) return;
        foreach (var c in _channels) c.Sem.Release();
        IdleSignal.Release();
        if (!WakesSync) return;
        for (var i = 0; i < _channels.Length; i++) SemSync.Release();
    }

    /// <summary><c>multifd_recv_shutdown</c> from the incoming BH.</summary>
    public void Shutdown()
    {
        Observer?.On(new TraceEvent(EventKind.Shutdown, Actor.Destination));
        TerminateThreads(null);
    }

    /// <summary><c>multifd_recv_cleanup</c>: terminate (idempotent) and join every thread.</summary>
    public void Join()
    {
        TerminateThreads(null);
        if (FreeBeforeJoin)
        {
            foreach (var c in _channels) c.Free();
        }
        if (_started)
        {
            foreach (var c in _channels) c.Join();
        }
        Observer?.On(new TraceEvent(EventKind.Join, Actor.Destination));
        // multifd_recv_cleanup_channel for each channel once all are joined.
        if (!FreeBeforeJoin)
        {
            foreach (var c in _channels) c.Free();
        }
    }
}
