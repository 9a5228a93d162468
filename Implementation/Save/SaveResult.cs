using SyncModel.Implementation.Format;

namespace SyncModel.Implementation.Save;

/// <summary>What a save did: where each block went, and how much the scan queued.</summary>
public sealed record SaveResult(IReadOnlyList<MappedRamPlacement> Placements, long PagesQueued, long FileLength);
