namespace SyncModel.Model.Checking.Engine;

/// <summary>Rebuilds a path to a stored state from the parent links: the states back to the initial one, and for each
/// link the first enabled group whose canonical successor is the stored child.</summary>
internal sealed class PathBuilder<TState, TModel>(TModel model, StateStore store)
    where TState : struct
    where TModel : ISearchModel<TState>
{
    /// <summary>The steps to <paramref name="id"/>, then the violating <paramref name="group"/> if it is not -1.</summary>
    public List<(int Group, TState After)> Build(long id, int group)
    {
        var ids = new List<long>();
        for (var at = id; ; at = store.Parent(at))
        {
            ids.Add(at);
            if (at == 0 || ids.Count > store.Count) break;
        }
        ids.Reverse();
        var path = new List<(int, TState)>();
        var packed = new ulong[model.Words];
        for (var i = 1; i < ids.Count; i++)
        {
            var from = model.Unpack(store.Read(ids[i - 1]));
            var to = store.Read(ids[i]);
            var step = -1;
            for (var g = 0; g < model.GroupCount && step < 0; g++)
            {
                if (!model.Enabled(from, g)) continue;
                model.Pack(model.Canonical(model.Apply(from, g)), packed);
                if (to.SequenceEqual(packed)) step = g;
            }
            if (step < 0) throw new InvalidOperationException($"no step leads from state {ids[i - 1]} to its child {ids[i]}");
            path.Add((step, model.Unpack(to)));
        }
        if (group >= 0)
        {
            var last = model.Unpack(store.Read(id));
            path.Add((group, model.Canonical(model.Apply(last, group))));
        }
        return path;
    }
}
