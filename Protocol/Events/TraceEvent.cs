namespace SyncModel.Protocol.Events;

/// <summary>
/// One step of a migration: who did what, and the ids it touched. Unused ids are -1 (or 0 for counts).
/// </summary>
/// <param name="Kind">What happened.</param>
/// <param name="Actor">Which thread did it.</param>
/// <param name="Channel">The channel involved (the actor's own for channel threads; the target for the main threads).</param>
/// <param name="Id">The batch (source) or chunk (destination) id; ids count from 0 per run.</param>
/// <param name="Block">The RAM block index.</param>
/// <param name="Page">The first page index within the block.</param>
/// <param name="Count">The number of pages (or dirty pages for BitmapSync).</param>
/// <param name="Round">The iterate/complete number on the source, the section number on the destination.</param>
/// <param name="Version">The page version (GuestWrite).</param>
/// <param name="Flag">The stream flag (StreamFlag, SeeFlag).</param>
/// <param name="Error">The error message for a failing step.</param>
/// <param name="Pages">For a batch or chunk (Dispatch, WriteBegin/End, RecvQueue, ReadBegin/End): its pages as a mask over
/// <see cref="Page"/>.. (bit i = page Page + i); 0 when not known.</param>
/// <param name="Zeros">For WriteBegin/WriteEnd of a mapped-ram batch: which of <see cref="Pages"/> the send thread found all
/// zero (their file-bitmap bits cleared, nothing written), same mask layout.</param>
public readonly record struct TraceEvent(
    EventKind Kind,
    Actor Actor,
    int Channel = -1,
    long Id = -1,
    int Block = -1,
    long Page = -1,
    int Count = 0,
    int Round = 0,
    long Version = 0,
    RamFlag Flag = RamFlag.None,
    string? Error = null,
    ulong Pages = 0,
    ulong Zeros = 0)
{
    /// <summary>The mask of <paramref name="pages"/> relative to the first (sorted ascending, each under first + 64).</summary>
    public static ulong MaskOf(ReadOnlySpan<long> pages)
    {
        if (pages.IsEmpty) return 0;
        ulong mask = 0;
        foreach (var p in pages)
        {
            var d = p - pages[0];
            if (d is >= 0 and < 64) mask |= 1UL << (int)d;
        }
        return mask;
    }

    /// <summary>A mask of <paramref name="count"/> contiguous pages.</summary>
    public static ulong Run(int count) => count >= 64 ? ulong.MaxValue : (1UL << count) - 1;

    /// <summary>A compact one-line description: "send1 WriteEnd batch=3 b0:p128+128".</summary>
    public override string ToString()
    {
        var sb = new System.Text.StringBuilder();
        sb.Append(Actor).Append(' ').Append(Kind);
        if (Channel >= 0 && !(Actor.Kind is ActorKind.Sender or ActorKind.Receiver)) sb.Append(" ch=").Append(Channel);
        if (Id >= 0) sb.Append(Actor.Kind is ActorKind.Destination or ActorKind.Receiver ? " chunk=" : " batch=").Append(Id);
        if (Block >= 0) sb.Append(" b").Append(Block).Append(":p").Append(Page);
        if (Count > 0) sb.Append('+').Append(Count);
        if (Round > 0) sb.Append(" round=").Append(Round);
        if (Kind == EventKind.GuestWrite) sb.Append(" v").Append(Version);
        if (Flag != RamFlag.None) sb.Append(' ').Append(Flag.ToString().ToUpperInvariant());
        if (Error is not null) sb.Append(" error=\"").Append(Error).Append('"');
        return sb.ToString();
    }
}
