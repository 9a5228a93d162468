using SyncModel.Properties.Support;
using SyncModel.Protocol.Reports;

namespace SyncModel.Properties.Reports;

/// <summary><c>reports/README.md</c> is the index <see cref="ReportIndex"/> makes of the folder: one row per report.</summary>
public sealed class ReportIndexTests
{
    private static readonly string Folder = Path.Combine(Repository.Root, "reports");

    [Fact]
    public void The_checked_in_index_is_current()
    {
        var expected = ReportIndex.Markdown(ReportIndex.Read(Folder), name => File.Exists(Path.Combine(Folder, name)));

        Assert.True(expected == File.ReadAllText(Path.Combine(Folder, "README.md")), "reports/README.md is stale: run 'syncmodel reports index'");
    }

    [Fact]
    public void Every_report_has_a_row_with_links_to_its_files()
    {
        var entries = ReportIndex.Read(Folder);
        var index = File.ReadAllText(Path.Combine(Folder, "README.md"));

        Assert.NotEmpty(entries);
        foreach (var e in entries)
        {
            var stem = Path.GetFileNameWithoutExtension(e.JsonFile);
            Assert.Contains($"[json]({stem}.json)", index, StringComparison.Ordinal);
            Assert.Contains($"[md]({stem}.md)", index, StringComparison.Ordinal);
            if (e.Report.Source == ReportSource.Coyote) Assert.Contains($"[trace]({stem}.trace)", index, StringComparison.Ordinal);
        }
        Assert.Contains($"{entries.Count} report(s).", index, StringComparison.Ordinal);
    }

    [Fact]
    public void A_report_of_an_old_schema_is_refused_by_name()
    {
        var dir = Directory.CreateTempSubdirectory("syncmodel-index-").FullName;
        try
        {
            File.WriteAllText(Path.Combine(dir, "old.json"), "{\"kind\": \"syncmodel-report\", \"schemaVersion\": 1}");
            File.WriteAllText(Path.Combine(dir, "explore-results.json"), "{\"kind\": \"syncmodel-explore-results\"}");

            var e = Assert.Throws<FormatException>(() => ReportIndex.Read(dir));
            Assert.Contains("old.json", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
