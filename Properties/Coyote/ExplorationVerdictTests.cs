using SyncModel.Protocol.Events;
using SyncModel.Protocol.Vocabulary;
using SyncModel.Coyote.Exploration;
using SyncModel.Coyote.Scenarios;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;
using SyncModel.Protocol.Reports;
using Xunit.Abstractions;

namespace SyncModel.Properties.Coyote;

/// <summary>
/// What exploration of the production code must find, and not find (issue 4, docs/protocol.md §4 summary), each with a
/// bounded budget; every found bug is written as a report and replayed from it, and must come back the same.
/// </summary>
[Collection(CoyoteCollection.Name)]
public sealed class ExplorationVerdictTests(ITestOutputHelper output)
{
    private const uint BugBudget = 3000;
    private const uint CleanBudget = 150;

    public static TheoryData<string, string, string, string, string> Bugs() => new()
    {
        { "fixed-ram-v4", "on", "SaveThenLoad", "none", "DrainBeforeCleanup" },
        { "fixed-ram-v4", "on", "Load", "none", "DrainBeforeCleanup" },
        { "peterxu-oneshot", "off", "Load", "none", "NoDeadlock" },
        { "peterxu-oneshot", "on", "SaveThenLoad", "none", "NoDeadlock" },
        { "qemu-9.0-mapped-ram", "off", "Load", "dst", "NoDeadlock" },
        { "qemu-10.0-mapped-ram", "off", "Load", "dst", "NoDeadlock" },
    };

    [Theory]
    [MemberData(nameof(Bugs))]
    public void Exploration_finds_the_bug_and_its_report_replays(string policy, string f, string kind, string errors, string property)
    {
        var scenario = Scenario.Small(SyncPolicies.Parse(policy), FlushSetting.Parse(f), kind: Enum.Parse<ScenarioKind>(kind), errors: ErrorSidesText.Parse(errors));
        var result = Explorer.Explore(scenario, "pct", seed: 7, BugBudget);
        output.WriteLine($"{scenario}: {result.Verdict} {result.Property} at iteration {result.FirstBugIteration} ({result.IterationsPerSecond:F0} it/s)");
        Assert.Equal(VerdictKind.Violated, result.Verdict);
        Assert.Equal(property, result.Property?.ToString());

        var dir = Directory.CreateTempSubdirectory("syncmodel-reports-").FullName;
        try
        {
            var json = CoyoteReports.Write(result, dir);
            var (read, trace, recordedProperty, recordedSteps) = CoyoteReports.Read(json);
            Assert.Equal(property, recordedProperty.ToString());
            var (found, bug, events) = Explorer.Replay(read, trace);
            Assert.NotNull(bug);
            Assert.Equal(property, found?.ToString());
            Assert.Equal(recordedSteps, events.Select(e => ReportRenderer.EventText(e)).ToArray());
            var md = File.ReadAllText(Path.ChangeExtension(json, ".md"));
            Assert.Contains("sequenceDiagram", md);
            Assert.Contains("| step | actor | event | what changed |", md);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    public static TheoryData<string, string, string> Clean() => new()
    {
        { "fixed-ram-v4", "off", "SaveThenLoad" },
        { "peterxu-reentrant", "off", "SaveThenLoad" },
        { "peterxu-reentrant", "on", "SaveThenLoad" },
        { "qemu-9.0-mapped-ram", "on", "SaveThenLoad" },
        { "qemu-10.0-mapped-ram", "off", "SaveThenLoad" },
        { "qemu-10.0-mapped-ram", "on", "Save" },
    };

    [Theory]
    [MemberData(nameof(Clean))]
    public void Exploration_finds_nothing_in_a_correct_policy(string policy, string f, string kind)
    {
        var scenario = Scenario.Small(SyncPolicies.Parse(policy), FlushSetting.Parse(f), kind: Enum.Parse<ScenarioKind>(kind));
        var result = Explorer.Explore(scenario, "pct", seed: 11, CleanBudget);
        output.WriteLine($"{scenario}: {result.Verdict} after {result.Iterations} iterations ({result.IterationsPerSecond:F0} it/s)");
        Assert.True(result.Verdict == VerdictKind.NoViolation, $"{result.Property}: {result.Message}");
        Assert.Equal(CleanBudget, result.Iterations);
    }
}
