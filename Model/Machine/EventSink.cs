using SyncModel.Model.State;
using SyncModel.Protocol.Events;

namespace SyncModel.Model.Machine;

/// <summary>
/// Collects the events of one replayed step and fills in the ids a state does not carry: batch and chunk ids
/// (numbered per run in the order they are handed out) and page versions (counted per page from 1). The
/// exhaustive search passes no sink, so it builds no event at all.
/// </summary>
internal sealed class EventSink
{
    private readonly List<TraceEvent> _events = [];
    private readonly long[] _sendBatch = new long[ModelState.MaxChannels];
    private readonly long[] _recvChunk = new long[ModelState.MaxChannels];
    private readonly long[] _version;
    private long _nextBatch;

    public EventSink(int pages)
    {
        _version = new long[pages];
        Array.Fill(_version, 1);
        Array.Fill(_sendBatch, -1);
        Array.Fill(_recvChunk, -1);
    }

    /// <summary>The events added since the last <see cref="Take"/>.</summary>
    public IReadOnlyList<TraceEvent> Take()
    {
        var list = _events.ToArray();
        _events.Clear();
        return list;
    }

    public void Add(TraceEvent e)
    {
        switch (e.Kind)
        {
            case EventKind.Dispatch:
                _sendBatch[e.Channel] = _nextBatch;
                e = e with { Id = _nextBatch++ };
                break;
            case EventKind.WriteBegin or EventKind.WriteEnd or EventKind.SyncAck when e.Actor.Kind == ActorKind.Sender:
                if (e.Kind != EventKind.SyncAck) e = e with { Id = _sendBatch[e.Channel] };
                break;
            case EventKind.Exit when e.Actor.Kind == ActorKind.Sender && e.Error is not null:
                e = e with { Id = _sendBatch[e.Channel] };
                break;
            case EventKind.RecvQueue when e.Id >= 0:
                _recvChunk[e.Channel] = e.Id;
                break;
            case EventKind.ReadBegin or EventKind.ReadEnd:
                e = e with { Id = _recvChunk[e.Channel] };
                break;
            case EventKind.Exit when e.Actor.Kind == ActorKind.Receiver && e.Error is not null:
                e = e with { Id = _recvChunk[e.Channel] };
                break;
            case EventKind.GuestWrite:
                e = e with { Version = ++_version[e.Page] };
                break;
        }
        _events.Add(e);
    }
}
