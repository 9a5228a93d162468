using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Checking;

/// <summary>
/// NoUseAfterFree, as far as the stream shows it: no send channel prepares or writes a batch (touching the file bitmap)
/// after <c>ram_save_file_bmap</c> freed it (protocol §1.4, §4(e)), and no channel thread does anything after its main
/// thread freed that channel's state (<see cref="EventKind.Free"/>: semaphores, batch or chunk, packet buffers). Touches
/// no event shows (a freed receivedmap, a late channel creation) are reported by the Implementation's poisoned state.
/// </summary>
public sealed class NoUseAfterFreeChecker : StreamChecker
{
    private readonly HashSet<Actor> _freed = [];
    private bool _bitmapFreed;

    public override PropertyId Property => PropertyId.NoUseAfterFree;

    public override string? Step(in TraceEvent e)
    {
        if (e.Kind == EventKind.FileBitmapFree)
        {
            _bitmapFreed = true;
            return null;
        }
        if (e.Kind == EventKind.Free && ThreadLifetimeChecker.Joined(e) is { } owner)
        {
            _freed.Add(owner);
            return null;
        }
        if (_freed.Contains(e.Actor))
            return $"{e.Actor} runs {e.Kind} after its channel's state was freed";
        return _bitmapFreed && e.Actor.Kind == ActorKind.Sender && e.Kind is EventKind.WriteBegin or EventKind.WriteEnd
            ? $"send{e.Actor.Index} touches batch {e.Id} after the file bitmap was freed"
            : null;
    }
}
