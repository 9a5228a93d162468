namespace SyncModel.Protocol.Events;

/// <summary>The event alphabet shared by the Implementation, the Model and every report (docs/design.md "Events").</summary>
public enum EventKind : byte
{
    // source migration thread
    /// <summary>An iterate call (SECTION_PART) or complete (SECTION_END) starts; Round = its number.</summary>
    RoundStart,
    /// <summary><c>migration_bitmap_sync</c>: the dirty log is folded into the migration bitmap; Count = pages found dirty.</summary>
    BitmapSync,
    /// <summary>A batch is handed to a send channel; Id = batch, Block/Page/Count = its first page and size.</summary>
    Dispatch,
    /// <summary>The migration thread posts a sync request to a channel.</summary>
    SyncRequest,
    /// <summary>The migration thread has waited a channel's <c>sem_sync</c>.</summary>
    SyncDone,
    /// <summary>A record goes into the main stream; Flag = FLUSH or EOS.</summary>
    StreamFlag,
    /// <summary>The file bitmap of a block is written at its offset.</summary>
    FileBitmapWrite,
    /// <summary>The in-memory file bitmaps are freed.</summary>
    FileBitmapFree,
    /// <summary>The source sets <c>exiting</c> and kicks every channel (<c>multifd_send_terminate_threads</c>).</summary>
    Terminate,

    // send channel
    /// <summary>A channel returned from its <c>sem</c> wait.</summary>
    Wake,
    /// <summary>A channel starts preparing/writing a batch.</summary>
    WriteBegin,
    /// <summary>A channel finished a batch's writes.</summary>
    WriteEnd,
    /// <summary>A send channel answered a sync request (posted its <c>sem_sync</c>).</summary>
    SyncAck,
    /// <summary>A channel thread leaves its loop; Error = why, if it failed. The migration and destination main threads emit it only when the migration fails.</summary>
    Exit,

    // guest
    /// <summary>The guest wrote a page; Version = the page's new version.</summary>
    GuestWrite,

    // destination main thread
    /// <summary>SECTION_START of "ram" read.</summary>
    SectionStart,
    /// <summary>SECTION_PART of "ram" read.</summary>
    SectionPart,
    /// <summary>SECTION_END of "ram" read.</summary>
    SectionEnd,
    /// <summary>A chunk is handed to a recv channel; Id = chunk, Block/Page/Count = its pages.</summary>
    RecvQueue,
    /// <summary><c>multifd_recv_sync_main</c> starts.</summary>
    RecvSyncBegin,
    /// <summary><c>multifd_recv_sync_main</c> returns.</summary>
    RecvSyncEnd,
    /// <summary>The destination reads a stream record; Flag = FLUSH or EOS.</summary>
    SeeFlag,
    /// <summary><c>qemu_loadvm_state_cleanup</c> (frees receivedmap, writes back file-backed RAM).</summary>
    LoadCleanup,
    /// <summary>The VM starts: vCPUs may run from here.</summary>
    VmStart,
    /// <summary><c>multifd_recv_shutdown</c>: <c>exiting</c> is set and every channel kicked.</summary>
    Shutdown,
    /// <summary>The recv threads are joined (<c>multifd_recv_cleanup</c>).</summary>
    Join,

    // recv channel
    /// <summary>A recv channel starts reading a chunk.</summary>
    ReadBegin,
    /// <summary>A recv channel finished reading a chunk.</summary>
    ReadEnd,
    /// <summary>A recv channel posted a sync semaphore (the shared one, or its own in v4).</summary>
    SyncPost,

    // source migration thread, continued
    /// <summary>
    /// Inside <c>multifd_send_sync_main</c>'s wait loop: <c>exiting</c> was checked and the migration thread now
    /// blocks on a channel's turn (its <c>channels_ready</c> token, then its <c>sem_sync</c>); <see cref="SyncDone"/> ends the wait.
    /// </summary>
    SyncWait,

    // thread lifetimes (every side)
    /// <summary>A channel thread starts running; its first event. The actor is the new thread.</summary>
    ThreadStart,
    /// <summary>A main thread has joined a channel thread: Channel = the joined thread's channel (a send channel for the
    /// migration thread, a recv channel for the destination's).</summary>
    ThreadJoin,
    /// <summary>A main thread frees a channel's state (<c>multifd_send_cleanup_channel</c>, <c>multifd_recv_cleanup_channel</c>):
    /// its semaphores, batch or chunk, packet buffers; Channel = that channel. Nothing may touch them afterwards.</summary>
    Free,

    // channel creation (source)
    /// <summary>A send channel's creation failed; Channel = that channel, Error = why; its thread never runs. A file
    /// channel is created on the migration thread (<c>file_send_channel_create</c>, the actor is main); a socket channel
    /// on its own creation thread (<c>multifd_new_send_channel_async</c>, shown as that channel's actor). On a socket
    /// destination (the actor is dest): connection Channel's initial packet could not be read or named no free channel
    /// (<c>multifd_recv_new_channel</c>); the incoming migration fails before its load.</summary>
    CreateFail,
}
