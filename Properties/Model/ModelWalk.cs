using SyncModel.Model.Machine;
using SyncModel.Model.State;

namespace SyncModel.Properties.Model;

/// <summary>A breadth-first walk of a machine's states (every action, every argument), for tests that need a state with a
/// given shape or that ask whether one is reachable at all.</summary>
internal static class ModelWalk
{
    /// <summary>The first state the walk meets that satisfies <paramref name="want"/>, or null when none is reachable; the walk
    /// must close within <paramref name="limit"/> states.</summary>
    public static ModelState? FirstReachable(ModelMachine m, Func<ModelState, bool> want, int limit = 2_000_000)
    {
        var seen = new HashSet<ModelState> { m.Initial };
        var queue = new Queue<ModelState>([m.Initial]);
        while (queue.TryDequeue(out var s))
        {
            if (want(s)) return s;
            foreach (var a in m.Actions)
            {
                foreach (var arg in a.Domain)
                {
                    if (!a.Guard(s, arg)) continue;
                    var t = a.Apply(s, arg, null);
                    if (seen.Add(t)) queue.Enqueue(t);
                }
            }
            Assert.True(seen.Count < limit, "the walk did not close");
        }
        return null;
    }

    /// <summary>A state satisfying <paramref name="want"/>; the test fails when there is none.</summary>
    public static ModelState Find(ModelMachine m, Func<ModelState, bool> want) =>
        FirstReachable(m, want) ?? throw new InvalidOperationException("no reachable state has the shape the test needs");
}
