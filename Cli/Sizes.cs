using System.Globalization;

namespace SyncModel.Cli;

/// <summary>Byte sizes on the command line: 4096, 64K, 256M, 1G (binary units).</summary>
public static class Sizes
{
    public static long Parse(string text)
    {
        var t = text.Trim();
        if (t.Length == 0) throw new FormatException("empty size");
        var unit = char.ToUpperInvariant(t[^1]);
        var shift = unit switch { 'K' => 10, 'M' => 20, 'G' => 30, 'T' => 40, _ => 0 };
        var digits = shift == 0 ? t : t[..^1];
        if (digits.EndsWith("i", StringComparison.OrdinalIgnoreCase)) throw new FormatException($"size '{text}': write 256M, not 256Mi");
        if (!long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var n) || n <= 0 || n > long.MaxValue >> shift)
            throw new FormatException($"size '{text}': expected a positive number of bytes, optionally with K, M, G or T");
        return n << shift;
    }

    public static string Format(long bytes) => bytes switch
    {
        >= 1L << 30 when bytes % (1L << 30) == 0 => $"{bytes >> 30}G",
        >= 1L << 20 when bytes % (1L << 20) == 0 => $"{bytes >> 20}M",
        >= 1L << 10 when bytes % (1L << 10) == 0 => $"{bytes >> 10}K",
        _ => bytes.ToString(CultureInfo.InvariantCulture),
    };
}
