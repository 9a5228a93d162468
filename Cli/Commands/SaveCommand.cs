using System.CommandLine;
using System.Diagnostics;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Implementation.Save;
using SyncModel.Protocol.Config;

namespace SyncModel.Cli.Commands;

/// <summary><c>syncmodel save</c>: saves a synthetic guest to a mapped-ram file with N send channels.</summary>
public static class SaveCommand
{
    public static Command Create()
    {
        var output = new Argument<string>("OUT") { Description = "the migration file to write" };
        var guestOptions = new GuestOptions("256M", rounds: 0);
        var policy = CommonOptions.Policy();
        var image = new Option<string?>("--guest-image") { Description = "also write the guest's RAM as of completion (all blocks, raw, in order)" };
        var json = CommonOptions.Json();
        var cmd = new Command("save", "save a synthetic guest to a mapped-ram file") { output, policy, image, json };
        guestOptions.AddTo(cmd);
        cmd.SetAction(r => CliRun.Guard(() =>
        {
            var config = guestOptions.Config(r);
            var p = CommonOptions.ParsePolicy(r.GetValue(policy)!);
            var workload = guestOptions.Workload(r, config);
            var guest = GuestRam.For(config);
            var path = r.GetValue(output)!;
            var watch = Stopwatch.StartNew();
            SaveResult result;
            using (var file = DiskMigrationFile.Create(path))
                result = Saver.Save(file, new SaveOptions(config, p, guest, workload));
            var seconds = watch.Elapsed.TotalSeconds;
            var imagePath = r.GetValue(image);
            if (imagePath is not null)
            {
                using var img = File.Create(imagePath);
                guest.WriteImage(img);
            }
            if (r.GetValue(json))
            {
                Json.Print(new
                {
                    file = path, policy = p.Name, channels = config.Channels, blocks = config.Blocks, bytes = config.TotalBytes,
                    liveRounds = config.LiveRounds, pagesQueued = result.PagesQueued, fileLength = result.FileLength, seconds,
                    guestImage = imagePath, seed = guestOptions.Seed(r),
                });
            }
            else
            {
                Console.WriteLine($"saved {Sizes.Format(config.TotalBytes)} of guest RAM in {config.Blocks.Count} block(s) to {path}");
                Console.WriteLine($"  policy {p.Name}, {config.Channels} channel(s), {config.LiveRounds} live round(s), F={config.FlushAfterEachSection}");
                Console.WriteLine($"  {result.PagesQueued} pages queued, file length {result.FileLength} bytes, {seconds:F2} s ({config.TotalBytes / seconds / (1 << 20):F0} MiB/s of RAM)");
                if (imagePath is not null) Console.WriteLine($"  guest image: {imagePath}");
            }
            return CliRun.Ok;
        }));
        return cmd;
    }
}
