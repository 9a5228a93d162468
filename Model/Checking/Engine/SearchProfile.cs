namespace SyncModel.Model.Checking.Engine;

/// <summary>What grew the state space: per state component the distinct values met, per action the new states it
/// produced, per level the states first reached there.</summary>
public sealed record SearchProfile(
    IReadOnlyList<ComponentProfile> Components,
    IReadOnlyList<(string Action, long NewStates, long Transitions)> Actions,
    IReadOnlyList<long> Levels);
