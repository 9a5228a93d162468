using SyncModel.Protocol.Events;

namespace SyncModel.Implementation;

/// <summary>
/// An assertion of the protocol failed inside a thread (where QEMU would assert or crash): a spurious
/// wakeup, a touch of freed memory, a bitmap written with IO in flight.
/// </summary>
public sealed class ProtocolViolationException : Exception
{
    public ProtocolViolationException(PropertyId property, string message) : base($"{property}: {message}")
    {
        Property = property;
    }

    public PropertyId Property { get; }
}
