using SyncModel.Implementation.Format;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;

namespace SyncModel.Implementation.Recv;

/// <summary>
/// mapped-ram (docs/protocol.md §1.6, §3.3): every block record carries its header; its bitmap's runs of present
/// pages are handed, in chunks of at most the load buffer size, to the recv channels, which read them
/// positionally from the file.
/// </summary>
internal sealed class MappedRamLoadTransport(IMigrationFile file, MultifdRecv recv, int chunkBytes) : ILoadTransport
{
    private long _chunks;

    public IMigrationFile MainChannel => file;

    public void Accept()
    {
    }

    public void CheckConfiguration(MigrationConfiguration configuration, long at)
    {
        if (!configuration.HasCapability(MigrationConfiguration.MappedRamCapability))
            throw new MigrationFormatException(at, "the configuration section does not list the mapped-ram capability: this is not a mapped-ram file");
    }

    public void Start() => recv.Start();

    public long ParseBlock(MigrationStreamReader reader, GuestRam ram)
    {
        var at = reader.Position;
        var block = reader.ReadMappedRamBlock();
        var local = Loader.LocalBlock(ram, block.Name, block.UsedLength, at);
        if (block.PageSize != local.PageSize)
            throw new MigrationFormatException(at, $"block '{block.Name}': page size {block.PageSize}, destination uses {local.PageSize}");
        QueueBlock(reader, block, local);
        return block.UsedLength;
    }

    /// <summary><c>read_ramblock_mapped_ram</c>: every run of set bits, in chunks of at most the load buffer size.</summary>
    private void QueueBlock(MigrationStreamReader reader, MappedRamBlock block, RamBlock local)
    {
        var bitmap = reader.ReadBitmap(block);
        var pagesPerChunk = Math.Max(1, chunkBytes / local.PageSize);
        foreach (var (start, count) in MappedRamBitmap.Runs(bitmap, block.PageCount))
        {
            for (var done = 0L; done < count; done += pagesPerChunk)
            {
                var pages = (int)Math.Min(pagesPerChunk, count - done);
                var page = start + done;
                if (!recv.Queue(local.Index, page, pages, block.PagesOffset + page * local.PageSize, pages * local.PageSize))
                    throw new MigrationFailedException("multifd recv channels are exiting", recv.Error);
                _chunks++;
            }
        }
    }

    public void SyncMain() => recv.SyncMain();

    public void LoadCleanup()
    {
    }

    public void AfterRamSection(MigrationStreamReader reader)
    {
    }

    public void Shutdown() => recv.Shutdown();

    public void Join() => recv.Join();

    public long ChunksQueued => _chunks;

    public long BytesLoaded => recv.BytesLoaded;
}
