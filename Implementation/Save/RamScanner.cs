using System.Numerics;
using SyncModel.Implementation.Guest;

namespace SyncModel.Implementation.Save;

/// <summary>
/// The migration bitmap and the scan over it: <c>ram_find_and_save_block</c> / <c>find_dirty_block</c>
/// (docs/protocol.md §2.6, §4 background fact). The cursor (<c>last_seen_block</c>, <c>last_page</c>) survives
/// between calls; a call that wraps from the last block to the first runs the round-wrap site.
/// </summary>
internal sealed class RamScanner
{
    private readonly GuestRam _ram;
    private readonly ulong[][] _bitmap;
    private int _lastBlock;
    private long _lastPage;

    public RamScanner(GuestRam ram)
    {
        _ram = ram;
        _bitmap = ram.Blocks.Select(b => new ulong[(b.Pages + 63) / 64]).ToArray();
    }

    /// <summary>Whether the migration bitmap still holds the page (an observation for conformance tests).</summary>
    internal bool IsToSend(int block, long page) => (_bitmap[block][page >> 6] >> (int)(page & 63) & 1) != 0;

    /// <summary>The cursor, <c>last_seen_block</c> and <c>last_page</c> (an observation for conformance tests).</summary>
    internal (int Block, long Page) Cursor => (_lastBlock, _lastPage);

    /// <summary>Every page dirty: the first round sends all of RAM (<c>ram_list</c> bitmap starts full).</summary>
    public long MarkAllDirty()
    {
        long n = 0;
        foreach (var b in _ram.Blocks)
        {
            var words = _bitmap[b.Index];
            Array.Fill(words, ulong.MaxValue);
            var tail = (int)(b.Pages & 63);
            if (tail != 0) words[^1] = (1UL << tail) - 1;
            b.ClearDirtyLog();
            n += b.Pages;
        }
        return n;
    }

    /// <summary><c>migration_bitmap_sync</c>: fold every block's dirty log into the bitmap.</summary>
    public long SyncDirtyLog()
    {
        long n = 0;
        foreach (var b in _ram.Blocks) n += b.SyncDirtyLogInto(_bitmap[b.Index]);
        return n;
    }

    /// <summary>
    /// Finds the next dirty page from the cursor, clears its bit and returns it; returns null when the
    /// scan has gone once around without finding one. <paramref name="onWrap"/> runs at every wrap. The
    /// cursor is QEMU's <c>last_seen_block</c>/<c>last_page</c>: one past the page returned, or where an
    /// ALL_CLEAN search stopped.
    /// </summary>
    public (int Block, long Page)? FindDirty(Action onWrap)
    {
        var block = _lastBlock;
        var page = _lastPage;
        var completeRound = false;
        // Each pass moves to the next block; two laps plus one cover every block after the wrap.
        for (var pass = 0; pass <= 2 * _ram.Blocks.Count + 1; pass++)
        {
            var next = NextDirty(block, page);
            if (completeRound && block == _lastBlock && next >= _lastPage)
            {
                // ALL_CLEAN: QEMU keeps pss->page, where this search stopped (the block's end), as last_page.
                _lastPage = next;
                return null;
            }
            if (next < _ram.Blocks[block].Pages)
            {
                _bitmap[block][next >> 6] &= ~(1UL << (int)(next & 63));
                _lastBlock = block;
                // ram_save_host_page ends with pss_find_next_dirty past the host page it sent, so the next call
                // starts after this page: a page dirtied again is found only after the next wrap (and its sync).
                _lastPage = next + 1;
                return (block, next);
            }
            page = 0;
            if (++block == _ram.Blocks.Count)
            {
                onWrap();
                block = 0;
                completeRound = true;
            }
        }
        throw new InvalidOperationException("dirty-page scan did not terminate");
    }

    private long NextDirty(int block, long from)
    {
        var words = _bitmap[block];
        var pages = _ram.Blocks[block].Pages;
        if (from >= pages) return pages;
        var w = (int)(from >> 6);
        var bits = words[w] & (ulong.MaxValue << (int)(from & 63));
        while (bits == 0)
        {
            if (++w == words.Length) return pages;
            bits = words[w];
        }
        return Math.Min(pages, ((long)w << 6) + BitOperations.TrailingZeroCount(bits));
    }
}
