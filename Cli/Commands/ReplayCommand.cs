using System.CommandLine;
using SyncModel.Coyote.Exploration;
using SyncModel.Protocol.Reports;

namespace SyncModel.Cli.Commands;

/// <summary><c>syncmodel replay REPORT.json</c>: re-runs Coyote's recorded schedule and prints the same trace.</summary>
public static class ReplayCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("REPORT") { Description = "an exploration report (reports/*.json with its .trace beside it)" };
        var json = CommonOptions.Json();
        var original = new Option<bool>("--original") { Description = "replay the schedule first found (.original.trace) instead of its minimization" };
        var cmd = new Command("replay", "re-run the schedule a report recorded and print its trace") { input, original, json };
        cmd.SetAction(r => CliRun.Guard(() =>
        {
            var path = r.GetValue(input)!;
            RewriteCheck.ThrowIfNotRewritten();
            var first = r.GetValue(original);
            var (scenario, trace, property, recorded) = CoyoteReports.Read(path, first);
            var (found, bug, events) = Explorer.Replay(scenario, trace);
            var steps = TraceNarrator.Narrate(events, packets: scenario.Policy.Transport == SyncModel.Protocol.Policies.Transport.Socket);
            // The original schedule is checked for its property only: the report narrates the minimized run.
            var same = found == property && (first || recorded.SequenceEqual(steps.Select(s => ReportRenderer.EventText(s.Event))));
            if (r.GetValue(json))
            {
                Json.Print(new { report = path, original = first, scenario = scenario.ToString(), property = found?.ToString(), reproduced = same, bug, steps = steps.Select(s => new { index = s.Index, actor = s.Event.Actor.ToString(), @event = ReportRenderer.EventText(s.Event), whatChanged = s.WhatChanged }) });
            }
            else
            {
                Console.WriteLine($"replaying {scenario} from {path}{(first ? " (the schedule first found)" : "")}");
                foreach (var s in steps) Console.WriteLine($"{s.Index,4}  {s.Event.Actor,-6} {ReportRenderer.EventText(s.Event),-40} {s.WhatChanged}");
                Console.WriteLine($"verdict: {(bug is null ? "no bug" : $"{found}: {bug}")}");
                Console.WriteLine(same ? first ? "reproduced: same property as the report" : "reproduced: same property, same trace as the report" : $"NOT reproduced: the report says {property}");
            }
            return same ? CliRun.Ok : CliRun.Failed;
        }));
        return cmd;
    }
}
