using SyncModel.Protocol.Vocabulary;
using System.Globalization;
using System.Text.RegularExpressions;
using FsCheck;
using FsCheck.Fluent;
using SyncModel.Coyote.Exploration;

namespace SyncModel.Properties.Generated;

/// <summary>
/// Workload × schedule: for each generated case, a bounded Coyote exploration of a live save and a load of what it
/// wrote (<see cref="ScheduleCase.Scenario"/>); the case holds when no explored schedule violates an invariant
/// (the stream checkers, NoStalePage, RoundTrip, Coyote's deadlock detection). A failing case is written as a
/// report, replacing the previous one, so that after FsCheck's shrinking the report holds the minimal workload.
/// Once a case has failed, FsCheck only shrinks, and each candidate gets <see cref="ShrinkFactor"/> times the
/// schedules: a race that shows in one schedule of ten would otherwise pass for a smaller workload by bad luck
/// and stop the shrinking early. One engine runs at a time: use it from tests in the Coyote collection.
/// </summary>
public sealed partial class ScheduleProperty(string test, uint iterations, Action<string>? log = null, string strategy = "pct", string? reportDirectory = null)
{
    public const uint ShrinkFactor = 3;

    private readonly object _gate = new();
    private int _workloads;
    private long _schedules;

    /// <summary>The command that reruns the failing property; <see cref="Check"/> sets it to the exact one.</summary>
    public string Rerun { get; set; } = PropertySeed.Fixed is { } seed
        ? PropertySeed.RerunLine(seed, test)
        : $"rerun exactly: {PropertySeed.Variable}='<the (seed,gamma) FsCheck printed>' dotnet test Properties --filter \"FullyQualifiedName~{test}\"";

    public string ReportDirectory { get; } = reportDirectory ?? GeneratedReports.DefaultDirectory(test);

    /// <summary>Cases explored so far, shrink candidates included.</summary>
    public int Workloads => Volatile.Read(ref _workloads);

    /// <summary>Coyote iterations (schedules) run so far.</summary>
    public long Schedules => Interlocked.Read(ref _schedules);

    /// <summary>The last case that failed: after shrinking, the minimal one; its report is at <c>ReportJson</c>.</summary>
    public (ScheduleCase Case, ExploreResult Result, string ReportJson)? LastFailure { get; private set; }

    public Property ForAll(Arbitrary<ScheduleCase> cases) => Prop.ForAll(cases, Evaluate);

    /// <summary>Runs <see cref="ForAll"/> through FsCheck (generation, then shrinking of a failure) with the seed of <see cref="PropertySeed"/>.</summary>
    public CheckOutcome Check(Arbitrary<ScheduleCase> cases, int maxTest)
    {
        var (config, replay) = PropertySeed.FsCheckConfig(Config.QuickThrowOnFailure.WithMaxTest(maxTest).WithQuietOnSuccess(true));
        Rerun = PropertySeed.RerunLine(replay, test);
        try
        {
            FsCheck.Check.One(config, ForAll(cases));
            return new CheckOutcome(replay, null, maxTest, 0);
        }
        catch (Exception e) when (Counts().Match(e.Message) is { Success: true } m)
        {
            return new CheckOutcome(replay, e.Message, Parse(m.Groups[1].Value), Parse(m.Groups[2].Value));
        }
    }

    private Property Evaluate(ScheduleCase c)
    {
        var budget = LastFailure is null ? iterations : iterations * ShrinkFactor;
        var r = Explorer.Explore(c.Scenario, strategy, c.CoyoteSeed, budget);
        Interlocked.Increment(ref _workloads);
        Interlocked.Add(ref _schedules, r.Iterations);
        log?.Invoke($"{c.Policy.Name} F={c.Flush} coyote seed {c.CoyoteSeed}: {c.Case.Summary()} → {r.Verdict} after {r.Iterations} schedule(s){(r.Property is null ? "" : $": {r.Property}")}");
        if (r.Verdict == VerdictKind.NoViolation) return true.ToProperty();
        var json = GeneratedReports.WriteAlone(ReportDirectory, GeneratedReports.ToReport(c, r, Rerun), r.ReproducibleTrace);
        lock (_gate) LastFailure = (c, r, json);
        return false.Label($"{r.Property} in schedule {r.FirstBugIteration} (Coyote {strategy}, seed {c.CoyoteSeed}): {r.Message}\nreport: {Path.ChangeExtension(json, ".md")}\n{Rerun}");
    }

    private static int Parse(string s) => int.Parse(s, CultureInfo.InvariantCulture);

    [GeneratedRegex(@"after (\d+) tests? \((\d+) shrinks?\)")]
    private static partial Regex Counts();
}

/// <summary>What <see cref="ScheduleProperty.Check"/> saw: the replay string, FsCheck's failure message (null = passed), tests and shrinks.</summary>
public sealed record CheckOutcome(string Replay, string? Failure, int Tests, int Shrinks);
