using System.Buffers.Binary;
using System.Text;

namespace SyncModel.Implementation.Format;

/// <summary>
/// The multifd packet of socket migration (<c>MultiFDPacket_t</c> in <c>multifd.h</c>, 8.2/9.0), big-endian and
/// packed: magic, version, flags, pages_alloc, normal_pages, next_packet_size (u32 each), packet_num (u64),
/// zero_pages and a reserved u32, three reserved u64, the block's idstr in 256 bytes, then
/// <c>pages_alloc</c> u64 page offsets of which the first <c>normal_pages</c> are used. The pages' data follows
/// the packet (<c>next_packet_size</c> bytes). Decoding checks what <c>multifd_recv_unfill_packet</c> checks
/// and names the offending field's offset in the channel's byte stream.
/// </summary>
public static class MultifdPacket
{
    public const uint Magic = 0x11223344;
    public const uint Version = 1;
    /// <summary>MULTIFD_FLAG_SYNC.</summary>
    public const uint FlagSync = 1;
    public const int RamBlockFieldSize = 256;
    /// <summary>Bytes before the offsets.</summary>
    public const int FixedSize = 64 + RamBlockFieldSize;

    private const int FlagsAt = 8;
    private const int PagesAllocAt = 12;
    private const int NormalPagesAt = 16;
    private const int NextPacketSizeAt = 20;
    private const int PacketNumAt = 24;
    private const int RamBlockAt = 64;

    /// <summary>The packet's length for <paramref name="pagesAlloc"/> offset slots (QEMU's <c>packet_len</c>).</summary>
    public static int Size(int pagesAlloc) => FixedSize + 8 * pagesAlloc;

    /// <summary>Fills <paramref name="packet"/> (exactly <see cref="Size"/> bytes); <paramref name="offsets"/> are byte offsets in the block.</summary>
    public static void Encode(Span<byte> packet, uint flags, int pagesAlloc, ulong packetNum, string ramBlock, ReadOnlySpan<long> offsets, int pageSize)
    {
        if (packet.Length != Size(pagesAlloc)) throw new ArgumentException($"a packet with {pagesAlloc} slots is {Size(pagesAlloc)} bytes, not {packet.Length}");
        if (offsets.Length > pagesAlloc) throw new ArgumentException($"{offsets.Length} pages do not fit {pagesAlloc} slots");
        packet.Clear();
        BinaryPrimitives.WriteUInt32BigEndian(packet, Magic);
        BinaryPrimitives.WriteUInt32BigEndian(packet[4..], Version);
        BinaryPrimitives.WriteUInt32BigEndian(packet[FlagsAt..], flags);
        BinaryPrimitives.WriteUInt32BigEndian(packet[PagesAllocAt..], (uint)pagesAlloc);
        BinaryPrimitives.WriteUInt32BigEndian(packet[NormalPagesAt..], (uint)offsets.Length);
        BinaryPrimitives.WriteUInt32BigEndian(packet[NextPacketSizeAt..], (uint)(offsets.Length * pageSize));
        BinaryPrimitives.WriteUInt64BigEndian(packet[PacketNumAt..], packetNum);
        var name = Encoding.ASCII.GetBytes(ramBlock);
        if (name.Length >= RamBlockFieldSize) throw new ArgumentException($"block idstr '{ramBlock}' does not fit the packet's 256 bytes");
        name.CopyTo(packet[RamBlockAt..]);
        for (var i = 0; i < offsets.Length; i++) BinaryPrimitives.WriteUInt64BigEndian(packet[(FixedSize + 8 * i)..], (ulong)offsets[i]);
    }

    /// <summary>
    /// Decodes and checks the fixed fields: magic, version, <c>pages_alloc</c> against the receiver's
    /// <paramref name="pagesMax"/>, <c>normal_pages</c> against <c>pages_alloc</c>, <c>next_packet_size</c> against
    /// the pages, and the block idstr's bytes. <paramref name="at"/> is the packet's offset in the channel's stream.
    /// </summary>
    public static MultifdPacketHeader DecodeHeader(ReadOnlySpan<byte> packet, int pagesMax, int pageSize, long at, int channel)
    {
        if (packet.Length < FixedSize) throw new ArgumentException("a packet header is at least 320 bytes");
        var magic = BinaryPrimitives.ReadUInt32BigEndian(packet);
        if (magic != Magic)
            throw Bad(at, channel, $"received packet magic 0x{magic:x8}, expected 0x{Magic:x8}");
        var version = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        if (version != Version)
            throw Bad(at + 4, channel, $"received packet version {version}, expected {Version}");
        var flags = BinaryPrimitives.ReadUInt32BigEndian(packet[FlagsAt..]);
        if ((flags & ~FlagSync) != 0)
            throw Bad(at + FlagsAt, channel, $"received packet flags 0x{flags:x}: only SYNC (0x1) is known");
        var alloc = BinaryPrimitives.ReadUInt32BigEndian(packet[PagesAllocAt..]);
        if (alloc > pagesMax)
            throw Bad(at + PagesAllocAt, channel, $"received packet with size {alloc} and expected a size of {pagesMax}");
        var normal = BinaryPrimitives.ReadUInt32BigEndian(packet[NormalPagesAt..]);
        if (normal > alloc)
            throw Bad(at + NormalPagesAt, channel, $"received packet with {normal} pages and expected maximum pages are {alloc}");
        var next = BinaryPrimitives.ReadUInt32BigEndian(packet[NextPacketSizeAt..]);
        if (next != (ulong)normal * (ulong)pageSize)
            throw Bad(at + NextPacketSizeAt, channel, $"next_packet_size {next} does not match {normal} pages of {pageSize} bytes");
        var num = BinaryPrimitives.ReadUInt64BigEndian(packet[PacketNumAt..]);
        var name = DecodeName(packet.Slice(RamBlockAt, RamBlockFieldSize), at + RamBlockAt, channel);
        return new MultifdPacketHeader(flags, alloc, normal, next, num, name);
    }

    /// <summary>
    /// The first <c>normal_pages</c> offsets as page indices, each checked against the block
    /// ("offset too long") and the page size; <paramref name="packet"/> is the whole packet of <c>pages_alloc</c> slots.
    /// </summary>
    public static void DecodePages(ReadOnlySpan<byte> packet, in MultifdPacketHeader header, long blockUsedLength, int pageSize, Span<long> pages, long at, int channel)
    {
        if (packet.Length < Size((int)header.PagesAlloc)) throw new ArgumentException("the packet is shorter than its offset slots");
        for (var i = 0; i < header.NormalPages; i++)
        {
            var fieldAt = FixedSize + 8 * i;
            var offset = BinaryPrimitives.ReadUInt64BigEndian(packet[fieldAt..]);
            if (offset > (ulong)(blockUsedLength - pageSize))
                throw Bad(at + fieldAt, channel, $"offset too long 0x{offset:x} (max 0x{blockUsedLength - pageSize:x}) in block '{header.RamBlock}'");
            if (offset % (ulong)pageSize != 0)
                throw Bad(at + fieldAt, channel, $"offset 0x{offset:x} in block '{header.RamBlock}' is not a multiple of the page size {pageSize}");
            pages[i] = (long)(offset / (ulong)pageSize);
        }
    }

    private static string DecodeName(ReadOnlySpan<byte> field, long at, int channel)
    {
        var end = field.IndexOf((byte)0);
        if (end < 0)
            throw Bad(at, channel, "the ramblock field is not NUL-terminated within 256 bytes");
        for (var i = 0; i < end; i++)
        {
            if (field[i] is < 0x20 or > 0x7e)
                throw Bad(at + i, channel, $"the ramblock field holds byte 0x{field[i]:x2}, which is not printable ASCII");
        }
        return Encoding.ASCII.GetString(field[..end]);
    }

    internal static MigrationFormatException Bad(long at, int channel, string problem) => new(at, $"multifd channel {channel}: {problem}");
}
