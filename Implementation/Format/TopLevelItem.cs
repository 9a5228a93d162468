namespace SyncModel.Implementation.Format;

/// <summary>One top-level item of the stream after the configuration: a section header, a command, or EOF.</summary>
/// <param name="Offset">Absolute file offset of the item's type byte.</param>
public abstract record TopLevelItem(long Offset);
