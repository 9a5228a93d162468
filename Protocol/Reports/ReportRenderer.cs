using System.Globalization;
using System.Text;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;
using SyncModel.Protocol.Vocabulary;

namespace SyncModel.Protocol.Reports;

/// <summary>
/// Renders a <see cref="Report"/> the way docs/design.md "Reports" asks: the configuration first, the verdict in one
/// sentence, the workload, the trace as a table (step, actor, event, what changed), a Mermaid
/// <c>sequenceDiagram</c> with one lifeline per thread, and the command that replays it. Also as JSON
/// (<see cref="ReportJson"/>) and as a stable short id for file names.
/// </summary>
public static class ReportRenderer
{
    /// <summary>
    /// The whole report as GitHub/GitLab Markdown: configuration; verdict, the property's statement and the violation; the
    /// workload; the causal slice (the steps the violation depends on, the others collapsed into summary lines) and its
    /// sequence diagram; the full trace; the commands that replay and rerun it.
    /// </summary>
    public static string Markdown(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var inv = CultureInfo.InvariantCulture;
        var sb = new StringBuilder();
        sb.Append("# ").Append(report.Title).Append("\n\n");

        sb.Append("## Configuration\n\n| setting | value |\n|---|---|\n");
        foreach (var s in report.Configuration)
            sb.Append("| ").Append(Cell(s.Label)).Append(" | ").Append(Cell(s.Value)).Append(" |\n");
        if (report.Seed is not null) sb.Append("| seed | ").Append(Cell(report.Seed)).Append(" |\n");
        if (report.Strategy is not null) sb.Append("| strategy | ").Append(Cell(report.Strategy)).Append(" |\n");
        sb.Append("| found by | ").Append(report.Source == ReportSource.Coyote ? "Coyote, over the production code" : "the model's exhaustive search").Append(" |\n");

        var property = PropertyCatalog.Of(report.Property);
        sb.Append("\n## Verdict\n\n").Append(report.Verdict).Append('\n');
        sb.Append("\n**").Append(report.Property).Append("** — ").Append(property.Statement).Append(" (").Append(property.Sources).Append(")\n");
        sb.Append("\nViolation ").Append(report.ViolationStep is { } at ? $"at step {at.ToString(inv)}" : "at the end of the run")
          .Append(": ").Append(report.Violation).Append('\n');
        if (report.Failure is { } f)
            sb.Append("\n```\n").Append(f.Describe()).Append("\n```\n");
        if (report.Notes.Count > 0)
        {
            sb.Append('\n');
            foreach (var n in report.Notes) sb.Append("- ").Append(n).Append('\n');
        }

        sb.Append("\n## Workload\n\n").Append(report.Workload).Append('\n');
        var length = report.Steps.Count == 0 ? 0 : report.Steps[^1].Index;
        sb.Append("\nTrace: ").Append(length.ToString(inv)).Append(" steps");
        if (report.Original is { } o)
        {
            sb.Append(" (minimized from ").Append(o.Steps.ToString(inv));
            if (o.Schedule is { } os && report.Schedule is { } s) sb.Append("; Coyote's schedule from ").Append(os.ToString(inv)).Append(" to ").Append(s.ToString(inv)).Append(" decisions");
            sb.Append(')');
        }
        sb.Append("; ").Append(report.Slice.Select(s => s.Index).Distinct().Count().ToString(inv)).Append(" of them in the causal slice.\n");

        sb.Append("\n## The steps the violation depends on\n\n| step | actor | event | what changed |\n|---:|---|---|---|\n");
        var collapsed = ReportTrace.Collapsed(report.Steps).ToDictionary(c => c.From);
        var socket = IsSocket(report);
        foreach (var step in report.Steps)
        {
            if (collapsed.TryGetValue(step.Index, out var run) && !step.InSlice)
            {
                var range = run.From == run.To ? $"{run.From.ToString(inv)}" : $"{run.From.ToString(inv)}–{run.To.ToString(inv)}";
                sb.Append("| ").Append(range).Append(" | | *").Append(Cell(run.Text)).Append("* | |\n");
                collapsed.Remove(step.Index);
            }
            if (!step.InSlice) continue;
            sb.Append("| ").Append(step.Index.ToString(inv)).Append(" | ").Append(step.Event.Actor)
              .Append(" | ").Append(Cell(EventText(step.Event))).Append(" | ").Append(Cell(step.WhatChanged)).Append(" |\n");
        }

        sb.Append("\n## Sequence diagram (the slice)\n\n```mermaid\n").Append(Mermaid(report)).Append("```\n");

        sb.Append("\n## Full trace\n\n| step | actor | event | what changed | state |\n|---:|---|---|---|---|\n");
        foreach (var step in report.Steps)
        {
            sb.Append("| ").Append(step.Index.ToString(inv)).Append(step.InSlice ? " ●" : "")
              .Append(" | ").Append(step.Event.Actor)
              .Append(" | ").Append(Cell(EventText(step.Event)))
              .Append(" | ").Append(Cell(step.WhatChanged))
              .Append(" | ").Append(Cell(string.Join(", ", step.Changes.Select(c => $"{c.Cell}={c.Value}")))).Append(" |\n");
        }
        sb.Append("\n● = in the causal slice.\n");

        sb.Append("\n## Replay\n\n```\n").Append(report.ReplayCommand).Append("\n```\n");
        if (report.RerunCommand is { } rerun) sb.Append("\nFind it again from scratch:\n\n```\n").Append(rerun).Append("\n```\n");
        return sb.ToString();
    }

    /// <summary>The causal slice as a Mermaid <c>sequenceDiagram</c>: messages between threads for posts and hand-overs, notes
    /// for the rest; every run of steps outside the slice is one note.</summary>
    public static string Mermaid(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var participants = Participants(report);
        var sb = new StringBuilder("sequenceDiagram\n");
        foreach (var a in participants) sb.Append("  participant ").Append(a).Append('\n');
        var collapsed = ReportTrace.Collapsed(report.Steps).ToDictionary(c => c.From);
        var socket = IsSocket(report);
        foreach (var step in report.Steps)
        {
            if (!step.InSlice)
            {
                if (collapsed.Remove(step.Index, out var run) && participants.Count > 0)
                    sb.Append("  Note over ").Append(participants[0]).Append(',').Append(participants[^1]).Append(": ")
                      .Append(Sanitize(run.From == run.To ? $"step {run.From}: {run.Text}" : $"steps {run.From}-{run.To}: {run.Text}")).Append('\n');
                continue;
            }
            var e = step.Event;
            var text = Sanitize(step.Index.ToString(CultureInfo.InvariantCulture) + " " + EventText(e));
            if (socket && Packet(e) is { } packet && participants.Contains(packet.To))
            {
                // On a socket a write is a packet into the channel's connection, a stream record goes to the destination.
                sb.Append("  ").Append(e.Actor).Append(e.Actor.Kind == ActorKind.Sender ? "-->>" : "->>").Append(packet.To).Append(": ")
                  .Append(Sanitize($"{step.Index.ToString(CultureInfo.InvariantCulture)} {packet.Label}")).Append('\n');
                if (e.Kind != EventKind.SyncAck) continue;
            }
            var other = Other(e);
            if (other is { } t && participants.Contains(t) && IsMessage(e))
            {
                var arrow = e.Actor.Kind is ActorKind.Sender or ActorKind.Receiver ? "-->>" : "->>";
                sb.Append("  ").Append(e.Actor).Append(arrow).Append(t).Append(": ").Append(text).Append('\n');
            }
            else if (other is { } u && participants.Contains(u))
            {
                sb.Append("  Note over ").Append(e.Actor).Append(',').Append(u).Append(": ").Append(text).Append('\n');
            }
            else
            {
                sb.Append("  Note over ").Append(e.Actor).Append(": ").Append(text).Append('\n');
            }
        }
        return sb.ToString();
    }

    /// <summary>A short id that depends only on the variant, the property, the configuration and the trace, so a rerun names
    /// the same file and two configurations with the same trace do not overwrite each other. (Not the replay command: a
    /// Coyote report's names the file itself.)</summary>
    public static string ShortId(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var hash = 14695981039346656037UL;
        void Mix(string s)
        {
            foreach (var b in Encoding.UTF8.GetBytes(s))
            {
                hash ^= b;
                hash *= 1099511628211UL;
            }
            hash ^= 0xff;
            hash *= 1099511628211UL;
        }
        Mix(report.Variant);
        Mix(report.Property.ToString());
        foreach (var c in report.Configuration) Mix(c.Id + "=" + c.Value);
        foreach (var s in report.Steps) Mix(s.Index.ToString(CultureInfo.InvariantCulture) + " " + s.Event);
        return (hash & 0xffffffffUL).ToString("x8", CultureInfo.InvariantCulture);
    }

    /// <summary>The event without its actor prefix: "WriteEnd batch=3 b0:p128+128".</summary>
    public static string EventText(in TraceEvent e)
    {
        var full = e.ToString();
        var prefix = e.Actor + " ";
        return full.StartsWith(prefix, StringComparison.Ordinal) ? full[prefix.Length..] : full;
    }

    /// <summary>The other thread an event concerns, if any: the channel a main thread posts to or waits for, or the
    /// main thread a channel posts to.</summary>
    private static Actor? Other(in TraceEvent e) => e.Actor.Kind switch
    {
        ActorKind.Migration when e.Channel >= 0 => Actor.Sender(e.Channel),
        ActorKind.Destination when e.Channel >= 0 => Actor.Receiver(e.Channel),
        ActorKind.Sender when e.Kind == EventKind.SyncAck || (e.Kind == EventKind.Exit && e.Error is not null) => Actor.Migration,
        ActorKind.Receiver when e.Kind == EventKind.SyncPost => Actor.Destination,
        _ => null,
    };

    /// <summary>A socket migration's report (its policy's transport): its writes are packets between the two sides.</summary>
    private static bool IsSocket(Report report)
    {
        var name = report.Configuration.Where(c => c.Id == "policy").Select(c => c.Value).FirstOrDefault();
        return SyncPolicies.All.FirstOrDefault(p => p.Name == name)?.Transport == Transport.Socket;
    }

    /// <summary>What a socket event puts on the wire, and for whom: a send thread's page packet or SYNC packet to its recv
    /// thread, a stream record of the migration thread to the destination.</summary>
    private static (Actor To, string Label)? Packet(in TraceEvent e) => (e.Actor.Kind, e.Kind) switch
    {
        (ActorKind.Sender, EventKind.WriteEnd) => (Actor.Receiver(e.Actor.Index), $"packet {EventText(e)}"),
        (ActorKind.Sender, EventKind.SyncAck) => (Actor.Receiver(e.Actor.Index), "SYNC packet"),
        (ActorKind.Migration, EventKind.StreamFlag) => (Actor.Destination, EventText(e)),
        _ => null,
    };

    /// <summary>Posts and hand-overs are arrows; a main thread waiting for a channel is a note spanning both.</summary>
    private static bool IsMessage(in TraceEvent e) => e.Kind is not (EventKind.SyncWait or EventKind.SyncDone);

    /// <summary>The run's threads, the participants and every actor of a step, in lane order.</summary>
    internal static List<Actor> Participants(Report report)
    {
        var list = new List<Actor>(report.Participants);
        foreach (var s in report.Steps)
        {
            if (!list.Contains(s.Event.Actor)) list.Add(s.Event.Actor);
        }
        list.Sort((x, y) => LaneOrder(x).CompareTo(LaneOrder(y)));
        return list;
    }

    /// <summary>The lanes' order: main, send0.., guest, dest, recv0...</summary>
    public static int LaneOrder(Actor a) => a.Kind switch
    {
        ActorKind.Migration => 0,
        ActorKind.Sender => 1000 + a.Index,
        ActorKind.Guest => 2000,
        ActorKind.Destination => 3000,
        _ => 4000 + a.Index,
    };

    /// <summary>What a lane is, in words: "send channel 0", "destination main thread".</summary>
    public static string LaneLabel(Actor a) => a.Kind switch
    {
        ActorKind.Migration => "source migration thread",
        ActorKind.Sender => $"send channel {a.Index}",
        ActorKind.Guest => "guest vCPUs",
        ActorKind.Destination => "destination main thread",
        _ => $"recv channel {a.Index}",
    };

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", "<br/>", StringComparison.Ordinal);

    private static string Sanitize(string s) => s.Replace(";", ",", StringComparison.Ordinal)
        .Replace("#", "no.", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
