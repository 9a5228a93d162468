using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Checking;

/// <summary>A property broken at a step of a trace (<see cref="EventIndex"/> = -1 when found at the end of the run).</summary>
public sealed record Violation(PropertyId Property, string Message, int EventIndex)
{
    public override string ToString() => EventIndex >= 0 ? $"{Property} at step {EventIndex + 1}: {Message}" : $"{Property}: {Message}";
}
