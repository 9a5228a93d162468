namespace SyncModel.Protocol.Policies;

/// <summary>The code sites of the migration thread on the source where QEMU may sync the send channels (docs/protocol.md §2.6).</summary>
public enum SenderSite
{
    /// <summary><c>ram_save_setup</c>, inside the SECTION_START of "ram".</summary>
    Setup,
    /// <summary><c>find_dirty_block</c> when the scan wraps from the last block to the first (end of a dirty-page round).</summary>
    RoundWrap,
    /// <summary>The end of <c>ram_save_iterate</c>, just before the EOS of a SECTION_PART.</summary>
    IterateEnd,
    /// <summary><c>ram_save_complete</c>, after the final scan and before the file bitmap is written.</summary>
    Complete,
}

/// <summary>What a send-side sync does (docs/protocol.md §2.4, §2.6: <c>MULTIFD_SYNC_LOCAL</c> / <c>MULTIFD_SYNC_ALL</c>).</summary>
public enum SendSync
{
    /// <summary>No sync at this site.</summary>
    None,
    /// <summary>Sync the send threads only: every dispatched batch is written before the sync returns; nothing goes on the wire.</summary>
    Local,
    /// <summary>Sync the threads and put a SYNC packet on every channel (socket transport only).</summary>
    All,
}

/// <summary>The policy's answer at one sender site.</summary>
/// <param name="Sync">Whether and how <c>multifd_send_sync_main</c> runs here.</param>
/// <param name="EmitFlush">Whether a <c>RAM_SAVE_FLAG_MULTIFD_FLUSH</c> record goes into the main stream here.</param>
public readonly record struct SenderDecision(SendSync Sync, bool EmitFlush)
{
    public static readonly SenderDecision Nothing = new(SendSync.None, false);
    public static SenderDecision SyncOnly(SendSync sync) => new(sync, false);
    public static SenderDecision SyncAndFlush(SendSync sync) => new(sync, true);

    public override string ToString() => (Sync, EmitFlush) switch
    {
        (SendSync.None, false) => "-",
        (SendSync.None, true) => "FLUSH",
        (var s, false) => $"sync({s})",
        (var s, true) => $"sync({s}) + FLUSH",
    };
}

/// <summary>The code sites of the destination's load where QEMU may sync the recv channels (docs/protocol.md §3.5).</summary>
public enum ReceiverSite
{
    /// <summary><c>ram_load_precopy</c>, case MEM_SIZE, right after <c>parse_ramblocks</c> returns (even on failure).</summary>
    MemSizeParsed,
    /// <summary><c>ram_load_precopy</c>, case MULTIFD_FLUSH.</summary>
    FlushFlag,
    /// <summary><c>ram_load_precopy</c>, case EOS.</summary>
    Eos,
    /// <summary>The end of every <c>ram_load</c> call (Peter Xu's proposal, docs/protocol.md §4(c)).</summary>
    RamLoadEnd,
}

/// <summary>The policy's answer at one receiver site.</summary>
public enum ReceiverDecision
{
    /// <summary>Nothing happens here.</summary>
    Ignore,
    /// <summary><c>multifd_recv_sync_main</c> runs here.</summary>
    Sync,
    /// <summary>The record is invalid here: the load fails with "Unexpected RAM flags" (9.0 mapped-ram, docs/protocol.md §1.3).</summary>
    Reject,
}

/// <summary>How the file-mode recv sync behaves (docs/protocol.md §3.4, §4(b), §4(c)).</summary>
public enum RecvSyncKind
{
    /// <summary>v4: kick each channel, wait its own <c>sem_sync</c>; a channel woken without a job exits its loop (one use only).</summary>
    OneShot,
    /// <summary>9.0: kick each channel; an idle channel posts the shared <c>sem_sync</c> and keeps running.</summary>
    Reentrant,
    /// <summary>Socket multifd: channels park at a SYNC packet until the main thread releases them.</summary>
    SocketPacket,
}

/// <summary>The order of the destination's end-of-load steps (docs/protocol.md §3.6).</summary>
public enum CleanupOrder
{
    /// <summary>Before 9.2: <c>qemu_loadvm_state_cleanup</c>, then the BH's shutdown, VM start, and the join in <c>migration_incoming_state_destroy</c>.</summary>
    LoadCleanupBeforeJoin,
    /// <summary>9.2+ (<c>4ce56229</c>): shutdown, VM start, join the recv threads, and only then <c>qemu_loadvm_state_cleanup</c>.</summary>
    JoinBeforeLoadCleanup,
}

/// <summary>How pages travel from the send channels to the recv channels.</summary>
public enum Transport
{
    /// <summary>mapped-ram: positional writes into a file, positional reads back.</summary>
    File,
    /// <summary>socket multifd: packets with headers and SYNC flags over a byte stream.</summary>
    Socket,
}
