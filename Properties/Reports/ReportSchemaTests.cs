using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;
using SyncModel.Model;
using SyncModel.Properties.Model;
using SyncModel.Properties.Support;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Policies;
using SyncModel.Protocol.Reports;

namespace SyncModel.Properties.Reports;

/// <summary>
/// docs/report.schema.json describes what <see cref="ReportJson"/> writes: every checked-in report and a freshly made one
/// validate; a report with a wrong id, a missing field or an unknown key does not; the schema's lists of properties and
/// events are the code's.
/// </summary>
public sealed class ReportSchemaTests
{
    private static readonly Lazy<JsonSchema> Schema = new(() =>
        JsonSchema.FromText(File.ReadAllText(Path.Combine(Repository.Root, "docs", "report.schema.json"))));

    public static TheoryData<string> CheckedIn()
    {
        var data = new TheoryData<string>();
        foreach (var json in Directory.EnumerateFiles(Path.Combine(Repository.Root, "reports"), "*.json").Order(StringComparer.Ordinal))
        {
            if (!Path.GetFileName(json).StartsWith("explore-results", StringComparison.Ordinal)) data.Add(Path.GetFileName(json));
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(CheckedIn))]
    public void A_checked_in_report_validates_and_reads_back(string name)
    {
        var text = File.ReadAllText(Path.Combine(Repository.Root, "reports", name));

        AssertValid(text, name);
        Assert.Equal(text.TrimEnd('\n'), ReportJson.Render(ReportJson.Parse(text, name)));
    }

    [Fact]
    public void A_fresh_model_report_validates()
    {
        var report = ModelReports.ToReport(ModelChecker.Check(ModelConfigs.Small(FixedRamV4.Instance, f: true)))!;

        AssertValid(ReportJson.Render(report), "model report");
    }

    [Theory]
    [InlineData("property.id", "\"NoSuchProperty\"")]
    [InlineData("steps.0.event.kind", "\"Teleport\"")]
    [InlineData("steps.0.actor", "\"send\"")]
    [InlineData("schemaVersion", "1")]
    [InlineData("replayCommand", "\"rm -rf /\"")]
    [InlineData("surprise", "true")]
    public void A_report_with_a_wrong_or_unknown_field_fails(string path, string value)
    {
        var node = JsonNode.Parse(ReportJson.Render(ModelReports.ToReport(ModelChecker.Check(ModelConfigs.Small(FixedRamV4.Instance, f: true)))!))!;
        var parts = path.Split('.');
        var parent = parts[..^1].Aggregate(node, (n, p) => int.TryParse(p, out var i) ? n[i]! : n[p]!);
        parent[parts[^1]] = JsonNode.Parse(value);

        Assert.NotEmpty(Problems(node.ToJsonString()));
    }

    [Theory]
    [InlineData("steps")]
    [InlineData("violation")]
    [InlineData("property")]
    public void A_report_missing_a_required_field_fails(string key)
    {
        var node = JsonNode.Parse(ReportJson.Render(ModelReports.ToReport(ModelChecker.Check(ModelConfigs.Small(FixedRamV4.Instance, f: true)))!))!.AsObject();
        node.Remove(key);

        Assert.NotEmpty(Problems(node.ToJsonString()));
    }

    [Fact]
    public void The_schema_lists_every_property_and_event_kind_of_the_code()
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(Repository.Root, "docs", "report.schema.json")));
        var defs = doc.RootElement.GetProperty("$defs");
        string[] Enum(string def) => [.. defs.GetProperty(def).GetProperty("enum").EnumerateArray().Select(e => e.GetString()!)];

        Assert.Equal(System.Enum.GetNames<PropertyId>(), Enum("propertyId"));
        Assert.Equal(System.Enum.GetNames<EventKind>(), Enum("eventKind"));
    }

    private static void AssertValid(string json, string name)
    {
        var problems = Problems(json);
        Assert.True(problems.Count == 0, $"{name} does not match docs/report.schema.json:\n{string.Join("\n", problems)}");
    }

    private static List<string> Problems(string json)
    {
        using var doc = JsonDocument.Parse(json);
        var results = Schema.Value.Evaluate(doc.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        var problems = new List<string>();
        void Collect(EvaluationResults r)
        {
            if (r.Errors is { } errors) problems.AddRange(errors.Select(e => $"{r.InstanceLocation}: {e.Key}: {e.Value}"));
            foreach (var d in r.Details ?? []) Collect(d);
        }
        Collect(results);
        if (!results.IsValid && problems.Count == 0) problems.Add("invalid (no detail)");
        return problems;
    }
}
