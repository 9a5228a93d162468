using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Reports;

/// <summary>
/// Turns an event stream into report steps with a "what changed" column, derived from the events alone:
/// which batches and chunks are outstanding on which channel, who owes whom a sync, who died, what the
/// destination freed or started while IO was outstanding. Serves implementation traces (Coyote, real threads).
/// With <c>packets</c> the trace is a socket migration's: batches go on the wire, recv threads read packets by
/// themselves and park at SYNC packets.
/// </summary>
public sealed class TraceNarrator(bool packets = false)
{
    private readonly SortedDictionary<long, (int Channel, bool Busy)> _batches = [];
    private readonly SortedDictionary<long, (int Channel, bool Busy)> _chunks = [];
    private readonly string _chunk = packets ? "packet" : "chunk";
    private bool _exiting;

    public static IReadOnlyList<ReportStep> Narrate(IReadOnlyList<TraceEvent> events, bool packets = false)
    {
        var n = new TraceNarrator(packets);
        return events.Select((e, i) => new ReportStep(i + 1, e, n.Step(e))).ToArray();
    }

    /// <summary>The change <paramref name="e"/> makes, in a few words.</summary>
    public string Step(in TraceEvent e)
    {
        switch (e.Kind)
        {
            case EventKind.Dispatch:
                _batches[e.Id] = (e.Channel, false);
                return $"batch {e.Id} handed to send{e.Channel}; {Outstanding(_batches, "batch")}";
            case EventKind.WriteBegin:
                _batches[e.Id] = (e.Actor.Index, true);
                return packets
                    ? $"send{e.Actor.Index} writes batch {e.Id} as a packet: header, offsets, pages"
                    : $"send{e.Actor.Index} prepares batch {e.Id}: zero check, file-bitmap bits, pwritev";
            case EventKind.WriteEnd:
                _batches.Remove(e.Id);
                return $"batch {e.Id} is {(packets ? "on the wire" : "in the file")}; {Outstanding(_batches, "batch")}";
            case EventKind.SyncRequest:
                return $"send{e.Channel} owes a sync ack (sem posted)";
            case EventKind.SyncAck:
                return packets
                    ? $"send{e.Actor.Index} acked after its SYNC packet: every batch it had before the request is on the wire"
                    : $"send{e.Actor.Index} acked: every batch it had before the request is written";
            case EventKind.SyncDone:
                return $"main took send{e.Channel}'s sem_sync";
            case EventKind.SyncWait:
                return $"main blocks until send{e.Channel} answers";
            case EventKind.RecvQueue:
                _chunks[e.Id] = (e.Channel, false);
                return $"chunk {e.Id} ({Pages(e)}) queued to recv{e.Channel}; {Outstanding(_chunks, "chunk")}";
            case EventKind.ReadBegin:
                _chunks[e.Id] = (e.Actor.Index, true);
                return $"recv{e.Actor.Index} starts reading {_chunk} {e.Id}{(packets ? $" ({Pages(e)})" : "")} into guest RAM";
            case EventKind.ReadEnd:
                _chunks.Remove(e.Id);
                return $"{_chunk} {e.Id} is in guest RAM; {Outstanding(_chunks, _chunk)}";
            case EventKind.SyncPost:
                return packets && e.Actor.Kind == ActorKind.Receiver
                    ? $"{e.Actor} reached a SYNC packet: posts the shared sem_sync and parks until released"
                    : $"{e.Actor} posts a sync semaphore";
            case EventKind.RecvSyncBegin:
                return packets
                    ? $"destination waits until every recv channel reached a SYNC packet; {Outstanding(_chunks, _chunk)}"
                    : $"destination waits for every recv channel; {Outstanding(_chunks, _chunk)}";
            case EventKind.RecvSyncEnd:
                return packets ? "every recv channel reached its SYNC packet and is released" : "every recv channel answered";
            case EventKind.Exit:
                return e.Error is null ? $"{e.Actor} leaves its loop" : $"{e.Actor} FAILED: {e.Error}";
            case EventKind.CreateFail when e.Actor.Kind == ActorKind.Destination:
                return $"accepting multifd connection {e.Channel} FAILED: {e.Error}; the incoming migration fails";
            case EventKind.CreateFail:
                return $"creating send{e.Channel} FAILED: {e.Error}; its thread never runs";
            case EventKind.Terminate:
                _exiting = true;
                return $"exiting=1, every send channel kicked; {Outstanding(_batches, "batch")}";
            case EventKind.Shutdown:
                _exiting = true;
                return $"exiting=1, every recv channel kicked; {Outstanding(_chunks, _chunk)}";
            case EventKind.LoadCleanup:
                return $"loadvm cleanup (receivedmap freed, RAM written back); {Outstanding(_chunks, _chunk)}";
            case EventKind.VmStart:
                return $"vCPUs run from here; {Outstanding(_chunks, _chunk)}";
            case EventKind.Join when e.Actor.Kind == ActorKind.Migration:
                return $"send threads joined, channels freed; {Outstanding(_batches, "batch")}";
            case EventKind.Join:
                return $"recv threads joined; {Outstanding(_chunks, _chunk)}";
            case EventKind.FileBitmapWrite:
                return $"bitmap of block {e.Block} written to the file; {Outstanding(_batches, "batch")}";
            case EventKind.FileBitmapFree:
                return $"file bitmaps freed; {Outstanding(_batches, "batch")}";
            case EventKind.GuestWrite:
                return $"guest writes b{e.Block}:p{e.Page} (v{e.Version}); the page is dirty";
            case EventKind.BitmapSync:
                return $"{e.Count} page(s) dirty in the migration bitmap";
            case EventKind.Wake:
                if (packets && e.Actor.Kind == ActorKind.Receiver) return $"{e.Actor} released from its SYNC packet";
                return _exiting ? $"{e.Actor} woke with exiting set" : $"{e.Actor} woke";
            default:
                return "";
        }
    }

    private static string Pages(in TraceEvent e) => $"b{e.Block}:p{e.Page}+{e.Count}";

    private static string Outstanding(SortedDictionary<long, (int Channel, bool Busy)> items, string what)
        => items.Count == 0
            ? $"no {what} outstanding"
            : $"outstanding: {string.Join(", ", items.Select(kv => $"{what} {kv.Key} {(kv.Value.Busy ? "in flight on" : "pending on")} {(what == "batch" ? "send" : "recv")}{kv.Value.Channel}"))}";
}
