namespace SyncModel.Protocol.Config;

/// <summary>
/// Named mutation switches: each one re-creates a real bug (docs/protocol.md §5) or removes a sync a policy
/// asks for, so the checkers can show they catch it. Both the Implementation and the Model read them.
/// </summary>
[Flags]
public enum Mutation
{
    None = 0,
    /// <summary>The source skips the sync the policy asks for at a round wrap (and at iterate end).</summary>
    NoRoundSync = 1 << 0,
    /// <summary>5.6 (fixed by <c>8fa1a21c</c>): zero pages of a batch never clear their file-bitmap bit.</summary>
    ZeroPageBitNotCleared = 1 << 1,
    /// <summary>The source skips the sync the policy asks for in complete, before the bitmap is written.</summary>
    NoCompleteSync = 1 << 2,
    /// <summary>5.1 (fixed by <c>d2026ee1</c>): <c>multifd_send_sync_main</c> waits each channel's <c>sem_sync</c> without taking its <c>channels_ready</c> token, so tokens pile up.</summary>
    SyncSkipsChannelsReady = 1 << 3,
    /// <summary>The destination skips every recv sync the policy asks for (the v4 F=on situation, for any policy).</summary>
    NoRecvSync = 1 << 4,
    /// <summary>A file recv thread answers a sync kick by posting the shared <c>sem_sync</c> and then leaves its loop, as v4's thread did, while the main thread keeps 9.0's re-entrant wait (docs/protocol.md §3.4, §4(c)).</summary>
    RecvExitAfterSync = 1 << 5,
    /// <summary>
    /// 5.3 (<c>f5f48a78</c> "Separate SYNC request with normal jobs", <c>859ebaf3</c> "Forbid spurious wakeups"):
    /// a sync request kicks the channel's <c>sem</c> twice, as the old counter-based pending_job could, so the
    /// channel later wakes with neither a job nor a sync request.
    /// </summary>
    ExtraSyncKick = 1 << 6,
    /// <summary>
    /// 5.5 (before <c>48c0f5d5</c> "multifd_send_kick_main()"): a send thread that fails leaves without posting
    /// its <c>sem_sync</c> and a <c>channels_ready</c> token, so the migration thread waits on a dead channel.
    /// </summary>
    ErrorWithoutKick = 1 << 7,
    /// <summary>
    /// 5.10, sender half (socket): an 8.2-style send thread (docs/protocol.md §2.7, before <c>f5f48a78</c> "Separate SYNC
    /// request with normal jobs") lets a sync request that arrives before the thread took its pending job ride on
    /// that job's packet, so a SYNC packet carries pages. Harmless alone: a receiver that unfills every packet
    /// reads those pages.
    /// </summary>
    SyncCarriesPages = 1 << 8,
    /// <summary>
    /// 5.10, receiver half (socket): a ≥ 9.2 recv thread as after <c>d7e58f41</c> "Don't send ram data during
    /// SYNC" and before <c>b93d897e</c> "Fix compat with QEMU &lt; 9.0": it does not unfill a SYNC packet, so pages
    /// riding on one stay unread in the stream (the next packet read starts inside them). Harmless alone: a
    /// ≥ 9.0 sender's SYNC packets carry no pages.
    /// </summary>
    RecvSkipsSyncPayload = 1 << 9,
    /// <summary>
    /// 5.7 (socket): complete syncs the channels with SYNC packets but writes no MULTIFD_FLUSH, as after
    /// <c>637280ae</c> "Avoid the final FLUSH in complete()" and before <c>1d457daf</c> "Further remove the SYNC on
    /// complete": the destination never collects that SYNC, so its recv threads stay parked at it until recv
    /// cleanup kicks them.
    /// </summary>
    FinalSyncWithoutFlush = 1 << 10,
    /// <summary>
    /// 5.4: <c>multifd_send_setup</c> as before <c>93fa9dc2</c> "Add a synchronization point for channel creation":
    /// it does not wait on <c>channels_created</c> for every asynchronous channel creation to finish. When one creation
    /// fails, the migration fails and <c>multifd_send_shutdown</c> joins the threads that exist and frees the channels,
    /// and a creation still in flight then starts a thread on freed <c>MultiFDSendParams</c>.
    /// </summary>
    NoChannelsCreatedWait = 1 << 11,
    /// <summary>
    /// 5.9 (socket): recv threads set <c>rb->receivedmap</c> bits for the pages they read, as since <c>5ef7e26b</c>
    /// "solve zero page causing multiple page faults" (9.1). Not a bug alone: it is one with a policy whose
    /// <c>qemu_loadvm_state_cleanup</c> (which frees the receivedmap) runs before the recv threads are joined, as
    /// until <c>4ce56229</c> "Fix rb->receivedmap cleanup race" (9.2) — e.g. a load that fails while they still read.
    /// </summary>
    RecvSetsReceivedMap = 1 << 12,
    /// <summary>
    /// A test-only variant, no QEMU bug: a channel thread publishes that it is done (<c>pending_job = false</c>) before it
    /// has emptied its batch (send) or cleared <c>data->size</c> (recv), the order QEMU's store-release forbids
    /// (protocol §2.2, §3.3). The main thread may then hand it a new job while it still holds the old one. Only a thread
    /// switch between those two field writes shows it, so it proves that exploration interleaves at shared-field accesses.
    /// </summary>
    JobDoneBeforeReset = 1 << 13,
    /// <summary>
    /// A test-only variant of the cleanup-order bugs of docs/protocol.md §5.9 and §5.14: the cleanup frees each channel's
    /// state (<c>multifd_*_cleanup_channel</c>) before it joins the channel's thread, on both sides. ThreadLifetime catches
    /// it at the free; a thread that is still running then touches freed state (NoUseAfterFree).
    /// </summary>
    FreeBeforeJoin = 1 << 14,
}
