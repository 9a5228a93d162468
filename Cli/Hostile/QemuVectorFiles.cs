namespace SyncModel.Cli.Hostile;

/// <summary>
/// The real QEMU 10.0.13 mapped-ram files of <c>shared/qemu-vectors</c>, which sit beside the repository:
/// <c>&lt;folder holding SyncModel.sln&gt;/../shared/qemu-vectors</c>, looked for above the program and the working folder.
/// </summary>
public static class QemuVectorFiles
{
    public static readonly IReadOnlyList<string> MappedRamFiles = ["mapped-ram-multifd4.mig", "mapped-ram.mig"];

    private const int MaxDepth = 32;

    /// <summary><paramref name="given"/> if set, else the vectors folder beside the repository; throws when there is none.</summary>
    public static string Directory(string? given)
    {
        if (given is not null)
            return System.IO.Directory.Exists(given) ? given : throw new DirectoryNotFoundException($"no folder '{given}'");
        foreach (var start in new[] { AppContext.BaseDirectory, Environment.CurrentDirectory })
        {
            var dir = new DirectoryInfo(start);
            for (var depth = 0; depth < MaxDepth && dir is not null; depth++, dir = dir.Parent)
            {
                var vectors = Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "qemu-vectors"));
                if (File.Exists(Path.Combine(dir.FullName, "SyncModel.sln")) && System.IO.Directory.Exists(vectors)) return vectors;
            }
        }
        throw new DirectoryNotFoundException("no shared/qemu-vectors beside a folder holding SyncModel.sln above the program or the working folder; pass --vectors DIR");
    }

    /// <summary>The mapped-ram files' bytes, by file name.</summary>
    public static IReadOnlyList<(string Name, byte[] Bytes)> Load(string directory)
        => MappedRamFiles.Select(n => (n, File.ReadAllBytes(Path.Combine(directory, n)))).ToList();
}
