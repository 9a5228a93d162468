using System.Text;
using System.Text.Json;
using SyncModel.Protocol.Events;

namespace SyncModel.Protocol.Reports;

/// <summary>A <see cref="Report"/> as one JSON document with camelCase keys (docs/design.md "Machine-readable output").</summary>
public static class ReportJson
{
    /// <summary>Indented JSON: title, variant, property, configuration (object, in display order), seed, strategy,
    /// verdict, workload, notes, participants, steps (index, actor, event, ids, text, whatChanged), replayCommand, shortId.</summary>
    public static string Render(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        using var stream = new MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("title", report.Title);
            w.WriteString("variant", report.Variant);
            w.WriteString("property", report.Property);
            w.WriteStartObject("configuration");
            foreach (var s in report.Configuration) w.WriteString(s.Key, s.Value);
            w.WriteEndObject();
            WriteNullable(w, "seed", report.Seed);
            WriteNullable(w, "strategy", report.Strategy);
            w.WriteString("verdict", report.Verdict);
            w.WriteString("workload", report.Workload);
            w.WriteStartArray("notes");
            foreach (var n in report.Notes) w.WriteStringValue(n);
            w.WriteEndArray();
            w.WriteStartArray("participants");
            foreach (var a in report.Participants) w.WriteStringValue(a.ToString());
            w.WriteEndArray();
            w.WriteStartArray("steps");
            foreach (var s in report.Steps) WriteStep(w, s);
            w.WriteEndArray();
            w.WriteString("replayCommand", report.ReplayCommand);
            w.WriteString("shortId", ReportRenderer.ShortId(report));
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray());
    }

    private static void WriteStep(Utf8JsonWriter w, in ReportStep s)
    {
        var e = s.Event;
        w.WriteStartObject();
        w.WriteNumber("index", s.Index);
        w.WriteString("actor", e.Actor.ToString());
        w.WriteString("event", e.Kind.ToString());
        if (e.Channel >= 0) w.WriteNumber("channel", e.Channel);
        if (e.Id >= 0) w.WriteNumber("id", e.Id);
        if (e.Block >= 0) w.WriteNumber("block", e.Block);
        if (e.Page >= 0) w.WriteNumber("page", e.Page);
        if (e.Count > 0) w.WriteNumber("count", e.Count);
        if (e.Round > 0) w.WriteNumber("round", e.Round);
        if (e.Kind == EventKind.GuestWrite) w.WriteNumber("version", e.Version);
        if (e.Flag != RamFlag.None) w.WriteString("flag", e.Flag.ToString().ToUpperInvariant());
        if (e.Error is not null) w.WriteString("error", e.Error);
        w.WriteString("text", ReportRenderer.EventText(e));
        w.WriteString("whatChanged", s.WhatChanged);
        w.WriteEndObject();
    }

    private static void WriteNullable(Utf8JsonWriter w, string name, string? value)
    {
        if (value is null) w.WriteNull(name);
        else w.WriteString(name, value);
    }
}
