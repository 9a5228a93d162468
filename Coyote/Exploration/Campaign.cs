using SyncModel.Protocol.Vocabulary;
using System.Diagnostics;
using SyncModel.Coyote.Scenarios;

namespace SyncModel.Coyote.Exploration;

/// <summary>
/// One scenario explored by several Coyote engines at once (<c>--workers</c>) and, across machines, by several shards
/// (<c>--shard I/N</c>). Every engine gets its own seed, spaced <see cref="SeedStride"/> apart so that the engines' runs (the
/// engine adds one to its seed every iteration) never overlap: engine <c>w</c> of shard <c>I</c> with <c>W</c> workers starts
/// at <c>seed + (I·W + w)·stride</c>. The first engine to find a bug stops the others; the result sums their iterations.
/// </summary>
public static class Campaign
{
    /// <summary>Seeds of different engines are this far apart: more iterations than any one engine runs.</summary>
    public const uint SeedStride = 100_003;

    /// <summary>The seed of engine <paramref name="worker"/> of <paramref name="workers"/> in <paramref name="shard"/>.</summary>
    public static uint SeedFor(uint seed, Shard shard, int worker, int workers)
        => unchecked(seed + (uint)((shard.Index * workers + worker) * (long)SeedStride));

    /// <summary>
    /// Explores <paramref name="scenario"/> with <paramref name="workers"/> engines in parallel, each with the time limit and
    /// a share of the iterations; <paramref name="onIteration"/> gets the total iterations started so far.
    /// </summary>
    public static ExploreResult Run(Scenario scenario, string strategy, uint seed, uint iterations, TimeSpan? timeLimit, int workers, Shard shard,
        Action<long>? onIteration = null, CancellationToken cancel = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(workers, 1);
        if (workers == 1)
            return Explorer.Explore(scenario, strategy, SeedFor(seed, shard, 0, 1), iterations, timeLimit, onIteration, cancel: cancel);
        var watch = Stopwatch.StartNew();
        using var found = CancellationTokenSource.CreateLinkedTokenSource(cancel);
        var share = (uint)Math.Max(1, (iterations + workers - 1) / workers);
        var started = new long[workers];
        var results = new ExploreResult?[workers];
        var threads = Enumerable.Range(0, workers).Select(w => new Thread(() =>
        {
            var r = Explorer.Explore(scenario, strategy, SeedFor(seed, shard, w, workers), share, timeLimit,
                n => { Volatile.Write(ref started[w], n); onIteration?.Invoke(started.Sum()); }, cancel: found.Token);
            results[w] = r;
            if (r.Verdict == VerdictKind.Violated) found.Cancel();
        }) { IsBackground = true }).ToList();
        foreach (var t in threads) t.Start();
        foreach (var t in threads) t.Join();
        return Combine(results.Select(r => r!).ToList(), watch.Elapsed.TotalSeconds, cancel.IsCancellationRequested);
    }

    /// <summary>The engines' results as one: the bug of the lowest-numbered engine that found one, every engine's iterations.</summary>
    private static ExploreResult Combine(IReadOnlyList<ExploreResult> results, double seconds, bool interrupted)
    {
        var total = results.Sum(r => r.Iterations);
        var bug = results.FirstOrDefault(r => r.Verdict == VerdictKind.Violated);
        var first = bug ?? results[0];
        var verdict = bug is not null ? VerdictKind.Violated : interrupted ? VerdictKind.Incomplete : VerdictKind.NoViolation;
        return first with
        {
            Iterations = total,
            Seconds = seconds,
            Verdict = verdict,
            Workers = results.Count,
            StepsPerIteration = (long)results.Average(r => r.StepsPerIteration),
        };
    }
}

/// <summary>A deterministic slice of a campaign: shard <see cref="Index"/> of <see cref="Count"/> (<c>--shard I/N</c>, I from 0).</summary>
public readonly record struct Shard(int Index, int Count)
{
    /// <summary>The whole campaign on one machine.</summary>
    public static readonly Shard Whole = new(0, 1);

    /// <summary>Parses "I/N" with 0 &lt;= I &lt; N &lt;= 4096.</summary>
    public static Shard Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 && int.TryParse(parts[0], System.Globalization.CultureInfo.InvariantCulture, out var i)
            && int.TryParse(parts[1], System.Globalization.CultureInfo.InvariantCulture, out var n) && n is >= 1 and <= 4096 && i >= 0 && i < n)
            return new Shard(i, n);
        throw new ArgumentException($"shard '{text}': expected I/N with 0 <= I < N <= 4096 (e.g. 0/4)");
    }

    public override string ToString() => $"{Index}/{Count}";
}
