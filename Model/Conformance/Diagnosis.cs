using SyncModel.Model.Checking;
using SyncModel.Model.Machine;
using SyncModel.Model.State;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Model.Conformance;

/// <summary>Why the model cannot take an event, in the model's words: what the thread's state says, and which events
/// the model could have taken from that thread instead.</summary>
internal static class Diagnosis
{
    private const int MaxCandidates = 256;

    public static (string Reason, IReadOnlyList<string> Expected) Explain(ConformanceReplay r, HashSet<Candidate> pool, in TraceEvent e, int slot)
    {
        var expected = new List<string>();
        foreach (var c in pool.Take(MaxCandidates))
        {
            foreach (var x in NextOf(r, c, slot))
            {
                if (!expected.Contains(x)) expected.Add(x);
            }
        }
        var rep = pool.FirstOrDefault(c => c.Free(slot)) ?? pool.First();
        var why = Why(r, rep, e, slot);
        var tail = expected.Count == 0 ? $"the model has no event of {e.Actor} here" : $"the model expected {string.Join(" or ", expected.Take(6))}";
        return ($"{e}: {why}; {tail}", expected);
    }

    /// <summary>What an accepted trace that stops early leaves the model expecting.</summary>
    public static string Outstanding(ConformanceReplay r, HashSet<Candidate> final)
    {
        var c = final.First();
        for (var slot = 0; slot < TraceShape.Slots; slot++)
        {
            var owed = c.OwedBy(slot);
            if (owed.Length > 0) return $"a model step still owes {owed[0].Describe(r.Shape)}";
        }
        var next = new List<string>();
        for (var slot = 0; slot < TraceShape.Slots && next.Count < 6; slot++)
        {
            foreach (var x in NextOf(r, c, slot))
            {
                if (!next.Contains(x)) next.Add(x);
            }
        }
        var f = Fields(r.Machine, c.State);
        var where = ConformanceReplay.IsSource(c.State) ? $"main: {f["main"]}" : $"dest: {f["dest"]}";
        return next.Count == 0 ? $"no thread of the model can move ({where})" : $"the model's next event would be {string.Join(" or ", next)} ({where})";
    }

    /// <summary>The first Implementation event of each step the thread in <paramref name="slot"/> could take next.</summary>
    private static IEnumerable<string> NextOf(ConformanceReplay r, Candidate c, int slot)
    {
        var owed = c.OwedBy(slot);
        if (owed.Length > 0)
        {
            yield return owed[0].Describe(r.Shape);
            yield break;
        }
        var woken = c.Woken(slot);
        if (woken >= 0)
        {
            var (_, list) = r.Apply(c.State, r.Machine.Actions[ConformanceReplay.ActionOf(woken)], ConformanceReplay.ArgOf(woken));
            if (list.Count > 1) yield return list[1].Describe(r.Shape);
            yield break;
        }
        foreach (var ai in r.ActionsFor(slot))
        {
            var a = r.Machine.Actions[ai];
            var args = slot >= 3 && a.Arg == ArgKind.Channel ? [ConformanceReplay.ChannelOf(slot)] : a.Domain;
            foreach (var arg in args)
            {
                if (!c.Free(r.ActingSlot(ai, arg)) || !a.Guard(c.State, arg)) continue;
                var (_, list) = r.Apply(c.State, a, arg);
                if (list.Count > 0 && r.Shape.Slot(list[0].Actor) == slot) yield return list[0].Describe(r.Shape);
            }
        }
    }

    private static string Why(ConformanceReplay r, Candidate c, in TraceEvent e, int slot)
    {
        var owed = c.OwedBy(slot);
        if (owed.Length > 0) return $"{e.Actor} is inside a model step that still owes {owed[0].Describe(r.Shape)}";
        if (c.Woken(slot) >= 0) return $"{e.Actor} announced Wake for {r.Machine.Actions[ConformanceReplay.ActionOf(c.Woken(slot))].Name}, whose event must come next";
        var m = r.Machine;
        var s = c.State;
        var f = Fields(m, s);
        return e.Actor.Kind switch
        {
            ActorKind.Migration => Source(m, s, e, f),
            ActorKind.Sender => Channel(s, e, f, $"send{e.Actor.Index}"),
            ActorKind.Guest => ConformanceReplay.IsSource(s) ? $"the guest cannot write here (main: {f["main"]})" : "the save is over",
            ActorKind.Destination => Destination(m, s, e, f),
            _ => Channel(s, e, f, $"recv{e.Actor.Index}"),
        };
    }

    private static string Source(ModelMachine m, in ModelState s, in TraceEvent e, Dictionary<string, string> f)
    {
        if (!ConformanceReplay.IsSource(s)) return "the save is over";
        var pc = (Pc)MainBits.Pc.Get(s.Main);
        var policy = m.Options.Policy.Name;
        switch (e.Kind)
        {
            case EventKind.SyncDone when pc == Pc.SyncWait && e.Channel is >= 0 and < ModelState.MaxChannels:
                var w = s.Ch(e.Channel);
                if (SendBits.Turn.Get(w) != (int)SyncTurn.Waiting) return $"the migration thread is not waiting on channel {e.Channel}";
                if (SendBits.SemSync.Get(w) == 0) return $"channel {e.Channel} has not acked (send{e.Channel}: {f[$"send{e.Channel}"]})";
                return "no channels_ready token has been posted for it";
            case EventKind.SyncRequest or EventKind.SyncWait or EventKind.SyncDone when pc is not (Pc.SyncRequest or Pc.SyncCommit or Pc.SyncWait):
                return $"{policy} does not sync here (main: {f["main"]})";
            case EventKind.Dispatch when pc != Pc.Dispatch:
                return $"the migration thread has no batch to hand out here (main: {f["main"]})";
            case EventKind.Dispatch when e.Channel is >= 0 and < ModelState.MaxChannels && SendBits.Job(s.Ch(e.Channel)) != 0:
                return $"send{e.Channel} still holds a batch ({f[$"send{e.Channel}"]})";
            case EventKind.FileBitmapWrite or EventKind.FileBitmapFree:
                return $"the bitmap is written after complete's scan and sync (main: {f["main"]})";
            default:
                return $"main: {f["main"]}, channels_ready={f["channels_ready"]}, exiting={f["exiting"]}";
        }
    }

    private static string Destination(ModelMachine m, in ModelState s, in TraceEvent e, Dictionary<string, string> f)
    {
        if (ConformanceReplay.IsSource(s)) return $"the save is not over (main: {f["main"]})";
        var pc = (Pc)MainBits.Pc.Get(s.Main);
        var policy = m.Options.Policy;
        switch (e.Kind)
        {
            case EventKind.LoadCleanup or EventKind.Shutdown or EventKind.VmStart or EventKind.Join when pc == Pc.Cleanup:
                var order = string.Join(" → ", m.CleanupSequence(MainBits.Failed.On(s.Main)));
                var next = m.CurrentCleanup(s);
                var state = s;
                var running = Enumerable.Range(0, m.N).Where(i => RecvBits.Phase.Get(state.Ch(i)) < (int)ChannelPhase.Exited).Select(i => $"recv{i}").ToList();
                var waits = next == CleanupStep.Join && running.Count > 0 ? $"; {string.Join(", ", running)} still running" : "";
                return $"{policy.Name} ends the load in the order {order} and is at {next}{waits}";
            case EventKind.LoadCleanup or EventKind.Shutdown or EventKind.VmStart or EventKind.Join:
                return $"the load is not over (dest: {f["dest"]})";
            case EventKind.RecvQueue when pc == Pc.RecvQueue && e.Channel is >= 0 and < ModelState.MaxChannels && RecvBits.PendingJob.On(s.Ch(e.Channel)):
                return $"recv{e.Channel} still holds a chunk ({f[$"recv{e.Channel}"]})";
            case EventKind.RecvSyncBegin or EventKind.RecvSyncEnd when pc is not (Pc.RecvKick or Pc.RecvWait or Pc.OneShotKick or Pc.OneShotWait):
                return $"{policy.Name} does not sync the recv channels here (dest: {f["dest"]})";
            case EventKind.RecvSyncEnd when pc == Pc.RecvWait:
                return $"only {MainBits.Tokens.Get(s.Main)} of {m.N} recv channels have posted the shared sem_sync";
            default:
                return $"dest: {f["dest"]}";
        }
    }

    private static string Channel(in ModelState s, in TraceEvent e, Dictionary<string, string> f, string key)
    {
        if (!f.TryGetValue(key, out var state)) return ConformanceReplay.IsSource(s) ? "the load has not started" : "the save is over";
        var exiting = MainBits.Exiting.On(s.Main);
        return e.Kind switch
        {
            EventKind.Wake when exiting => $"exiting is set, so a woken thread leaves without announcing a wake-up ({key}: {state})",
            EventKind.Wake => $"nothing is posted on {key}'s sem that it could take ({key}: {state})",
            EventKind.Exit when !exiting && e.Error is null => $"exiting is not set ({key}: {state})",
            _ => $"{key}: {state}",
        };
    }

    private static Dictionary<string, string> Fields(ModelMachine m, in ModelState s)
    {
        var d = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in StateText.Fields(m, s)) d[k] = v;
        return d;
    }
}
