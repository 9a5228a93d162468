using System.Text.Json;
using SyncModel.Protocol.Reports;

namespace SyncModel.Cli.Explore;

/// <summary>
/// What one <c>explore</c> run leaves beside its reports, for <c>merge</c>: <c>explore-results-I-of-N.json</c> in the reports
/// folder (one per shard), with the rows, the shard, and whether the run was the review's matrix.
/// </summary>
public sealed record ExploreResultsFile(int SchemaVersion, string Kind, string Shard, bool Matrix, bool Interrupted, IReadOnlyList<ExploreRow> Results)
{
    public const string KindName = "syncmodel-explore-results";
    public const int CurrentSchema = 1;

    public static string FileName(string shard) => $"explore-results-{shard.Replace('/', '-')}.json".Replace("-0-1.json", ".json", StringComparison.Ordinal);

    /// <summary>Writes the file into <paramref name="directory"/> atomically (a temporary name, then a rename); returns its path.</summary>
    public static string Write(string directory, ExploreResultsFile file)
    {
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, FileName(file.Shard));
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(file, Json.Options) + "\n");
        return path;
    }

    /// <summary>Every results file directly inside <paramref name="directory"/>.</summary>
    public static IEnumerable<(string Path, ExploreResultsFile File)> ReadAll(string directory)
    {
        if (!Directory.Exists(directory)) throw new DirectoryNotFoundException($"no folder '{directory}'");
        foreach (var path in Directory.EnumerateFiles(directory, "explore-results*.json").Order(StringComparer.Ordinal))
        {
            ExploreResultsFile? file;
            try
            {
                file = JsonSerializer.Deserialize<ExploreResultsFile>(File.ReadAllText(path), Json.Options);
            }
            catch (JsonException e)
            {
                throw new FormatException($"{path}: not an explore results file: {e.Message}", e);
            }
            if (file is null || file.Kind != KindName || file.SchemaVersion != CurrentSchema)
                throw new FormatException($"{path}: not an explore results file of schema {CurrentSchema}");
            yield return (path, file);
        }
    }
}
