using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Checking;

/// <summary>
/// The IO a set of channels owes: items (batches or chunks) handed to a channel, whether the channel has started on
/// them, and a description for a violation message. Shared by the checkers that require it to be drained.
/// </summary>
internal sealed class OutstandingIo(string item, string thread, string waitingVerb, string busyVerb)
{
    private readonly Dictionary<long, (int Channel, bool Busy, TraceEvent Handed)> _items = [];

    public int Count => _items.Count;

    /// <summary>An item is handed to a channel (busy = the channel already works on it).</summary>
    public void Add(in TraceEvent handed, bool busy = false) => _items[handed.Id] = (handed.Channel, busy, handed);

    /// <summary>The channel starts on a known item; false when the item was never handed over.</summary>
    public bool Begin(long id)
    {
        if (!_items.TryGetValue(id, out var x)) return false;
        _items[id] = x with { Busy = true };
        return true;
    }

    public void End(long id) => _items.Remove(id);

    /// <summary>"chunk 3 (b0:p4+2) is queued to recv1, ..."</summary>
    public string Describe() => string.Join(", ", _items.OrderBy(kv => kv.Key).Select(kv =>
        $"{item} {kv.Key} (b{kv.Value.Handed.Block}:p{kv.Value.Handed.Page}+{kv.Value.Handed.Count}) is {(kv.Value.Busy ? busyVerb : waitingVerb)} {thread}{kv.Value.Channel}"));
}
