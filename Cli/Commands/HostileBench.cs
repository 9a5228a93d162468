using Spectre.Console;
using SyncModel.Cli.Hostile;

namespace SyncModel.Cli.Commands;

/// <summary>
/// <c>syncmodel bench --suite hostile</c>: mutated real QEMU files through Inspect and the loader; every one must be
/// read correctly or rejected with a format error, without a crash, a hang or an allocation a lying length drives.
/// </summary>
public static class HostileBench
{
    public static HostileTally Run(int count, int seed, string? vectors, TimeSpan inputTimeout)
    {
        var campaign = HostileCampaign.ForQemuVectors(vectors, inputTimeout);
        var every = Math.Max(1, count / 10);
        return campaign.Run(seed, 0, count, t =>
        {
            if (t.Inputs % every == 0 && !Console.IsErrorRedirected) Console.Error.Write($"\rhostile inputs: {t.Inputs}/{count}");
        });
    }

    public static object ToJson(HostileTally t, int seed) => new
    {
        seed,
        inputs = t.Inputs,
        readFine = t.ReadFine,
        rejected = t.Rejected,
        rejectedByClass = t.RejectedByClass,
        exampleByClass = t.ExampleByClass,
        rejectedByReader = t.RejectedByReader,
        loaderOnlyAccepted = t.LoaderOnlyAccepted,
        shapedLoaderRefused = t.ShapedLoaderRefused,
        crashes = t.Crashes,
        hangs = t.Hangs,
        maxAllocatedBytes = t.MaxAllocated,
        allocationBoundBytes = HostileRunner.AllocationBound,
        seconds = Math.Round(t.Seconds, 1),
        failures = t.Failures.Select(f => f.ToString()),
    };

    public static void Print(HostileTally t, int seed)
    {
        if (!Console.IsErrorRedirected) Console.Error.WriteLine();
        Console.WriteLine($"Hostile inputs: mutated QEMU 10.0 mapped-ram files (seed {seed}), each read by the loader, Inspect and a load into fresh RAM, in {t.Seconds:F1} s");
        var table = new Table().Border(TableBorder.Simple).AddColumns("outcome", "inputs");
        table.AddRow("inputs", t.Inputs.ToString());
        table.AddRow("read fine (loaded RAM = the file's bitmaps and pages)", t.ReadFine.ToString());
        table.AddRow("rejected with a format error", t.Rejected.ToString());
        foreach (var (cls, n) in t.RejectedByClass) table.AddRow($"  {Markup.Escape(cls)}", n.ToString());
        foreach (var (reader, n) in t.RejectedByReader) table.AddRow($"  refused by {Markup.Escape(reader)}", n.ToString());
        table.AddRow("  of which the loader alone accepted", t.LoaderOnlyAccepted.ToString());
        table.AddRow("read fine, refused by the loader into the original layout", t.ShapedLoaderRefused.ToString());
        table.AddRow("crashes (must be 0)", t.Crashes.ToString());
        table.AddRow("hangs (must be 0)", t.Hangs.ToString());
        table.AddRow("max allocation besides the fresh RAM", $"{t.MaxAllocated:N0} bytes (bound {HostileRunner.AllocationBound:N0})");
        AnsiConsole.Write(table);
        foreach (var f in t.Failures) Console.WriteLine(f);
    }
}
