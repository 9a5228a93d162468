using System.IO.Compression;

namespace SyncModel.Implementation.IO;

/// <summary>
/// Opens a migration file for reading whatever way it is stored: a plain file is read in place with positional IO
/// (<see cref="DiskMigrationFile"/>); a gzip-compressed one (the repository's QEMU vectors, <c>testdata/qemu-vectors/*.gz</c>)
/// is inflated into a sparse in-memory file, zero extents skipped, so the callers see the same bytes either way.
/// </summary>
public static class MigrationFiles
{
    /// <summary>The most bytes a compressed file may inflate to (a sparse apparent size; zero runs cost no memory).</summary>
    public const long MaxInflatedLength = 64L << 30;

    /// <summary>The most non-zero bytes a compressed file may hold once inflated (they are kept in memory).</summary>
    public const long MaxInflatedData = 4L << 30;

    private const int Chunk = 64 * 1024;

    /// <summary>Opens <paramref name="path"/> read-only; a gzip file (magic 1f 8b) is inflated first.</summary>
    public static IMigrationFile OpenRead(string path)
    {
        if (!IsGzip(path)) return DiskMigrationFile.OpenRead(path);
        using var stream = File.OpenRead(path);
        return Inflate(stream, path);
    }

    /// <summary>The inflated bytes of a gzip file, or the file's bytes when it is not compressed (for small files only).</summary>
    public static byte[] ReadAllBytes(string path)
    {
        using var file = OpenRead(path);
        if (file.Length > int.MaxValue) throw new IOException($"{path}: {file.Length} bytes do not fit one array");
        var bytes = new byte[file.Length];
        var n = file.Read(bytes, 0);
        return n == bytes.Length ? bytes : throw new IOException($"{path}: read {n} of {bytes.Length} bytes");
    }

    /// <summary>Whether <paramref name="path"/> starts with the gzip magic bytes.</summary>
    public static bool IsGzip(string path)
    {
        Span<byte> magic = stackalloc byte[2];
        using var handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return RandomAccess.Read(handle, magic, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static MemoryMigrationFile Inflate(Stream compressed, string name)
    {
        var file = new MemoryMigrationFile();
        try
        {
            using var gzip = new GZipStream(compressed, CompressionMode.Decompress);
            var buffer = new byte[Chunk];
            long at = 0, data = 0;
            for (int n; (n = ReadFull(gzip, buffer)) > 0; at += n)
            {
                if (at + n > MaxInflatedLength)
                    throw new IOException($"{name}: inflates to more than {MaxInflatedLength} bytes");
                var chunk = buffer.AsSpan(0, n);
                if (!chunk.ContainsAnyExcept((byte)0)) continue;
                data += n;
                if (data > MaxInflatedData) throw new IOException($"{name}: more than {MaxInflatedData} non-zero bytes once inflated");
                file.Write(chunk, at);
            }
            // A trailing run of zeros still counts towards the length, as a hole at the end of a sparse file does.
            if (at > file.Length) file.Write(new byte[1], at - 1);
            return file;
        }
        catch (InvalidDataException e)
        {
            throw new IOException($"{name}: not a valid gzip file: {e.Message}", e);
        }
    }

    private static int ReadFull(Stream s, byte[] buffer)
    {
        var total = 0;
        for (int n; total < buffer.Length && (n = s.Read(buffer, total, buffer.Length - total)) > 0;) total += n;
        return total;
    }
}
