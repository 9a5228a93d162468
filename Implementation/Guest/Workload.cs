using SyncModel.Protocol.Config;

namespace SyncModel.Implementation.Guest;

/// <summary>
/// What the guest writes: <see cref="Initial"/> before the save starts, then <see cref="Rounds"/>[r-1]
/// while the source runs live iteration r. A page may be written in several rounds, become zero after
/// holding data, or the reverse.
/// </summary>
public sealed record Workload(IReadOnlyList<PageWrite> Initial, IReadOnlyList<IReadOnlyList<PageWrite>> Rounds)
{
    /// <summary>Writes of one list that <see cref="ToString"/> shows before it gives only the count.</summary>
    private const int MaxListed = 16;

    public static readonly Workload Empty = new([], []);

    /// <summary>
    /// A synthetic guest: every page starts with data except about <paramref name="zeroPercent"/>% zero pages;
    /// each of <paramref name="rounds"/> live rounds rewrites about <paramref name="dirtyPercent"/>% of the
    /// pages, a tenth of those with zeros. Deterministic in <paramref name="seed"/>.
    /// </summary>
    public static Workload Synthetic(MigrationConfig config, int rounds, double dirtyPercent, double zeroPercent, int seed)
    {
        if (dirtyPercent is < 0 or > 100) throw new ArgumentException($"dirty rate must be 0..100 %, got {dirtyPercent}");
        if (zeroPercent is < 0 or > 100) throw new ArgumentException($"zero pages must be 0..100 %, got {zeroPercent}");
        var rng = new Random(seed);
        var initial = new List<PageWrite>();
        for (var b = 0; b < config.Blocks.Count; b++)
        {
            var pages = config.Blocks[b].UsedLength / config.PageSize;
            for (long p = 0; p < pages; p++)
            {
                if (rng.NextDouble() * 100 >= zeroPercent) initial.Add(new PageWrite(b, p, PageFill.Data((uint)rng.Next())));
            }
        }
        var perRound = new List<IReadOnlyList<PageWrite>>();
        for (var r = 0; r < rounds; r++)
        {
            var writes = new List<PageWrite>();
            for (var b = 0; b < config.Blocks.Count; b++)
            {
                var pages = config.Blocks[b].UsedLength / config.PageSize;
                for (long p = 0; p < pages; p++)
                {
                    if (rng.NextDouble() * 100 >= dirtyPercent) continue;
                    var fill = rng.Next(10) == 0 ? PageFill.Zeros : PageFill.Data((uint)rng.Next());
                    writes.Add(new PageWrite(b, p, fill));
                }
            }
            perRound.Add(writes);
        }
        return new Workload(initial, perRound);
    }

    /// <summary>Throws when a write names a block or page outside <paramref name="ram"/>.</summary>
    public void Validate(GuestRam ram)
    {
        foreach (var w in Initial.Concat(Rounds.SelectMany(r => r)))
        {
            if (w.Block < 0 || w.Block >= ram.Blocks.Count || w.Page < 0 || w.Page >= ram.Blocks[w.Block].Pages)
                throw new ArgumentException($"workload write {w} is outside the guest's RAM");
        }
    }

    /// <summary>"initial: b0:p1=data#1; round 1: b0:p1=zero b1:p0=data#7": up to 16 writes of each list, then the count.</summary>
    public override string ToString()
        => string.Join("; ", Rounds.Select((r, i) => $"round {i + 1}: {Writes(r)}").Prepend($"initial: {Writes(Initial)}"));

    private static string Writes(IReadOnlyList<PageWrite> writes) => writes.Count == 0
        ? "none"
        : string.Join(" ", writes.Take(MaxListed)) + (writes.Count > MaxListed ? $" ... ({writes.Count} writes)" : "");
}
