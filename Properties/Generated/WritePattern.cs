using SyncModel.Implementation.Guest;
using SyncModel.Protocol.Config;

namespace SyncModel.Properties.Generated;

/// <summary>What one generated guest action aims at; <see cref="WritePattern.Expand"/> turns it into page writes.</summary>
public enum PatternKind
{
    /// <summary>One page.</summary>
    Single,
    /// <summary>A run of consecutive pages anywhere in the block.</summary>
    Run,
    /// <summary>A run that crosses a multiple of the batch size (a send batch boundary when the scan starts at the block's first page).</summary>
    BatchStraddle,
    /// <summary>A run that crosses a multiple of the recv chunk size (a chunk boundary when the bitmap run starts at the block's first page).</summary>
    ChunkStraddle,
    /// <summary>A page written before: one that holds data becomes zero, or one written before gets new data.</summary>
    Rewrite,
}

/// <summary>
/// A generated guest action as raw numbers; it means something only against a configuration and the pages
/// written so far. Keeping the raw form small numbers lets a generator shrink it towards short runs at page 0.
/// </summary>
public readonly record struct WritePattern(PatternKind Kind, int Block, int Position, int Length, bool Zero, uint Seed)
{
    /// <summary>
    /// The page writes of this pattern; <paramref name="holdsData"/> (page → true when its newest write was
    /// data) is the guest's state before it, and is updated.
    /// </summary>
    public IEnumerable<PageWrite> Expand(MigrationConfig config, SortedDictionary<(int Block, long Page), bool> holdsData)
    {
        if (Kind == PatternKind.Rewrite) return Rewrite(holdsData);
        var block = Block % config.Blocks.Count;
        var pages = config.Blocks[block].UsedLength / config.PageSize;
        var (start, count) = Kind switch
        {
            PatternKind.Single => (Position % pages, 1L),
            PatternKind.Run => (Position % pages, 1 + Length % (pages - Position % pages)),
            PatternKind.BatchStraddle => Straddle(config.PagesPerBatch, pages),
            _ => Straddle(config.LoadChunkBytes / config.PageSize, pages),
        };
        var fill = Zero ? PageFill.Zeros : PageFill.Data(Seed);
        var writes = new List<PageWrite>();
        for (var p = start; p < start + count; p++)
        {
            writes.Add(new PageWrite(block, p, fill));
            holdsData[(block, p)] = !Zero;
        }
        return writes;
    }

    /// <summary>A run from up to <c>every</c> pages before a multiple of <paramref name="every"/> to past it (clipped to the block).</summary>
    private (long Start, long Count) Straddle(int every, long pages)
    {
        var boundaries = Math.Max(1, (pages - 1) / every);
        var boundary = Math.Min(pages - 1, every * (1 + Position % boundaries));
        var start = Math.Max(0, boundary - 1 - Length % every);
        var end = Math.Min(pages, boundary + 1 + Length / every % every);
        return (start, Math.Max(1, end - start));
    }

    /// <summary>Zero: a page that holds data becomes zero. Otherwise: any page written before gets new data (a new version, or back from zero).</summary>
    private IEnumerable<PageWrite> Rewrite(SortedDictionary<(int Block, long Page), bool> holdsData)
    {
        var zero = Zero;
        var candidates = holdsData.Where(kv => !zero || kv.Value).Select(kv => kv.Key).ToList();
        if (candidates.Count == 0) return [];
        var (block, page) = candidates[Position % candidates.Count];
        holdsData[(block, page)] = !Zero;
        return [new PageWrite(block, page, Zero ? PageFill.Zeros : PageFill.Data(Seed))];
    }
}
