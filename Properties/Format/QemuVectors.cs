using System.Collections.Concurrent;
using System.Security.Cryptography;
using SyncModel.Cli.Hostile;
using SyncModel.Implementation.IO;

namespace SyncModel.Properties.Format;

/// <summary>
/// The real QEMU 10.0.13 files of <c>testdata/qemu-vectors</c> (gzip-compressed in the repository), inflated once and
/// checked against the SHA-256 sums that folder's README lists, so a damaged copy fails every test that reads it.
/// </summary>
internal static class QemuVectors
{
    public const string Multifd = "mapped-ram-multifd4.mig";
    public const string Single = "mapped-ram.mig";
    public const string RamDump = "mapped-ram-multifd4.ram.post.bin";
    public const string Pattern = "pattern.bin";
    private const int CopyChunk = 64 * 1024;

    /// <summary>SHA-256 of the uncompressed files (testdata/qemu-vectors/README.md).</summary>
    private static readonly Dictionary<string, string> Sha256 = new()
    {
        [Single] = "347ff0c8627d353c056b1d91573aeb9400ad4f8f9b1c5a4e22f7ae58f3f04913",
        [Multifd] = "f31e398140322c27b03454d891343d93fe5a844a68ca57c56ddf800d474d454a",
        [RamDump] = "7a7cc1ee2558b20bbce5270b3e9cbfddef2a9d02194ba2dc0bfbf64da718f5dd",
        [Pattern] = "d1b6739f83c5643130761c155aea7bb11c5f47581263a1d9d4b9a5dfde5ca80e",
    };

    private static readonly Lazy<string> VectorsDirectory = new(() => QemuVectorFiles.Directory(null));
    private static readonly ConcurrentDictionary<string, Lazy<byte[]>> Inflated = new();

    /// <summary>The folder holding the vectors.</summary>
    public static string Directory => VectorsDirectory.Value;

    /// <summary>The inflated, checksum-verified bytes of vector <paramref name="name"/> (shared: do not modify).</summary>
    public static byte[] Bytes(string name) => Inflated.GetOrAdd(name, n => new Lazy<byte[]>(() => Load(n))).Value;

    /// <summary>A sparse in-memory copy of vector <paramref name="name"/>, to read or to mutate.</summary>
    public static MemoryMigrationFile Open(string name)
    {
        var bytes = Bytes(name);
        var file = new MemoryMigrationFile();
        for (var offset = 0; offset < bytes.Length; offset += CopyChunk)
        {
            var chunk = bytes.AsSpan(offset, Math.Min(CopyChunk, bytes.Length - offset));
            if (chunk.ContainsAnyExcept((byte)0)) file.Write(chunk, offset);
        }
        file.Write(bytes.AsSpan(bytes.Length - 1), bytes.Length - 1);
        return file;
    }

    /// <summary>A fresh copy of the multifd file, to mutate.</summary>
    public static MemoryMigrationFile MultifdCopy() => Open(Multifd);

    private static byte[] Load(string name)
    {
        var bytes = MigrationFiles.ReadAllBytes(QemuVectorFiles.PathOf(Directory, name));
        var sum = Convert.ToHexStringLower(SHA256.HashData(bytes));
        if (!Sha256.TryGetValue(name, out var expected) || sum != expected)
            throw new InvalidDataException($"{name}: SHA-256 {sum}, expected {expected ?? "(unknown vector)"}: the copy in {Directory} is damaged");
        return bytes;
    }
}
