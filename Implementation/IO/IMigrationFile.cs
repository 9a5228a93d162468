namespace SyncModel.Implementation.IO;

/// <summary>
/// The positional file interface every channel uses: pread/pwrite/pwritev at absolute offsets. The
/// production implementation is <see cref="DiskMigrationFile"/> (<see cref="System.IO.RandomAccess"/>);
/// an in-memory region may stand in below these calls when exploring interleavings. Thread-safe: channels
/// call it concurrently at distinct offsets.
/// </summary>
public interface IMigrationFile : IDisposable
{
    /// <summary>The file's current length in bytes.</summary>
    long Length { get; }

    /// <summary>Reads up to <c>buffer.Length</c> bytes at <paramref name="offset"/>; returns fewer only at end of file.</summary>
    int Read(Span<byte> buffer, long offset);

    /// <summary>Writes <paramref name="data"/> at <paramref name="offset"/>, extending the file if needed.</summary>
    void Write(ReadOnlySpan<byte> data, long offset);

    /// <summary>One vectored write (pwritev) of <paramref name="buffers"/>, back to back from <paramref name="offset"/>.</summary>
    void Write(IReadOnlyList<ReadOnlyMemory<byte>> buffers, long offset);
}
