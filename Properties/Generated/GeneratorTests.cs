using System.Collections.Concurrent;
using CsCheck;
using SyncModel.Implementation.Guest;
using Xunit.Abstractions;

namespace SyncModel.Properties.Generated;

/// <summary>The generators make valid cases with every kind of write the properties are about; the shrinker only makes them smaller.</summary>
public sealed class GeneratorTests(ITestOutputHelper output)
{
    private const int Samples = 400;

    [Fact]
    public void Generated_cases_are_valid_and_cover_every_kind_of_write()
    {
        var seen = new ConcurrentDictionary<string, int>();
        WorkloadGen.Case(CaseShape.RealThreads).Sample(c =>
        {
            AssertValid(c);
            Assert.Equal(c.Config.Blocks.Count, c.Config.Blocks.Select(b => b.UsedLength).Distinct().Count());
            foreach (var f in Features(c)) seen.AddOrUpdate(f, 1, (_, n) => n + 1);
        }, iter: Samples);

        foreach (var (f, n) in seen.OrderBy(kv => kv.Key, StringComparer.Ordinal)) output.WriteLine($"{n,4} of {Samples}: {f}");
        Assert.All(AllFeatures, f => Assert.True(seen.GetValueOrDefault(f) > 0, $"no generated case has {f}"));
    }

    [Fact]
    public void Every_shrink_candidate_is_valid_and_smaller()
    {
        WorkloadGen.Case(CaseShape.Exploration).Sample(c =>
        {
            foreach (var smaller in WorkloadShrinker.Shrink(c))
            {
                AssertValid(smaller);
                Assert.True(Weight(smaller) < Weight(c), $"{smaller}\nis not smaller than\n{c}");
            }
        }, iter: Samples / 2);
    }

    [Fact]
    public void The_same_random_state_generates_the_same_case()
    {
        // FsArbitraries relies on it: FsCheck's replay picks the PCG state, the CsCheck generator does the rest.
        var gen = WorkloadGen.Case(CaseShape.Exploration);
        var a = gen.Generate(new PCG(3, 12345), null!, out _);
        var b = gen.Generate(new PCG(3, 12345), null!, out _);

        Assert.Equal(a.ToString(), b.ToString());
        Assert.Equal(a.Workload.Initial, b.Workload.Initial);
    }

    private static readonly string[] AllFeatures =
    [
        "zero page written", "page becomes zero after holding data", "zero page gets data", "page rewritten in several rounds",
        "run across a batch boundary", "run across a recv chunk boundary", "1 KiB pages", "8 KiB pages", "8 channels", "4 blocks",
        "no live round", "3 live rounds", "rate-limited iterations",
    ];

    private static IEnumerable<string> Features(GeneratedCase c)
    {
        var cfg = c.Config;
        var lists = c.Workload.Rounds.Prepend(c.Workload.Initial).ToList();
        if (lists.Any(l => l.Any(w => w.Fill.Zero))) yield return "zero page written";
        var (toZero, fromZero) = Transitions(c.Workload);
        if (toZero) yield return "page becomes zero after holding data";
        if (fromZero) yield return "zero page gets data";
        var rounds = c.Workload.Rounds.SelectMany((r, i) => r.Select(w => (w.Block, w.Page, Round: i))).Distinct();
        if (rounds.GroupBy(x => (x.Block, x.Page)).Any(g => g.Count() > 1)) yield return "page rewritten in several rounds";
        if (lists.Any(l => Straddles(l, cfg.PagesPerBatch))) yield return "run across a batch boundary";
        if (lists.Any(l => Straddles(l, cfg.LoadChunkBytes / cfg.PageSize))) yield return "run across a recv chunk boundary";
        if (cfg.PageSize == 1024) yield return "1 KiB pages";
        if (cfg.PageSize == 8192) yield return "8 KiB pages";
        if (cfg.Channels == 8) yield return "8 channels";
        if (cfg.Blocks.Count == 4) yield return "4 blocks";
        if (cfg.LiveRounds == 0) yield return "no live round";
        if (cfg.LiveRounds == 3) yield return "3 live rounds";
        if (cfg.PagesPerIteration > 0) yield return "rate-limited iterations";
    }

    /// <summary>Whether a live write turns a data page to zero, and whether one turns a zero (written) page to data.</summary>
    private static (bool ToZero, bool FromZero) Transitions(Workload w)
    {
        var data = w.Initial.GroupBy(x => (x.Block, x.Page)).ToDictionary(g => g.Key, g => !g.Last().Fill.Zero);
        bool toZero = false, fromZero = false;
        foreach (var x in w.Rounds.SelectMany(r => r))
        {
            var had = data.TryGetValue((x.Block, x.Page), out var d) && d;
            toZero |= had && x.Fill.Zero;
            fromZero |= data.ContainsKey((x.Block, x.Page)) && !had && !x.Fill.Zero;
            data[(x.Block, x.Page)] = !x.Fill.Zero;
        }
        return (toZero, fromZero);
    }

    /// <summary>Two consecutive writes of one list to pages k·every − 1 and k·every of a block.</summary>
    private static bool Straddles(IReadOnlyList<PageWrite> writes, int every)
    {
        for (var i = 1; i < writes.Count; i++)
        {
            var (a, b) = (writes[i - 1], writes[i]);
            if (a.Block == b.Block && b.Page == a.Page + 1 && b.Page % every == 0) return true;
        }
        return false;
    }

    private static void AssertValid(GeneratedCase c)
    {
        c.Config.Validate();
        Assert.Equal(c.Config.LiveRounds, c.Workload.Rounds.Count);
        foreach (var w in c.Workload.Initial.Concat(c.Workload.Rounds.SelectMany(r => r)))
        {
            Assert.InRange(w.Block, 0, c.Config.Blocks.Count - 1);
            Assert.InRange(w.Page, 0, c.Config.Blocks[w.Block].UsedLength / c.Config.PageSize - 1);
        }
    }

    /// <summary>Size, plus how late the writes come (a write moved one round earlier is a smaller case).</summary>
    private static long Weight(GeneratedCase c)
        => c.Writes + c.Rounds + c.Config.Channels + c.Config.Blocks.Count + c.TotalPages + (c.Config.PagesPerIteration == 0 ? 0 : 1)
            + c.Workload.Rounds.Select((r, i) => (long)r.Count * (i + 1)).Sum();
}
