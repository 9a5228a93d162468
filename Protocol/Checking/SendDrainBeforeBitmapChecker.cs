using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Checking;

/// <summary>
/// SendDrainBeforeBitmap: when the file bitmap is written or freed, and when a successful save closes the
/// file, no send batch is pending or in flight (protocol §1.4, §4(e), §7.2). Once a send channel or the migration
/// thread failed, the save is a failed migration whose file nobody loads: a batch the failed channel never finished
/// is lost, not in flight, and QEMU may still write the bitmap after a sync that took the failed channel's kick for
/// its answer (protocol §2.4: no <c>exiting</c> check after the last wait), so the rest of such a run is not judged here.
/// </summary>
public sealed class SendDrainBeforeBitmapChecker : StreamChecker
{
    private readonly OutstandingIo _outstanding = new("batch", "send", "pending on", "being written by");
    private bool _failed;

    public override PropertyId Property => PropertyId.SendDrainBeforeBitmap;

    public override string? Step(in TraceEvent e)
    {
        switch (e.Kind)
        {
            case EventKind.Dispatch:
                _outstanding.Add(e);
                return null;
            case EventKind.WriteBegin when _outstanding.Begin(e.Id):
                return null;
            case EventKind.WriteEnd:
                _outstanding.End(e.Id);
                return null;
            case EventKind.Exit when e.Error is not null && e.Actor.Kind is ActorKind.Sender or ActorKind.Migration:
                _failed = true;
                return null;
            case EventKind.FileBitmapWrite or EventKind.FileBitmapFree when _outstanding.Count > 0 && !_failed:
                return $"{e.Kind} while {_outstanding.Describe()}";
            case EventKind.Terminate when !_failed && _outstanding.Count > 0:
                return $"the save closes its channels while {_outstanding.Describe()}";
            default:
                return null;
        }
    }
}
