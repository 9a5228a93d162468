using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;

namespace SyncModel.Implementation.Send;

/// <summary>
/// What the socket send channels share (docs/protocol.md §2.1, §2.3): one connection per channel, the VM's uuid for
/// the initial packet, the packet size, and the global packet number each packet takes when it is filled
/// (an atomic fetch-and-increment since 98ea497d).
/// </summary>
internal sealed class PacketChannels(GuestRam ram, IReadOnlyList<SocketEndpoint> sockets, Guid uuid, int pagesPerPacket)
{
    private long _packetNum;

    public GuestRam Ram { get; } = ram;
    public Guid Uuid { get; } = uuid;
    public int PagesPerPacket { get; } = pagesPerPacket;

    /// <summary>Packets written so far (SYNC packets included).</summary>
    public long Packets => Interlocked.Read(ref _packetNum);

    public ulong NextPacketNum() => (ulong)(Interlocked.Increment(ref _packetNum) - 1);

    public IPageSink Channel(int id) => new PacketSink(this, sockets[id], id);
}
