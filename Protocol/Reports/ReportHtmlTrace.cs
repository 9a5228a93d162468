using System.Text;
using SyncModel.Protocol.Events;
using static SyncModel.Protocol.Reports.ReportHtml;

namespace SyncModel.Protocol.Reports;

/// <summary>
/// The trace part of <see cref="ReportHtml"/>: the controls, a table with one column (lane) per thread and one row per
/// step in its actor's lane, a summary row before each run of steps outside the slice, and the state panel the script
/// fills. Hooks for the script and for tests: <c>data-row</c> (position), <c>data-step</c> (step number), <c>data-run</c>
/// (the run outside the slice a row belongs to), classes <c>step</c>, <c>in-slice</c>, <c>violation</c> and <c>run</c>.
/// </summary>
internal static class ReportHtmlTrace
{
    public static void Write(StringBuilder sb, Report report)
    {
        var lanes = ReportRenderer.Participants(report);
        var steps = report.Steps;
        var violating = ViolatingRow(report);
        sb.Append("<section id=\"viewer\" aria-labelledby=\"h-trace\">\n<h2 id=\"h-trace\">Trace</h2>\n")
          .Append("<p class=\"legend\"><span class=\"key-slice\">●</span> in the causal slice (the violation depends on the step) · ")
          .Append("<span class=\"flag\">✖ violation</span> where the property broke</p>\n");
        Controls(sb, steps.Count == 0 ? 0 : steps[^1].Index);
        sb.Append("<div class=\"viewer\">\n<div class=\"trace-wrap\">\n<table id=\"trace\">\n")
          .Append("<caption class=\"sr-only\">Every step of the run; each column is a thread</caption>\n<thead><tr><th scope=\"col\" class=\"n\">step</th>");
        foreach (var lane in lanes)
            sb.Append("<th scope=\"col\" data-lane=\"").Append(lane).Append("\" title=\"").Append(H(ReportRenderer.LaneLabel(lane))).Append("\">").Append(lane).Append("</th>");
        sb.Append("</tr></thead>\n<tbody>\n");

        var runs = ReportTrace.Collapsed(steps);
        var run = -1;
        var seen = new HashSet<int>();
        for (var i = 0; i < steps.Count; i++)
        {
            var step = steps[i];
            if (!step.InSlice && (i == 0 || steps[i - 1].InSlice) && run + 1 < runs.Count)
            {
                run++;
                RunRow(sb, run, runs[run], lanes.Count);
            }
            var id = seen.Add(step.Index) ? $" id=\"step-{step.Index.ToString(Inv)}\"" : "";
            StepRow(sb, i, step, step.InSlice ? -1 : run, i == violating, id, lanes);
        }
        if (report.ViolationStep is null)
        {
            sb.Append("<tr id=\"end-of-run\" class=\"end violation\"><th scope=\"row\">end</th><td colspan=\"").Append(lanes.Count.ToString(Inv))
              .Append("\"><span class=\"flag\">✖ violation</span> after the last step: ").Append(H(report.Violation)).Append("</td></tr>\n");
        }
        sb.Append("</tbody>\n</table>\n</div>\n")
          .Append("<aside id=\"state\" aria-labelledby=\"h-state\">\n<h2 id=\"h-state\">State</h2>\n")
          .Append("<p class=\"nojs\">The state panel needs JavaScript; the cells each step changed are listed in its row.</p>\n</aside>\n</div>\n</section>\n");
    }

    /// <summary>The row where the property broke: the last one of its step; none when it broke at the end of the run.</summary>
    private static int ViolatingRow(Report report)
    {
        if (report.ViolationStep is not { } at) return -1;
        for (var i = report.Steps.Count - 1; i >= 0; i--)
        {
            if (report.Steps[i].Index <= at) return i;
        }
        return -1;
    }

    private static void Controls(StringBuilder sb, int length)
    {
        sb.Append("<div id=\"controls\" hidden>\n<div class=\"buttons\" role=\"toolbar\" aria-label=\"Step through the trace\">")
          .Append(Button("first", "Home", "First"))
          .Append(Button("previous", "ArrowLeft k", "Previous"))
          .Append(Button("next", "ArrowRight j", "Next"))
          .Append(Button("last", "End", "Last"))
          .Append(Button("violation", "v", "Violation"))
          .Append("<button type=\"button\" data-action=\"slice\" aria-keyshortcuts=\"s\" aria-pressed=\"false\">Slice only</button>")
          .Append("</div>\n<p id=\"status\" role=\"status\">Step <output id=\"current-step\">–</output> of ").Append(length.ToString(Inv))
          .Append(" · <span id=\"current-event\"></span></p>\n")
          .Append("<p class=\"keys\">Keys: <kbd>→</kbd>/<kbd>j</kbd> next, <kbd>←</kbd>/<kbd>k</kbd> previous, <kbd>Home</kbd>/<kbd>End</kbd> first/last, ")
          .Append("<kbd>v</kbd> the violating step, <kbd>s</kbd> only the slice. Click a row to go to it.</p>\n</div>\n");
    }

    private static string Button(string action, string keys, string text)
        => $"<button type=\"button\" data-action=\"{action}\" aria-keyshortcuts=\"{keys}\">{text}</button>";

    private static void RunRow(StringBuilder sb, int run, (int From, int To, string Text) r, int lanes)
    {
        var range = r.From == r.To ? r.From.ToString(Inv) : $"{r.From.ToString(Inv)}–{r.To.ToString(Inv)}";
        sb.Append("<tr class=\"run\" data-run=\"").Append(run.ToString(Inv)).Append("\" data-from=\"").Append(r.From.ToString(Inv))
          .Append("\" data-to=\"").Append(r.To.ToString(Inv)).Append("\" hidden><th scope=\"row\">").Append(range).Append("</th><td colspan=\"")
          .Append(lanes.ToString(Inv)).Append("\"><button type=\"button\" aria-expanded=\"false\">")
          .Append(r.From == r.To ? "step " : "steps ").Append(range).Append(" outside the slice: ").Append(H(r.Text)).Append("</button></td></tr>\n");
    }

    private static void StepRow(StringBuilder sb, int row, ReportStep step, int run, bool violation, string id, List<Actor> lanes)
    {
        var actor = step.Event.Actor;
        sb.Append("<tr").Append(id).Append(" class=\"step").Append(step.InSlice ? " in-slice" : "").Append(violation ? " violation" : "")
          .Append("\" data-row=\"").Append(row.ToString(Inv)).Append("\" data-step=\"").Append(step.Index.ToString(Inv))
          .Append("\" data-actor=\"").Append(actor);
        if (run >= 0) sb.Append("\" data-run=\"").Append(run.ToString(Inv));
        sb.Append("\"><th scope=\"row\">").Append(step.Index.ToString(Inv));
        if (step.InSlice) sb.Append(" <span class=\"key-slice\" title=\"in the causal slice\">●</span>");
        sb.Append("</th>");
        foreach (var lane in lanes)
        {
            if (lane != actor)
            {
                sb.Append("<td></td>");
                continue;
            }
            sb.Append("<td class=\"ev\"><span class=\"who\">").Append(actor).Append("</span> <code>").Append(H(ReportRenderer.EventText(step.Event))).Append("</code>");
            if (violation) sb.Append(" <strong class=\"flag\">✖ violation</strong>");
            if (step.WhatChanged.Length > 0) sb.Append("<span class=\"wc\">").Append(H(step.WhatChanged)).Append("</span>");
            if (step.Changes.Count > 0)
            {
                sb.Append("<ul class=\"chg\">");
                foreach (var c in step.Changes) sb.Append("<li>").Append(H(c.Cell)).Append(" = ").Append(H(c.Value)).Append("</li>");
                sb.Append("</ul>");
            }
            sb.Append("</td>");
        }
        sb.Append("</tr>\n");
    }
}
