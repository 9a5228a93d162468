using System.Globalization;
using System.Text.RegularExpressions;
using CsCheck;
using FsCheck;
using Microsoft.FSharp.Core;

namespace SyncModel.Properties.Generated;

/// <summary>
/// <c>SYNCMODEL_SEED</c> fixes the seed of the generated-workload properties. It takes what a failing property
/// printed: an FsCheck replay <c>(seed,gamma)</c>, a CsCheck seed (12–17 characters), or a plain number, which
/// both libraries accept (FsCheck as <c>new Rnd(n)</c>, CsCheck as the stream-0 PCG seeded with n). An FsCheck
/// property replays its whole run from it; a CsCheck property runs the one case of that seed. Unset, every run
/// draws a fresh seed, and a failure prints the one that reruns it. Set it together with a test filter.
/// </summary>
public static partial class PropertySeed
{
    public const string Variable = "SYNCMODEL_SEED";

    /// <summary>The variable's value, or null when unset or blank.</summary>
    public static string? Fixed => Environment.GetEnvironmentVariable(Variable) is { } s && !string.IsNullOrWhiteSpace(s) ? s.Trim() : null;

    /// <summary>The FsCheck random state for <paramref name="text"/>: "(s,g)", "s,g", "n", or a CsCheck seed (its state and stream).</summary>
    public static Rnd FsCheckRnd(string text)
    {
        var parts = text.Trim('(', ')', ' ').Split(',', StringSplitOptions.TrimEntries);
        if (parts.Length == 1 && !ulong.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            var pcg = PCG.Parse(parts[0]);
            return new Rnd(pcg.Seed, 2UL * pcg.Stream + 1);
        }
        return parts.Length switch
        {
            1 => new Rnd(ulong.Parse(parts[0], CultureInfo.InvariantCulture)),
            2 or 3 => new Rnd(ulong.Parse(parts[0], CultureInfo.InvariantCulture), ulong.Parse(parts[1], CultureInfo.InvariantCulture)),
            _ => throw new FormatException($"{Variable}='{text}' is not an FsCheck replay '(seed,gamma)', a CsCheck seed or a number"),
        };
    }

    /// <summary>The replay string FsCheck prints and <c>[Property(Replay = ...)]</c> takes.</summary>
    public static string FsCheckReplay(Rnd rnd) => $"({rnd.Seed},{rnd.Gamma})";

    /// <summary>An FsCheck configuration replaying <see cref="Fixed"/>, or a fresh random state; returns the replay string either way.</summary>
    public static (Config Config, string Replay) FsCheckConfig(Config baseConfig)
    {
        var rnd = Fixed is { } s ? FsCheckRnd(s) : new Rnd((ulong)System.Random.Shared.NextInt64(), (ulong)System.Random.Shared.NextInt64() | 1);
        var replay = new Replay(rnd, FSharpOption<int>.None);
        return (baseConfig.WithReplay(FSharpOption<Replay>.Some(replay)), FsCheckReplay(rnd));
    }

    /// <summary>
    /// The CsCheck seed for <see cref="Fixed"/>, null when unset: a CsCheck seed as printed, or a number n (also the
    /// first number of an FsCheck replay), which stands for the stream-0 PCG seeded with n.
    /// </summary>
    public static string? CsCheckSeed()
    {
        if (Fixed is not { } s) return null;
        var first = s.Trim('(', ')', ' ').Split(',')[0].Trim();
        return ulong.TryParse(first, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? new PCG(0, n).ToString() : PCG.Parse(first).ToString();
    }

    /// <summary>The seed in a CsCheck failure message ("... -e CsCheck_Seed=0N0XIzNsQ0O2 ...").</summary>
    public static string? FromCsCheckMessage(string message) => CsCheckSeedPattern().Match(message) is { Success: true } m ? m.Groups[1].Value : null;

    /// <summary>The line a failing property prints: the variable and the test to rerun.</summary>
    public static string RerunLine(string seed, string test) => $"rerun exactly: {Variable}='{seed}' dotnet test Properties --filter \"FullyQualifiedName~{test}\"";

    [GeneratedRegex(@"CsCheck_Seed=(\S+)")]
    private static partial Regex CsCheckSeedPattern();
}
