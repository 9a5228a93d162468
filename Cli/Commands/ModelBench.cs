using Spectre.Console;
using SyncModel.Model;
using SyncModel.Protocol.Policies;

namespace SyncModel.Cli.Commands;

/// <summary>
/// <c>syncmodel bench --suite model</c>: the exhaustive checker's reach on qemu-9.0-mapped-ram, 8 pages × 2 rounds,
/// for 2, 3 and 4 channels, with and without the channel-symmetry reduction.
/// </summary>
public static class ModelBench
{
    public sealed record Row(int Channels, int Pages, int Rounds, bool Symmetry, string Verdict, long States, long Transitions, double Seconds, double StatesPerSecond, long PeakMemoryBytes);

    public static List<Row> Measure(int maxStates)
    {
        var rows = new List<Row>();
        foreach (var symmetry in new[] { true, false })
        {
            foreach (var channels in new[] { 2, 3, 4 })
            {
                var r = ModelChecker.Check(new ModelCheckOptions
                {
                    Policy = Qemu90MappedRam.Instance, Channels = channels, Pages = 8, Rounds = 2, Symmetry = symmetry, MaxStates = maxStates,
                });
                rows.Add(new Row(channels, 8, 2, symmetry, r.VerdictText, r.States, r.Transitions, Math.Round(r.Elapsed.TotalSeconds, 2), Math.Round(r.StatesPerSecond), r.PeakMemoryBytes));
                GC.Collect();
            }
        }
        return rows;
    }

    public static void Print(IEnumerable<Row> rows)
    {
        Console.WriteLine("qemu-9.0-mapped-ram, exhaustive breadth-first search (CsCheck Spec); 'incomplete' = stopped at --max-states before the space closed");
        var t = new Table().Border(TableBorder.Simple).AddColumns("channels × pages × rounds", "symmetry", "verdict", "states", "transitions", "seconds", "states/s", "peak memory");
        foreach (var r in rows)
            t.AddRow($"{r.Channels} × {r.Pages} × {r.Rounds}", r.Symmetry ? "on" : "off", r.Verdict, r.States.ToString("N0"), r.Transitions.ToString("N0"), $"{r.Seconds:F2}", r.StatesPerSecond.ToString("N0"), $"{r.PeakMemoryBytes / (1 << 20):N0} MiB");
        AnsiConsole.Write(t);
    }
}
