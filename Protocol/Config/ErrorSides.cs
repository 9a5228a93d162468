namespace SyncModel.Protocol.Config;

/// <summary>Which IO may fail (at most one failure per run and per kind).</summary>
[Flags]
public enum ErrorSides
{
    /// <summary>No IO fails.</summary>
    None = 0,
    /// <summary>A send channel's write may fail (docs/protocol.md §2.3 error path: the thread kicks the migration thread and exits).</summary>
    Source = 1,
    /// <summary>A recv channel's read may fail (docs/protocol.md §3.2 error path: terminate the recv threads; §3.7).</summary>
    Destination = 2,
    /// <summary>Either side.</summary>
    Both = Source | Destination,
    /// <summary>
    /// The creation of a send channel may fail: a socket's asynchronous connect (<c>multifd_new_send_channel_async</c>,
    /// docs/protocol.md §5.4) or a file channel's open (§2.9's creation table).
    /// </summary>
    Connect = 4,
    /// <summary>
    /// The destination's main stream may break (a cancelled migration: QEMU's multifd cancel tests; docs/protocol.md §5.9).
    /// Socket transport only; in the model with a socket migration's destination.
    /// </summary>
    Main = 8,
}

/// <summary>Parsing and printing of <see cref="ErrorSides"/> for the command line.</summary>
public static class ErrorSidesText
{
    /// <summary>What the model can inject; the rest is exploration-only.</summary>
    public const ErrorSides Modelled = ErrorSides.Both | ErrorSides.Connect | ErrorSides.Main;

    /// <summary>
    /// A comma-separated list of "none", "src", "dst", "both", "connect", "main" (also "source", "destination",
    /// "on" = both, "off" = none).
    /// </summary>
    public static ErrorSides Parse(string text)
    {
        var result = ErrorSides.None;
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            result |= part.ToLowerInvariant() switch
            {
                "none" or "off" or "false" => ErrorSides.None,
                "src" or "source" => ErrorSides.Source,
                "dst" or "dest" or "destination" => ErrorSides.Destination,
                "both" or "on" or "true" => ErrorSides.Both,
                "connect" => ErrorSides.Connect,
                "main" => ErrorSides.Main,
                _ => throw new ArgumentException($"errors '{text}': expected none, src, dst, both, connect or main (comma-separated)"),
            };
        }
        return result;
    }

    /// <summary>"none", "src", "dst", "both", or those and "connect"/"main" joined by commas.</summary>
    public static string Format(ErrorSides sides)
    {
        if (sides == ErrorSides.None) return "none";
        var parts = new List<string>();
        if ((sides & ErrorSides.Both) == ErrorSides.Both) parts.Add("both");
        else if (sides.HasFlag(ErrorSides.Source)) parts.Add("src");
        else if (sides.HasFlag(ErrorSides.Destination)) parts.Add("dst");
        if (sides.HasFlag(ErrorSides.Connect)) parts.Add("connect");
        if (sides.HasFlag(ErrorSides.Main)) parts.Add("main");
        return string.Join(",", parts);
    }
}
