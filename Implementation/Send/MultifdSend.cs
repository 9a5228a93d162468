using SyncModel.Implementation.IO;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Implementation.Send;

/// <summary>
/// <c>multifd_send_state</c> and the migration thread's side of the send protocol (reference §2.1–§2.4, §2.8):
/// queueing pages into batches, dispatch through <c>channels_ready</c>, <c>multifd_send_sync_main</c>,
/// the error flag and termination.
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
    private Thread[] _creations = [];
    private ProtocolViolationException? _lateCreation;
    private readonly SemaphoreSlim _channelsCreated = new(0);

    /// <param name="config">Channels, batch size and mutations.</param>
    /// <param name="sinks">Where channel i's pages go (mapped-ram file writes or socket packets).</param>
    /// <param name="observer">Receives the events, or null.</param>
    public MultifdSend(MigrationConfig config, Func<int, IPageSink> sinks, ITraceObserver? observer)
    {
        Observer = observer;
        Mutations = config.Mutations;
        _current = new PageBatch(config.PagesPerBatch);
        _channels = Enumerable.Range(0, config.Channels).Select(i => new SendChannel(this, i, config.PagesPerBatch, sinks(i))).ToArray();
    }

    public ITraceObserver? Observer { get; }
    public Mutation Mutations { get; }
    public SemaphoreSlim ChannelsReady { get; } = new(0);
    public bool Exiting => Volatile.Read(ref _exiting) != 0;
    public Exception? Error => Volatile.Read(ref _error);

    /// <summary>Syncs the migration thread ran (it alone writes this).</summary>
    public long Syncs { get; private set; }

    /// <summary>
    /// <c>multifd_send_setup</c>'s channel creation (reference §5.4): each channel is created asynchronously
    /// (<c>multifd_new_send_channel_create</c>; its completion <c>multifd_new_send_channel_async</c> connects the IO
    /// channel and creates the thread, or records the error), and posts <c>channels_created</c> either way. Since
    /// 93fa9dc2 setup waits for every creation attempt, so no thread can be created after this returns; a failed
    /// creation shows at the migration thread's next <c>exiting</c> check.
    /// </summary>
    public void Start(IFaultPlan? connectFaults)
    {
        // One thread per creation, as QEMU's qio_task_run_in_thread (no pool: a creation must not wait for a free worker).
        _creations = [.. _channels.Select(c => new Thread(() => Create(c, connectFaults)) { IsBackground = true })];
        foreach (var t in _creations) t.Start();
        if ((Mutations & Mutation.NoChannelsCreatedWait) != 0) return;
        for (var i = 0; i < _channels.Length; i++) _channelsCreated.Wait();
    }

    private void Create(SendChannel c, IFaultPlan? connectFaults)
    {
        try
        {
            if (connectFaults?.ShouldFail(FileOperation.Connect, c.Id, 0) == true)
                throw new InjectedFaultException($"multifd channel {c.Id}: connect failed (injected)");
            if (!c.TryStart())
            {
                var message = $"send{c.Id}'s creation completed after multifd_send_shutdown had joined the threads and freed the channels: "
                    + "its thread would run on freed MultiFDSendParams (no wait on channels_created, 93fa9dc2)";
                Observer?.ReportViolation(PropertyId.NoUseAfterFree, message);
                Interlocked.CompareExchange(ref _lateCreation, new ProtocolViolationException(PropertyId.NoUseAfterFree, message), null);
            }
        }
        catch (IOException e)
        {
            Failures.Announce(Observer, Actor.Sender(c.Id), e);
            // multifd_new_send_channel_cleanup: record the error and kick the migration thread, which may wait on
            // either semaphore for this channel (as a failing thread does, 48c0f5d5).
            SetError(e);
            Observer?.On(new TraceEvent(EventKind.Exit, Actor.Sender(c.Id), c.Id, Error: e.Message));
            c.SemSync.Release();
            ChannelsReady.Release();
        }
        finally
        {
            _channelsCreated.Release();
        }
    }

    /// <summary><c>multifd_send_set_error</c>: the first error wins; everybody sees <c>exiting</c>.</summary>
    public void SetError(Exception e)
    {
        Interlocked.CompareExchange(ref _error, e, null);
        Volatile.Write(ref _exiting, 1);
    }

    /// <summary>
    /// <c>multifd_queue_page</c> as rewritten for 9.0 (reference §2.2): a page that finds the batch holding another
    /// block's pages, or full, dispatches it first; a full batch waits for that next page, or for a sync to flush it.
    /// (8.2 dispatched as soon as the batch filled.)
    /// </summary>
    public void QueuePage(int block, long page)
    {
        if (!_current.IsEmpty && (_current.Block != block || _current.IsFull)) Dispatch();
        _current.Add(block, page);
    }

    /// <summary><c>multifd_send_pages</c>: hand the current batch to an idle channel (reference §2.2).</summary>
    public void Dispatch()
    {
        FailIfExiting();
        ChannelsReady.Wait();
        var n = _channels.Length;
        SendChannel? idle = null;
        for (var probe = 0; probe < n && idle is null; probe++)
        {
            FailIfExiting();
            var c = _channels[(_nextChannel + probe) % n];
            if (!c.PendingJob) idle = c;
        }
        if (idle is null)
            throw new ProtocolViolationException(PropertyId.SemaphoreAccounting, "took a channels_ready token but no channel is idle (token count drifted, d2026ee1)");
        _nextChannel = (idle.Id + 1) % n;
        if (!idle.Batch.IsEmpty) throw new ProtocolViolationException(PropertyId.SemaphoreAccounting, $"idle channel {idle.Id} still holds a batch");
        (idle.Batch, _current) = (_current, idle.Batch);
        idle.Batch.Id = _nextBatchId++;
        Observer?.On(new TraceEvent(EventKind.Dispatch, Actor.Migration, idle.Id, idle.Batch.Id, idle.Batch.Block, idle.Batch.Pages[0], idle.Batch.Count));
        idle.PendingJob = true;
        idle.Sem.Release();
    }

    /// <summary><c>multifd_send_sync_main</c>: flush the current batch, then sync every channel (reference §2.4).</summary>
    public void SyncMain(SendSync request)
    {
        if (request == SendSync.None) return;
        Syncs++;
        if (!_current.IsEmpty) Dispatch();
        foreach (var c in _channels)
        {
            FailIfExiting();
            if (c.PendingSync != SendSync.None)
                throw new ProtocolViolationException(PropertyId.SemaphoreAccounting, $"channel {c.Id} already has a sync request pending");
            c.PendingSync = request;
            Observer?.On(new TraceEvent(EventKind.SyncRequest, Actor.Migration, c.Id));
            c.Sem.Release();
            if ((Mutations & Mutation.ExtraSyncKick) != 0) c.Sem.Release();
        }
        foreach (var c in _channels)
        {
            FailIfExiting();
            Observer?.On(new TraceEvent(EventKind.SyncWait, Actor.Migration, c.Id));
            if ((Mutations & Mutation.SyncSkipsChannelsReady) == 0) ChannelsReady.Wait();
            c.SemSync.Wait();
            Observer?.On(new TraceEvent(EventKind.SyncDone, Actor.Migration, c.Id));
        }
        // Like QEMU, no check after the last wait: a channel that failed meanwhile is seen at the next check.
    }

    /// <summary>
    /// <c>multifd_send_shutdown</c>: set <c>exiting</c>, kick every channel and shut its IO channel down (which
    /// wakes a blocked socket write), join every thread (reference §2.8). Once per save: a failure after a
    /// successful shutdown does not terminate again.
    /// </summary>
    public void Shutdown()
    {
        if (_shutdown) return;
        _shutdown = true;
        // Announced before the store: a channel that sees exiting must find the Terminate in the trace first.
        Observer?.On(new TraceEvent(EventKind.Terminate, Actor.Migration));
        Volatile.Write(ref _exiting, 1);
        foreach (var c in _channels)
        {
            c.Sem.Release();
            c.Sink.Shutdown();
        }
        foreach (var c in _channels) c.CloseAndJoin();
        // multifd_send_cleanup_channel, once every thread is joined: the channels' semaphores and batches are freed.
        foreach (var c in _channels) c.Free();
        // QEMU does not wait here; the process lives on and a late creation runs anyway. Waiting makes the run
        // end after it, so what it touches is seen (with channels_created waited in Start, nothing is left).
        foreach (var t in _creations) t.Join();
        if (Volatile.Read(ref _lateCreation) is { } late) throw new MigrationFailedException("multifd send cleanup raced a channel creation", late);
    }

    public void FailIfExiting()
    {
        if (Exiting) throw new MigrationFailedException("multifd send failed", Error);
    }
}
