namespace SyncModel.Model.Checking.Engine;

/// <summary>One state component in a profile: how many distinct values the search met, and the values most states have
/// (value, states).</summary>
public sealed record ComponentProfile(string Component, long Distinct, IReadOnlyList<(ulong Value, long States)> Top);
