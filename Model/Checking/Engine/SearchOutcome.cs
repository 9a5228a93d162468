namespace SyncModel.Model.Checking.Engine;

/// <summary>What a search found. A violation comes with a shortest path to it (in the explored graph): the canonical
/// states from the initial one and the group taken before each, ending with the violating step's group when the
/// property is a step property.</summary>
internal sealed class SearchOutcome<TState> where TState : struct
{
    public required StopReason Reason { get; init; }
    public required long States { get; init; }
    public required long Transitions { get; init; }
    /// <summary>The deepest level stored (closed search), the counterexample's length (violation), or the level reached.</summary>
    public required int Depth { get; init; }
    public required long PeakStoreBytes { get; init; }
    public required double BytesPerState { get; init; }
    public int Property { get; init; } = -1;
    public TState Initial { get; init; }
    /// <summary>The path: group taken and canonical state after it; the last step of a step-property violation has no
    /// recorded after state (it was never stored).</summary>
    public IReadOnlyList<(int Group, TState After)> Path { get; init; } = [];
    /// <summary>Set when the last step of <see cref="Path"/> is the violating step itself.</summary>
    public bool EndsWithViolatingStep { get; init; }
    public SearchProfile? Profile { get; init; }
}
