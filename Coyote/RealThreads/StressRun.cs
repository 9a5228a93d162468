using System.Diagnostics;
using SyncModel.Coyote.Scenarios;
using SyncModel.Protocol.Checking;
using SyncModel.Protocol.Events;

namespace SyncModel.Coyote.RealThreads;

/// <summary>
/// The same scenario on real threads, without Coyote, over and over for a fixed time: what plain stress
/// testing finds. A run counts as finding the bug when a checker fires or when it stops making progress
/// (a hang; its threads are background threads and are left behind).
/// </summary>
public static class StressRun
{
    public sealed record Result(int Runs, int Found, PropertyId? FirstProperty, double? SecondsToFirst);

    /// <summary>Runs <paramref name="scenario"/> on real threads again and again for <paramref name="duration"/>; a run counts as found
    /// when it breaks <paramref name="property"/> (any property when null).</summary>
    public static Result Stress(Scenario scenario, TimeSpan duration, TimeSpan stall, PropertyId? property = null)
    {
        var saved = scenario.Kind == ScenarioKind.Load ? ScenarioRun.PreSave(scenario) : null;
        var watch = Stopwatch.StartNew();
        int runs = 0, found = 0;
        PropertyId? first = null;
        double? firstAt = null;
        while (watch.Elapsed < duration)
        {
            Violation? violation = null;
            var record = new IterationRecord();
            var outcome = StalledRun.Run(
                () => ScenarioRun.Iteration(scenario, saved, record, v => violation ??= v),
                () => record.Monitor?.Count ?? 0,
                () => record.Events,
                stall);
            runs++;
            // The first property broken: a checker that fired before the run went on to hang names it.
            var broken = violation?.Property ?? (outcome.HangReport is not null ? PropertyId.NoDeadlock : null);
            if (broken is null || property is not null && broken != property) continue;
            found++;
            first ??= broken;
            firstAt ??= watch.Elapsed.TotalSeconds;
        }
        return new Result(runs, found, first, firstAt);
    }
}
