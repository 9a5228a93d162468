using SyncModel.Implementation.Format;
using SyncModel.Implementation.Guest;
using SyncModel.Implementation.IO;
using SyncModel.Implementation.Recv;
using SyncModel.Protocol.Policies;

namespace SyncModel.Cli.Hostile;

/// <summary>
/// Reads hostile inputs the three ways the tools do, each on a fresh thread with a time limit:
/// <list type="number">
/// <item>a load into RAM laid out like the original guest (the loader's own parser meets every input),</item>
/// <item><see cref="MappedRamInspector.Inspect"/>,</item>
/// <item>when Inspect accepts: a load into fresh RAM shaped by the file, then a check that the RAM holds exactly
/// what the file's bitmaps and page slots say.</item>
/// </list>
/// Only <see cref="MigrationFormatException"/> may escape a reader. The reading thread's allocations
/// (<see cref="GC.GetAllocatedBytesForCurrentThread"/>), less the fresh RAM the file asks for (checked to be no more
/// than the file's length: block pages lie inside the file), must stay under <see cref="AllocationBound"/>: a length
/// the file lies about must not drive an allocation.
/// Not thread-safe: one input at a time.
/// </summary>
public sealed class HostileRunner(IReadOnlyDictionary<string, byte[]> originals, TimeSpan timeout)
{
    /// <summary>Bytes one input may allocate besides the fresh RAM; honest reads of the QEMU files need about 0.2 MiB.</summary>
    public const long AllocationBound = 4L << 20;

    private const int Channels = 4;
    private readonly Dictionary<string, GuestRam> _shaped = [];

    public HostileResult Run(HostileInput input)
    {
        var ram = ShapedRam(input.Vector);
        var stage = new Stage();
        HostileResult? result = null;
        var worker = new Thread(() => result = Read(input, ram, stage)) { IsBackground = true };
        worker.Start();
        if (!worker.Join(timeout))
        {
            _shaped.Remove(input.Vector); // the stuck thread may still write into it
            return new HostileResult(input, HostileVerdict.Hang, stage.Name, $"no answer within {timeout.TotalSeconds:F0} s", 0);
        }
        foreach (var b in ram.Blocks) Array.Clear(b.Memory);
        return result!;
    }

    private HostileResult Read(HostileInput input, GuestRam shaped, Stage stage)
    {
        var file = input.Open(originals[input.Vector]);
        var start = GC.GetAllocatedBytesForCurrentThread();
        long Allocated(long fresh = 0) => GC.GetAllocatedBytesForCurrentThread() - start - fresh;
        HostileResult Result(HostileVerdict verdict, string detail, long allocated)
            => allocated > AllocationBound && verdict != HostileVerdict.Crash
                ? new HostileResult(input, HostileVerdict.Crash, stage.Name, $"allocated {allocated} bytes ({detail})", allocated)
                : new HostileResult(input, verdict, stage.Name, detail, allocated);

        MigrationFormatException? shapedRejection = null;
        try
        {
            stage.Name = "load (original layout)";
            try
            {
                Loader.Load(file, Options() with { Destination = shaped });
            }
            catch (MigrationFormatException e)
            {
                shapedRejection = e;
            }
            stage.Name = "inspect";
            MappedRamLayout layout;
            try
            {
                layout = MappedRamInspector.Inspect(file);
            }
            catch (MigrationFormatException e)
            {
                var note = shapedRejection is null ? " (the loader accepted it)" : "";
                return Result(HostileVerdict.Rejected, $"{RejectionClass.Of(e)}: {e.Message}{note}", Allocated());
            }
            stage.Name = "load (fresh RAM)";
            var fresh = layout.Blocks.Sum(b => b.UsedLength);
            if (fresh > file.Length)
                return Result(HostileVerdict.Crash, $"Inspect accepted blocks of 0x{fresh:x} bytes in a file of 0x{file.Length:x}: a fresh load would allocate what a length claims", Allocated());
            LoadResult loaded;
            try
            {
                loaded = Loader.Load(file, Options());
            }
            catch (MigrationFormatException e)
            {
                return Result(HostileVerdict.Rejected, $"{RejectionClass.Of(e)}: {e.Message}", Allocated(fresh));
            }
            var allocated = Allocated(fresh);
            stage.Name = "check the loaded RAM";
            return FirstMisread(file, layout, loaded.Ram) is { } misread
                ? Result(HostileVerdict.Crash, $"the load restored something else: {misread}", allocated)
                : Result(HostileVerdict.ReadFine, shapedRejection is null ? "" : $"the loader into the original layout refused it: {shapedRejection.Problem}", allocated);
        }
        catch (Exception e)
        {
            var inner = e is Implementation.MigrationFailedException { InnerException: { } cause } ? cause : e;
            return Result(HostileVerdict.Crash, $"{inner.GetType().Name}: {inner.Message}", Allocated());
        }
    }

    /// <summary>Which reader the worker thread is in, for the report of a hang.</summary>
    private sealed class Stage
    {
        public volatile string Name = "start";
    }

    private static LoadOptions Options() => new(Qemu100MappedRam.Instance, Channels);

    private GuestRam ShapedRam(string vector)
    {
        if (_shaped.TryGetValue(vector, out var ram)) return ram;
        var original = originals[vector];
        var layout = MappedRamInspector.Inspect(new PatchedFile(original, [], original.Length));
        ram = new GuestRam(layout.Blocks.Select(b => new Protocol.Config.RamBlockSpec(b.Name, b.UsedLength)).ToArray(), (int)layout.Blocks[0].PageSize);
        _shaped[vector] = ram;
        return ram;
    }

    /// <summary>The first page the RAM holds differently from the file (bit 1: the page slot's bytes; bit 0: zeros), or null.</summary>
    public static string? FirstMisread(IMigrationFile file, MappedRamLayout layout, GuestRam ram)
    {
        foreach (var b in layout.Blocks)
        {
            var local = ram.Find(b.Name);
            if (local is null) return $"block '{b.Name}' is missing from the loaded RAM";
            var bitmap = new byte[b.ToBlock().BitmapBytes];
            file.Read(bitmap, b.BitmapOffset);
            var page = new byte[b.PageSize];
            for (long p = 0; p < b.PageCount; p++)
            {
                var present = (bitmap[p >> 3] >> (int)(p & 7) & 1) != 0;
                if (present) file.Read(page, b.PagesOffset + p * b.PageSize);
                else Array.Clear(page);
                if (!local.PageSpan(p).SequenceEqual(page))
                    return $"block '{b.Name}' page {p} ({(present ? "bit 1" : "bit 0")}) differs from the file";
            }
        }
        return null;
    }
}
