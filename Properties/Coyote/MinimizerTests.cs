using SyncModel.Coyote.Exploration;
using SyncModel.Coyote.Scenarios;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;
using SyncModel.Protocol.Reports;
using SyncModel.Protocol.Vocabulary;
using Xunit.Abstractions;

namespace SyncModel.Properties.Coyote;

/// <summary>
/// <see cref="Minimizer"/>: a shorter run of the same property that replays exactly, the original kept for
/// <c>replay --original</c>; the step bound it searches with cuts iterations without calling them bugs.
/// </summary>
[Collection(CoyoteCollection.Name)]
public sealed class MinimizerTests(ITestOutputHelper output)
{
    [Fact]
    public void A_violation_shrinks_to_a_shorter_run_of_the_same_property_that_replays_exactly()
    {
        // §4(b): v4 never syncs the destination with F=on; the first schedule found carries a whole save of 12 pages.
        var found = Explorer.Explore(Scenario.Small(FixedRamV4.Instance, FlushSetting.On), "pct", seed: 1, 300);
        Assert.Equal(PropertyId.DrainBeforeCleanup, found.Property);

        var m = Minimizer.Minimize(found, TimeSpan.FromSeconds(8), log: output.WriteLine);
        output.WriteLine($"{found.Trace.Count} → {m.Minimized.Trace.Count} events, {m.Tries} tries, {m.Seconds:F1} s");

        Assert.True(m.Shortened);
        Assert.Equal(PropertyId.DrainBeforeCleanup, m.Minimized.Property);
        Assert.True(m.Minimized.Trace.Count * 2 <= found.Trace.Count, $"{found.Trace.Count} → {m.Minimized.Trace.Count} events");
        var (property, bug, events) = Explorer.Replay(m.Minimized.Scenario, m.Minimized.ReproducibleTrace!);
        Assert.NotNull(bug);
        Assert.Equal(PropertyId.DrainBeforeCleanup, property);
        Assert.Equal(m.Minimized.Trace.Select(e => e.ToString()), events.Select(e => e.ToString()));
        var (originalProperty, _, originalEvents) = Explorer.Replay(found.Scenario, found.ReproducibleTrace!);
        Assert.Equal(PropertyId.DrainBeforeCleanup, originalProperty);
        Assert.Equal(found.Trace.Count, originalEvents.Count);
    }

    [Fact]
    public void A_minimized_report_keeps_both_schedules_and_replays_either()
    {
        var found = Explorer.Explore(Scenario.Small(FixedRamV4.Instance, FlushSetting.On), "pct", seed: 1, 300);
        var m = Minimizer.Minimize(found, TimeSpan.FromSeconds(5));
        var dir = Directory.CreateTempSubdirectory("syncmodel-min-").FullName;
        try
        {
            var json = CoyoteReports.Write(m.Minimized, dir, m.Original);
            var report = ReportJson.Parse(File.ReadAllText(json));
            Assert.Equal(found.Trace.Count, report.Original!.Steps);
            Assert.Equal(m.Minimized.Trace.Count, report.Steps[^1].Index);

            var (scenario, trace, property, steps) = CoyoteReports.Read(json);
            var replayed = Explorer.Replay(scenario, trace);
            Assert.Equal(property, replayed.Property);
            Assert.Equal(steps, replayed.Trace.Select(e => ReportRenderer.EventText(e)).ToArray());

            var (first, firstTrace, _, _) = CoyoteReports.Read(json, original: true);
            Assert.Equal(found.Scenario.ToString(), first.ToString());
            Assert.Equal(found.Trace.Count, Explorer.Replay(first, firstTrace).Trace.Count);
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public void An_iteration_cut_by_the_step_bound_is_not_a_violation()
    {
        // qemu-10.0 with F=off is clean: 50 steps end every iteration long before the migration does.
        var r = Explorer.Explore(Scenario.Small(Qemu100MappedRam.Instance, FlushSetting.Off), "pct", seed: 3, 40, maxSteps: 50);

        Assert.Equal(VerdictKind.NoViolation, r.Verdict);
        Assert.Equal(40, r.Iterations);
        Assert.InRange(r.StepsPerIteration, 1, 50);
    }

    [Fact]
    public void A_bug_beyond_the_step_bound_is_not_found_and_within_it_is()
    {
        var scenario = Scenario.Small(FixedRamV4.Instance, FlushSetting.On);

        Assert.Equal(VerdictKind.NoViolation, Explorer.Explore(scenario, "pct", seed: 1, 30, maxSteps: 40).Verdict);
        var found = Explorer.Explore(scenario, "pct", seed: 1, 300);
        Assert.Equal(VerdictKind.Violated, found.Verdict);
        Assert.True(Explorer.ScheduleLength(found.ReproducibleTrace!) > 40);
    }

    [Fact]
    public void An_iteration_count_holds_beside_a_time_limit()
    {
        var r = Explorer.Explore(Scenario.Small(Qemu100MappedRam.Instance, FlushSetting.Off), "pct", seed: 3, 7, TimeSpan.FromMinutes(5));

        Assert.Equal(7, r.Iterations);
    }
}
