namespace SyncModel.Implementation.Format;

/// <summary>Where a block's bitmap and pages live in the file (absolute offsets).</summary>
public readonly record struct MappedRamPlacement(long BitmapOffset, long PagesOffset);
