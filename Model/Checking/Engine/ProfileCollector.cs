namespace SyncModel.Model.Checking.Engine;

/// <summary>One worker's share of a profile: distinct values per component, new states and transitions per action,
/// new states per level. Merged at the end.</summary>
internal sealed class ProfileCollector
{
    private readonly Dictionary<ulong, long>[] _values;
    private readonly long[] _newStates;
    private readonly long[] _transitions;
    private readonly List<long> _levels = [];

    public ProfileCollector(int components, int actions)
    {
        _values = new Dictionary<ulong, long>[components];
        for (var i = 0; i < components; i++) _values[i] = [];
        _newStates = new long[actions];
        _transitions = new long[actions];
    }

    public void Transition(int action, bool isNew, int level)
    {
        _transitions[action]++;
        if (!isNew) return;
        _newStates[action]++;
        while (_levels.Count <= level) _levels.Add(0);
        _levels[level]++;
    }

    public void State<TState, TModel>(TModel model, in TState s)
        where TState : struct
        where TModel : ISearchModel<TState>
    {
        for (var i = 0; i < _values.Length; i++)
        {
            var v = model.Component(s, i);
            _values[i][v] = _values[i].GetValueOrDefault(v) + 1;
        }
    }

    public static SearchProfile Merge<TState, TModel>(TModel model, IEnumerable<ProfileCollector> parts)
        where TState : struct
        where TModel : ISearchModel<TState>
    {
        var list = parts.ToList();
        var components = new List<ComponentProfile>();
        for (var i = 0; i < model.Components.Count; i++)
        {
            var all = new Dictionary<ulong, long>();
            foreach (var p in list)
            {
                foreach (var (v, n) in p._values[i]) all[v] = all.GetValueOrDefault(v) + n;
            }
            var top = all.OrderByDescending(x => x.Value).Take(3).Select(x => (x.Key, x.Value)).ToList();
            components.Add(new ComponentProfile(model.Components[i], all.Count, top));
        }
        var actionCount = list.Count == 0 ? 0 : list[0]._newStates.Length;
        var actions = new List<(string, long, long)>();
        for (var a = 0; a < actionCount; a++)
            actions.Add((model.ActionName(a), list.Sum(p => p._newStates[a]), list.Sum(p => p._transitions[a])));
        var levels = new long[list.Count == 0 ? 0 : list.Max(p => p._levels.Count)];
        foreach (var p in list)
        {
            for (var l = 0; l < p._levels.Count; l++) levels[l] += p._levels[l];
        }
        return new SearchProfile(components, [.. actions.OrderByDescending(x => x.Item2)], levels);
    }
}
