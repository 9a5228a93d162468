using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Checking;

/// <summary>
/// Records a run's events and runs every stream checker over them as they happen. Thread-safe: events
/// from all threads are serialized under one monitor (a plain object lock, which Coyote controls).
/// The first violation is kept; <see cref="OnViolation"/> lets a harness fail the run on the spot.
/// </summary>
public sealed class TraceMonitor : ITraceObserver
{
    private readonly object _gate = new();
    private readonly List<TraceEvent> _events = [];
    private readonly StreamChecker[] _checkers;
    private Violation? _violation;

    public TraceMonitor(params StreamChecker[] checkers) => _checkers = checkers;

    /// <summary>A fresh instance of every stream checker of DESIGN.md.</summary>
    public static StreamChecker[] AllCheckers() =>
    [
        new DrainBeforeCleanupChecker(), new SendDrainBeforeBitmapChecker(), new SemaphoreAccountingChecker(),
        new NoUseAfterFreeChecker(), new ErrorSurfacesChecker(),
    ];

    /// <summary>A monitor with every stream checker of DESIGN.md.</summary>
    public static TraceMonitor WithAllCheckers() => new(AllCheckers());

    /// <summary>Record no events after the first violation (a report's trace ends where the bug was found).</summary>
    public bool StopAtViolation { get; init; }

    /// <summary>Called (on the emitting thread) when the first violation is found.</summary>
    public Action<Violation>? OnViolation { get; init; }

    public Violation? Violation
    {
        get { lock (_gate) return _violation; }
    }

    /// <summary>How many events were recorded so far.</summary>
    public int Count
    {
        get { lock (_gate) return _events.Count; }
    }

    /// <summary>A copy of the events so far.</summary>
    public IReadOnlyList<TraceEvent> Events
    {
        get { lock (_gate) return _events.ToArray(); }
    }

    public void On(in TraceEvent e)
    {
        Violation? found = null;
        lock (_gate)
        {
            if (_violation is not null && StopAtViolation) return;
            _events.Add(e);
            if (_violation is not null) return;
            foreach (var c in _checkers)
            {
                if (c.Step(e) is { } message)
                {
                    found = _violation = new Violation(c.Property, message, _events.Count - 1);
                    break;
                }
            }
        }
        if (found is not null) OnViolation?.Invoke(found);
    }

    /// <summary>A violation the Implementation reported itself (<see cref="ITraceObserver.ReportViolation"/>), at the current event.</summary>
    public void ReportViolation(PropertyId property, string message)
    {
        Violation found;
        lock (_gate)
        {
            if (_violation is not null) return;
            found = _violation = new Violation(property, message, _events.Count - 1);
        }
        OnViolation?.Invoke(found);
    }

    /// <summary>Runs the end-of-run checks; returns the first violation of the whole run.</summary>
    public Violation? Finish(bool failed)
    {
        Violation? found = null;
        lock (_gate)
        {
            if (_violation is not null) return _violation;
            foreach (var c in _checkers)
            {
                if (c.AtEnd(failed) is { } message)
                {
                    found = _violation = new Violation(c.Property, message, -1);
                    break;
                }
            }
        }
        if (found is not null) OnViolation?.Invoke(found);
        return found;
    }
}
