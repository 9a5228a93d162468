using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Checking;

/// <summary>
/// DrainBeforeCleanup: at LoadCleanup, VmStart and Shutdown no recv chunk is queued or in flight, and at
/// the end of a successful load every queued chunk was read (reference §4(b) Q1, §7 invariant 3). In a socket
/// run (no chunk is ever queued: recv threads read packets by themselves) a packet whose pages are being
/// read — from its ReadBegin to its ReadEnd — is in flight (reference §4(a) Q1).
/// </summary>
public sealed class DrainBeforeCleanupChecker : StreamChecker
{
    private readonly Dictionary<long, (int Channel, bool Reading, TraceEvent Queued)> _outstanding = [];
    private bool _chunksQueued;

    public override PropertyId Property => PropertyId.DrainBeforeCleanup;

    public override string? Step(in TraceEvent e)
    {
        switch (e.Kind)
        {
            case EventKind.RecvQueue:
                _chunksQueued = true;
                _outstanding[e.Id] = (e.Channel, false, e);
                return null;
            case EventKind.ReadBegin when _outstanding.TryGetValue(e.Id, out var q):
                _outstanding[e.Id] = q with { Reading = true };
                return null;
            case EventKind.ReadBegin when !_chunksQueued && e.Actor.Kind == ActorKind.Receiver:
                _outstanding[e.Id] = (e.Channel, true, e);
                return null;
            case EventKind.ReadEnd:
                _outstanding.Remove(e.Id);
                return null;
            case EventKind.LoadCleanup or EventKind.VmStart or EventKind.Shutdown when _outstanding.Count > 0:
                return $"{e.Kind} while {Describe()}";
            default:
                return null;
        }
    }

    public override string? AtEnd(bool failed)
        => failed || _outstanding.Count == 0 ? null : $"the load finished but {Describe()} and was never read";

    private string Describe()
    {
        var parts = _outstanding.OrderBy(kv => kv.Key).Select(kv =>
            $"chunk {kv.Key} (b{kv.Value.Queued.Block}:p{kv.Value.Queued.Page}+{kv.Value.Queued.Count}) is {(kv.Value.Reading ? "being read by" : "queued to")} recv{kv.Value.Channel}");
        return string.Join(", ", parts);
    }
}
