using SyncModel.Properties.Support;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Properties.Generated;

/// <summary>RoundTrip on real threads for one generated case: a live save with the guest writing, then a load.</summary>
public static class RoundTripCheck
{
    /// <summary>
    /// The first thing wrong with save-then-load of <paramref name="c"/> under <paramref name="policy"/> and
    /// <paramref name="flush"/>, or null: a stream checker that fired, a page that breaks NoStalePage in the file,
    /// or a page where the restored RAM differs from the guest as of completion.
    /// </summary>
    public static string? FirstProblem(GeneratedCase c, SyncPolicy policy, FlushSetting flush)
    {
        var o = Runs.SaveThenLoad(c.Config with { FlushAfterEachSection = flush }, policy, c.Workload);
        if (o.Violation is { } v) return $"{v.Property}: {v.Message}";
        if (o.Stale is { } stale) return $"NoStalePage: {stale}";
        return o.Difference is { } d ? $"RoundTrip: the restored RAM differs from the guest at {d}" : null;
    }
}
