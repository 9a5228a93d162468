using System.Diagnostics;
using SyncModel.Coyote.Scenarios;
using SyncModel.Protocol.Vocabulary;

namespace SyncModel.Coyote.Exploration;

/// <summary>
/// Shortens a violation Coyote found, keeping the property it breaks. Coyote stops at the first failing schedule, which
/// carries everything the search happened to do before the bug (a whole save, idle channels); a reviewer wants the
/// shortest story. Two phases, each a re-exploration that can only accept a run breaking the same property:
/// <list type="number">
/// <item>the scenario: <see cref="ScenarioShrinker"/>'s candidates (a live round, guest writes, channels, pages fewer), each
/// hunted for with a small budget; the first that still breaks the property in a run no longer than the best so far is
/// taken and shrinking starts over from it;</item>
/// <item>the schedule: Coyote again with a bound on the scheduling steps of an iteration, halving the gap between the longest
/// bound that found nothing and the shortest schedule found; every bug found under a bound is at most that long.</item>
/// </list>
/// A run is better when its trace has fewer domain events, then fewer scheduling steps. The result replays exactly
/// (its own <see cref="ExploreResult.ReproducibleTrace"/>), and the original stays available for <c>replay --original</c>.
/// </summary>
public static class Minimizer
{
    /// <summary>What minimization did: the run it kept, the run it started from, and what it cost.</summary>
    public sealed record Outcome(ExploreResult Minimized, ExploreResult Original, int Tries, int Accepted, double Seconds)
    {
        /// <summary>Whether the kept run is shorter than the original (or smaller in its scenario).</summary>
        public bool Shortened => !ReferenceEquals(Minimized, Original);
    }

    /// <summary>Iterations of each try: four times what the first find took (a bug that dense shows up again if it is still
    /// there), between 30 and 300.</summary>
    public static uint IterationsPerTry(ExploreResult found) => (uint)Math.Clamp(4 * (found.FirstBugIteration ?? 75), 30, 300);

    /// <summary>
    /// Minimizes <paramref name="found"/> (a <see cref="VerdictKind.Violated"/> result) within <paramref name="budget"/>. Returns
    /// the original unchanged when nothing shorter breaks the same property in time.
    /// </summary>
    public static Outcome Minimize(ExploreResult found, TimeSpan budget, CancellationToken cancel = default, Action<string>? log = null)
    {
        ArgumentNullException.ThrowIfNull(found);
        if (found.Verdict != VerdictKind.Violated || found.Property is not { } property || found.ReproducibleTrace is null)
            throw new ArgumentException("only a violation with its schedule can be minimized", nameof(found));
        var watch = Stopwatch.StartNew();
        var best = found;
        int tries = 0, accepted = 0;
        TimeSpan Left() => budget - watch.Elapsed;
        bool OutOfTime() => Left() <= TimeSpan.Zero || cancel.IsCancellationRequested;

        ExploreResult? Try(Scenario scenario, uint seed, uint maxSteps)
        {
            tries++;
            var r = Explorer.Hunt(scenario, property, found.Strategy, seed, IterationsPerTry(found), Left(), cancel, maxSteps);
            return r.Verdict == VerdictKind.Violated && r.Property == property && r.ReproducibleTrace is not null ? r : null;
        }

        // Phase 1: a smaller scenario. Each accepted candidate is strictly smaller, so this ends.
        var shrinking = true;
        while (shrinking && !OutOfTime())
        {
            shrinking = false;
            foreach (var candidate in ScenarioShrinker.Shrink(best.Scenario))
            {
                if (OutOfTime()) break;
                if (Try(candidate, found.Seed, Explorer.MaxSteps) is not { } r || r.Trace.Count > best.Trace.Count)
                {
                    log?.Invoke($"{watch.Elapsed.TotalSeconds:F1} s, try {tries}: not found (or longer) in {ShapeText(candidate)}");
                    continue;
                }
                best = r;
                accepted++;
                log?.Invoke($"{watch.Elapsed.TotalSeconds:F1} s, try {tries}: {r.Trace.Count} events, {ShapeText(r.Scenario)}");
                shrinking = true;
                break;
            }
        }

        // Phase 2: a shorter schedule of that scenario, by bisecting the step bound.
        var hi = Explorer.ScheduleLength(best.ReproducibleTrace!);
        var lo = 0;
        var seed = found.Seed;
        for (var round = 0; round < 24 && hi - lo > Math.Max(2, hi / 20) && !OutOfTime(); round++)
        {
            var mid = (uint)(lo + (hi - lo) / 2);
            seed += 100_003;
            if (Try(best.Scenario, seed, mid) is { } r)
            {
                if (Better(r, best))
                {
                    best = r;
                    accepted++;
                    log?.Invoke($"{watch.Elapsed.TotalSeconds:F1} s, try {tries}: {r.Trace.Count} events, schedule bound {mid}");
                }
                hi = Math.Min((int)mid, Explorer.ScheduleLength(r.ReproducibleTrace!));
            }
            else
            {
                log?.Invoke($"{watch.Elapsed.TotalSeconds:F1} s, try {tries}: nothing within {mid} steps");
                lo = (int)mid;
            }
        }

        // A smaller scenario whose run is no shorter is still the simpler story; one that is longer was never taken.
        return new Outcome(best, found, tries, accepted, watch.Elapsed.TotalSeconds);
    }

    private static string ShapeText(Scenario s)
        => $"{s.Config.Channels}ch, pages {string.Join("+", s.Config.Blocks.Select(b => b.UsedLength / s.Config.PageSize))}, {s.Config.LiveRounds} live round(s), {s.Workload.Initial.Count}+{s.Workload.Rounds.Sum(r => r.Count)} writes";

    /// <summary>Fewer domain events, then fewer scheduling steps.</summary>
    public static bool Better(ExploreResult a, ExploreResult b)
    {
        var (ea, eb) = (a.Trace.Count, b.Trace.Count);
        return ea != eb ? ea < eb : Explorer.ScheduleLength(a.ReproducibleTrace!) < Explorer.ScheduleLength(b.ReproducibleTrace!);
    }
}
