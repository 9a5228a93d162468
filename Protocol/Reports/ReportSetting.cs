namespace SyncModel.Protocol.Reports;

/// <summary>One configuration entry of a <see cref="Report"/>: a name and its value as text.</summary>
public readonly record struct ReportSetting(string Key, string Value);
