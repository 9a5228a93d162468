namespace SyncModel.Implementation.Format;

/// <summary>
/// One RAMBlock record of a mapped-ram SECTION_START with its MappedRamHeader (docs/protocol.md §1.4). Guest page at
/// block offset X lives at file offset <c>PagesOffset + X</c>; bit i of the bitmap says whether page i was written.
/// </summary>
public sealed record MappedRamBlock(string Name, long UsedLength, long PageSize, long BitmapOffset, long PagesOffset)
{
    /// <summary>Pages in the block (<c>used_length / page_size</c>).</summary>
    public long PageCount => UsedLength / PageSize;

    /// <summary>Bytes of the bitmap: whole little-endian 64-bit words.</summary>
    public long BitmapBytes => QemuFormat.BitmapBytes(PageCount);

    /// <summary>Where the page area ends, which is where the next block record (or the EOS) starts.</summary>
    public long PagesEnd => PagesOffset + UsedLength;
}
