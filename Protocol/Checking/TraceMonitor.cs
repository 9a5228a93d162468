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
    private readonly List<ThreadFailure> _failures = [];
    private readonly StreamChecker[] _checkers;
    private Violation? _violation;

    public TraceMonitor(params StreamChecker[] checkers) => _checkers = checkers;

    /// <summary>A fresh instance of every stream checker of docs/design.md.</summary>
    public static StreamChecker[] AllCheckers() =>
    [
        new DrainBeforeCleanupChecker(), new SendDrainBeforeBitmapChecker(), new SemaphoreAccountingChecker(),
        new NoUseAfterFreeChecker(), new ErrorSurfacesChecker(), new NoUnexpectedFailureChecker(), new ThreadLifetimeChecker(),
    ];

    /// <summary>A monitor with every stream checker of docs/design.md.</summary>
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

    /// <summary>The thread failures announced so far, in order.</summary>
    public IReadOnlyList<ThreadFailure> Failures
    {
        get { lock (_gate) return _failures.ToArray(); }
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
    public void ReportViolation(PropertyId property, string message) => Report(property, message, atEnd: false);

    /// <summary>A violation a check of the run's outcome found (the file, the restored RAM) once the run was over;
    /// <paramref name="cells"/> names the state it is about (see <see cref="Reports.TraceState.PageCell"/>).</summary>
    public void ReportAtEnd(PropertyId property, string message, IReadOnlyList<string>? cells = null) => Report(property, message, atEnd: true, cells);

    private void Report(PropertyId property, string message, bool atEnd, IReadOnlyList<string>? cells = null)
    {
        Violation found;
        lock (_gate)
        {
            if (_violation is not null) return;
            found = _violation = new Violation(property, message, atEnd ? -1 : _events.Count - 1) { Cells = cells ?? [] };
        }
        OnViolation?.Invoke(found);
    }

    /// <summary>
    /// A thread is failing (<see cref="ITraceObserver.Failed"/>). A protocol assertion is a violation of the property it
    /// guards; anything else goes to the checkers (<see cref="NoUnexpectedFailureChecker"/> judges it). The same failure
    /// announced twice (a channel's error, then the main thread ending the migration with it) counts once.
    /// </summary>
    public void Failed(ThreadFailure failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        Violation? found = null;
        lock (_gate)
        {
            if (_failures.Any(f => f.Kind == failure.Kind && f.Message == failure.Message && f.StackTrace == failure.StackTrace)) return;
            _failures.Add(failure);
            if (_violation is not null) return;
            if (failure.Kind == FailureKind.Assertion && failure.Property is { } property)
            {
                found = _violation = new Violation(property, $"{failure.Actor}: {failure.Message}", _events.Count - 1, failure);
            }
            else
            {
                foreach (var c in _checkers)
                {
                    if (c.OnFailure(failure) is { } message)
                    {
                        found = _violation = new Violation(c.Property, message, _events.Count - 1, failure);
                        break;
                    }
                }
            }
        }
        if (found is not null) OnViolation?.Invoke(found);
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
