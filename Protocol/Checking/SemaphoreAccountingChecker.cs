using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Checking;

/// <summary>
/// SemaphoreAccounting, as far as the stream shows it: every wakeup of a send channel consumes exactly one
/// job or one sync request posted to it (docs/protocol.md §2.4 invariant, §5.1, §5.3). A wakeup is a <c>Wake</c>, or
/// the <c>WriteBegin</c>/<c>SyncAck</c> that starts a channel's step when no <c>Wake</c> announced it (model
/// streams fold the wake-up into that step). On the destination, every post a recv channel makes on the shared
/// <c>sem_sync</c> is collected by a recv sync (each takes one post per channel): when the destination shuts its
/// channels down, no channel is still parked at a SYNC no sync will collect (docs/protocol.md §5.7). A load that failed
/// (the destination announced its failure) is not judged there: its termination releases every channel and nothing of it
/// is used.
/// </summary>
public sealed class SemaphoreAccountingChecker : StreamChecker
{
    private readonly Dictionary<int, int> _posted = [];
    private readonly HashSet<int> _woken = [];
    private readonly Dictionary<int, int> _recvPosts = [];
    private int _recvSyncs;
    private bool _loadFailed;

    public override PropertyId Property => PropertyId.SemaphoreAccounting;

    public override string? Step(in TraceEvent e)
    {
        if (e.Actor.Kind == ActorKind.Migration && e.Kind is EventKind.Dispatch or EventKind.SyncRequest)
        {
            _posted[e.Channel] = _posted.GetValueOrDefault(e.Channel) + 1;
            return null;
        }
        if (e.Actor.Kind == ActorKind.Receiver && e.Kind == EventKind.SyncPost)
        {
            _recvPosts[e.Channel] = _recvPosts.GetValueOrDefault(e.Channel) + 1;
            return null;
        }
        if (e.Actor.Kind == ActorKind.Destination && e.Kind == EventKind.RecvSyncBegin)
        {
            _recvSyncs++;
            return null;
        }
        if (e.Actor.Kind == ActorKind.Destination && e.Kind == EventKind.Exit && e.Error is not null)
        {
            _loadFailed = true;
            return null;
        }
        if (e.Actor.Kind == ActorKind.Destination && e.Kind == EventKind.Shutdown && !_loadFailed)
            return Parked() is { } parked ? $"Shutdown while recv{parked} is parked at a SYNC that no recv sync collected: its post on the shared sem_sync is never consumed" : null;
        if (e.Actor.Kind != ActorKind.Sender) return null;
        var ch = e.Actor.Index;
        switch (e.Kind)
        {
            case EventKind.Wake:
                _woken.Add(ch);
                return Consume(ch);
            case EventKind.WriteBegin or EventKind.SyncAck:
                return _woken.Remove(ch) ? null : Consume(ch);
            default:
                return null;
        }
    }

    private int? Parked()
    {
        foreach (var (ch, posts) in _recvPosts.OrderBy(x => x.Key))
        {
            if (posts > _recvSyncs) return ch;
        }
        return null;
    }

    private string? Consume(int channel)
    {
        var left = _posted.GetValueOrDefault(channel);
        if (left == 0) return $"send{channel} woke with no job and no sync request posted to it (spurious wakeup)";
        _posted[channel] = left - 1;
        return null;
    }
}
