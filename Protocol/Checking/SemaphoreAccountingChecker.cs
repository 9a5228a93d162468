using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Checking;

/// <summary>
/// SemaphoreAccounting, as far as the stream shows it: every wakeup of a send channel consumes exactly one
/// job or one sync request posted to it (reference §2.4 invariant, §5.1, §5.3).
/// </summary>
public sealed class SemaphoreAccountingChecker : StreamChecker
{
    private readonly Dictionary<int, int> _posted = [];

    public override PropertyId Property => PropertyId.SemaphoreAccounting;

    public override string? Step(in TraceEvent e)
    {
        if (e.Actor.Kind == ActorKind.Migration && e.Kind is EventKind.Dispatch or EventKind.SyncRequest)
        {
            _posted[e.Channel] = _posted.GetValueOrDefault(e.Channel) + 1;
            return null;
        }
        if (e.Actor.Kind != ActorKind.Sender || e.Kind != EventKind.Wake) return null;
        var left = _posted.GetValueOrDefault(e.Actor.Index);
        if (left == 0) return $"send{e.Actor.Index} woke with no job and no sync request posted to it (spurious wakeup)";
        _posted[e.Actor.Index] = left - 1;
        return null;
    }
}
