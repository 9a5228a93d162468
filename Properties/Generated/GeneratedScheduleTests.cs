using SyncModel.Protocol.Events;
using System.Text.Json;
using FsCheck;
using SyncModel.Coyote.Exploration;
using SyncModel.Properties.Coyote;
using SyncModel.Properties.Support;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;
using Xunit.Abstractions;

namespace SyncModel.Properties.Generated;

/// <summary>
/// Workload × schedule: a bounded Coyote exploration per generated workload. The correct policies hold on every
/// schedule explored; the mutations and a known-bad policy fail, and shrink to a small workload. FsCheck drives
/// these (<see cref="FsArbitraries"/>): a case costs a whole exploration and engines run one at a time, so what
/// counts is FsCheck's xunit integration (<c>[Property]</c>, MaxTest, <c>Replay</c>) and a shrinker that takes a
/// few deliberate steps, not CsCheck's fast multi-threaded sampling.
/// </summary>
[Collection(CoyoteCollection.Name)]
public sealed class GeneratedScheduleTests(ITestOutputHelper output)
{
    /// <summary>Workloads per correct policy (F is generated where the policy is correct with both).</summary>
    private const int WorkloadsPerPolicy = 8;

    /// <summary>PCT schedules per workload.</summary>
    private const uint SchedulesPerWorkload = 40;

    /// <summary>
    /// PCT schedules per workload when a mutation must fail and shrink: the missing round sync is a race that every
    /// Volatile/Interlocked scheduling point dilutes (PCT needed about twice the iterations once they were added), and a
    /// shrink candidate counts only if its schedules still meet it.
    /// </summary>
    private const uint MutationSchedulesPerWorkload = 120;

    /// <summary>
    /// Generated workloads a mutation gets before the property must have failed. About one workload in ten
    /// exposes the missing round sync within its schedules, so 100 leave a miss at odds of 0.9^100.
    /// </summary>
    private const int MutationWorkloads = 100;

    [SeededProperty(MaxTest = WorkloadsPerPolicy, QuietOnSuccess = false)]
    public Property No_schedule_of_a_generated_workload_breaks_fixed_ram_v4() => Holds(FixedRamV4.Instance, nameof(No_schedule_of_a_generated_workload_breaks_fixed_ram_v4));

    [SeededProperty(MaxTest = WorkloadsPerPolicy, QuietOnSuccess = false)]
    public Property No_schedule_of_a_generated_workload_breaks_peterxu_reentrant() => Holds(PeterXuReentrant.Instance, nameof(No_schedule_of_a_generated_workload_breaks_peterxu_reentrant));

    [SeededProperty(MaxTest = WorkloadsPerPolicy, QuietOnSuccess = false)]
    public Property No_schedule_of_a_generated_workload_breaks_qemu_9_0() => Holds(Qemu90MappedRam.Instance, nameof(No_schedule_of_a_generated_workload_breaks_qemu_9_0));

    [SeededProperty(MaxTest = WorkloadsPerPolicy, QuietOnSuccess = false)]
    public Property No_schedule_of_a_generated_workload_breaks_qemu_10_0() => Holds(Qemu100MappedRam.Instance, nameof(No_schedule_of_a_generated_workload_breaks_qemu_10_0));

    /// <summary>The property over <paramref name="policy"/> with each F it is correct with (<see cref="Runs.CorrectFilePolicies"/>).</summary>
    private Property Holds(SyncPolicy policy, string test)
    {
        var property = new ScheduleProperty(test, SchedulesPerWorkload, output.WriteLine);
        return property.ForAll(FsArbitraries.ScheduleCases(Runs.CorrectFilePolicies().Where(p => p.Policy == policy).ToList()));
    }

    /// <summary>
    /// The bounds are what "small" means here, set from repeated runs with fresh seeds: ZeroPageBitNotCleared shrank to
    /// 1–2 pages and 2–3 writes in 1–2 rounds; NoRoundSync, a race that shows in a fraction of the schedules, to 1–5
    /// pages and 1–5 writes in 1–2 rounds (the generated RAM has up to 24 pages).
    /// </summary>
    [Theory]
    [InlineData(Mutation.NoRoundSync, "qemu-9.0-mapped-ram", 6, 8)]
    [InlineData(Mutation.ZeroPageBitNotCleared, "qemu-10.0-mapped-ram", 2, 4)]
    public void A_mutation_fails_the_property_and_shrinks_to_a_small_workload(Mutation mutation, string policy, int maxPages, int maxWrites)
    {
        var dir = Directory.CreateTempSubdirectory("syncmodel-generated-").FullName;
        try
        {
            var property = new ScheduleProperty(nameof(A_mutation_fails_the_property_and_shrinks_to_a_small_workload), MutationSchedulesPerWorkload, output.WriteLine, reportDirectory: dir);
            var outcome = property.Check(FsArbitraries.ScheduleCases([(SyncPolicies.Parse(policy), FlushSetting.Off)], mutation), MutationWorkloads);

            Assert.True(outcome.Failure is not null, $"{mutation} survived {outcome.Tests} workloads × {MutationSchedulesPerWorkload} schedules");
            var (shrunk, result, json) = property.LastFailure ?? throw new InvalidOperationException("failed without a recorded case");
            output.WriteLine($"{mutation}: failed after {outcome.Tests} workload(s), {outcome.Shrinks} shrink(s); {property.Workloads} explorations, {property.Schedules} schedules; replay {outcome.Replay}");
            output.WriteLine($"shrunk: {shrunk.Case.SizeText}: {result.Property}");
            output.WriteLine(shrunk.ToString());
            Assert.True(File.Exists(json));
            Assert.InRange(shrunk.Case.PagesWritten, 1, maxPages);
            Assert.InRange(shrunk.Case.Writes, 1, maxWrites);
            Assert.True(shrunk.Case.Rounds >= 1, "a round-sync or zero-page bug needs a live round");
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void A_buggy_policy_is_reported_with_the_minimal_workload()
    {
        // fixed-ram-v4 with F=on: the destination never syncs its recv channels before cleanup (docs/protocol.md §4(a)).
        var dir = Directory.CreateTempSubdirectory("syncmodel-generated-").FullName;
        try
        {
            var property = new ScheduleProperty(nameof(A_buggy_policy_is_reported_with_the_minimal_workload), SchedulesPerWorkload, output.WriteLine, reportDirectory: dir);
            var outcome = property.Check(FsArbitraries.ScheduleCases([(FixedRamV4.Instance, FlushSetting.On)]), MutationWorkloads);

            Assert.NotNull(outcome.Failure);
            var (shrunk, result, json) = property.LastFailure ?? throw new InvalidOperationException("failed without a recorded case");
            output.WriteLine($"shrunk after {outcome.Shrinks} shrink(s) to {shrunk.Case.SizeText}: {shrunk}");
            Assert.Equal(PropertyId.DrainBeforeCleanup, result.Property);
            Assert.InRange(shrunk.Case.PagesWritten, 1, 2);
            Assert.Single(Directory.GetFiles(dir, "*.md"));

            using var report = JsonDocument.Parse(File.ReadAllText(json));
            Assert.Equal(shrunk.Case.Workload.ToString(), report.RootElement.GetProperty("workload").GetString());
            Assert.Contains(outcome.Replay, report.RootElement.GetProperty("replayCommand").GetString());
            Assert.Contains(shrunk.Case.Workload.ToString(), File.ReadAllText(Path.ChangeExtension(json, ".md")));

            var (replayed, bug, _) = Explorer.Replay(shrunk.Scenario, File.ReadAllText(Path.ChangeExtension(json, ".trace")));
            Assert.NotNull(bug);
            Assert.Equal(PropertyId.DrainBeforeCleanup, replayed);
            // The report carries its scenario: syncmodel replay rebuilds this generated run, not a default one.
            var (scenario, trace, readProperty, _) = CoyoteReports.Read(json);
            Assert.Equal(shrunk.Scenario.Workload.ToString(), scenario.Workload.ToString());
            Assert.Equal(shrunk.Scenario.Config with { Blocks = [] }, scenario.Config with { Blocks = [] });
            Assert.Equal(shrunk.Scenario.Config.Blocks, scenario.Config.Blocks);
            var (again, _, _) = Explorer.Replay(scenario, trace);
            Assert.Equal(readProperty, again);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
