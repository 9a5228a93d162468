using CsCheck;
using SyncModel.Implementation.Guest;
using SyncModel.Protocol.Config;

namespace SyncModel.Properties.Generated;

/// <summary>
/// Generators of <see cref="MigrationConfig"/>s and dirty-page <see cref="Workload"/>s, written once with CsCheck.
/// Why CsCheck here: its generators are plain composable values that shrink by themselves (every case carries a
/// size; a smaller failing case found while sampling replaces a larger one), they are fast, and sampling runs on
/// every core — the real-thread RoundTrip property samples them directly. The FsCheck side
/// (<see cref="FsArbitraries"/>) draws from the same generators so both properties see the same distribution.
/// </summary>
public static class WorkloadGen
{
    private static readonly string[] BlockNames = ["pc.ram", "vga.vram", "pc.bios", "/rom@etc/acpi/tables"];

    /// <summary>Block sizes that sit on a bitmap word edge or a power of two; the generator prefers them now and then.</summary>
    private static readonly int[] EdgePages = [1, 2, 3, 7, 8, 63, 64, 65, 127, 128, 129, 255, 256, 257];

    /// <summary>4 KiB mostly, 1 KiB and 8 KiB sometimes (TARGET_PAGE_BITS 10 and 13).</summary>
    public static readonly Gen<int> PageSize = Gen.Frequency((6, 4096), (1, 1024), (1, 8192));

    /// <summary>Pages per send batch: tiny (every page its own batch), odd, or QEMU's 128.</summary>
    public static readonly Gen<int> PagesPerBatch = Gen.Frequency<int>((4, Gen.Int[1, 4]), (2, Gen.Int[5, 16]), (1, Gen.Const(128)));

    /// <summary>Pages per recv chunk; 0 = QEMU's 1 MiB load buffer.</summary>
    public static readonly Gen<int> ChunkPages = Gen.Frequency<int>((4, Gen.Int[1, 4]), (2, Gen.Int[5, 32]), (1, Gen.Const(0)));

    /// <summary>The rate limit of one iterate call: none (0) most of the time, else a few pages.</summary>
    public static readonly Gen<int> PagesPerIteration = Gen.Frequency<int>((3, Gen.Const(0)), (1, Gen.Int[1, 16]));

    public static Gen<int> BlockPages(CaseShape shape)
    {
        var edges = EdgePages.Where(p => p <= shape.MaxPagesPerBlock).ToArray();
        return Gen.Frequency<int>((1, Gen.OneOf(edges)), (3, Gen.Int[1, shape.MaxPagesPerBlock]));
    }

    /// <summary>1..MaxBlocks (at most 4) blocks, each of a different size.</summary>
    public static Gen<int[]> BlockSizes(CaseShape shape)
        => BlockPages(shape).Array[1, Math.Min(shape.MaxBlocks, BlockNames.Length)].Where(pages => pages.Distinct().Count() == pages.Length);

    /// <summary>A valid configuration within <paramref name="shape"/>; F and mutations are left off (the property sets them).</summary>
    public static Gen<MigrationConfig> Config(CaseShape shape) => Gen.Select(
        Gen.Int[1, shape.MaxChannels], PageSize, BlockSizes(shape), PagesPerBatch, ChunkPages, Gen.Int[0, shape.MaxRounds], PagesPerIteration,
        (channels, pageSize, pages, batch, chunk, rounds, perIteration) => new MigrationConfig
        {
            Channels = channels,
            PageSize = pageSize,
            Blocks = pages.Select((p, i) => new RamBlockSpec(BlockNames[i], (long)p * pageSize)).ToArray(),
            PagesPerBatch = batch,
            LoadChunkBytes = chunk == 0 ? 1 << 20 : chunk * pageSize,
            LiveRounds = rounds,
            PagesPerIteration = perIteration,
        }.Validate());

    /// <summary>A raw guest action; small numbers mean page 0 and short runs, so shrinking moves towards them.</summary>
    public static readonly Gen<WritePattern> Pattern = Gen.Select(
        Gen.Frequency((3, PatternKind.Single), (2, PatternKind.Run), (2, PatternKind.BatchStraddle), (2, PatternKind.ChunkStraddle), (3, PatternKind.Rewrite)),
        Gen.Int[0, 3], Gen.Int[0, 1023], Gen.Int[0, 1023], Gen.Frequency((3, false), (1, true)), Gen.Int[1, 255],
        (kind, block, position, length, zero, seed) => new WritePattern(kind, block, position, length, zero, (uint)seed));

    /// <summary>
    /// Before the save: runs of data (and a few explicit zero pages) over the blocks. Runs are as likely to be long
    /// as short here, so most of a guest starts with data that later rounds can turn to zero.
    /// </summary>
    public static Gen<WritePattern[]> InitialPatterns(MigrationConfig config)
        => Gen.Select(Gen.Int[0, 3], Gen.Int[0, 1023], Gen.Int[0, 1023], Gen.Frequency((5, false), (1, true)), Gen.Int[1, 255],
            (block, position, length, zero, seed) => new WritePattern(PatternKind.Run, block, position, length, zero, (uint)seed))
            .Array[0, 2 * config.Blocks.Count + 1];

    /// <summary>The workload for <paramref name="config"/>: initial runs, then one list of actions per live round.</summary>
    public static Gen<Workload> Workload(MigrationConfig config, CaseShape shape)
        => Gen.Select(InitialPatterns(config), Pattern.Array[0, shape.MaxPatternsPerRound].Array[config.LiveRounds],
            (initial, rounds) => Build(config, initial, rounds));

    public static Gen<GeneratedCase> Case(CaseShape shape)
        => Config(shape).SelectMany(c => Workload(c, shape).Select(w => new GeneratedCase(c, w)));

    /// <summary>Expands the patterns in order, tracking which pages hold data so that rewrites find their targets.</summary>
    public static Workload Build(MigrationConfig config, IEnumerable<WritePattern> initial, IEnumerable<IEnumerable<WritePattern>> rounds)
    {
        var holdsData = new SortedDictionary<(int Block, long Page), bool>();
        var first = initial.SelectMany(p => p.Expand(config, holdsData)).ToList();
        var live = rounds.Select(r => (IReadOnlyList<PageWrite>)r.SelectMany(p => p.Expand(config, holdsData)).ToList()).ToList();
        return new Workload(first, live);
    }
}
