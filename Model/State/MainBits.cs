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
    /// <summary>Source: <c>channels_ready</c> tokens (up to 2N during a sync: every channel acks before the main thread
    /// takes its tokens). Load: posts on the shared <c>sem_sync</c>.</summary>
    public static readonly Bits Tokens = new(11, 5);
    /// <summary>Source: the sender site whose sync is running. Load: how far the cleanup sequence got.</summary>
    public static readonly Bits Site = new(16, 2);
    /// <summary>Source: <c>last_page</c> at the start of the current find call (the wrap's limit). Load: the next chunk.</summary>
    public static readonly Bits Limit = new(18, 5);
    /// <summary>Source: the current find call has wrapped (<c>complete_round</c>).</summary>
    public static readonly Bits Wrapped = new(23, 1);
    /// <summary>Source: the page found while the batch was full, queued once the batch is dispatched (<see cref="NoPage"/> = none).</summary>
    public static readonly Bits Pending = new(24, 5);
    /// <summary>Load: the record of the section being read (see <c>DestItem</c>).</summary>
    public static readonly Bits Item = new(24, 3);
    /// <summary>Load: FLUSH records of this section already read.</summary>
    public static readonly Bits FlushIdx = new(27, 2);
    /// <summary>Source: guest writes since the last bitmap sync.</summary>
    public static readonly Bits GuestWrites = new(29, 4);
    /// <summary>Source: pages queued by this iterate call (its rate limit).</summary>
    public static readonly Bits PagesThisIter = new(33, 4);
    /// <summary>FLUSH records written into each section, 2 bits per section (START, PART 1..R, END).</summary>
    public const int FlushShift = 37;
    /// <summary>Source: the in-memory file bitmap has been written and freed.</summary>
    public static readonly Bits Freed = new(49, 1);
    /// <summary>Source: guest writes in the whole save (the total budget, <c>--guest-budget</c>).</summary>
    public static readonly Bits GuestTotal = new(50, 4);

    /// <summary>The bits the save hands to the load: the FLUSH records of every section (the mutation switches are in
    /// <see cref="ModelState.Ext"/>, <see cref="Switches"/>).</summary>
    public const ulong KeptByLoad = 0xfffUL << FlushShift;

    /// <summary>The bits of <see cref="ModelState.Main"/> any state uses.</summary>
    public const int Width = 54;

    public static readonly Bits[] Flush = [new(37, 2), new(39, 2), new(41, 2), new(43, 2), new(45, 2), new(47, 2)];

    public const int NoPage = 31;
}
