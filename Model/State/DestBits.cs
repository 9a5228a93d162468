namespace SyncModel.Model.State;

/// <summary>
/// The socket destination's main thread, in <see cref="ModelState.Aux"/> above the scan cursor (bits 37..56): on the
/// socket transport the destination runs while the source saves, so its main thread cannot share the source's word as
/// the file load does. All 0 on the file transport and for a save checked alone (<see cref="DestPc.Absent"/>).
/// </summary>
internal static class DestBits
{
    /// <summary>Where the destination's main thread stands (<see cref="DestPc"/>).</summary>
    public static readonly Bits Pc = new(37, 3);
    /// <summary>The record of the section being read (<c>DestItem</c>).</summary>
    public static readonly Bits Item = new(40, 3);
    /// <summary>The section being read: 0 = START, 1..R = PART, R+1 = END.</summary>
    public static readonly Bits Section = new(43, 3);
    /// <summary>FLUSH records of this section already read.</summary>
    public static readonly Bits FlushIdx = new(46, 2);
    /// <summary>Posts on the shared <c>multifd_recv_state->sem_sync</c>.</summary>
    public static readonly Bits Tokens = new(48, 4);
    /// <summary><c>multifd_recv_state->exiting</c>.</summary>
    public static readonly Bits Exiting = new(52, 1);
    /// <summary>The load returned an error.</summary>
    public static readonly Bits Failed = new(53, 1);
    /// <summary>How far the end-of-load sequence got.</summary>
    public static readonly Bits Site = new(54, 2);
    /// <summary><c>qemu_loadvm_state_cleanup</c> ran: the RAM load state, <c>rb->receivedmap</c> with it, is freed (§5.9).</summary>
    public static readonly Bits MapFreed = new(56, 1);

    /// <summary>The first bit and the width of the fields (for the packed form).</summary>
    public const int Shift = 37;
    public const int Width = 20;
}

/// <summary>The socket destination's main thread (<see cref="DestBits.Pc"/>).</summary>
internal enum DestPc
{
    /// <summary>No concurrent destination: the file transport, or a save checked alone.</summary>
    Absent = 0,
    /// <summary>Reading the main stream: blocked until the source has written the next FLUSH or EOS of this section.</summary>
    Stream = 1,
    /// <summary><c>multifd_recv_sync_main</c>: waiting for one post per channel on the shared <c>sem_sync</c>.</summary>
    RecvWait = 2,
    /// <summary>The end-of-load steps in the policy's order (§3.6).</summary>
    Cleanup = 3,
    /// <summary>The load is over (every recv thread joined).</summary>
    Done = 4,
}
