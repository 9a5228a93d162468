using SyncModel.Implementation.IO;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Implementation.Send;

/// <summary>
/// <c>multifd_send_setup</c>'s channel creation, per transport and release (docs/protocol.md §2.9, the creation table;
/// §5.4): file channels are opened synchronously on the migration thread (9.0 stops at the first failure and leaves the
/// later channels uninitialised, 9.1+ tries every one); socket channels connect asynchronously, one creation thread each
/// as QEMU's <c>qio_task_run_in_thread</c>, and 9.0+ waits <c>channels_created</c> for all of them while 8.2 does not.
/// </summary>
internal sealed class ChannelCreator(MultifdSend owner, SendChannel[] channels)
{
    private readonly SemaphoreSlim _channelsCreated = new(0);
    private Thread[] _creations = [];
    private ProtocolViolationException? _lateCreation;

    private ITraceObserver? Observer => owner.Observer;

    /// <summary>Creates every channel as the release does; throws <see cref="MigrationFailedException"/> when setup fails.</summary>
    public void Start(IFaultPlan? connectFaults)
    {
        switch (owner.Errors.Creation)
        {
            case ChannelCreation.FileStopAtFailure:
                foreach (var c in channels)
                {
                    // multifd_send_setup initialises channel i's semaphores just before creating it; 9.0 returns at the
                    // first failure, so the channels after it are never initialised (0bd5b9284f).
                    c.Initialize();
                    if (CreateNow(c, connectFaults) is { } failed)
                        throw new MigrationFailedException($"multifd_send_setup: creating channel {c.Id} failed", failed);
                }
                return;
            case ChannelCreation.FileAttemptEvery:
                Exception? first = null;
                foreach (var c in channels)
                {
                    c.Initialize();
                    // Every channel is attempted, also after a failure (a `first ??= CreateNow(...)` would skip the rest).
                    var error = CreateNow(c, connectFaults);
                    first ??= error;
                }
                if (first is not null)
                {
                    // 9.1+: migrate_set_error for each failure, then FAILED once every creation was attempted.
                    owner.RecordError(first);
                    throw new MigrationFailedException("multifd_send_setup: a channel could not be created", first);
                }
                return;
            default:
                StartAsync(connectFaults);
                return;
        }
    }

    /// <summary>After <c>multifd_send_shutdown</c>: a creation that ran on freed channels fails the save (9.0+ with the wait, nothing is left).</summary>
    public void AfterCleanup()
    {
        // QEMU does not wait for its creation tasks; the process lives on and a late creation runs anyway. Waiting makes the
        // run end after it, so what it touches is seen.
        foreach (var t in _creations) t.Join();
        if (Volatile.Read(ref _lateCreation) is { } late) throw new MigrationFailedException("multifd send cleanup raced a channel creation", late);
    }

    /// <summary>A file channel's synchronous creation (<c>file_send_channel_create</c>): the error, or null when its thread runs.</summary>
    private Exception? CreateNow(SendChannel c, IFaultPlan? faults)
    {
        try
        {
            Connect(c, faults);
            c.TryStart();
            return null;
        }
        catch (IOException e)
        {
            // file_send_channel_create runs on the migration thread; the channel's thread never starts.
            Failures.Announce(Observer, Actor.Migration, e);
            Observer?.On(new TraceEvent(EventKind.CreateFail, Actor.Migration, c.Id, Error: e.Message));
            return e;
        }
    }

    private void StartAsync(IFaultPlan? faults)
    {
        foreach (var c in channels) c.Initialize();
        // One thread per creation, as QEMU's qio_task_run_in_thread (no pool: a creation must not wait for a free worker).
        _creations = [.. channels.Select(c => new Thread(() => CreateAsync(c, faults)) { IsBackground = true })];
        foreach (var t in _creations) t.Start();
        var waits = owner.Errors.Creation == ChannelCreation.SocketWaited && (owner.Mutations & Mutation.NoChannelsCreatedWait) == 0;
        if (!waits) return;
        for (var i = 0; i < channels.Length; i++) _channelsCreated.Wait();
    }

    /// <summary><c>multifd_new_send_channel_async</c>: connect, start the thread, or report the failure as the release does.</summary>
    private void CreateAsync(SendChannel c, IFaultPlan? faults)
    {
        try
        {
            CreateOrFail(c, faults);
        }
        catch (ProtocolViolationException e)
        {
            // A late creation's failure path touched the freed channel (its poisoned state reported the use already).
            Interlocked.CompareExchange(ref _lateCreation, e, null);
        }
    }

    private void CreateOrFail(SendChannel c, IFaultPlan? faults)
    {
        try
        {
            Connect(c, faults);
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
            // The failed connection is released (object_unref of its ioc): the destination never gets this channel.
            c.Sink.Shutdown();
            if (owner.Errors.Creation == ChannelCreation.SocketWaited)
            {
                // 9.0+: channels_created is posted, then multifd_send_set_error; no kick. Both run under the BQL without TLS,
                // which the migration thread needs before it gets past setup, so it sees the error at its first check: the
                // Implementation sets the error first to give the same order.
                owner.SetError(e);
            }
            else
            {
                // 8.2 multifd_new_send_channel_cleanup: migrate_set_error (no exiting), a channels_ready token, the channel's
                // sem_sync, and quit, so that a later dispatch or sync fails on this channel.
                owner.RecordError(e);
                c.Quit = true;
                c.SemSync.Release();
                owner.ChannelsReady.Release();
            }
            Observer?.On(new TraceEvent(EventKind.CreateFail, Actor.Sender(c.Id), c.Id, Error: e.Message));
        }
        finally
        {
            _channelsCreated.Release();
        }
    }

    private static void Connect(SendChannel c, IFaultPlan? faults)
    {
        if (faults?.ShouldFail(FileOperation.Connect, c.Id, 0) == true)
            throw new InjectedFaultException($"multifd channel {c.Id}: connect failed (injected)");
    }
}
