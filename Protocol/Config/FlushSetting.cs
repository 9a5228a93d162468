namespace SyncModel.Protocol.Config;

/// <summary>
/// <c>multifd_flush_after_each_section</c> (F) on the source and on the destination. QEMU reads it from
/// the machine type on each side, so the two can differ (docs/protocol.md §4, §4(a)).
/// </summary>
public readonly record struct FlushSetting(bool Source, bool Destination)
{
    public static readonly FlushSetting Off = new(false, false);
    public static readonly FlushSetting On = new(true, true);

    /// <summary>Parses "on", "off", or "SRC,DST" with each of on/off/true/false/1/0.</summary>
    public static FlushSetting Parse(string text)
    {
        var parts = text.Split(',', StringSplitOptions.TrimEntries);
        return parts.Length switch
        {
            1 => ParseOne(parts[0]) ? On : Off,
            2 => new FlushSetting(ParseOne(parts[0]), ParseOne(parts[1])),
            _ => throw new ArgumentException($"flush-after-each-section '{text}': expected on, off, or SRC,DST"),
        };
    }

    private static bool ParseOne(string s) => s.ToLowerInvariant() switch
    {
        "on" or "true" or "1" or "yes" => true,
        "off" or "false" or "0" or "no" => false,
        _ => throw new ArgumentException($"flush-after-each-section value '{s}': expected on or off"),
    };

    public override string ToString() => Source == Destination ? (Source ? "on" : "off") : $"src={(Source ? "on" : "off")},dst={(Destination ? "on" : "off")}";
}
