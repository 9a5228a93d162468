using System.CommandLine;
using SyncModel.Coyote.Exploration;
using SyncModel.Coyote.Scenarios;
using SyncModel.Protocol.Config;

namespace SyncModel.Cli.Commands;

/// <summary><c>syncmodel explore</c>: Coyote explores thread interleavings of the production code.</summary>
public static class ExploreCommand
{
    public static Command Create()
    {
        var policy = CommonOptions.Policy("qemu-10.0-mapped-ram");
        var flush = CommonOptions.Flush();
        var channels = CommonOptions.Channels();
        var kind = new Option<ScenarioKind>("--scenario") { Description = "save, load or save-then-load", DefaultValueFactory = _ => ScenarioKind.SaveThenLoad };
        var iterations = new Option<uint>("--iterations") { DefaultValueFactory = _ => 1000 };
        var strategy = new Option<string>("--strategy") { DefaultValueFactory = _ => "pct" };
        var seed = new Option<uint>("--seed") { DefaultValueFactory = _ => 1 };
        var errors = new Option<string>("--errors") { DefaultValueFactory = _ => "none" };
        var cmd = new Command("explore", "explore thread interleavings of the implementation with Coyote") { policy, flush, channels, kind, iterations, strategy, seed, errors };
        cmd.SetAction(r => CliRun.Guard(() =>
        {
            var s = Scenario.Small(CommonOptions.ParsePolicy(r.GetValue(policy)!), FlushSetting.Parse(r.GetValue(flush)!), r.GetValue(channels), r.GetValue(kind), ErrorSidesText.Parse(r.GetValue(errors)!));
            var res = Explorer.Explore(s, r.GetValue(strategy)!, r.GetValue(seed), r.GetValue(iterations));
            Console.WriteLine($"{s}: {res.Verdict} {res.Property} iterations={res.Iterations} ({res.IterationsPerSecond:F0}/s) first={res.FirstBugIteration} steps/it={Explorer.Steps} {res.Message}");
            foreach (var e in res.Trace) Console.WriteLine("  " + e);
            return res.Verdict == "holds" ? CliRun.Ok : CliRun.Failed;
        }));
        return cmd;
    }
}
