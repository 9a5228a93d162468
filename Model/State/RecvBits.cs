namespace SyncModel.Model.State;

/// <summary>A recv thread's word (docs/protocol.md §3.1, §3.2, §4(b)), 9 bits.</summary>
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
