using SyncModel.Protocol.Vocabulary;
using SyncModel.Coyote.Exploration;
using SyncModel.Coyote.Scenarios;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;
using SyncModel.Protocol.Reports;
using Xunit.Abstractions;

namespace SyncModel.Properties.Coyote;

/// <summary>
/// Exploration of qemu-8.2-socket on the production code (docs/protocol.md §4(a), §5.10): source and destination run
/// together over in-process connections whose buffers hold one packet. Each found bug is written as a report
/// and replayed from it.
/// </summary>
[Collection(CoyoteCollection.Name)]
public sealed class SocketExplorationTests(ITestOutputHelper output)
{
    private const uint BugBudget = 500;
    private const uint CleanBudget = 60;

    private static Scenario Socket(FlushSetting f, Mutation mutations = Mutation.None)
        => Scenario.Small(Qemu82Socket.Instance, f, mutations: mutations);

    [Theory]
    [InlineData("on,off")]
    [InlineData("off,on")]
    public void Exploration_finds_the_flush_setting_mismatch_deadlock(string f)
    {
        var result = Explore(Socket(FlushSetting.Parse(f)), BugBudget, seed: 5);
        Assert.Equal(VerdictKind.Violated, result.Verdict);
        Assert.Equal(PropertyId.NoDeadlock, result.Property);
        AssertReplays(result);
    }

    [Theory]
    [InlineData("off")]
    [InlineData("on")]
    public void Exploration_finds_nothing_with_matching_flush_settings(string f)
    {
        var result = Explore(Socket(FlushSetting.Parse(f)), CleanBudget, seed: 11);
        Assert.True(result.Verdict == VerdictKind.NoViolation, $"{result.Property}: {result.Message}");
        Assert.Equal(CleanBudget, result.Iterations);
    }

    [Fact]
    public void Exploration_finds_the_pages_of_the_last_SYNC_packet_lost_by_a_receiver_that_skips_it()
    {
        // docs/protocol.md §5.10: an 8.2-style sender lets a sync request ride on a job's packet, so a SYNC packet carries
        // pages; a 9.2 receiver before b93d897e does not unfill SYNC packets, so it never reads them. With F=on and
        // no live round only complete's sync can carry pages: the destination ends without them (or, when the
        // released channel reads on, fails on the pages it takes for the next header).
        var scenario = Scenario.Small(Qemu82Socket.Instance, FlushSetting.On, liveRounds: 0, mutations: Mutation.SyncCarriesPages | Mutation.RecvSkipsSyncPayload);
        var result = Explore(scenario, BugBudget, seed: 5);
        Assert.Equal(VerdictKind.Violated, result.Verdict);
        Assert.Contains(result.Property, new PropertyId?[] { PropertyId.RoundTrip, PropertyId.NoUnexpectedFailure });
        AssertReplays(result);
    }

    [Fact]
    public void Exploration_finds_a_SYNC_packet_with_pages_desynchronizing_a_skipping_receiver()
    {
        // Same bug, F=off with a live round: the skipped pages come before later packets, so the released channel
        // reads page bytes as the next packet header ("bad magic", the "Broken pipe" of GitLab #2720) and dies with no
        // fault injected: NoUnexpectedFailure, at the recv thread's failure (the destination's next recv sync would
        // then wait for its post forever, protocol §3.7).
        var result = Explore(Socket(FlushSetting.Off, Mutation.SyncCarriesPages | Mutation.RecvSkipsSyncPayload), BugBudget, seed: 5);
        Assert.Equal(VerdictKind.Violated, result.Verdict);
        Assert.Equal(PropertyId.NoUnexpectedFailure, result.Property);
        Assert.NotNull(result.Failure);
        Assert.Equal(ActorKind.Receiver, result.Failure.Actor.Kind);
        Assert.Contains("magic", result.Failure.Message, StringComparison.Ordinal);
        Assert.Contains("MultifdPacket", result.Failure.StackTrace, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(Mutation.SyncCarriesPages)]
    [InlineData(Mutation.RecvSkipsSyncPayload)]
    public void Each_half_of_the_SYNC_payload_bug_alone_is_harmless(Mutation mutation)
    {
        var result = Explore(Socket(FlushSetting.Off, mutation), CleanBudget, seed: 13);
        Assert.True(result.Verdict == VerdictKind.NoViolation, $"{result.Property}: {result.Message}");
    }

    private ExploreResult Explore(Scenario scenario, uint budget, uint seed)
    {
        var result = Explorer.Explore(scenario, "pct", seed, budget);
        output.WriteLine($"{scenario}: {result.Verdict} {result.Property} after {result.FirstBugIteration ?? result.Iterations} iterations, {result.Seconds:F1} s ({result.IterationsPerSecond:F0} it/s, {result.StepsPerIteration} steps/it)");
        if (result.Message is not null) output.WriteLine(result.Message);
        return result;
    }

    private static void AssertReplays(ExploreResult result)
    {
        var dir = Directory.CreateTempSubdirectory("syncmodel-socket-reports-").FullName;
        try
        {
            var json = CoyoteReports.Write(result, dir);
            var (read, trace, property, steps) = CoyoteReports.Read(json);
            Assert.Equal(result.Property, property);
            var (found, bug, events) = Explorer.Replay(read, trace);
            Assert.NotNull(bug);
            Assert.Equal(result.Property, found);
            Assert.Equal(steps, events.Select(e => ReportRenderer.EventText(e)).ToArray());
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
