using System.CommandLine;
using System.Diagnostics;
using SyncModel.Implementation.IO;
using SyncModel.Implementation.Recv;
using SyncModel.Protocol.Checking;
using SyncModel.Protocol.Config;

namespace SyncModel.Cli.Commands;

/// <summary><c>syncmodel load</c>: loads a mapped-ram file with N recv channels and optionally verifies the RAM.</summary>
public static class LoadCommand
{
    public static Command Create()
    {
        var input = new Argument<string>("FILE") { Description = "the migration file to load" };
        var channels = CommonOptions.Channels();
        var policy = CommonOptions.Policy();
        var flush = CommonOptions.Flush();
        var expect = new Option<string?>("--expect") { Description = "a guest image (save --guest-image) the restored RAM must equal" };
        var json = CommonOptions.Json();
        var cmd = new Command("load", "load a mapped-ram file and verify the restored RAM") { input, channels, policy, flush, expect, json };
        cmd.SetAction(r => CliRun.Guard(() =>
        {
            var p = CommonOptions.ParsePolicy(r.GetValue(policy)!);
            var path = r.GetValue(input)!;
            var monitor = TraceMonitor.WithAllCheckers();
            var options = new LoadOptions(p, r.GetValue(channels)) { FlushAfterEachSection = FlushSetting.Parse(r.GetValue(flush)!).Destination, Observer = monitor };
            var watch = Stopwatch.StartNew();
            LoadResult result;
            using (var file = MigrationFiles.OpenRead(path))
                result = Loader.Load(file, options);
            var seconds = watch.Elapsed.TotalSeconds;
            var imagePath = r.GetValue(expect);
            string? difference = null;
            if (imagePath is not null)
            {
                using var img = File.OpenRead(imagePath);
                difference = result.Ram.FirstDifference(img)?.ToString();
            }
            var total = result.Ram.Blocks.Sum(b => b.UsedLength);
            var violation = monitor.Finish(failed: false)?.ToString();
            if (r.GetValue(json))
            {
                Json.Print(new
                {
                    file = path, policy = p.Name, channels = options.Channels, blocks = result.Ram.Blocks.Select(b => new { name = b.Name, usedLength = b.UsedLength }),
                    bytesLoaded = result.BytesLoaded, chunks = result.ChunksQueued, seconds,
                    verified = imagePath is null ? (bool?)null : difference is null, difference, violation,
                });
            }
            else
            {
                Console.WriteLine($"loaded {path}: {result.Ram.Blocks.Count} block(s), {Sizes.Format(total)} of RAM, {result.BytesLoaded} bytes read by {options.Channels} channel(s) in {result.ChunksQueued} chunks, {seconds:F2} s");
                if (violation is not null) Console.WriteLine($"  checker: {violation}");
                if (imagePath is not null)
                    Console.WriteLine(difference is null ? $"  verified: RAM equals {imagePath}" : $"  MISMATCH with {imagePath}: {difference}");
            }
            return difference is null && violation is null ? CliRun.Ok : CliRun.Failed;
        }));
        return cmd;
    }
}
