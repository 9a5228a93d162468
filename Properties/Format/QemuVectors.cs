using SyncModel.Implementation.IO;

namespace SyncModel.Properties.Format;

/// <summary>
/// The real QEMU 10.0.13 files of <c>shared/qemu-vectors</c>. The repository root is the folder above the test
/// binaries that holds SyncModel.sln; the vectors sit beside it at <c>&lt;root&gt;/../shared/qemu-vectors</c>.
/// </summary>
internal static class QemuVectors
{
    public const string Multifd = "mapped-ram-multifd4.mig";
    public const string Single = "mapped-ram.mig";
    public const string RamDump = "mapped-ram-multifd4.ram.post.bin";
    public const string Pattern = "pattern.bin";
    private const int MaxDepth = 32;
    private const int CopyChunk = 64 * 1024;

    private static readonly Lazy<string> VectorsDirectory = new(FindDirectory);
    private static readonly Lazy<byte[]> MultifdBytes = new(() => File.ReadAllBytes(PathOf(Multifd)));

    public static string PathOf(string name) => Path.Combine(VectorsDirectory.Value, name);

    public static DiskMigrationFile Open(string name) => DiskMigrationFile.OpenRead(PathOf(name));

    /// <summary>A fresh sparse in-memory copy of the multifd file, to mutate.</summary>
    public static MemoryMigrationFile MultifdCopy()
    {
        var bytes = MultifdBytes.Value;
        var file = new MemoryMigrationFile();
        for (var offset = 0; offset < bytes.Length; offset += CopyChunk)
        {
            var chunk = bytes.AsSpan(offset, Math.Min(CopyChunk, bytes.Length - offset));
            if (chunk.ContainsAnyExcept((byte)0)) file.Write(chunk, offset);
        }
        file.Write(bytes.AsSpan(bytes.Length - 1), bytes.Length - 1);
        return file;
    }

    private static string FindDirectory()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        for (var depth = 0; depth < MaxDepth && dir is not null; depth++, dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "SyncModel.sln")))
                return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "qemu-vectors"));
        }
        throw new InvalidOperationException($"no folder holding SyncModel.sln above {AppContext.BaseDirectory}");
    }
}
