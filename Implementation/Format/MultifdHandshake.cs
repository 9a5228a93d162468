using System.Buffers.Binary;

namespace SyncModel.Implementation.Format;

/// <summary>
/// The initial packet a send channel writes before anything else (<c>MultiFDInit_t</c>, 64 bytes, big-endian):
/// magic, version, the VM's uuid, the channel id, and reserved bytes. The destination uses the id to match the
/// connection to its recv channel (<c>multifd_recv_initial_packet</c>).
/// </summary>
public static class MultifdHandshake
{
    public const int Size = 64;
    private const int UuidAt = 8;
    private const int IdAt = 24;

    public static void Encode(Span<byte> packet, Guid uuid, byte channel)
    {
        if (packet.Length != Size) throw new ArgumentException($"the initial packet is {Size} bytes");
        packet.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(packet, MultifdPacket.Magic);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], MultifdPacket.Version);
        uuid.TryWriteBytes(packet.Slice(UuidAt, 16), bigEndian: true, out _);
        packet[IdAt] = channel;
    }

    /// <summary>Checks magic, version and uuid, and that the id names one of <paramref name="channels"/>; returns the id.</summary>
    public static int Decode(ReadOnlySpan<byte> packet, Guid expectedUuid, int channels, int connection)
    {
        var magic = BinaryPrimitives.ReadUInt32BigEndian(packet);
        if (magic != MultifdPacket.Magic)
            throw Bad(0, connection, $"initial packet magic 0x{magic:x8}, expected 0x{MultifdPacket.Magic:x8}");
        var version = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        if (version != MultifdPacket.Version)
            throw Bad(4, connection, $"initial packet version {version}, expected {MultifdPacket.Version}");
        var uuid = new Guid(packet.Slice(UuidAt, 16), bigEndian: true);
        if (uuid != expectedUuid)
            throw Bad(UuidAt, connection, $"received uuid '{uuid}' and expected uuid '{expectedUuid}'");
        var id = packet[IdAt];
        if (id >= channels)
            throw Bad(IdAt, connection, $"received channel id {id} is greater than number of channels {channels}");
        return id;
    }

    /// <summary>An error about the initial packet of the destination's <paramref name="connection"/>-th connection (which channel it is, is what the packet says).</summary>
    internal static MigrationFormatException Bad(long at, int connection, string problem) => new(at, $"multifd connection {connection}: {problem}");
}
