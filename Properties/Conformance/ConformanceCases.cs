using SyncModel.Implementation.Guest;
using SyncModel.Model.Conformance;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Conformance;

/// <summary>Small configurations the model can hold (≤ 8 channels, ≤ 16 pages), workloads for them, and trace dumps.</summary>
internal static class ConformanceCases
{
    private const int Page = 4096;

    /// <summary>A configuration: blocks in pages, live rounds, batch and chunk in pages, pages per iterate call.</summary>
    public static MigrationConfig Config(int channels, int[] blocks, int rounds, int batch, int chunk, FlushSetting f,
        int pagesPerIteration = 0, Mutation mutations = Mutation.None) => new MigrationConfig
    {
        Channels = channels,
        Blocks = [.. blocks.Select((pages, i) => new RamBlockSpec(i == 0 ? "pc.ram" : $"ram{i}", pages * Page))],
        LiveRounds = rounds,
        PagesPerBatch = batch,
        LoadChunkBytes = chunk * Page,
        PagesPerIteration = pagesPerIteration,
        FlushAfterEachSection = f,
        Mutations = mutations,
    }.Validate();

    /// <summary>The shapes every correct policy runs: 1–4 channels, one or two blocks, 0–2 live rounds, batches and
    /// chunks of 1–3 pages, and one rate-limited save whose iterate calls stop mid-round.</summary>
    public static readonly (int Channels, int[] Blocks, int Rounds, int Batch, int Chunk, int PerIteration)[] Shapes =
    [
        (1, [6], 0, 1, 1, 0),
        (2, [6], 1, 2, 2, 0),
        (3, [8], 2, 3, 2, 0),
        (4, [5], 2, 2, 3, 0),
        (2, [4, 3], 2, 1, 1, 0),
        (2, [7], 2, 2, 1, 3),
    ];

    /// <summary>A guest with some zero pages at the start that rewrites about half of its pages per round, a tenth of
    /// them with zeros (pages becoming zero, pages stopping being zero, pages written in several rounds).</summary>
    public static Workload Guest(MigrationConfig config, int seed) =>
        Workload.Synthetic(config, config.LiveRounds, dirtyPercent: 50, zeroPercent: 25, seed);

    /// <summary>The trace around event <paramref name="index"/> and the result, for a failing assertion.</summary>
    public static string Dump(IReadOnlyList<TraceEvent> trace, ConformanceResult r, int index = -1)
    {
        var at = index >= 0 ? index : r.RejectedIndex >= 0 ? r.RejectedIndex : trace.Count - 1;
        var lines = new List<string> { r.ToString() };
        if (r.Expected.Count > 0) lines.Add("expected: " + string.Join(" | ", r.Expected));
        for (var i = Math.Max(0, at - 15); i <= Math.Min(trace.Count - 1, at + 2); i++) lines.Add($"{(i == at ? ">" : " ")}{i,4}: {trace[i]}");
        return string.Join(Environment.NewLine, lines);
    }

    public static SyncPolicy Policy(string name) => SyncPolicies.Parse(name);
}
