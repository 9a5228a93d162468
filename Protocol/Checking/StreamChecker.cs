using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Checking;

/// <summary>
/// One property checked over a <see cref="TraceEvent"/> stream, step by step. The same checker serves
/// Coyote iterations, real-thread runs and model paths. Not thread-safe: <see cref="TraceMonitor"/> serializes.
/// </summary>
public abstract class StreamChecker
{
    public abstract PropertyId Property { get; }

    /// <summary>Takes the next event; returns the violation it reveals, if any.</summary>
    public abstract string? Step(in TraceEvent e);

    /// <summary>A thread is failing (<see cref="ITraceObserver.Failed"/>); returns the violation it reveals, if any.</summary>
    public virtual string? OnFailure(ThreadFailure failure) => null;

    /// <summary>Called once when the run is over; <paramref name="failed"/> tells whether it ended with an error.</summary>
    public virtual string? AtEnd(bool failed) => null;
}
