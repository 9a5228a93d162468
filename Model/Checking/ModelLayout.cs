using SyncModel.Model.State;

namespace SyncModel.Model.Checking;

/// <summary>
/// The packed form of a <see cref="ModelState"/> for N channels and P pages: the main word (62 bits), the four page
/// masks of <see cref="ModelState.Mem"/> and the two of <see cref="ModelState.Aux"/> at P bits each, the scan cursor
/// (5 bits), and N channel words of 2P + 9 bits (a send word's two page masks squeezed to P bits; a recv word needs 9).
/// 4 channels × 8 pages take 213 bits (4 words), 8 × 8 take 313 (5 words), 8 × 16 take 491 (8 words).
/// </summary>
internal sealed class ModelLayout
{
    private static readonly (string Name, Bits Field)[] MainFields =
    [
        ("main.pc", MainBits.Pc), ("main.exiting", MainBits.Exiting), ("main.errorUsed", MainBits.ErrorUsed), ("main.failed", MainBits.Failed),
        ("main.iter", MainBits.Iter), ("main.tokens", MainBits.Tokens), ("main.site", MainBits.Site), ("main.limit", MainBits.Limit),
        ("main.wrapped", MainBits.Wrapped), ("main.pending|item", MainBits.Pending), ("main.guestWrites", MainBits.GuestWrites),
        ("main.pagesThisIter", MainBits.PagesThisIter), ("main.flush", new Bits(MainBits.FlushShift, 12)), ("main.mutations", MainBits.Mutations),
        ("main.freed", MainBits.Freed), ("main.guestTotal", MainBits.GuestTotal),
    ];

    private static readonly PageFact[] Facts = [PageFact.Data, PageFact.Dirty, PageFact.ToSend, PageFact.FileBit, PageFact.SlotCurrent, PageFact.Batch];

    private readonly int _n;
    private readonly int _p;
    private readonly int _channelBits;

    public ModelLayout(int channels, int pages)
    {
        _n = channels;
        _p = pages;
        _channelBits = 2 * pages + SendBits.ControlWidth;
        Bits = MainBits.Width + Facts.Length * pages + 5 + channels * _channelBits;
        Words = (Bits + 63) / 64;
        var names = MainFields.Select(f => f.Name).ToList();
        names.AddRange(Facts.Select(f => "pages." + f));
        names.Add("pages.cursor");
        names.Add("channels (all words)");
        for (var i = 0; i < channels; i++) names.Add($"channel {i}");
        ComponentNames = names;
    }

    public int Bits { get; }

    public int Words { get; }

    public IReadOnlyList<string> ComponentNames { get; }

    public void Pack(in ModelState s, Span<ulong> packed)
    {
        packed.Clear();
        var w = new Engine.BitWriter(packed);
        w.Put(s.Main, MainBits.Width);
        foreach (var f in Facts) w.Put((ulong)Pages.Get(s, f), _p);
        w.Put((ulong)Pages.GetCursor(s), 5);
        var source = IsSource(s.Main);
        for (var i = 0; i < _n; i++) w.Put(source ? SendBits.Pack(s.Ch(i), _p) : s.Ch(i), _channelBits);
    }

    public ModelState Unpack(ReadOnlySpan<ulong> packed)
    {
        var r = new Engine.BitReader(packed);
        var s = new ModelState(r.Get(MainBits.Width), 0, 0);
        foreach (var f in Facts) s = Pages.Set(s, f, (int)r.Get(_p));
        s = Pages.SetCursor(s, (int)r.Get(5));
        var source = IsSource(s.Main);
        Span<ulong> ch = stackalloc ulong[_n];
        for (var i = 0; i < _n; i++)
        {
            var word = r.Get(_channelBits);
            ch[i] = source ? SendBits.Unpack(word, _p) : word;
        }
        return s.WithChannels(ch);
    }

    public ulong Component(in ModelState s, int component)
    {
        if (component < MainFields.Length) return (ulong)MainFields[component].Field.Get(s.Main);
        component -= MainFields.Length;
        if (component < Facts.Length) return (ulong)Pages.Get(s, Facts[component]);
        component -= Facts.Length;
        if (component == 0) return (ulong)Pages.GetCursor(s);
        if (component == 1)
        {
            Span<ulong> words = stackalloc ulong[_n];
            for (var i = 0; i < _n; i++) words[i] = s.Ch(i) + (IsSource(s.Main) ? 0 : 1UL << 63);
            return Engine.StateStore.Hash(words);
        }
        return s.Ch(component - 2) | (IsSource(s.Main) ? 0 : 1UL << 63);
    }

    private static bool IsSource(ulong main) => MainBits.Pc.Get(main) < (int)Pc.RecvQueue;
}
