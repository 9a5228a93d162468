namespace SyncModel.Cli.Hostile;

/// <summary>
/// The real QEMU 10.0.13 mapped-ram files the repository keeps in <c>testdata/qemu-vectors</c> (gzip-compressed;
/// <c>testdata/qemu-vectors/README.md</c> says how QEMU wrote them), found above the program or the working folder.
/// </summary>
public static class QemuVectorFiles
{
    public static readonly IReadOnlyList<string> MappedRamFiles = ["mapped-ram-multifd4.mig", "mapped-ram.mig"];

    /// <summary>Where the vectors sit inside the repository.</summary>
    public static readonly string RelativeDirectory = Path.Combine("testdata", "qemu-vectors");

    private const int MaxDepth = 32;

    /// <summary><paramref name="given"/> if set, else the repository's <c>testdata/qemu-vectors</c>; throws when there is none.</summary>
    public static string Directory(string? given)
    {
        if (given is not null)
            return System.IO.Directory.Exists(given) ? given : throw new DirectoryNotFoundException($"no folder '{given}'");
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            var dir = new DirectoryInfo(start);
            for (var depth = 0; depth < MaxDepth && dir is not null; depth++, dir = dir.Parent)
            {
                var vectors = Path.Combine(dir.FullName, RelativeDirectory);
                if (File.Exists(Path.Combine(dir.FullName, "SyncModel.sln")) && System.IO.Directory.Exists(vectors)) return vectors;
            }
        }
        throw new DirectoryNotFoundException($"no {RelativeDirectory} in a folder holding SyncModel.sln above the program or the working folder; pass --vectors DIR");
    }

    /// <summary>The path of vector <paramref name="name"/> in <paramref name="directory"/>: the file itself, or its <c>.gz</c>.</summary>
    public static string PathOf(string directory, string name)
    {
        var plain = Path.Combine(directory, name);
        if (File.Exists(plain)) return plain;
        var gz = plain + ".gz";
        return File.Exists(gz) ? gz : throw new FileNotFoundException($"neither {plain} nor {gz} exists");
    }

    /// <summary>The mapped-ram files' bytes (inflated), by file name.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> Load(string directory)
        => MappedRamFiles.Select(n => (n, Implementation.IO.MigrationFiles.ReadAllBytes(PathOf(directory, n)))).ToList();
}
