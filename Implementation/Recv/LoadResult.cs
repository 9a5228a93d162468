using SyncModel.Implementation.Guest;

namespace SyncModel.Implementation.Recv;

/// <summary>What a load restored: the destination RAM and how much the recv channels read into it.</summary>
public sealed record LoadResult(GuestRam Ram, long ChunksQueued, long BytesLoaded);
