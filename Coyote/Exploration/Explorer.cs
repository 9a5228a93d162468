using SyncModel.Protocol.Vocabulary;
using System.Diagnostics;
using Microsoft.Coyote;
using Microsoft.Coyote.Logging;
using Microsoft.Coyote.SystematicTesting;
using SyncModel.Coyote.Scenarios;
using SyncModel.Protocol.Events;

namespace SyncModel.Coyote.Exploration;

/// <summary>Runs Coyote's systematic testing engine over a scenario, or replays a recorded schedule.</summary>
public static class Explorer
{
    /// <summary>Explores <paramref name="scenario"/> for <paramref name="iterations"/> iterations or <paramref name="timeLimit"/>, whichever ends first.
    /// <paramref name="onIteration"/> receives the number of iterations started after each one; <paramref name="onTrace"/>, if given,
    /// the domain trace of every iteration when it ends (buggy or not).</summary>
    /// <remarks><paramref name="interleaveFields"/> off leaves Volatile and Interlocked accesses out of the scheduling points (for
    /// the bench that measures what they cost; a schedule recorded so does not replay).</remarks>
    /// <remarks>When <paramref name="cancel"/> fires, the engine stops after the iteration in progress; without a bug the verdict
    /// is then <see cref="VerdictKind.Incomplete"/>.</remarks>
    /// <remarks><paramref name="maxSteps"/> bounds the scheduling steps of an iteration (default <see cref="MaxSteps"/>): an iteration
    /// that reaches it ends without a verdict, so every bug found has a schedule at most that long (<see cref="Minimizer"/>).</remarks>
    public static ExploreResult Explore(Scenario scenario, string strategy, uint seed, uint iterations, TimeSpan? timeLimit = null,
        Action<long>? onIteration = null, Action<IReadOnlyList<TraceEvent>>? onTrace = null, bool interleaveFields = true,
        CancellationToken cancel = default, uint maxSteps = MaxSteps)
    {
        scenario.Validate();
        var saved = scenario.Kind == ScenarioKind.Load ? ScenarioRun.PreSave(scenario) : null;
        var config = Strategies.Apply(Base(seed, interleaveFields, maxSteps).WithTestingIterations(iterations), strategy);
        long started = 0;
        double lastEnd = 0;
        var watch = Stopwatch.StartNew();
        var record = new IterationRecord();
        using var engine = Engine(config, scenario, saved, record, engine =>
        {
            lastEnd = watch.Elapsed.TotalSeconds;
            onIteration?.Invoke(started);
            onTrace?.Invoke(record.Events);
            // Coyote 1.7 keeps every iteration's execution path (a string per iteration, about 100 KB here) for its schedule
            // coverage report, which is never asked for: left alone, a long campaign grows by megabytes a second until it is
            // killed (a zoo run reached 24 GiB).
            engine.TestReport.CoverageInfo.ExploredPaths?.Clear();
        });
        // The time limit and the cancellation stop the engine between two iterations, never during one. Coyote's own
        // ways (its testing timeout, TestingEngine.Stop) cancel the token Run waits on: Run returns at once while the
        // iteration in flight goes on in the background, its bug (if it finds one) not yet counted in the report and
        // its threads still running beside the next exploration. An exception from the start-of-iteration callback
        // ends the engine's loop instead, once the previous iteration is fully accounted for; the engine swallows a
        // TaskCanceledException there (TestingEngine.CreateTestingTask), so Run returns normally.
        engine.RegisterStartIterationCallBack(_ =>
        {
            if (cancel.IsCancellationRequested || timeLimit is { } t && watch.Elapsed >= t) throw new TaskCanceledException();
            started++;
        });
        if (!cancel.IsCancellationRequested) engine.Run();
        var seconds = watch.Elapsed.TotalSeconds;
        var report = engine.TestReport;
        var bug = report.NumOfFoundBugs > 0 ? report.BugReports.FirstOrDefault() : null;
        var interrupted = bug is null && cancel.IsCancellationRequested && started < iterations;
        return new ExploreResult
        {
            Scenario = scenario,
            Strategy = strategy,
            Seed = seed,
            Iterations = started,
            Seconds = seconds,
            Verdict = bug is not null ? VerdictKind.Violated : interrupted ? VerdictKind.Incomplete : VerdictKind.NoViolation,
            Property = bug is null ? null : PropertyOf(bug, record),
            Message = bug,
            FirstBugIteration = bug is null ? null : started,
            // The engine stops at its first bug, so the bug is the last iteration's.
            SecondsToFirstBug = bug is null ? null : lastEnd,
            Trace = bug is null ? [] : record.Events,
            Violation = bug is null ? null : record.Monitor?.Violation,
            Failure = bug is null ? null : record.Monitor?.Violation?.Failure,
            ReproducibleTrace = bug is null ? null : engine.ReproducibleTrace,
            StepsPerIteration = (report.TotalExploredUnfairSteps + report.TotalExploredFairSteps) / Math.Max(1, started),
        };
    }

    /// <summary>
    /// Explores until <paramref name="property"/> is violated. A scenario can hold more than one bug (e.g. §5.4's mutation
    /// also meets the error-path hang of a send channel that leaves on <c>exiting</c>); Coyote's engine stops at the first
    /// bug of a run, so when it is another property the hunt notes it in <see cref="ExploreResult.OtherBugs"/> and
    /// restarts with the next seed, on what is left of the budget. The result describes the last run (its seed, trace and
    /// schedule replay the bug), with iterations and seconds summed over all runs.
    /// </summary>
    public static ExploreResult Hunt(Scenario scenario, PropertyId property, string strategy, uint seed, uint iterations, TimeSpan? timeLimit = null,
        CancellationToken cancel = default, uint maxSteps = MaxSteps)
    {
        var watch = Stopwatch.StartNew();
        long spent = 0;
        var others = new List<PropertyId>();
        while (true)
        {
            var left = timeLimit is { } t ? t - watch.Elapsed : (TimeSpan?)null;
            var r = Explore(scenario, strategy, seed, (uint)Math.Max(1, iterations - spent), left, cancel: cancel, maxSteps: maxSteps);
            var total = r with
            {
                Iterations = spent + r.Iterations,
                Seconds = watch.Elapsed.TotalSeconds,
                FirstBugIteration = r.FirstBugIteration is { } i ? spent + i : null,
                SecondsToFirstBug = r.Verdict == VerdictKind.Violated ? watch.Elapsed.TotalSeconds : null,
                OtherBugs = others.ToArray(),
            };
            spent += r.Iterations;
            if (r.Verdict != VerdictKind.Violated || r.Property == property || cancel.IsCancellationRequested) return total;
            if (r.Property is { } other) others.Add(other);
            if (spent >= iterations || timeLimit is { } limit && watch.Elapsed >= limit) return total;
            seed++;
        }
    }

    /// <summary>Re-runs the schedule recorded in <paramref name="reproducibleTrace"/>; returns the broken property (null when the
    /// replay breaks none), Coyote's bug message and the domain trace.</summary>
    public static (PropertyId? Property, string? Bug, IReadOnlyList<TraceEvent> Trace) Replay(Scenario scenario, string reproducibleTrace)
    {
        scenario.Validate();
        var saved = scenario.Kind == ScenarioKind.Load ? ScenarioRun.PreSave(scenario) : null;
        var config = Base(0, interleaveFields: true).WithReproducibleTrace(reproducibleTrace);
        var record = new IterationRecord();
        using var engine = Engine(config, scenario, saved, record);
        engine.Run();
        var bug = engine.TestReport.NumOfFoundBugs > 0 ? engine.TestReport.BugReports.FirstOrDefault() : null;
        return (bug is null ? null : PropertyOf(bug, record), bug, record.Events);
    }

    /// <summary>A silent engine whose iterations run <paramref name="scenario"/>. At the end of each it waits for every thread
    /// of the iteration to end (<see cref="IterationThreads"/>), then runs <paramref name="afterIteration"/>: one callback,
    /// since Coyote keeps its callbacks in a set, which promises no order.</summary>
    private static TestingEngine Engine(Configuration config, Scenario scenario, ScenarioRun.SavedFile? saved, IterationRecord record,
        Action<TestingEngine>? afterIteration = null)
    {
        var threads = new IterationThreads();
        var engine = TestingEngine.Create(config, () =>
        {
            threads.Capture();
            ScenarioRun.Iteration(scenario, saved, record);
        });
        engine.SetLogger(new SilentLogger());
        engine.RegisterEndIterationCallBack(_ =>
        {
            threads.AwaitEnd(IterationThreads.Limit);
            afterIteration?.Invoke(engine);
        });
        return engine;
    }

    /// <summary>The scheduling steps an iteration may take by default: far beyond any scenario's (a few thousand at most).</summary>
    public const uint MaxSteps = 20_000;

    /// <summary>The scheduling decisions a reproducible trace records: the length of its schedule.</summary>
    public static int ScheduleLength(string reproducibleTrace)
    {
        using var doc = System.Text.Json.JsonDocument.Parse(reproducibleTrace);
        return doc.RootElement.TryGetProperty("Steps", out var steps) ? steps.GetArrayLength() : 0;
    }

    internal static Configuration Base(uint seed, bool interleaveFields, uint maxSteps = MaxSteps) => Bounded(Configuration.Create(), maxSteps)
        .WithRandomGeneratorSeed(seed)
        .WithTelemetryEnabled(false)
        .WithConsoleLoggingEnabled(false)
        .WithVerbosityEnabled(Microsoft.Coyote.Logging.VerbosityLevel.None)
        .WithPartiallyControlledConcurrencyAllowed(false)
        .WithDeadlockTimeout((uint)HangTimeout.TotalMilliseconds)
        // Every Volatile and Interlocked access is a scheduling point: the channels hand batches, chunks, pending_job,
        // pending_sync and exiting over through such fields, and a bug may need a thread switch between two of them.
        .WithVolatileOperationRaceCheckingEnabled(interleaveFields)
        .WithAtomicOperationRaceCheckingEnabled(interleaveFields);

    /// <summary>
    /// How long an iteration may go without a scheduling step before Coyote's periodic monitor calls it a hang (a
    /// "potential deadlock or hang", reported here as NoUnexpectedFailure). Real deadlocks do not wait for it: with every
    /// thread controlled, Coyote sees at once that no operation is enabled. Coyote's default, one second, is reached by
    /// a thread that is merely descheduled on a loaded machine, and then the report is false and worse: the monitor
    /// detaches the runtime from its timer thread while that operation still runs, and the operation's next wait on a
    /// SemaphoreSlim spins forever in Coyote's wrapper (SemaphoreSlim.Wrapper.Enter re-queues the operation on every
    /// turn of a loop that no longer blocks), allocating until the process is killed. <see cref="IterationThreads"/>
    /// reports such a thread instead of waiting for it.
    /// </summary>
    public static readonly TimeSpan HangTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The default bound (10× as many fair steps), or exactly <paramref name="maxSteps"/> whichever strategy schedules.</summary>
    private static Configuration Bounded(Configuration c, uint maxSteps)
        => maxSteps == MaxSteps ? c.WithMaxSchedulingSteps(MaxSteps) : c.WithMaxSchedulingSteps(maxSteps, maxSteps);

    /// <summary>
    /// The property a buggy iteration broke: the one its monitor recorded (every checker, thread failure and assertion goes
    /// through it); otherwise the bug is Coyote's own: a deadlock, or an exception that escaped a controlled thread, which
    /// no injected fault explains (NoUnexpectedFailure).
    /// </summary>
    private static PropertyId PropertyOf(string bug, IterationRecord record)
        => record.Monitor?.Violation?.Property
            ?? (bug.Contains("Deadlock detected", StringComparison.Ordinal) ? PropertyId.NoDeadlock : PropertyId.NoUnexpectedFailure);
}
