using SyncModel.Implementation.Guest;
using SyncModel.Protocol.Config;

namespace SyncModel.Coyote.Scenarios;

/// <summary>
/// Structural shrinking of a configuration and its workload: each candidate is one step smaller and valid (or as big,
/// with a write moved to an earlier round). The biggest steps come first (a whole live round, half of a write list),
/// because every candidate costs a Coyote exploration; then single writes, then writes moved one round earlier, then
/// the configuration (fewer channels, no rate limit, unused blocks dropped, blocks cut after their last written page).
/// FsCheck's shrinking of generated workloads and the minimization of exploration reports (<c>Minimizer</c>) both use it.
/// </summary>
public static class ScenarioShrinker
{
    /// <summary>The scenario's smaller variants: same policy, kind, errors and mutations.</summary>
    public static IEnumerable<Scenario> Shrink(Scenario s)
        => Shrink(new Shape(s.Config, s.Workload)).Select(c => s with { Config = c.Config, Workload = c.Workload });

    /// <summary>A configuration with the guest's writes.</summary>
    public sealed record Shape(MigrationConfig Config, Workload Workload)
    {
        public Shape With(MigrationConfig config) => this with { Config = config.Validate() };
    }

    public static IEnumerable<Shape> Shrink(Shape c)
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

    private static Shape MoveEarlier(Shape c, int list, int i)
    {
        var writes = List(c.Workload, list);
        var moved = Replace(c, list, writes.Where((_, j) => j != i).ToList());
        return Replace(moved, list - 1, [.. List(moved.Workload, list - 1), writes[i]]);
    }

    private static IEnumerable<Shape> ShrinkConfig(Shape c)
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
        // The written pages of a block moved down to its first pages, in order, and the block cut after them: a bug
        // that needs one page written needs no page before it.
        for (var b = 0; b < config.Blocks.Count; b++)
        {
            var pages = AllWrites(c.Workload).Where(w => w.Block == b).Select(w => w.Page).Distinct().Order().ToList();
            if (pages.Count > 0 && pages.Count * config.PageSize < config.Blocks[b].UsedLength) yield return Compact(c, b, pages);
        }
    }

    private static Shape Compact(Shape c, int b, List<long> pages)
    {
        PageWrite Move(PageWrite w) => w.Block == b ? w with { Page = pages.IndexOf(w.Page) } : w;
        var workload = new Workload([.. c.Workload.Initial.Select(Move)], [.. c.Workload.Rounds.Select(r => (IReadOnlyList<PageWrite>)[.. r.Select(Move)])]);
        return Resize(c with { Workload = workload }, b, pages.Count);
    }

    /// <summary>Round <paramref name="r"/> is gone: one live round fewer, the later rounds move up.</summary>
    private static Shape DropRound(Shape c, int r)
    {
        var rounds = c.Workload.Rounds.Where((_, i) => i != r).ToList();
        return new Shape(c.Config with { LiveRounds = rounds.Count }, c.Workload with { Rounds = rounds });
    }

    /// <summary>List 0 is the initial writes, list r the writes of live round r.</summary>
    private static IReadOnlyList<PageWrite> List(Workload w, int list) => list == 0 ? w.Initial : w.Rounds[list - 1];

    private static Shape Replace(Shape c, int list, IReadOnlyList<PageWrite> writes)
    {
        if (list == 0) return c with { Workload = c.Workload with { Initial = writes } };
        var rounds = c.Workload.Rounds.Select((r, i) => i == list - 1 ? writes : r).ToList();
        return c with { Workload = c.Workload with { Rounds = rounds } };
    }

    private static IEnumerable<PageWrite> AllWrites(Workload w) => w.Initial.Concat(w.Rounds.SelectMany(r => r));

    private static Shape DropBlock(Shape c, int b)
    {
        static PageWrite Renumber(PageWrite w, int b) => w.Block > b ? w with { Block = w.Block - 1 } : w;
        var blocks = c.Config.Blocks.Where((_, i) => i != b).ToArray();
        var workload = new Workload(
            c.Workload.Initial.Select(w => Renumber(w, b)).ToList(),
            c.Workload.Rounds.Select(r => (IReadOnlyList<PageWrite>)r.Select(w => Renumber(w, b)).ToList()).ToList());
        return new Shape(c.Config with { Blocks = blocks }, workload);
    }

    private static Shape Resize(Shape c, int b, long pages)
    {
        var blocks = c.Config.Blocks.Select((spec, i) => i == b ? spec with { UsedLength = pages * c.Config.PageSize } : spec).ToArray();
        return c.With(c.Config with { Blocks = blocks });
    }
}
