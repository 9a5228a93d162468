namespace SyncModel.Model.State;

/// <summary>
/// A socket recv thread and its connection, in the upper 22 bits of the channel's word (the send thread's
/// <see cref="SendBits"/> use bits 0..41): channel i's send thread writes into the connection that channel i's recv thread
/// reads, so the pair stays one word under the symmetry reduction. The connection is a queue of up to
/// <see cref="MaxPackets"/> packets (<c>ModelCheckOptions.SocketBuffer</c> of them fit), oldest first; a sender whose packet
/// does not fit blocks until the receiver has read one. A packet is what the model needs of it, 6 bits: a SYNC packet, a
/// page packet (one page, the model's packets carry one), or a SYNC packet carrying a page (<c>SyncCarriesPages</c>, 8.2's
/// way, §2.7), each page with whether its copy is the guest's newest content (a guest write since the send's snapshot
/// makes it old), and a packet whose write failed part way (<see cref="IsCut"/>). Pages are 8 at most on a socket with its
/// destination. Two bits of the sender's own sit here too
/// (<see cref="CarriesSync"/>, <see cref="OwesWake"/>).
/// </summary>
internal static class SocketRecvBits
{
    /// <summary>The recv thread (<see cref="SocketRecvPhase"/>).</summary>
    public static readonly Bits Phase = new(42, 2);
    /// <summary>The channel's own <c>p->sem_sync</c>: releases from the recv sync (and 9.0+'s termination).</summary>
    public static readonly Bits SemSync = new(44, 2);
    /// <summary><c>RecvSkipsSyncPayload</c>: the thread skipped a SYNC packet's pages, which are still in the stream; its next
    /// read takes them for a packet header and fails (§5.10).</summary>
    public static readonly Bits Desync = new(46, 1);
    /// <summary>The send thread: the job it writes carries the SYNC of a sync request it found pending (<c>SyncCarriesPages</c>).</summary>
    public static readonly Bits CarriesSync = new(59, 1);
    /// <summary>The send thread: wake-ups of sync requests whose SYNC rode on a job's packet, still to come (each finds
    /// nothing to do).</summary>
    public static readonly Bits OwesWake = new(60, 2);

    /// <summary>The most packets a connection can hold in the model.</summary>
    public const int MaxPackets = 2;

    private const int QueueShift = 47;
    private const int CodeBits = 6;
    private const ulong CodeMask = (1UL << CodeBits) - 1;
    private const ulong QueueMask = (1UL << (CodeBits * MaxPackets)) - 1;

    /// <summary>A packet's code: 0 none, 1 SYNC, 2 + 2 × page + (1 if the copy is the newest) for a page packet, 18 + the same
    /// for a SYNC packet carrying the page; then the packets whose write failed part way (<see cref="IsCut"/>): 34 a SYNC
    /// packet's, 35 + page a page packet's.</summary>
    public const int Sync = 1;

    private const int SyncPages = 18;

    /// <summary>A SYNC packet whose write failed: what reached the connection is a prefix of its header, maybe empty.</summary>
    public const int CutSync = 34;

    private const int CutPages = 35;

    public static int PageCode(int page, bool current) => 2 + (2 * page) + (current ? 1 : 0);

    public static int SyncPageCode(int page, bool current) => SyncPages + (2 * page) + (current ? 1 : 0);

    /// <summary>A page packet whose write failed: a prefix of its header and pages reached the connection, maybe empty, maybe
    /// the whole header (the receiver can read it, then the pages end short).</summary>
    public static int CutPageCode(int page) => CutPages + page;

    /// <summary>The packet is whole and carries a page (with or without SYNC).</summary>
    public static bool IsPage(int code) => code is >= 2 and < CutSync;

    /// <summary>The packet is a SYNC packet carrying a page.</summary>
    public static bool IsSyncPage(int code) => code is >= SyncPages and < CutSync;

    /// <summary>The packet's write failed part way (QEMU writes a packet with one <c>qio_channel_writev_full_all</c>, multifd.c:947
    /// @9.0, which can fail after some bytes went out): the receiver reads what arrived, then the end of the stream once the
    /// source closed its side.</summary>
    public static bool IsCut(int code) => code >= CutSync;

    /// <summary>A page packet whose write failed part way (<see cref="CutPageCode"/>).</summary>
    public static bool IsCutPage(int code) => code >= CutPages;

    public static int PageOf(int code) => IsCutPage(code) ? code - CutPages : ((code - (IsSyncPage(code) ? SyncPages : 2)) >> 1);

    public static bool IsCurrent(int code) => (code & 1) != 0;

    /// <summary>The code of the packet at <paramref name="index"/> (0 = the oldest, the one the receiver reads next).</summary>
    public static int At(ulong w, int index) => (int)((w >> (QueueShift + (CodeBits * index))) & CodeMask);

    public static int Head(ulong w) => At(w, 0);

    /// <summary>Packets in the connection.</summary>
    public static int Count(ulong w)
    {
        var n = 0;
        while (n < MaxPackets && At(w, n) != 0) n++;
        return n;
    }

    /// <summary>The packet <paramref name="code"/> written behind the others (the caller checks it fits).</summary>
    public static ulong Push(ulong w, int code)
    {
        var n = Count(w);
        if (n >= MaxPackets) throw new InvalidOperationException("the connection is full");
        return w | ((ulong)code << (QueueShift + (CodeBits * n)));
    }

    /// <summary>The connection without its oldest packet.</summary>
    public static ulong Pop(ulong w)
    {
        var queue = (w >> QueueShift) & QueueMask;
        return (w & ~(QueueMask << QueueShift)) | ((queue >> CodeBits) << QueueShift);
    }

    /// <summary>The connection emptied (a receiver that left drops what was in it).</summary>
    public static ulong Cleared(ulong w) => w & ~(QueueMask << QueueShift);

    /// <summary>The pages of the packets in the connection (a cut one's too: what of it arrives lands).</summary>
    public static int PagesIn(ulong w)
    {
        var pages = 0;
        for (var i = 0; i < MaxPackets; i++)
        {
            var code = At(w, i);
            if (IsPage(code) || IsCutPage(code)) pages |= 1 << PageOf(code);
        }
        return pages;
    }

    /// <summary>Every copy of <paramref name="page"/> in the connection is old now.</summary>
    public static ulong Overwritten(ulong w, int page)
    {
        for (var i = 0; i < MaxPackets; i++)
        {
            var code = At(w, i);
            if (IsPage(code) && PageOf(code) == page && IsCurrent(code)) w &= ~(1UL << (QueueShift + (CodeBits * i)));
        }
        return w;
    }
}

/// <summary>A socket recv thread's phase.</summary>
internal enum SocketRecvPhase
{
    /// <summary>At the top of its loop, reading the next packet's header (blocked while the connection is empty).</summary>
    Loop = 0,
    /// <summary>Reading the oldest packet's page into guest RAM.</summary>
    Reading = 1,
    /// <summary>At a SYNC packet: posted the shared <c>sem_sync</c>, waiting on its own.</summary>
    Parked = 2,
    /// <summary>Left its loop.</summary>
    Exited = 3,
}
