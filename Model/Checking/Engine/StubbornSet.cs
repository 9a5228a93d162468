namespace SyncModel.Model.Checking.Engine;

/// <summary>
/// Computes a stubborn set of one state by closure: start from the oracle's base set; for every enabled member add
/// its conflicts, for every disabled member one of its necessary enabling sets (the one adding the fewest enabled
/// groups). If no enabled non-environment group is in the closure while one exists, each candidate seed is tried and the
/// closure with the fewest enabled groups kept, so the set always holds a key transition and deadlocks are kept.
/// </summary>
internal sealed class StubbornSet<TState, TOracle>(TOracle oracle, GroupSet environment)
    where TState : struct
    where TOracle : IStubbornOracle<TState>
{
    private const int MaxCandidates = 8;
    private readonly int[] _work = new int[GroupSet.Capacity];
    private readonly GroupSet[] _candidates = new GroupSet[MaxCandidates];

    /// <summary>The stubborn set of <paramref name="s"/>; the groups to explore are its enabled ones.</summary>
    public GroupSet Compute(in TState s, in GroupSet enabled)
    {
        var progress = enabled;
        progress.ExceptWith(environment);
        var set = default(GroupSet);
        oracle.Base(s, ref set);
        Close(s, enabled, ref set);
        if (progress.IsEmpty || set.CountAnd(progress) > 0) return set;
        // No key transition yet: try each enabled progress group as the seed and keep the smallest result.
        var best = enabled;
        var bestCount = int.MaxValue;
        for (var g = progress.Next(0); g >= 0; g = progress.Next(g + 1))
        {
            var trial = set;
            trial.Add(g);
            Close(s, enabled, ref trial);
            var count = trial.CountAnd(enabled);
            if (count < bestCount)
            {
                best = trial;
                bestCount = count;
            }
        }
        return best;
    }

    private void Close(in TState s, in GroupSet enabled, ref GroupSet set)
    {
        var top = 0;
        for (var g = set.Next(0); g >= 0; g = set.Next(g + 1)) _work[top++] = g;
        var done = default(GroupSet);
        var guard = 0;
        while (top > 0)
        {
            if (++guard > 4 * GroupSet.Capacity) throw new InvalidOperationException("stubborn set closure did not converge");
            // Once every enabled group is in, nothing more can be pruned: the rest of the closure changes nothing explored.
            if (set.Covers(enabled)) return;
            var g = _work[--top];
            if (done.Contains(g)) continue;
            done.Add(g);
            var add = default(GroupSet);
            if (enabled.Contains(g)) oracle.Conflicts(s, g, ref add);
            else add = Cheapest(s, g, enabled, set);
            add.ExceptWith(set);
            set.UnionWith(add);
            for (var h = add.Next(0); h >= 0; h = add.Next(h + 1)) _work[top++] = h;
        }
    }

    private GroupSet Cheapest(in TState s, int group, in GroupSet enabled, in GroupSet set)
    {
        var n = oracle.EnablingSets(s, group, _candidates);
        if (n == 0) return default;
        var best = 0;
        var bestCost = (int.MaxValue, int.MaxValue);
        for (var i = 0; i < n; i++)
        {
            var cost = (set.CountNew(_candidates[i], enabled), set.CountNew(_candidates[i]));
            if (cost.CompareTo(bestCost) < 0)
            {
                best = i;
                bestCost = cost;
            }
        }
        return _candidates[best];
    }

}
