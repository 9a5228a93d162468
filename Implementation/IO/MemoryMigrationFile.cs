using System.Collections.Concurrent;

namespace SyncModel.Implementation.IO;

/// <summary>
/// A sparse in-memory file made of 64 KiB extents. It stands in for a disk file below the positional
/// read/write calls (exploration, tests); unwritten extents read as zeros, like holes in a sparse file.
/// It takes no lock: extents come from a concurrent dictionary and calls copy bytes in place, so positional
/// IO on distinct ranges proceeds in parallel as it does in the kernel. Only the length is updated
/// atomically. The file's internal synchronization is thus not a scheduling point of the protocol.
/// </summary>
public sealed class MemoryMigrationFile : IMigrationFile
{
    private const int ExtentShift = 16;
    private const int ExtentSize = 1 << ExtentShift;
    private readonly ConcurrentDictionary<long, byte[]> _extents = new();
    private long _length;

    /// <summary>A plain 64-bit read (atomic on 64-bit platforms); only writers race, in <see cref="Extend"/>.</summary>
    public long Length => _length;

    public int Read(Span<byte> buffer, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var n = (int)Math.Clamp(Length - offset, 0, buffer.Length);
        for (var done = 0; done < n;)
        {
            var pos = offset + done;
            var inExtent = (int)(pos & (ExtentSize - 1));
            var take = Math.Min(n - done, ExtentSize - inExtent);
            var dst = buffer.Slice(done, take);
            if (_extents.TryGetValue(pos >> ExtentShift, out var extent)) extent.AsSpan(inExtent, take).CopyTo(dst);
            else dst.Clear();
            done += take;
        }
        return n;
    }

    public void Write(ReadOnlySpan<byte> data, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        WriteAt(data, offset);
        Extend(offset + data.Length);
    }

    public void Write(IReadOnlyList<ReadOnlyMemory<byte>> buffers, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var at = offset;
        foreach (var b in buffers)
        {
            WriteAt(b.Span, at);
            at += b.Length;
        }
        Extend(at);
    }

    private void WriteAt(ReadOnlySpan<byte> data, long offset)
    {
        for (var done = 0; done < data.Length;)
        {
            var pos = offset + done;
            var inExtent = (int)(pos & (ExtentSize - 1));
            var take = Math.Min(data.Length - done, ExtentSize - inExtent);
            var extent = _extents.GetOrAdd(pos >> ExtentShift, static _ => new byte[ExtentSize]);
            data.Slice(done, take).CopyTo(extent.AsSpan(inExtent, take));
            done += take;
        }
    }

    private void Extend(long end)
    {
        for (var seen = Interlocked.Read(ref _length); seen < end; seen = Interlocked.Read(ref _length))
        {
            if (Interlocked.CompareExchange(ref _length, end, seen) == seen) return;
        }
    }

    public void Dispose()
    {
    }
}
