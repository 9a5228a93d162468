namespace SyncModel.Model.Checking.Engine;

/// <summary>The oracle of a search without partial-order reduction: never asked.</summary>
internal readonly struct NoOracle<TState> : IStubbornOracle<TState> where TState : struct
{
    public void Base(in TState s, ref GroupSet set) => throw new InvalidOperationException("no partial-order reduction in this search");

    public void Conflicts(in TState s, int group, ref GroupSet set) => throw new InvalidOperationException("no partial-order reduction in this search");

    public int EnablingSets(in TState s, int group, Span<GroupSet> candidates) => throw new InvalidOperationException("no partial-order reduction in this search");
}
