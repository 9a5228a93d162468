using SyncModel.Implementation.Guest;
using SyncModel.Protocol.Config;

namespace SyncModel.Properties.Generated;

/// <summary>
/// Structural shrinking of a <see cref="GeneratedCase"/> for FsCheck: each candidate is one step smaller and
/// valid (or as big, with a write moved to an earlier round). The biggest steps come first (a whole live round,
/// half of a write list), because every candidate a property tries costs a full Coyote exploration when it
/// passes; then single writes, then writes moved one round earlier, then the configuration
/// (fewer channels, no rate limit, unused blocks dropped, blocks cut after their last written page).
/// </summary>
public static class WorkloadShrinker
{
    public static IEnumerable<GeneratedCase> Shrink(GeneratedCase c)
    {
        var rounds = c.Workload.Rounds;
        for (var r = rounds.Count - 1; r >= 0; r--) yield return DropRound(c, r);
        for (var list = 0; list <= rounds.Count; list++)
        {
            var writes = List(c.Workload, list);
            if (writes.Count < 2) continue;
            yield return Replace(c, list, writes.Skip(writes.Count / 2).ToList());
            yield return Replace(c, list, writes.Take(writes.Count / 2).ToList());
        }
        for (var list = 0; list <= rounds.Count; list++)
        {
            var writes = List(c.Workload, list);
            for (var i = 0; i < writes.Count; i++) yield return Replace(c, list, writes.Where((_, j) => j != i).ToList());
        }
        // A write one list earlier (a live round's to the round before, the first round's to the initial image):
        // a race between a guest write and the scan of the same round becomes an ordering every schedule has, so a
        // bug that needs "data, then zero" shrinks to one page written twice instead of stalling on racy candidates.
        for (var list = 1; list <= rounds.Count; list++)
        {
            var writes = List(c.Workload, list);
            for (var i = 0; i < writes.Count; i++) yield return MoveEarlier(c, list, i);
        }
        foreach (var smaller in ShrinkConfig(c)) yield return smaller;
    }

    private static GeneratedCase MoveEarlier(GeneratedCase c, int list, int i)
    {
        var writes = List(c.Workload, list);
        var moved = Replace(c, list, writes.Where((_, j) => j != i).ToList());
        return Replace(moved, list - 1, [.. List(moved.Workload, list - 1), writes[i]]);
    }

    private static IEnumerable<GeneratedCase> ShrinkConfig(GeneratedCase c)
    {
        var config = c.Config;
        if (config.Channels > 1) yield return c.With(config with { Channels = 1 });
        if (config.Channels > 2) yield return c.With(config with { Channels = config.Channels - 1 });
        if (config.PagesPerIteration != 0) yield return c.With(config with { PagesPerIteration = 0 });
        for (var b = config.Blocks.Count - 1; b >= 0 && config.Blocks.Count > 1; b--)
        {
            if (!AllWrites(c.Workload).Any(w => w.Block == b)) yield return DropBlock(c, b);
        }
        for (var b = 0; b < config.Blocks.Count; b++)
        {
            var used = AllWrites(c.Workload).Where(w => w.Block == b).Select(w => w.Page + 1).DefaultIfEmpty(1).Max();
            if (used * config.PageSize < config.Blocks[b].UsedLength) yield return Resize(c, b, used);
        }
    }

    /// <summary>Round <paramref name="r"/> is gone: one live round fewer, the later rounds move up.</summary>
    private static GeneratedCase DropRound(GeneratedCase c, int r)
    {
        var rounds = c.Workload.Rounds.Where((_, i) => i != r).ToList();
        return new GeneratedCase(c.Config with { LiveRounds = rounds.Count }, c.Workload with { Rounds = rounds });
    }

    /// <summary>List 0 is the initial writes, list r the writes of live round r.</summary>
    private static IReadOnlyList<PageWrite> List(Workload w, int list) => list == 0 ? w.Initial : w.Rounds[list - 1];

    private static GeneratedCase Replace(GeneratedCase c, int list, IReadOnlyList<PageWrite> writes)
    {
        if (list == 0) return c with { Workload = c.Workload with { Initial = writes } };
        var rounds = c.Workload.Rounds.Select((r, i) => i == list - 1 ? writes : r).ToList();
        return c with { Workload = c.Workload with { Rounds = rounds } };
    }

    private static IEnumerable<PageWrite> AllWrites(Workload w) => w.Initial.Concat(w.Rounds.SelectMany(r => r));

    private static GeneratedCase DropBlock(GeneratedCase c, int b)
    {
        static PageWrite Renumber(PageWrite w, int b) => w.Block > b ? w with { Block = w.Block - 1 } : w;
        var blocks = c.Config.Blocks.Where((_, i) => i != b).ToArray();
        var workload = new Workload(
            c.Workload.Initial.Select(w => Renumber(w, b)).ToList(),
            c.Workload.Rounds.Select(r => (IReadOnlyList<PageWrite>)r.Select(w => Renumber(w, b)).ToList()).ToList());
        return new GeneratedCase(c.Config with { Blocks = blocks }, workload);
    }

    private static GeneratedCase Resize(GeneratedCase c, int b, long pages)
    {
        var blocks = c.Config.Blocks.Select((spec, i) => i == b ? spec with { UsedLength = pages * c.Config.PageSize } : spec).ToArray();
        return c.With(c.Config with { Blocks = blocks });
    }
}
