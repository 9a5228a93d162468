using SyncModel.Protocol.Vocabulary;
using SyncModel.Coyote.Exploration;
using SyncModel.Coyote.Scenarios;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;
using Xunit.Abstractions;

namespace SyncModel.Properties.Coyote;

/// <summary>
/// ThreadLifetime on the production code: a cleanup that frees a channel before joining its thread is caught on the
/// source and on the destination, by the checker of every run (no site-specific poison), and the same scenario with the
/// right order is clean. Every other exploration test runs the checker too, on every preset.
/// </summary>
[Collection(CoyoteCollection.Name)]
public sealed class ThreadLifetimeTests(ITestOutputHelper output)
{
    private const uint Budget = 300;

    [Theory]
    [InlineData(ScenarioKind.Save)]
    [InlineData(ScenarioKind.Load)]
    [InlineData(ScenarioKind.SaveThenLoad)]
    public void Freeing_a_channel_before_joining_its_thread_is_caught(ScenarioKind kind)
    {
        var scenario = Scenario.Small(Qemu100MappedRam.Instance, FlushSetting.Off, kind: kind, mutations: Mutation.FreeBeforeJoin);

        var result = Explorer.Explore(scenario, "pct", seed: 3, Budget);

        output.WriteLine($"{scenario}: {result.Verdict} {result.Property} at iteration {result.FirstBugIteration}: {result.Message}");
        Assert.Equal(VerdictKind.Violated, result.Verdict);
        Assert.Equal(PropertyId.ThreadLifetime, result.Property);
        Assert.Contains("frees channel", result.Message, StringComparison.Ordinal);
        Assert.Equal(EventKind.Free, result.Trace[^1].Kind);
    }

    [Fact]
    public void The_right_order_is_clean_under_the_same_budget()
    {
        var scenario = Scenario.Small(Qemu100MappedRam.Instance, FlushSetting.Off);

        var result = Explorer.Explore(scenario, "pct", seed: 3, Budget);

        Assert.True(result.Verdict == VerdictKind.NoViolation, $"{result.Property}: {result.Message}");
    }
}
