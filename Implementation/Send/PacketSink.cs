using SyncModel.Implementation.Format;
using SyncModel.Implementation.IO;
using SyncModel.Protocol.Events;

namespace SyncModel.Implementation.Send;

/// <summary>
/// One socket send channel's writes (docs/protocol.md §2.3): the initial packet when the thread starts, then one
/// packet per job — header and offsets, then the pages' bytes (QEMU's writev of packet + pages) — and SYNC
/// packets. 8.2 has no multifd zero-page detection: every queued page travels as a normal page.
/// </summary>
internal sealed class PacketSink : IPageSink
{
    private readonly PacketChannels _shared;
    private readonly SocketEndpoint _socket;
    private readonly int _id;
    private readonly byte[] _packet;
    private readonly long[] _offsets;

    public PacketSink(PacketChannels shared, SocketEndpoint socket, int id)
    {
        _shared = shared;
        _socket = socket;
        _id = id;
        _packet = new byte[MultifdPacket.Size(shared.PagesPerPacket)];
        _offsets = new long[shared.PagesPerPacket];
    }

    public bool UsesPackets => true;

    public void Open()
    {
        Span<byte> init = stackalloc byte[MultifdHandshake.Size];
        MultifdHandshake.Encode(init, _shared.Uuid, checked((byte)_id));
        _socket.Write(init);
    }

    /// <summary>8.2 has no multifd zero-page detection: every page travels as a normal page.</summary>
    public ulong Prepare(PageBatch batch) => 0;

    public void Write(PageBatch batch, bool sync)
    {
        var block = batch.IsEmpty ? null : _shared.Ram.Blocks[batch.Block];
        var pages = batch.Pages;
        for (var i = 0; i < pages.Length; i++)
        {
            if (pages[i] < 0 || pages[i] >= block!.Pages)
                throw new ProtocolViolationException(PropertyId.RoundTrip, $"page {pages[i]} of block '{block!.Name}' is outside its {block.Pages} pages");
            _offsets[i] = pages[i] * block.PageSize;
        }
        MultifdPacket.Encode(_packet, sync ? MultifdPacket.FlagSync : 0, _shared.PagesPerPacket, _shared.NextPacketNum(),
            block?.Name ?? "", _offsets.AsSpan(0, pages.Length), _shared.Ram.PageSize);
        _socket.Write(_packet);
        for (var start = 0; start < pages.Length;)
        {
            var end = start + 1;
            while (end < pages.Length && pages[end] == pages[end - 1] + 1) end++;
            _socket.Write(block!.Memory.AsSpan(checked((int)(pages[start] * block.PageSize)), (end - start) * block.PageSize));
            start = end;
        }
    }

    public void Shutdown() => _socket.Shutdown();
}
