using System.Buffers.Binary;
using SyncModel.Implementation.Format;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;

namespace SyncModel.Implementation.Save;

/// <summary>
/// NoStalePage, checked on the file a save wrote: every page's bitmap bit is 1 exactly when the source's
/// final contents are non-zero, and every bit-1 slot holds exactly those contents.
/// </summary>
public static class SaveVerifier
{
    /// <summary>The first page that breaks NoStalePage, or null.</summary>
    public static string? FirstStalePage(IMigrationFile file, GuestRam source, IReadOnlyList<MappedRamPlacement> placements)
        => FirstStale(file, source, placements)?.Text;

    /// <summary>The first page that breaks NoStalePage (its block index, page, and what is wrong), or null.</summary>
    public static StalePage? FirstStale(IMigrationFile file, GuestRam source, IReadOnlyList<MappedRamPlacement> placements)
    {
        var slot = new byte[source.PageSize];
        foreach (var block in source.Blocks)
        {
            var place = placements[block.Index];
            var bitmap = new byte[QemuFormat.BitmapBytes(block.Pages)];
            if (file.Read(bitmap, place.BitmapOffset) != bitmap.Length)
                return new(block.Index, 0, $"block '{block.Name}': the bitmap at 0x{place.BitmapOffset:x} is cut short");
            for (long p = 0; p < block.Pages; p++)
            {
                var bit = (bitmap[p >> 3] >> (int)(p & 7) & 1) != 0;
                var zero = block.IsZeroPage(p);
                if (bit == zero)
                    return new(block.Index, p, bit
                        ? $"block '{block.Name}' page {p}: bitmap bit 1 but the page's newest contents (v{block.Versions[p]}) are zero"
                        : $"block '{block.Name}' page {p}: bitmap bit 0 but the page's newest contents (v{block.Versions[p]}) are not zero: the restore loses them");
                if (!bit) continue;
                file.Read(slot, place.PagesOffset + p * block.PageSize);
                if (!slot.AsSpan().SequenceEqual(block.PageSpan(p)))
                    return new(block.Index, p, $"block '{block.Name}' page {p}: the slot holds {Describe(slot)}, the newest contents are v{block.Versions[p]}");
            }
        }
        return null;
    }

    private static string Describe(byte[] slot)
    {
        var head = BinaryPrimitives.ReadUInt64LittleEndian(slot);
        return (head & 0x8000_0000UL) != 0 ? $"v{head >> 32} of the page" : "other bytes";
    }
}

/// <summary>A page whose file slot or bitmap bit is not the source's newest contents.</summary>
public sealed record StalePage(int Block, long Page, string Text);
