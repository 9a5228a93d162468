namespace SyncModel.Model.Checking.Engine;

/// <summary>Why a search ended.</summary>
public enum StopReason
{
    /// <summary>Every reachable state was expanded.</summary>
    Closed,
    /// <summary>A property failed.</summary>
    Violation,
    /// <summary>The state limit was reached.</summary>
    MaxStates,
    /// <summary>The depth limit was reached.</summary>
    MaxDepth,
    /// <summary>The memory limit was reached.</summary>
    Memory,
    /// <summary>Cancelled (Ctrl+C).</summary>
    Cancelled,
}
