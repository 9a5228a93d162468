namespace SyncModel.Protocol.Reports;

/// <summary>
/// A Coyote report's scenario, complete enough to run it again: the policy and F, the shape of the migration, which IO may
/// fail, the mutations, and the guest's writes. <c>replay</c> rebuilds the scenario from it.
/// </summary>
public sealed record ReportScenario
{
    public required string Policy { get; init; }
    public required bool FlushSource { get; init; }
    public required bool FlushDestination { get; init; }
    public required int Channels { get; init; }
    /// <summary>Save, Load or SaveThenLoad.</summary>
    public required string Kind { get; init; }
    public required string Errors { get; init; }
    public required string Mutations { get; init; }
    public required int LiveRounds { get; init; }
    public required int PageSize { get; init; }
    public required int PagesPerBatch { get; init; }
    public required int LoadChunkBytes { get; init; }
    public required int PagesPerIteration { get; init; }
    public required IReadOnlyList<ReportBlock> Blocks { get; init; }
    /// <summary>What the guest holds before the save.</summary>
    public required IReadOnlyList<ReportWrite> Initial { get; init; }
    /// <summary>What the guest writes during each live round.</summary>
    public required IReadOnlyList<IReadOnlyList<ReportWrite>> Rounds { get; init; }
}

/// <summary>A RAM block of a scenario.</summary>
public sealed record ReportBlock(string Name, long Pages);

/// <summary>One guest write: block, page and fill ("zeros", or "data:N" for the data pattern with seed N).</summary>
public sealed record ReportWrite(int Block, long Page, string Fill);
