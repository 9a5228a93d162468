namespace SyncModel.Protocol.Events;

/// <summary>
/// Receives every event of a run. Called concurrently from every thread of the run; implementations
/// synchronize themselves. Code that emits keeps the observer in a nullable field and writes
/// <c>observer?.On(new TraceEvent(...))</c>, so a run without an observer builds no event at all.
/// </summary>
public interface ITraceObserver
{
    void On(in TraceEvent e);

    /// <summary>
    /// The Implementation caught itself breaking <paramref name="property"/> where no event shows it: a thread
    /// touches state another thread already freed (QEMU would crash there; the Implementation poisons freed state
    /// and reports the touch, as a sanitizer would). By default nothing listens.
    /// </summary>
    void ReportViolation(PropertyId property, string message)
    {
    }

    /// <summary>
    /// A thread caught an exception and is about to fail (or to end the migration with it). Every thread calls this first
    /// thing in its handler, before it sets any error flag another thread could react to, so an injected fault is always
    /// announced before the failures it causes. By default nothing listens.
    /// </summary>
    void Failed(ThreadFailure failure)
    {
    }
}
