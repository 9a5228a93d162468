using System.Globalization;
using SyncModel.Implementation.Guest;
using SyncModel.Protocol.Config;

namespace SyncModel.Properties.Generated;

/// <summary>
/// One generated migration: the configuration (channels, page size, blocks, batches, chunks, live rounds,
/// pages per iteration) and what the guest writes before and during the live rounds. The policy and F are
/// not part of it: the properties run a case under each policy they check.
/// </summary>
public sealed record GeneratedCase(MigrationConfig Config, Workload Workload)
{
    /// <summary>Writes before the save starts.</summary>
    public int InitialWrites => Workload.Initial.Count;

    /// <summary>Writes the guest performs while the save runs.</summary>
    public int LiveWrites => Workload.Rounds.Sum(r => r.Count);

    /// <summary>Every page write of the workload (initial and live).</summary>
    public int Writes => InitialWrites + LiveWrites;

    /// <summary>Distinct pages the workload writes.</summary>
    public int PagesWritten => Workload.Initial.Concat(Workload.Rounds.SelectMany(r => r)).Select(w => (w.Block, w.Page)).Distinct().Count();

    public int Rounds => Config.LiveRounds;

    public long TotalPages => Config.Blocks.Sum(b => b.UsedLength / Config.PageSize);

    /// <summary>How a shrunk case is ranked: fewer pages written first, then fewer rounds, writes, channels and pages of RAM.</summary>
    public (int, int, int, int, long) Size => (PagesWritten, Rounds, Writes, Config.Channels, TotalPages);

    /// <summary>"2 pages written (1 initial + 2 live writes), 1 live round".</summary>
    public string SizeText => $"{PagesWritten} page(s) written ({InitialWrites} initial + {LiveWrites} live writes), {Rounds} live round(s)";

    public GeneratedCase With(MigrationConfig config) => this with { Config = config.Validate() };

    /// <summary>One line for test output: the shape and the size.</summary>
    public string Summary()
    {
        var c = Config;
        var blocks = string.Join("+", c.Blocks.Select(b => (b.UsedLength / c.PageSize).ToString(CultureInfo.InvariantCulture)));
        var perIteration = c.PagesPerIteration == 0 ? "all" : c.PagesPerIteration.ToString(CultureInfo.InvariantCulture);
        return $"{c.Channels}ch, pages {blocks} of {c.PageSize} B, batch {c.PagesPerBatch}, chunk {c.LoadChunkBytes / c.PageSize} pages, "
            + $"{c.LiveRounds} live round(s), {perIteration} pages/iteration; {InitialWrites} initial + {LiveWrites} live writes";
    }

    /// <summary>The full case: what a failing property prints and what a report's workload shows.</summary>
    public override string ToString()
        => Summary() + (Config.Mutations == Mutation.None ? "" : $", mutations {Config.Mutations}") + "\n  " + Workload;
}
