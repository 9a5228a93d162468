using SyncModel.Protocol.Events;

namespace SyncModel.Model.Conformance;

/// <summary>
/// The ids a model state does not carry: batches and chunks are numbered from 0 in the order they are handed out, and a
/// channel can only write or read the one it was handed last. They depend on the trace alone, so one copy serves every
/// candidate run. Events without an id (-1) are not checked.
/// </summary>
/// <remarks>On a socket migration with its destination a recv thread's read carries the packet's number instead: the
/// source numbers its packets in the order it fills them (<c>packet_num</c>), so on one connection the numbers grow, and a
/// read's end names the packet its start named.</remarks>
internal sealed class TraceIds(bool packets = false)
{
    private readonly long[] _batch = Enumerable.Repeat(-1L, State.ModelState.MaxChannels).ToArray();
    private readonly long[] _chunk = Enumerable.Repeat(-1L, State.ModelState.MaxChannels).ToArray();
    private long _nextBatch;
    private long _nextChunk;

    /// <summary>Checks <paramref name="e"/> against the ids handed out so far and records the ones it hands out; returns
    /// why it cannot be, or null.</summary>
    public string? Step(in TraceEvent e)
    {
        switch (e.Kind)
        {
            case EventKind.Dispatch when e.Actor.Kind == ActorKind.Migration && e.Id >= 0:
                if (e.Id != _nextBatch) return $"batches are numbered in dispatch order and the next one is {_nextBatch}";
                _batch[e.Channel] = _nextBatch++;
                return null;
            case EventKind.WriteBegin or EventKind.WriteEnd when e.Actor.Kind == ActorKind.Sender && e.Id >= 0:
                return Owned(_batch[e.Actor.Index], e.Id, "batch", "dispatched to", e.Actor);
            case EventKind.RecvQueue when e.Id >= 0:
                if (e.Id != _nextChunk) return $"chunks are numbered in queueing order and the next one is {_nextChunk}";
                _chunk[e.Channel] = _nextChunk++;
                return null;
            case EventKind.ReadBegin when packets && e.Actor.Kind == ActorKind.Receiver && e.Id >= 0:
                if (e.Id <= _chunk[e.Actor.Index]) return $"packet {e.Id} on {e.Actor} after packet {_chunk[e.Actor.Index]}: a connection's packet numbers grow";
                _chunk[e.Actor.Index] = e.Id;
                return null;
            case EventKind.ReadEnd when packets && e.Actor.Kind == ActorKind.Receiver && e.Id >= 0:
                return e.Id == _chunk[e.Actor.Index] ? null : $"{e.Actor} ends reading packet {e.Id} but began packet {_chunk[e.Actor.Index]}";
            case EventKind.ReadBegin or EventKind.ReadEnd when e.Actor.Kind == ActorKind.Receiver && e.Id >= 0:
                return Owned(_chunk[e.Actor.Index], e.Id, "chunk", "queued to", e.Actor);
            default:
                return null;
        }
    }

    private static string? Owned(long owned, long id, string what, string verb, Actor actor)
    {
        if (owned == id) return null;
        var history = owned < 0 ? $"no {what} was ever {verb} {actor}" : $"the last {what} {verb} {actor} is {owned}";
        return $"the model has no {what} {id} on {actor} ({history})";
    }
}
