using SyncModel.Implementation.Format;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Protocol.Config;

namespace SyncModel.Implementation.Send;

/// <summary>
/// What the mapped-ram send channels share: the file as they see it, where each block's pages and bitmap
/// go, and the file bitmaps they set and clear (docs/protocol.md §1.4, §2.5).
/// </summary>
internal sealed class MappedRamPages(GuestRam ram, IMigrationFile file, IReadOnlyList<MappedRamPlacement> placements, Mutation mutations)
{
    public GuestRam Ram { get; } = ram;
    public IMigrationFile File { get; } = file;
    public IReadOnlyList<MappedRamPlacement> Placements { get; } = placements;
    public Mutation Mutations { get; } = mutations;
    public FileBitmap FileBitmap { get; } = new(ram.Blocks.Select(b => b.Pages));

    public IPageSink Channel(int id) => new MappedRamSink(this);
}
