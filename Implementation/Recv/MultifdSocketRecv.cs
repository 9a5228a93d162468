using SyncModel.Implementation.Format;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Implementation.Recv;

/// <summary>
/// <c>multifd_recv_state</c> for socket multifd (docs/protocol.md §3.1, §3.2, §3.4, §3.6, §3.7): the connections,
/// matched to channels by their initial packet; the shared <c>sem_sync</c> every recv thread posts at a SYNC
/// packet; the recv sync that collects one post per channel and then releases every channel; termination,
/// which releases and shuts down every channel but never posts the shared semaphore.
/// </summary>
internal sealed class MultifdSocketRecv
{
    private readonly IReadOnlyList<SocketEndpoint> _connections;
    private readonly SocketRecvChannel?[] _channels;
    private readonly Guid _uuid;
    private int _exiting;
    private Exception? _error;
    private long _syncs;
    private long[][]? _receivedMap;

    public MultifdSocketRecv(IReadOnlyList<SocketEndpoint> connections, GuestRam ram, Guid uuid, int pagesPerPacket, bool skipSyncPayload,
        ErrorPaths errors, ITraceObserver? observer)
    {
        Errors = errors;
        _connections = connections;
        _channels = new SocketRecvChannel?[connections.Count];
        _uuid = uuid;
        Ram = ram;
        PagesPerPacket = pagesPerPacket;
        SkipSyncPayload = skipSyncPayload;
        Observer = observer;
        // ramblock_recv_map_init in ram_load_setup: one bit per page of every block.
        _receivedMap = [.. ram.Blocks.Select(b => new long[(b.UsedLength / b.PageSize + 63) / 64])];
    }

    public GuestRam Ram { get; }
    public ErrorPaths Errors { get; }
    private bool WakesSync => (Errors.Fixes & ErrorFixes.RecvTerminateWakesSync) != 0;

    /// <summary>Mutation <c>RecvSetsReceivedMap</c>: the recv threads set <c>rb->receivedmap</c> bits (5ef7e26b, docs/protocol.md §5.9).</summary>
    public bool SetsReceivedMap { get; init; }
    public int PagesPerPacket { get; }

    /// <summary>Mutation <c>RecvSkipsSyncPayload</c>: a SYNC packet is not unfilled (docs/protocol.md §5.10).</summary>
    public bool SkipSyncPayload { get; }
    public ITraceObserver? Observer { get; }

    /// <summary>The shared <c>recv_state->sem_sync</c>: one post per channel that reached a SYNC packet.</summary>
    public SemaphoreSlim SemSync { get; } = new(0);

    public bool Exiting => Volatile.Read(ref _exiting) != 0;
    public Exception? Error => Volatile.Read(ref _error);

    /// <summary>Recv syncs the main thread ran.</summary>
    public long Syncs => Interlocked.Read(ref _syncs);

    /// <summary>Channels that had reached a SYNC packet no recv sync released when <see cref="Shutdown"/> ran (set by it).</summary>
    public int ParkedAtShutdown { get; private set; }

    public long BytesLoaded => _channels.Sum(c => c?.BytesLoaded ?? 0);
    public long Packets => _channels.Sum(c => c?.Packets ?? 0);

    /// <summary>
    /// Reads every connection's initial packet, gives the connection to the channel it names and starts the channel's
    /// thread (<c>multifd_recv_new_channel</c>, multifd.c:1643-1679 @9.0, 1229-1262 @8.2): QEMU creates each recv thread as
    /// its connection arrives, before the load reads the main stream (migration.c:940-959 @9.0).
    /// </summary>
    public void Accept()
    {
        for (var i = 0; i < _connections.Count; i++)
        {
            int id;
            try
            {
                id = AcceptOne(i);
            }
            catch (Exception e)
            {
                // multifd_recv_new_channel fails (multifd.c:1643-1664 @9.0): the incoming migration fails before its load.
                Observer?.On(new TraceEvent(EventKind.CreateFail, Actor.Destination, i, Error: e.Message));
                throw;
            }
            var channel = new SocketRecvChannel(this, id, _connections[i]);
            _channels[id] = channel;
            channel.Start();
        }
    }

    /// <summary>Connection <paramref name="i"/>'s initial packet: the channel it names.</summary>
    private int AcceptOne(int i)
    {
        Span<byte> init = stackalloc byte[MultifdHandshake.Size];
        if (!_connections[i].ReadExactly(init))
            throw MultifdHandshake.Bad(0, i, "the connection closed before its initial packet");
        var id = MultifdHandshake.Decode(init, _uuid, _connections.Count, i);
        if (_channels[id] is not null)
            throw MultifdHandshake.Bad(24, i, $"received id '{id}' already setup");
        return id;
    }

    /// <summary>
    /// <c>ramblock_recv_bitmap_set_offset</c> for a packet's pages, as a socket recv thread runs it since 5ef7e26b
    /// (before the pages' read): the receivedmap belongs to the RAM load state and <see cref="FreeReceivedMap"/> frees it.
    /// A thread that finds it freed reports the use after free and fails (QEMU segfaults there).
    /// </summary>
    public void MarkReceived(int channel, ulong packet, int block, ReadOnlySpan<long> pages)
    {
        if (!SetsReceivedMap) return;
        var map = Volatile.Read(ref _receivedMap);
        if (map is null)
        {
            var message = $"recv{channel} sets receivedmap bits for packet {packet} after qemu_loadvm_state_cleanup freed the receivedmap "
                + "(the recv threads are joined only after the load cleanup; 4ce56229 moved the cleanup after the join)";
            Observer?.ReportViolation(PropertyId.NoUseAfterFree, message);
            throw new ProtocolViolationException(PropertyId.NoUseAfterFree, message);
        }
        foreach (var page in pages) Interlocked.Or(ref map[block][page >> 6], 1L << (int)(page & 63));
    }

    /// <summary>The receivedmap part of <c>qemu_loadvm_state_cleanup</c> (<c>ram_load_cleanup</c>): frees it.</summary>
    public void FreeReceivedMap() => Volatile.Write(ref _receivedMap, null);

    /// <summary>
    /// <c>multifd_recv_sync_main</c> for sockets (docs/protocol.md §3.4): wait the shared <c>sem_sync</c> once per channel
    /// (each has reached a SYNC packet and consumed everything before it), then release every channel.
    /// </summary>
    public void SyncMain()
    {
        Observer?.On(new TraceEvent(EventKind.RecvSyncBegin, Actor.Destination));
        Interlocked.Increment(ref _syncs);
        for (var i = 0; i < _channels.Length; i++) SemSync.Wait();
        // The proposed recv-side fix (docs/fixes/recv-sync-hang.md): a sync woken by termination reports the failure.
        if (WakesSync && Exiting) throw new MigrationFailedException("multifd_recv_sync_main: the recv channels are exiting", Error);
        foreach (var c in _channels)
        {
            if (c is null) continue;
            c.Released++;
            c.SemSync.Release();
        }
        Observer?.On(new TraceEvent(EventKind.RecvSyncEnd, Actor.Destination));
    }

    /// <summary>
    /// <c>multifd_recv_terminate_threads</c>: record the first error, set <c>exiting</c>, release every channel's
    /// own <c>sem_sync</c> and shut its connection down (a blocked read returns). Never the shared one (§3.7).
    /// </summary>
    public void TerminateThreads(Exception? error)
    {
        if (error is not null) Interlocked.CompareExchange(ref _error, error, null);
        if (Interlocked.Exchange(ref _exiting, 1) != 0) return;
        // 9.0+ releases every channel parked at a SYNC; 8.2 only sets quit (the exiting flag here) and shuts down.
        if (Errors.RecvTermination == RecvTermination.KickChannels)
        {
            foreach (var c in _channels) c?.SemSync.Release();
        }
        foreach (var conn in _connections) conn.Shutdown();
        if (!WakesSync) return;
        for (var i = 0; i < _channels.Length; i++) SemSync.Release();
    }

    /// <summary><c>multifd_recv_shutdown</c> from the incoming BH.</summary>
    public void Shutdown()
    {
        Observer?.On(new TraceEvent(EventKind.Shutdown, Actor.Destination));
        ParkedAtShutdown = _channels.Count(c => c?.Parked == true);
        TerminateThreads(null);
    }

    /// <summary><c>multifd_recv_cleanup</c>: terminate (idempotent) and join every thread.</summary>
    public void Join()
    {
        TerminateThreads(null);
        // 8.2's multifd_load_cleanup wakes a thread that may hang at a SYNC before joining it (multifd.c:1018-1035 @8.2).
        if (Errors.RecvTermination == RecvTermination.QuitFlag)
        {
            foreach (var c in _channels) c?.WakeIfRunning();
        }
        foreach (var c in _channels) c?.Join();
        Observer?.On(new TraceEvent(EventKind.Join, Actor.Destination));
        foreach (var c in _channels) c?.Free();
    }
}
