namespace SyncModel.Implementation.IO;

/// <summary>
/// A sparse in-memory file made of 64 KiB extents. It stands in for a disk file below the positional
/// read/write calls (exploration, tests); unwritten extents read as zeros, like holes in a sparse file.
/// </summary>
public sealed class MemoryMigrationFile : IMigrationFile
{
    private const int ExtentShift = 16;
    private const int ExtentSize = 1 << ExtentShift;
    private readonly object _gate = new();
    private readonly Dictionary<long, byte[]> _extents = [];
    private long _length;

    public long Length
    {
        get { lock (_gate) return _length; }
    }

    public int Read(Span<byte> buffer, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        lock (_gate)
        {
            var n = (int)Math.Clamp(_length - offset, 0, buffer.Length);
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
    }

    public void Write(ReadOnlySpan<byte> data, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        lock (_gate) WriteLocked(data, offset);
    }

    public void Write(IReadOnlyList<ReadOnlyMemory<byte>> buffers, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        lock (_gate)
        {
            foreach (var b in buffers)
            {
                WriteLocked(b.Span, offset);
                offset += b.Length;
            }
        }
    }

    private void WriteLocked(ReadOnlySpan<byte> data, long offset)
    {
        for (var done = 0; done < data.Length;)
        {
            var pos = offset + done;
            var inExtent = (int)(pos & (ExtentSize - 1));
            var take = Math.Min(data.Length - done, ExtentSize - inExtent);
            if (!_extents.TryGetValue(pos >> ExtentShift, out var extent))
                _extents[pos >> ExtentShift] = extent = new byte[ExtentSize];
            data.Slice(done, take).CopyTo(extent.AsSpan(inExtent, take));
            done += take;
        }
        _length = Math.Max(_length, offset + data.Length);
    }

    public void Flush()
    {
    }

    public void Dispose()
    {
    }
}
