namespace SyncModel.Protocol.Reports;

/// <summary>One configuration entry of a <see cref="Report"/>: a stable id, the label a reader sees, and its value as text.</summary>
public readonly record struct ReportSetting(string Id, string Label, string Value)
{
    /// <summary>A setting whose label is its id.</summary>
    public ReportSetting(string id, string value) : this(id, id, value)
    {
    }
}
