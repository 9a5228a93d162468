namespace SyncModel.Implementation.Send;

/// <summary>
/// MultiFDPages_t: up to <see cref="Capacity"/> pages of one block. The migration thread fills the global
/// batch and swaps it with an idle channel's empty one (zero-copy ownership transfer, docs/protocol.md §2.2).
/// </summary>
internal sealed class PageBatch
{
    private readonly long[] _pages;

    public PageBatch(int capacity) => _pages = new long[capacity];

    public int Capacity => _pages.Length;
    public int Block { get; private set; } = -1;
    public int Count { get; private set; }
    public long Id { get; set; } = -1;
    public bool IsEmpty => Count == 0;
    public bool IsFull => Count == _pages.Length;
    public ReadOnlySpan<long> Pages => _pages.AsSpan(0, Count);

    public void Add(int block, long page)
    {
        if (Count == 0) Block = block;
        else if (block != Block) throw new InvalidOperationException("a batch holds pages of one block only");
        if (IsFull) throw new InvalidOperationException("batch is full");
        _pages[Count++] = page;
    }

    public void Reset()
    {
        Count = 0;
        Block = -1;
        Id = -1;
    }
}
