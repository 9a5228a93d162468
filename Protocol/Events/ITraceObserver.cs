namespace SyncModel.Protocol.Events;

/// <summary>
/// Receives every event of a run. Called concurrently from every thread of the run; implementations
/// synchronize themselves. Code that emits keeps the observer in a nullable field and writes
/// <c>observer?.On(new TraceEvent(...))</c>, so a run without an observer builds no event at all.
/// </summary>
public interface ITraceObserver
{
    void On(in TraceEvent e);
}
