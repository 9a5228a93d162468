namespace SyncModel.Implementation.Format;

/// <summary>
/// One block as <see cref="MappedRamInspector.Inspect"/> found it: the header fields, the number of bitmap
/// bits set among its pages, and the offset of its record (the <c>u8 idlen</c>) in the stream.
/// </summary>
public sealed record MappedRamBlockLayout(
    string Name, long UsedLength, long PageSize, long BitmapOffset, long PagesOffset, long PagesPresent, long RecordOffset)
{
    public long PageCount => UsedLength / PageSize;

    public MappedRamBlock ToBlock() => new(Name, UsedLength, PageSize, BitmapOffset, PagesOffset);
}
