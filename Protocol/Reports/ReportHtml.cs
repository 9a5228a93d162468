using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using SyncModel.Protocol.Vocabulary;

namespace SyncModel.Protocol.Reports;

/// <summary>
/// A <see cref="Report"/> as one self-contained HTML page (docs/reports.md): the summary, the commands, the workload and
/// configuration, and the trace with one lane per thread, the causal slice highlighted and the violating step marked.
/// The report's JSON (<see cref="ReportJson"/>) is embedded; a small script steps through the trace from the keyboard and
/// shows the state as of the current step. Without the script the page is a plain table of every step and its changes.
/// Nothing is loaded from anywhere: the style sheet and the script are inline (Reports/Viewer/*).
/// </summary>
public static class ReportHtml
{
    /// <summary>The whole page.</summary>
    public static string Render(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var sb = new StringBuilder(16 * 1024 + report.Steps.Count * 600);
        sb.Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
          .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
          .Append("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; base-uri 'none'; form-action 'none'\">\n")
          .Append("<meta name=\"generator\" content=\"SyncModel report schema ").Append(Report.SchemaVersion.ToString(Inv)).Append("\">\n")
          .Append("<title>").Append(H(report.Title)).Append("</title>\n<style>\n").Append(Style).Append("</style>\n</head>\n<body>\n")
          .Append("<a class=\"skip\" href=\"#trace\">Skip to the trace</a>\n");
        Summary(sb, report);
        sb.Append("<main>\n");
        Property(sb, report);
        Commands(sb, report);
        Run(sb, report);
        ReportHtmlTrace.Write(sb, report);
        sb.Append("</main>\n");
        sb.Append("<footer><p>Report ").Append(H(ReportWriter.BaseName(report))).Append(", made ")
          .Append(report.Created.ToString("yyyy-MM-dd", Inv)).Append(" by SyncModel; the same report as JSON is embedded in this page (<code>#report-data</code>).</p></footer>\n");
        sb.Append("<script type=\"application/json\" id=\"report-data\">").Append(ScriptData(Compact(ReportJson.Render(report)))).Append("</script>\n")
          .Append("<script>\n").Append(Script).Append("</script>\n</body>\n</html>\n");
        return sb.ToString();
    }

    /// <summary>
    /// JSON made safe inside a <c>&lt;script&gt;</c> element: every <c>&lt;</c> (it occurs only inside strings) becomes
    /// <c>\u003c</c>, so neither <c>&lt;/script</c> nor <c>&lt;!--</c> can end or confuse the element.
    /// </summary>
    public static string ScriptData(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        return json.Replace("<", "\\u003c", StringComparison.Ordinal);
    }

    /// <summary>The JSON without indentation (Utf8JsonWriter's default encoder also escapes &lt;, &gt;, &amp; and quotes).</summary>
    private static string Compact(string json)
    {
        using var doc = JsonDocument.Parse(json);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream)) doc.WriteTo(w);
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void Summary(StringBuilder sb, Report report)
    {
        sb.Append("<header>\n<p class=\"kicker\">SyncModel counterexample · found by ")
          .Append(report.Source == ReportSource.Coyote ? "Coyote, over the production code" : "the model's exhaustive search").Append("</p>\n")
          .Append("<h1>").Append(H(report.Title)).Append("</h1>\n")
          .Append("<p class=\"verdict\" id=\"verdict\">").Append(H(report.Verdict)).Append("</p>\n</header>\n");
    }

    private static void Property(StringBuilder sb, Report report)
    {
        var property = PropertyCatalog.Of(report.Property);
        sb.Append("<section aria-labelledby=\"h-property\">\n<h2 id=\"h-property\">Property</h2>\n")
          .Append("<p id=\"property\"><strong class=\"pid\">").Append(H(report.Property.ToString())).Append("</strong> — ")
          .Append(H(property.Statement)).Append(" <span class=\"muted\">(").Append(H(property.Sources)).Append(")</span></p>\n")
          .Append("<p class=\"violation-line\" id=\"violation\"><span class=\"flag\">Violation</span> ");
        if (report.ViolationStep is { } at)
        {
            var s = at.ToString(Inv);
            sb.Append("<a href=\"#step-").Append(s).Append("\">at step ").Append(s).Append("</a>");
        }
        else
        {
            sb.Append("<a href=\"#end-of-run\">at the end of the run</a>");
        }
        sb.Append(": ").Append(H(report.Violation)).Append("</p>\n");
        if (report.Failure is { } f) sb.Append("<pre class=\"failure\">").Append(H(f.Describe())).Append("</pre>\n");
        if (report.Notes.Count > 0)
        {
            sb.Append("<ul class=\"notes\">\n");
            foreach (var n in report.Notes) sb.Append("<li>").Append(H(n)).Append("</li>\n");
            sb.Append("</ul>\n");
        }
        sb.Append("</section>\n");
    }

    private static void Commands(StringBuilder sb, Report report)
    {
        sb.Append("<section aria-labelledby=\"h-replay\">\n<h2 id=\"h-replay\">Replay</h2>\n")
          .Append("<pre class=\"command\"><code id=\"replay-command\">").Append(H(report.ReplayCommand)).Append("</code></pre>\n");
        if (report.RerunCommand is { } rerun)
        {
            sb.Append("<p>Find it again from scratch:</p>\n<pre class=\"command\"><code id=\"rerun-command\">")
              .Append(H(rerun)).Append("</code></pre>\n");
        }
        sb.Append("</section>\n");
    }

    private static void Run(StringBuilder sb, Report report)
    {
        sb.Append("<section aria-labelledby=\"h-workload\">\n<h2 id=\"h-workload\">Workload</h2>\n<p id=\"workload\">")
          .Append(H(report.Workload)).Append("</p>\n<p>");
        var length = report.Steps.Count == 0 ? 0 : report.Steps[^1].Index;
        sb.Append("Trace: ").Append(length.ToString(Inv)).Append(" steps");
        if (report.Original is { } o)
        {
            sb.Append(" (minimized from ").Append(o.Steps.ToString(Inv));
            if (o.Schedule is { } os && report.Schedule is { } s)
                sb.Append("; Coyote's schedule from ").Append(os.ToString(Inv)).Append(" to ").Append(s.ToString(Inv)).Append(" decisions");
            sb.Append(')');
        }
        sb.Append("; ").Append(report.Slice.Select(s => s.Index).Distinct().Count().ToString(Inv)).Append(" of them in the causal slice.</p>\n</section>\n");

        sb.Append("<details open id=\"configuration\">\n<summary><h2>Configuration</h2></summary>\n<table class=\"settings\">\n")
          .Append("<thead><tr><th scope=\"col\">setting</th><th scope=\"col\">value</th></tr></thead>\n<tbody>\n");
        void Row(string id, string label, string value)
            => sb.Append("<tr data-setting=\"").Append(H(id)).Append("\"><th scope=\"row\">").Append(H(label)).Append("</th><td>").Append(H(value)).Append("</td></tr>\n");
        foreach (var s in report.Configuration) Row(s.Id, s.Label, s.Value);
        if (report.Seed is not null) Row("seed", "seed", report.Seed);
        if (report.Strategy is not null) Row("strategy", "strategy", report.Strategy);
        sb.Append("</tbody>\n</table>\n</details>\n");
        if (report.Scenario is { } scenario)
        {
            sb.Append("<details id=\"scenario\">\n<summary><h2>Scenario</h2></summary>\n<p>What <code>replay</code> rebuilds the run from.</p>\n<pre>")
              .Append(H(JsonSerializer.Serialize(scenario, ScenarioJson))).Append("</pre>\n</details>\n");
        }
    }

    private static readonly JsonSerializerOptions ScenarioJson = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        // Readable text; the page escapes it as HTML (H).
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>Text for an element's content or a quoted attribute value.</summary>
    internal static string H(string s) => WebUtility.HtmlEncode(s);

    internal static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private static readonly string Style = Resource("report.css");
    private static readonly string Script = Resource("report.js");

    private static string Resource(string name)
    {
        var full = "SyncModel.Protocol.Reports.Viewer." + name;
        using var stream = typeof(ReportHtml).Assembly.GetManifestResourceStream(full)
            ?? throw new InvalidOperationException($"the viewer's {name} is not embedded in {typeof(ReportHtml).Assembly.GetName().Name}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return reader.ReadToEnd();
    }
}
