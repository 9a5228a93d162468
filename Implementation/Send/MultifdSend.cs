using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Implementation.Send;

/// <summary>
/// <c>multifd_send_state</c> and the migration thread's side of the send protocol (docs/protocol.md §2.1–§2.4, §2.8,
/// §2.9): queueing pages into batches, dispatch through <c>channels_ready</c>, <c>multifd_send_sync_main</c>, the
/// error flag and termination, each as the policy's release does it (<see cref="ErrorPaths"/>).
/// </summary>
internal sealed class MultifdSend
{
    private readonly SendChannel[] _channels;
    private PageBatch _current;
    private int _nextChannel;
    private long _nextBatchId;
    private int _exiting;
    private bool _shutdown;
    private Exception? _error;

    /// <param name="config">Channels, batch size and mutations.</param>
    /// <param name="errors">The release's error paths.</param>
    /// <param name="sinks">Where channel i's pages go (mapped-ram file writes or socket packets).</param>
    /// <param name="observer">Receives the events, or null.</param>
    public MultifdSend(MigrationConfig config, ErrorPaths errors, Func<int, IPageSink> sinks, ITraceObserver? observer)
    {
        Observer = observer;
        Mutations = config.Mutations;
        Errors = errors;
        _current = new PageBatch(config.PagesPerBatch);
        _channels = Enumerable.Range(0, config.Channels).Select(i => new SendChannel(this, i, config.PagesPerBatch, sinks(i))).ToArray();
        Creator = new ChannelCreator(this, _channels);
    }

    public ITraceObserver? Observer { get; }
    public Mutation Mutations { get; }
    public ErrorPaths Errors { get; }
    public ChannelCreator Creator { get; }
    public SemaphoreSlim ChannelsReady { get; } = new(0);
    public bool Exiting => Volatile.Read(ref _exiting) != 0;
    public Exception? Error => Volatile.Read(ref _error);

    /// <summary>Syncs the migration thread ran (it alone writes this).</summary>
    public long Syncs { get; private set; }

    /// <summary><c>multifd_send_setup</c>'s channel creation, as the release does it (<see cref="ChannelCreator"/>).</summary>
    public void Start(IO.IFaultPlan? connectFaults) => Creator.Start(connectFaults);

    /// <summary><c>migrate_set_error</c>: the first error is the migration's.</summary>
    public void RecordError(Exception e) => Interlocked.CompareExchange(ref _error, e, null);

    /// <summary><c>multifd_send_set_error</c> (9.0+): the first error wins; everybody sees <c>exiting</c>.</summary>
    public void SetError(Exception e)
    {
        RecordError(e);
        Volatile.Write(ref _exiting, 1);
    }

    /// <summary>
    /// 8.2's <c>multifd_send_terminate_threads(err)</c> as a failing send thread calls it (multifd.c:471-510 @8.2): record
    /// the error; if nobody terminated yet, set <c>exiting</c>, mark every channel <c>quit</c>, post every <c>p->sem</c>
    /// and shut every channel down.
    /// </summary>
    public void TerminateFromChannel(Exception e)
    {
        RecordError(e);
        if (Interlocked.Exchange(ref _exiting, 1) != 0) return;
        foreach (var c in _channels)
        {
            c.Quit = true;
            c.Sem.Release();
            c.Sink.Shutdown();
        }
    }

    /// <summary>
    /// <c>multifd_queue_page</c> as rewritten for 9.0 (docs/protocol.md §2.2): a page that finds the batch holding another
    /// block's pages, or full, dispatches it first; a full batch waits for that next page, or for a sync to flush it.
    /// (8.2 dispatched as soon as the batch filled.)
    /// </summary>
    public void QueuePage(int block, long page)
    {
        if (!_current.IsEmpty && (_current.Block != block || _current.IsFull)) Dispatch();
        _current.Add(block, page);
    }

    /// <summary>
    /// <c>multifd_send_pages</c>: hand the current batch to an idle channel (docs/protocol.md §2.2). 9.0+ checks
    /// <c>exiting</c> before the token and at every probe; 8.2 checks it before the token and fails on a channel that
    /// has quit (multifd.c:401-419 @8.2).
    /// </summary>
    public void Dispatch()
    {
        FailIfExiting();
        ChannelsReady.Wait();
        var n = _channels.Length;
        SendChannel? idle = null;
        for (var probe = 0; probe < n && idle is null; probe++)
        {
            var c = _channels[(_nextChannel + probe) % n];
            if (Errors.SyncChecksExiting) FailIfExiting();
            else if (c.Quit) throw new MigrationFailedException($"multifd_send_pages: channel {c.Id} has already quit", Error);
            if (!c.PendingJob) idle = c;
        }
        if (idle is null)
            throw new ProtocolViolationException(PropertyId.SemaphoreAccounting, "took a channels_ready token but no channel is idle (token count drifted, d2026ee1)");
        _nextChannel = (idle.Id + 1) % n;
        if (!idle.Batch.IsEmpty) throw new ProtocolViolationException(PropertyId.SemaphoreAccounting, $"idle channel {idle.Id} still holds a batch");
        (idle.Batch, _current) = (_current, idle.Batch);
        idle.Batch.Id = _nextBatchId++;
        Observer?.On(new TraceEvent(EventKind.Dispatch, Actor.Migration, idle.Id, idle.Batch.Id, idle.Batch.Block, idle.Batch.Pages[0], idle.Batch.Count,
            Pages: TraceEvent.MaskOf(idle.Batch.Pages)));
        idle.PendingJob = true;
        idle.Sem.Release();
    }

    /// <summary>
    /// <c>multifd_send_sync_main</c>: flush the current batch, then sync every channel (docs/protocol.md §2.4). 9.0+ checks
    /// <c>exiting</c> before posting each request and before each channel's waits; 8.2 checks only each channel's
    /// <c>quit</c> while posting and nothing while waiting (§2.9).
    /// </summary>
    public void SyncMain(SendSync request)
    {
        if (request == SendSync.None) return;
        Syncs++;
        if (!_current.IsEmpty) Dispatch();
        foreach (var c in _channels)
        {
            if (Errors.SyncChecksExiting) FailIfExiting();
            else if (c.Quit) throw new MigrationFailedException($"multifd_send_sync_main: channel {c.Id} has already quit", Error);
            if (c.PendingSync != SendSync.None)
                throw new ProtocolViolationException(PropertyId.SemaphoreAccounting, $"channel {c.Id} already has a sync request pending");
            c.PendingSync = request;
            Observer?.On(new TraceEvent(EventKind.SyncRequest, Actor.Migration, c.Id));
            c.Sem.Release();
            if ((Mutations & Mutation.ExtraSyncKick) != 0) c.Sem.Release();
        }
        foreach (var c in _channels)
        {
            if (Errors.SyncChecksExiting) FailIfExiting();
            Observer?.On(new TraceEvent(EventKind.SyncWait, Actor.Migration, c.Id));
            if ((Mutations & Mutation.SyncSkipsChannelsReady) == 0) ChannelsReady.Wait();
            c.SemSync.Wait();
            Observer?.On(new TraceEvent(EventKind.SyncDone, Actor.Migration, c.Id));
        }
        // Like QEMU, no check after the last wait: a channel that failed meanwhile is seen at the next check.
    }

    /// <summary>
    /// <c>multifd_send_shutdown</c> (8.2: <c>multifd_save_cleanup</c>): set <c>exiting</c>, kick every channel and shut its
    /// IO channel down (which wakes a blocked socket write), join every thread, then free every channel
    /// (docs/protocol.md §2.8). Once per save: a failure after a successful shutdown does not terminate again.
    /// </summary>
    public void Shutdown()
    {
        if (_shutdown) return;
        _shutdown = true;
        // Announced before the store: a channel that sees exiting must find the Terminate in the trace first.
        Observer?.On(new TraceEvent(EventKind.Terminate, Actor.Migration));
        // 8.2 terminates with an exchange, so after a failing thread's own terminate nothing more is posted; 9.0+ always posts.
        var already = Interlocked.Exchange(ref _exiting, 1) != 0;
        if (Errors.SyncChecksExiting || !already)
        {
            foreach (var c in _channels)
            {
                if (!Errors.SyncChecksExiting) c.Quit = true;
                c.Sem.Release();
                c.Sink.Shutdown();
            }
        }
        if ((Mutations & Mutation.FreeBeforeJoin) != 0)
        {
            foreach (var c in _channels) c.Free();
            foreach (var c in _channels) c.CloseAndJoin();
        }
        else
        {
            foreach (var c in _channels) c.CloseAndJoin();
            // multifd_send_cleanup_channel, once every thread is joined: the channels' semaphores and batches are freed.
            foreach (var c in _channels) c.Free();
        }
        Creator.AfterCleanup();
    }

    public void FailIfExiting()
    {
        if (Exiting) throw new MigrationFailedException("multifd send failed", Error);
    }
}
