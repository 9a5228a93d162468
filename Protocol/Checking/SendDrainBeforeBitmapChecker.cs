using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Checking;

/// <summary>
/// SendDrainBeforeBitmap: when the file bitmap is written or freed, and when a successful save closes the
/// file, no send batch is pending or in flight (reference §1.4, §4(e), §7 invariant 2).
/// </summary>
public sealed class SendDrainBeforeBitmapChecker : StreamChecker
{
    private readonly Dictionary<long, (int Channel, bool Writing, TraceEvent Dispatched)> _outstanding = [];
    private bool _failed;

    public override PropertyId Property => PropertyId.SendDrainBeforeBitmap;

    public override string? Step(in TraceEvent e)
    {
        switch (e.Kind)
        {
            case EventKind.Dispatch:
                _outstanding[e.Id] = (e.Channel, false, e);
                return null;
            case EventKind.WriteBegin when _outstanding.TryGetValue(e.Id, out var d):
                _outstanding[e.Id] = d with { Writing = true };
                return null;
            case EventKind.WriteEnd:
                _outstanding.Remove(e.Id);
                return null;
            case EventKind.Exit when e.Error is not null && e.Actor.Kind is ActorKind.Sender or ActorKind.Migration:
                _failed = true;
                return null;
            case EventKind.FileBitmapWrite or EventKind.FileBitmapFree when _outstanding.Count > 0:
                return $"{e.Kind} while {Describe()}";
            case EventKind.Terminate when !_failed && _outstanding.Count > 0:
                return $"the save closes its channels while {Describe()}";
            default:
                return null;
        }
    }

    private string Describe() => string.Join(", ", _outstanding.OrderBy(kv => kv.Key).Select(kv =>
        $"batch {kv.Key} (b{kv.Value.Dispatched.Block}:p{kv.Value.Dispatched.Page}+{kv.Value.Dispatched.Count}) is {(kv.Value.Writing ? "being written by" : "pending on")} send{kv.Value.Channel}"));
}
