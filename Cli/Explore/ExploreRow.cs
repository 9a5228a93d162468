using SyncModel.Protocol.Vocabulary;
using SyncModel.Coyote.Exploration;
using SyncModel.Coyote.Scenarios;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Cli.Explore;

/// <summary>
/// One explored scenario as <c>explore</c> prints it, writes it into its results file and <c>merge</c> reads it back: what
/// was explored (the scenario's key), how (strategy, first seed, engines, shard), and what came out.
/// </summary>
public sealed record ExploreRow(
    string Policy,
    ExploreFlush FlushAfterEachSection,
    string Errors,
    string Scenario,
    int Channels,
    int Rounds,
    string Mutations,
    long Iterations,
    double Seconds,
    double IterationsPerSecond,
    /// <summary>A <see cref="Verdicts.Id"/>: "no-violation", "violated" or "incomplete".</summary>
    string Verdict,
    string? Property,
    long? FirstBugIteration,
    double? SecondsToFirstBug,
    string? Report,
    string Expected,
    bool AsExpected,
    string Strategy,
    uint Seed,
    int Workers,
    string Shard)
{
    /// <summary>Rows of different shards or runs that explored the same scenario share this key.</summary>
    public string Key => $"{Policy}|{FlushAfterEachSection.Source}|{FlushAfterEachSection.Destination}|{Errors}|{Scenario}|{Channels}|{Rounds}|{Mutations}";

    /// <summary>"on", "off" or "on,off" (source, destination).</summary>
    public string FlushText => FlushAfterEachSection.Source == FlushAfterEachSection.Destination
        ? OnOff(FlushAfterEachSection.Source)
        : $"{OnOff(FlushAfterEachSection.Source)},{OnOff(FlushAfterEachSection.Destination)}";

    public static ExploreRow From(ExploreRequest q, ExploreResult res, string? report, Shard shard)
    {
        var s = q.Scenario;
        var found = res.Property?.ToString() ?? ReferenceVerdicts.NoBug;
        return new ExploreRow(s.Policy.Name, new ExploreFlush(s.Flush.Source, s.Flush.Destination), ErrorSidesText.Format(s.Errors), s.Kind.ToString(),
            s.Config.Channels, s.Config.LiveRounds, s.Config.Mutations.ToString(), res.Iterations, Math.Round(res.Seconds, 2),
            Math.Round(res.IterationsPerSecond, 1), res.Verdict.Id(), res.Property?.ToString(), res.FirstBugIteration,
            res.SecondsToFirstBug is { } t ? Math.Round(t, 2) : null, report, q.Expected, IsExpected(q.Expected, res.Verdict.Id(), found),
            res.Strategy, res.Seed, res.Workers, shard.ToString());
    }

    /// <summary>A row matches docs/protocol.md when it found the expected property, or found nothing where no bug is expected;
    /// "?" rows always match, and an interrupted row that found nothing contradicts nothing (its run exits 130 anyway).</summary>
    public static bool IsExpected(string expected, string verdict, string found)
        => ReferenceVerdicts.Allows(expected, found) || verdict == VerdictKind.Incomplete.Id();

    private static string OnOff(bool b) => b ? "on" : "off";
}

/// <summary>F on each side.</summary>
public sealed record ExploreFlush(bool Source, bool Destination);
