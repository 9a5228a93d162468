namespace SyncModel.Model.Checking.Engine;

/// <summary>A snapshot of a running search: states stored, transitions taken, states waiting (the rest of the level
/// being expanded and the next level so far), the level, the visited set's bytes, and the time since the start.</summary>
public sealed record SearchProgress(long States, long Transitions, long Frontier, int Depth, long Bytes, TimeSpan Elapsed);
