using System.Diagnostics;
using Microsoft.Coyote.Runtime;
using Microsoft.Coyote.SystematicTesting;
using SyncModel.Coyote.Exploration;
using SyncModel.Coyote.Scenarios;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;
using SyncModel.Protocol.Vocabulary;
using SyncModel.Properties.Support;
using Xunit.Abstractions;

namespace SyncModel.Properties.Coyote;

/// <summary>
/// How the exploration engine is driven, where a loaded machine once turned it against the verdicts: a thread that is
/// only slow is not a hang (Coyote's one-second hang monitor said it was, then detached a runtime under a running thread,
/// which spun in Coyote's semaphore wrapper until the test host was killed at 24 GiB), and a time limit or a
/// cancellation stops between iterations, so no iteration is abandoned half run and a bug of the last one is counted; and
/// no thread of an ended iteration is left to run outside Coyote's control (<see cref="IterationThreads"/>).
/// </summary>
[Collection(CoyoteCollection.Name)]
public sealed class EngineLifetimeTests(ITestOutputHelper output)
{
    /// <summary>Longer than two periods of Coyote's default hang monitor (one second each), far below ours.</summary>
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(2.5);

    /// <summary>Burns <see cref="Stall"/> of CPU time with no scheduling point: what a descheduled thread looks like to Coyote.</summary>
    private static void StallWithoutSchedulingPoints()
    {
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < Stall)
        {
        }
    }

    /// <summary>How long a stall waits at most for Coyote's hang monitor to fire: its timer runs on the thread pool, which a
    /// loaded machine serves late (CI once saw no report within 2.5 s of a one-second monitor).</summary>
    private static readonly TimeSpan MonitorLimit = TimeSpan.FromSeconds(30);

    /// <summary>Burns CPU time with no scheduling point until the iteration's runtime reports a failure (or
    /// <see cref="MonitorLimit"/> passes), then for <paramref name="after"/> more: a thread that is only slow, for as long as
    /// the hang monitor needs to see it, however late its timer runs.</summary>
    /// <remarks>The flag is a plain field behind a full fence: this assembly is rewritten, so a <see cref="Volatile"/> read
    /// here would be a scheduling point, each one a step, and the loop would end the iteration at the step bound instead.</remarks>
    private static void StallUntilAFailureIsReported(TimeSpan after)
    {
        var failure = new FailureFlag();
        RuntimeProvider.Current.OnFailure += _ => failure.Reported = true;
        var watch = Stopwatch.StartNew();
        while (watch.Elapsed < MonitorLimit)
        {
            Thread.MemoryBarrier();
            if (failure.Reported) break;
        }
        watch.Restart();
        while (watch.Elapsed < after)
        {
        }
    }

    private sealed class FailureFlag
    {
        public bool Reported;
    }

    private static string? RunStalledIteration(Microsoft.Coyote.Configuration config, Action stall)
    {
        using var engine = TestingEngine.Create(config.WithTestingIterations(1), stall);
        engine.Run();
        return engine.TestReport.NumOfFoundBugs > 0 ? engine.TestReport.BugReports.First() : null;
    }

    [Fact]
    public void A_slow_step_is_not_a_hang_under_the_exploration_configuration()
    {
        var bug = RunStalledIteration(Explorer.Base(seed: 1, interleaveFields: true), StallWithoutSchedulingPoints);

        Assert.Null(bug);
    }

    [Fact]
    public void Coyotes_default_hang_monitor_calls_the_same_slow_step_a_hang()
    {
        var bug = RunStalledIteration(Explorer.Base(seed: 1, interleaveFields: true).WithDeadlockTimeout(1000),
            () => StallUntilAFailureIsReported(TimeSpan.Zero));

        output.WriteLine(bug);
        Assert.NotNull(bug);
        Assert.Contains("Potential deadlock or hang", bug, StringComparison.Ordinal);
    }

    [Fact]
    public void The_threads_of_an_iteration_ended_by_a_deadlock_have_all_left_before_the_next_one()
    {
        var threads = new IterationThreads();
        var ended = 0;
        using var engine = TestingEngine.Create(Explorer.Base(seed: 1, interleaveFields: true).WithTestingIterations(20), () =>
        {
            threads.Capture();
            var never = new SemaphoreSlim(0);
            var waiter = new Thread(() => never.Wait());
            waiter.Start();
            never.Wait();
        });
        engine.RegisterEndIterationCallBack(_ =>
        {
            threads.AwaitEnd(TimeSpan.FromSeconds(10));
            ended++;
        });
        engine.Run();

        Assert.Equal(1, engine.TestReport.NumOfFoundBugs);
        Assert.Contains("Deadlock detected", engine.TestReport.BugReports.First(), StringComparison.Ordinal);
        Assert.Equal(1, ended);
    }

    [Fact]
    public void A_thread_still_running_after_its_iteration_ended_voids_the_exploration()
    {
        var threads = new IterationThreads();
        Exception? error = null;
        // Coyote's one-second hang monitor ends the iteration while its only thread still runs, as the teardown race did.
        using var engine = TestingEngine.Create(Explorer.Base(seed: 1, interleaveFields: true).WithDeadlockTimeout(1000).WithTestingIterations(1), () =>
        {
            threads.Capture();
            StallUntilAFailureIsReported(after: Stall);
        });
        engine.RegisterEndIterationCallBack(_ =>
        {
            try
            {
                threads.AwaitEnd(TimeSpan.FromMilliseconds(100));
            }
            catch (InvalidOperationException e)
            {
                error = e;
            }
        });
        engine.Run();

        output.WriteLine(error?.Message);
        Assert.NotNull(error);
        Assert.Contains("still running", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_slow_step_of_the_production_code_under_exploration_is_no_violation()
    {
        // 10.0's placement whose first sender decision takes the stall, as on a machine busy with other work.
        var calls = 0;
        var slow = new HookedPolicy("slow-test-policy", "qemu-10.0-mapped-ram whose first sender decision is slow", _ =>
        {
            if (Interlocked.Increment(ref calls) == 1) StallWithoutSchedulingPoints();
        });
        var scenario = Scenario.Small(slow, FlushSetting.Off, kind: ScenarioKind.Save);

        var result = Explorer.Explore(scenario, "pct", seed: 1, 3);

        Assert.True(result.Verdict == VerdictKind.NoViolation, $"{result.Property}: {result.Message}");
        Assert.Equal(3, result.Iterations);
    }

    [Fact]
    public void A_time_limit_stops_between_iterations_and_counts_only_finished_ones()
    {
        var scenario = Scenario.Small(Qemu100MappedRam.Instance, FlushSetting.Off);
        long ended = 0;

        var result = Explorer.Explore(scenario, "pct", seed: 1, 100_000_000, TimeSpan.FromSeconds(1),
            onIteration: _ => Interlocked.Increment(ref ended));
        var endedAtReturn = Interlocked.Read(ref ended);
        Thread.Sleep(300);

        output.WriteLine($"{result.Iterations} iterations in {result.Seconds:F2} s");
        Assert.Equal(VerdictKind.NoViolation, result.Verdict);
        Assert.True(result.Iterations > 0);
        Assert.Equal(result.Iterations, endedAtReturn);
        Assert.Equal(endedAtReturn, Interlocked.Read(ref ended));
    }

    [Fact]
    public void A_cancellation_stops_after_the_iteration_in_progress_and_claims_nothing()
    {
        var scenario = Scenario.Small(Qemu100MappedRam.Instance, FlushSetting.Off);
        using var cancel = new CancellationTokenSource();

        var result = Explorer.Explore(scenario, "pct", seed: 1, 1000,
            onIteration: n => { if (n == 3) cancel.Cancel(); }, cancel: cancel.Token);

        Assert.Equal(VerdictKind.Incomplete, result.Verdict);
        Assert.Equal(3, result.Iterations);
    }

    [Fact]
    public void A_bug_in_the_last_iteration_a_time_limited_run_allows_is_counted()
    {
        var scenario = Scenario.Small(SyncPolicies.Parse("qemu-10.0-mapped-ram"), FlushSetting.Off, kind: ScenarioKind.Load, errors: ErrorSides.Destination);
        var first = Explorer.Explore(scenario, "pct", seed: 7, 3000);
        Assert.Equal(VerdictKind.Violated, first.Verdict);

        var last = Explorer.Explore(scenario, "pct", seed: 7, (uint)first.FirstBugIteration!.Value, TimeSpan.FromMinutes(5));

        output.WriteLine($"bug at iteration {first.FirstBugIteration}; rerun: {last.Verdict} after {last.Iterations}");
        Assert.Equal(VerdictKind.Violated, last.Verdict);
        Assert.Equal(first.Property, last.Property);
        Assert.Equal(first.FirstBugIteration, last.FirstBugIteration);
    }
}
