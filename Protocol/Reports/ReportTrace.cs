using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Reports;

/// <summary>Adds to a report's trace what the events imply: each step's state changes and the causal slice.</summary>
public static class ReportTrace
{
    /// <summary>The steps of an event stream, each with its "what changed" text, its state changes and its slice mark.</summary>
    /// <param name="violatingStep">The step (from 1) where the property broke; null when it broke at the end of the run.</param>
    /// <param name="cells">State cells the violation names (see <see cref="TraceState.PageCell"/>), if any.</param>
    public static IReadOnlyList<ReportStep> Build(IReadOnlyList<TraceEvent> events, bool packets, int? violatingStep, IEnumerable<string>? cells = null)
        => Enrich(TraceNarrator.Narrate(events, packets), violatingStep, cells, packets);

    /// <summary><paramref name="steps"/> with their state changes and slice marks filled in (<paramref name="packets"/>: a socket
    /// migration's, whose connections' packets are cells too).</summary>
    public static IReadOnlyList<ReportStep> Enrich(IReadOnlyList<ReportStep> steps, int? violatingStep, IEnumerable<string>? cells = null, bool packets = false)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var state = new TraceState(packets);
        var effects = steps.Select(s => state.Step(s.Event)).ToList();
        var violating = violatingStep is { } v ? LastRowOf(steps, v) : -1;
        var last = steps.Select((s, i) => (s.Event.Actor, i)).GroupBy(x => x.Actor).Select(g => g.Last().i);
        var slice = new HashSet<int>(CausalSlice.Compute(effects, violating, last, cells));
        return [.. steps.Select((s, i) => s with { Changes = effects[i].Changes, InSlice = slice.Contains(i) })];
    }

    private static int LastRowOf(IReadOnlyList<ReportStep> steps, int index)
    {
        for (var i = steps.Count - 1; i >= 0; i--)
        {
            if (steps[i].Index <= index) return i;
        }
        return steps.Count - 1;
    }

    /// <summary>
    /// The runs of steps outside the slice, each summed up in a line: "steps 1–40: 6 batches written, 3 syncs, 12 guest
    /// writes; nothing outstanding". Returns (first index, last index, text) per run.
    /// </summary>
    public static IReadOnlyList<(int From, int To, string Text)> Collapsed(IReadOnlyList<ReportStep> steps)
    {
        ArgumentNullException.ThrowIfNull(steps);
        var runs = new List<(int, int, string)>();
        for (var i = 0; i < steps.Count;)
        {
            if (steps[i].InSlice)
            {
                i++;
                continue;
            }
            var j = i;
            while (j + 1 < steps.Count && !steps[j + 1].InSlice) j++;
            runs.Add((steps[i].Index, steps[j].Index, Summary(steps, i, j)));
            i = j + 1;
        }
        return runs;
    }

    private static string Summary(IReadOnlyList<ReportStep> steps, int from, int to)
    {
        // One or two steps say more as themselves than as a count.
        if (to - from < 2)
            return string.Join("; ", steps.Skip(from).Take(to - from + 1).Select(s => $"{s.Event.Actor} {ReportRenderer.EventText(s.Event)}"));
        var part = steps.Skip(from).Take(to - from + 1).Select(s => s.Event).ToList();
        var things = new List<string>();
        void Count(string one, string many, int n)
        {
            if (n > 0) things.Add($"{n} {(n == 1 ? one : many)}");
        }
        Count("batch written", "batches written", part.Count(e => e.Kind == EventKind.WriteEnd));
        Count("sync request", "sync requests", part.Count(e => e.Kind == EventKind.SyncRequest && e.Actor.Kind == ActorKind.Migration));
        Count("guest write", "guest writes", part.Count(e => e.Kind == EventKind.GuestWrite));
        Count("stream record", "stream records", part.Count(e => e.Kind is EventKind.StreamFlag or EventKind.SeeFlag or EventKind.SectionStart or EventKind.SectionPart or EventKind.SectionEnd));
        Count("chunk read", "chunks read", part.Count(e => e.Kind == EventKind.ReadEnd));
        Count("recv sync", "recv syncs", part.Count(e => e.Kind == EventKind.RecvSyncEnd));
        Count("thread start", "thread starts", part.Count(e => e.Kind == EventKind.ThreadStart));
        Count("thread end", "thread ends", part.Count(e => e.Kind == EventKind.Exit));
        var rest = part.Count - part.Count(e => e.Kind is EventKind.WriteEnd or EventKind.GuestWrite or EventKind.StreamFlag or EventKind.SeeFlag
            or EventKind.SectionStart or EventKind.SectionPart or EventKind.SectionEnd or EventKind.ReadEnd or EventKind.RecvSyncEnd
            or EventKind.ThreadStart or EventKind.Exit || (e.Kind == EventKind.SyncRequest && e.Actor.Kind == ActorKind.Migration));
        Count("other step", "other steps", rest);
        var outstanding = steps[to].WhatChanged.Contains("outstanding:", StringComparison.Ordinal) ? "; " + steps[to].WhatChanged[steps[to].WhatChanged.IndexOf("outstanding:", StringComparison.Ordinal)..] : "";
        return (things.Count == 0 ? "nothing of note" : string.Join(", ", things)) + outstanding;
    }
}
