namespace SyncModel.Implementation.Recv;

/// <summary>
/// <c>MultiFDRecvData</c>: one positional read of <see cref="Size"/> bytes at <see cref="FileOffset"/> into
/// <see cref="Block"/>'s memory from page <see cref="Page"/>; Size 0 means "no job".
/// </summary>
internal sealed class RecvChunk
{
    public long Id { get; set; } = -1;
    public int Block { get; set; } = -1;
    public long Page { get; set; }
    public int Pages { get; set; }
    public long FileOffset { get; set; }
    public int Size { get; set; }

    public void Set(long id, int block, long page, int pages, long fileOffset, int size)
    {
        Id = id;
        Block = block;
        Page = page;
        Pages = pages;
        FileOffset = fileOffset;
        Size = size;
    }

    public void Reset()
    {
        Id = -1;
        Block = -1;
        Size = 0;
        Pages = 0;
    }
}
