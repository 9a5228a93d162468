using SyncModel.Protocol.Config;

namespace SyncModel.Implementation.Guest;

/// <summary>A guest's RAM: the named blocks in <c>ram_list</c> order.</summary>
public sealed class GuestRam
{
    public GuestRam(IReadOnlyList<RamBlockSpec> blocks, int pageSize)
    {
        Blocks = blocks.Select((b, i) => new RamBlock(i, b.Name, b.UsedLength, pageSize)).ToArray();
        PageSize = pageSize;
    }

    public static GuestRam For(MigrationConfig config) => new(config.Blocks, config.PageSize);

    public IReadOnlyList<RamBlock> Blocks { get; }
    public int PageSize { get; }

    public RamBlock? Find(string name)
    {
        foreach (var b in Blocks)
        {
            if (b.Name == name) return b;
        }
        return null;
    }

    /// <summary>All blocks' bytes back to back in block order (the format of <c>--guest-image</c>).</summary>
    public void WriteImage(Stream output)
    {
        foreach (var b in Blocks) output.Write(b.Memory);
    }

    /// <summary>The first page where this RAM differs from <paramref name="other"/> (same block layout), or null.</summary>
    public PageDifference? FirstDifference(GuestRam other)
    {
        for (var b = 0; b < Blocks.Count; b++)
        {
            var mine = Blocks[b];
            if (b >= other.Blocks.Count || other.Blocks[b].Name != mine.Name || other.Blocks[b].UsedLength != mine.UsedLength)
                return new PageDifference(mine.Name, 0, "the block layouts differ");
            for (long p = 0; p < mine.Pages; p++)
            {
                if (!mine.PageSpan(p).SequenceEqual(other.Blocks[b].PageSpan(p)))
                    return new PageDifference(mine.Name, p, "contents differ");
            }
        }
        return other.Blocks.Count > Blocks.Count ? new PageDifference(other.Blocks[^1].Name, 0, "the block layouts differ") : null;
    }

    /// <summary>
    /// The first page where this RAM differs from <paramref name="image"/> (blocks back to back), or null
    /// when they are equal; a length mismatch is reported as a difference in the last block.
    /// </summary>
    public PageDifference? FirstDifference(Stream image)
    {
        var buffer = new byte[PageSize];
        foreach (var b in Blocks)
        {
            for (long p = 0; p < b.Pages; p++)
            {
                if (image.ReadAtLeast(buffer, PageSize, throwOnEndOfStream: false) < PageSize)
                    return new PageDifference(b.Name, p, "the image ends here");
                if (!buffer.AsSpan().SequenceEqual(b.PageSpan(p)))
                    return new PageDifference(b.Name, p, "contents differ");
            }
        }
        return image.ReadByte() >= 0 ? new PageDifference(Blocks[^1].Name, Blocks[^1].Pages, "the image is longer than the RAM") : null;
    }
}
