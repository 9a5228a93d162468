using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Checking;

/// <summary>A property broken at a step of a trace (<see cref="EventIndex"/> = -1 when found at the end of the run);
/// <see cref="Failure"/> is the thread failure that revealed it, if one did (its exception and stack go into the report).</summary>
public sealed record Violation(PropertyId Property, string Message, int EventIndex, ThreadFailure? Failure = null)
{
    /// <summary>State cells the violation is about (a page's slot and bit), for the report's causal slice.</summary>
    public IReadOnlyList<string> Cells { get; init; } = [];

    public override string ToString() => EventIndex >= 0 ? $"{Property} at step {EventIndex + 1}: {Message}" : $"{Property}: {Message}";
}
