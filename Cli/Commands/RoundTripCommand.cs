using System.CommandLine;
using System.Diagnostics;
using Spectre.Console;
using SyncModel.Coyote.RealThreads;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Implementation.Recv;
using SyncModel.Implementation.Save;
using SyncModel.Implementation.Socket;
using SyncModel.Protocol.Checking;
using SyncModel.Protocol.Config;
using SyncModel.Protocol.Policies;

namespace SyncModel.Cli.Commands;

/// <summary>
/// <c>syncmodel roundtrip</c>: save a live synthetic guest to a real file and load it back, on real threads,
/// with every stream checker watching, for each chosen policy; a socket policy migrates over in-process
/// sockets instead, the destination loading while the source saves.
/// </summary>
public static class RoundTripCommand
{
    public static Command Create()
    {
        var guestOptions = new GuestOptions("64M", rounds: 2);
        var policy = CommonOptions.Policy("all");
        var json = CommonOptions.Json();
        var cmd = new Command("roundtrip", "save a live synthetic guest and load it back, verifying every page (file policies through a file, socket ones over sockets; 'all' = each)")
        { policy, json };
        guestOptions.AddTo(cmd);
        cmd.SetAction(r => CliRun.Guard(() =>
        {
            var config = guestOptions.Config(r);
            var name = r.GetValue(policy)!;
            var policies = name == "all" ? SyncPolicies.All.ToArray() : [CommonOptions.ParsePolicy(name)];
            var workload = guestOptions.Workload(r, config);
            var rows = policies.Select(p => Run(config, p, workload)).ToArray();
            if (r.GetValue(json)) Json.Print(new { results = rows });
            else Print(config, rows);
            return rows.All(x => x.Verdict == "ok") ? CliRun.Ok : CliRun.Failed;
        }));
        return cmd;
    }

    public sealed record Row(string Policy, string FlushAfterEachSection, int Channels, long Bytes, double SaveSeconds, double LoadSeconds, string Verdict, string? Detail);

    private static Row Run(MigrationConfig config, SyncPolicy policy, Workload workload)
        => policy.Transport == Transport.Socket ? RunOverSockets(config, policy, workload) : RunThroughFile(config, policy, workload);

    /// <summary>Both sides at once over in-process sockets; the one time is the whole migration's.</summary>
    private static Row RunOverSockets(MigrationConfig config, SyncPolicy policy, Workload workload)
    {
        var source = GuestRam.For(config);
        var monitor = TraceMonitor.WithAllCheckers();
        var save = new SaveOptions(config, policy, source, workload) { Observer = monitor };
        var load = new LoadOptions(policy, config.Channels) { FlushAfterEachSection = config.FlushAfterEachSection.Destination, Observer = monitor };
        var watch = Stopwatch.StartNew();
        SocketMigrationResult? result = null;
        var run = StalledRun.Run(() => result = SocketMigration.Run(save, load), monitor, Stall);
        if (Unfinished(run) is { } problem) return Fail(config, policy, problem);
        var seconds = watch.Elapsed.TotalSeconds;
        var violation = monitor.Finish(failed: false);
        var diff = source.FirstDifference(result!.Load.Ram);
        var (verdict, detail) = violation is not null ? ("violated", violation.ToString())
            : diff is not null ? ("violated", $"RoundTrip: {diff}")
            : ("ok", null);
        return new Row(policy.Name, config.FlushAfterEachSection.ToString(), config.Channels, config.TotalBytes, seconds, seconds, verdict, detail);
    }

    private static Row RunThroughFile(MigrationConfig config, SyncPolicy policy, Workload workload)
    {
        var source = GuestRam.For(config);
        var monitor = TraceMonitor.WithAllCheckers();
        var path = Path.Combine(Path.GetTempPath(), $"syncmodel-roundtrip-{Environment.ProcessId}-{policy.Name}.mig");
        try
        {
            using var file = DiskMigrationFile.Create(path);
            var watch = Stopwatch.StartNew();
            SaveResult? saved = null;
            var save = StalledRun.Run(() => saved = Saver.Save(file, new SaveOptions(config, policy, source, workload) { Observer = monitor }), monitor, Stall);
            if (Unfinished(save) is { } saveProblem) return Fail(config, policy, saveProblem);
            var saveSeconds = watch.Elapsed.TotalSeconds;
            var stale = SaveVerifier.FirstStalePage(file, source, saved!.Placements);
            watch.Restart();
            LoadResult? loaded = null;
            var load = StalledRun.Run(() => loaded = Loader.Load(file, new LoadOptions(policy, config.Channels) { FlushAfterEachSection = config.FlushAfterEachSection.Destination, Observer = monitor }), monitor, Stall);
            if (Unfinished(load) is { } loadProblem) return Fail(config, policy, loadProblem);
            var loadSeconds = watch.Elapsed.TotalSeconds;
            var violation = monitor.Finish(failed: false);
            var diff = source.FirstDifference(loaded!.Ram);
            var (verdict, detail) = violation is not null ? ("violated", violation.ToString())
                : stale is not null ? ("violated", $"NoStalePage: {stale}")
                : diff is not null ? ("violated", $"RoundTrip: {diff}")
                : ("ok", null);
            return new Row(policy.Name, config.FlushAfterEachSection.ToString(), config.Channels, config.TotalBytes, saveSeconds, loadSeconds, verdict, detail);
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(5);

    private static (string Verdict, string Detail)? Unfinished(StalledRun.Outcome o)
        => o.HangReport is { } hang ? ("hang", $"NoDeadlock: {hang}")
        : o.Error is { } e ? ("failed", e.Message)
        : null;

    private static Row Fail(MigrationConfig config, SyncPolicy policy, (string Verdict, string Detail) problem)
        => new(policy.Name, config.FlushAfterEachSection.ToString(), config.Channels, config.TotalBytes, 0, 0, problem.Verdict, problem.Detail);

    private static void Print(MigrationConfig config, Row[] rows)
    {
        Console.WriteLine($"save-then-load of a {Sizes.Format(config.TotalBytes)} live guest ({config.LiveRounds} rounds, {config.Channels} channels, F={config.FlushAfterEachSection}) on real threads and real files (socket policies: in-process sockets, save and load at once)");
        var table = new Table().Border(TableBorder.Simple).AddColumns("policy", "save s", "load s", "verdict", "detail");
        foreach (var row in rows)
            table.AddRow(row.Policy, $"{row.SaveSeconds:F2}", $"{row.LoadSeconds:F2}", row.Verdict, Markup.Escape(row.Detail ?? "RAM restored byte for byte, no checker fired"));
        AnsiConsole.Write(table);
    }
}
