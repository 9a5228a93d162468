namespace SyncModel.Model.Checking.Engine;

/// <summary>One worker's share of a profile: distinct values per component, new states and transitions per action,
/// new states per level. Merged at the end.</summary>
internal sealed class ProfileCollector
{
    private readonly HashSet<ulong>[] _values;
    private readonly long[] _newStates;
    private readonly long[] _transitions;
    private readonly List<long> _levels = [];

    public ProfileCollector(int components, int actions)
    {
        _values = new HashSet<ulong>[components];
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
        for (var i = 0; i < _values.Length; i++) _values[i].Add(model.Component(s, i));
    }

    public static SearchProfile Merge<TState, TModel>(TModel model, IEnumerable<ProfileCollector> parts)
        where TState : struct
        where TModel : ISearchModel<TState>
    {
        var list = parts.ToList();
        var components = new List<(string, long)>();
        for (var i = 0; i < model.Components.Count; i++)
        {
            var all = new HashSet<ulong>();
            foreach (var p in list) all.UnionWith(p._values[i]);
            components.Add((model.Components[i], all.Count));
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
