using SyncModel.Implementation.Format;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;

namespace SyncModel.Implementation.Recv;

/// <summary>
/// Socket multifd (docs/protocol.md §3.2, §3.4): the block list names the blocks (idstr and used length) and nothing
/// is queued: the recv threads read packets on their own connections. After the RAM section the main thread
/// reads the stream to its QEMU_VM_EOF.
/// </summary>
internal sealed class SocketLoadTransport(SocketEndpoint main, MultifdSocketRecv recv) : ILoadTransport
{
    /// <summary>Commands a stream may carry after the RAM section before its EOF.</summary>
    private const int MaxTrailingItems = 1 << 16;

    public IMigrationFile MainChannel { get; } = new IncomingStreamFile(main);

    public MultifdSocketRecv Recv => recv;

    /// <summary>QEMU starts the incoming migration once the main and every multifd channel are connected; each recv thread
    /// runs from its connection's arrival.</summary>
    public void Accept() => recv.Accept();

    public void CheckConfiguration(MigrationConfiguration configuration, long at)
    {
        if (configuration.HasCapability(MigrationConfiguration.MappedRamCapability))
            throw new MigrationFormatException(at, "the configuration section lists the mapped-ram capability: a mapped-ram stream cannot be loaded from sockets");
    }

    /// <summary>Nothing: the recv threads started when their connections were accepted.</summary>
    public void Start()
    {
    }

    public long ParseBlock(MigrationStreamReader reader, GuestRam ram)
    {
        var block = reader.ReadRamBlockRecord();
        Loader.LocalBlock(ram, block.Name, block.UsedLength, block.Offset);
        return block.UsedLength;
    }

    public void SyncMain() => recv.SyncMain();

    public void AfterRamSection(MigrationStreamReader reader)
    {
        for (var i = 0; i < MaxTrailingItems; i++)
        {
            switch (reader.ReadTopLevel())
            {
                case VmEof:
                    return;
                case VmCommand:
                    continue;
                case SectionHeader other:
                    throw new MigrationFormatException(other.Offset, $"section {other.Type} id {other.SectionId} '{other.Idstr}' after the ram section: only the ram section can be loaded here");
            }
        }
        throw new MigrationFormatException(reader.Position, "no QEMU_VM_EOF after the ram section");
    }

    public void LoadCleanup() => recv.FreeReceivedMap();

    public void Shutdown() => recv.Shutdown();

    public void Join() => recv.Join();

    public long ChunksQueued => 0;

    public long BytesLoaded => recv.BytesLoaded;
}
