using SyncModel.Protocol.Policies;
using SyncModel.Coyote.Exploration;
using SyncModel.Protocol.Reports;

namespace SyncModel.Properties.Coyote;

/// <summary>
/// Every Coyote report checked in under <c>reports/</c> still replays: same property, same trace. A change to the
/// production code that moves scheduling points (a new task, a new lock) invalidates recorded schedules; this says
/// which reports to regenerate (<c>syncmodel explore</c>, <c>syncmodel zoo</c>) rather than let README links rot.
/// </summary>
[Collection(CoyoteCollection.Name)]
public sealed class CheckedInReportTests
{
    private static string ReportsDirectory()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SyncModel.sln"))) return Path.Combine(dir.FullName, "reports");
        }
        throw new InvalidOperationException($"no folder holding SyncModel.sln above {AppContext.BaseDirectory}");
    }

    public static TheoryData<string> Reports()
    {
        var data = new TheoryData<string>();
        foreach (var trace in Directory.EnumerateFiles(ReportsDirectory(), "*.trace").Order(StringComparer.Ordinal))
        {
            // x.original.trace is the schedule x.json was minimized from: replayed with the report, not as one.
            if (trace.EndsWith(".original.trace", StringComparison.Ordinal)) continue;
            data.Add(Path.GetFileName(Path.ChangeExtension(trace, ".json")));
        }
        return data;
    }

    [Fact]
    public void The_reports_folder_holds_coyote_reports()
        => Assert.True(Reports().Count >= 13, $"{Reports().Count} Coyote reports under reports/");

    [Theory]
    [MemberData(nameof(Reports))]
    public void A_checked_in_report_replays_its_property_and_trace(string name)
    {
        var (scenario, trace, property, steps) = CoyoteReports.Read(Path.Combine(ReportsDirectory(), name));

        var (found, _, events) = Explorer.Replay(scenario, trace);

        Assert.Equal(property, found);
        Assert.Equal(steps, events.Select(ev => ReportRenderer.EventText(ev)).ToArray());

        // A minimized report keeps the schedule first found: it must still break the same property (replay --original).
        var json = Path.Combine(ReportsDirectory(), name);
        if (!File.Exists(Path.ChangeExtension(json, ".original.trace"))) return;
        var (original, originalTrace, _, _) = CoyoteReports.Read(json, original: true);
        var (foundFirst, _, originalEvents) = Explorer.Replay(original, originalTrace);
        Assert.Equal(property, foundFirst);
        Assert.True(originalEvents.Count >= events.Count, $"the original run ({originalEvents.Count} events) is shorter than the minimized one ({events.Count})");
    }
}
