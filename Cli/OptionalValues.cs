using System.CommandLine;

namespace SyncModel.Cli;

/// <summary>Options whose value may be left out: <c>--errors</c> alone means one thing, <c>--errors=src</c> another.</summary>
public static class OptionalValues
{
    /// <summary>An option that takes zero or one value.</summary>
    public static Option<string?> Create(string name, string description, params string[] aliases)
        => new(name, aliases) { Description = description, Arity = ArgumentArity.ZeroOrOne };

    /// <summary>The option's value; <paramref name="bare"/> when given without one; <paramref name="absent"/> when not given.</summary>
    public static string Get(ParseResult r, Option<string?> option, string bare, string absent)
    {
        if (!Given(r, option)) return absent;
        var v = r.GetValue(option);
        return string.IsNullOrEmpty(v) ? bare : v;
    }

    /// <summary>Whether the option appears on the command line at all.</summary>
    public static bool Given(ParseResult r, Option option) => r.GetResult(option) is { Implicit: false };

    /// <summary>"30s", "2m", "1h", or plain seconds.</summary>
    public static TimeSpan ParseDuration(string text)
    {
        var t = text.Trim().ToLowerInvariant();
        var (digits, scale) = t.EndsWith('s') ? (t[..^1], 1) : t.EndsWith('m') ? (t[..^1], 60) : t.EndsWith('h') ? (t[..^1], 3600) : (t, 1);
        if (!double.TryParse(digits, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var n) || n <= 0)
            throw new FormatException($"duration '{text}': expected e.g. 30s, 2m or 90");
        return TimeSpan.FromSeconds(n * scale);
    }
}
