namespace SyncModel.Model;

/// <summary>The outcome of one exhaustive check.</summary>
public enum Verdict
{
    /// <summary>The state space closed and no property failed: proved for this configuration ("proved").</summary>
    Proved,
    /// <summary>A property fails; the result carries a shortest path to it.</summary>
    Violated,
    /// <summary>The search stopped (max states, max depth, memory, Ctrl+C) before the space closed: nothing is proved.</summary>
    Incomplete,
    /// <summary>The policy needs something the model does not have (the socket transport): no verdict.</summary>
    NotModelled,
}
