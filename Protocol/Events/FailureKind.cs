namespace SyncModel.Protocol.Events;

/// <summary>How a thread's failure relates to the faults a run injects (<see cref="ThreadFailure"/>).</summary>
public enum FailureKind : byte
{
    /// <summary>The fault the run injected (an IO call made to fail on purpose).</summary>
    Injected,
    /// <summary>A transport or stream error (IO error, end of stream, malformed stream): expected only as the consequence of an injected fault.</summary>
    Transport,
    /// <summary>A protocol assertion failed (where QEMU asserts or would crash); <see cref="ThreadFailure.Property"/> names the property.</summary>
    Assertion,
    /// <summary>Anything else (NullReferenceException, InvalidOperationException, ...): never expected.</summary>
    Crash,
}
