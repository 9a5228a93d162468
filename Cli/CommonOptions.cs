using System.CommandLine;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Cli;

/// <summary>Options several verbs share, built fresh for each command.</summary>
public static class CommonOptions
{
    public static Option<bool> Json() => new("--json") { Description = "print one JSON document on stdout" };

    public static Option<string> Minimize() => new("--minimize")
    {
        Description = "time to shorten each violation found (a smaller scenario, a shorter schedule, same property); 0 keeps the first schedule",
        DefaultValueFactory = _ => "20s",
    };

    /// <summary>--minimize's budget; zero when it is 0 or "off".</summary>
    public static TimeSpan ParseMinimize(string text)
        => text.Trim() is "0" or "0s" or "off" ? TimeSpan.Zero : OptionalValues.ParseDuration(text);

    public static Option<int> Channels(int fallback = 2) => new("--channels", "-n")
    {
        Description = "multifd channels (1..64)",
        DefaultValueFactory = _ => fallback,
    };

    public static Option<string> Policy(string fallback = "qemu-10.0-mapped-ram") => new("--policy", "-p")
    {
        Description = $"sync policy: {string.Join(", ", SyncPolicies.All.Select(p => p.Name))}",
        DefaultValueFactory = _ => fallback,
    };

    public static Option<string> Flush() => new("--flush-after-each-section", "-F")
    {
        Description = "multifd_flush_after_each_section: on, off, or SRC,DST",
        DefaultValueFactory = _ => "off",
    };

    public static Option<string> Ram(string fallback) => new("--ram")
    {
        Description = "guest RAM size of a single block 'pc.ram' (e.g. 256M)",
        DefaultValueFactory = _ => fallback,
    };

    public static Option<string?> Blocks() => new("--blocks")
    {
        Description = "RAM blocks as NAME=SIZE,NAME=SIZE,... (overrides --ram)",
    };

    public static Option<int> Rounds(int fallback = 0) => new("--rounds")
    {
        Description = "live rounds: iterations while the guest keeps writing",
        DefaultValueFactory = _ => fallback,
    };

    public static Option<double> DirtyRate(double fallback = 5) => new("--dirty-rate")
    {
        Description = "percent of pages the guest rewrites per live round",
        DefaultValueFactory = _ => fallback,
    };

    public static Option<double> ZeroPages(double fallback = 10) => new("--zero-pages")
    {
        Description = "percent of pages that start zero",
        DefaultValueFactory = _ => fallback,
    };

    public static Option<int> Seed() => new("--seed")
    {
        Description = "seed of the synthetic guest",
        DefaultValueFactory = _ => 1,
    };

    public static SyncPolicy ParsePolicy(string name) => SyncPolicies.Parse(name);

    /// <summary>The RAM blocks from --blocks, or one "pc.ram" of --ram bytes.</summary>
    public static IReadOnlyList<RamBlockSpec> ParseBlocks(string ram, string? blocks)
    {
        if (string.IsNullOrWhiteSpace(blocks)) return [new("pc.ram", Sizes.Parse(ram))];
        return blocks.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(spec =>
        {
            var eq = spec.LastIndexOf('=');
            if (eq <= 0) throw new FormatException($"block '{spec}': expected NAME=SIZE");
            return new RamBlockSpec(spec[..eq], Sizes.Parse(spec[(eq + 1)..]));
        }).ToArray();
    }
}
