namespace SyncModel.Cli.Hostile;

/// <summary>How one hostile input ended.</summary>
public enum HostileVerdict
{
    /// <summary>Inspect accepted it and a load into fresh RAM restored exactly what its bitmaps and pages say.</summary>
    ReadFine,
    /// <summary>A reader refused it with a <c>MigrationFormatException</c>.</summary>
    Rejected,
    /// <summary>Any other exception, a load that restored something else, or an allocation beyond the bound.</summary>
    Crash,
    /// <summary>Not finished within the time limit.</summary>
    Hang,
}

/// <summary>
/// One input's outcome: the verdict, which reader decided (inspect, load), the rejection class or the crash, and the
/// bytes the reading thread allocated beyond the RAM a fresh load must allocate.
/// </summary>
public sealed record HostileResult(HostileInput Input, HostileVerdict Verdict, string Stage, string Detail, long Allocated)
{
    public override string ToString() => $"{Verdict} in {Stage}: {Detail} — {Input}";
}
