namespace SyncModel.Model.State;

/// <summary>
/// Where the main thread of the running side stands, at a step other threads can observe. The thread's
/// private work between two such points (scanning the migration bitmap, filling the batch, parsing stream
/// records) is folded into the step that ends it: nothing else reads that data, so no interleaving is lost.
/// </summary>
internal enum Pc
{
    // ---- source: the migration thread (docs/protocol.md §2.2, §2.4, §2.6) ----
    /// <summary>The batch must go to a channel: wait <c>channels_ready</c>, pick a channel without <c>pending_job</c>, post its <c>sem</c> (§2.2).</summary>
    Dispatch = 0,
    /// <summary><c>multifd_send_sync_main</c>: set <c>pending_sync</c> and post <c>sem</c> on every channel (§2.4).</summary>
    SyncRequest = 1,
    /// <summary>Top of the sync's wait loop: check <c>exiting</c>, then block on the next channel.</summary>
    SyncCommit = 2,
    /// <summary>Blocked on the chosen channel's <c>channels_ready</c> token and <c>sem_sync</c>.</summary>
    SyncWait = 3,
    /// <summary>Between iterate calls: the guest may write; <c>migration_bitmap_sync</c> starts the next call or complete.</summary>
    Gap = 4,
    /// <summary>Complete, after its sync: <c>ram_save_file_bmap</c> writes the file bitmap and frees it.</summary>
    BitmapWrite = 5,
    /// <summary><c>multifd_send_shutdown</c>: set <c>exiting</c> and post every channel's <c>sem</c> (§2.8).</summary>
    Terminate = 6,
    /// <summary>Join the send threads; then the file is closed and the load can start.</summary>
    SourceJoin = 7,
    /// <summary>File: <c>multifd_send_setup</c> creates the channels, in order, on the migration thread (§2.9, the creation
    /// table); a state is here only when channel creation may fail (<c>--errors connect</c>). Socket: setup has started every
    /// channel's asynchronous creation and waits <c>channels_created</c> once per channel (9.0+, <c>93fa9dc2</c>).</summary>
    Create = 8,
    /// <summary>A channel's creation failed and every channel was initialised: the migration fails and its cleanup's
    /// <c>multifd_send_shutdown</c> is next (9.1+, and 9.0 when the last channel failed).</summary>
    SetupFailed = 9,
    /// <summary>9.0: <c>multifd_send_setup</c> returned at a failed creation before the later channels' semaphores were
    /// initialised; the cleanup's terminate will post to them (<c>0bd5b9284f</c>).</summary>
    SetupReturnedEarly = 10,
    /// <summary>Socket: <c>multifd_send_shutdown</c> joined the threads that exist and freed every channel while a creation
    /// was still connecting; that creation completes on freed <c>MultiFDSendParams</c> (§5.4). Only creations can step.</summary>
    SourceFreed = 11,
    /// <summary>Socket with its destination: the send threads are joined and the connections closed; the destination may
    /// still be loading (its main thread is <c>DestBits.Pc</c>). The run ends when both are done.</summary>
    SourceDone = 12,

    // ---- destination: the incoming coroutine and its bottom half (docs/protocol.md §1.6, §3.3–§3.6) ----
    /// <summary><c>parse_ramblocks</c>: hand the next chunk to a channel without <c>pending_job</c> (busy-wait, §3.3).</summary>
    RecvQueue = 16,
    /// <summary>Re-entrant recv sync: post every channel's <c>sem</c> (§3.4).</summary>
    RecvKick = 17,
    /// <summary>Re-entrant recv sync: wait the shared <c>sem_sync</c> once per channel.</summary>
    RecvWait = 18,
    /// <summary>v4 one-shot recv sync: post the next channel's <c>sem</c> (§4(b)).</summary>
    OneShotKick = 19,
    /// <summary>v4 one-shot recv sync: wait that channel's own <c>sem_sync</c>.</summary>
    OneShotWait = 20,
    /// <summary>The end-of-load steps in the policy's order (§3.6).</summary>
    Cleanup = 21,
    /// <summary>Finished: the load ended (or the save failed and there is nothing to load).</summary>
    Done = 31,
}

/// <summary>The record the destination is at within a RAM section (docs/protocol.md §1.6, §3.5).</summary>
internal enum DestItem
{
    /// <summary>START only: MEM_SIZE, queueing chunks (file). Socket destination: before the stream's header, configuration
    /// and START's header and block list are read.</summary>
    Queue = 0,
    /// <summary>START only: after <c>parse_ramblocks</c> returned (the 9.0 sync site).</summary>
    MemSizeParsed = 1,
    /// <summary>The section's FLUSH records.</summary>
    Flush = 2,
    /// <summary>The section's EOS.</summary>
    Eos = 3,
    /// <summary>The end of this <c>ram_load</c> call (Peter Xu's sync site).</summary>
    LoadEnd = 4,
    /// <summary>The next section header, or EOF.</summary>
    Next = 5,
}

/// <summary>One step of the destination's end-of-load sequence.</summary>
internal enum CleanupStep
{
    LoadCleanup,
    Shutdown,
    VmStart,
    Join,
}
