using CsCheck;
using Xunit.Sdk;

namespace SyncModel.Properties.Generated;

/// <summary>
/// Runs a CsCheck sample and turns a failure into one that names the seed to rerun it with. With
/// <c>SYNCMODEL_SEED</c> set it runs just the case of that seed, once, on one thread: CsCheck would otherwise go on
/// sampling (and shrinking) from fresh seeds after it.
/// </summary>
public static class CsCheckRun
{
    /// <summary><paramref name="seconds"/> &gt; 0 samples for that long instead of <paramref name="iter"/> times (CsCheck keeps shrinking a failure meanwhile).</summary>
    public static void Sample<T>(Gen<T> gen, Action<T> assert, string test, long iter, Action<string>? writeLine = null, int threads = -1, int seconds = -1)
    {
        var seed = PropertySeed.CsCheckSeed();
        try
        {
            gen.Sample(assert, writeLine, seed, seed is null ? iter : 1, seed is null ? seconds : -1, seed is null ? threads : 1, print: v => v?.ToString() ?? "null");
        }
        catch (CsCheckException e)
        {
            var printed = PropertySeed.FromCsCheckMessage(e.Message) ?? seed ?? "?";
            throw new XunitException($"{e.Message}\n{PropertySeed.RerunLine(printed, test)}");
        }
    }
}
