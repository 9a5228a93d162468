using SyncModel.Protocol.Vocabulary;
using SyncModel.Coyote.Exploration;
using SyncModel.Coyote.Scenarios;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;
using Xunit.Abstractions;

namespace SyncModel.Properties.Coyote;

/// <summary>
/// Hand-offs through shared fields are interleaving points: with <see cref="Mutation.JobDoneBeforeReset"/> a channel
/// clears <c>pending_job</c> before it empties its batch or chunk, and only a thread switch between those two field writes
/// lets the main thread hand it a new job while it still holds the old one. Exploration finds it on both sides; with the
/// Volatile/Interlocked scheduling points off it cannot, whatever the budget (there is no scheduling point in between).
/// </summary>
[Collection(CoyoteCollection.Name)]
public sealed class FieldInterleavingTests(ITestOutputHelper output)
{
    private const uint Budget = 400;

    [Theory]
    [InlineData(ScenarioKind.Save, "still holds a batch")]
    [InlineData(ScenarioKind.Load, "still holds a chunk")]
    public void A_bug_that_needs_a_switch_between_two_field_writes_is_found(ScenarioKind kind, string message)
    {
        var scenario = Scenario.Small(Qemu100MappedRam.Instance, FlushSetting.Off, kind: kind, mutations: Mutation.JobDoneBeforeReset);

        var result = Explorer.Explore(scenario, "pct", seed: 1, Budget);

        output.WriteLine($"{scenario}: {result.Verdict} {result.Property} at iteration {result.FirstBugIteration}");
        Assert.Equal(VerdictKind.Violated, result.Verdict);
        Assert.Equal(PropertyId.SemaphoreAccounting, result.Property);
        Assert.Contains(message, result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(ScenarioKind.Save)]
    [InlineData(ScenarioKind.Load)]
    public void Without_field_scheduling_points_the_same_bug_is_out_of_reach(ScenarioKind kind)
    {
        var scenario = Scenario.Small(Qemu100MappedRam.Instance, FlushSetting.Off, kind: kind, mutations: Mutation.JobDoneBeforeReset);

        var result = Explorer.Explore(scenario, "pct", seed: 1, Budget, interleaveFields: false);

        Assert.True(result.Verdict == VerdictKind.NoViolation, $"{result.Property}: {result.Message}");
        Assert.Equal(Budget, result.Iterations);
    }
}
