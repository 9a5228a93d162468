namespace SyncModel.Model.Checking.Engine;

/// <summary>How far and how the engine searches.</summary>
internal sealed record SearchLimits
{
    /// <summary>Stop (incomplete) once this many states are stored.</summary>
    public long MaxStates { get; init; } = StateStore.MaxStates;

    /// <summary>Do not expand states this many steps from the initial state (incomplete unless a violation is found first).</summary>
    public int MaxDepth { get; init; } = int.MaxValue;

    /// <summary>Stop (incomplete) when the visited set would hold more than this.</summary>
    public long MaxMemoryBytes { get; init; } = long.MaxValue;

    /// <summary>Worker threads for levels of at least <see cref="ParallelLevel"/> states.</summary>
    public int Threads { get; init; } = 1;

    /// <summary>Levels smaller than this run on one thread, so small searches are deterministic.</summary>
    public int ParallelLevel { get; init; } = 20_000;

    /// <summary>Explore a stubborn subset of the enabled groups (needs an oracle).</summary>
    public bool PartialOrder { get; init; }

    /// <summary>Check the stubborn sets as they are used: every explored group commutes with every pruned enabled one and
    /// keeps it enabled, and no pruned group enables a disabled member (a failed check throws). For tests; slow.</summary>
    public bool AuditPartialOrder { get; init; }

    /// <summary>Count distinct values per state component and new states per action.</summary>
    public bool Profile { get; init; }

    /// <summary>How often <c>progress</c> is called.</summary>
    public TimeSpan ProgressInterval { get; init; } = TimeSpan.FromSeconds(1);
}
