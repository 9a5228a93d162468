namespace SyncModel.Model.State;

/// <summary>Where the main thread's fields sit in <see cref="ModelState.Main"/>. Source-only and load-only
/// fields share bits; the hand-over from save to load clears the source ones.</summary>
internal static class MainBits
{
    public static readonly Bits Pc = new(0, 5);
    /// <summary>Source: <c>multifd_send_state->exiting</c>; load: <c>multifd_recv_state->exiting</c>.</summary>
    public static readonly Bits Exiting = new(5, 1);
    /// <summary>The one injected IO error has happened (the model injects at most one per run).</summary>
    public static readonly Bits ErrorUsed = new(6, 1);
    /// <summary>Source: the migration failed; load: the load returned an error.</summary>
    public static readonly Bits Failed = new(7, 1);
    /// <summary>Source: 0 = setup, 1..R = iterate calls, R+1 = complete. Load: the section being read (0 = START).</summary>
    public static readonly Bits Iter = new(8, 3);
    /// <summary>Source: <c>channels_ready</c> tokens. Load: posts on the shared <c>sem_sync</c>.</summary>
    public static readonly Bits Tokens = new(11, 4);
    /// <summary>Source: the sender site whose sync is running. Load: how far the cleanup sequence got.</summary>
    public static readonly Bits Site = new(15, 2);
    /// <summary>Source: <c>last_page</c> at the start of the current find call (the wrap's limit). Load: the next chunk.</summary>
    public static readonly Bits Limit = new(17, 4);
    /// <summary>Source: the current find call has wrapped (<c>complete_round</c>).</summary>
    public static readonly Bits Wrapped = new(21, 1);
    /// <summary>Source: the page found while the batch was full, queued once the batch is dispatched (15 = none).</summary>
    public static readonly Bits Pending = new(22, 4);
    /// <summary>Load: the record of the section being read (see <c>DestItem</c>).</summary>
    public static readonly Bits Item = new(22, 3);
    /// <summary>Load: FLUSH records of this section already read.</summary>
    public static readonly Bits FlushIdx = new(25, 2);
    /// <summary>Source: guest writes since the last bitmap sync.</summary>
    public static readonly Bits GuestWrites = new(27, 2);
    /// <summary>Source: pages queued by this iterate call (its rate limit).</summary>
    public static readonly Bits PagesThisIter = new(29, 3);
    /// <summary>FLUSH records written into each section, 2 bits per section (START, PART 1..R, END).</summary>
    public const int FlushShift = 32;
    /// <summary>The mutation switches of this run (<see cref="Protocol.Config.Mutation"/> bits).</summary>
    public static readonly Bits Mutations = new(48, 8);
    /// <summary>Source: the in-memory file bitmap has been written and freed.</summary>
    public static readonly Bits Freed = new(56, 1);

    public static readonly Bits[] Flush = [new(32, 2), new(34, 2), new(36, 2), new(38, 2), new(40, 2), new(42, 2)];

    public const int NoPage = 15;
}

/// <summary>Where the page state sits in <see cref="ModelState.Mem"/>: one byte-wide mask per fact (page i = bit i).</summary>
internal static class MemBits
{
    /// <summary>The guest's newest content is data (1) or all zero (0).</summary>
    public const int Data = 0;
    /// <summary>The dirty log: written since the last <c>migration_bitmap_sync</c>.</summary>
    public const int Dirty = 8;
    /// <summary>The migration bitmap: still to be sent in this round.</summary>
    public const int ToSend = 16;
    /// <summary>The file bitmap (<c>file_bmap</c>); after the bitmap write, what the file says.</summary>
    public const int FileBit = 24;
    /// <summary>The page's file slot holds the guest's newest content.</summary>
    public const int SlotCurrent = 32;
    /// <summary>The batch the migration thread is filling (<c>multifd_send_state->pages</c>).</summary>
    public const int Batch = 40;
    public static readonly Bits Cursor = new(48, 4);

    public static int Get(ulong mem, int mask) => (int)((mem >> mask) & 0xff);

    public static ulong Set(ulong mem, int mask, int value) => (mem & ~(0xffUL << mask)) | ((ulong)(value & 0xff) << mask);
}

/// <summary>
/// A send thread's word (docs/protocol.md §2.1, §2.3), 25 bits. The batch is two page masks: <c>Hi</c> = pages whose
/// <c>send_prepare</c> snapshot was data (the write will land them), <c>Lo</c> = the other pages of the batch
/// (not prepared yet, or all zero) plus the data pages the guest has overwritten since the snapshot.
/// </summary>
internal static class SendBits
{
    private const int Lo = 0;
    private const int Hi = 8;
    public static readonly Bits Phase = new(16, 2);
    /// <summary><c>p->sem</c>.</summary>
    public static readonly Bits Sem = new(18, 2);
    /// <summary><c>p->pending_sync</c>.</summary>
    public static readonly Bits PendingSync = new(20, 1);
    /// <summary><c>p->sem_sync</c>.</summary>
    public static readonly Bits SemSync = new(21, 2);
    /// <summary>This channel's turn in the migration thread's current sync (<see cref="SyncTurn"/>).</summary>
    public static readonly Bits Turn = new(23, 2);

    /// <summary>The batch's pages; non-zero exactly while <c>pending_job</c> is true.</summary>
    public static int Job(ulong w) => (int)((w >> Lo) | (w >> Hi)) & 0xff;

    /// <summary>Pages whose snapshot was data, so the write lands them.</summary>
    public static int Data(ulong w) => (int)(w >> Hi) & 0xff;

    /// <summary>Data snapshots the guest has overwritten since: landing them makes the slot stale.</summary>
    public static int Stale(ulong w) => (int)((w >> Hi) & (w >> Lo)) & 0xff;

    /// <summary>A new batch, not prepared yet.</summary>
    public static ulong WithJob(ulong w, int pages) => (w & ~0xffffUL) | (uint)(pages & 0xff);

    /// <summary>The batch prepared: <paramref name="data"/> of its pages held data, the rest were zero.</summary>
    public static ulong WithSnapshot(ulong w, int data)
    {
        var job = Job(w);
        return (w & ~0xffffUL) | (uint)(job & ~data & 0xff) | ((uint)(data & job & 0xff) << Hi);
    }

    /// <summary>The guest wrote <paramref name="pages"/>: data snapshots of them are now stale.</summary>
    public static ulong Overwritten(ulong w, int pages) => w | (uint)(Data(w) & pages);

    /// <summary>No batch.</summary>
    public static ulong WithoutJob(ulong w) => w & ~0xffffUL;
}

/// <summary>A recv thread's word (docs/protocol.md §3.1, §3.2, §4(b)).</summary>
internal static class RecvBits
{
    public static readonly Bits Phase = new(0, 2);
    /// <summary><c>p->sem</c>.</summary>
    public static readonly Bits Sem = new(2, 2);
    /// <summary><c>p->pending_job</c>: a chunk is queued or being read.</summary>
    public static readonly Bits PendingJob = new(4, 1);
    /// <summary>v4 one-shot: the channel's own <c>p->sem_sync</c>.</summary>
    public static readonly Bits OwnSemSync = new(5, 2);
    /// <summary>v4 one-shot: this channel's turn in the destination's current sync (<see cref="SyncTurn"/>).</summary>
    public static readonly Bits Turn = new(7, 2);
}

/// <summary>A channel thread's phase.</summary>
internal enum ChannelPhase
{
    /// <summary>At the top of its loop or waiting on <c>p->sem</c>.</summary>
    Idle = 0,
    /// <summary>Between <c>WriteBegin</c>/<c>ReadBegin</c> and the end of that IO.</summary>
    Busy = 1,
    /// <summary>Left its loop.</summary>
    Exited = 2,
    /// <summary>Left its loop on an IO error.</summary>
    Failed = 3,
}

/// <summary>A channel's place in the main thread's current sync loop.</summary>
internal enum SyncTurn
{
    None = 0,
    /// <summary>Asked (send: <c>pending_sync</c> set); the main thread has not waited for it yet.</summary>
    Requested = 1,
    /// <summary>The main thread checked <c>exiting</c> and now blocks on this channel.</summary>
    Waiting = 2,
    /// <summary>Waited for.</summary>
    Done = 3,
}
