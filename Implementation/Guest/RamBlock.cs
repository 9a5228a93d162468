using System.Numerics;

namespace SyncModel.Implementation.Guest;

/// <summary>One RAM block of a guest: its memory, per-page versions and the dirty log the guest's writes mark.</summary>
public sealed class RamBlock
{
    private readonly ulong[] _dirtyLog;

    public RamBlock(int index, string name, long usedLength, int pageSize)
    {
        if (usedLength <= 0 || usedLength % pageSize != 0)
            throw new ArgumentException($"block '{name}': used length {usedLength} is not a positive multiple of the page size {pageSize}");
        if (usedLength > Array.MaxLength)
            throw new ArgumentException($"block '{name}': used length {usedLength} is over the {Array.MaxLength} bytes one block may hold here");
        Index = index;
        Name = name;
        UsedLength = usedLength;
        PageSize = pageSize;
        Pages = usedLength / pageSize;
        Memory = new byte[usedLength];
        Versions = new int[Pages];
        _dirtyLog = new ulong[(Pages + 63) / 64];
    }

    public int Index { get; }
    public string Name { get; }
    public long UsedLength { get; }
    public int PageSize { get; }
    public long Pages { get; }

    /// <summary>The block's bytes (the host memory QEMU's channels read from and write into).</summary>
    public byte[] Memory { get; }

    /// <summary>How many times the guest wrote each page.</summary>
    public int[] Versions { get; }

    public Memory<byte> Page(long page) => Memory.AsMemory(checked((int)(page * PageSize)), PageSize);

    public Span<byte> PageSpan(long page) => Memory.AsSpan(checked((int)(page * PageSize)), PageSize);

    public bool IsZeroPage(long page) => !PageSpan(page).ContainsAnyExcept((byte)0);

    /// <summary>Whether the dirty log holds <paramref name="page"/> (an observation for conformance tests).</summary>
    internal bool IsLogged(long page) => (Volatile.Read(ref _dirtyLog[page >> 6]) >> (int)(page & 63) & 1) != 0;

    /// <summary>Marks a page dirty (after its bytes were written, like a write-protect fault logging it).</summary>
    public void MarkDirty(long page) => Interlocked.Or(ref _dirtyLog[page >> 6], 1UL << (int)(page & 63));

    /// <summary>
    /// <c>migration_bitmap_sync</c> for this block: moves every dirty-log bit into <paramref name="bitmap"/>
    /// word by word (atomically), leaving the log clear; returns how many pages became dirty.
    /// </summary>
    public long SyncDirtyLogInto(ulong[] bitmap)
    {
        long found = 0;
        for (var w = 0; w < _dirtyLog.Length; w++)
        {
            if (Volatile.Read(ref _dirtyLog[w]) == 0) continue;
            var bits = Interlocked.Exchange(ref _dirtyLog[w], 0);
            found += BitOperations.PopCount(bits & ~bitmap[w]);
            bitmap[w] |= bits;
        }
        return found;
    }

    /// <summary>Forgets every logged write (dirty logging starts: the first round sends everything anyway).</summary>
    public void ClearDirtyLog()
    {
        for (var w = 0; w < _dirtyLog.Length; w++) Interlocked.Exchange(ref _dirtyLog[w], 0);
    }
}
