using System.CommandLine;
using System.Diagnostics;
using Microsoft.Win32.SafeHandles;
using Spectre.Console;
using SyncModel.Cli.Hostile;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Implementation.Recv;
using SyncModel.Implementation.Save;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Cli.Commands;

/// <summary>
/// <c>syncmodel bench</c>: save and load throughput with 1, 2 and 4 channels, each as a ratio to a same-run
/// baseline that pwrites/preads the same bytes contiguously from one thread (neither fdatasyncs: QEMU's file channels close without it, docs/protocol.md §1.8);
/// <c>--suite explore</c> and <c>--suite hostile</c> (<see cref="ExploreBench"/>, <see cref="HostileBench"/>).
/// Exit 1 when a hostile input crashed or hung a reader.
/// </summary>
public static class BenchCommand
{
    public static Command Create()
    {
        var size = new Option<string>("--size") { Description = "guest RAM to move per run (at least 256M for the reported figures)", DefaultValueFactory = _ => "256M" };
        var repeat = new Option<int>("--repeat") { Description = "runs per measurement; the median is reported", DefaultValueFactory = _ => 3 };
        var channelList = new Option<string>("--channels") { Description = "comma-separated channel counts", DefaultValueFactory = _ => "1,2,4" };
        var dir = new Option<string?>("--dir") { Description = "where to put the scratch files (default: the temp folder)" };
        var suite = new Option<string>("--suite") { Description = "io (save/load throughput), explore (Coyote vs real-thread stress, field scheduling points), workers (explore --workers speed-up), model (checker reach), hostile (mutated QEMU files) or all (io, explore, hostile)", DefaultValueFactory = _ => "io" };
        var strategy = new Option<string>("--strategy") { Description = "Coyote strategy for --suite explore", DefaultValueFactory = _ => "pct" };
        var campaigns = new Option<int>("--campaigns") { Description = "independent Coyote campaigns per scenario", DefaultValueFactory = _ => 5 };
        var budget = new Option<string>("--time") { Description = "time budget of one Coyote campaign", DefaultValueFactory = _ => "10s" };
        var count = new Option<int>("--count") { Description = "hostile inputs for --suite hostile", DefaultValueFactory = _ => 10_000 };
        var seed = new Option<int>("--seed") { Description = "seed of the hostile inputs (input i of seed s is the same everywhere)", DefaultValueFactory = _ => 1 };
        var vectors = new Option<string?>("--vectors") { Description = "folder of the QEMU files to mutate (default: the repository's testdata/qemu-vectors)" };
        var inputTimeout = new Option<string>("--input-timeout") { Description = "time one hostile input may take before it counts as a hang", DefaultValueFactory = _ => "10s" };
        var workerCount = new Option<int>("--workers") { Description = "engines for --suite workers (compared with one engine)", DefaultValueFactory = _ => 2 };
        var maxStates = new Option<int>("--max-states") { Description = "state cap of the model runs without a reduction, for the ratios (--suite model)", DefaultValueFactory = _ => 20_000_000 };
        var maxMemory = new Option<string?>("--max-memory") { Description = "memory each model run's visited set may use, e.g. 16G (--suite model); default three quarters of the memory available" };
        var quick = new Option<bool>("--quick") { Description = "leave out the model rows that take minutes (8 channels, Spin's 3-channel row)" };
        var json = CommonOptions.Json();
        var cmd = new Command("bench", "save/load throughput against a single-thread pwrite/pread baseline; Coyote exploration speed against real-thread stress; hostile input")
        {
            size, repeat, channelList, dir, suite, strategy, campaigns, budget, count, seed, vectors, inputTimeout, maxStates, maxMemory, quick, workerCount, json,
        };
        cmd.SetAction(r => CliRun.Guard(() =>
        {
            var which = r.GetValue(suite)!;
            if (which is not ("io" or "explore" or "workers" or "model" or "hostile" or "all")) throw new ArgumentException($"suite '{which}': expected io, explore, workers, model, hostile or all");
            if (which == "workers")
            {
                var w = ExploreBench.MeasureWorkers(r.GetValue(strategy)!, Math.Clamp(r.GetValue(workerCount), 2, 64), Math.Clamp(r.GetValue(campaigns), 1, 50), OptionalValues.ParseDuration(r.GetValue(budget)!));
                if (r.GetValue(json)) Json.Print(new { workers = w });
                else ExploreBench.PrintWorkers(w, OptionalValues.ParseDuration(r.GetValue(budget)!));
                return CliRun.Ok;
            }
            if (r.GetValue(count) < 1) throw new ArgumentException($"--count must be at least 1, got {r.GetValue(count)}");
            if (which == "model")
            {
                var memory = r.GetValue(maxMemory) is { } m ? Sizes.Parse(m) : 0;
                var model = ModelBench.Measure(r.GetValue(quick), memory, r.GetValue(maxStates), line => Console.Error.WriteLine($"bench: {line}"));
                if (r.GetValue(json)) Json.Print(new { model });
                else ModelBench.Print(model);
                return CliRun.Ok;
            }
            List<ExploreBench.Row>? explore = null;
            var limit = OptionalValues.ParseDuration(r.GetValue(budget)!);
            var hostileSeed = r.GetValue(seed);
            HostileTally? hostile = null;
            if (which is "hostile" or "all")
                hostile = HostileBench.Run(r.GetValue(count), hostileSeed, r.GetValue(vectors), OptionalValues.ParseDuration(r.GetValue(inputTimeout)!));
            var exit = hostile is { Crashes: > 0 } or { Hangs: > 0 } ? CliRun.Failed : CliRun.Ok;
            if (which == "hostile")
            {
                if (r.GetValue(json)) Json.Print(new { hostile = HostileBench.ToJson(hostile!, hostileSeed) });
                else HostileBench.Print(hostile!, hostileSeed);
                return exit;
            }
            List<ExploreBench.FieldRow>? fields = null;
            if (which is "explore" or "all")
            {
                var n = Math.Clamp(r.GetValue(campaigns), 1, 50);
                explore = ExploreBench.Measure(r.GetValue(strategy)!, n, limit);
                fields = ExploreBench.MeasureFieldInterleaving(r.GetValue(strategy)!, n, limit);
            }
            if (which == "explore")
            {
                if (r.GetValue(json)) Json.Print(new { explore, fieldInterleaving = fields });
                else
                {
                    ExploreBench.Print(explore!, limit);
                    ExploreBench.PrintFieldInterleaving(fields!, limit);
                }
                return CliRun.Ok;
            }
            var bytes = Sizes.Parse(r.GetValue(size)!);
            var runs = Math.Clamp(r.GetValue(repeat), 1, 50);
            var counts = r.GetValue(channelList)!.Split(',').Select(s => int.Parse(s.Trim(), System.Globalization.CultureInfo.InvariantCulture)).ToArray();
            var folder = r.GetValue(dir) ?? Path.GetTempPath();
            var results = Measure(bytes, runs, counts, folder);
            if (r.GetValue(json)) Json.Print(new { results, explore, fieldInterleaving = fields, hostile = hostile is null ? null : HostileBench.ToJson(hostile, hostileSeed) });
            else
            {
                Print(bytes, runs, results);
                if (explore is not null) ExploreBench.Print(explore, limit);
                if (fields is not null) ExploreBench.PrintFieldInterleaving(fields, limit);
                if (hostile is not null) HostileBench.Print(hostile, hostileSeed);
            }
            return exit;
        }));
        return cmd;
    }

    public sealed record Result(string Op, int Channels, long Bytes, double Seconds, double BaselineSeconds, double Ratio);

    private static List<Result> Measure(long bytes, int runs, int[] channelCounts, string folder)
    {
        var config = new MigrationConfig { Blocks = [new("pc.ram", bytes)] }.Validate();
        var workload = Workload.Synthetic(config, 0, 0, 0, seed: 42);
        var source = GuestRam.For(config);
        new GuestVcpu(source, workload, null).WriteInitial();
        var path = Path.Combine(folder, $"syncmodel-bench-{Environment.ProcessId}.mig");
        var basePath = path + ".baseline";
        var results = new List<Result>();
        try
        {
            foreach (var n in channelCounts)
            {
                var c = config with { Channels = n };
                var baseWrite = Median(runs, () => BaselineWrite(basePath, source));
                // The guest's RAM is filled once, outside the timing: the save moves the same bytes the baseline writes.
                var save = Median(runs, () =>
                {
                    using var f = DiskMigrationFile.Create(path);
                    Saver.Save(f, new SaveOptions(c, Qemu100MappedRam.Instance, source, Workload.Empty));
                });
                var baseRead = Median(runs, () => BaselineRead(basePath, source));
                var load = Median(runs, () =>
                {
                    using var f = DiskMigrationFile.OpenRead(path);
                    Loader.Load(f, new LoadOptions(Qemu100MappedRam.Instance, n));
                });
                results.Add(new Result("save", n, bytes, save, baseWrite, baseWrite / save));
                results.Add(new Result("load", n, bytes, load, baseRead, baseRead / load));
            }
        }
        finally
        {
            File.Delete(path);
            File.Delete(basePath);
        }
        return results;
    }

    private static void BaselineWrite(string path, GuestRam ram)
    {
        using var h = File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite);
        long offset = 0;
        foreach (var b in ram.Blocks)
        {
            for (var done = 0; done < b.Memory.Length; done += 1 << 23)
            {
                var n = Math.Min(1 << 23, b.Memory.Length - done);
                RandomAccess.Write(h, b.Memory.AsSpan(done, n), offset);
                offset += n;
            }
        }
    }

    private static void BaselineRead(string path, GuestRam ram)
    {
        using SafeFileHandle h = File.OpenHandle(path, FileMode.Open, FileAccess.Read);
        var target = new byte[ram.Blocks.Sum(b => b.Memory.Length)];
        for (var done = 0; done < target.Length;)
        {
            var n = RandomAccess.Read(h, target.AsSpan(done, Math.Min(1 << 23, target.Length - done)), done);
            if (n == 0) break;
            done += n;
        }
    }

    private static double Median(int runs, Action body)
    {
        var times = new double[runs];
        for (var i = 0; i < runs; i++)
        {
            GC.Collect();
            var w = Stopwatch.StartNew();
            body();
            times[i] = w.Elapsed.TotalSeconds;
        }
        Array.Sort(times);
        return times[runs / 2];
    }

    private static void Print(long bytes, int runs, List<Result> results)
    {
        Console.WriteLine($"{Sizes.Format(bytes)} of guest RAM, median of {runs} run(s); ratio = baseline seconds / seconds (>= 1 is faster than one thread doing plain contiguous IO)");
        var table = new Table().Border(TableBorder.Simple).AddColumns("op", "channels", "MiB/s", "baseline MiB/s", "ratio");
        foreach (var x in results)
            table.AddRow(x.Op, x.Channels.ToString(), $"{x.Bytes / x.Seconds / (1 << 20):F0}", $"{x.Bytes / x.BaselineSeconds / (1 << 20):F0}", $"{x.Ratio:F2}");
        AnsiConsole.Write(table);
    }
}
