using System.Collections.Concurrent;
using SyncModel.Model.State;

namespace SyncModel.Model.Machine;

/// <summary>
/// The guest abstraction (<see cref="ModelCheckOptions.Abstraction"/>). What a page holds (data or zero) never steers a
/// thread: only send_prepare's zero test, the slot a write lands in and the file bitmap depend on it, page by page. So a
/// <b>settled</b> page, one whose newest content is in the file (bitmap bit = content, slot current if data) and that is
/// not dirty, not queued and in no channel's job, forgets which content it holds (<see cref="PageFact.Free"/>). A guest
/// write does not say what it writes (with one-page batches): the next send of the page chooses, the only step that
/// reads it (<see cref="PageFact.DataUnknown"/>); and it makes the page's bitmap bit unknown until that send writes it
/// (<see cref="PageFact.FileUnknown"/>). The join takes the chunk count of the file it leaves (any the unknown bits can
/// give, <see cref="ReachableChunkCounts"/>), and a page still unknown at the join may be stale. The load only counts
/// chunks, so its file bitmap is kept as the first bitmap with that many chunks. This over-approximates: a page never
/// written is forgotten too, although it can only hold data, and a bitmap bit is forgotten although a buggy save may read
/// it. A proof with the abstraction holds for the model without it; a violation is replayed on the model without it
/// before it is reported (<c>EngineRun</c>), and searched again without the abstraction if it does not replay.
/// </summary>
internal sealed partial class ModelMachine
{
    private readonly ConcurrentDictionary<(int Fixed, int Free), int> _reachableChunks = new();
    private int[]? _firstWithChunks;

    /// <summary>With the guest abstraction and one-page batches a guest write does not say what it writes: the next send
    /// of the page chooses (<see cref="WriteBeginArg"/>); nothing reads the content before that send.</summary>
    public bool DeferContents => Options.Abstraction && Options.BatchPages == 1;

    /// <summary>A guest write's page and content (false when the content is left to the next send).</summary>
    public (int Page, bool Data) GuestArg(int arg) => DeferContents ? (arg, false) : (arg >> 1, (arg & 1) != 0);

    /// <summary>The argument of a guest write of <paramref name="data"/> to <paramref name="page"/> in this machine.</summary>
    public int GuestWriteArg(int page, bool data) => DeferContents ? page : (page << 1) | (data ? 1 : 0);

    /// <summary>A send's channel and the content it takes for a page whose content is not chosen yet.</summary>
    public (int Channel, bool Data) WriteBeginArg(int arg) => DeferContents ? (arg >> 1, (arg & 1) != 0) : (arg, false);

    /// <summary>A send's snapshot decides the content of the batch's undecided pages.</summary>
    private static ModelState ChooseContents(ModelState s, int job, bool data)
    {
        var pages = job & Pages.Get(s, PageFact.DataUnknown);
        if (pages == 0) return s;
        s = Pages.Set(s, PageFact.Data, (Pages.Get(s, PageFact.Data) & ~pages) | (data ? pages : 0));
        return Pages.Set(s, PageFact.DataUnknown, Pages.Get(s, PageFact.DataUnknown) & ~pages);
    }

    /// <summary>A guest write with the abstraction: the page's bitmap bit is no longer known (the next send writes it
    /// before anything reads it), and a forgotten page is forgotten no more.</summary>
    private ModelState Unknown(ModelState s, int page)
    {
        if (!Options.Abstraction) return s;
        s = Pages.Set(s, PageFact.Free, Pages.Get(s, PageFact.Free) & ~page);
        s = Pages.Set(s, PageFact.FileBit, Pages.Get(s, PageFact.FileBit) & ~page);
        return Pages.Set(s, PageFact.FileUnknown, Pages.Get(s, PageFact.FileUnknown) | page);
    }

    /// <summary>Pages whose newest content is in the file with nothing on its way: not dirty, not to be sent, not in the
    /// batch or pending, in no channel's job, nothing unknown, bitmap bit = content, slot current when data.</summary>
    public int SettledPages(in ModelState s)
    {
        var held = Pages.Get(s, PageFact.ToSend) | Pages.Get(s, PageFact.Batch) | Pages.Get(s, PageFact.Dirty)
            | Pages.Get(s, PageFact.DataUnknown) | Pages.Get(s, PageFact.FileUnknown);
        var pending = MainBits.Pending.Get(s.Main);
        if (pending != MainBits.NoPage) held |= Bit(pending);
        for (var i = 0; i < N; i++) held |= SendBits.Job(s.Ch(i));
        var data = Pages.Get(s, PageFact.Data);
        var stale = (Pages.Get(s, PageFact.FileBit) ^ data) | (data & ~Pages.Get(s, PageFact.SlotCurrent));
        return ~(held | stale) & AllPages;
    }

    /// <summary>The canonical form of settled pages: content forgotten, every fact 0.</summary>
    private ModelState Forget(in ModelState s)
    {
        var settled = SettledPages(s) & ~Pages.Get(s, PageFact.Free);
        if (settled == 0) return s;
        var t = Pages.Set(s, PageFact.Free, Pages.Get(s, PageFact.Free) | settled);
        t = Pages.Set(t, PageFact.Data, Pages.Get(t, PageFact.Data) & ~settled);
        t = Pages.Set(t, PageFact.FileBit, Pages.Get(t, PageFact.FileBit) & ~settled);
        return Pages.Set(t, PageFact.SlotCurrent, Pages.Get(t, PageFact.SlotCurrent) & ~settled);
    }

    /// <summary>Gives the pages whose bitmap bit the abstraction does not know (forgotten, or written since their last
    /// send) the bits <paramref name="bits"/>; a forgotten page gets the content that goes with its bit.</summary>
    private static ModelState Recall(ModelState s, int pages, int bits)
    {
        var free = pages & Pages.Get(s, PageFact.Free);
        s = Pages.Set(s, PageFact.Free, Pages.Get(s, PageFact.Free) & ~free);
        s = Pages.Set(s, PageFact.Data, (Pages.Get(s, PageFact.Data) & ~free) | (bits & free));
        s = Pages.Set(s, PageFact.SlotCurrent, (Pages.Get(s, PageFact.SlotCurrent) & ~free) | (bits & free));
        s = Pages.Set(s, PageFact.FileUnknown, Pages.Get(s, PageFact.FileUnknown) & ~pages);
        return Pages.Set(s, PageFact.FileBit, (Pages.Get(s, PageFact.FileBit) & ~pages) | (bits & pages));
    }

    /// <summary>The pages whose bitmap bit the abstraction does not know.</summary>
    private int UnknownBits(in ModelState s) => (Pages.Get(s, PageFact.Free) | Pages.Get(s, PageFact.FileUnknown)) & AllPages;

    /// <summary>The chunk counts (bit c) the file can have: the known bitmap bits, any content for forgotten pages.</summary>
    public int ReachableChunkCounts(in ModelState s)
    {
        var free = UnknownBits(s);
        var known = Pages.Get(s, PageFact.FileBit) & ~free & AllPages;
        return _reachableChunks.GetOrAdd((known, free), k =>
        {
            var counts = 0;
            for (int sub = k.Free, guard = 0; guard <= 1 << P; guard++, sub = (sub - 1) & k.Free)
            {
                counts |= 1 << ChunkCount(k.Fixed | sub);
                if (sub == 0) break;
            }
            return counts;
        });
    }

    /// <summary>Gives the forgotten pages the contents of the first bitmap (in submask order) with <paramref name="chunks"/> chunks.</summary>
    private ModelState RecallForChunks(ModelState s, int chunks)
    {
        var free = UnknownBits(s);
        var known = Pages.Get(s, PageFact.FileBit) & ~free & AllPages;
        for (int sub = free, guard = 0; guard <= 1 << P; guard++, sub = (sub - 1) & free)
        {
            if (ChunkCount(known | sub) == chunks) return Recall(s, free, sub);
            if (sub == 0) break;
        }
        throw new InvalidOperationException($"no content of the forgotten pages gives {chunks} chunks");
    }

    /// <summary>The load's file bitmap as the first bitmap with as many chunks: the load only counts them.</summary>
    private ModelState CanonicalLoadBitmap(in ModelState s)
    {
        var first = _firstWithChunks ??= FirstBitmapPerChunkCount();
        var bitmap = Pages.Get(s, PageFact.FileBit) & AllPages;
        return Pages.Set(s, PageFact.FileBit, first[ChunkCount(bitmap)]);
    }

    private int[] FirstBitmapPerChunkCount()
    {
        var first = Enumerable.Repeat(-1, P + 2).ToArray();
        for (var b = 0; b <= AllPages; b++)
        {
            var c = ChunkCount(b);
            if (first[c] < 0) first[c] = b;
        }
        return first;
    }
}
