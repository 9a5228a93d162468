using System.Globalization;
using SyncModel.Coyote.Exploration;
using SyncModel.Protocol.Reports;

namespace SyncModel.Properties.Generated;

/// <summary>Reports of violations found by the workload × schedule property: the exploration report, with the generated case.</summary>
public static class GeneratedReports
{
    /// <summary>Where a failing property puts the report of its shrunk case when the test names no folder.</summary>
    public static string DefaultDirectory(string test) => Path.Combine(Path.GetTempPath(), "syncmodel-generated-reports", test);

    /// <summary>
    /// <see cref="CoyoteReports.ToReport"/> (its workload is the case's workload) with the settings the default
    /// scenario does not vary, and the command that reruns the property instead of <c>syncmodel explore</c>, which
    /// rebuilds only the default scenario.
    /// </summary>
    public static Report ToReport(ScheduleCase c, ExploreResult r, string rerun)
    {
        var report = CoyoteReports.ToReport(r);
        var perIteration = c.Case.Config.PagesPerIteration;
        return report with
        {
            Configuration =
            [
                .. report.Configuration,
                new("pages per iteration", perIteration == 0 ? "no limit" : perIteration.ToString(CultureInfo.InvariantCulture)),
                new("workload size", c.Case.SizeText),
            ],
            ReplayCommand = rerun,
            Notes =
            [
                .. report.Notes,
                "The workload was generated and then shrunk by the workload × schedule property (Properties/Generated); this is the smallest one it found that still fails.",
                "Coyote's schedule is in the .trace file beside this report: Explorer.Replay with this report's scenario replays it.",
            ],
        };
    }

    /// <summary>Replaces whatever <paramref name="directory"/> holds with this report and its Coyote schedule; returns the JSON path.</summary>
    public static string WriteAlone(string directory, Report report, string? coyoteTrace)
    {
        if (Directory.Exists(directory))
        {
            foreach (var f in Directory.EnumerateFiles(directory)) File.Delete(f);
        }
        var files = ReportWriter.Write(directory, report);
        File.WriteAllText(Path.ChangeExtension(files.JsonPath, ".trace"), coyoteTrace ?? "");
        return files.JsonPath;
    }
}
