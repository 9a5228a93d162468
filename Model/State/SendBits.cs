namespace SyncModel.Model.State;

/// <summary>
/// A send thread's word (docs/protocol.md §2.1, §2.3), 42 bits. The batch is two page masks: <c>Hi</c> = pages whose
/// <c>send_prepare</c> snapshot was data (the write will land them), <c>Lo</c> = the other pages of the batch
/// (not prepared yet, or all zero) plus the data pages the guest has overwritten since the snapshot.
/// </summary>
internal static class SendBits
{
    private const int Lo = 0;
    private const int Hi = 16;
    private const ulong Masks = 0xffffffffUL;
    public static readonly Bits Phase = new(32, 2);
    /// <summary><c>p->sem</c>.</summary>
    public static readonly Bits Sem = new(34, 2);
    /// <summary><c>p->pending_sync</c>.</summary>
    public static readonly Bits PendingSync = new(36, 1);
    /// <summary><c>p->sem_sync</c>.</summary>
    public static readonly Bits SemSync = new(37, 2);
    /// <summary>This channel's turn in the migration thread's current sync (<see cref="SyncTurn"/>).</summary>
    public static readonly Bits Turn = new(39, 2);
    /// <summary>A socket channel whose asynchronous creation has not completed: it has no thread yet (its <c>sem</c> exists,
    /// <c>multifd_send_setup</c> initialised it before starting the creation). Never set on the file transport.</summary>
    public static readonly Bits Creating = new(41, 1);

    /// <summary>A socket channel still connecting: no thread yet.</summary>
    public static bool Connecting(ulong w) => Creating.On(w) && Phase.Get(w) == (int)ChannelPhase.Idle;

    /// <summary>A socket channel whose thread was created and writes its initial packet.</summary>
    public static bool Starting(ulong w) => Creating.On(w) && Phase.Get(w) == (int)ChannelPhase.Busy;

    /// <summary>The word of a socket channel whose creation is over, in <paramref name="phase"/>.</summary>
    public static ulong Created(ulong w, ChannelPhase phase) => Phase.Set(Creating.Set(w, false), (int)phase);

    /// <summary>The bits a send word uses beyond its two page masks on the file transport; the socket transport adds
    /// <see cref="Creating"/>.</summary>
    public const int ControlWidth = 9;

    /// <summary>The control bits of a send word on the socket transport.</summary>
    public const int SocketControlWidth = 10;

    /// <summary>The batch's pages; non-zero exactly while <c>pending_job</c> is true.</summary>
    public static int Job(ulong w) => (int)((w >> Lo) | (w >> Hi)) & 0xffff;

    /// <summary>Pages whose snapshot was data, so the write lands them.</summary>
    public static int Data(ulong w) => (int)(w >> Hi) & 0xffff;

    /// <summary>Data snapshots the guest has overwritten since: landing them makes the slot stale.</summary>
    public static int Stale(ulong w) => (int)((w >> Hi) & (w >> Lo)) & 0xffff;

    /// <summary>A new batch, not prepared yet.</summary>
    public static ulong WithJob(ulong w, int pages) => (w & ~Masks) | (uint)(pages & 0xffff);

    /// <summary>The batch prepared: <paramref name="data"/> of its pages held data, the rest were zero.</summary>
    public static ulong WithSnapshot(ulong w, int data)
    {
        var job = Job(w);
        return (w & ~Masks) | (uint)(job & ~data & 0xffff) | ((ulong)(uint)(data & job & 0xffff) << Hi);
    }

    /// <summary>The guest wrote <paramref name="pages"/>: data snapshots of them are now stale.</summary>
    public static ulong Overwritten(ulong w, int pages) => w | (uint)(Data(w) & pages);

    /// <summary>No batch.</summary>
    public static ulong WithoutJob(ulong w) => w & ~Masks;
}
