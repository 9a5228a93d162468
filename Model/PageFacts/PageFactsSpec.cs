using CsCheck;
using SyncModel.Model.Checking;
using SyncModel.Protocol.Events;

namespace SyncModel.Model.PageFacts;

/// <summary>A guest write: which page, and whether the new content is data or all zero.</summary>
public readonly record struct PageWriteArg(int Page, bool Data)
{
    public override string ToString() => $"p{Page}={(Data ? "data" : "zero")}";
}

/// <summary>
/// The page facts of the protocol model (<c>MemBits</c>: Data, Dirty, ToSend, FileBit, SlotCurrent, the scan cursor)
/// for one RAM block, with one thread doing everything: the guest writes, <c>migration_bitmap_sync</c>, and one
/// scan step that takes the next dirty page (<c>find_dirty_block</c> with QEMU's cursor and wrap) and sends it at once
/// (<c>send_prepare</c>'s zero check and file-bitmap bit, then the slot write). Masks: page i = bit i. This is the
/// sequential slice of the model's source side, small enough for CsCheck's <c>ConformExhaustive</c> to drive the
/// Implementation's dirty log, migration bitmap, scanner, file bitmap and slot writes down every transition.
/// </summary>
/// <param name="Wrapped">The last scan step wrapped from the block's end to its start (the round-wrap site).</param>
public readonly record struct PageFactsState(byte Data, byte Dirty, byte ToSend, byte FileBit, byte SlotCurrent, byte Cursor, bool Wrapped)
{
    public override string ToString() =>
        $"data={Mask(Data)} dirty={Mask(Dirty)} tosend={Mask(ToSend)} filebit={Mask(FileBit)} slot={Mask(SlotCurrent)} cursor={Cursor}{(Wrapped ? " wrapped" : "")}";

    private static string Mask(byte m) => m == 0 ? "-" : string.Concat(Enumerable.Range(0, 8).Where(i => (m >> i & 1) != 0).Select(i => i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
}

public static class PageFactsSpec
{
    public const string GuestWrite = "GuestWrite";
    public const string BitmapSync = "BitmapSync";
    public const string Scan = "Scan";

    /// <summary>The fault the zero-page bitmap bug of docs/protocol.md §5.6 (8fa1a21c) makes: a zero page's send leaves its bit set.</summary>
    public const string ZeroPageBitNotCleared = "ZeroPageBitNotCleared";

    /// <summary>
    /// The spec over <paramref name="pages"/> pages (1..8). The initial state is the save's setup: RAM all zero,
    /// every page to send (<c>ram_list</c>'s bitmap starts full), nothing in the file.
    /// </summary>
    public static Spec<PageFactsState> Create(int pages)
    {
        if (pages is < 1 or > 8) throw new ArgumentOutOfRangeException(nameof(pages), pages, "1..8 pages");
        var all = (byte)((1 << pages) - 1);
        return Spec.From(new PageFactsState(0, 0, all, 0, 0, 0, false))
            .Action(GuestWrite, Writes(pages), (s, w) => Write(s, w))
            .Action(BitmapSync, s => s with { ToSend = (byte)(s.ToSend | s.Dirty), Dirty = 0, Wrapped = false })
            .Action(Scan, s => Step(s, pages))
            .Invariant(nameof(PropertyId.NoStalePage), Requirements.StaleQuote, s => UpToDate(s, all))
            .Fault(ZeroPageBitNotCleared, (before, after) => SentZeroPage(before, after), (before, after) => after with { FileBit = (byte)(after.FileBit | before.FileBit) });
    }

    /// <summary>The <see cref="GuestWrite"/> action's domain, in order: a transition's <c>ArgIndex</c> indexes it.</summary>
    public static PageWriteArg[] Writes(int pages) =>
        [.. Enumerable.Range(0, pages).SelectMany(p => new[] { new PageWriteArg(p, true), new PageWriteArg(p, false) })];

    private static PageFactsState Write(PageFactsState s, PageWriteArg w)
    {
        var bit = (byte)(1 << w.Page);
        return s with
        {
            Data = w.Data ? (byte)(s.Data | bit) : (byte)(s.Data & ~bit),
            Dirty = (byte)(s.Dirty | bit),
            SlotCurrent = (byte)(s.SlotCurrent & ~bit),
            Wrapped = false,
        };
    }

    /// <summary>
    /// One <c>ram_find_and_save_block</c>: the first page to send at or after the cursor; else the scan wraps and
    /// takes the first from the block's start; with none at all it wraps, finds nothing and leaves the cursor at
    /// the block's end. The page taken is sent: data lands in its slot with bit 1, a zero page clears its bit.
    /// </summary>
    private static PageFactsState Step(PageFactsState s, int pages)
    {
        var page = First(s.ToSend, s.Cursor, pages);
        var wrapped = false;
        if (page < 0)
        {
            wrapped = true;
            page = First(s.ToSend, 0, pages);
            if (page < 0) return s with { Cursor = (byte)pages, Wrapped = true };
        }
        var bit = (byte)(1 << page);
        var data = (s.Data & bit) != 0;
        return s with
        {
            ToSend = (byte)(s.ToSend & ~bit),
            FileBit = data ? (byte)(s.FileBit | bit) : (byte)(s.FileBit & ~bit),
            SlotCurrent = data ? (byte)(s.SlotCurrent | bit) : s.SlotCurrent,
            Cursor = (byte)(page + 1),
            Wrapped = wrapped,
        };
    }

    private static int First(byte mask, int from, int pages)
    {
        for (var p = from; p < pages; p++)
        {
            if ((mask >> p & 1) != 0) return p;
        }
        return -1;
    }

    /// <summary>NoStalePage for every page with nothing left to send: its bit says whether it holds data, and a data page's slot is current.</summary>
    private static bool UpToDate(PageFactsState s, byte all)
    {
        var settled = all & ~(s.Dirty | s.ToSend);
        return ((s.FileBit ^ s.Data) & settled) == 0 && (s.Data & ~s.SlotCurrent & settled) == 0;
    }

    private static bool SentZeroPage(PageFactsState before, PageFactsState after)
    {
        var sent = before.ToSend & ~after.ToSend;
        return sent != 0 && (before.Data & sent) == 0 && (before.FileBit & sent) != 0;
    }
}
