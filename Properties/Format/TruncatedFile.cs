using SyncModel.Implementation.IO;

namespace SyncModel.Properties.Format;

/// <summary>A read-only view of the first <c>length</c> bytes of another file: a migration file cut short.</summary>
internal sealed class TruncatedFile(IMigrationFile inner, long length) : IMigrationFile
{
    public long Length { get; } = Math.Min(length, inner.Length);

    public int Read(Span<byte> buffer, long offset)
    {
        var n = (int)Math.Clamp(Length - offset, 0, buffer.Length);
        return n == 0 ? 0 : inner.Read(buffer[..n], offset);
    }

    public void Write(ReadOnlySpan<byte> data, long offset) => throw new NotSupportedException();

    public void Write(IReadOnlyList<ReadOnlyMemory<byte>> buffers, long offset) => throw new NotSupportedException();

    public void Dispose()
    {
    }
}
