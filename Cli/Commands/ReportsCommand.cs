using System.CommandLine;
using SyncModel.Protocol.Reports;

namespace SyncModel.Cli.Commands;

/// <summary><c>syncmodel reports index [DIR]</c>: writes the folder's README.md, one row per report.</summary>
public static class ReportsCommand
{
    public static Command Create()
    {
        var dir = new Argument<string>("DIR") { Description = "a reports folder", DefaultValueFactory = _ => "reports" };
        var index = new Command("index", "write DIR/README.md: one row per report (policy, property, source, steps, minimized from, date, links)") { dir };
        index.SetAction(r => CliRun.Guard(() =>
        {
            var (path, count) = ReportIndex.Write(r.GetValue(dir)!);
            Console.WriteLine($"{path}: {count} report(s)");
            return CliRun.Ok;
        }));
        return new Command("reports", "work on a folder of reports") { index };
    }
}
