using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Checking;

/// <summary>
/// DrainBeforeCleanup: at LoadCleanup, VmStart and Shutdown no recv chunk is queued or in flight, and at
/// the end of a successful load every queued chunk was read (docs/protocol.md §4(b) Q1, §7.3). In a socket
/// run (no chunk is ever queued: recv threads read packets by themselves) a packet whose pages are being
/// read — from its ReadBegin to its ReadEnd — is in flight (docs/protocol.md §4(a) Q1). After the load failed (the
/// destination announced its failure) the VM never runs on that RAM: the cleanup of a failed load is not checked
/// here, and what it frees under a running channel is <see cref="NoUseAfterFreeChecker"/>'s business (§5.9).
/// </summary>
public sealed class DrainBeforeCleanupChecker : StreamChecker
{
    private readonly OutstandingIo _outstanding = new("chunk", "recv", "queued to", "being read by");
    private bool _chunksQueued;
    private bool _loadFailed;

    public override PropertyId Property => PropertyId.DrainBeforeCleanup;

    public override string? Step(in TraceEvent e)
    {
        switch (e.Kind)
        {
            case EventKind.RecvQueue:
                _chunksQueued = true;
                _outstanding.Add(e);
                return null;
            case EventKind.ReadBegin when _outstanding.Begin(e.Id):
                return null;
            case EventKind.ReadBegin when !_chunksQueued && e.Actor.Kind == ActorKind.Receiver:
                _outstanding.Add(e, busy: true);
                return null;
            case EventKind.ReadEnd:
                _outstanding.End(e.Id);
                return null;
            case EventKind.Exit when e.Actor.Kind == ActorKind.Destination && e.Error is not null:
                _loadFailed = true;
                return null;
            case EventKind.Exit when e.Actor.Kind == ActorKind.Receiver:
                _outstanding.ChannelExited(e.Actor.Index, e.Error is not null);
                return null;
            case EventKind.LoadCleanup or EventKind.VmStart or EventKind.Shutdown when _outstanding.Count > 0 && !_loadFailed:
                return $"{e.Kind} while {_outstanding.Describe()}";
            default:
                return null;
        }
    }

    public override string? AtEnd(bool failed)
        => failed || _outstanding.Count == 0 ? null : $"the load finished but {_outstanding.Describe()} and was never read";
}
