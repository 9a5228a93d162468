namespace SyncModel.Coyote.Scenarios;

/// <summary>What one exploration iteration runs.</summary>
public enum ScenarioKind
{
    /// <summary>The source only: a live save with the guest writing; NoStalePage is checked on the file.</summary>
    Save,
    /// <summary>The destination only, on a file saved once before the exploration starts.</summary>
    Load,
    /// <summary>
    /// A live save, then a load of what it wrote; RoundTrip is checked at the end. For a socket policy the two
    /// run at the same time over in-process connections (the only kind a socket policy runs).
    /// </summary>
    SaveThenLoad,
}
