using System.Globalization;
using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Reports;

/// <summary>
/// The state a trace implies, followed event by event from the events alone: semaphore counts (<c>channels_ready</c>, each
/// channel's <c>sem</c> and <c>sem_sync</c>, the shared recv <c>sem_sync</c>), pending jobs and sync requests, <c>exiting</c> on
/// each side, thread lifetimes, and per page its version in guest memory, in its file slot and in the destination's RAM
/// and its file-bitmap bit. For each event it says which cells the event read and which it changed, which the report's
/// per-step state view and its causal slice (<see cref="CausalSlice"/>) are built from. Counts are what the events imply: a
/// post no event shows (the setup's first <c>channels_ready</c> of each thread is its start) is inferred where QEMU makes it.
/// </summary>
/// <remarks>With <c>packets</c> (a socket migration) each connection's packets are cells too: the k-th packet a send thread
/// writes (a page packet at its WriteEnd, a SYNC packet at a SyncAck after its wake-up; a SYNC riding on a job's packet is
/// that packet) is the k-th its recv thread reads (ReadBegin/ReadEnd, or SyncPost), so a SYNC post depends on the SYNC
/// write it read and a landing on the write of its packet. (A receiver that announces a carried SYNC before its sender
/// announced it counts it as a packet of its own: the later links of that connection are then off by one.)</remarks>
public sealed class TraceState(bool packets = false)
{
    private readonly Dictionary<string, string> _cells = new(StringComparer.Ordinal);
    private readonly Dictionary<int, int> _written = [];
    private readonly Dictionary<int, int> _read = [];
    private readonly HashSet<int> _justWrote = [];
    private readonly HashSet<int> _justRead = [];
    private readonly SortedSet<int> _send = [];
    private readonly SortedSet<int> _recv = [];

    /// <summary>Recv channels any event named: started ones and ones a chunk was queued to before their thread ran.</summary>
    private readonly SortedSet<int> _recvSeen = [];
    private readonly HashSet<int> _woken = [];
    private readonly HashSet<int> _recvWoken = [];
    /// <summary>Each page's newest version in guest memory, as the guest's writes announced it.</summary>
    private readonly Dictionary<string, long> _memory = new(StringComparer.Ordinal);

    /// <summary>Each page's version as a send thread prepared it (-1: found zero): what its slot gets when the write lands.</summary>
    private readonly Dictionary<string, long> _prepared = new(StringComparer.Ordinal);

    /// <summary>The cells as they are after the events taken so far.</summary>
    public IReadOnlyDictionary<string, string> Cells => _cells;

    /// <summary>What one event read and changed.</summary>
    public sealed record Effect(IReadOnlyList<string> Reads, IReadOnlyList<StateChange> Changes);

    /// <summary>Takes <paramref name="e"/>: returns the cells it read and the cells it changed (with their new values).</summary>
    public Effect Step(in TraceEvent e)
    {
        var reads = new List<string>();
        var changes = new List<StateChange>();
        void Set(string cell, string value)
        {
            if (_cells.TryGetValue(cell, out var old) && old == value) return;
            _cells[cell] = value;
            changes.Add(new StateChange(cell, value));
        }
        void Add(string cell, int delta)
        {
            var now = Math.Max(0, Count(cell) + delta);
            Set(cell, now.ToString(CultureInfo.InvariantCulture));
        }
        var a = e.Actor;
        if (packets) Connection(e, reads, Set);
        switch (e.Kind)
        {
            case EventKind.ThreadStart:
                Set($"{a}.thread", "running");
                if (a.Kind == ActorKind.Sender)
                {
                    _send.Add(a.Index);
                    Add(Tokens, 1); // the loop's first "I am idle"
                }
                else if (a.Kind == ActorKind.Receiver)
                {
                    _recv.Add(a.Index);
                    _recvSeen.Add(a.Index);
                }
                break;
            case EventKind.Dispatch:
                reads.Add(Tokens);
                Add(Tokens, -1);
                Add(Sem(Send(e.Channel)), 1);
                Set(Job(Send(e.Channel)), $"batch {e.Id} ({Pages(e)})");
                break;
            case EventKind.SyncRequest when a.Kind == ActorKind.Migration:
                Set($"{Send(e.Channel)}.pending_sync", "requested");
                Add(Sem(Send(e.Channel)), 1);
                break;
            case EventKind.SyncWait:
                reads.Add(ExitingSource);
                break;
            case EventKind.SyncDone when a.Kind == ActorKind.Migration:
                reads.Add(Tokens);
                reads.Add(SemSync(Send(e.Channel)));
                Add(Tokens, -1);
                Add(SemSync(Send(e.Channel)), -1);
                break;
            case EventKind.Wake when a.Kind == ActorKind.Sender:
                reads.Add(Sem(a));
                Add(Sem(a), -1);
                _woken.Add(a.Index);
                break;
            case EventKind.WriteBegin:
                reads.Add(Job(a));
                if (!_woken.Remove(a.Index)) Add(Sem(a), -1);
                foreach (var page in PagesOf(e))
                {
                    reads.Add(PageCell(e.Block, page, "memory"));
                    var zero = IsZero(e, page);
                    Set(PageCell(e.Block, page, "bit"), zero ? "0" : "1");
                    _prepared[PageKey(e.Block, page)] = zero ? -1 : _memory.GetValueOrDefault(PageKey(e.Block, page));
                }
                break;
            case EventKind.WriteEnd:
                reads.Add(Job(a));
                foreach (var page in PagesOf(e))
                {
                    if (!IsZero(e, page)) Set(PageCell(e.Block, page, "file"), VersionText(_prepared.GetValueOrDefault(PageKey(e.Block, page))));
                }
                Set(Job(a), "-");
                Add(Tokens, 1);
                break;
            case EventKind.SyncAck:
                reads.Add($"{a}.pending_sync");
                if (!_woken.Remove(a.Index)) Add(Sem(a), -1);
                Set($"{a}.pending_sync", "-");
                Add(SemSync(a), 1);
                Add(Tokens, 1);
                break;
            case EventKind.GuestWrite:
                _memory[PageKey(e.Block, e.Page)] = e.Version;
                Set(PageCell(e.Block, e.Page, "memory"), VersionText(e.Version));
                break;
            case EventKind.BitmapSync:
                Set("migration bitmap", $"{e.Count} page(s) dirty");
                break;
            case EventKind.FileBitmapWrite:
                reads.AddRange(_cells.Keys.Where(k => k.EndsWith(" bit", StringComparison.Ordinal)));
                Set("file bitmap", "written");
                break;
            case EventKind.FileBitmapFree:
                Set("file bitmap", "freed");
                break;
            case EventKind.Terminate:
                // It posts every channel's sem: what it meets depends on which channels were created and still run.
                reads.AddRange(SendThreadCells());
                Set(ExitingSource, "1");
                foreach (var ch in _send) Add(Sem(Send(ch)), 1);
                break;
            case EventKind.Exit when a.Kind == ActorKind.Sender:
                if (e.Error is not null)
                {
                    reads.Add(Job(a));
                    Set(ExitingSource, "1");
                    Add(SemSync(a), 1); // multifd_send_kick_main
                    Add(Tokens, 1);
                    Set($"{a}.thread", "failed");
                }
                else
                {
                    reads.Add(ExitingSource);
                    Set($"{a}.thread", "ended");
                }
                break;
            case EventKind.Exit when a.Kind == ActorKind.Receiver:
                if (e.Error is not null)
                {
                    reads.Add(Job(a));
                    Set(ExitingDestination, "1");
                    Set($"{a}.thread", "failed");
                }
                else
                {
                    reads.Add(ExitingDestination);
                    Set($"{a}.thread", "ended");
                }
                break;
            case EventKind.CreateFail when a.Kind == ActorKind.Destination:
                // A socket destination's connection whose initial packet failed: the incoming migration fails.
                Set("destination", "failed");
                break;
            case EventKind.CreateFail:
                // What the failure posts differs per release and transport (docs/protocol.md §2.9); the channel's thread never runs.
                Set($"{Send(e.Channel)}.thread", "not created");
                break;
            case EventKind.ThreadJoin or EventKind.Free:
                var joined = a.Kind == ActorKind.Migration ? Send(e.Channel) : Recv(e.Channel);
                reads.Add($"{joined}.thread");
                Set($"{joined}.thread", e.Kind == EventKind.Free ? "freed" : "joined");
                break;
            case EventKind.RecvQueue:
                _recvSeen.Add(e.Channel);
                foreach (var page in PagesOf(e)) reads.Add(PageCell(e.Block, page, "file"));
                Add(Sem(Recv(e.Channel)), 1);
                Set(Job(Recv(e.Channel)), $"chunk {e.Id} ({Pages(e)})");
                break;
            case EventKind.Wake when a.Kind == ActorKind.Receiver:
                reads.Add(Sem(a));
                Add(Sem(a), -1);
                _recvWoken.Add(a.Index);
                break;
            case EventKind.ReadBegin:
                reads.Add(Job(a));
                if (!_recvWoken.Remove(a.Index) && _cells.ContainsKey(Sem(a))) Add(Sem(a), -1);
                if (!_cells.ContainsKey(Job(a))) Set(Job(a), $"packet {e.Id} ({Pages(e)})");
                break;
            case EventKind.ReadEnd:
                reads.Add(Job(a));
                foreach (var page in PagesOf(e))
                {
                    reads.Add(PageCell(e.Block, page, "file"));
                    Set(PageCell(e.Block, page, "dest RAM"), _cells.GetValueOrDefault(PageCell(e.Block, page, "file"), "read"));
                }
                Set(Job(a), "-");
                break;
            case EventKind.RecvSyncBegin:
                foreach (var ch in _recv) Add(Sem(Recv(ch)), 1);
                break;
            case EventKind.SyncPost:
                if (_recvWoken.Remove(a.Index) == false && _cells.ContainsKey(Sem(a))) Add(Sem(a), -1);
                Add(RecvSemSync, 1);
                break;
            case EventKind.RecvSyncEnd:
                reads.Add(RecvSemSync);
                Add(RecvSemSync, -_recv.Count);
                break;
            case EventKind.Shutdown:
                reads.AddRange(_recvSeen.Select(ch => Job(Recv(ch))));
                Set(ExitingDestination, "1");
                foreach (var ch in _recv) Add(Sem(Recv(ch)), 1);
                break;
            case EventKind.Join when a.Kind == ActorKind.Migration:
                // The source's multifd_send_shutdown: the created send threads joined, every channel freed.
                reads.AddRange(SendThreadCells());
                Set("source", "send threads joined, channels freed");
                break;
            case EventKind.LoadCleanup or EventKind.VmStart or EventKind.Join:
                reads.AddRange(_recvSeen.Select(ch => Job(Recv(ch))));
                reads.AddRange(_recvSeen.Select(ch => $"{Recv(ch)}.thread"));
                Set("destination", e.Kind switch { EventKind.LoadCleanup => "loadvm cleaned up", EventKind.VmStart => "VM running", _ => "recv threads joined" });
                break;
        }
        return new Effect(reads, changes);
    }

    /// <summary>The connection's packets (see the remarks): the k-th packet of channel ch is the cell "conn{ch} packet k".</summary>
    private void Connection(in TraceEvent e, List<string> reads, Action<string, string> set)
    {
        var ch = e.Actor.Index;
        switch (e.Actor.Kind, e.Kind)
        {
            case (ActorKind.Sender, EventKind.WriteEnd):
                set(PacketCell(ch, Next(_written, ch)), $"{Pages(e)} written");
                _justWrote.Add(ch);
                return;
            case (ActorKind.Sender, EventKind.SyncAck) when _justWrote.Remove(ch):
                // A SYNC riding on the job just written (8.2's pending_job) is that packet's flag.
                var carrier = PacketCell(ch, _written[ch]);
                set(carrier, _cells[carrier].Replace(" written", "+SYNC written", StringComparison.Ordinal));
                return;
            case (ActorKind.Sender, EventKind.SyncAck):
                set(PacketCell(ch, Next(_written, ch)), "SYNC written");
                return;
            case (ActorKind.Sender, _):
                _justWrote.Remove(ch);
                return;
            case (ActorKind.Receiver, EventKind.ReadBegin):
                reads.Add(PacketCell(ch, Next(_read, ch)));
                return;
            case (ActorKind.Receiver, EventKind.ReadEnd):
                _justRead.Add(ch);
                return;
            case (ActorKind.Receiver, EventKind.SyncPost):
                // After a page packet's read: the same packet when its writer put a SYNC on it, else the next one.
                var same = _justRead.Remove(ch) && _cells.TryGetValue(PacketCell(ch, _read.GetValueOrDefault(ch)), out var v) && v.Contains("+SYNC", StringComparison.Ordinal);
                reads.Add(PacketCell(ch, same ? _read[ch] : Next(_read, ch)));
                return;
            case (ActorKind.Receiver, _):
                _justRead.Remove(ch);
                return;
        }
    }

    private static int Next(Dictionary<int, int> counters, int ch)
    {
        var k = counters.GetValueOrDefault(ch) + 1;
        counters[ch] = k;
        return k;
    }

    /// <summary>A socket connection's k-th packet (from 1): "conn0 packet 3".</summary>
    public static string PacketCell(int channel, int k) => $"conn{channel} packet {k.ToString(CultureInfo.InvariantCulture)}";

    private int Count(string cell) => _cells.TryGetValue(cell, out var v) && int.TryParse(v, CultureInfo.InvariantCulture, out var n) ? n : 0;

    private static string VersionText(long v) => v switch { < 0 => "zero", 0 => "initial", _ => $"v{v}" };

    private static bool IsZero(in TraceEvent e, long page) => page - e.Page is >= 0 and < 64 && (e.Zeros >> (int)(page - e.Page) & 1) != 0;

    /// <summary>The pages of a batch or chunk event: from its mask, else its first page and count (a contiguous run).</summary>
    public static IEnumerable<long> PagesOf(TraceEvent e)
    {
        if (e.Page < 0) yield break;
        if (e.Pages == 0)
        {
            for (var i = 0; i < e.Count; i++) yield return e.Page + i;
            yield break;
        }
        for (var i = 0; i < 64; i++)
        {
            if ((e.Pages >> i & 1) != 0) yield return e.Page + i;
        }
    }

    private static string Pages(in TraceEvent e)
    {
        var block = e.Block;
        return string.Join(",", PagesOf(e).Select(p => $"b{block}:p{p}"));
    }

    private static string PageKey(int block, long page) => $"b{block}:p{page}";

    /// <summary>A page's cell: "b0:p3 memory", "b0:p3 file", "b0:p3 bit", "b0:p3 dest RAM".</summary>
    public static string PageCell(int block, long page, string what) => $"b{block}:p{page} {what}";

    public const string Tokens = "channels_ready";
    public const string ExitingSource = "exiting (source)";
    public const string ExitingDestination = "exiting (destination)";
    public const string RecvSemSync = "recv sem_sync";

    private static Actor Send(int ch) => Actor.Sender(ch);
    private static Actor Recv(int ch) => Actor.Receiver(ch);
    private static string Sem(Actor a) => $"{a}.sem";
    private static string SemSync(Actor a) => $"{a}.sem_sync";
    private static string Job(Actor a) => $"{a}.pending_job";

    /// <summary>The cells of every send thread's lifetime seen so far (what a terminate or a join depends on).</summary>
    private IEnumerable<string> SendThreadCells() =>
        _cells.Keys.Where(k => k.StartsWith("send", StringComparison.Ordinal) && k.EndsWith(".thread", StringComparison.Ordinal));
}

/// <summary>A state cell an event changed, and its new value.</summary>
public readonly record struct StateChange(string Cell, string Value);
