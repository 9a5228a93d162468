using System.Globalization;
using System.Text;
using System.Text.Json;
using SyncModel.Protocol.Events;
using SyncModel.Protocol.Vocabulary;

namespace SyncModel.Protocol.Reports;

/// <summary>
/// A <see cref="Report"/> as the JSON document <c>docs/report.schema.json</c> describes (schema version
/// <see cref="Report.SchemaVersion"/>, camelCase keys, stable ids beside display text), and back.
/// </summary>
public static class ReportJson
{
    public const string Kind = "syncmodel-report";

    public static string Render(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber("schemaVersion", Report.SchemaVersion);
            w.WriteString("kind", Kind);
            w.WriteString("id", ReportWriter.BaseName(report));
            w.WriteString("shortId", ReportRenderer.ShortId(report));
            w.WriteString("title", report.Title);
            w.WriteString("source", report.Source == ReportSource.Coyote ? "coyote" : "model");
            w.WriteString("variant", report.Variant);
            var property = PropertyCatalog.Of(report.Property);
            w.WriteStartObject("property");
            w.WriteString("id", report.Property.ToString());
            w.WriteString("statement", property.Statement);
            w.WriteString("sources", property.Sources);
            w.WriteEndObject();
            w.WriteStartObject("verdict");
            w.WriteString("id", VerdictKind.Violated.Id());
            w.WriteString("sentence", report.Verdict);
            w.WriteEndObject();
            w.WriteStartObject("violation");
            if (report.ViolationStep is { } at) w.WriteNumber("step", at);
            else w.WriteNull("step");
            w.WriteString("message", report.Violation);
            if (report.Failure is { } f) WriteFailure(w, f);
            w.WriteEndObject();
            w.WriteStartArray("configuration");
            foreach (var s in report.Configuration)
            {
                w.WriteStartObject();
                w.WriteString("id", s.Id);
                w.WriteString("label", s.Label);
                w.WriteString("value", s.Value);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            WriteNullable(w, "seed", report.Seed);
            WriteNullable(w, "strategy", report.Strategy);
            w.WriteString("workload", report.Workload);
            if (report.Scenario is { } sc)
            {
                w.WritePropertyName("scenario");
                JsonSerializer.Serialize(w, sc, Options);
            }
            w.WriteStartArray("notes");
            foreach (var n in report.Notes) w.WriteStringValue(n);
            w.WriteEndArray();
            w.WriteStartArray("actors");
            foreach (var a in Actors(report)) WriteActor(w, a);
            w.WriteEndArray();
            w.WriteStartArray("steps");
            foreach (var s in report.Steps) WriteStep(w, s);
            w.WriteEndArray();
            w.WriteStartObject("slice");
            w.WriteStartArray("steps");
            foreach (var i in report.Slice.Select(s => s.Index).Distinct()) w.WriteNumberValue(i);
            w.WriteEndArray();
            w.WriteStartArray("collapsed");
            foreach (var (from, to, text) in ReportTrace.Collapsed(report.Steps))
            {
                w.WriteStartObject();
                w.WriteNumber("from", from);
                w.WriteNumber("to", to);
                w.WriteString("text", text);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
            w.WriteStartObject("length");
            w.WriteNumber("steps", report.Steps.Count == 0 ? 0 : report.Steps[^1].Index);
            if (report.Schedule is { } schedule) w.WriteNumber("schedule", schedule);
            if (report.Original is { } o)
            {
                w.WriteNumber("originalSteps", o.Steps);
                if (o.Schedule is { } oSchedule) w.WriteNumber("originalSchedule", oSchedule);
                WriteNullable(w, "originalSeed", o.Seed);
                if (o.Scenario is { } os)
                {
                    w.WritePropertyName("originalScenario");
                    JsonSerializer.Serialize(w, os, Options);
                }
            }
            w.WriteEndObject();
            w.WriteString("replayCommand", report.ReplayCommand);
            WriteNullable(w, "rerunCommand", report.RerunCommand);
            w.WriteString("created", report.Created.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    /// <summary>Reads a report written by <see cref="Render"/>; throws <see cref="FormatException"/> naming what is wrong.</summary>
    public static Report Parse(string json, string? name = null)
    {
        var where = name ?? "report";
        try
        {
            using var doc = JsonDocument.Parse(json);
            var r = doc.RootElement;
            if (!r.TryGetProperty("schemaVersion", out var version) || version.GetInt32() != Report.SchemaVersion || Str(r, "kind") != Kind)
                throw new FormatException($"{where}: not a SyncModel report of schema version {Report.SchemaVersion} (regenerate it with explore, zoo or check)");
            var violation = r.GetProperty("violation");
            var length = r.GetProperty("length");
            return new Report
            {
                Title = Str(r, "title"),
                Source = Str(r, "source") == "coyote" ? ReportSource.Coyote : ReportSource.Model,
                Variant = Str(r, "variant"),
                Property = PropertyCatalog.Parse(Str(r.GetProperty("property"), "id")),
                Configuration = [.. r.GetProperty("configuration").EnumerateArray().Select(s => new ReportSetting(Str(s, "id"), Str(s, "label"), Str(s, "value")))],
                Seed = StrOrNull(r, "seed"),
                Strategy = StrOrNull(r, "strategy"),
                Verdict = Str(r.GetProperty("verdict"), "sentence"),
                Violation = Str(violation, "message"),
                ViolationStep = violation.TryGetProperty("step", out var at) && at.ValueKind == JsonValueKind.Number ? at.GetInt32() : null,
                Failure = violation.TryGetProperty("failure", out var f) ? ReadFailure(f) : null,
                Workload = Str(r, "workload"),
                Scenario = r.TryGetProperty("scenario", out var sc) ? sc.Deserialize<ReportScenario>(Options) : null,
                Notes = [.. r.GetProperty("notes").EnumerateArray().Select(n => n.GetString() ?? "")],
                Participants = [.. r.GetProperty("actors").EnumerateArray().Select(a => Actor.Parse(Str(a, "id")))],
                Steps = [.. r.GetProperty("steps").EnumerateArray().Select(ReadStep)],
                Schedule = length.TryGetProperty("schedule", out var schedule) ? schedule.GetInt32() : null,
                Original = length.TryGetProperty("originalSteps", out var os)
                    ? new ReportOriginal(os.GetInt32(), length.TryGetProperty("originalSchedule", out var osch) ? osch.GetInt32() : null,
                        length.TryGetProperty("originalScenario", out var osc) ? osc.Deserialize<ReportScenario>(Options) : null, StrOrNull(length, "originalSeed"))
                    : null,
                ReplayCommand = Str(r, "replayCommand"),
                RerunCommand = StrOrNull(r, "rerunCommand"),
                Created = DateOnly.ParseExact(Str(r, "created"), "yyyy-MM-dd", CultureInfo.InvariantCulture),
            };
        }
        catch (Exception e) when (e is JsonException or KeyNotFoundException or InvalidOperationException)
        {
            throw new FormatException($"{where}: not a valid SyncModel report: {e.Message}", e);
        }
    }

    private static readonly JsonSerializerOptions Options = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    private static IEnumerable<Actor> Actors(Report report)
    {
        var list = new List<Actor>(report.Participants);
        foreach (var s in report.Steps)
        {
            if (!list.Contains(s.Event.Actor)) list.Add(s.Event.Actor);
        }
        return list.OrderBy(ReportRenderer.LaneOrder);
    }

    private static void WriteActor(Utf8JsonWriter w, Actor a)
    {
        w.WriteStartObject();
        w.WriteString("id", a.ToString());
        w.WriteString("kind", a.Kind.ToString().ToLowerInvariant());
        w.WriteNumber("index", a.Index);
        w.WriteString("label", a.Kind switch
        {
            ActorKind.Migration => "source migration thread",
            ActorKind.Sender => $"send channel {a.Index}",
            ActorKind.Guest => "guest vCPUs",
            ActorKind.Destination => "destination main thread",
            _ => $"recv channel {a.Index}",
        });
        w.WriteEndObject();
    }

    private static void WriteStep(Utf8JsonWriter w, ReportStep s)
    {
        var e = s.Event;
        w.WriteStartObject();
        w.WriteNumber("index", s.Index);
        w.WriteString("actor", e.Actor.ToString());
        w.WriteStartObject("event");
        w.WriteString("kind", e.Kind.ToString());
        if (e.Channel >= 0) w.WriteNumber("channel", e.Channel);
        if (e.Id >= 0) w.WriteNumber("id", e.Id);
        if (e.Block >= 0) w.WriteNumber("block", e.Block);
        if (e.Page >= 0) w.WriteNumber("page", e.Page);
        if (e.Count > 0) w.WriteNumber("count", e.Count);
        if (e.Round > 0) w.WriteNumber("round", e.Round);
        if (e.Version != 0) w.WriteNumber("version", e.Version);
        if (e.Flag != RamFlag.None) w.WriteString("flag", e.Flag.ToString().ToUpperInvariant());
        if (e.Error is not null) w.WriteString("error", e.Error);
        if (e.Pages != 0) w.WriteNumber("pages", e.Pages);
        if (e.Zeros != 0) w.WriteNumber("zeros", e.Zeros);
        w.WriteEndObject();
        w.WriteString("text", ReportRenderer.EventText(e));
        w.WriteString("whatChanged", s.WhatChanged);
        w.WriteBoolean("inSlice", s.InSlice);
        w.WriteStartArray("changes");
        foreach (var c in s.Changes)
        {
            w.WriteStartObject();
            w.WriteString("cell", c.Cell);
            w.WriteString("value", c.Value);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static ReportStep ReadStep(JsonElement s)
    {
        var e = s.GetProperty("event");
        int Int(string key, int fallback) => e.TryGetProperty(key, out var v) ? v.GetInt32() : fallback;
        long Long(string key, long fallback) => e.TryGetProperty(key, out var v) ? v.GetInt64() : fallback;
        ulong ULong(string key) => e.TryGetProperty(key, out var v) ? v.GetUInt64() : 0;
        var ev = new TraceEvent(
            Enum.Parse<EventKind>(Str(e, "kind")),
            Actor.Parse(Str(s, "actor")),
            Int("channel", -1), Long("id", -1), Int("block", -1), Long("page", -1), Int("count", 0), Int("round", 0), Long("version", 0),
            e.TryGetProperty("flag", out var flag) ? Enum.Parse<RamFlag>(flag.GetString() ?? "None", ignoreCase: true) : RamFlag.None,
            StrOrNull(e, "error"), ULong("pages"), ULong("zeros"));
        return new ReportStep(s.GetProperty("index").GetInt32(), ev, Str(s, "whatChanged"))
        {
            InSlice = s.GetProperty("inSlice").GetBoolean(),
            Changes = [.. s.GetProperty("changes").EnumerateArray().Select(c => new StateChange(Str(c, "cell"), Str(c, "value")))],
        };
    }

    private static void WriteFailure(Utf8JsonWriter w, ThreadFailure f)
    {
        w.WriteStartObject("failure");
        w.WriteString("thread", f.Actor.ToString());
        w.WriteString("kind", f.Kind.ToString().ToLowerInvariant());
        w.WriteString("exceptionType", f.ExceptionType);
        w.WriteString("message", f.Message);
        w.WriteString("stackTrace", f.StackTrace);
        w.WriteEndObject();
    }

    private static ThreadFailure ReadFailure(JsonElement f)
        => new(Actor.Parse(Str(f, "thread")), Enum.Parse<FailureKind>(Str(f, "kind"), ignoreCase: true), Str(f, "exceptionType"), Str(f, "message"), Str(f, "stackTrace"));

    private static string Str(JsonElement e, string key) => e.GetProperty(key).GetString() ?? throw new FormatException($"'{key}' is null");

    private static string? StrOrNull(JsonElement e, string key) => e.TryGetProperty(key, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }
}
