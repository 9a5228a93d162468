using SyncModel.Model.State;

namespace SyncModel.Model.Checking;

/// <summary>
/// The packed form of a <see cref="ModelState"/> for one configuration: only the bits a state of that configuration can
/// vary. The main word without the run's constant mutation switches and without the FLUSH counts of sections it does not
/// have (and without the total guest count when there is no total budget); P bits per page fact (Free only with the
/// guest abstraction); the scan cursor; per channel the 9 control bits (10 on a socket) and its job: two P-bit masks, or with one-page
/// batches the page and how it was prepared in 6 bits. 4 channels × 8 pages take 158 bits (3 words), 8 × 8 take 226
/// (4 words), 8 × 16 take 290 (5 words).
/// </summary>
internal sealed class ModelLayout
{
    private static readonly (string Name, Bits Field)[] MainFields =
    [
        ("main.pc", MainBits.Pc), ("main.exiting", MainBits.Exiting), ("main.errorUsed", MainBits.ErrorUsed), ("main.failed", MainBits.Failed),
        ("main.iter", MainBits.Iter), ("main.tokens", MainBits.Tokens), ("main.site", MainBits.Site), ("main.limit", MainBits.Limit),
        ("main.wrapped", MainBits.Wrapped), ("main.pending|item", MainBits.Pending), ("main.guestWrites", MainBits.GuestWrites),
        ("main.pagesThisIter", MainBits.PagesThisIter), ("main.flush", new Bits(MainBits.FlushShift, 12)),
        ("main.freed", MainBits.Freed), ("main.guestTotal", MainBits.GuestTotal),
    ];

    /// <summary>Main bits [0, LowWidth) hold every field before the FLUSH counts.</summary>
    private const int LowWidth = MainBits.FlushShift;
    private const int JobCodeBits = 6;

    private readonly int _n;
    private readonly int _p;
    private readonly int _flushBits;
    private readonly int _totalBits;
    private readonly ulong _mutations;
    private readonly PageFact[] _facts;
    private readonly bool _compactJobs;
    private readonly int _jobBits;
    private readonly int _sendControl;
    /// <summary>Bits of the socket destination's main thread (<see cref="DestBits"/>), 0 without one.</summary>
    private readonly int _destBits;

    public ModelLayout(ModelCheckOptions o)
    {
        _n = o.Channels;
        _p = o.Pages;
        _flushBits = 2 * Math.Min(o.Rounds + 2, MainBits.Flush.Length);
        _totalBits = o.GuestBudget > 0 ? MainBits.GuestTotal.Width : 0;
        _mutations = Switches.With(0, o.Mutations);
        _facts = o.Abstraction
            ? [PageFact.Data, PageFact.Dirty, PageFact.ToSend, PageFact.FileBit, PageFact.SlotCurrent, PageFact.Batch, PageFact.Free, PageFact.DataUnknown, PageFact.FileUnknown]
            : [PageFact.Data, PageFact.Dirty, PageFact.ToSend, PageFact.FileBit, PageFact.SlotCurrent, PageFact.Batch];
        _compactJobs = o.BatchPages == 1;
        _jobBits = _compactJobs ? JobCodeBits : 2 * _p;
        // With a socket destination a channel's word also holds its recv thread and connection above the send thread's bits.
        _sendControl = o.SocketDestination ? 32 : o.IsSocket ? SendBits.SocketControlWidth : SendBits.ControlWidth;
        _destBits = o.SocketDestination ? DestBits.Width : 0;
        MainWidth = LowWidth + _flushBits + 1 + _totalBits;
        Bits = MainWidth + _facts.Length * _p + Pages.Cursor.Width + _destBits + _n * (_sendControl + _jobBits);
        Words = (Bits + 63) / 64;
        var names = MainFields.Select(f => f.Name).ToList();
        names.AddRange(_facts.Select(f => "pages." + f));
        names.Add("pages.cursor");
        if (_destBits > 0) names.Add("dest");
        names.Add("channels (all words)");
        for (var i = 0; i < _n; i++) names.Add($"channel {i}");
        ComponentNames = names;
    }

    public int MainWidth { get; }

    public int Bits { get; }

    public int Words { get; }

    public IReadOnlyList<string> ComponentNames { get; }

    public void Pack(in ModelState s, Span<ulong> packed)
    {
        packed.Clear();
        var w = new Engine.BitWriter(packed);
        var m = s.Main;
        w.Put(m, LowWidth);
        w.Put(m >> MainBits.FlushShift, _flushBits);
        w.Put((ulong)MainBits.Freed.Get(m), 1);
        w.Put((ulong)MainBits.GuestTotal.Get(m), _totalBits);
        foreach (var f in _facts) w.Put((ulong)Pages.Get(s, f), _p);
        w.Put((ulong)Pages.GetCursor(s), Pages.Cursor.Width);
        w.Put(s.Aux >> DestBits.Shift, _destBits);
        var source = IsSource(m);
        for (var i = 0; i < _n; i++)
        {
            var word = s.Ch(i);
            if (!source)
            {
                w.Put(word, SendBits.ControlWidth + _jobBits);
                continue;
            }
            w.Put(word >> 32, _sendControl);
            w.Put(_compactJobs ? JobCode(word) : (word & 0xffff) | (((word >> 16) & 0xffff) << _p), _jobBits);
        }
    }

    public ModelState Unpack(ReadOnlySpan<ulong> packed)
    {
        var r = new Engine.BitReader(packed);
        var m = r.Get(LowWidth);
        m |= r.Get(_flushBits) << MainBits.FlushShift;
        m = MainBits.Freed.Set(m, (int)r.Get(1));
        m = MainBits.GuestTotal.Set(m, (int)r.Get(_totalBits));
        var s = new ModelState(m, 0, 0) { Ext = _mutations };
        foreach (var f in _facts) s = Pages.Set(s, f, (int)r.Get(_p));
        s = Pages.SetCursor(s, (int)r.Get(Pages.Cursor.Width));
        if (_destBits > 0) s = s with { Aux = s.Aux | (r.Get(_destBits) << DestBits.Shift) };
        var source = IsSource(m);
        Span<ulong> ch = stackalloc ulong[_n];
        for (var i = 0; i < _n; i++)
        {
            if (!source)
            {
                ch[i] = r.Get(SendBits.ControlWidth + _jobBits);
                continue;
            }
            var control = r.Get(_sendControl) << 32;
            var job = r.Get(_jobBits);
            var mask = (1UL << _p) - 1;
            ch[i] = control | (_compactJobs ? FromJobCode(job) : (job & mask) | (((job >> _p) & mask) << 16));
        }
        return s.WithChannels(ch);
    }

    public ulong Component(in ModelState s, int component)
    {
        if (component < MainFields.Length) return (ulong)MainFields[component].Field.Get(s.Main);
        component -= MainFields.Length;
        if (component < _facts.Length) return (ulong)Pages.Get(s, _facts[component]);
        component -= _facts.Length;
        if (component == 0) return (ulong)Pages.GetCursor(s);
        if (_destBits > 0 && --component == 0) return s.Aux >> DestBits.Shift;
        var tag = IsSource(s.Main) ? 0 : 1UL << 63;
        if (component == 1)
        {
            Span<ulong> words = stackalloc ulong[_n];
            for (var i = 0; i < _n; i++) words[i] = s.Ch(i) | tag;
            return Engine.StateStore.Hash(words);
        }
        return s.Ch(component - 2) | tag;
    }

    /// <summary>A one-page job as 0 (none) or 1 + 3 × page + how it was prepared (0 not yet or zero, 1 data, 2 data
    /// overwritten since).</summary>
    private static ulong JobCode(ulong word)
    {
        var lo = (int)(word & 0xffff);
        var hi = (int)((word >> 16) & 0xffff);
        var job = lo | hi;
        if (job == 0) return 0;
        var page = System.Numerics.BitOperations.TrailingZeroCount(job);
        var kind = hi == 0 ? 0 : lo == 0 ? 1 : 2;
        return (ulong)(1 + (3 * page) + kind);
    }

    private static ulong FromJobCode(ulong code)
    {
        if (code == 0) return 0;
        var page = (int)(code - 1) / 3;
        var kind = (int)(code - 1) % 3;
        var bit = 1UL << page;
        return kind switch
        {
            0 => bit,
            1 => bit << 16,
            _ => bit | (bit << 16),
        };
    }

    private static bool IsSource(ulong main) => MainBits.Pc.Get(main) < (int)Pc.RecvQueue;
}
