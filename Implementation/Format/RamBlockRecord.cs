namespace SyncModel.Implementation.Format;

/// <summary>One block of a MEM_SIZE list without mapped-ram: where it was read, its idstr and used length.</summary>
public sealed record RamBlockRecord(long Offset, string Name, long UsedLength);
