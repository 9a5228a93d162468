using SyncModel.Implementation.Format;

namespace SyncModel.Implementation.Save;

/// <summary>
/// What a save did: where each block went (mapped-ram; empty for sockets), how much the scan queued, and the
/// length of the file (for sockets: the bytes of the main stream).
/// </summary>
public sealed record SaveResult(IReadOnlyList<MappedRamPlacement> Placements, long PagesQueued, long FileLength)
{
    /// <summary>Calls of <c>multifd_send_sync_main</c> that synced the channels.</summary>
    public long Syncs { get; init; }

    /// <summary>Packets the send channels wrote (sockets; SYNC packets included).</summary>
    public long Packets { get; init; }
}
