using SyncModel.Implementation.Format;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Implementation.Send;

namespace SyncModel.Implementation.Save;

/// <summary>
/// Socket multifd (docs/protocol.md §2.3, §2.6 column 8.2): the main stream carries the block list without mapped-ram
/// headers (idstr and used length) and the EOS/FLUSH records, never pages; it is flushed at every FLUSH and
/// section end (<c>qemu_fflush</c>) so the destination sees a record as soon as the source wrote it. Pages go
/// in packets on one connection per channel.
/// </summary>
internal sealed class SocketSaveTransport(SocketEndpoint main, IReadOnlyList<SocketEndpoint> channels, GuestRam ram, Guid uuid, int pagesPerPacket) : ISaveTransport
{
    private readonly OutgoingStreamFile _main = new(main);
    private readonly PacketChannels _packets = new(ram, channels, uuid, pagesPerPacket);

    public IMigrationFile MainChannel => _main;

    public IReadOnlyList<string> Capabilities { get; } = [];

    /// <summary>Packets the channels wrote.</summary>
    public long Packets => _packets.Packets;

    public void WriteBlockList(MigrationStreamWriter writer)
    {
        foreach (var b in ram.Blocks) writer.WriteRamBlock(b.Name, b.UsedLength);
    }

    public IPageSink Channel(int id) => _packets.Channel(id);

    public void FlushPoint(MigrationStreamWriter writer) => writer.Flush();

    public void AfterCompleteSync(MigrationStreamWriter writer)
    {
    }

    /// <summary>The source closes its main channel: the destination reads the rest, then end of stream.</summary>
    public void Finish() => main.Shutdown();

    /// <summary>The source closes its main channel mid-stream: the destination's main thread reads a cut stream and fails.</summary>
    public void Abandon() => main.Shutdown();

    public SaveResult Result(long pagesQueued) => new([], pagesQueued, _main.Length) { Packets = _packets.Packets };
}
