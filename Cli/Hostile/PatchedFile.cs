using SyncModel.Implementation.IO;

namespace SyncModel.Cli.Hostile;

/// <summary>
/// A read-only migration file made of an original's bytes, with <see cref="Patch"/>es laid over them in order and
/// cut to (or extended with zeros to) a length: a hostile input without copying the 40 MB original. Reads at
/// distinct offsets may run concurrently (recv channels do), since nothing here changes after construction.
/// </summary>
public sealed class PatchedFile(byte[] original, IReadOnlyList<Patch> patches, long length) : IMigrationFile
{
    public long Length { get; } = length;

    public int Read(Span<byte> buffer, long offset)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        var n = (int)Math.Clamp(Length - offset, 0, buffer.Length);
        var target = buffer[..n];
        var fromOriginal = (int)Math.Clamp(original.Length - offset, 0, n);
        if (fromOriginal > 0) original.AsSpan((int)offset, fromOriginal).CopyTo(target);
        target[fromOriginal..].Clear();
        foreach (var p in patches)
        {
            var start = Math.Max(offset, p.Offset);
            var end = Math.Min(offset + n, p.Offset + p.Bytes.Length);
            if (start < end) p.Bytes.AsSpan((int)(start - p.Offset), (int)(end - start)).CopyTo(target[(int)(start - offset)..]);
        }
        return n;
    }

    public void Write(ReadOnlySpan<byte> data, long offset) => throw new NotSupportedException("a hostile input is read-only");

    public void Write(IReadOnlyList<ReadOnlyMemory<byte>> buffers, long offset) => throw new NotSupportedException("a hostile input is read-only");

    public void Dispose()
    {
    }
}
