using Microsoft.Win32.SafeHandles;

namespace SyncModel.Implementation.IO;

/// <summary>
/// A real file, accessed only with positional IO through <see cref="RandomAccess"/>. Closing it does not fdatasync, as
/// QEMU's file channels do not (docs/protocol.md §1.8).
/// </summary>
public sealed class DiskMigrationFile : IMigrationFile
{
    private readonly SafeFileHandle _handle;

    private DiskMigrationFile(SafeFileHandle handle) => _handle = handle;

    /// <summary>Creates (or truncates) <paramref name="path"/> for writing, like an outgoing <c>file:</c> URI.</summary>
    public static DiskMigrationFile Create(string path)
        => new(File.OpenHandle(path, FileMode.Create, FileAccess.ReadWrite, FileShare.Read));

    /// <summary>Opens <paramref name="path"/> read-only, like an incoming <c>file:</c> URI.</summary>
    public static DiskMigrationFile OpenRead(string path)
        => new(File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read));

    public long Length => RandomAccess.GetLength(_handle);

    public int Read(Span<byte> buffer, long offset)
    {
        var total = 0;
        while (total < buffer.Length)
        {
            var n = RandomAccess.Read(_handle, buffer[total..], offset + total);
            if (n == 0) break;
            total += n;
        }
        return total;
    }

    public void Write(ReadOnlySpan<byte> data, long offset) => RandomAccess.Write(_handle, data, offset);

    public void Write(IReadOnlyList<ReadOnlyMemory<byte>> buffers, long offset) => RandomAccess.Write(_handle, buffers, offset);

    public void Dispose() => _handle.Dispose();
}
