using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Checking;

/// <summary>
/// NoUseAfterFree: no send channel prepares or writes a batch (touching the file bitmap) after
/// <c>ram_save_file_bmap</c> freed it (reference §1.4, §4(e), §5.9 for the receivedmap analogue).
/// </summary>
public sealed class NoUseAfterFreeChecker : StreamChecker
{
    private bool _freed;

    public override PropertyId Property => PropertyId.NoUseAfterFree;

    public override string? Step(in TraceEvent e)
    {
        if (e.Kind == EventKind.FileBitmapFree)
        {
            _freed = true;
            return null;
        }
        return _freed && e.Actor.Kind == ActorKind.Sender && e.Kind is EventKind.WriteBegin or EventKind.WriteEnd
            ? $"send{e.Actor.Index} touches batch {e.Id} after the file bitmap was freed"
            : null;
    }
}
