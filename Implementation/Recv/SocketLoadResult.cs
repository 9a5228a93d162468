using SyncModel.Implementation.Guest;

namespace SyncModel.Implementation.Recv;

/// <summary>What a socket load restored and how its recv side synchronized.</summary>
/// <param name="Ram">The destination RAM.</param>
/// <param name="Packets">Packets the recv threads read (SYNC packets included).</param>
/// <param name="BytesLoaded">Page bytes read into the RAM.</param>
/// <param name="Syncs">Recv syncs the main thread ran.</param>
/// <param name="ParkedAtShutdown">Recv threads parked at a SYNC packet that no recv sync released when the incoming BH shut the channels down (recv cleanup kicks them).</param>
public sealed record SocketLoadResult(GuestRam Ram, long Packets, long BytesLoaded, long Syncs, int ParkedAtShutdown);
