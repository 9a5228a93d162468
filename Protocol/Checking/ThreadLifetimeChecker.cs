using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Checking;

/// <summary>
/// ThreadLifetime: a channel thread announces its start (<see cref="EventKind.ThreadStart"/>) and its end
/// (<see cref="EventKind.Exit"/>); its main thread joins it (<see cref="EventKind.ThreadJoin"/>) and only then frees its
/// channel's state (<see cref="EventKind.Free"/>); when the run ends every thread that started has ended and been joined
/// (none is left running or blocked). Streams without start events (the model's) are not judged: only threads that
/// announced their start are tracked.
/// </summary>
public sealed class ThreadLifetimeChecker : StreamChecker
{
    private enum Life
    {
        Running,
        Ended,
        Joined,
        Freed,
    }

    private readonly Dictionary<Actor, Life> _threads = [];

    public override PropertyId Property => PropertyId.ThreadLifetime;

    public override string? Step(in TraceEvent e)
    {
        switch (e.Kind)
        {
            case EventKind.ThreadStart when e.Actor.Kind is ActorKind.Sender or ActorKind.Receiver:
                if (_threads.ContainsKey(e.Actor)) return $"{e.Actor} starts a second time";
                _threads[e.Actor] = Life.Running;
                return null;
            case EventKind.Exit when _threads.TryGetValue(e.Actor, out var life):
                if (life != Life.Running) return $"{e.Actor} ends a second time";
                _threads[e.Actor] = Life.Ended;
                return null;
            case EventKind.ThreadJoin when Joined(e) is { } t && _threads.TryGetValue(t, out var life):
                if (life == Life.Running) return $"{e.Actor} joined {t}, which never announced its end";
                _threads[t] = Life.Joined;
                return null;
            case EventKind.Free when Joined(e) is { } t && _threads.TryGetValue(t, out var life):
                if (life is Life.Running or Life.Ended)
                    return $"{e.Actor} frees channel {e.Channel}'s state while {t} is {(life == Life.Running ? "still running" : "ended but not joined")}";
                _threads[t] = Life.Freed;
                return null;
            default:
                return null;
        }
    }

    public override string? AtEnd(bool failed)
    {
        var left = _threads.Where(t => t.Value is Life.Running or Life.Ended).OrderBy(t => t.Key.Kind).ThenBy(t => t.Key.Index).ToList();
        if (left.Count == 0) return null;
        return "the run ended with " + string.Join(", ", left.Select(t => t.Value == Life.Running
            ? $"{t.Key} still running or blocked"
            : $"{t.Key} ended but never joined"));
    }

    /// <summary>The channel thread a ThreadJoin or Free of a main thread is about.</summary>
    internal static Actor? Joined(in TraceEvent e) => e.Actor.Kind switch
    {
        ActorKind.Migration when e.Channel >= 0 => Actor.Sender(e.Channel),
        ActorKind.Destination when e.Channel >= 0 => Actor.Receiver(e.Channel),
        _ => null,
    };
}
