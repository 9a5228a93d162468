using SyncModel.Implementation.Concurrency;
using SyncModel.Implementation.Format;
using SyncModel.Implementation.IO;
using SyncModel.Protocol.Events;

namespace SyncModel.Implementation.Recv;

/// <summary>
/// One socket recv channel (<c>multifd_recv_thread</c> with packets, docs/protocol.md §3.2): read a packet, check and
/// unfill it, read its pages into guest RAM; at a SYNC packet post the shared <c>sem_sync</c> and park on the
/// channel's own until the main thread's recv sync (or termination) releases it. End of stream between two
/// packets ends the thread normally; a read cut short by the destination's own shutdown is not an error.
/// </summary>
internal sealed class SocketRecvChannel
{
    private readonly MultifdSocketRecv _owner;
    private readonly SocketEndpoint _socket;
    private readonly byte[] _packet;
    private readonly long[] _pages;
    private readonly FreedState _state;
    private readonly SemaphoreSlim _semSync = new(0);
    private Thread? _thread;
    private int _running;
    private long _syncsReached;
    private long _bytesLoaded;
    private long _packets;

    public SocketRecvChannel(MultifdSocketRecv owner, int id, SocketEndpoint socket)
    {
        _owner = owner;
        _socket = socket;
        Id = id;
        _packet = new byte[MultifdPacket.Size(owner.PagesPerPacket)];
        _pages = new long[owner.PagesPerPacket];
        _state = new FreedState($"recv channel {id} (MultiFDRecvParams)");
    }

    public int Id { get; }

    /// <summary>The channel's own <c>p->sem_sync</c>: the main thread's release after a SYNC packet.</summary>
    public SemaphoreSlim SemSync => Alive(_semSync, "p->sem_sync");

    /// <summary>SYNC packets this channel has reached (it posted the shared <c>sem_sync</c> for each).</summary>
    public long SyncsReached => Interlocked.Read(ref _syncsReached);

    /// <summary>Releases the main thread's recv syncs gave this channel (only the main thread counts them).</summary>
    public long Released { get; set; }

    /// <summary>The channel reached a SYNC packet that no recv sync has released (termination's kick does not count).</summary>
    public bool Parked => SyncsReached > Released;

    /// <summary>Page bytes read (the channel's own counter; read it after the join).</summary>
    public long BytesLoaded => _bytesLoaded;

    /// <summary>Packets read (the channel's own counter; read it after the join).</summary>
    public long Packets => _packets;

    private ITraceObserver? Observer => _owner.Observer;
    private Actor Me => Actor.Receiver(Id);

    public void Start()
    {
        Volatile.Write(ref _running, 1);
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

    /// <summary>8.2's cleanup: post the channel's <c>sem_sync</c> if its thread is still running ("may hung at MULTIFD_FLAG_SYNC").</summary>
    public void WakeIfRunning()
    {
        if (Volatile.Read(ref _running) != 0) SemSync.Release();
    }

    /// <summary><c>multifd_recv_cleanup_channel</c>: the semaphores and the packet buffer are freed.</summary>
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
        catch (IOException) when (_owner.Exiting)
        {
            // The destination shut the connection down under a read: the end of the migration, not an error.
        }
        catch (Exception e)
        {
            Failures.Announce(Observer, Me, e);
            error = e.Message;
            _owner.TerminateThreads(e); // multifd_recv_terminate_threads(err)
        }
        Observer?.On(new TraceEvent(EventKind.Exit, Me, Id, Error: error));
        Volatile.Write(ref _running, 0); // p->running = false
    }

    private void Loop()
    {
        while (true)
        {
            if (_owner.Exiting) return;
            var at = _socket.BytesRead;
            if (!_socket.ReadExactly(Alive(_packet, "p->packet"))) return;
            _packets++;
            var header = MultifdPacket.DecodeHeader(_packet, _owner.PagesPerPacket, _owner.Ram.PageSize, at, Id);
            // 9.2 before b93d897e: a SYNC packet is not unfilled, so pages riding on it are never read (§5.10).
            var unfill = !(header.IsSync && _owner.SkipSyncPayload);
            if (unfill && header.NormalPages > 0) ReadPages(header, at);
            if (header.IsSync) ParkAtSync();
        }
    }

    /// <summary>The rest of <c>multifd_recv_unfill_packet</c> (block, offsets), then the pages' bytes into guest RAM.</summary>
    private void ReadPages(in MultifdPacketHeader header, long at)
    {
        var block = _owner.Ram.Find(header.RamBlock)
            ?? throw MultifdPacket.Bad(at + 64, Id, $"unknown ram block '{header.RamBlock}'");
        var count = (int)header.NormalPages;
        MultifdPacket.DecodePages(_packet, header, block.UsedLength, block.PageSize, _pages, at, Id);
        var mask = TraceEvent.MaskOf(_pages.AsSpan(0, count));
        Observer?.On(new TraceEvent(EventKind.ReadBegin, Me, Id, (long)header.PacketNum, block.Index, _pages[0], count, Pages: mask));
        _owner.MarkReceived(Id, header.PacketNum, block.Index, _pages.AsSpan(0, count));
        // One read per run of contiguous pages (QEMU's readv into the pages' host addresses).
        for (var start = 0; start < count;)
        {
            var end = start + 1;
            while (end < count && _pages[end] == _pages[end - 1] + 1) end++;
            var target = block.Memory.AsSpan(checked((int)(_pages[start] * block.PageSize)), (end - start) * block.PageSize);
            if (!_socket.ReadExactly(target))
                throw new EndOfStreamException($"multifd channel {Id}: the stream ends inside packet {header.PacketNum}'s pages");
            start = end;
        }
        _bytesLoaded += (long)count * block.PageSize;
        Observer?.On(new TraceEvent(EventKind.ReadEnd, Me, Id, (long)header.PacketNum, block.Index, _pages[0], count, Pages: mask));
    }

    private void ParkAtSync()
    {
        Observer?.On(new TraceEvent(EventKind.SyncPost, Me, Id));
        Interlocked.Increment(ref _syncsReached);
        _owner.SemSync.Release();
        SemSync.Wait();
        Observer?.On(new TraceEvent(EventKind.Wake, Me, Id));
    }
}
