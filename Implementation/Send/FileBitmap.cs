using SyncModel.Protocol.Events;

namespace SyncModel.Implementation.Send;

/// <summary>
/// <c>RAMBlock::file_bmap</c> of every block: bit 1 = the page's data is in its slot, 0 = leave RAM
/// untouched (zero or never sent). Set and cleared atomically by the send threads, written once at
/// complete and then freed on purpose, so a late touch is a detectable synchronization bug (docs/protocol.md §1.4).
/// </summary>
internal sealed class FileBitmap
{
    private readonly ulong[][] _words;
    private int _freed;

    public FileBitmap(IEnumerable<long> pagesPerBlock) => _words = pagesPerBlock.Select(p => new ulong[(p + 63) / 64]).ToArray();

    public bool IsFreed => Volatile.Read(ref _freed) != 0;

    /// <summary>Whether the page's bit is set (an observation for conformance tests).</summary>
    internal bool IsSet(int block, long page) => (Volatile.Read(ref _words[block][page >> 6]) >> (int)(page & 63) & 1) != 0;

    public void Set(int block, long page) => Interlocked.Or(ref Word(block, page), 1UL << (int)(page & 63));

    public void Clear(int block, long page) => Interlocked.And(ref Word(block, page), ~(1UL << (int)(page & 63)));

    /// <summary>The words of one block, for the positional write at complete.</summary>
    public ulong[] BlockWords(int block)
    {
        EnsureAlive("written");
        return _words[block];
    }

    public void Free() => Volatile.Write(ref _freed, 1);

    private ref ulong Word(int block, long page)
    {
        EnsureAlive("touched by a send channel");
        return ref _words[block][page >> 6];
    }

    private void EnsureAlive(string what)
    {
        if (IsFreed) throw new ProtocolViolationException(PropertyId.NoUseAfterFree, $"file bitmap {what} after ram_save_file_bmap freed it");
    }
}
