namespace SyncModel.Protocol.Config;

/// <summary>Everything that shapes one migration run, shared by the Implementation and the Model.</summary>
public sealed record MigrationConfig
{
    /// <summary>Number of multifd channels on each side (<c>multifd-channels</c>).</summary>
    public int Channels { get; init; } = 2;

    /// <summary>Target page size in bytes (TARGET_PAGE_SIZE); a power of two.</summary>
    public int PageSize { get; init; } = 4096;

    /// <summary>The migratable RAM blocks, in <c>ram_list</c> order.</summary>
    public IReadOnlyList<RamBlockSpec> Blocks { get; init; } = [new("pc.ram", 64L << 20)];

    /// <summary>Live iterations: the guest keeps writing while the source runs this many iterate calls, then stops and complete runs.</summary>
    public int LiveRounds { get; init; }

    /// <summary>F, per side.</summary>
    public FlushSetting FlushAfterEachSection { get; init; } = FlushSetting.Off;

    /// <summary>Pages per send batch (MULTIFD_PACKET_SIZE / page size = 128 for 4 KiB pages).</summary>
    public int PagesPerBatch { get; init; } = 128;

    /// <summary>Largest recv chunk in bytes (MAPPED_RAM_LOAD_BUF_SIZE = 1 MiB).</summary>
    public int LoadChunkBytes { get; init; } = 1 << 20;

    /// <summary>Pages one <c>ram_save_iterate</c> call may queue before it returns (its rate limit); 0 = until the scan finds nothing dirty.</summary>
    public int PagesPerIteration { get; init; }

    /// <summary>Injected bugs.</summary>
    public Mutation Mutations { get; init; } = Mutation.None;

    public long TotalBytes => Blocks.Sum(b => b.UsedLength);

    /// <summary>Throws <see cref="ArgumentException"/> naming the first setting that is out of range.</summary>
    public MigrationConfig Validate()
    {
        Require(Channels is >= 1 and <= 64, $"channels must be 1..64, got {Channels}");
        Require(PageSize is >= 1024 and <= 1 << 16 && (PageSize & (PageSize - 1)) == 0, $"page size must be a power of two in 1024..65536 (TARGET_PAGE_BITS 10..16), got {PageSize}");
        Require(Blocks.Count is >= 1 and <= 64, $"need 1..64 RAM blocks, got {Blocks.Count}");
        Require(LiveRounds is >= 0 and <= 1000, $"live rounds must be 0..1000, got {LiveRounds}");
        Require(PagesPerBatch is >= 1 and <= 1024, $"pages per batch must be 1..1024, got {PagesPerBatch}");
        Require(LoadChunkBytes >= PageSize && LoadChunkBytes % PageSize == 0, $"load chunk must be a multiple of the page size, got {LoadChunkBytes}");
        Require(PagesPerIteration >= 0, $"pages per iteration must be >= 0, got {PagesPerIteration}");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var b in Blocks)
        {
            Require(b.Name.Length is >= 1 and <= RamBlockSpec.MaxNameLength, $"block name '{b.Name}' must be 1..255 bytes");
            Require(names.Add(b.Name), $"duplicate block name '{b.Name}'");
            Require(b.UsedLength > 0 && b.UsedLength % PageSize == 0, $"block '{b.Name}': used length {b.UsedLength} must be a positive multiple of the page size {PageSize}");
            Require(b.UsedLength <= 1L << 40, $"block '{b.Name}': used length {b.UsedLength} is over 1 TiB");
        }
        return this;
    }

    private static void Require(bool ok, string message)
    {
        if (!ok) throw new ArgumentException(message);
    }
}
