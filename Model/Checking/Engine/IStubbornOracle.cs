namespace SyncModel.Model.Checking.Engine;

/// <summary>
/// What a transition system tells the engine so that it can explore a stubborn subset of the enabled groups in each
/// state instead of all of them (partial-order reduction, Valmari's stubborn sets with the necessary-enabling-set
/// formulation of LTSmin's guard-based POR). The engine closes the set; the system answers only about one group at a
/// time. The answers must over-approximate: a group left out of a conflict set or an enabling set makes the reduction
/// unsound, a group put in needlessly only costs reduction.
/// </summary>
internal interface IStubbornOracle<TState> where TState : struct
{
    /// <summary>Groups every stubborn set of <paramref name="s"/> contains. They must include, for every property, a
    /// necessary enabling set of its violation (the groups without which no path from <paramref name="s"/> can reach a
    /// violating state), so that the reduction keeps every violation reachable at its shortest depth.</summary>
    void Base(in TState s, ref GroupSet set);

    /// <summary>For an enabled <paramref name="group"/>: groups that, once all stubborn too, leave no sequence of
    /// non-stubborn groups from <paramref name="s"/> that fails to commute with it or disables it (D1 and the key
    /// transition condition).</summary>
    void Conflicts(in TState s, int group, ref GroupSet set);

    /// <summary>For a disabled <paramref name="group"/>: one or more alternative necessary enabling sets (each a set of
    /// groups one of which must occur before <paramref name="group"/> can become enabled, condition D2); returns how many
    /// were written to <paramref name="candidates"/>. The engine takes the one that adds the fewest enabled groups.</summary>
    int EnablingSets(in TState s, int group, Span<GroupSet> candidates);
}
