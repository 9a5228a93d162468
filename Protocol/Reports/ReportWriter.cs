namespace SyncModel.Protocol.Reports;

/// <summary>The files a report was written to.</summary>
public sealed record ReportFiles(string MarkdownPath, string JsonPath, string HtmlPath);

/// <summary>Writes <c>&lt;dir&gt;/&lt;variant&gt;-&lt;property&gt;-&lt;shortid&gt;.md</c>, <c>.json</c> and <c>.html</c>.</summary>
public static class ReportWriter
{
    /// <summary>The file name without extension: variant, property and the trace's short id.</summary>
    public static string BaseName(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return $"{Safe(report.Variant)}-{Safe(report.Property.ToString())}-{ReportRenderer.ShortId(report)}";
    }

    /// <summary>Creates <paramref name="directory"/> if needed and writes the three renderings; an existing file of the same name
    /// is replaced (same name = same trace). Each file is written under a temporary name and renamed, so an interrupted
    /// run never leaves half a report.</summary>
    public static ReportFiles Write(string directory, Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        Directory.CreateDirectory(directory);
        var stem = Path.Combine(directory, BaseName(report));
        var md = stem + ".md";
        var json = stem + ".json";
        var html = stem + ".html";
        AtomicFile.WriteAllText(md, ReportRenderer.Markdown(report));
        AtomicFile.WriteAllText(html, ReportHtml.Render(report));
        AtomicFile.WriteAllText(json, ReportJson.Render(report) + "\n");
        return new ReportFiles(md, json, html);
    }

    private static string Safe(string s)
    {
        var chars = s.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_').ToArray();
        return new string(chars);
    }
}
