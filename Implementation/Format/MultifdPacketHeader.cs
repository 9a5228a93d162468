namespace SyncModel.Implementation.Format;

/// <summary>The fixed fields of one multifd packet (<c>MultiFDPacket_t</c>), as decoded and checked.</summary>
/// <param name="Flags">MULTIFD_FLAG_SYNC (1) or 0.</param>
/// <param name="PagesAlloc">Offset slots in the packet (the sender's pages per packet).</param>
/// <param name="NormalPages">Pages whose data follows the header (<c>normal_pages</c>; <c>pages_used</c> before 8.1).</param>
/// <param name="NextPacketSize">Bytes of page data that follow the header.</param>
/// <param name="PacketNum">The sender's global packet number.</param>
/// <param name="RamBlock">The idstr of the block the pages belong to; empty when the packet has no pages.</param>
public readonly record struct MultifdPacketHeader(uint Flags, uint PagesAlloc, uint NormalPages, uint NextPacketSize, ulong PacketNum, string RamBlock)
{
    public bool IsSync => (Flags & MultifdPacket.FlagSync) != 0;
}
