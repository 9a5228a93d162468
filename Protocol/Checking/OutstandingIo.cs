using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Checking;

/// <summary>
/// The IO a set of channels owes: items (batches or chunks) handed to a channel, whether the channel has started on
/// them, whether its thread left without finishing them, and a description for a violation message. Shared by the
/// checkers that require it to be drained.
/// </summary>
internal sealed class OutstandingIo(string item, string thread, string waitingVerb, string busyVerb)
{
    private enum State
    {
        Waiting,
        Busy,
        /// <summary>The channel's IO on it failed: it will never complete.</summary>
        Failed,
        /// <summary>The channel's thread left its loop without starting on it.</summary>
        Dropped,
    }

    private readonly Dictionary<long, (int Channel, State State, TraceEvent Handed)> _items = [];

    public int Count => _items.Count;

    /// <summary>An item is handed to a channel (busy = the channel already works on it).</summary>
    public void Add(in TraceEvent handed, bool busy = false) => _items[handed.Id] = (handed.Channel, busy ? State.Busy : State.Waiting, handed);

    /// <summary>The channel starts on a known item; false when the item was never handed over.</summary>
    public bool Begin(long id)
    {
        if (!_items.TryGetValue(id, out var x)) return false;
        _items[id] = x with { State = State.Busy };
        return true;
    }

    public void End(long id) => _items.Remove(id);

    /// <summary>Channel <paramref name="channel"/>'s thread left its loop (<paramref name="failed"/>: on an IO error): what it was
    /// working on failed, what it had not started is dropped. Both stay outstanding: nobody will finish them.</summary>
    public void ChannelExited(int channel, bool failed)
    {
        foreach (var (id, x) in _items.Where(kv => kv.Value.Channel == channel).ToList())
            _items[id] = x with { State = x.State == State.Busy && failed ? State.Failed : x.State == State.Waiting ? State.Dropped : x.State };
    }

    /// <summary>"chunk 3 (b0:p4+2) is queued to recv1, ..."</summary>
    public string Describe() => string.Join(", ", _items.OrderBy(kv => kv.Key).Select(kv =>
        $"{item} {kv.Key} (b{kv.Value.Handed.Block}:p{kv.Value.Handed.Page}+{kv.Value.Handed.Count}) {Phrase(kv.Value.State, kv.Value.Channel)}"));

    private string Phrase(State state, int channel) => state switch
    {
        State.Waiting => $"is {waitingVerb} {thread}{channel}",
        State.Busy => $"is {busyVerb} {thread}{channel}",
        State.Failed => $"was lost: {thread}{channel}'s IO on it failed",
        _ => $"was dropped: {thread}{channel} left its loop without starting on it",
    };
}
