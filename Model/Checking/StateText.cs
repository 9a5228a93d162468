using System.Text;
using SyncModel.Model.Machine;
using SyncModel.Model.State;

namespace SyncModel.Model.Checking;

/// <summary>Renders a model state in domain words: a one-line form for CsCheck's own output, a field list for
/// "what changed" between two states of a replayed trace, and what each thread is stuck on.</summary>
internal static class StateText
{
    public static string Compact(ModelMachine m, ModelState s)
    {
        var sb = new StringBuilder();
        foreach (var (k, v) in Fields(m, s)) sb.Append(k).Append('=').Append(v).Append(' ');
        return sb.ToString().TrimEnd();
    }

    /// <summary>The state as named fields, channels by their index in <paramref name="s"/>.</summary>
    public static List<(string Key, string Value)> Fields(ModelMachine m, ModelState s)
    {
        var f = new List<(string, string)>();
        var main = s.Main;
        var pc = (Pc)MainBits.Pc.Get(main);
        if (pc == Pc.Done && m.Options.SaveOnly)
        {
            f.Add(("main", "Done (the save ended)"));
            return f;
        }
        if (pc < Pc.RecvQueue)
        {
            f.Add(("main", pc switch
            {
                Pc.SourceFreed => "SourceFreed: the channels are freed",
                Pc.SourceDone => "SourceDone: send threads joined, connections closed",
                _ => $"{pc} in {SourceCall(m, MainBits.Iter.Get(main))}",
            }));
            f.Add(("channels_ready", MainBits.Tokens.Get(main).ToString()));
            f.Add(("exiting", Flag(MainBits.Exiting.On(main))));
            f.Add(("failed", Flag(MainBits.Failed.On(main) || MainBits.ErrorUsed.On(main))));
            f.Add(("batch", Set(Pages.Get(s, PageFact.Batch))));
            f.Add(("cursor", Pages.GetCursor(s).ToString()));
            f.Add(("migration bitmap", Set(Pages.Get(s, PageFact.ToSend))));
            f.Add(("dirty log", Set(Pages.Get(s, PageFact.Dirty))));
            if (!m.SocketDestination) f.Add(("zero pages", Set(~Pages.Get(s, PageFact.Data) & m.AllPages)));
            if (!m.Socket)
            {
                f.Add(("file bitmap", Set(Pages.Get(s, PageFact.FileBit)) + (MainBits.Freed.On(main) ? " (written, freed)" : "")));
                f.Add(("current slots", Set(Pages.Get(s, PageFact.SlotCurrent))));
            }
            for (var i = 0; i < m.N; i++) f.Add(($"send{i}", Send(s.Ch(i))));
            if (m.SocketDestination) SocketDestinationFields(m, s, f);
        }
        else
        {
            f.Add(("dest", pc == Pc.Done ? "Done" : $"{pc} at {Dest(m, s)}"));
            f.Add(("file bitmap", Set(Pages.Get(s, PageFact.FileBit))));
            f.Add(("next chunk", MainBits.Limit.Get(main).ToString()));
            f.Add(("shared sem_sync", MainBits.Tokens.Get(main).ToString()));
            f.Add(("exiting", Flag(MainBits.Exiting.On(main))));
            f.Add(("load failed", Flag(MainBits.Failed.On(main))));
            f.Add(("recv error", Flag(MainBits.ErrorUsed.On(main))));
            for (var i = 0; i < m.N; i++) f.Add(($"recv{i}", Recv(s.Ch(i))));
        }
        return f;
    }

    private static void SocketDestinationFields(ModelMachine m, ModelState s, List<(string, string)> f)
    {
        var a = s.Aux;
        f.Add(("dest", SocketDest(m, s)));
        f.Add(("shared sem_sync", DestBits.Tokens.Get(a).ToString()));
        f.Add(("dest exiting", Flag(DestBits.Exiting.On(a))));
        f.Add(("newest at dest", Set(Pages.Get(s, PageFact.SlotCurrent))));
        for (var i = 0; i < m.N; i++)
        {
            f.Add(($"recv{i}", SocketRecv(s.Ch(i))));
            f.Add(($"connection{i}", Connection(s.Ch(i))));
        }
    }

    private static string SocketDest(ModelMachine m, ModelState s)
    {
        var a = s.Aux;
        var pc = (DestPc)DestBits.Pc.Get(a);
        var section = DestBits.Section.Get(a);
        var name = section == 0 ? "START" : section <= m.R ? $"PART {section}" : "END";
        return pc switch
        {
            DestPc.Stream => $"reading {name}, waiting for FLUSH {DestBits.FlushIdx.Get(a) + 1} or EOS",
            DestPc.RecvWait => $"in multifd_recv_sync_main at {name}",
            DestPc.Cleanup => $"{m.CurrentCleanup(s)} (after EOF{(DestBits.Failed.On(a) ? ", load failed" : "")})",
            _ => pc.ToString(),
        };
    }

    private static string SocketRecv(ulong w)
    {
        var sb = new StringBuilder(((SocketRecvPhase)SocketRecvBits.Phase.Get(w)) switch
        {
            SocketRecvPhase.Loop => "reading the next packet",
            SocketRecvPhase.Reading => "reading pages",
            SocketRecvPhase.Parked => "parked at a SYNC",
            _ => "exited",
        });
        if (SocketRecvBits.SemSync.Get(w) > 0) sb.Append(" own_sem_sync=").Append(SocketRecvBits.SemSync.Get(w));
        return sb.ToString();
    }

    /// <summary>The packets in a connection, oldest first: "SYNC", "p3" (the newest copy) or "p3 (old)"; a packet its failed write
    /// cut, "SYNC (cut)" or "p3 (cut)".</summary>
    private static string Connection(ulong w)
    {
        var packets = new List<string>();
        for (var i = 0; i < SocketRecvBits.Count(w); i++)
        {
            var code = SocketRecvBits.At(w, i);
            packets.Add(code == SocketRecvBits.Sync ? "SYNC"
                : code == SocketRecvBits.CutSync ? "SYNC (cut)"
                : SocketRecvBits.IsCutPage(code) ? $"p{SocketRecvBits.PageOf(code)} (cut)"
                : $"p{SocketRecvBits.PageOf(code)}{(SocketRecvBits.IsCurrent(code) ? "" : " (old)")}");
        }
        return packets.Count == 0 ? "empty" : string.Join(", ", packets);
    }

    /// <summary>"key: old → new" for every field that differs.</summary>
    public static string Diff(ModelMachine m, ModelState before, ModelState after)
    {
        var a = Fields(m, before);
        var b = Fields(m, after);
        var old = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in a) old[k] = v;
        var parts = new List<string>();
        foreach (var (k, v) in b)
        {
            if (!old.TryGetValue(k, out var was)) parts.Add($"{k}: {v}");
            else if (was != v) parts.Add($"{k}: {was} → {v}");
        }
        return string.Join("; ", parts);
    }

    /// <summary>What each unfinished thread waits for, for a state where nothing can move.</summary>
    public static List<string> Blocked(ModelMachine m, ModelState s)
    {
        var list = new List<string>();
        var main = s.Main;
        var pc = (Pc)MainBits.Pc.Get(main);
        switch (pc)
        {
            case Pc.SyncWait:
                var ch = Enumerable.Range(0, m.N).First(c => SendBits.Turn.Get(s.Ch(c)) == (int)SyncTurn.Waiting);
                list.Add($"main is blocked in multifd_send_sync_main on send{ch} (channels_ready={MainBits.Tokens.Get(main)}, "
                    + $"send{ch}.sem_sync={SendBits.SemSync.Get(s.Ch(ch))}); send{ch} is {Send(s.Ch(ch))}");
                break;
            case Pc.Dispatch:
                list.Add($"main is blocked dispatching a batch (channels_ready={MainBits.Tokens.Get(main)}, no free channel)");
                break;
            case Pc.SourceJoin:
                list.Add("main is joining send threads that never exit");
                break;
            case Pc.SourceDone:
                list.Add("the source is done: its send threads are joined and the connections closed");
                break;
            case Pc.Create when m.Socket:
                list.Add("main is blocked in multifd_send_setup waiting channels_created for a creation that never completes");
                break;
            case Pc.RecvQueue:
                list.Add("dest main spins in multifd_recv: no recv channel is free and exiting is clear (§3.3)");
                break;
            case Pc.RecvWait:
                list.Add($"dest main is blocked in multifd_recv_sync_main on the shared sem_sync: {MainBits.Tokens.Get(main)} of {m.N} posts (§3.4, §3.7)");
                break;
            case Pc.OneShotWait:
                var r = Enumerable.Range(0, m.N).First(c => RecvBits.Turn.Get(s.Ch(c)) == (int)SyncTurn.Waiting);
                list.Add($"dest main is blocked in the one-shot multifd_recv_sync_main on recv{r}'s own sem_sync; recv{r} is {Recv(s.Ch(r))} (§4(c))");
                break;
            case Pc.Cleanup:
                list.Add($"dest main is at {m.CurrentCleanup(s)} with recv threads still running");
                break;
            default:
                if (pc != Pc.Done) list.Add($"main thread at {pc}");
                break;
        }
        if (m.SocketDestination)
        {
            var dest = (DestPc)DestBits.Pc.Get(s.Aux);
            list.Add(dest switch
            {
                DestPc.Stream => $"dest main is blocked reading the main stream: {SocketDest(m, s)}",
                DestPc.RecvWait => $"dest main is blocked in multifd_recv_sync_main on the shared sem_sync: {DestBits.Tokens.Get(s.Aux)} of {m.N} posts (§3.4)",
                DestPc.Cleanup => $"dest main is at {m.CurrentCleanup(s)} with recv threads still running",
                _ => $"dest main: {dest}",
            });
        }
        for (var i = 0; i < m.N; i++)
        {
            var w = s.Ch(i);
            list.Add(pc < Pc.RecvQueue ? $"send{i}: {Send(w)}" : $"recv{i}: {Recv(w)}");
            if (m.SocketDestination && pc < Pc.RecvQueue) list.Add($"recv{i}: {SocketRecv(w)}; connection: {Connection(w)}");
        }
        return list;
    }

    private static string SourceCall(ModelMachine m, int iter) =>
        iter == 0 ? "setup" : iter <= m.R ? $"iterate {iter}" : "complete";

    private static string Dest(ModelMachine m, ModelState s)
    {
        var section = MainBits.Iter.Get(s.Main);
        var name = section == 0 ? "START" : section <= m.R ? $"PART {section}" : "END";
        var pc = (Pc)MainBits.Pc.Get(s.Main);
        return pc == Pc.Cleanup ? $"{m.CurrentCleanup(s)} (after EOF{(MainBits.Failed.On(s.Main) ? ", load failed" : "")})" : $"{name} {(DestItem)MainBits.Item.Get(s.Main)}";
    }

    private static string PhaseText(ChannelPhase phase, string busy) => phase switch
    {
        ChannelPhase.Idle => "idle",
        ChannelPhase.Busy => busy,
        ChannelPhase.Exited => "exited",
        _ => "exited on error",
    };

    private static string Send(ulong w)
    {
        var phase = (ChannelPhase)SendBits.Phase.Get(w);
        var sb = new StringBuilder(!SendBits.Creating.On(w) ? PhaseText(phase, busy: "writing")
            : SendBits.Connecting(w) ? "connecting (no thread yet)" : "started, writing its initial packet");
        sb.Append(" sem=").Append(SendBits.Sem.Get(w));
        var job = SendBits.Job(w);
        if (job != 0) sb.Append(" job=").Append(Set(job));
        if (phase == ChannelPhase.Busy)
            sb.Append(" data=").Append(Set(SendBits.Data(w))).Append(" overwritten=").Append(Set(SendBits.Stale(w)));
        if (SendBits.PendingSync.On(w)) sb.Append(" pending_sync");
        if (SocketRecvBits.CarriesSync.On(w)) sb.Append(" carries_sync");
        if (SocketRecvBits.OwesWake.Get(w) > 0) sb.Append(" owed_wakeups=").Append(SocketRecvBits.OwesWake.Get(w));
        if (SendBits.SemSync.Get(w) > 0) sb.Append(" sem_sync=").Append(SendBits.SemSync.Get(w));
        var turn = (SyncTurn)SendBits.Turn.Get(w);
        if (turn != SyncTurn.None) sb.Append(" turn=").Append(turn);
        return sb.ToString();
    }

    private static string Recv(ulong w)
    {
        var phase = (ChannelPhase)RecvBits.Phase.Get(w);
        var sb = new StringBuilder(PhaseText(phase, busy: "reading"));
        sb.Append(" sem=").Append(RecvBits.Sem.Get(w));
        if (RecvBits.PendingJob.On(w)) sb.Append(" pending_job");
        if (RecvBits.OwnSemSync.Get(w) > 0) sb.Append(" own_sem_sync=").Append(RecvBits.OwnSemSync.Get(w));
        var turn = (SyncTurn)RecvBits.Turn.Get(w);
        if (turn != SyncTurn.None) sb.Append(" turn=").Append(turn);
        return sb.ToString();
    }

    private static string Flag(bool b) => b ? "yes" : "no";

    public static string Set(int mask)
    {
        if (mask == 0) return "{}";
        var parts = new List<string>();
        for (var p = 0; p < ModelState.MaxPages; p++)
        {
            if ((mask >> p & 1) != 0) parts.Add("p" + p);
        }
        return "{" + string.Join(",", parts) + "}";
    }
}
