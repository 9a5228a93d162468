using System.Text.Json;
using System.Text.Json.Serialization;

namespace SyncModel.Cli;

/// <summary>The one JSON document a verb prints with --json (camelCase keys, docs/design.md "Machine-readable output").</summary>
public static class Json
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static void Print(object document) => Console.Out.WriteLine(JsonSerializer.Serialize(document, Options));
}
