namespace SyncModel.Protocol.Reports;

/// <summary>
/// The steps a violation depends on: from the violating step backwards, every step that last changed a state cell a step
/// already in the slice read (a semaphore post the wait took, the batch or chunk a channel worked on, the page a write
/// carried, the <c>exiting</c> flag a thread left on, a thread's end before its join), computed over the cells
/// <see cref="TraceState"/> derives. A violation found at the end of a run (a deadlock, a stale page) starts from the
/// last step of every thread and from the cells the violation names.
/// </summary>
public static class CausalSlice
{
    /// <summary>The 0-based indices of the steps in the slice, ascending.</summary>
    /// <param name="effects">Each step's reads and changes, in trace order.</param>
    /// <param name="violating">The 0-based violating step, or -1 for a violation found at the end of the run.</param>
    /// <param name="lastOfEachThread">For an end-of-run violation: the last step of every thread, where each one stopped.</param>
    /// <param name="cells">Cells the violation itself names (a page's bit and slot), if any.</param>
    public static IReadOnlyList<int> Compute(IReadOnlyList<TraceState.Effect> effects, int violating, IEnumerable<int> lastOfEachThread, IEnumerable<string>? cells = null)
    {
        ArgumentNullException.ThrowIfNull(effects);
        var needed = new HashSet<string>(cells ?? [], StringComparer.Ordinal);
        var slice = new SortedSet<int>();
        var seeds = violating >= 0 ? [violating] : lastOfEachThread.Where(i => i >= 0 && i < effects.Count).ToList();
        var start = violating >= 0 ? violating : effects.Count - 1;
        foreach (var s in seeds)
        {
            slice.Add(s);
            needed.UnionWith(effects[s].Reads);
        }
        for (var i = start; i >= 0; i--)
        {
            if (slice.Contains(i)) continue;
            var writes = effects[i].Changes.Select(c => c.Cell).Where(needed.Contains).ToList();
            if (writes.Count == 0) continue;
            slice.Add(i);
            needed.ExceptWith(writes);
            needed.UnionWith(effects[i].Reads);
        }
        return [.. slice];
    }
}
