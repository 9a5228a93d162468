using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Spectre.Console;

namespace SyncModel.Cli.Commands;

/// <summary>
/// <c>syncmodel bench --suite model</c>: the exhaustive checker on a fixed list of configurations, each in its own
/// <c>syncmodel check --json</c> process (so every row's time and peak memory are its own): the rows of issue 11's table,
/// the goal rows for both merged presets, the rows Spin was measured on (a total guest budget), and each reduction's
/// ratio (states with it off over states with everything on) on configurations small enough to close without it.
/// </summary>
public static class ModelBench
{
    public sealed record Row(string Section, string Policy, string Config, string Verdict, long States, long Transitions, double Seconds,
        double StatesPerSecond, double PeakMiB, double BytesPerState, bool Closed);

    public sealed record Ratio(string Config, string Reduction, long StatesOn, long StatesOff, bool OffClosed, double Factor, double SecondsOn, double SecondsOff);

    public sealed record Result(List<Row> Rows, List<Ratio> Ratios);

    private const string V9 = "qemu-9.0-mapped-ram";
    private const string V10 = "qemu-10.0-mapped-ram";

    /// <summary>The rows: section, policy, check flags. <paramref name="quick"/> leaves out the ones that take minutes.</summary>
    public static IEnumerable<(string Section, string Policy, string Args)> Rows(bool quick)
    {
        yield return ("issue table", V9, "-n 4 --pages 8");
        yield return ("issue table", V9, "-n 4 --pages 8 --live");
        yield return ("issue table", V9, "--live --save-only -n 2 --pages 4 --guest-writes 1");
        yield return ("issue table", V9, "--live --save-only -n 2 --pages 4");
        yield return ("issue table", V9, "--live --save-only -n 3 --pages 6 --guest-writes 1");
        yield return ("issue table", V9, "--live --save-only -n 4 --pages 8 --guest-writes 1");
        yield return ("issue table", V9, "--live --save-only -n 4 --pages 8");
        yield return ("goal", V10, "-n 4 --pages 8 --live");
        if (!quick)
        {
            foreach (var p in new[] { V9, V10 }) yield return ("goal", p, "-n 8 --pages 8 --live");
            foreach (var p in new[] { V9, V10 }) yield return ("goal", p, "-n 8 --pages 16");
        }
        yield return ("Spin's rows (total guest budget)", V9, "--live --save-only -n 4 --pages 8 --guest-writes 15 --guest-budget 2");
        yield return ("Spin's rows (total guest budget)", V9, "--live --save-only -n 5 --pages 8 --guest-writes 15 --guest-budget 2");
        yield return ("Spin's rows (total guest budget)", V9, "--live --save-only -n 6 --pages 8 --guest-writes 15 --guest-budget 2");
        yield return ("Spin's rows (total guest budget)", V9, "--live --save-only -n 2 --pages 4 --guest-writes 15 --guest-budget 6");
        if (!quick) yield return ("Spin's rows (total guest budget)", V9, "--live --save-only -n 3 --pages 6 --guest-writes 15 --guest-budget 6");
    }

    /// <summary>The configurations the reductions' ratios are measured on, and the state cap of the runs without one.</summary>
    public static IEnumerable<(string Policy, string Args)> RatioConfigs() =>
    [
        (V9, "-n 4 --pages 8"),
        (V9, "--live --save-only -n 3 --pages 6 --guest-writes 1"),
        (V9, "-n 3 --pages 6 --live --guest-writes 1"),
    ];

    public static Result Measure(bool quick, long maxMemory, int ratioCap, Action<string>? log = null)
    {
        var rows = new List<Row>();
        var memory = maxMemory > 0 ? $" --max-memory {maxMemory}" : "";
        foreach (var (section, policy, args) in Rows(quick))
        {
            log?.Invoke($"{policy} {args}");
            rows.Add(ToRow(section, policy, args, Run($"check --policy {policy} {args}{memory}")));
        }
        var ratios = new List<Ratio>();
        foreach (var (policy, args) in RatioConfigs())
        {
            var on = Run($"check --policy {policy} {args}{memory}");
            foreach (var (name, flag) in new[] { ("channel symmetry", "--no-symmetry"), ("partial order", "--no-por"), ("abstraction", "--no-abstraction") })
            {
                log?.Invoke($"{policy} {args} {flag}");
                var off = Run($"check --policy {policy} {args} {flag} --max-states {ratioCap}{memory}");
                var statesOn = on.GetProperty("states").GetInt64();
                var statesOff = off.GetProperty("states").GetInt64();
                ratios.Add(new Ratio($"{args}", name, statesOn, statesOff, off.GetProperty("closed").GetBoolean(),
                    Math.Round((double)statesOff / Math.Max(1, statesOn), 1), Seconds(on), Seconds(off)));
            }
        }
        return new Result(rows, ratios);
    }

    public static void Print(Result r)
    {
        var inv = CultureInfo.InvariantCulture;
        Console.WriteLine("syncmodel check, own engine (exact visited set, both cores), every reduction on unless the row says; each row in its own process");
        foreach (var section in r.Rows.Select(x => x.Section).Distinct())
        {
            Console.WriteLine();
            Console.WriteLine(section);
            var t = new Table().Border(TableBorder.Simple).AddColumns("policy", "flags", "verdict", "states", "seconds", "states/s", "peak MiB", "B/state", "closed");
            foreach (var x in r.Rows.Where(x => x.Section == section))
                t.AddRow(x.Policy, x.Config, x.Verdict, x.States.ToString("N0", inv), x.Seconds.ToString("F1", inv), x.StatesPerSecond.ToString("N0", inv),
                    x.PeakMiB.ToString("N0", inv), x.BytesPerState.ToString("F1", inv), x.Closed ? "yes" : "no");
            AnsiConsole.Write(t);
        }
        Console.WriteLine();
        Console.WriteLine("each reduction's ratio: states with it off / states with everything on (\u2265 when the run without it stopped at its state cap)");
        var rt = new Table().Border(TableBorder.Simple).AddColumns("flags (qemu-9.0-mapped-ram)", "reduction", "states on", "states off", "ratio", "seconds on", "seconds off");
        foreach (var x in r.Ratios)
            rt.AddRow(x.Config, x.Reduction, x.StatesOn.ToString("N0", inv), x.StatesOff.ToString("N0", inv), (x.OffClosed ? "" : "\u2265 ") + x.Factor.ToString("F1", inv),
                x.SecondsOn.ToString("F1", inv), x.SecondsOff.ToString("F1", inv));
        AnsiConsole.Write(rt);
    }

    private static Row ToRow(string section, string policy, string args, JsonElement e) => new(
        section, policy, args, e.GetProperty("verdict").GetString() ?? "", e.GetProperty("states").GetInt64(), e.GetProperty("transitions").GetInt64(),
        Seconds(e), e.GetProperty("statesPerSecond").GetDouble(), Math.Round(e.GetProperty("peakMemoryBytes").GetInt64() / (1024.0 * 1024)),
        e.GetProperty("bytesPerState").GetDouble(), e.GetProperty("closed").GetBoolean());

    private static double Seconds(JsonElement e) => e.GetProperty("elapsedSeconds").GetDouble();

    /// <summary>Runs <c>syncmodel ARGS --json</c> in a child process and returns its first result.</summary>
    private static JsonElement Run(string args)
    {
        var reports = Directory.CreateTempSubdirectory("syncmodel-bench-").FullName;
        try
        {
            var (file, prefix) = Self();
            var info = new ProcessStartInfo(file, $"{prefix}{args} --json --reports {reports}")
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            using var p = Process.Start(info) ?? throw new InvalidOperationException("could not start syncmodel");
            var stderr = p.StandardError.ReadToEndAsync();
            var stdout = p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            _ = stderr.Result;
            using var doc = JsonDocument.Parse(stdout);
            return doc.RootElement.GetProperty("results")[0].Clone();
        }
        finally
        {
            Directory.Delete(reports, recursive: true);
        }
    }

    /// <summary>How to start this program again: its apphost, or dotnet with its assembly.</summary>
    private static (string File, string Prefix) Self()
    {
        var path = Environment.ProcessPath ?? "dotnet";
        var assembly = typeof(ModelBench).Assembly.Location;
        return Path.GetFileNameWithoutExtension(path) == "dotnet" ? (path, $"\"{assembly}\" ") : (path, "");
    }
}
