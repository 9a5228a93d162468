using System.Globalization;
using System.Text;
using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Reports;

/// <summary>
/// Renders a <see cref="Report"/> the way docs/design.md "Reports" asks: the configuration first, the verdict in one
/// sentence, the workload, the trace as a table (step, actor, event, what changed), a Mermaid
/// <c>sequenceDiagram</c> with one lifeline per thread, and the command that replays it. Also as JSON
/// (<see cref="ReportJson"/>) and as a stable short id for file names.
/// </summary>
public static class ReportRenderer
{
    /// <summary>The whole report as GitHub/GitLab Markdown.</summary>
    public static string Markdown(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder();
        sb.Append("# ").Append(report.Title).Append("\n\n");

        sb.Append("## Configuration\n\n| setting | value |\n|---|---|\n");
        foreach (var s in report.Configuration)
            sb.Append("| ").Append(Cell(s.Key)).Append(" | ").Append(Cell(s.Value)).Append(" |\n");
        if (report.Seed is not null) sb.Append("| seed | ").Append(Cell(report.Seed)).Append(" |\n");
        if (report.Strategy is not null) sb.Append("| strategy | ").Append(Cell(report.Strategy)).Append(" |\n");

        sb.Append("\n## Verdict\n\n").Append(report.Verdict).Append('\n');
        if (report.Notes.Count > 0)
        {
            sb.Append('\n');
            foreach (var n in report.Notes) sb.Append("- ").Append(n).Append('\n');
        }

        sb.Append("\n## Workload\n\n").Append(report.Workload).Append('\n');

        sb.Append("\n## Trace\n\n| step | actor | event | what changed |\n|---:|---|---|---|\n");
        foreach (var step in report.Steps)
        {
            sb.Append("| ").Append(step.Index.ToString(CultureInfo.InvariantCulture))
              .Append(" | ").Append(step.Event.Actor)
              .Append(" | ").Append(Cell(EventText(step.Event)))
              .Append(" | ").Append(Cell(step.WhatChanged)).Append(" |\n");
        }

        sb.Append("\n## Sequence diagram\n\n```mermaid\n").Append(Mermaid(report)).Append("```\n");
        sb.Append("\n## Replay\n\n```\n").Append(report.ReplayCommand).Append("\n```\n");
        return sb.ToString();
    }

    /// <summary>The trace as a Mermaid <c>sequenceDiagram</c>: messages between threads for posts and hand-overs, notes for the rest.</summary>
    public static string Mermaid(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var participants = Participants(report);
        var sb = new StringBuilder("sequenceDiagram\n");
        foreach (var a in participants) sb.Append("  participant ").Append(a).Append('\n');
        foreach (var step in report.Steps)
        {
            var e = step.Event;
            var text = Sanitize(step.Index.ToString(CultureInfo.InvariantCulture) + " " + EventText(e));
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

    /// <summary>A short id that depends only on the variant, the property, the command that reruns it and the trace, so a
    /// rerun names the same file and two configurations with the same trace do not overwrite each other.</summary>
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
        Mix(report.Property);
        Mix(report.ReplayCommand);
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

    /// <summary>Posts and hand-overs are arrows; a main thread waiting for a channel is a note spanning both.</summary>
    private static bool IsMessage(in TraceEvent e) => e.Kind is not (EventKind.SyncWait or EventKind.SyncDone);

    private static List<Actor> Participants(Report report)
    {
        var list = new List<Actor>(report.Participants);
        foreach (var s in report.Steps)
        {
            if (!list.Contains(s.Event.Actor)) list.Add(s.Event.Actor);
        }
        list.Sort((x, y) => Order(x).CompareTo(Order(y)));
        return list;
    }

    // main, send0.., guest, dest, recv0..
    private static int Order(Actor a) => a.Kind switch
    {
        ActorKind.Migration => 0,
        ActorKind.Sender => 1000 + a.Index,
        ActorKind.Guest => 2000,
        ActorKind.Destination => 3000,
        _ => 4000 + a.Index,
    };

    private static string Cell(string s) => s.Replace("|", "\\|", StringComparison.Ordinal).Replace("\n", "<br/>", StringComparison.Ordinal);

    private static string Sanitize(string s) => s.Replace(";", ",", StringComparison.Ordinal)
        .Replace("#", "no.", StringComparison.Ordinal).Replace("\n", " ", StringComparison.Ordinal);
}
