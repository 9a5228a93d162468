using SyncModel.Implementation.Format;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Implementation.Send;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;

namespace SyncModel.Implementation.Save;

/// <summary>
/// mapped-ram (docs/protocol.md §1.4, §2.5): every block record carries its MappedRamHeader and reserves the block's
/// page area in the file; the send channels write pages at their slots; complete writes the file bitmaps.
/// </summary>
internal sealed class MappedRamSaveTransport(IMigrationFile file, IMigrationFile channelFile, GuestRam ram, Mutation mutations, ITraceObserver? observer) : ISaveTransport
{
    private MappedRamPages? _pages;

    public IMigrationFile MainChannel => file;

    public IReadOnlyList<string> Capabilities { get; } = [MigrationConfiguration.MappedRamCapability];

    public void WriteBlockList(MigrationStreamWriter writer)
    {
        var placements = ram.Blocks.Select(b => writer.WriteMappedRamBlock(b.Name, b.UsedLength, b.PageSize)).ToArray();
        _pages = new MappedRamPages(ram, channelFile, placements, mutations);
    }

    public IPageSink Channel(int id) => Pages.Channel(id);

    public void FlushPoint(MigrationStreamWriter writer)
    {
    }

    /// <summary><c>ram_save_file_bmap</c>: one positional write of each block's bitmap, then free them all.</summary>
    public void AfterCompleteSync(MigrationStreamWriter writer)
    {
        writer.Flush();
        for (var b = 0; b < ram.Blocks.Count; b++)
        {
            observer?.On(new TraceEvent(EventKind.FileBitmapWrite, Actor.Migration, Block: b));
            var bytes = MappedRamBitmap.Encode(Pages.FileBitmap.BlockWords(b));
            file.Write(bytes, Pages.Placements[b].BitmapOffset);
        }
        Pages.FileBitmap.Free();
        observer?.On(new TraceEvent(EventKind.FileBitmapFree, Actor.Migration));
    }

    /// <summary>QEMU's file channels close without fdatasync (docs/protocol.md §1.8): nothing to do here.</summary>
    public void Finish()
    {
    }

    public void Abandon()
    {
    }

    public SaveResult Result(long pagesQueued) => new(Pages.Placements, pagesQueued, file.Length);

    private MappedRamPages Pages => _pages ?? throw new InvalidOperationException("the block list is not written yet");
}
