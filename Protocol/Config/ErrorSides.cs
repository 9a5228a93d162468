namespace SyncModel.Protocol.Config;

/// <summary>Which side's channel IO the model may fail (at most one failure per run).</summary>
[Flags]
public enum ErrorSides
{
    /// <summary>No IO fails.</summary>
    None = 0,
    /// <summary>A send channel's write may fail (reference §2.3 error path: the thread kicks the migration thread and exits).</summary>
    Source = 1,
    /// <summary>A recv channel's read may fail (reference §3.2 error path: terminate the recv threads; §3.7).</summary>
    Destination = 2,
    /// <summary>Either side.</summary>
    Both = Source | Destination,
}

/// <summary>Parsing and printing of <see cref="ErrorSides"/> for the command line.</summary>
public static class ErrorSidesText
{
    /// <summary>"none", "src", "dst", "both" (also "source", "destination", "on" = both, "off" = none).</summary>
    public static ErrorSides Parse(string text) => text.Trim().ToLowerInvariant() switch
    {
        "none" or "off" or "false" => ErrorSides.None,
        "src" or "source" => ErrorSides.Source,
        "dst" or "dest" or "destination" => ErrorSides.Destination,
        "both" or "on" or "true" or "src,dst" => ErrorSides.Both,
        _ => throw new ArgumentException($"errors '{text}': expected none, src, dst or both"),
    };

    public static string Format(ErrorSides sides) => sides switch
    {
        ErrorSides.None => "none",
        ErrorSides.Source => "src",
        ErrorSides.Destination => "dst",
        _ => "both",
    };
}
